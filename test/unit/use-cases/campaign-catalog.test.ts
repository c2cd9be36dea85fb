import { describe, expect, it } from 'vitest';
import type { CampaignCatalog } from '../../../functions/ports/campaign-catalog.js';
import type { Actor } from '../../../functions/rules/access.js';
import type { Campaign } from '../../../functions/rules/campaign.js';
import cacs2024 from '../../../functions/rules/campaigns/cacs-2024.json' with { type: 'json' };
import { BUILTIN_CAMPAIGNS } from '../../../functions/rules/campaigns/index.js';
import {
  childRounds,
  correctRound,
  createRound,
  listRounds,
  type RoundDeps,
  roundVersions,
  seedRounds,
  storeNewRound,
} from '../../../functions/use-cases/campaign-catalog.js';
import { memoryCampaignCatalog } from '../../support/memory/campaign-catalog.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * The rounds as stored: the built-in ones seeded once, a round created while Laurel runs (its
 * secretariat invited by e-mail), corrected in new versions (the old ones kept, the correction
 * checked against what units have submitted), listed, and the rounds forwarding into one.
 */

const NOW = '2025-02-01T01:00:00.000Z';
const OPS: Actor = {
  role: 'ops',
  campaignId: 'cast-2024',
  subjectId: 'ops-1',
  name: '运维',
  email: 'ops@cast.cn',
};
const CAST_SEC = secretariatOf('cast-2024');
const CACS_SEC = secretariatOf('cacs-2024');

/** The Chinese Society of Agronomy's round, as its secretariat would write it. */
const agronomy = (changes: Record<string, unknown> = {}) => ({
  ...cacs2024,
  id: 'csa-2024',
  name: { zh: '中国农学会2024年度推荐', en: 'Chinese Society of Agronomy round 2024' },
  organizer: {
    name: { zh: '中国农学会', en: 'Chinese Society of Agronomy' },
    office: { zh: '中国农学会科普部', en: 'CSA popular science department' },
  },
  ...changes,
});

const SECRETARIAT = { name: '农学会秘书处', email: 'office@csa.cn' };

/** A world whose catalog holds the built-in rounds at version 1, as seeded. */
function catalogWorld(catalog: CampaignCatalog = memoryCampaignCatalog(BUILTIN_CAMPAIGNS.values())) {
  const world = memoryWorld({ now: NOW });
  const deps: RoundDeps = { ...world.deps, catalog };
  return { world, deps, catalog };
}

/** The round definitions as stored, for a correction to start from. */
const cacsDefinition = (changes: Record<string, unknown> = {}) => ({ ...cacs2024, ...changes });

describe('seedRounds', () => {
  it('stores each built-in round as its version 1, by the system, once', async () => {
    const world = memoryWorld({ now: NOW });
    const catalog = memoryCampaignCatalog();
    const deps = { catalog, clock: world.clock };
    expect(await seedRounds(deps, BUILTIN_CAMPAIGNS.values())).toEqual({
      seeded: [...BUILTIN_CAMPAIGNS.keys()],
      present: [],
    });
    const [stored] = await catalog.versions('cacs-2024');
    expect(stored).toEqual({
      campaign: BUILTIN_CAMPAIGNS.get('cacs-2024'),
      version: 1,
      savedAt: NOW,
      savedBy: { role: 'system', subjectId: 'seed', name: 'Laurel' },
      note: '内置活动，系统初始化 · Built-in round, seeded',
      changed: [],
    });
    world.clock.advance(60_000);
    expect(await seedRounds(deps, BUILTIN_CAMPAIGNS.values())).toEqual({
      seeded: [],
      present: [...BUILTIN_CAMPAIGNS.keys()],
    });
    expect(await catalog.versions('cacs-2024')).toEqual([stored]);
  });

  it('never overwrites a round corrected since', async () => {
    const { deps, catalog, world } = catalogWorld();
    await correctRound(deps, OPS, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' }),
      basedOn: 1,
      note: '延期',
    });
    expect(await seedRounds({ catalog, clock: world.clock }, BUILTIN_CAMPAIGNS.values())).toEqual({
      seeded: [],
      present: [...BUILTIN_CAMPAIGNS.keys()],
    });
    const versions = await catalog.versions('cacs-2024');
    expect(versions.map((v) => [v.version, v.campaign.deadline])).toEqual([
      [1, '2025-02-14T00:00:00+08:00'],
      [2, '2025-02-20T00:00:00+08:00'],
    ]);
  });

  it('writes nothing for a round the catalog holds already', async () => {
    const world = memoryWorld({ now: NOW });
    const inner = memoryCampaignCatalog(BUILTIN_CAMPAIGNS.values());
    let writes = 0;
    const catalog: CampaignCatalog = {
      ...inner,
      save: async (entry) => {
        writes += 1;
        return inner.save(entry);
      },
    };
    await seedRounds({ catalog, clock: world.clock }, BUILTIN_CAMPAIGNS.values());
    expect(writes).toBe(0);
  });

  it('counts a round another start stored meanwhile as present', async () => {
    const world = memoryWorld({ now: NOW });
    const inner = memoryCampaignCatalog();
    // Another process seeds between this one's read and its write.
    const catalog: CampaignCatalog = {
      ...inner,
      current: async () => [],
      save: async (entry) => (await inner.save(entry)) && entry.campaign.id !== 'cast-2024',
    };
    expect(await seedRounds({ catalog, clock: world.clock }, BUILTIN_CAMPAIGNS.values())).toEqual({
      seeded: ['cacs-2024'],
      present: ['cast-2024'],
    });
  });
});

