import { describe, expect, it } from 'vitest';
import {
  assertCategoryInCampaign,
  type Campaign,
  campaignIn,
  definitionIssues,
  loadCampaigns,
  quotaFitsWithin,
  summaryTitleOf,
} from '../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGN_DEFINITIONS, BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { CampaignDefinitionError, DomainError, type FieldIssue } from '../../functions/rules/errors.js';

/**
 * What an organizer's round definition is checked for, each problem named in both languages
 * (functions/rules/campaign.ts): its own consistency, the round it forwards to, the rounds that
 * forward to it. Every definition is built inside the test that reads it.
 */

/** A valid society round forwarding to CAST's 2024 round as a national society. */
function societyRound(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'csa-2024',
    year: 2024,
    name: { zh: '中国农学会2024年度推荐', en: 'CSA round 2024' },
    organizer: {
      name: { zh: '中国农学会', en: 'Chinese Society of Agronomy' },
      office: { zh: '中国农学会秘书处', en: 'CSA secretariat' },
    },
    categories: [
      { id: 'volunteer', form: 'volunteer', photos: { min: 2, max: 3 } },
      { id: 'project', form: 'project', photos: { min: 2, max: 2 } },
    ],
    unitTypes: [
      { id: 'branch', name: { zh: '分会', en: 'Branch' }, quota: { scope: 'per-category', limit: 3 } },
      { id: 'member', name: { zh: '会员单位', en: 'Member unit' }, quota: { scope: 'total', limit: 2 } },
    ],
    deadline: '2025-02-15T00:00:00+08:00',
    referenceDate: '2024-12-31',
    attachments: {
      photo: { minBytes: 1_048_576, maxBytes: 3_145_728 },
      scan: { maxBytes: 20_971_520 },
      word: { maxBytes: 10_485_760 },
    },
    review: {
      expertsPerNomination: 3,
      criteria: [
        { id: 'deeds', name: { zh: '事迹', en: 'Deeds' }, weight: 60, maxScore: 100 },
        { id: 'impact', name: { zh: '影响', en: 'Impact' }, weight: 40, maxScore: 100 },
      ],
    },
    selection: { quota: { scope: 'per-category', limit: 2 } },
    forwardTo: { campaignId: 'cast-2024', asUnitType: 'national-society' },
    ...change,
  };
}

/** The issues of a definition checked against the built-in rounds. */
function issuesOf(
  definition: unknown,
  known: ReadonlyMap<string, Campaign> = BUILTIN_CAMPAIGNS,
): FieldIssue[] {
  return definitionIssues(definition, known).issues;
}

function refusal(definitions: unknown[]): CampaignDefinitionError {
  try {
    loadCampaigns(definitions);
  } catch (error) {
    if (error instanceof CampaignDefinitionError) return error;
    throw error;
  }
  throw new Error('the definitions were accepted');
}

