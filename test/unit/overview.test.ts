import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { NominationStatus } from '../../functions/rules/nomination-status.js';
import {
  campaignStats,
  countsDelta,
  countsOf,
  type NominationFigures,
  shapeOverview,
} from '../../functions/rules/overview.js';
import { campaignOverviewSchema } from '../../functions/rules/overview-schema.js';

const cast = builtinCampaign('cast-2024');
const cacs = builtinCampaign('cacs-2024');
const now = new Date('2025-01-20T01:00:00Z'); // 09:00 in China
const n = (category: CategoryId, status: NominationStatus, submittedAt?: string): NominationFigures => ({
  category,
  status,
  ...(submittedAt ? { submittedAt } : {}),
});

describe('campaign overview for a unit', () => {
  it("gives each category its unit type's quota with the slots the ledger holds", () => {
    const overview = shapeOverview({
      campaign: cast,
      viewer: { role: 'unit', unitType: 'national-society' },
      now,
      ledger: { volunteer: 2, project: 1 },
    });
    expect(campaignOverviewSchema.parse(overview)).toEqual(overview);
    expect(overview.campaign).toMatchObject({ id: 'cast-2024', round: 'national', forwardsTo: null });
    expect(overview.viewer).toEqual({
      role: 'unit',
      unitType: 'national-society',
      unitTypeName: { zh: '全国学会', en: 'National society' },
    });
    expect(overview.categories.map((c) => [c.id, c.quota?.used, c.quota?.remaining])).toEqual([
      ['volunteer', 2, 0],
      ['organization', 0, 2],
      ['project', 1, 1],
      ['site', 0, 2],
    ]);
    expect(overview.categories[0]?.name.zh).toBe('最美科技志愿者');
    expect(overview.stats).toBeNull();
  });

  it('counts a total quota over all categories from its one ledger item', () => {
    const overview = shapeOverview({
      campaign: cast,
      viewer: { role: 'unit', unitType: 'direct-unit' },
      now,
      ledger: { 'all-categories': 3 },
    });
    expect(overview.categories.every((c) => c.quota?.scope === 'total' && c.quota.used === 3)).toBe(true);
    expect(overview.categories[0]?.quota).toMatchObject({ limit: 5, remaining: 2 });
  });

  it("counts the unit's own nominations where its type has no limit (no ledger is kept)", () => {
    const overview = shapeOverview({
      campaign: cacs,
      viewer: { role: 'unit', unitType: 'member' },
      now,
      own: [n('site', 'submitted'), n('site', 'withdrawn'), n('site', 'draft')],
    });
    expect(overview.campaign).toMatchObject({ round: 'society', forwardsTo: 'cast-2024' });
    expect(overview.categories.find((c) => c.id === 'site')?.quota).toMatchObject({
      scope: 'unlimited',
      used: 1,
      limit: null,
    });
  });

  it('shows the deadline that applies to the unit, in China time, with the server time', () => {
    const plain = shapeOverview({
      campaign: cast,
      viewer: { role: 'unit', unitType: 'national-society' },
      now,
    });
    expect(plain.deadline).toEqual({
      at: '2025-02-24T00:00:00+08:00',
      campaignDeadline: '2025-02-24T00:00:00+08:00',
      extended: false,
      open: true,
      closedEarly: null,
    });
    expect(plain.contacts.map((c) => c.office.zh)).toEqual([
      '中国科协宣传文化部',
      '中国科协农村专业技术服务中心',
    ]);
    expect(plain.now).toBe('2025-01-20T09:00:00+08:00');
    const extended = shapeOverview({
      campaign: cast,
      viewer: { role: 'unit', unitType: 'national-society' },
      now: new Date('2025-02-25T02:30:05Z'),
      extension: { unitId: 'u', until: '2025-03-01T00:00:00+08:00', reason: '公章补办' },
    });
    expect(extended.deadline).toEqual({
      at: '2025-03-01T00:00:00+08:00',
      campaignDeadline: '2025-02-24T00:00:00+08:00',
      extended: true,
      open: true,
      closedEarly: null,
    });
    expect(extended.now).toBe('2025-02-25T10:30:05+08:00');
  });
});

