import { describe, expect, it } from 'vitest';
import { type CampaignDefinition, loadCampaigns, quotaFitsWithin } from '../../functions/rules/campaign.js';
import { BUILTIN_CAMPAIGN_DEFINITIONS, builtinCampaign } from '../../functions/rules/campaigns/index.js';
import { CampaignDefinitionError } from '../../functions/rules/errors.js';
import { assertQuotaAvailable } from '../../functions/rules/quota.js';

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');
const castDefinition = BUILTIN_CAMPAIGN_DEFINITIONS[0] as CampaignDefinition;

describe('built-in campaigns', () => {
  it('define the CAST national round 2024 as the notice states it', () => {
    // "2月23日前": by the end of 23 February, China time.
    expect(cast.deadline).toBe('2025-02-24T00:00:00+08:00');
    expect(cast.corrections).toEqual({ days: 5, reminderHours: 48 });
    expect(cast.contacts.map((c) => c.office.zh)).toEqual([
      '中国科协宣传文化部',
      '中国科协农村专业技术服务中心',
    ]);
    expect(cast.contacts[1]?.email).toBe('jicengfuwuchu@163.com');
    expect(cast.referenceDate).toBe('2024-12-31');
    expect(cast.categories.map((c) => c.id)).toEqual(['volunteer', 'organization', 'project', 'site']);
    expect(Object.fromEntries(cast.unitTypes.map((u) => [u.id, u.quota]))).toEqual({
      'national-society': { scope: 'per-category', limit: 2 },
      'provincial-association': { scope: 'per-category', limit: 5 },
      'central-enterprise': { scope: 'per-category', limit: 2 },
      'direct-unit': { scope: 'total', limit: 5 },
    });
    // "不低于1M、不超过3M": 1M as commonly read (1,000,000 bytes), up to 3 MiB.
    expect(cast.attachments.photo).toEqual({ minBytes: 1_000_000, maxBytes: 3_145_728 });
    expect(cast.categories.find((c) => c.id === 'volunteer')?.photos).toEqual({ min: 2, max: 3 });
    expect(cast.categories.find((c) => c.id === 'site')?.photos).toEqual({ min: 2, max: 2 });
    expect(cast.forwardTo).toBeNull();
  });

  it('define the China Arts & Crafts Society round forwarding to CAST as a national society', () => {
    expect(cacs.deadline).toBe('2025-02-14T00:00:00+08:00');
    expect(cacs.contacts).toEqual([
      {
        office: { zh: '中国工艺美术学会秘书处', en: 'China Arts & Crafts Society secretariat' },
        people: ['孟曦'],
        phones: ['010-68396405'],
        email: 'kjdx2024@126.com',
      },
    ]);
    expect(cacs.forwardTo).toEqual({ campaignId: 'cast-2024', asUnitType: 'national-society' });
    expect(cacs.selection.quota).toEqual({ scope: 'per-category', limit: 2 });
    expect(cacs.unitTypes.every((u) => u.quota.scope === 'unlimited')).toBe(true);
  });

  it('carry a review rubric whose weights add up to 100 and the publicity period', () => {
    for (const c of [cast, cacs]) {
      expect(c.review.expertsPerNomination).toBe(3);
      expect(c.review.criteria.reduce((s, x) => s + x.weight, 0)).toBe(100);
    }
    // CAST's round publishes for seven days; the society's notice describes no publicity of its
    // own (its candidates are published in CAST's round), so its round carries none.
    expect(cast.publicity?.days).toBe(7);
    expect(cacs.publicity).toBeNull();
  });

  it('fill the notice thresholds as defaults', () => {
    expect(cast.eligibility).toMatchObject({
      minYearsOfService: 3,
      organizationMinVolunteers: 20,
      organizationMinRegularShare: 60,
      organizationMinBrandProjects: 2,
      organizationMinActivities: 50,
      projectMinVolunteers: 10,
      siteMinResidentsShare: 60,
      siteMinTeams: 5,
      siteMinActivityCategories: 5,
      pastHonourYears: { from: 2019, to: 2023 },
    });
  });
});

