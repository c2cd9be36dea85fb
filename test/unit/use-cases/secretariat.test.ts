import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/rules/access.js';
import type { DomainError } from '../../../functions/rules/errors.js';
import {
  campaignFor,
  closeSubmissions,
  grantExtension,
  importHonourees,
  listNominations,
} from '../../../functions/use-cases/secretariat.js';
import { memoryWorld } from '../../support/memory/index.js';
import { secretariatOf } from '../../support/memory/people.js';

/**
 * The secretariat's console use cases (functions/use-cases/secretariat.ts) that a mutation pass
 * found reached only on their happy path: whose campaign it is, the honouree import, an
 * extension bounded by the parent round, and the early close repeated.
 */

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

const CAST = secretariatOf('cast-2024');
const CACS = secretariatOf('cacs-2024');

describe('campaignFor', () => {
  it("gives a secretariat its own campaign only; another's is forbidden, an unknown one not found", async () => {
    const world = memoryWorld();
    expect(campaignFor(world.deps, CAST, 'cast-2024').id).toBe('cast-2024');
    expect(() => campaignFor(world.deps, CAST, 'cacs-2024')).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    const unit: Actor = {
      role: 'unit',
      campaignId: 'cast-2024',
      subjectId: 'u',
      name: 'U',
      email: 'u@units.cn',
    };
    expect(() => campaignFor(world.deps, unit, 'cast-2024')).toThrow(
      expect.objectContaining({ kind: 'forbidden' }),
    );
    const stray = secretariatOf('no-such-round');
    expect(() => campaignFor(world.deps, stray, 'no-such-round')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', kind: 'not-found' }),
    );
    const unknown = await refusal((async () => campaignFor(world.deps, stray, 'no-such-round'))());
    expect(unknown.messages.zh).toContain('活动');
    expect(unknown.messages.en).toContain('campaign');
  });

  it("lists a campaign's nominations for its own secretariat only, naming a malformed filter", async () => {
    const world = memoryWorld();
    expect(await listNominations(world.deps, CAST, 'cast-2024', undefined)).toMatchObject({
      nominations: [],
    });
    expect((await refusal(listNominations(world.deps, CACS, 'cast-2024', {}))).kind).toBe('forbidden');
    const e = await refusal(listNominations(world.deps, CAST, 'cast-2024', { status: 'lost' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.messages.zh).toMatch(/^筛选条件/);
    expect(e.messages.en).toMatch(/^The filter/);
  });
});

describe('importHonourees', () => {
  it('replaces the list and says how many were imported; a malformed request names the list', async () => {
    const world = memoryWorld();
    const csv =
      '姓名,单位,年度,类别\n李晓梅,杭州市科技志愿服务总队,2021,volunteer\n张伟,北京市朝阳区科协,2020,volunteer\n';
    expect(await importHonourees(world.deps, CAST, 'cast-2024', { csv })).toEqual({ imported: 2 });
    expect((await world.deps.campaignStore.honourees('cast-2024')).map((h) => h.name)).toEqual([
      '李晓梅',
      '张伟',
    ]);
    expect(
      await importHonourees(world.deps, CAST, 'cast-2024', {
        csv: '姓名,单位,年度,类别\n张伟,北京市朝阳区科协,2020,volunteer\n',
      }),
    ).toEqual({ imported: 1 });
    expect(await world.deps.campaignStore.honourees('cast-2024')).toHaveLength(1);
    const e = await refusal(importHonourees(world.deps, CAST, 'cast-2024', { csv: '' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.messages.zh).toMatch(/^往届名单/);
    expect(e.messages.en).toMatch(/^The past-honouree list/);
    expect(await world.deps.campaignStore.honourees('cast-2024')).toHaveLength(1);
  });
});

describe('grantExtension', () => {
  it("keeps an extension within the parent round's deadline, and refuses one past it", async () => {
    const world = memoryWorld();
    const granted = await grantExtension(world.deps, CACS, 'cacs-2024', {
      unitId: 'member-1',
      until: '2025-02-20T00:00:00+08:00',
      reason: '材料需补盖公章',
    });
    expect(granted).toEqual({
      unitId: 'member-1',
      until: '2025-02-20T00:00:00+08:00',
      reason: '材料需补盖公章',
    });
    const e = await refusal(
      grantExtension(world.deps, CACS, 'cacs-2024', {
        unitId: 'member-2',
        until: '2025-02-24T00:00:01+08:00',
        reason: '材料需补盖公章',
      }),
    );
    expect(e.code).toBe('EXTENSION_AFTER_PARENT_DEADLINE');
    // CAST forwards nowhere: only its own deadline bounds an extension from below.
    expect(
      await grantExtension(world.deps, CAST, 'cast-2024', {
        unitId: 'cas-astro',
        until: '2025-03-10T00:00:00+08:00',
        reason: '单位换届',
      }),
    ).toMatchObject({ unitId: 'cas-astro' });
  });
});

describe('closeSubmissions', () => {
  it('closes once with who, when and why; the same request again is the same answer and writes nothing', async () => {
    const world = memoryWorld();
    const closure = await closeSubmissions(world.deps, CAST, 'cast-2024', {
      reason: '各推荐单位均已报送完毕',
    });
    expect(closure).toEqual({
      at: world.clock.now().toISOString(),
      reason: '各推荐单位均已报送完毕',
      by: { subjectId: CAST.subjectId, name: CAST.name },
    });
    expect((await world.deps.campaignStore.state('cast-2024')).submissionsClosed).toEqual(closure);
    let saves = 0;
    const counting = {
      ...world.deps,
      campaignStore: {
        ...world.deps.campaignStore,
        saveState: async (...args: Parameters<typeof world.deps.campaignStore.saveState>) => {
          saves += 1;
          return world.deps.campaignStore.saveState(...args);
        },
      },
    };
    world.clock.advance(60_000);
    expect(await closeSubmissions(counting, CAST, 'cast-2024', { reason: '各推荐单位均已报送完毕' })).toEqual(
      closure,
    );
    expect(saves).toBe(0);
    const other = await refusal(closeSubmissions(counting, CAST, 'cast-2024', { reason: '另一个理由' }));
    expect(other.code).toBe('SUBMISSIONS_ENDED');
    expect(saves).toBe(0);
  });
});
