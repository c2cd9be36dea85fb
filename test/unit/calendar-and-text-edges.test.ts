import { describe, expect, it } from 'vitest';
import {
  formatDeadline,
  formatDeadlinesCompared,
  isInstant,
  parseInstant,
  readCalendarDate,
  readYearMonth,
} from '../../functions/rules/calendar.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { quotaOverflow } from '../../functions/rules/quota.js';
import { editDistance, excerpt } from '../../functions/rules/text.js';

/**
 * The edges of the calendar, text and quota rules that people's input reaches: the last offset
 * allowed, a deadline read at and just after midnight, dates written with stray characters, the
 * excerpt's limits, the edit distance's limit, and a unit's places left when a society forwards.
 */

describe('instants at their limits', () => {
  it('takes an offset of exactly 14:00 and refuses one a minute beyond', () => {
    expect(isInstant('2025-02-13T12:00+14:00')).toBe(true);
    expect(isInstant('2025-02-13T12:00-14:00')).toBe(true);
    expect(isInstant('2025-02-13T12:00+14:01')).toBe(false);
    expect(isInstant('2025-02-13T12:00-14:01')).toBe(false);
    expect(isInstant('2025-02-13T12:00+13:59')).toBe(true);
  });

  it('quotes no more than the first 40 characters of a refused instant', () => {
    const long = `2025-02-13T00:00:00${'x'.repeat(60)}`;
    expect(() => parseInstant(long)).toThrow(
      new RangeError(`not a real ISO 8601 instant with an offset: ${long.slice(0, 40)}`),
    );
  });
});

describe('a deadline as offices read it', () => {
  it('reads midnight China time as 24:00 of the day before, and anything after it as the time it is', () => {
    expect(formatDeadline(new Date('2025-02-14T00:00:00+08:00'))).toBe('2025-02-13 24:00 (UTC+8)');
    expect(formatDeadline(new Date('2025-02-14T00:30:00+08:00'))).toBe('2025-02-14 00:30 (UTC+8)');
    expect(formatDeadline(new Date('2025-02-14T00:00:30+08:00'))).toBe('2025-02-14 00:00 (UTC+8)');
    // Compared in a refusal, two deadlines a second apart never read the same.
    expect(
      formatDeadlinesCompared(new Date('2025-02-14T12:00:01+08:00'), new Date('2025-02-14T12:00:00+08:00')),
    ).toEqual(['2025-02-14 12:00:01 (UTC+8)', '2025-02-14 12:00:00 (UTC+8)']);
    expect(
      formatDeadlinesCompared(new Date('2025-02-14T00:00:01+08:00'), new Date('2025-02-14T00:00:00+08:00')),
    ).toEqual(['2025-02-14 00:00 (UTC+8)', '2025-02-13 24:00 (UTC+8)']);
    expect(formatDeadline(new Date('2025-02-14T00:00:00.500+08:00'))).toBe('2025-02-14 00:00 (UTC+8)');
    expect(formatDeadline(new Date('2025-02-14T01:00:00+08:00'))).toBe('2025-02-14 01:00 (UTC+8)');
  });
});

describe('dates as people write them, and what is not one', () => {
  it('reads full-width digits in a date', () => {
    expect(readCalendarDate('２０２０年６月１日')).toBe('2020-06-01');
    expect(readCalendarDate(' 2020 / 6 / 1 ')).toBe('2020-06-01');
  });

  it('refuses a date with anything but a separator between its parts, or around it', () => {
    for (const text of [
      '12020-06-01',
      '2020x-06-01',
      '2020x06-01',
      '2020-x06-01',
      '2020-06x-01',
      '2020-06x01',
      '2020-06-01x',
      '2020-06-011',
      '2020-06-01日日',
    ])
      expect(readCalendarDate(text), text).toBeUndefined();
  });

  it('refuses a year-month with anything but a separator between its parts, or before it', () => {
    for (const text of ['12019-05', '1978x05', '1978-05x', '1978-005'])
      expect(readYearMonth(text), text).toBeUndefined();
  });
});

describe('the edit distance', () => {
  it('counts every character against an empty text', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('answers the distance when the lengths differ by exactly the limit, one past it when by more', () => {
    expect(editDistance('ab', 'abcd', 2)).toBe(2);
    expect(editDistance('a', 'abcd', 1)).toBe(2);
  });
});

describe('an excerpt’s limits', () => {
  it('keeps a text of exactly the maximum whole', () => {
    expect(excerpt('科'.repeat(200), 200)).toBe('科'.repeat(200));
    expect(excerpt('科'.repeat(201), 200)).toBe(`${'科'.repeat(198)}……`);
  });

  it('folds runs of white space, line breaks included, into one space', () => {
    expect(excerpt('  扎根\n\n乡村\t 二十年  ', 200)).toBe('扎根 乡村 二十年');
  });

  it('ends at a break on the first character of the last third, not on one before it', () => {
    // 200 characters leave room for 198 and the ellipsis; the last third starts at index 132.
    const onTheEdge = `${'科'.repeat(132)}，${'普'.repeat(100)}`;
    expect(excerpt(onTheEdge, 200)).toBe(`${'科'.repeat(132)}……`);
    const before = `${'科'.repeat(131)}，${'普'.repeat(100)}`;
    expect(excerpt(before, 200)).toBe(`${'科'.repeat(131)}，${'普'.repeat(66)}……`);
  });
});

describe('places left for what a unit adds at once', () => {
  const cast = builtinCampaign('cast-2024'); // a national society: 2 per category; a direct unit: 5 in all

  it('counts what is added per category, and lets it through when it fits', () => {
    expect(
      quotaOverflow(cast, 'national-society', { volunteer: 1 }, ['volunteer', 'project', 'project']),
    ).toBe(undefined);
    expect(
      quotaOverflow(cast, 'national-society', { volunteer: 1 }, ['project', 'volunteer', 'volunteer']),
    ).toEqual({
      category: 'volunteer',
      left: 1,
      adding: 2,
      message: {
        zh: '2024年度科技志愿服务先进典型宣传活动的推荐名额不足：“最美科技志愿者”类别还可推荐 1 个，此次要推荐 2 个',
        en: 'Not enough places left in 2024 S&T volunteer service models (CAST national round): 1 more allowed in "Outstanding S&T volunteer", 2 to nominate now',
      },
    });
  });

  it('counts all categories together under a total quota, and never fewer than none left', () => {
    expect(quotaOverflow(cast, 'direct-unit', { 'all-categories': 3 }, ['volunteer', 'site'])).toBe(
      undefined,
    );
    expect(quotaOverflow(cast, 'direct-unit', { 'all-categories': 6 }, ['site'])).toEqual({
      category: 'site',
      left: 0,
      adding: 1,
      message: {
        zh: '2024年度科技志愿服务先进典型宣传活动的推荐名额不足：各类别合计还可推荐 0 个，此次要推荐 1 个',
        en: 'Not enough places left in 2024 S&T volunteer service models (CAST national round): 0 more allowed over all categories, 1 to nominate now',
      },
    });
  });

  it('sets no limit for a unit type without a quota, or one the round does not know', () => {
    const cacs = builtinCampaign('cacs-2024');
    expect(quotaOverflow(cacs, 'member', {}, ['volunteer', 'volunteer', 'volunteer'])).toBe(undefined);
    expect(quotaOverflow(cast, 'no-such-type', {}, ['volunteer', 'volunteer', 'volunteer'])).toBe(undefined);
  });
});
