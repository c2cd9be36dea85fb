import { describe, expect, it } from 'vitest';
import { pastHonoureeFlag } from '../../../functions/rules/nomination-view.js';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
import { importHonourees } from '../../../functions/use-cases/secretariat.js';
import { awaitStep, validateSubmission } from '../../../functions/use-cases/tasks.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  endSubmissions,
  inviteExperts,
  inviteUnit,
  passAll,
  reviewEverything,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * The state machines' tasks (functions/use-cases/tasks.ts) at the edges the pipelines do not
 * reach: which past-honouree list a society round checks against, and a task for a nomination
 * that does not exist.
 */

const LI = '姓名,单位,年度,类别\n李曉梅,杭州市科技志愿服务总队,2021,科技志愿者\n';
const OTHER = '姓名,单位,年度,类别\n张伟,北京市朝阳区科协,2020,科技志愿者\n';

async function societyNomination(world: World) {
  const unit = await inviteUnit(world, 'cacs-2024', 'jdz', 'member', '景德镇陶瓷学会');
  return submitted(world, unit, 'volunteer');
}

describe('validateSubmission', () => {
  it("checks a society round without a list of its own against its parent round's list", async () => {
    const world = memoryWorld();
    await importHonourees(world.deps, secretariatOf('cast-2024'), 'cast-2024', { csv: LI });
    const n = await societyNomination(world);
    expect(pastHonoureeFlag(n.eligibility)).toMatchObject({ match: 'exact', honouree: { name: '李曉梅' } });
    expect((await validateSubmission(world.deps, { nominationId: n.id })).eligible).toBe(false);
  });

  it("uses the society's own list once it has one, not the parent's", async () => {
    const world = memoryWorld();
    await importHonourees(world.deps, secretariatOf('cast-2024'), 'cast-2024', { csv: LI });
    await importHonourees(world.deps, secretariatOf('cacs-2024'), 'cacs-2024', { csv: OTHER });
    const n = await societyNomination(world);
    expect(pastHonoureeFlag(n.eligibility).match).not.toBe('exact');
  });

  it('refuses a nomination that does not exist, by name', async () => {
    const world = memoryWorld();
    await expect(validateSubmission(world.deps, { nominationId: 'n-0000000404' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      awaitStep(world.deps, { nominationId: 'n-0000000404', step: 'screening', taskToken: 't' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

/** One cast-2024 volunteer nomination, passed and reviewed by its three experts. */
async function reviewedInCast() {
  const world = memoryWorld();
  const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
  await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
  const n = await submitted(world, unit, 'volunteer');
  await passAll(world, [n.id]);
  await reviewEverything(world, ['e1', 'e2', 'e3']);
  return { world, n };
}

/** The world's store, counting its reads of whole nominations, and a workflow that notes what it is answered. */
function countingReads(world: World) {
  const counts = { reads: 0 };
  const delivered: { token: string; output: unknown }[] = [];
  const deps = {
    ...world.deps,
    store: {
      ...world.deps.store,
      get: (id: string) => {
        counts.reads += 1;
        return world.deps.store.get(id);
      },
    },
    workflow: {
      ...world.deps.workflow,
      deliver: async (token: string, output: unknown) => {
        delivered.push({ token, output });
        return 'delivered' as const;
      },
    },
  };
  return { deps, counts, delivered };
}

describe('awaitStep: the automatic work before a human step', () => {
  it('arms selection by one write and no read when the last review kept the score; one scored without it is read and aggregated first', async () => {
    const { world, n } = await reviewedInCast();
    const scored = await stored(world, n.id);
    expect(scored.score?.meanTotal).toBeGreaterThan(0);
    const { deps, counts } = countingReads(world);
    const writes = world.deps.store.writes;
    await expect(
      awaitStep(deps, { nominationId: n.id, step: 'selection', taskToken: 't-kept' }),
    ).resolves.toEqual({ stored: true, delivered: false });
    expect(counts.reads).toBe(0);
    expect(world.deps.store.writes - writes).toBe(1);
    expect(await stored(world, n.id)).toMatchObject({
      version: scored.version + 1,
      score: scored.score,
      awaiting: { step: 'selection', taskToken: 't-kept' },
    });

    // Scored without the score (by code before the last review kept it): refused, nothing written,
    // then read, aggregated and armed.
    const { score: _score, ...unscored } = await stored(world, n.id);
    await world.deps.store.save({ ...unscored, version: unscored.version + 1 }, unscored.version);
    const refusedAt = await stored(world, n.id);
    expect(refusedAt.score).toBeUndefined();
    await expect(
      awaitStep(deps, { nominationId: n.id, step: 'selection', taskToken: 't-unscored' }),
    ).resolves.toEqual({ stored: true, delivered: false });
    expect(counts.reads).toBe(1);
    const after = await stored(world, n.id);
    expect(after.score).toEqual(scored.score);
    expect(after.awaiting?.taskToken).toBe('t-unscored');
  });

  it('aggregates the scores before selection once: a step re-armed after a week stores its token and leaves the score alone', async () => {
    const { world, n } = await reviewedInCast();
    // No AggregateScores state: AwaitSelection's task aggregated before storing its token.
    expect(world.workflow.execution(n.id)?.current).toBe('AwaitSelection');
    expect(world.workflow.execution(n.id)?.states).not.toContain('AggregateScores');
    const scored = await stored(world, n.id);
    expect(scored).toMatchObject({ status: 'scored', awaiting: { step: 'selection' } });
    expect(scored.score?.meanTotal).toBeGreaterThan(0);

    const rearmed = await awaitStep(world.deps, { nominationId: n.id, step: 'selection', taskToken: 't2' });
    expect(rearmed).toEqual({ stored: true, delivered: false });
    const after = await stored(world, n.id);
    // One write: the token. The score is the one kept.
    expect(after.version).toBe(scored.version + 1);
    expect(after.score).toEqual(scored.score);
    expect(after.awaiting?.taskToken).toBe('t2');
  });

  it('forwards a selected nomination before publicity once: a re-armed step on the notice moves nothing', async () => {
    const { world, n } = await reviewedInCast();
    await endSubmissions(world, 'cast-2024');
    await confirmSelection(world.deps, secretariatOf('cast-2024'), 'cast-2024', {});
    await world.settle();
    // No Forward state nor its outcome: AwaitPublicity's task forwarded before storing its token.
    expect(world.workflow.execution(n.id)?.states.slice(-2)).toEqual(['AwaitSelection', 'AwaitPublicity']);
    const forwarded = await stored(world, n.id);
    expect(forwarded).toMatchObject({ status: 'forwarded', awaiting: { step: 'publicity' } });

    await awaitStep(world.deps, { nominationId: n.id, step: 'publicity', taskToken: 't2' });
    const after = await stored(world, n.id);
    expect(after.version).toBe(forwarded.version + 1);
    expect(after.status).toBe('forwarded');
    expect((await world.deps.store.auditTrail(n.id)).filter((e) => e.action === 'forward')).toHaveLength(1);
  });
});

describe('awaitStep: the token stored by the write of the work before it', () => {
  it('forwards to publicity and stores the publicity token by one write: the move carries it', async () => {
    const { world, n } = await reviewedInCast();
    const scored = await stored(world, n.id);
    // Selected, as the selection job leaves it; its execution's next task arms publicity.
    await world.deps.store.save(
      { ...scored, status: 'selected', version: scored.version + 1 },
      scored.version,
    );
    const writes = world.deps.store.writes;
    const { deps, counts } = countingReads(world);
    expect(await awaitStep(deps, { nominationId: n.id, step: 'publicity', taskToken: 't-pub' })).toEqual({
      stored: true,
      delivered: false,
    });
    expect(world.deps.store.writes - writes).toBe(1);
    // The nomination read once: the move starts from what the step read.
    expect(counts.reads).toBe(1);
    const after = await stored(world, n.id);
    expect(after).toMatchObject({ status: 'forwarded', version: scored.version + 2 });
    expect(after.awaiting).toMatchObject({ step: 'publicity', taskToken: 't-pub' });
    // Run again after a lost answer: nothing moves, and the newer token is stored.
    await awaitStep(world.deps, { nominationId: n.id, step: 'publicity', taskToken: 't-pub-2' });
    expect((await stored(world, n.id)).awaiting?.taskToken).toBe('t-pub-2');
    expect((await world.deps.store.auditTrail(n.id)).filter((e) => e.action === 'forward')).toHaveLength(1);
  });
});

describe('awaitStep', () => {
  /** A submitted nomination whose screening step is armed, with the reads of its store counted. */
  async function waiting() {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    return { world, n, ...countingReads(world) };
  }

  it('stores the token by one write and no read, and a decision made on the version before is refused', async () => {
    const { world, n, deps, counts, delivered } = await waiting();
    const writes = world.deps.store.writes;
    const before = (await world.deps.store.get(n.id)) as typeof n;
    await expect(
      awaitStep(deps, { nominationId: n.id, step: 'screening', taskToken: 'token-2' }),
    ).resolves.toEqual({ stored: true, delivered: false });
    expect(counts.reads).toBe(0);
    expect(world.deps.store.writes - writes).toBe(1);
    expect(delivered).toEqual([]);
    const stored = await world.deps.store.get(n.id);
    expect(stored).toMatchObject({
      version: before.version + 1,
      awaiting: { step: 'screening', taskToken: 'token-2' },
    });
    // A screening decision written on what was read before the token: refused, to be made again on it.
    await expect(
      world.deps.store.save({ ...before, status: 'in-review', version: before.version + 1 }, before.version),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
  });

  it('answers at once with the new token when the decision was written first', async () => {
    const { world, n, deps, delivered } = await waiting();
    const current = (await world.deps.store.get(n.id)) as typeof n;
    await world.deps.store.save(
      { ...current, status: 'rejected', version: current.version + 1 },
      current.version,
    );
    await expect(
      awaitStep(deps, { nominationId: n.id, step: 'screening', taskToken: 'token-3' }),
    ).resolves.toMatchObject({ stored: true, delivered: true });
    expect(delivered).toEqual([{ token: 'token-3', output: { outcome: 'reject' } }]);
  });
});
