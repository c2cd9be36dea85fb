import { ConverterFactory } from 'opencc-js/core';
import CJK_COMPATIBILITY_IDEOGRAPHS from 'opencc-js/dict/CJK_Compatibility_Ideographs';
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';
import TS_PHRASES from 'opencc-js/dict/TSPhrases';
import * as z from 'zod';

/**
 * Length of a text as the form counts it: in Unicode code points, so a CJK character or an
 * emoji is one character (String.length would count UTF-16 units: an emoji as two). A Windows
 * line break (CR LF) counts as one, as the person typing it sees one line break.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text.replace(/\r\n/g, '\n')) count += 1;
  return count;
}

/**
 * Traditional → simplified (mainland usage), via OpenCC's maintained dictionaries: exactly what
 * `Converter({ from: 't', to: 'cn' })` of 'opencc-js/t2cn' does (its `t2s` chain: CJK
 * compatibility ideographs folded, then phrases and characters), built from the three
 * dictionaries it uses rather than the preset, which also carries the Hong Kong and Taiwan ones
 * (~100 KB in every function). Built on first use: most handlers never compare names.
 */
let toSimplified: ((text: string) => string) | undefined;
const simplified = (text: string): string => {
  toSimplified ??= ConverterFactory([CJK_COMPATIBILITY_IDEOGRAPHS], [TS_PHRASES, TS_CHARACTERS]);
  return toSimplified(text);
};

// The middle dot in minority and foreign names is typed in many forms: ·・•‧∙⋅ and the ASCII period.
const MIDDLE_DOTS = /[·・•‧∙⋅.]/g;

/**
 * A key for comparing names as a person would: full-width and half-width forms are the same
 * (NFKC), spaces of any width and case do not matter, traditional characters equal their
 * simplified forms, and all middle-dot variants are one. Used to match past honourees.
 */
export function normaliseName(text: string): string {
  // Invisible characters first: the inputs refuse them, but an imported list may carry them.
  const folded = text
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, '')
    .replace(MIDDLE_DOTS, '·');
  return simplified(folded);
}

/** Levenshtein distance in code points, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * Characters no free-text field takes, by kind: each is invisible or changes how the text around
 * it is drawn, so a name holding one can look like another name (a right-to-left override shows
 * reversed characters in order; a zero-width space splits a name that reads as one). A format
 * character inside an emoji sequence (the joiner of 👨‍👩‍👧, the tags of 🏴󠁧󠁢󠁳󠁣󠁴󠁿) is part of that emoji
 * and stays.
 */
export type ForbiddenKind =
  | 'lone-surrogate'
  | 'bidi'
  | 'zero-width'
  | 'byte-order-mark'
  | 'word-joiner'
  | 'line-break'
  | 'control'
  | 'format';

const KIND_NAMES: Readonly<Record<ForbiddenKind, { zh: string; en: string }>> = {
  'lone-surrogate': { zh: '残缺的字符（孤立代理项）', en: 'a broken character (lone surrogate)' },
  bidi: { zh: '文字方向控制符', en: 'a text-direction control' },
  'zero-width': { zh: '零宽字符', en: 'a zero-width character' },
  'byte-order-mark': { zh: '字节顺序标记（BOM）', en: 'a byte-order mark' },
  'word-joiner': { zh: '不可见的连接符', en: 'a word joiner' },
  'line-break': { zh: '换行', en: 'a line break' },
  control: { zh: '控制字符', en: 'a control character' },
  format: { zh: '不可见的格式字符', en: 'an invisible format character' },
};

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const ZERO_WIDTH = /[\u180E\u200B-\u200D]/u;
const LONE_SURROGATE = /\p{Cs}/u;
const LINE_BREAKS = /[\n\r\u2028\u2029\u0085]/u;
/** Everything invisible: controls (Cc), format characters (Cf), line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** An emoji sequence: pictographs with skin tones, VS16, keycaps or tags, joined by ZWJ to another pictograph. */
const EMOJI_TAIL = '(?:\\p{Emoji_Modifier}|\\uFE0F|\\u20E3|[\\u{E0020}-\\u{E007F}])*';
const EMOJI_SEQUENCE = new RegExp(
  `^\\p{Extended_Pictographic}${EMOJI_TAIL}(?:\\u200D\\p{Extended_Pictographic}${EMOJI_TAIL})*$`,
  'u',
);

function kindOf(character: string, multiLine: boolean): ForbiddenKind | undefined {
  if (multiLine && (character === '\t' || character === '\n' || character === '\r')) return undefined;
  if (!INVISIBLE.test(character)) return undefined;
  if (BIDI_CONTROLS.test(character)) return 'bidi';
  if (ZERO_WIDTH.test(character)) return 'zero-width';
  if (character === '\uFEFF') return 'byte-order-mark';
  if (character === '\u2060') return 'word-joiner';
  if (LINE_BREAKS.test(character)) return 'line-break';
  if (/\p{Cc}/u.test(character)) return 'control';
  return 'format';
}

