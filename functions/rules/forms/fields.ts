import * as z from 'zod';
import { isYearMonth } from '../calendar.js';
import type { Bilingual } from '../i18n.js';
import { freeText } from '../text.js';

/**
 * Field builders shared by the four forms. Each field carries its Chinese label (`title`, as
 * printed on the official table) and its English name (`x-title-en`) as zod metadata, so the
 * generated JSON Schema — used by the browser and the OpenAPI document — has them too.
 */

export interface FieldMeta {
  zh: string;
  en: string;
  /** false for a field the official table does not print but an [auto] criterion needs. */
  official?: boolean;
  hint?: Bilingual;
}

const meta = ({ zh, en, official = true, hint }: FieldMeta) => ({
  title: zh,
  'x-title-en': en,
  ...(official ? {} : { 'x-official': false }),
  ...(hint ? { 'x-hint-zh': hint.zh, 'x-hint-en': hint.en } : {}),
});

/** Longest text a single-line field takes; generous for long organization names. */
export const SHORT_TEXT_MAX = 100;
export const ADDRESS_TEXT_MAX = 200;

function boundedText(field: FieldMeta, max: number, multiLine: boolean) {
  return freeText({ max, min: 1, multiLine }).meta({ ...meta(field), maxLength: max });
}

/** A one-line text of at most `max` characters (code points). */
export const shortText = (field: FieldMeta, max = SHORT_TEXT_MAX) => boundedText(field, max, false);

/** The official forms cap main deeds and overviews at 1,000 characters (不超过1000字). */
export const DEEDS_MAX_CHARACTERS = 1000;

/** Multi-line narrative capped at 1,000 characters counted in Unicode code points. */
export const deedsText = (field: FieldMeta) => boundedText(field, DEEDS_MAX_CHARACTERS, true);

/** Non-negative whole number (people, activities, teams). */
export const count = (field: FieldMeta) => z.int().min(0).max(100_000_000).meta(meta(field));

/** Non-negative number that may have decimals (hours). */
export const amount = (field: FieldMeta) => z.number().min(0).max(1e10).meta(meta(field));

/** A share in per cent, 0–100 inclusive; 59.9 is a valid share. */
export const share = (field: FieldMeta) =>
  z
    .number()
    .min(0)
    .max(100)
    .meta({ ...meta(field), 'x-unit': '%' });

export const yearMonth = (field: FieldMeta) =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .refine(isYearMonth)
    .meta({
      ...meta({ hint: { zh: '年-月，如 2021-03', en: 'year-month, e.g. 2021-03' }, ...field }),
      format: 'year-month',
    });

/**
 * Phone numbers as written in China: a mobile number (11 digits starting 13–19, optional +86)
 * or a landline with its area code (010-68396405, (0755)12345678, 0755 1234567-801, …转801).
 */
export const CHINA_PHONE_PATTERN =
  '^(?:(?:\\+|00)?86[- ]?)?1[3-9]\\d(?:[- ]?\\d{4}){2}$' +
  '|^(?:\\(0\\d{2,3}\\)|（0\\d{2,3}）|0\\d{2,3})[- ]?[2-9]\\d{3}[- ]?\\d{3,4}(?:(?:-|转|ext\\.?|x)\\d{1,6})?$';

export const phone = (field: FieldMeta) =>
  z
    .string()
    .trim()
    .regex(new RegExp(CHINA_PHONE_PATTERN))
    .meta({
      ...meta({
        hint: {
          zh: '手机号或带区号的固定电话，如 13800138000、010-68396405',
          en: 'mobile or landline with area code, e.g. 13800138000, 010-68396405',
        },
        ...field,
      }),
    });

export interface Option<V extends string = string> {
  value: V;
  zh: string;
  en: string;
}

/** A choice from a fixed list; each option keeps its Chinese and English label for the UI. */
export function choice<const O extends readonly [Option, ...Option[]]>(field: FieldMeta, options: O) {
  const values = options.map((o) => o.value) as [O[number]['value'], ...O[number]['value'][]];
  return z.enum(values).meta({ ...meta(field), 'x-options': options });
}

/** The declaration that the subject is registered on the "大美志愿" WeChat mini-program. */
export const daMeiRegistration = (zh: string, en: string) =>
  z.boolean().meta(meta({ zh, en, official: false }));

export const list = <T extends z.ZodType>(field: FieldMeta, item: T, min: number, max: number) =>
  z.array(item).min(min).max(max).meta(meta(field));

export const group = <T extends z.core.$ZodLooseShape>(field: FieldMeta, shape: T) =>
  z.strictObject(shape).meta(meta(field));
