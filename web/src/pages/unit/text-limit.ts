import { countCharacters } from '../../../../functions/rules/text.js';

/**
 * Keeps a text field within its limit the way the server counts it (Unicode code points,
 * `countCharacters` of the domain): what the last edit inserted is cut to the room left, so
 * the 1,001st character of a 1,000-character field never appears — typed, pasted or dropped —
 * while the text before and after the caret stays as it was. The HTML `maxlength` attribute
 * is not used: it counts UTF-16 units, so it would refuse an emoji one character too early.
 */
export interface Clipped {
  value: string;
  /** Where the caret goes (a UTF-16 index, as the DOM wants it). */
  caret: number;
  /** How many characters (code points) of the edit were refused. */
  refused: number;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * `before` was the field's value, `after` is what the browser made of it with the caret now at
 * `caret`. Returns `after` unchanged when it fits.
 */
export function clipToLimit(before: string, after: string, caret: number, max: number): Clipped {
  const total = countCharacters(after);
  if (total <= max) return { value: after, caret, refused: 0 };
  const end = Math.min(Math.max(caret, 0), after.length);
  // The edit replaced before[start, …) with after[start, end): find where it began.
  let start = 0;
  while (start < end && start < before.length && before[start] === after[start]) start += 1;
  if (start > 0 && isHighSurrogate(after.charCodeAt(start - 1))) start -= 1;
  const head = after.slice(0, start);
  const tail = after.slice(end);
  const inserted = [...after.slice(start, end)];
  const room = max - countCharacters(head) - countCharacters(tail);
  if (room < 0) {
    // Already over before this edit (a value saved elsewhere): keep the first `max` characters.
    const kept = [...after].slice(0, max).join('');
    return { value: kept, caret: Math.min(end, kept.length), refused: total - max };
  }
  const kept = inserted.slice(0, room).join('');
  return { value: head + kept + tail, caret: head.length + kept.length, refused: inserted.length - room };
}