function thrown(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('a round definition on its own', () => {
  it('has no issue when it is consistent, and comes back parsed with its defaults', () => {
    const { campaign, issues } = definitionIssues(societyRound(), BUILTIN_CAMPAIGNS);
    expect(issues).toEqual([]);
    expect(campaign?.id).toBe('csa-2024');
    expect(campaign?.attachments.scan).toEqual({ minBytes: 1, maxBytes: 20_971_520 });
  });

  it('names each category, unit type and criterion listed twice', () => {
    const round = societyRound() as {
      categories: unknown[];
      unitTypes: unknown[];
      review: { criteria: { weight: number }[] };
    };
    const deeds = { id: 'deeds', name: { zh: '事迹', en: 'Deeds' }, weight: 30, maxScore: 100 };
    const issues = issuesOf({
      ...round,
      categories: [...round.categories, round.categories[0]],
      unitTypes: [...round.unitTypes, round.unitTypes[1]],
      review: { ...round.review, criteria: [deeds, deeds, { ...deeds, id: 'impact', weight: 40 }] },
    });
    expect(issues).toEqual([
      {
        path: ['categories'],
        code: 'duplicate',
        message: { zh: '类别 volunteer 重复', en: 'category volunteer is listed twice' },
      },
      {
        path: ['unitTypes'],
        code: 'duplicate',
        message: { zh: '推荐单位类型 member 重复', en: 'unit type member is listed twice' },
      },
      {
        path: ['review', 'criteria'],
        code: 'duplicate',
        message: { zh: '评审指标 deeds 重复', en: 'criterion deeds is listed twice' },
      },
    ]);
  });

  it("refuses a category whose form is another category's", () => {
    const issues = issuesOf(
      societyRound({ categories: [{ id: 'volunteer', form: 'project', photos: { min: 2, max: 3 } }] }),
    );
    expect(issues).toEqual([
      {
        path: ['categories', 0, 'form'],
        code: 'form_mismatch',
        message: { zh: '推荐表与类别不符', en: 'form project is not a form of category volunteer' },
      },
    ]);
  });

  it('refuses more photos required than allowed, and accepts a minimum equal to the maximum', () => {
    const photos = (min: number, max: number) =>
      societyRound({ categories: [{ id: 'volunteer', form: 'volunteer', photos: { min, max } }] });
    expect(issuesOf(photos(3, 2))).toEqual([
      {
        path: ['categories', 0, 'photos'],
        code: 'range',
        message: { zh: '照片数量下限大于上限', en: 'photo minimum exceeds maximum' },
      },
    ]);
    expect(issuesOf(photos(2, 2))).toEqual([]);
  });

  it('refuses a file size minimum above its maximum, for each kind of file, the consent scan included', () => {
    const base = societyRound() as { attachments: Record<string, unknown> };
    for (const kind of ['photo', 'scan', 'word', 'consent']) {
      const issues = issuesOf({
        ...base,
        attachments: { ...base.attachments, [kind]: { minBytes: 11, maxBytes: 10 } },
      });
      expect(issues).toEqual([
        {
          path: ['attachments', kind],
          code: 'range',
          message: { zh: '文件大小下限大于上限', en: 'size minimum exceeds maximum' },
        },
      ]);
      expect(
        issuesOf({ ...base, attachments: { ...base.attachments, [kind]: { minBytes: 10, maxBytes: 10 } } }),
      ).toEqual([]);
    }
  });

  it('says what the weights add up to when it is not 100', () => {
    const issues = issuesOf(
      societyRound({
        review: {
          expertsPerNomination: 3,
          criteria: [{ id: 'deeds', name: { zh: '事迹', en: 'Deeds' }, weight: 99.5, maxScore: 10 }],
        },
      }),
    );
    expect(issues).toEqual([
      {
        path: ['review', 'criteria'],
        code: 'weights_sum',
        message: { zh: '权重之和应为 100，现为 99.5', en: 'weights must add up to 100, not 99.5' },
      },
    ]);
  });

  it('refuses a reversed range of past honour years, and accepts a single year', () => {
    const years = (from: number, to: number) =>
      societyRound({ eligibility: { pastHonourYears: { from, to } } });
    expect(issuesOf(years(2023, 2019))).toEqual([
      {
        path: ['eligibility', 'pastHonourYears'],
        code: 'range',
        message: { zh: '年份范围无效', en: 'year range is reversed' },
      },
    ]);
    expect(issuesOf(years(2023, 2023))).toEqual([]);
  });

  it('refuses a reference date after the deadline, and accepts one on the deadline day', () => {
    expect(issuesOf(societyRound({ referenceDate: '2025-02-15' }))).toEqual([
      {
        path: ['referenceDate'],
        code: 'after_deadline',
        message: { zh: '基准日期晚于截止时间', en: 'reference date is after the deadline' },
      },
    ]);
    // The deadline 2025-02-15T00:00+08:00 is 2025-02-14 in UTC: the day it is read on.
    expect(issuesOf(societyRound({ referenceDate: '2025-02-14' }))).toEqual([]);
  });

  it('answers the shape issues, each naming its field, without a parsed campaign', () => {
    const { campaign, issues } = definitionIssues(societyRound({ year: 1999 }), BUILTIN_CAMPAIGNS);
    expect(campaign).toBeUndefined();
    expect(issues.map((i) => [i.path, i.code])).toEqual([[['year'], 'too_small']]);
    expect(issues[0]?.message.en).toContain('must be at least 2000');
  });
});

describe('a round that forwards', () => {
  it('names a parent round that does not exist, and nothing else about it', () => {
    expect(issuesOf(societyRound({ forwardTo: { campaignId: 'nope-2024', asUnitType: 'x' } }))).toEqual([
      {
        path: ['forwardTo', 'campaignId'],
        code: 'unknown_campaign',
        message: { zh: '上级活动“nope-2024”不存在', en: 'no campaign nope-2024' },
      },
    ]);
  });

  it('refuses a deadline after the parent round’s, naming both in China time, and accepts the same instant', () => {
    expect(issuesOf(societyRound({ deadline: '2025-02-24T00:01:00+08:00' }))).toEqual([
      {
        path: ['deadline'],
        code: 'after_parent_deadline',
        message: {
          zh: '截止时间 2025-02-24 00:01 (UTC+8) 晚于上级活动（2024年度科技志愿服务先进典型宣传活动）的截止时间 2025-02-23 24:00 (UTC+8)',
          en: 'the deadline 2025-02-24 00:01 (UTC+8) is after that of 2024 S&T volunteer service models (CAST national round) (2025-02-23 24:00 (UTC+8))',
        },
      },
    ]);
    expect(issuesOf(societyRound({ deadline: '2025-02-24T00:00:00+08:00' }))).toEqual([]);
  });

  it('names a unit type the parent round does not have', () => {
    expect(issuesOf(societyRound({ forwardTo: { campaignId: 'cast-2024', asUnitType: 'club' } }))).toEqual([
      {
        path: ['forwardTo', 'asUnitType'],
        code: 'unknown_unit_type',
        message: {
          zh: '上级活动无此推荐单位类型“club”',
          en: '2024 S&T volunteer service models (CAST national round) has no unit type club',
        },
      },
    ]);
  });

  it.each([
    [{ scope: 'per-category', limit: 3 }, '每类 3 个', '3 per category'],
    [{ scope: 'total', limit: 9 }, '共 9 个', '9 in total'],
    [{ scope: 'unlimited' }, '不限', 'unlimited'],
  ])('words a selection quota %j that exceeds the parent’s', (quota, zh, en) => {
    expect(issuesOf(societyRound({ selection: { quota } }))).toEqual([
      {
        path: ['selection', 'quota'],
        code: 'exceeds_parent_quota',
        message: {
          zh: `择优推荐名额（${zh}）超过上级活动（2024年度科技志愿服务先进典型宣传活动）给全国学会的名额（每类 2 个）`,
          en: `the selection quota (${en}) exceeds what 2024 S&T volunteer service models (CAST national round) gives a National society (2 per category)`,
        },
      },
    ]);
  });

  it('words the parent’s total quota when a selection exceeds it', () => {
    expect(
      issuesOf(
        societyRound({
          selection: { quota: { scope: 'total', limit: 6 } },
          forwardTo: { campaignId: 'cast-2024', asUnitType: 'direct-unit' },
        }),
      ).map((i) => i.message),
    ).toEqual([
      {
        zh: '择优推荐名额（共 6 个）超过上级活动（2024年度科技志愿服务先进典型宣传活动）给中国科协有关直属单位的名额（共 5 个）',
        en: 'the selection quota (6 in total) exceeds what 2024 S&T volunteer service models (CAST national round) gives a CAST directly affiliated unit (5 in total)',
      },
    ]);
  });

  it('must ask for the consent scan when its parent does', () => {
    const parent = { ...(BUILTIN_CAMPAIGN_DEFINITIONS[0] as object), privacy: { consentScan: true } };
    const known = loadCampaigns([parent]);
    expect(issuesOf(societyRound(), known)).toEqual([
      {
        path: ['privacy', 'consentScan'],
        code: 'parent_requires_consent_scan',
        message: {
          zh: '上级活动（2024年度科技志愿服务先进典型宣传活动）要求被推荐人签字的知情同意书扫描件，本活动也须要求',
          en: "cast-2024 requires the nominee's signed consent scan: so must this round",
        },
      },
    ]);
    expect(issuesOf(societyRound({ privacy: { consentScan: true } }), known)).toEqual([]);
  });

  it('names each category the parent round does not run', () => {
    const parent = {
      ...(BUILTIN_CAMPAIGN_DEFINITIONS[0] as { categories: { id: string }[] }),
      categories: [{ id: 'project', form: 'project', photos: { min: 2, max: 2 } }],
    };
    expect(issuesOf(societyRound(), loadCampaigns([parent]))).toEqual([
      {
        path: ['categories', 0, 'id'],
        code: 'unknown_in_parent',
        message: {
          zh: '上级活动（2024年度科技志愿服务先进典型宣传活动）没有该类别',
          en: '2024 S&T volunteer service models (CAST national round) has no category Outstanding S&T volunteer',
        },
      },
    ]);
  });
});

describe('a parent round changed under the rounds that forward to it', () => {
  it('names each child round that would no longer fit, on the parent’s own field', () => {
    const cast = BUILTIN_CAMPAIGN_DEFINITIONS[0] as { deadline: string; unitTypes: { id: string }[] };
    const issues = issuesOf({
      ...cast,
      deadline: '2025-02-10T00:00:00+08:00',
      unitTypes: cast.unitTypes.filter((u) => u.id !== 'national-society'),
    });
    expect(issues).toEqual([
      {
        path: ['deadline'],
        code: 'child_after_parent_deadline',
        message: {
          zh: '下级活动“工艺美术领域2024年度科技志愿服务先进典型推荐”将不再符合：截止时间 2025-02-13 24:00 (UTC+8) 晚于上级活动（2024年度科技志愿服务先进典型宣传活动）的截止时间 2025-02-09 24:00 (UTC+8)',
          en: '2024 S&T volunteer service models, arts and crafts (China Arts & Crafts Society round), which forwards to this one, would no longer fit: the deadline 2025-02-13 24:00 (UTC+8) is after that of 2024 S&T volunteer service models (CAST national round) (2025-02-09 24:00 (UTC+8))',
        },
      },
      {
        path: ['unitTypes'],
        code: 'child_unknown_unit_type',
        message: {
          zh: '下级活动“工艺美术领域2024年度科技志愿服务先进典型推荐”将不再符合：上级活动无此推荐单位类型“national-society”',
          en: '2024 S&T volunteer service models, arts and crafts (China Arts & Crafts Society round), which forwards to this one, would no longer fit: 2024 S&T volunteer service models (CAST national round) has no unit type national-society',
        },
      },
    ]);
  });

  it('has nothing to say about the known rounds that forward elsewhere', () => {
    // The built-in parent round, unchanged: its child still fits.
    expect(issuesOf(BUILTIN_CAMPAIGN_DEFINITIONS[0])).toEqual([]);
    // A known round whose own parent is missing is not this round's concern.
    const orphan = BUILTIN_CAMPAIGNS.get('cacs-2024') as Campaign;
    const known = new Map([[orphan.id, orphan]]);
    expect(issuesOf(societyRound({ id: 'csa-2024', forwardTo: null }), known)).toEqual([]);
  });

  it('is not its own child: a round forwarding to itself is checked once', () => {
    const selfish = societyRound({
      forwardTo: { campaignId: 'csa-2024', asUnitType: 'branch' },
    });
    const known = loadCampaigns([selfish]);
    expect(issuesOf({ ...selfish, deadline: '2025-02-10T00:00:00+08:00' }, known)).toEqual([]);
  });
});

describe('loading a set of round definitions', () => {
  it('names a definition without an id by its place in the list', () => {
    const { id: _, ...anonymous } = societyRound();
    expect(refusal([anonymous]).messages.en).toMatch(/^Campaign definition "#0" is invalid: id /);
  });

  it('refuses an inconsistent definition, naming it and the field', () => {
    const error = refusal([societyRound({ eligibility: { pastHonourYears: { from: 2023, to: 2019 } } })]);
    expect(error.code).toBe('CAMPAIGN_DEFINITION_INVALID');
    expect(error.path).toEqual(['eligibility', 'pastHonourYears']);
    expect(error.messages).toEqual({
      zh: '活动定义“csa-2024”无效：eligibility.pastHonourYears 年份范围无效',
      en: 'Campaign definition "csa-2024" is invalid: eligibility.pastHonourYears year range is reversed',
    });
  });

  it('refuses the same id twice, on the id field, in both languages', () => {
    const error = refusal([...BUILTIN_CAMPAIGN_DEFINITIONS, BUILTIN_CAMPAIGN_DEFINITIONS[1]]);
    expect(error.path).toEqual(['id']);
    expect(error.details.issues).toEqual([
      { path: ['id'], code: 'duplicate', message: { zh: '活动编号重复', en: 'campaign id used twice' } },
    ]);
  });

  it('checks forwarding once every round is known, whatever their order', () => {
    const loaded = loadCampaigns([societyRound(), ...BUILTIN_CAMPAIGN_DEFINITIONS]);
    expect([...loaded.keys()]).toEqual(['csa-2024', 'cast-2024', 'cacs-2024']);
    expect(refusal([societyRound({ selection: { quota: { scope: 'total', limit: 3 } } })]).path).toEqual([
      'forwardTo',
      'campaignId',
    ]);
  });
});

describe('a total quota within a parent quota', () => {
  it('fits a total of at most the parent’s total, never a per-category quota', () => {
    expect(quotaFitsWithin({ scope: 'total', limit: 4 }, { scope: 'total', limit: 5 })).toBe(true);
    expect(quotaFitsWithin({ scope: 'total', limit: 6 }, { scope: 'total', limit: 5 })).toBe(false);
    expect(quotaFitsWithin({ scope: 'per-category', limit: 5 }, { scope: 'total', limit: 5 })).toBe(false);
    expect(quotaFitsWithin({ scope: 'total', limit: 2 }, { scope: 'per-category', limit: 2 })).toBe(true);
    expect(quotaFitsWithin({ scope: 'total', limit: 0 }, { scope: 'unlimited' })).toBe(true);
  });
});

describe('the summary table title', () => {
  it('is the notice’s own words when given', () => {
    expect(summaryTitleOf({ name: { zh: '某某推荐' }, summaryTitle: '某某汇总表' })).toBe('某某汇总表');
  });

  it('adds 推荐汇总表 to the name, without repeating a 推荐 it ends with', () => {
    expect(summaryTitleOf({ name: { zh: '2025年度先进典型' } })).toBe('2025年度先进典型推荐汇总表');
    expect(summaryTitleOf({ name: { zh: '2025年度先进典型推荐' }, summaryTitle: '' })).toBe(
      '2025年度先进典型推荐汇总表',
    );
    expect(summaryTitleOf({ name: { zh: '推荐2025年度先进典型' } })).toBe('推荐2025年度先进典型推荐汇总表');
  });
});

describe('a campaign and its categories', () => {
  it('refuses a category the round does not run, naming it on the category field', () => {
    const cacs = campaignIn(BUILTIN_CAMPAIGNS, 'cacs-2024');
    const round = { ...cacs, categories: cacs.categories.filter((c) => c.id !== 'site') };
    expect(() => assertCategoryInCampaign(round, 'volunteer')).not.toThrow();
    const error = thrown(() => assertCategoryInCampaign(round, 'site'));
    expect([error.code, error.kind, error.path]).toEqual([
      'CATEGORY_NOT_IN_CAMPAIGN',
      'invalid',
      ['category'],
    ]);
    expect(error.messages).toEqual({
      zh: '本次活动不评选“最美科技志愿服务点（社区或村）”',
      en: 'This campaign has no category "Outstanding S&T volunteer service site (community or village)"',
    });
  });

  it('finds a known round by its id, and answers a 404 naming an unknown one', () => {
    expect(campaignIn(BUILTIN_CAMPAIGNS, 'cast-2024').year).toBe(2024);
    const error = thrown(() => campaignIn(BUILTIN_CAMPAIGNS, 'nope-2024'));
    expect([error.code, error.kind]).toEqual(['NOT_FOUND', 'not-found']);
    expect(error.messages).toEqual({ zh: '活动“nope-2024”不存在', en: 'No campaign "nope-2024"' });
  });
});
