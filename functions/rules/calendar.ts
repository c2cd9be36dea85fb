/**
 * Calendar arithmetic for the campaign, in China Standard Time.
 *
 * China has used UTC+8 all year since 1991 (no daylight saving), so a fixed offset is exact
 * and no time-zone database is needed. Dates travel as ISO strings: 'YYYY-MM-DD' for a
 * calendar date, 'YYYY-MM' for a year-month, and full ISO 8601 instants with an offset.
 * Zero-padded ISO dates compare correctly as strings, which the functions below rely on.
 */

import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';

export type CalendarDate = string; // 'YYYY-MM-DD'
export type YearMonth = string; // 'YYYY-MM'

export const CHINA_UTC_OFFSET_MINUTES = 8 * 60;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH_RE = /^(\d{4})-(\d{2})$/;
/** An instant must state its offset: '2025-02-13T00:00:00+08:00' or '...Z'. A bare local time is ambiguous. */
export const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant that names a real moment: the pattern, a real calendar date, hours below 24,
 * minutes and seconds below 60, an offset within ±14:00. The pattern alone lets '2025-02-30' or
 * '25:80' through, which `Date` rolls over to another day or cannot read at all (an Invalid Date
 * thrown deep in a use case answered 500).
 */
export function isInstant(value: string): boolean {
  if (!INSTANT_RE.test(value)) return false;
  const hours = Number(value.slice(11, 13));
  const minutes = Number(value.slice(14, 16));
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: read or not, seconds of 60 or more are refused by V8's Date too (Invalid Date, checked last), and what else lands here (an offset's hours, at most 14, or nothing) is below 60 (equivalent mutants)
  const seconds = value[16] === ':' ? Number(value.slice(17, 19)) : 0;
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  const offsetOk = !offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60;
  return (
    isCalendarDate(value.slice(0, 10)) &&
    hours < 24 &&
    // Stryker disable next-line ConditionalExpression: V8's Date refuses minutes of 60 or more too (an equivalent mutant); the rule is stated whole here
    minutes < 60 &&
    // Stryker disable next-line ConditionalExpression: as above, for the seconds
    seconds < 60 &&
    Number(offset?.[3] ?? 0) < 60 &&
    offsetOk &&
    !Number.isNaN(new Date(value).getTime())
  );
}

/** The schema of every instant in input and in campaign files: one rule, so none reaches `Date` unchecked. */
export const instantSchema = builtOnFirstUse(() =>
  z
    .string()
    .regex(
      INSTANT_RE,
      // One error per field: a malformed text is not also reported as an unreal instant.
      {
        error:
          '须为带时区的时间，如 2025-02-14T00:00:00+08:00 · an ISO 8601 instant with an offset, e.g. 2025-02-14T00:00:00+08:00',
        abort: true,
      },
    )
    .refine(
      isInstant,
      '不是真实存在的时间（日期或时分秒超出范围） · not a real instant (a date, hour, minute or second out of range)',
    ),
);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export function parseCalendarDate(value: string): { year: number; month: number; day: number } | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function parseYearMonth(value: string): { year: number; month: number } | undefined {
  const m = YEAR_MONTH_RE.exec(value);
  if (!m) return undefined;
  const [year, month] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12) return undefined;
  return { year, month };
}

export const isCalendarDate = (value: string): boolean => parseCalendarDate(value) !== undefined;
export const isYearMonth = (value: string): boolean => parseYearMonth(value) !== undefined;

/** A 'since' year-month is read as the first day of that month: the only day it names for sure. */
export function firstDayOf(yearMonth: YearMonth): CalendarDate {
  return `${yearMonth}-01`;
}

export function yearMonthOf(date: CalendarDate): YearMonth {
  return date.slice(0, 7);
}

/** The calendar date in China (UTC+8) at the given instant. */
export function chinaDateAt(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

export function parseInstant(value: string): Date {
  if (!isInstant(value))
    throw new RangeError(`not a real ISO 8601 instant with an offset: ${value.slice(0, 40)}`);
  return new Date(value);
}

/** Formats an instant as China Standard Time, e.g. '2025-02-13 00:00 (UTC+8)', for messages. */
export function formatChinaTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
  return `${chinaDateAt(instant)} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())} (UTC+8)`;
}

