import { describe, expect, it } from 'vitest';
import { type FieldIssue, HonoureeImportError } from '../../functions/rules/errors.js';
import {
  buildHonoureeIndex,
  type Honouree,
  matchHonouree,
  parseHonoureeCsv,
} from '../../functions/rules/honourees.js';

/**
 * The past-honouree list (functions/rules/honourees.ts): each refusal of an imported CSV worded
 * in both languages, and where a near match starts and stops. Everything is computed inside the
 * test that reads it.
 */

const YEARS = { from: 2019, to: 2023 };
const HEADER = '姓名,单位,年度,类别';

function importRefusal(csv: string): HonoureeImportError {
  try {
    parseHonoureeCsv(csv, YEARS);
  } catch (error) {
    if (error instanceof HonoureeImportError) return error;
    throw error;
  }
  throw new Error('the list was imported');
}

const issuesOf = (csv: string) => importRefusal(csv).details.issues as FieldIssue[];

describe('a past-honouree CSV refused whole', () => {
  it('says where the CSV is malformed, in the words of the parser', () => {
    const issues = issuesOf(`${HEADER}\n"李四,甲单位,2020,volunteer\n`);
    expect(issues).toHaveLength(1);
    expect([issues[0]?.path, issues[0]?.code]).toEqual([[], 'csv_malformed']);
    expect(issues[0]?.message.zh).toMatch(/^CSV 格式错误：Quote Not Closed/);
    expect(issues[0]?.message.en).toMatch(/^Malformed CSV: Quote Not Closed/);
  });

  it('names the columns missing from the header', () => {
    expect(issuesOf('姓名,单位\n李四,甲单位\n')).toEqual([
      {
        path: [],
        code: 'csv_columns',
        message: {
          zh: 'CSV 须有表头：姓名、单位、年度、类别（缺少 year、category）',
          en: 'The CSV needs a header row: name, organization, year, category (missing year, category)',
        },
      },
    ]);
  });

  it('says the file is empty when it has no row', () => {
    for (const empty of ['', `${HEADER}\n`, '\n\n']) {
      expect(issuesOf(empty)).toEqual([
        {
          path: [],
          code: 'csv_columns',
          message: {
            zh: 'CSV 须有表头：姓名、单位、年度、类别（文件为空）',
            en: 'The CSV needs a header row: name, organization, year, category (the file is empty)',
          },
        },
      ]);
    }
  });

  it('reads headers whatever their case and spacing', () => {
    expect(parseHonoureeCsv(' NAME , Organization ,Year, 类别 \n李四,甲单位,2020,项目\n', YEARS)).toEqual([
      { name: '李四', organization: '甲单位', year: 2020, category: 'project' },
    ]);
    expect(parseHonoureeCsv('名称, 所在单位 ,年份,类别\n某服务队,,2019,组织\n', YEARS)).toEqual([
      { name: '某服务队', organization: '', year: 2019, category: 'organization' },
    ]);
  });
});

describe('a bad row of a past-honouree CSV', () => {
  it('is named by its line, each problem worded in both languages', () => {
    const issues = issuesOf(`${HEADER}\n李四,甲单位,2020,志愿者\n,乙单位,二〇二〇,奖项\n`);
    expect(issues).toEqual([
      {
        path: [3, 'name'],
        code: 'invalid_row',
        message: { zh: '第 3 行：姓名/名称为空', en: 'line 3: the name is empty' },
      },
      {
        path: [3, 'year'],
        code: 'invalid_row',
        message: {
          zh: '第 3 行：年度“二〇二〇”不在 2019—2023 之间',
          en: 'line 3: year "二〇二〇" is not within 2019–2023',
        },
      },
      {
        path: [3, 'category'],
        code: 'invalid_row',
        message: {
          zh: '第 3 行：类别“奖项”无法识别（可填：最美科技志愿者、最佳科技志愿服务组织、最佳科技志愿服务项目、最美科技志愿服务点（社区或村），或其简称）',
          en: 'line 3: category "奖项" is not recognised (use volunteer, organization, project, site or the Chinese names)',
        },
      },
    ]);
  });

  it('names the field an invisible character is in, in both languages', () => {
    const [inName, inUnit] = issuesOf(`${HEADER}\n李\u200B四,甲\u200B单位,2020,志愿者\n`);
    expect(inName?.path).toEqual([2, 'name']);
    expect(inName?.message.zh).toMatch(/^第 2 行：姓名\/名称第 2 个字符是/);
    expect(inName?.message.en).toMatch(/^line 2: name: character 2 is /);
    expect(inUnit?.path).toEqual([2, 'organization']);
    expect(inUnit?.message.zh).toMatch(/^第 2 行：单位第 2 个字符是/);
    expect(inUnit?.message.en).toMatch(/^line 2: organization: character 2 is /);
  });

  it('takes the first and the last year of the range, and refuses one outside either end', () => {
    const rows = parseHonoureeCsv(`${HEADER}\n甲,单位,2019,项目\n乙,单位,2023,项目\n`, YEARS);
    expect(rows.map((r) => r.year)).toEqual([2019, 2023]);
    expect(
      issuesOf(`${HEADER}\n甲,单位,2018,项目\n乙,单位,2024,项目\n丙,单位,2020.5,项目\n`).map((i) => i.path),
    ).toEqual([
      [2, 'year'],
      [3, 'year'],
      [4, 'year'],
    ]);
  });
});

