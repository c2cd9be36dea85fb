import { describe, expect, it } from 'vitest';
import {
  addYears,
  chinaDateAt,
  completedYears,
  formatChinaTime,
  parseInstant,
  readCalendarDate,
  readYearMonth,
} from '../../functions/rules/calendar.js';
import { countCharacters, editDistance, excerpt, normaliseName } from '../../functions/rules/text.js';

describe('counting characters as the form does', () => {
  it('counts CJK characters and emoji as one each', () => {
    expect(countCharacters('科技志愿')).toBe(4);
    expect(countCharacters('🌾🔬')).toBe(2);
    expect('🌾🔬'.length).toBe(4);
    expect(countCharacters('𠀀')).toBe(1); // a CJK Extension B character, outside the BMP
    expect(countCharacters('a\r\nb')).toBe(3);
  });
});

describe('excerpts of deeds for the public lists', () => {
  it('keeps a short text whole, without an ellipsis', () => {
    expect(excerpt('扎根乡村二十年。', 200)).toBe('扎根乡村二十年。');
  });

  it('ends a long text at its last sentence or clause break, then with an ellipsis', () => {
    const deeds = `${'组织科技志愿服务'.repeat(20)}，深入乡村开展培训${'惠及群众'.repeat(20)}`;
    const cut = excerpt(deeds, 200);
    expect(countCharacters(cut)).toBeLessThanOrEqual(200);
    expect(cut.endsWith('组织科技志愿服务……')).toBe(true);
  });

  it('cuts where the room ends when no break is near, still with an ellipsis', () => {
    const cut = excerpt('科'.repeat(500), 200);
    expect(cut).toBe(`${'科'.repeat(198)}……`);
    // Counted in code points: a character outside the BMP is never split.
    expect(excerpt('𠀀'.repeat(300), 200)).toBe(`${'𠀀'.repeat(198)}……`);
  });
});

describe('normalising names for matching', () => {
  it('folds width, spaces, case, middle dots and traditional characters', () => {
    expect(normaliseName('ＡＢＣ　Society')).toBe('abcsociety');
    expect(normaliseName(' 李  晓梅 ')).toBe('李晓梅');
    expect(normaliseName('阿卜杜•热合曼')).toBe(normaliseName('阿卜杜·热合曼'));
    expect(normaliseName('蘇州工藝美術學會')).toBe('苏州工艺美术学会');
  });

  it('measures edit distance in code points and stops past the limit', () => {
    expect(editDistance('李晓梅', '李晓玫')).toBe(1);
    expect(editDistance('李晓梅', '李梅')).toBe(1);
    expect(editDistance('🌾a', '🔬a')).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});

describe('calendar in China Standard Time', () => {
  it('reads the date in China at an instant', () => {
    expect(chinaDateAt(new Date('2025-02-12T16:00:00Z'))).toBe('2025-02-13');
    expect(chinaDateAt(new Date('2025-02-12T15:59:59Z'))).toBe('2025-02-12');
    expect(formatChinaTime(new Date('2025-02-12T16:00:00Z'))).toBe('2025-02-13 00:00 (UTC+8)');
  });

  it('insists on an offset in instants', () => {
    expect(parseInstant('2025-02-13T00:00:00+08:00').toISOString()).toBe('2025-02-12T16:00:00.000Z');
    expect(() => parseInstant('2025-02-13T00:00:00')).toThrow(RangeError);
  });

  it('counts completed years, with 29 February landing on 28 February', () => {
    expect(completedYears('2021-12-31', '2024-12-31')).toBe(3);
    expect(completedYears('2022-01-01', '2024-12-31')).toBe(2);
    expect(addYears('2020-02-29', 3)).toBe('2023-02-28');
    expect(completedYears('2020-02-29', '2023-02-28')).toBe(3);
    expect(completedYears('2020-02-29', '2023-02-27')).toBe(2);
    expect(completedYears('2025-01-01', '2024-12-31')).toBe(0);
  });
});

describe('year-months and dates as people write them', () => {
  it('reads 1978年5月, 1978.5, 1978/05, 1978-5 and full-width digits as 1978-05', () => {
    for (const text of [
      '1978-05',
      '1978-5',
      '1978年5月',
      '1978年05月',
      '1978.5',
      '1978/05',
      ' 1978 / 5 ',
      '１９７８年５月',
    ])
      expect(readYearMonth(text), text).toBe('1978-05');
    for (const text of ['1978', '1978-13', '1978年0月', '五月', '78.5', '1978-05-01', ''])
      expect(readYearMonth(text), text).toBeUndefined();
  });

  it('reads 2020年6月1日, 2020.6.1 and 2020/06/01 as 2020-06-01, and no date that does not exist', () => {
    for (const text of ['2020-06-01', '2020年6月1日', '2020.6.1', '2020/06/01'])
      expect(readCalendarDate(text), text).toBe('2020-06-01');
    for (const text of ['2021-02-29', '2020-06', '2020年6月', 'June 1'])
      expect(readCalendarDate(text), text).toBeUndefined();
  });
});