describe('campaign statistics for the secretariat', () => {
  const nominations = [
    n('volunteer', 'draft'),
    n('volunteer', 'withdrawn'), // a withdrawn draft: never submitted
    n('volunteer', 'submitted', '2025-01-19T16:30:00Z'), // 00:30 on 20 January in China
    n('volunteer', 'in-review', '2025-01-20T03:00:00Z'),
    n('project', 'scored', '2025-01-22T01:00:00Z'),
    n('project', 'forwarded', '2025-01-22T02:00:00Z'),
    n('site', 'released', '2025-01-22T03:00:00Z'),
    n('site', 'withdrawn-after-objection', '2025-01-19T10:00:00Z'), // 18:00 on 19 January
    n('organization', 'rejected', '2025-01-19T11:00:00Z'),
  ];
  const stats = campaignStats(cast, countsOf(nominations));

  it('counts every status, zeros included, and each category by status', () => {
    expect(stats.total).toBe(9);
    expect(stats.byStatus).toHaveLength(13);
    expect(stats.byStatus.find((s) => s.status === 'draft')).toMatchObject({
      count: 1,
      name: { zh: '草稿', en: 'draft' },
    });
    expect(stats.byStatus.find((s) => s.status === 'selected')?.count).toBe(0);
    const volunteer = stats.byCategory.find((c) => c.category === 'volunteer');
    expect(volunteer).toMatchObject({ total: 4, submitted: 2 });
    expect(volunteer?.byStatus).toMatchObject({
      draft: 1,
      withdrawn: 1,
      submitted: 1,
      'in-review': 1,
      scored: 0,
    });
  });

  it('counts submissions per China-calendar day, listing the days between with zero', () => {
    expect(stats.submissionsPerDay).toEqual([
      { date: '2025-01-19', count: 2 },
      { date: '2025-01-20', count: 2 },
      { date: '2025-01-21', count: 0 },
      { date: '2025-01-22', count: 3 },
    ]);
    expect(campaignStats(cast, countsOf([n('site', 'draft')])).submissionsPerDay).toEqual([]);
  });

  it('counts the funnel by how far each nomination got', () => {
    expect(Object.fromEntries(stats.funnel.map((f) => [f.stage, f.count]))).toEqual({
      submitted: 7,
      'passed-screening': 5,
      reviewed: 4,
      selected: 3,
      published: 2,
      released: 1,
    });
  });

  it('is part of the overview only for the secretariat, which has no quota of its own', () => {
    const overview = shapeOverview({
      campaign: cast,
      viewer: { role: 'secretariat' },
      now,
      counts: countsOf(nominations),
    });
    expect(campaignOverviewSchema.parse(overview)).toEqual(overview);
    expect(overview.stats?.total).toBe(9);
    expect(overview.categories.every((c) => c.quota === null)).toBe(true);
    expect(overview.viewer).toEqual({ role: 'secretariat', unitType: null, unitTypeName: null });
  });
});

describe('the counts aggregate kept with each change', () => {
  it('moves a nomination between keys as it changes, and adds up to the counts of the nominations', () => {
    const draft = n('volunteer', 'draft');
    const sent = n('volunteer', 'submitted', '2025-01-19T16:30:00Z');
    const resent = n('volunteer', 'submitted', '2025-01-22T01:00:00Z');
    expect(countsDelta(undefined, draft)).toEqual({ draft: 1, 'draft#volunteer': 1 });
    expect(countsDelta(draft, sent)).toEqual({
      draft: -1,
      'draft#volunteer': -1,
      submitted: 1,
      'submitted#volunteer': 1,
      'ever-submitted#volunteer': 1,
      'day#2025-01-20': 1,
    });
    // A resubmission moves the day; a save that changes nothing counted adds nothing.
    expect(countsDelta(sent, resent)).toEqual({ 'day#2025-01-20': -1, 'day#2025-01-22': 1 });
    expect(countsDelta(resent, { ...resent })).toEqual({});
    const added: Record<string, number> = {};
    for (const [before, after] of [
      [undefined, draft],
      [draft, sent],
      [sent, resent],
    ] as const)
      for (const [k, v] of Object.entries(countsDelta(before, after))) added[k] = (added[k] ?? 0) + v;
    expect(Object.fromEntries(Object.entries(added).filter(([, v]) => v !== 0))).toEqual(countsOf([resent]));
  });
});