describe('matching a nominee against the list', () => {
  const honouree = (name: string, organization: string): Honouree => ({
    name,
    organization,
    year: 2021,
    category: 'volunteer',
  });

  it('takes an organization missing on either side as the same one', () => {
    const index = buildHonoureeIndex([honouree('李晓梅', '')]);
    expect(matchHonouree(index, { name: '李晓梅', organization: '杭州市科协' }).kind).toBe('exact');
    const withUnit = buildHonoureeIndex([honouree('李晓梅', '杭州市科协')]);
    expect(matchHonouree(withUnit, { name: '李晓梅', organization: '' }).kind).toBe('exact');
    expect(matchHonouree(withUnit, { name: '李晓梅', organization: '宁波市科协' })).toEqual({
      kind: 'near',
      honouree: honouree('李晓梅', '杭州市科协'),
      reason: 'same-name-other-organization',
    });
  });

  it('looks for a similar name at an organization that contains the other, either way', () => {
    const index = buildHonoureeIndex([honouree('李晓梅', '杭州市科协')]);
    for (const organization of ['杭州市科协', '杭州市科协志愿服务队', '科协']) {
      expect(matchHonouree(index, { name: '李晓玫', organization })).toEqual({
        kind: 'near',
        honouree: honouree('李晓梅', '杭州市科协'),
        reason: 'similar-name',
      });
    }
    expect(matchHonouree(index, { name: '李晓玫', organization: '宁波市科协' })).toEqual({ kind: 'none' });
  });

  it('allows one character off in a name of up to nine, two from ten', () => {
    const nine = buildHonoureeIndex([honouree('甲乙丙丁戊己庚辛壬', '某单位')]);
    expect(matchHonouree(nine, { name: '甲乙丙丁戊己庚辛子', organization: '某单位' }).kind).toBe('near');
    expect(matchHonouree(nine, { name: '甲乙丙丁戊己庚子子', organization: '某单位' }).kind).toBe('none');
    const ten = buildHonoureeIndex([honouree('甲乙丙丁戊己庚辛壬癸', '某单位')]);
    expect(matchHonouree(ten, { name: '甲乙丙丁戊己庚辛子子', organization: '某单位' })).toMatchObject({
      kind: 'near',
      reason: 'similar-name',
    });
    expect(matchHonouree(ten, { name: '甲乙丙丁戊己庚子子子', organization: '某单位' }).kind).toBe('none');
    // The tolerance follows the nominee's name: nine characters, two off the ten-character honouree.
    expect(matchHonouree(ten, { name: '甲乙丙丁戊己庚辛子', organization: '某单位' }).kind).toBe('none');
  });

  it('looks for a similar name from two characters on, never one', () => {
    const index = buildHonoureeIndex([honouree('李梅', '某单位'), honouree('王', '某单位')]);
    expect(matchHonouree(index, { name: '李玫', organization: '某单位' }).kind).toBe('near');
    expect(matchHonouree(index, { name: '张', organization: '某单位' })).toEqual({ kind: 'none' });
    expect(matchHonouree(index, { name: '王', organization: '某单位' }).kind).toBe('exact');
  });
});