describe('createRound', () => {
  it('stores the round as version 1 and invites its secretariat by e-mail', async () => {
    const { deps, world, catalog } = catalogWorld();
    const created = await createRound(deps, OPS, {
      definition: agronomy(),
      secretariat: SECRETARIAT,
      note: '农学会内部推荐',
    });
    expect(created.round).toEqual({
      campaign: expect.objectContaining({ id: 'csa-2024', deadline: cacs2024.deadline }),
      version: 1,
      savedAt: NOW,
      savedBy: { role: 'ops', name: '运维' },
      note: '农学会内部推荐',
      changed: [],
    });
    expect(created.secretariat.sentTo).toBe('office@csa.cn');
    expect(Date.parse(created.secretariat.expiresAt)).toBeGreaterThan(Date.parse(NOW));
    const [mail] = world.outbox.to('office@csa.cn');
    expect(mail?.subject).toContain('秘书处登录链接');
    expect(mail?.text).toContain('中国农学会科普部邀请您以“秘书处”身份参加中国农学会2024年度推荐');
    const [stored] = await catalog.versions('csa-2024');
    expect(stored?.savedBy).toEqual({ role: 'ops', subjectId: 'ops-1', name: '运维' });
    expect(stored?.campaign.id).toBe('csa-2024');
  });

  it('takes an empty note when none is given', async () => {
    const { deps } = catalogWorld();
    const created = await createRound(deps, OPS, { definition: agronomy(), secretariat: SECRETARIAT });
    expect(created.round.note).toBe('');
  });

  it("lets a secretariat create a round forwarding into its own, and no other's", async () => {
    const { deps, catalog } = catalogWorld();
    const created = await createRound(deps, CAST_SEC, { definition: agronomy(), secretariat: SECRETARIAT });
    expect(created.round.savedBy).toEqual({ role: 'secretariat', name: '秘书处' });
    const forbidden = {
      code: 'FORBIDDEN',
      messages: { zh: '秘书处无权进行此操作', en: 'The secretariat role may not do this' },
    };
    await expect(
      createRound(deps, CACS_SEC, { definition: agronomy({ id: 'csb-2024' }), secretariat: SECRETARIAT }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      createRound(deps, CAST_SEC, {
        definition: agronomy({ id: 'csc-2024', forwardTo: null }),
        secretariat: SECRETARIAT,
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      createRound(deps, CAST_SEC, {
        definition: agronomy({ id: 'csd-2024', forwardTo: { campaignId: 7 } }),
        secretariat: SECRETARIAT,
      }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      createRound(
        deps,
        { ...CAST_SEC, role: 'unit' },
        { definition: agronomy({ id: 'cse-2024' }), secretariat: SECRETARIAT },
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await catalog.current()).map((v) => v.campaign.id).sort()).toEqual([
      'cacs-2024',
      'cast-2024',
      'csa-2024',
    ]);
  });

  it('refuses a taken id with a 409 naming the field, in both languages', async () => {
    const { deps, world } = catalogWorld();
    await expect(
      createRound(deps, OPS, { definition: agronomy({ id: 'cacs-2024' }), secretariat: SECRETARIAT }),
    ).rejects.toMatchObject({
      code: 'CAMPAIGN_EXISTS',
      kind: 'conflict',
      path: ['definition', 'id'],
      messages: { zh: '活动编号“cacs-2024”已被使用', en: 'A round "cacs-2024" exists already' },
    });
    expect(world.outbox.sent).toEqual([]);
  });

  it('refuses an id stored meanwhile by another function, before any mail', async () => {
    // The catalog holds csa-2024; this container's rounds do not know it yet.
    const stale = memoryCampaignCatalog([...BUILTIN_CAMPAIGNS.values(), agronomy() as unknown as Campaign]);
    const { deps, world } = catalogWorld(stale);
    await expect(
      createRound(deps, OPS, { definition: agronomy(), secretariat: SECRETARIAT }),
    ).rejects.toMatchObject({ code: 'CAMPAIGN_EXISTS', path: ['definition', 'id'] });
    expect(world.outbox.sent).toEqual([]);
  });

  it('refuses a broken definition with every problem by field, storing nothing', async () => {
    const { deps, catalog, world } = catalogWorld();
    const refused = createRound(deps, OPS, {
      definition: agronomy({ deadline: 'soon', forwardTo: { campaignId: 'nowhere', asUnitType: 'x' } }),
      secretariat: SECRETARIAT,
    });
    await expect(refused).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      kind: 'invalid',
      messages: {
        zh: expect.stringMatching(/^活动定义有 \d+ 处错误：/),
        en: expect.stringMatching(/^The round definition has \d+ error\(s\): /),
      },
    });
    const error = await refused.catch((e) => e);
    expect(error.details.issues.map((i: { path: unknown[] }) => i.path[0])).toContain('deadline');
    expect(await catalog.versions('csa-2024')).toEqual([]);
    expect(world.outbox.sent).toEqual([]);
  });

  it('refuses a taken id as taken even when the rest of the definition is broken', async () => {
    const { deps } = catalogWorld();
    await expect(
      createRound(deps, OPS, {
        definition: agronomy({ id: 'cast-2024', deadline: 'soon' }),
        secretariat: SECRETARIAT,
      }),
    ).rejects.toMatchObject({ code: 'CAMPAIGN_EXISTS', path: ['definition', 'id'] });
  });

  it('refuses a definition that is no object as a broken definition, whoever asks', async () => {
    const { deps } = catalogWorld();
    for (const actor of [OPS, CAST_SEC])
      await expect(
        createRound(deps, actor, { definition: null, secretariat: SECRETARIAT }),
      ).rejects.toMatchObject({
        code: actor === OPS ? 'VALIDATION_FAILED' : 'FORBIDDEN',
      });
  });

  it('refuses a request without its secretariat, naming the field', async () => {
    const { deps, catalog } = catalogWorld();
    const refused = await createRound(deps, OPS, { definition: agronomy() }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION_FAILED', path: ['secretariat'] });
    expect(refused.messages.en).toMatch(/^The round definition has 1 error\(s\): /);
    expect(await catalog.versions('csa-2024')).toEqual([]);
  });
});

describe('storeNewRound', () => {
  it("records who stored it (the operators' command) without inviting anyone", async () => {
    const { deps, world } = catalogWorld();
    const entry = await storeNewRound(
      deps,
      { role: 'ops', subjectId: 'cli', name: 'ops@host' },
      agronomy(),
      '命令行',
    );
    expect(entry).toMatchObject({
      version: 1,
      savedAt: NOW,
      savedBy: { role: 'ops', subjectId: 'cli', name: 'ops@host' },
      note: '命令行',
      changed: [],
    });
    expect(world.outbox.sent).toEqual([]);
  });

  it('refuses a definition that is not an object as a broken definition', async () => {
    const { deps } = catalogWorld();
    await expect(storeNewRound(deps, OPS, null, '')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(storeNewRound(deps, OPS, { id: 5 }, '')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

/** A unit of the arts-and-crafts round with a submitted nomination: it holds a quota slot. */
async function withSubmission(world: World) {
  world.clock.set('2025-02-01T09:00:00+08:00');
  const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
  return submitted(world, unit, 'volunteer');
}

describe('correctRound', () => {
  it('stores the next version with what changed, who changed it and why, keeping the old one', async () => {
    const { deps, catalog, world } = catalogWorld();
    world.clock.set('2025-02-03T02:00:00.000Z');
    const corrected = await correctRound(deps, CACS_SEC, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' }),
      basedOn: 1,
      note: '延长截止时间',
    });
    expect(corrected).toEqual({
      round: {
        campaign: expect.objectContaining({ id: 'cacs-2024', deadline: '2025-02-20T00:00:00+08:00' }),
        version: 2,
        savedAt: '2025-02-03T02:00:00.000Z',
        savedBy: { role: 'secretariat', name: '秘书处' },
        note: '延长截止时间',
        changed: ['deadline'],
      },
    });
    const versions = await catalog.versions('cacs-2024');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]?.savedBy).toEqual({ role: 'secretariat', subjectId: 'sec-cacs-2024', name: '秘书处' });
  });

  it('lets the secretariat of the round it forwards into correct it, and nobody else', async () => {
    const { deps } = catalogWorld();
    const definition = cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' });
    const forbidden = { code: 'FORBIDDEN', kind: 'forbidden' };
    await expect(
      correctRound(deps, secretariatOf('csa-2024'), 'cacs-2024', { definition, basedOn: 1, note: '改' }),
    ).rejects.toMatchObject(forbidden);
    await expect(
      correctRound(deps, { ...CACS_SEC, role: 'unit' }, 'cacs-2024', { definition, basedOn: 1, note: '改' }),
    ).rejects.toMatchObject(forbidden);
    // CAST's own round forwards nowhere: the arts-and-crafts secretariat may not change it.
    await expect(
      correctRound(deps, CACS_SEC, 'cast-2024', {
        definition: BUILTIN_CAMPAIGNS.get('cast-2024'),
        basedOn: 1,
        note: '改',
      }),
    ).rejects.toMatchObject(forbidden);
    const corrected = await correctRound(deps, CAST_SEC, 'cacs-2024', { definition, basedOn: 1, note: '改' });
    expect(corrected.round.version).toBe(2);
  });

  it('refuses a correction based on an old version, naming the current one', async () => {
    const { deps, catalog } = catalogWorld();
    const definition = cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' });
    await correctRound(deps, OPS, 'cacs-2024', { definition, basedOn: 1, note: '第一次' });
    await expect(
      correctRound(deps, OPS, 'cacs-2024', { definition, basedOn: 1, note: '第二次' }),
    ).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      kind: 'conflict',
      path: ['basedOn'],
      details: { version: 2 },
      messages: {
        zh: '活动已被他人修改，当前为第 2 版；请基于最新版本重新修改',
        en: 'The round was changed meanwhile (it is at version 2); start again from the latest version',
      },
    });
    await expect(
      correctRound(deps, OPS, 'cacs-2024', { definition, basedOn: 3, note: '第三次' }),
    ).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      details: { version: 2 },
    });
    expect((await catalog.versions('cacs-2024')).length).toBe(2);
  });

  it('refuses a round the catalog does not hold as changed meanwhile, at version 0', async () => {
    const { deps } = catalogWorld(memoryCampaignCatalog([BUILTIN_CAMPAIGNS.get('cast-2024') as Campaign]));
    await expect(
      correctRound(deps, OPS, 'cacs-2024', { definition: cacsDefinition(), basedOn: 1, note: '改' }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', details: { version: 0 } });
  });

  it('refuses when another correction is saved between the read and the write', async () => {
    const inner = memoryCampaignCatalog(BUILTIN_CAMPAIGNS.values());
    const { deps } = catalogWorld({ ...inner, save: async () => false });
    await expect(
      correctRound(deps, OPS, 'cacs-2024', { definition: cacsDefinition(), basedOn: 1, note: '改' }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', details: { version: 1 } });
  });

  it('refuses an unknown round as not found', async () => {
    const { deps } = catalogWorld();
    await expect(
      correctRound(deps, OPS, 'nowhere', { definition: cacsDefinition(), basedOn: 1, note: '改' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { zh: '活动“nowhere”不存在', en: 'No campaign "nowhere"' },
    });
  });

  it('refuses a request without a reason, naming the field', async () => {
    const { deps } = catalogWorld();
    await expect(
      correctRound(deps, OPS, 'cacs-2024', { definition: cacsDefinition(), basedOn: 1 }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['note'],
      messages: {
        zh: expect.stringMatching(/^活动定义有 1 处错误/),
        en: expect.stringMatching(/^The round definition has 1 error/),
      },
    });
  });

  it('refuses a broken definition by field', async () => {
    const { deps } = catalogWorld();
    await expect(
      correctRound(deps, OPS, 'cacs-2024', {
        definition: cacsDefinition({ deadline: 'soon' }),
        basedOn: 1,
        note: '改',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['deadline'] });
  });

  it('moves the deadline earlier while nothing is submitted, and not once a nomination holds a slot', async () => {
    const { deps, world, catalog } = catalogWorld();
    const earlier = cacsDefinition({ deadline: '2025-02-10T00:00:00+08:00' });
    const first = await correctRound(deps, OPS, 'cacs-2024', {
      definition: earlier,
      basedOn: 1,
      note: '提前',
    });
    expect(first.round.changed).toEqual(['deadline']);
    await withSubmission(world);
    const refused = correctRound(deps, OPS, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-09T00:00:00+08:00' }),
      basedOn: 2,
      note: '再提前',
    });
    await expect(refused).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['deadline'], code: 'deadline_earlier' }] },
    });
    expect((await catalog.versions('cacs-2024')).length).toBe(2);
  });

  it('does not count a draft as holding a slot', async () => {
    const { deps, world } = catalogWorld();
    const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
    const { createDraft } = await import('../../../functions/use-cases/nominations.js');
    await createDraft(world.deps, unit, { category: 'volunteer' });
    const corrected = await correctRound(deps, OPS, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-10T00:00:00+08:00' }),
      basedOn: 1,
      note: '提前',
    });
    expect(corrected.round.version).toBe(2);
  });

  it('counts every page of the round’s nominations, with the unit and category of each slot', async () => {
    const { deps } = catalogWorld();
    const requests: unknown[] = [];
    const listed = (unitId: string, status: string) => ({
      id: `n-${unitId}`,
      unitId,
      unitName: `单位${unitId}`,
      unitType: 'member',
      category: 'volunteer',
      status,
    });
    const pages: Record<string, { items: unknown[]; cursor?: string }> = {
      first: { items: [listed('a', 'submitted'), listed('b', 'draft')], cursor: 'next' },
      next: { items: [listed('c', 'submitted'), listed('d', 'submitted')] },
    };
    const store = {
      ...deps.store,
      page: async (campaignId: string, filter: unknown, request: { limit: number; cursor?: string }) => {
        requests.push({ campaignId, filter, request });
        return pages[request.cursor ?? 'first'];
      },
    } as unknown as RoundDeps['store'];
    const quota = { scope: 'total', limit: 2 };
    const unitTypes = cacs2024.unitTypes.map((t) => (t.id === 'member' ? { ...t, quota } : t));
    // Each member unit holds one slot: a total of 2 fits; a total of 0 does not, and names all three.
    const fits = await correctRound({ ...deps, store }, OPS, 'cacs-2024', {
      definition: cacsDefinition({ unitTypes }),
      basedOn: 1,
      note: '限额',
    });
    expect(fits.round.changed).toEqual(['unitTypes']);
    expect(requests).toEqual([
      { campaignId: 'cacs-2024', filter: {}, request: { limit: 100 } },
      { campaignId: 'cacs-2024', filter: {}, request: { limit: 100, cursor: 'next' } },
    ]);
    const none = cacs2024.unitTypes.map((t) =>
      t.id === 'member' ? { ...t, quota: { scope: 'total', limit: 0 } } : t,
    );
    const refused = await correctRound({ ...deps, store }, OPS, 'cacs-2024', {
      definition: cacsDefinition({ unitTypes: none }),
      basedOn: 2,
      note: '限额',
    }).catch((e) => e);
    expect(refused.details.issues).toEqual([
      expect.objectContaining({
        code: 'quota_below_use',
        path: ['unitTypes', 0, 'quota'],
        message: {
          zh: '名额不能降为 0：单位a（1）、单位c（1）、单位d（1） 已推荐超过此数',
          en: 'the quota cannot go down to 0: 单位a (1), 单位c (1), 单位d (1) already nominated more',
        },
      }),
    ]);
  });
});

describe('listRounds and roundVersions', () => {
  it('lists the current version of every round, by id', async () => {
    const { deps } = catalogWorld();
    await createRound(deps, OPS, { definition: agronomy({ id: 'abc-2024' }), secretariat: SECRETARIAT });
    await correctRound(deps, OPS, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' }),
      basedOn: 1,
      note: '延期',
    });
    const { rounds } = await listRounds(deps);
    expect(rounds.map((r) => [r.campaign.id, r.version, r.campaign.deadline])).toEqual([
      ['abc-2024', 1, cacs2024.deadline],
      ['cacs-2024', 2, '2025-02-20T00:00:00+08:00'],
      ['cast-2024', 1, BUILTIN_CAMPAIGNS.get('cast-2024')?.deadline],
    ]);
    expect(Object.keys(rounds[0] ?? {}).sort()).toEqual(['campaign', 'version']);
  });

  it("shows a round's versions oldest first, without the saver's id, to whoever may change it", async () => {
    const { deps } = catalogWorld();
    await correctRound(deps, OPS, 'cacs-2024', {
      definition: cacsDefinition({ deadline: '2025-02-20T00:00:00+08:00' }),
      basedOn: 1,
      note: '延期',
    });
    const { versions } = await roundVersions(deps, CAST_SEC, 'cacs-2024');
    expect(versions.map(({ campaign: _c, ...rest }) => rest)).toEqual([
      {
        version: 1,
        savedAt: '2025-01-01T00:00:00.000Z',
        savedBy: { role: 'system', name: 'Laurel' },
        note: 'seeded',
        changed: [],
      },
      {
        version: 2,
        savedAt: NOW,
        savedBy: { role: 'ops', name: '运维' },
        note: '延期',
        changed: ['deadline'],
      },
    ]);
    expect((await roundVersions(deps, CACS_SEC, 'cacs-2024')).versions.length).toBe(2);
    await expect(roundVersions(deps, secretariatOf('csa-2024'), 'cacs-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(roundVersions(deps, OPS, 'nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('childRounds', () => {
  it('lists the rounds forwarding into one, with what each has forwarded', async () => {
    const { deps } = catalogWorld();
    const store = {
      ...deps.store,
      counts: async (id: string): Promise<Record<string, number>> =>
        id === 'cacs-2024' ? { forwarded: 4 } : {},
    };
    const both = { ...deps, store };
    await createRound(both, OPS, { definition: agronomy(), secretariat: SECRETARIAT });
    const { rounds } = await childRounds(both, 'cast-2024');
    expect(rounds).toEqual([
      {
        campaignId: 'cacs-2024',
        name: cacs2024.name,
        organizer: cacs2024.organizer.name,
        deadline: cacs2024.deadline,
        version: 1,
        asUnitType: 'national-society',
        forwarded: 4,
      },
      {
        campaignId: 'csa-2024',
        name: { zh: '中国农学会2024年度推荐', en: 'Chinese Society of Agronomy round 2024' },
        organizer: { zh: '中国农学会', en: 'Chinese Society of Agronomy' },
        deadline: cacs2024.deadline,
        version: 1,
        asUnitType: 'national-society',
        forwarded: 0,
      },
    ]);
    expect((await childRounds(both, 'cacs-2024')).rounds).toEqual([]);
    await expect(childRounds(both, 'nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