describe("another society's round, defined as data only", () => {
  // The Chinese Society of Agronomy's round: nothing but JSON, forwarding to CAST.
  const agronomy = {
    id: 'csa-2024',
    year: 2024,
    name: { zh: '中国农学会2024年度科技志愿服务先进典型推荐', en: 'Chinese Society of Agronomy round 2024' },
    organizer: {
      name: { zh: '中国农学会', en: 'Chinese Society of Agronomy' },
      office: { zh: '中国农学会秘书处', en: 'CSA secretariat' },
    },
    categories: [
      { id: 'volunteer', form: 'volunteer', photos: { min: 2, max: 3 } },
      { id: 'project', form: 'project', photos: { min: 2, max: 2 } },
    ],
    unitTypes: [
      {
        id: 'provincial-branch',
        name: { zh: '省级农学会', en: 'Provincial agronomy society' },
        quota: { scope: 'per-category', limit: 3 },
      },
      { id: 'member-unit', name: { zh: '会员单位', en: 'Member unit' }, quota: { scope: 'total', limit: 2 } },
    ],
    deadline: '2025-02-15T00:00:00+08:00',
    referenceDate: '2024-12-31',
    attachments: {
      photo: { minBytes: 1_048_576, maxBytes: 3_145_728 },
      scan: { maxBytes: 20_971_520 },
      word: { maxBytes: 10_485_760 },
    },
    review: {
      expertsPerNomination: 5,
      criteria: [
        { id: 'deeds', name: { zh: '事迹', en: 'Deeds' }, weight: 60, maxScore: 100 },
        { id: 'impact', name: { zh: '影响', en: 'Impact' }, weight: 40, maxScore: 100 },
      ],
      normalisation: 'z-score',
    },
    selection: { quota: { scope: 'per-category', limit: 2 } },
    forwardTo: { campaignId: 'cast-2024', asUnitType: 'national-society' },
    publicity: { days: 5 },
  };

  it('loads and applies its own quotas', () => {
    const campaigns = loadCampaigns([...BUILTIN_CAMPAIGN_DEFINITIONS, agronomy]);
    const csa = campaigns.get('csa-2024');
    expect(csa?.review.normalisation).toBe('z-score');
    if (!csa) throw new Error('not loaded');
    const two = [
      { category: 'volunteer' as const, status: 'submitted' as const },
      { category: 'project' as const, status: 'submitted' as const },
    ];
    expect(() => assertQuotaAvailable(csa, 'member-unit', 'volunteer', two)).toThrow(/at most 2 in total/);
    expect(assertQuotaAvailable(csa, 'provincial-branch', 'volunteer', two).remaining).toBe(2);
  });

  it('is refused, naming the field, when its selection exceeds what CAST gives a national society', () => {
    const greedy = { ...agronomy, selection: { quota: { scope: 'per-category', limit: 3 } } };
    expect(() => loadCampaigns([...BUILTIN_CAMPAIGN_DEFINITIONS, greedy])).toThrow(CampaignDefinitionError);
    try {
      loadCampaigns([...BUILTIN_CAMPAIGN_DEFINITIONS, greedy]);
    } catch (error) {
      expect((error as CampaignDefinitionError).path).toEqual(['selection', 'quota']);
      expect((error as CampaignDefinitionError).messages.zh).toContain('csa-2024');
    }
  });

  it.each([
    [
      'forwarding to an unknown round',
      { forwardTo: { campaignId: 'nope-2024', asUnitType: 'national-society' } },
      'forwardTo.campaignId',
    ],
    [
      'forwarding as an unknown unit type',
      { forwardTo: { campaignId: 'cast-2024', asUnitType: 'club' } },
      'forwardTo.asUnitType',
    ],
    ['a deadline after the parent round', { deadline: '2025-03-01T00:00:00+08:00' }, 'deadline'],
    ['a deadline without an offset', { deadline: '2025-02-15T00:00:00' }, 'deadline'],
    [
      'a category the forms do not know',
      { categories: [{ id: 'team', form: 'team', photos: { min: 2, max: 2 } }] },
      'categories.0.id',
    ],
    [
      'weights that do not add up to 100',
      { review: { ...agronomy.review, criteria: [agronomy.review.criteria[0]] } },
      'review.criteria',
    ],
    [
      'photo bounds reversed',
      { attachments: { ...agronomy.attachments, photo: { minBytes: 5, maxBytes: 4 } } },
      'attachments.photo',
    ],
    ['an unknown key', { quota: 3 }, 'quota'],
  ])('is refused with %s', (_what, change, path) => {
    try {
      loadCampaigns([...BUILTIN_CAMPAIGN_DEFINITIONS, { ...agronomy, ...change }]);
      expect.unreachable('the definition should be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(CampaignDefinitionError);
      expect((error as CampaignDefinitionError).path.join('.')).toBe(path);
    }
  });

  it('refuses two campaigns with the same id', () => {
    expect(() => loadCampaigns([castDefinition, castDefinition])).toThrow(/campaign id used twice/);
  });
});

describe('quota rules fitting within a parent quota', () => {
  it('compares per-category and total rules', () => {
    expect(quotaFitsWithin({ scope: 'per-category', limit: 2 }, { scope: 'per-category', limit: 2 })).toBe(
      true,
    );
    expect(quotaFitsWithin({ scope: 'per-category', limit: 3 }, { scope: 'per-category', limit: 2 })).toBe(
      false,
    );
    expect(quotaFitsWithin({ scope: 'total', limit: 5 }, { scope: 'total', limit: 5 })).toBe(true);
    expect(quotaFitsWithin({ scope: 'per-category', limit: 1 }, { scope: 'total', limit: 5 })).toBe(false);
    expect(quotaFitsWithin({ scope: 'unlimited' }, { scope: 'per-category', limit: 2 })).toBe(false);
    expect(quotaFitsWithin({ scope: 'unlimited' }, { scope: 'unlimited' })).toBe(true);
  });
});
