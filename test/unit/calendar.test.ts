import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  completedYears,
  daysBetween,
  daysInMonth,
  instantSchema,
  isCalendarDate,
  isInstant,
  isLeapYear,
  isYearMonth,
  parseCalendarDate,
  parseInstant,
  parseYearMonth,
  yearMonthOf,
} from '../../functions/rules/calendar.js';

/** The calendar arithmetic the eligibility and deadline rules stand on, edge by edge. */

describe('calendar arithmetic', () => {
  it('knows leap years: every fourth, not centuries, but every fourth century', () => {
    expect([2024, 2023, 1900, 2000, 2100, 2400].map(isLeapYear)).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 13)).toBe(0);
  });

  it('parses real calendar dates only', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of [
      '2023-02-29',
      '2024-00-10',
      '2024-13-01',
      '2024-01-00',
      '2024-04-31',
      '2024-1-1',
      'x',
    ]) {
      expect(parseCalendarDate(bad), bad).toBeUndefined();
      expect(isCalendarDate(bad), bad).toBe(false);
    }
    expect(isCalendarDate('2024-12-31')).toBe(true);
  });

  it('parses real year-months only', () => {
    expect(parseYearMonth('2019-07')).toEqual({ year: 2019, month: 7 });
    expect(parseYearMonth('2019-12')).toEqual({ year: 2019, month: 12 });
    expect(parseYearMonth('2019-01')).toEqual({ year: 2019, month: 1 });
    for (const bad of ['2019-00', '2019-13', '2019-7', '2019-07-01', '']) {
      expect(parseYearMonth(bad), bad).toBeUndefined();
      expect(isYearMonth(bad), bad).toBe(false);
    }
    expect(isYearMonth('2019-07')).toBe(true);
    expect(yearMonthOf('2019-07-31')).toBe('2019-07');
  });

  it('refuses instants without an offset or that do not exist', () => {
    expect(() => parseInstant('2025-02-13T00:00:00')).toThrow(
      /^not a real ISO 8601 instant with an offset: 2025-02-13T00:00:00$/,
    );
    expect(() => parseInstant('2025-02-30T25:00:00+08:00')).toThrow(
      /^not a real ISO 8601 instant with an offset: 2025-02-30T25:00:00\+08:00$/,
    );
    expect(parseInstant('2025-02-13T00:00:00+08:00').toISOString()).toBe('2025-02-12T16:00:00.000Z');
  });

  it('takes as an instant only a real moment: a real date, a real time, an offset within ±14:00', () => {
    // '2025-02-30' alone is one Date rolls over to 2 March; '25:80' one it cannot read (500 once).
    for (const unreal of [
      '2025-02-30T00:00:00+08:00',
      '2025-13-01T00:00Z',
      '2724-25-97T59:80:73.35Z',
      '2025-02-13T24:00:00Z',
      '2025-02-13T12:60Z',
      '2025-02-13T12:00:60Z',
      '2025-02-13T12:00:00+15:00',
      '2025-02-13T12:00:00+08:60',
    ]) {
      expect(isInstant(unreal), unreal).toBe(false);
      expect(instantSchema().safeParse(unreal).success, unreal).toBe(false);
    }
    for (const real of ['2024-02-29T23:59:59.999+08:00', '2025-02-13T00:00Z', '2025-02-13T12:00:00-14:00']) {
      expect(isInstant(real), real).toBe(true);
      expect(instantSchema().safeParse(real).success, real).toBe(true);
    }
  });

  it('adds years, landing 29 February on 28 February in a common year', () => {
    expect(addYears('2020-02-29', 3)).toBe('2023-02-28');
    expect(addYears('2020-02-29', 4)).toBe('2024-02-29');
    expect(() => addYears('2020-02-30', 1)).toThrow(/^not a calendar date: 2020-02-30$/);
  });

  it('counts completed years on and around the anniversary, never below zero', () => {
    expect(completedYears('2020-03-01', '2023-02-28')).toBe(2);
    expect(completedYears('2020-03-01', '2023-03-01')).toBe(3);
    expect(completedYears('2020-02-29', '2023-02-28')).toBe(3);
    expect(completedYears('2024-05-01', '2024-12-31')).toBe(0);
    expect(completedYears('2025-05-01', '2024-12-31')).toBe(0);
    expect(() => completedYears('2020-01-01', 'soon')).toThrow(/^not calendar dates: 2020-01-01, soon$/);
    expect(() => completedYears('soon', '2020-01-01')).toThrow(RangeError);
  });

  it('counts and adds whole days across months and leap days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});