let graphemes: Intl.Segmenter | undefined;

export interface ForbiddenCharacter {
  kind: ForbiddenKind;
  /** U+XXXX */
  codePoint: string;
  /** 1-based position in characters (code points), as the person counts them. */
  position: number;
}

/**
 * The first character of `text` a free-text field refuses, or undefined when it has none. Tabs
 * and line breaks are allowed in multi-line text only.
 */
export function forbiddenCharacter(text: string, multiLine = false): ForbiddenCharacter | undefined {
  let position = 0;
  // Under the u flag a surrogate pair is one code point, so \p{Cs} finds only lone halves.
  if (LONE_SURROGATE.test(text)) {
    for (const character of text) {
      position += 1;
      if (LONE_SURROGATE.test(character))
        return { kind: 'lone-surrogate', codePoint: codePointLabel(character), position };
    }
  }
  if (!INVISIBLE.test(text)) return undefined;
  // Stryker disable next-line ObjectLiteral: grapheme is Intl.Segmenter's default granularity; it is named for the reader (an equivalent mutant)
  graphemes ??= new Intl.Segmenter('zh', { granularity: 'grapheme' });
  position = 0;
  for (const { segment } of graphemes.segment(text)) {
    const emoji = segment.length > 1 && EMOJI_SEQUENCE.test(segment);
    for (const character of segment) {
      position += 1;
      const kind = emoji ? undefined : kindOf(character, multiLine);
      if (kind) return { kind, codePoint: codePointLabel(character), position };
    }
  }
  return undefined;
}

const codePointLabel = (character: string) =>
  `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The field error for a refused character: what it is, where, and what to do, in both languages. */
export function forbiddenCharacterMessage(found: ForbiddenCharacter): { zh: string; en: string } {
  const name = KIND_NAMES[found.kind];
  return {
    zh: `第 ${found.position} 个字符是${name.zh}（${found.codePoint}），请删除后重新输入（从别处粘贴的文字常带有这类看不见的字符）`,
    en: `character ${found.position} is ${name.en} (${found.codePoint}); delete it and type the text again (text pasted from elsewhere often carries such invisible characters)`,
  };
}

/** The one normal form stored and shown: NFC, so that 'é' typed two ways is one text everywhere. */
export const normaliseText = (text: string): string => text.normalize('NFC');

export interface FreeTextOptions {
  /** Most characters (code points; CR LF counts as one). */
  max: number;
  /** Fewest characters after trimming; 1 for a required text. */
  min?: number;
  /** Tabs and line breaks allowed (narratives, reasons); refused in one-line fields. */
  multiLine?: boolean;
}

/**
 * Every free-text field of every input — the four forms, drafts, reasons, comments, names — is
 * this schema: invisible and direction-changing characters refused with a field error naming
 * the character and its position, then trimmed and stored in NFC, then counted against `max`.
 * Its JSON Schema carries `maxLength` and `x-free-text`, which a test checks every string of
 * every request body has (or is an enum, a pattern or a format).
 */
export function freeText({ max, min = 0, multiLine = false }: FreeTextOptions) {
  const base = z
    .string()
    .superRefine((value, context) => {
      const found = forbiddenCharacter(value, multiLine);
      if (!found) return;
      context.addIssue({
        code: 'custom',
        message: forbiddenCharacterMessage(found).en,
        params: { code: 'invisible_character', ...forbiddenCharacterMessage(found), character: found },
      });
    })
    .trim()
    .overwrite(normaliseText);
  return (min > 0 ? base.min(min) : base)
    .refine((value) => countCharacters(value) <= max, {
      params: { code: 'too_long', max, zh: `不能超过 ${max} 字`, en: `must be at most ${max} characters` },
      abort: true,
    })
    .meta({ maxLength: max, 'x-free-text': multiLine ? 'multi-line' : 'single-line' });
}

/** Where an excerpt may end without stopping mid-phrase: after a sentence or a clause. */
const PHRASE_ENDS = new Set(['。', '！', '？', '；', '，', '、', '.', '!', '?', ';', ',']);

/**
 * The start of a text in at most `max` characters (code points), for a public list. A longer text
 * ends at its last sentence or clause break in the excerpt's last third — else where the room ends
 * — and then with "……", so nobody reads a cut phrase as the whole deed.
 */
export function excerpt(text: string, max: number): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()];
  if (characters.length <= max) return characters.join('');
  const room = characters.slice(0, max - 2);
  let end = room.length;
  const lastThird = Math.floor((room.length * 2) / 3);
  // Stryker disable next-line ArithmeticOperator: starting past the end reads only missing characters first, which are no break (an equivalent mutant)
  for (let i = room.length - 1; i >= lastThird; i -= 1) {
    // Stryker disable next-line StringLiteral: i stays within the room, so the fallback is never taken (an equivalent mutant)
    if (PHRASE_ENDS.has(room[i] ?? '')) {
      end = i;
      break;
    }
  }
  return `${room.slice(0, end).join('')}……`;
}
