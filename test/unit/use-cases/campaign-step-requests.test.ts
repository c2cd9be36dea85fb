import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../../functions/rules/categories.js';
import type { NominationStatus } from '../../../functions/rules/nomination-status.js';
import {
  type CampaignStepDeps,
  confirmSelection,
  openPublicity,
  release,
} from '../../../functions/use-cases/campaign-steps.js';
import { memoryWorld } from '../../support/memory/index.js';
import { endSubmissions, secretariatOf } from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';
import { putSeeded, seededNomination } from '../../support/seeded.js';

/**
 * The campaign-wide steps' requests (functions/use-cases/campaign-steps.ts) answer at once with
 * their job: what they read and write does not grow with the round — the counts aggregate, the
 * round's state, the job — while the job plans and moves. Counted here as calls on the ports
 * (each a store request or two in DynamoDB), at 10 nominations and at 300: the same.
 */

const sec = secretariatOf('cast-2024');
const CATEGORIES: CategoryId[] = ['volunteer', 'project', 'site', 'organization'];

/** Counts every call on the stores the use cases hold, by port and method. */
function counting(deps: CampaignStepDeps) {
  const calls: string[] = [];
  const wrap = <T extends object>(name: string, port: T): T =>
    new Proxy(port, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(key)}`);
          return value.apply(target, args);
        };
      },
    });
  const counted: CampaignStepDeps = {
    ...deps,
    store: wrap('store', deps.store),
    reviews: wrap('reviews', deps.reviews),
    campaignStore: wrap('campaignStore', deps.campaignStore),
    jobs: wrap('jobs', deps.jobs),
  };
  return { calls, deps: counted };
}

/** A round of `size` nominations put straight into the store, in `status`, with their ranking rows when scored. */
async function round(size: number, status: NominationStatus) {
  const world = memoryWorld();
  const at = world.clock.now().toISOString();
  for (let i = 0; i < size; i++) {
    const category = CATEGORIES[i % 4] as CategoryId;
    const nomination = await putSeeded(
      world.deps.store,
      seededNomination({
        id: `n-${status}-${i}`,
        campaignId: 'cast-2024',
        unitId: `prov-${i % 30}`,
        unitName: `第${i % 30}省科协`,
        category,
        status,
        at,
      }),
    );
    if (status === 'scored')
      await world.deps.reviews.putRankingEntry('cast-2024', {
        nominationId: nomination.id,
        category,
        submittedAt: at,
        reviews: [],
      });
  }
  await endSubmissions(world, 'cast-2024');
  return world;
}

/** The calls one request makes on the stores, and the job it answers with. */
async function requestAt(
  size: number,
  status: NominationStatus,
  step: (deps: CampaignStepDeps) => Promise<unknown>,
  before?: (world: ReturnType<typeof memoryWorld>) => Promise<void>,
) {
  const world = await round(size, status);
  await before?.(world);
  const { calls, deps } = counting(world.deps);
  const job = await step(deps);
  return { calls, job, world };
}

describe('a campaign-wide step request', () => {
  it('confirms a selection with the same store calls at 10 and at 300 scored nominations, ranking nothing', async () => {
    const step = (deps: CampaignStepDeps) => confirmSelection(deps, sec, 'cast-2024', {});
    const small = await requestAt(10, 'scored', step);
    const large = await requestAt(300, 'scored', step);
    expect(large.job).toMatchObject({ status: 'running', planned: false });
    expect(large.calls).toEqual(small.calls);
    expect(large.calls).not.toContain('reviews.rankingEntries');
    expect(large.calls.filter((c) => c.startsWith('store.'))).toEqual(['store.counts']);
    // The job ranks and moves all of them.
    await large.world.settle();
    expect(await large.world.deps.jobs.job('cast-2024', (large.job as { id: string }).id)).toMatchObject({
      status: 'done',
      total: 300,
    });
  });

  it('opens publicity with the same store calls at 10 and at 300 forwarded nominations, listing none', async () => {
    const step = (deps: CampaignStepDeps) => openPublicity(deps, sec, 'cast-2024');
    const small = await requestAt(10, 'forwarded', step);
    const large = await requestAt(300, 'forwarded', step);
    expect(large.job).toMatchObject({ status: 'running', planned: false });
    expect(large.calls).toEqual(small.calls);
    expect(large.calls.filter((c) => c.startsWith('store.'))).toEqual(['store.counts']);
    await large.world.settle();
    expect(await large.world.deps.jobs.job('cast-2024', 'publicity')).toMatchObject({
      status: 'done',
      total: 300,
    });
  });

  it('releases with the same store calls at 10 and at 300 nominations on the notice, listing none', async () => {
    const step = (deps: CampaignStepDeps) => release(deps, sec, 'cast-2024');
    const noticeClosed = async (world: ReturnType<typeof memoryWorld>) => {
      const state = await world.deps.campaignStore.state('cast-2024');
      const openedAt = world.clock.now();
      await world.deps.campaignStore.openPublicity({
        ...state,
        publicity: {
          openedAt: openedAt.toISOString(),
          closesAt: new Date(openedAt.getTime() + 7 * DAY_MS).toISOString(),
        },
      });
      world.clock.advance(8 * DAY_MS);
      await endSubmissions(world, 'cast-2024');
    };
    const small = await requestAt(10, 'in-publicity', step, noticeClosed);
    const large = await requestAt(300, 'in-publicity', step, noticeClosed);
    expect(large.job).toMatchObject({ status: 'running', summary: { released: 300, categories: 4 } });
    expect(large.calls).toEqual(small.calls);
    expect(large.calls.filter((c) => c.startsWith('store.'))).toEqual(['store.counts']);
    await large.world.settle();
    expect(await large.world.deps.jobs.job('cast-2024', 'release')).toMatchObject({
      status: 'done',
      total: 300,
    });
  });
});
