import { describe, expect, it } from 'vitest';
import { applyPlannedMove } from '../../../functions/use-cases/campaign-jobs.js';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
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
 * What the selection tells each unit (functions/use-cases/campaign-jobs.ts): the outcome once,
 * with the reason when its nomination was not selected; a move applied again — a run cut short
 * and repeated — tells nobody twice and moves nothing twice.
 */

const cacs = secretariatOf('cacs-2024');

/** Three member units nominate a volunteer each; reviewed in that order; the society keeps two. */
async function selected(world: World) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (let i = 1; i <= 3; i += 1) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  await endSubmissions(world, 'cacs-2024');
  await confirmSelection(world.deps, cacs, 'cacs-2024', {});
  await world.settle();
  return ids;
}

const mailsTo = (world: World, unit: string) => world.outbox.to(`${unit}@units.cn`);

describe("the selection's notices", () => {
  it('tells the unit not selected why, and the selected ones without a note', async () => {
    const world = memoryWorld();
    const [first = '', , third = ''] = await selected(world);
    const notSelected = await stored(world, third);
    expect(notSelected.status).toBe('not-selected');
    const message = notSelected.selection?.message;
    expect(message?.zh.length).toBeGreaterThan(0);
    const told = mailsTo(world, 'member-3').filter((m) => m.text.includes('说明：'));
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain(`说明：${message?.zh}`);
    expect(told[0]?.text).toContain(`Note: ${message?.en}`);
    expect((await stored(world, first)).status).not.toBe('not-selected');
    expect(mailsTo(world, 'member-1').some((m) => m.text.includes('说明：'))).toBe(false);
  });

  it('applied again, tells nobody twice and moves nothing', async () => {
    const world = memoryWorld();
    const [first = '', , third = ''] = await selected(world);
    const before = {
      sent: world.outbox.sent.length,
      first: await stored(world, first),
      third: await stored(world, third),
    };
    world.clock.advance(60_000);
    await applyPlannedMove(world.deps, { nominationId: third, action: 'not-select' }, cacs);
    // The selected one has moved on since (forwarded to CAST): told already, keyed on its move.
    await applyPlannedMove(world.deps, { nominationId: first, action: 'select' }, cacs);
    await applyPlannedMove(world.deps, { nominationId: 'n-gone', action: 'select' }, cacs);
    await applyPlannedMove(world.deps, { nominationId: first, action: 'erase' }, cacs);
    expect(world.outbox.sent.length).toBe(before.sent);
    expect(await stored(world, third)).toEqual(before.third);
    expect(await stored(world, first)).toEqual(before.first);
  });
});
