import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { evaluateEligibility } from '../../functions/rules/eligibility.js';
import { HonoureeImportError } from '../../functions/rules/errors.js';
import { subjectOf } from '../../functions/rules/forms/index.js';
import { buildHonoureeIndex, matchHonouree, parseHonoureeCsv } from '../../functions/rules/honourees.js';
import { organization, volunteer } from '../fixtures/forms.js';

const cast = builtinCampaign('cast-2024');
const years = cast.eligibility.pastHonourYears;

const CSV = `\uFEFF姓名,单位,年度,类别
李晓梅,杭州市科技志愿服务总队,2021,最美科技志愿者
阿卜杜·热合曼,新疆科技馆志愿服务队,2022,volunteer
张伟,北京市朝阳区科协,2020,volunteer
中国工艺美术学会青年科技志愿服务队,,2023,最佳科技志愿服务组织
陳靜,蘇州工藝美術職業技術學院,2019,project
`;

const index = buildHonoureeIndex(parseHonoureeCsv(CSV, years));

describe('importing the 2019–2023 honouree list', () => {
  it('reads Chinese headers, a byte-order mark and categories by id or Chinese name', () => {
    const rows = parseHonoureeCsv(CSV, years);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      name: '李晓梅',
      organization: '杭州市科技志愿服务总队',
      year: 2021,
      category: 'volunteer',
    });
    expect(rows[3]?.category).toBe('organization');
  });

  it('reads English headers too', () => {
    const rows = parseHonoureeCsv('name,organization,year,category\nWang Fang,Some Unit,2019,site\n', years);
    expect(rows).toEqual([{ name: 'Wang Fang', organization: 'Some Unit', year: 2019, category: 'site' }]);
  });

  it('reports every bad row with its line number and imports nothing', () => {
    const bad =
      'name,organization,year,category\n李四,甲单位,2018,volunteer\n,乙单位,2020,volunteer\n王五,丙单位,2021,team\n';
    try {
      parseHonoureeCsv(bad, years);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HonoureeImportError);
      const issues = (error as HonoureeImportError).details.issues as {
        path: unknown[];
        message: { zh: string };
      }[];
      expect(issues.map((i) => i.path)).toEqual([
        [2, 'year'],
        [3, 'name'],
        [4, 'category'],
      ]);
      expect(issues[0]?.message.zh).toBe('第 2 行：年度“2018”不在 2019—2023 之间');
    }
  });

  it('refuses a file without the needed columns', () => {
    expect(() => parseHonoureeCsv('姓名,单位\n李四,甲\n', years)).toThrow(/missing year, category/);
    expect(() => parseHonoureeCsv('', years)).toThrow(HonoureeImportError);
  });
});

describe('matching nominations against past honourees', () => {
  it('excludes an exact match', () => {
    const match = matchHonouree(index, { name: '李晓梅', organization: '杭州市科技志愿服务总队' });
    expect(match).toMatchObject({ kind: 'exact', honouree: { year: 2021 } });
  });

  it('excludes an exact match written with full-width letters, extra spaces or traditional characters', () => {
    expect(matchHonouree(index, { name: ' 李 晓梅 ', organization: '杭州市科技志愿服务总队　' }).kind).toBe(
      'exact',
    );
    expect(matchHonouree(index, { name: '阿卜杜•热合曼', organization: '新疆科技馆志愿服务队' }).kind).toBe(
      'exact',
    );
    expect(matchHonouree(index, { name: '陈静', organization: '苏州工艺美术职业技术学院' }).kind).toBe(
      'exact',
    );
    const fullWidth = buildHonoureeIndex([
      { name: 'Wang Fang', organization: 'ABC Society', year: 2020, category: 'volunteer' },
    ]);
    expect(
      matchHonouree(fullWidth, { name: 'ＷＡＮＧ　ＦＡＮＧ', organization: 'ａｂｃ society' }).kind,
    ).toBe('exact');
  });

  it('flags the same name at another organization for a person to check', () => {
    expect(matchHonouree(index, { name: '张伟', organization: '上海市科协' })).toMatchObject({
      kind: 'near',
      reason: 'same-name-other-organization',
      honouree: { organization: '北京市朝阳区科协' },
    });
  });

  it('flags a name one character off at the same organization', () => {
    expect(matchHonouree(index, { name: '李晓玫', organization: '杭州市科技志愿服务总队' })).toMatchObject({
      kind: 'near',
      reason: 'similar-name',
      honouree: { name: '李晓梅' },
    });
  });

  it('does not match a different person at a different organization', () => {
    expect(matchHonouree(index, { name: '李晓玫', organization: '宁波市科协' })).toEqual({ kind: 'none' });
    expect(matchHonouree(index, { name: '赵六', organization: '杭州市科技志愿服务总队' })).toEqual({
      kind: 'none',
    });
  });

  it('feeds the eligibility results: exact fails, near passes but asks for review with the candidate', () => {
    const form = volunteer();
    const exact = evaluateEligibility(
      cast,
      'volunteer',
      form,
      matchHonouree(index, subjectOf('volunteer', form)),
    );
    expect(exact.at(-1)).toMatchObject({
      id: 'all.not-past-honouree',
      passed: false,
      figures: { matchedYear: 2021 },
    });
    expect(exact.at(-1)?.message.zh).toContain('2019—2023 年度入选者不再参加申报');

    const renamed = organization({ organizationName: '中国工艺美术学会青年科技志愿服务总队' });
    const near = evaluateEligibility(
      cast,
      'organization',
      renamed,
      matchHonouree(index, subjectOf('organization', renamed)),
    );
    expect(near.at(-1)).toMatchObject({
      id: 'all.not-past-honouree',
      passed: true,
      needsReview: true,
      figures: { candidateName: '中国工艺美术学会青年科技志愿服务队', candidateYear: 2023 },
    });
  });
});

describe('the import takes the spellings past lists use, and reports every row it cannot', () => {
  it.each([
    ['科技志愿者', 'volunteer'],
    ['志愿者类', 'volunteer'],
    ['“最美科技志愿者”', 'volunteer'],
    ['Outstanding S&T volunteer', 'volunteer'],
    ['科技志愿服务组织', 'organization'],
    ['组织', 'organization'],
    ['科技志愿服务项目', 'project'],
    ['项目', 'project'],
    ['PROJECT', 'project'],
    ['科技志愿服务点（社区或村）', 'site'],
    ['科技志愿服务点(社区或村)', 'site'],
    ['服务点', 'site'],
  ])('reads the category "%s" as %s', (spelling, category) => {
    const rows = parseHonoureeCsv(`姓名,单位,年度,类别\n李四,甲单位,2020,${spelling}\n`, years);
    expect(rows[0]?.category).toBe(category);
  });

  it('reports each row with an invisible character or an unknown category, by line', () => {
    const csv =
      '姓名,单位,年度,类别\n李\u200B四,甲单位,2020,志愿者\n王五,乙\u202E单位,2021,项目\n赵六,丙,2022,奖项\n';
    try {
      parseHonoureeCsv(csv, years);
      expect.unreachable();
    } catch (error) {
      const issues = (error as HonoureeImportError).details.issues as {
        path: unknown[];
        message: { zh: string };
      }[];
      expect(issues.map((i) => i.path)).toEqual([
        [2, 'name'],
        [3, 'organization'],
        [4, 'category'],
      ]);
      expect(issues[0]?.message.zh).toMatch(/^第 2 行：姓名\/名称第 2 个字符是零宽字符（U\+200B）/);
      expect(issues[2]?.message.zh).toContain('可填：最美科技志愿者');
    }
  });
});
