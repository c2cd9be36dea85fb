import { describe, expect, it } from 'vitest';
import { withdraw } from '../../../functions/use-cases/nominations.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { memoryWorld } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, stored, submitted } from '../../support/memory/people.js';

/**
 * A unit withdraws its nomination: before screening, or once it was returned for correction and
 * the unit gives up rather than correct it. The slot is freed and the execution ends Withdrawn.
 */

describe('withdrawal', () => {
  it('withdraws a returned nomination: the slot is freed and the execution waiting for the resubmission ends', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const nomination = await submitted(world, unit, 'volunteer');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 1 });
    await screen(world.deps, secretariatOf('cast-2024'), nomination.id, {
      version: nomination.version,
      decision: 'return',
      reasons: '请补充服务时长证明',
    });
    await world.settle();
    expect(world.workflow.execution(nomination.id)?.current).toBe('AwaitResubmission');

    const returned = await stored(world, nomination.id);
    const withdrawn = await withdraw(world.deps, unit, nomination.id, { version: returned.version });
    expect(withdrawn.status).toBe('withdrawn');
    expect(await world.deps.store.quotaLedger('cast-2024', 'cas-astro')).toEqual({ volunteer: 0 });
    await world.settle();
    expect(world.workflow.execution(nomination.id)?.status).toBe('SUCCEEDED');
    expect(world.workflow.execution(nomination.id)?.current).toBe('Withdrawn');
  });
});
