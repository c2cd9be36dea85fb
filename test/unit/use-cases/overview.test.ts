import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import { campaignOverview } from '../../../functions/use-cases/overview.js';
import { closeSubmissions, grantExtension } from '../../../functions/use-cases/secretariat.js';
import { memoryWorld } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * The campaign overview as the use case reads it from the stores: a unit's quota from the ledger
 * (or its own nominations where its type has no limit), its extension, the early close, the
 * parent round's contacts, the deletion date; the secretariat's counts. Who may read it, and
 * an unknown campaign a 404 for anyone.
 */

const CAST = secretariatOf('cast-2024');
const CACS = secretariatOf('cacs-2024');

describe('campaignOverview', () => {
  it('gives a unit whose type has a limit its slots from the ledger, and no counts', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await submitted(world, unit, 'volunteer');
    const overview = await campaignOverview(world.deps, unit, 'cast-2024');
    expect(overview.viewer).toEqual({
      role: 'unit',
      unitType: 'national-society',
      unitTypeName: { zh: '全国学会', en: 'National society' },
    });
    expect(overview.categories.map((c) => [c.id, c.quota?.used, c.quota?.remaining])).toEqual([
      ['volunteer', 1, 1],
      ['organization', 0, 2],
      ['project', 0, 2],
      ['site', 0, 2],
    ]);
    expect(overview.stats).toBeNull();
    expect(overview.deadline).toMatchObject({ extended: false, open: true, closedEarly: null });
    // CAST's round forwards nowhere: its own contacts only; nothing released, no deletion date.
    expect(overview.contacts.length).toBe(BUILTIN_CAMPAIGNS.get('cast-2024')?.contacts.length);
    expect(overview.privacy.erasureDueAt).toBeNull();
  });

  it("counts a unit's own nominations where its type has no limit, and adds the parent round's contacts", async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
    await submitted(world, unit, 'volunteer');
    await submitted(world, unit, 'volunteer');
    const overview = await campaignOverview(world.deps, unit, 'cacs-2024');
    expect(overview.categories.find((c) => c.id === 'volunteer')?.quota).toMatchObject({
      scope: 'unlimited',
      used: 2,
      limit: null,
    });
    expect(overview.categories.find((c) => c.id === 'site')?.quota).toMatchObject({ used: 0 });
    const [cacs, cast] = [BUILTIN_CAMPAIGNS.get('cacs-2024'), BUILTIN_CAMPAIGNS.get('cast-2024')];
    expect(overview.contacts.map((c) => c.office)).toEqual(
      [...(cacs?.contacts ?? []), ...(cast?.contacts ?? [])].map((c) => c.office),
    );
    expect(cast?.contacts.length).toBeGreaterThan(0);
  });

  it("shows a unit its own extension and the early close, and another unit neither's extension", async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const other = await inviteUnit(world, 'cast-2024', 'cas-bio', 'national-society', '中国生物学会');
    await grantExtension(world.deps, CAST, 'cast-2024', {
      unitId: 'cas-astro',
      until: '2025-02-28T00:00:00+08:00',
      reason: '材料盖章延误',
    });
    const extended = await campaignOverview(world.deps, unit, 'cast-2024');
    expect(extended.deadline).toMatchObject({ extended: true, closedEarly: null });
    expect((await campaignOverview(world.deps, other, 'cast-2024')).deadline.extended).toBe(false);
    await closeSubmissions(world.deps, CAST, 'cast-2024', { reason: '已收齐' });
    const closed = await campaignOverview(world.deps, other, 'cast-2024');
    expect(closed.deadline.open).toBe(false);
    expect(closed.deadline.closedEarly).toMatchObject({ reason: '已收齐' });
  });

  it('gives the secretariat the round’s counts', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await submitted(world, unit, 'volunteer');
    await submitted(world, unit, 'project');
    const overview = await campaignOverview(world.deps, CAST, 'cast-2024');
    expect(overview.viewer).toEqual({ role: 'secretariat', unitType: null, unitTypeName: null });
    expect(overview.categories.every((c) => c.quota === null)).toBe(true);
    expect(overview.stats?.byCategory.map((c) => [c.category, c.total, c.byStatus.submitted])).toEqual([
      ['volunteer', 1, 1],
      ['organization', 0, 0],
      ['project', 1, 1],
      ['site', 0, 0],
    ]);
  });

  it('names the deletion date once the round is released', async () => {
    const world = memoryWorld();
    const state = await world.deps.campaignStore.state('cast-2024');
    await world.deps.campaignStore.saveState({ ...state, releasedAt: '2025-06-01T02:00:00.000Z' });
    const overview = await campaignOverview(world.deps, CAST, 'cast-2024');
    // The round's retention after its release (functions/rules/retention.ts), in China time.
    expect(overview.privacy.erasureDueAt).toBe('2026-06-01T10:00:00+08:00');
  });

  it('is a 404 for an unknown campaign, whoever asks, and a 403 for anyone but its units and secretariat', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    for (const actor of [unit, CAST])
      await expect(campaignOverview(world.deps, actor, 'nowhere')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        messages: { zh: '活动“nowhere”不存在', en: 'No campaign "nowhere"' },
      });
    await expect(campaignOverview(world.deps, unit, 'cacs-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(campaignOverview(world.deps, CACS, 'cast-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      campaignOverview(world.deps, { ...CAST, role: 'expert' }, 'cast-2024'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
