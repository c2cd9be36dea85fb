import { describe, expect, it } from 'vitest';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
import { restartExecution } from '../../../functions/use-cases/operations.js';
import { memoryWorld } from '../../support/memory/index.js';
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
 * An operations restart runs the nomination's state machine again from its first state, under a
 * new name. Every human step it passes on the way reads the nomination's status, so the new
 * execution moves straight on to where the nomination stands — here a nomination selected in
 * CAST's round whose execution failed while forwarding it.
 */

describe('a restarted execution', () => {
  it('moves on past screening, reviews and selection to where a selected nomination stands', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await inviteExperts(world, 'cast-2024', [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    const n = await submitted(world, unit, 'volunteer');
    await passAll(world, [n.id]);
    await reviewEverything(world, ['e1', 'e2', 'e3']);
    await endSubmissions(world, 'cast-2024');
    await confirmSelection(world.deps, secretariatOf('cast-2024'), 'cast-2024', {});
    await world.machines.settle({ machine: 'laurel-campaign-job' });
    expect((await stored(world, n.id)).status).toBe('selected');

    // The store refuses every write while the execution goes on: forwarding (AwaitPublicity's work before its token) fails for good.
    world.deps.store.failWrites(Number.POSITIVE_INFINITY);
    await world.settle();
    world.deps.store.failWrites(0);
    expect(world.workflow.execution(n.id)?.status).toBe('FAILED');

    await restartExecution(world.deps, n.id);
    await world.settle();
    const again = world.workflow.execution(`${n.id}-r1`);
    expect(again?.states).toEqual(
      expect.arrayContaining(['AwaitScreening', 'AssignExperts', 'AwaitReviews', 'AwaitSelection']),
    );
    expect(again?.current).toBe('AwaitPublicity');
    expect((await stored(world, n.id)).status).toBe('forwarded');
  });
});
