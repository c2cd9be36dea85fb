import { ConverterFactory } from 'opencc-js/core';
import CJK_COMPATIBILITY_IDEOGRAPHS from 'opencc-js/dict/CJK_Compatibility_Ideographs';
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';
import TS_PHRASES from 'opencc-js/dict/TSPhrases';

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
  const folded = text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '').replace(MIDDLE_DOTS, '·');
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