/**
 * A deadline as offices read it: an instant at midnight China time is the end of the day before,
 * so the notice's "2月13日前" (stored as 2025-02-14T00:00+08:00) reads '2025-02-13 24:00 (UTC+8)'.
 * Any other instant reads as formatChinaTime does, to the minute.
 */
export function formatDeadline(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
  const midnight =
    shifted.getUTCHours() === 0 &&
    shifted.getUTCMinutes() === 0 &&
    shifted.getUTCSeconds() === 0 &&
    shifted.getUTCMilliseconds() === 0;
  if (!midnight) return formatChinaTime(instant);
  return `${addDays(chinaDateAt(instant), -1)} 24:00 (UTC+8)`;
}

/**
 * Two deadlines a refusal compares, each as formatDeadline reads it — with the seconds when to the
 * minute the two would read the same, so "1 s after its parent's" never shows two equal times.
 */
export function formatDeadlinesCompared(a: Date, b: Date): [string, string] {
  const [first, second] = [formatDeadline(a), formatDeadline(b)];
  if (first !== second) return [first, second];
  const withSeconds = (instant: Date) => {
    const seconds = new Date(instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000).getUTCSeconds();
    return formatChinaTime(instant).replace(' (UTC+8)', `:${pad(seconds)} (UTC+8)`);
  };
  return [withSeconds(a), withSeconds(b)];
}

/** The instant a China-calendar day ends: the next day's 00:00 in China time. */
export function endOfChinaDay(date: CalendarDate): Date {
  return parseInstant(`${addDays(date, 1)}T00:00:00+08:00`);
}

/** An instant as ISO 8601 in China time, to the second: '2025-02-23T00:00:00+08:00' (for browsers and people alike). */
export function chinaInstant(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000);
  const time = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
  return `${chinaDateAt(instant)}T${time}+08:00`;
}

/**
 * The same day `years` later. 29 February lands on 28 February in a common year — the last
 * day of that month — so someone who started on 29 Feb 2020 completes three years on 28 Feb 2023.
 */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  const d = parseCalendarDate(date);
  if (!d) throw new RangeError(`not a calendar date: ${date}`);
  const year = d.year + years;
  const day = Math.min(d.day, daysInMonth(year, d.month));
  return `${pad(year, 4)}-${pad(d.month)}-${pad(day)}`;
}

/** Completed years from `since` to `reference`: 3 when reference is on or after the third anniversary. */
export function completedYears(since: CalendarDate, reference: CalendarDate): number {
  const s = parseCalendarDate(since);
  const r = parseCalendarDate(reference);
  if (!s || !r) throw new RangeError(`not calendar dates: ${since}, ${reference}`);
  let years = r.year - s.year;
  if (years > 0 && addYears(since, years) > reference) years -= 1;
  return Math.max(0, years);
}

/** Whole days from a to b (b later gives a positive number). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
  return t.toISOString().slice(0, 10);
}

/**
 * A year-month as people write it — 1978-05, 1978-5, 1978年5月, 1978.5, 1978/05, in full-width
 * digits too — as 'YYYY-MM'; undefined when it is not one (month 13, a bare year, words).
 */
export function readYearMonth(text: string): YearMonth | undefined {
  const match = /^(\d{4})\s*(?:年|[-./\s])\s*(\d{1,2})\s*月?$/.exec(text.normalize('NFKC').trim());
  if (!match) return undefined;
  const value = `${match[1]}-${(match[2] ?? '').padStart(2, '0')}`;
  return isYearMonth(value) ? value : undefined;
}

/** A date as people write it — 2020-06-01, 2020年6月1日, 2020.6.1, 2020/06/01 — as 'YYYY-MM-DD'; undefined when it is not a real date. */
export function readCalendarDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})\s*(?:年|[-./\s])\s*(\d{1,2})\s*(?:月|[-./\s])\s*(\d{1,2})\s*日?$/.exec(
    text.normalize('NFKC').trim(),
  );
  if (!match) return undefined;
  const value = `${match[1]}-${(match[2] ?? '').padStart(2, '0')}-${(match[3] ?? '').padStart(2, '0')}`;
  return isCalendarDate(value) ? value : undefined;
}
