import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/rules/access.js';
import type { CategoryId } from '../../../functions/rules/categories.js';
import { expertPanel } from '../../../functions/use-cases/expert-panel.js';
import { executionHistory, restartExecution } from '../../../functions/use-cases/operations.js';
import { assignExperts } from '../../../functions/use-cases/reviews.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld, NOMINATION_MACHINE, type World } from '../../support/memory/index.js';
import {
  expertEmail,
  inviteExperts,
  inviteUnit,
  reviewTokens,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';

/**
 * The AssignExperts task (assignExperts in functions/use-cases/reviews.ts): the campaign's number
 * of experts per nomination, never one affiliated with the nominating unit, the least loaded
 * first (ties by id), each mailed a personal link once; too small a pool holds the nomination
 * until experts are invited.
 */

const sec = secretariatOf('cast-2024');

/** A nomination of `unit` passed at screening, its execution caught up. */
async function passed(world: World, unit: Actor, category: CategoryId = 'volunteer') {
  const n = await submitted(world, unit, category);
  await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
  await world.settle();
  return n.id;
}

const assigned = async (world: World, id: string) =>
  (await world.deps.reviews.assignments(id)).map((a) => a.expertId);

describe('expert assignment', () => {
  it('never assigns an expert of the nominating unit, and mails each assigned expert one link', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [
      { id: 'e1', affiliation: 'cas-astro' },
      { id: 'e2' },
      { id: 'e3' },
      { id: 'e4' },
    ]);
    const id = await passed(world, unit);
    expect(await assigned(world, id)).toEqual(['e2', 'e3', 'e4']);
    for (const expert of ['e2', 'e3', 'e4']) expect(reviewTokens(world, expert)).toHaveLength(1);
    expect(reviewTokens(world, 'e1')).toEqual([]);
    const panel = await expertPanel(world.deps, sec, 'cast-2024');
    expect(panel.nominations).toEqual([
      expect.objectContaining({
        id,
        excludedByConflict: [{ expertId: 'e1', name: '专家 e1', kinds: ['nominating-unit'] }],
        eligibleExperts: 3,
        awaitingExperts: false,
      }),
    ]);
    expect(panel.experts.map((e) => [e.id, e.assigned])).toEqual([
      ['e1', 0],
      ['e2', 1],
      ['e3', 1],
      ['e4', 1],
    ]);
  });

  it('gives each nomination the least-loaded experts, ties broken by id', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    await inviteExperts(world, 'cast-2024', [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);
    const first = await passed(world, unit, 'volunteer');
    const second = await passed(world, unit, 'project');
    const third = await passed(world, unit, 'site');
    expect(await assigned(world, first)).toEqual(['a', 'b', 'c']);
    // Loads a1 b1 c1 d0: d first, then a and b by id.
    expect(await assigned(world, second)).toEqual(['a', 'b', 'd']);
    // Loads a2 b2 c1 d1.
    expect(await assigned(world, third)).toEqual(['a', 'c', 'd']);
    expect((await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load)).toEqual([3, 2, 2, 2]);
  });

  it('holds a nomination while the pool lacks experts, and assigns them once the secretariat invites more', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [
      { id: 'e1', affiliation: 'cas-astro' },
      { id: 'e2' },
      { id: 'e3' },
    ]);
    const id = await passed(world, unit);
    // Two experts may review it, three are needed: the task waits an hour and tries again.
    expect(world.workflow.execution(id)).toMatchObject({
      status: 'RUNNING',
      current: 'AssignExperts',
      retryPending: { Error: 'Laurel.NotEnoughExperts' },
    });
    expect(await assigned(world, id)).toEqual([]);
    expect((await expertPanel(world.deps, sec, 'cast-2024')).nominations[0]?.awaitingExperts).toBe(true);
    await inviteExperts(world, 'cast-2024', [{ id: 'e4' }]);
    world.machines.retryNow(NOMINATION_MACHINE, id);
    await world.settle();
    expect(world.workflow.execution(id)?.current).toBe('AwaitReviews');
    expect(await assigned(world, id)).toEqual(['e2', 'e3', 'e4']);
  });

  it('assigns every expert when the table stays busy past the adapter’s retries: the task is retried, never taken for done', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    // The assignments' transaction, then a link's, give up once each.
    world.deps.reviews.stayBusy(2);
    const id = await passed(world, unit);
    expect(world.workflow.execution(id)?.current).toBe('AwaitReviews');
    expect(await assigned(world, id)).toEqual(['e1', 'e2', 'e3']);
    for (const expert of ['e1', 'e2', 'e3']) expect(reviewTokens(world, expert)).toHaveLength(1);
    expect(world.machines.execution(NOMINATION_MACHINE, id)?.errors).toEqual([
      expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.StoreBusy' }),
      expect.objectContaining({ state: 'AssignExperts', Error: 'Laurel.StoreBusy' }),
    ]);
  });

  it('run again, keeps the assignments and mails no one twice', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const id = await passed(world, unit);
    const mailsBefore = world.outbox.sent.length;
    const again = await assignExperts(world.deps, id);
    expect(again.map((a) => a.expertId)).toEqual(['e1', 'e2', 'e3']);
    expect(world.outbox.sent.length).toBe(mailsBefore);
    expect((await world.deps.reviews.listExperts('cast-2024')).map((e) => e.load)).toEqual([1, 1, 1]);
  });

  it('mails a new link to the expert whose mail failed when operations restart the failed execution', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await screen(world.deps, sec, n.id, { version: n.version, decision: 'pass' });
    world.outbox.failNext(1);
    await world.settle();
    // The first expert's mail failed: its link was taken back and the task failed for good.
    expect(world.workflow.execution(n.id)).toMatchObject({ status: 'FAILED', current: 'SystemFailure' });
    expect(
      (await world.deps.reviews.assignments(n.id)).map((a) => [a.expertId, Boolean(a.linkHash)]),
    ).toEqual([
      ['e1', false],
      ['e2', false],
      ['e3', false],
    ]);
    expect((await executionHistory(world.deps, sec, n.id)).events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
    });
    await restartExecution(world.deps, n.id);
    await world.settle();
    // The restart moved straight on to where the nomination stood: in review, every expert mailed once.
    expect(world.workflow.execution(`${n.id}-r1`)?.current).toBe('AwaitReviews');
    expect((await stored(world, n.id)).awaiting?.step).toBe('reviews');
    for (const expert of ['e1', 'e2', 'e3']) expect(world.outbox.to(expertEmail(expert))).toHaveLength(2);
  });
});
