import { describe, expect, it } from 'vitest';
import { applyMovesAndTell } from '../../../functions/use-cases/campaign-jobs.js';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  endSubmissions,
  forwardedInCast,
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
 * with the reason when its nomination was not selected, in one mail per unit and outcome listing
 * its nominations; a chunk applied again — a run cut short and repeated — tells nobody twice and
 * moves nothing twice.
 */

const cacs = secretariatOf('cacs-2024');
/** The selection's job as a chunk run again sees it (applyMovesAndTell). */
const selectionJob = (jobId: string) => ({ campaignId: 'cacs-2024', id: jobId, planId: 'plan-1', by: cacs });

/**
 * Three member units nominate a volunteer each; reviewed in that order; the society keeps two.
 * `before` runs just before the selection is confirmed. Answers the ids and the selection's job.
 */
async function selection(world: World, before: () => void = () => {}) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (let i = 1; i <= 3; i += 1) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  await endSubmissions(world, 'cacs-2024');
  before();
  const job = await confirmSelection(world.deps, cacs, 'cacs-2024', {});
  await world.settle();
  return { ids, jobId: job?.id ?? '' };
}

const selected = async (world: World) => (await selection(world)).ids;

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
    const {
      ids: [first = '', , third = ''],
      jobId,
    } = await selection(world);
    const before = {
      sent: world.outbox.sent.length,
      first: await stored(world, first),
      third: await stored(world, third),
    };
    world.clock.advance(60_000);
    await applyMovesAndTell(world.deps, selectionJob(jobId), [
      { nominationId: third, action: 'not-select' },
      // The selected one has moved on since (forwarded to CAST): told already, keyed on its move.
      { nominationId: first, action: 'select' },
      { nominationId: 'n-gone', action: 'select' },
      { nominationId: first, action: 'erase' },
    ]);
    expect(world.outbox.sent.length).toBe(before.sent);
    expect(await stored(world, third)).toEqual(before.third);
    expect(await stored(world, first)).toEqual(before.first);
  });

  it("moves every nomination although one unit's mail server refuses its notice for good, recording the refusal, and a second run neither fails on it nor mails anyone again", async () => {
    const world = memoryWorld();
    const { ids, jobId } = await selection(world, () => world.outbox.refuse('member-2@units.cn'));
    expect(await world.deps.jobs.job('cacs-2024', jobId)).toMatchObject({ status: 'done', total: 3 });
    const statuses = await Promise.all(ids.map(async (id) => (await stored(world, id)).status));
    expect(statuses).toEqual(['forwarded', 'forwarded', 'not-selected']);
    const second = (await world.deps.store.auditTrail(ids[1] as string)).map((e) => e.action);
    // The selection's notice and the forwarding's (sent by the nomination's own Forward task) alike.
    expect(second).toContain('select-notice-refused');
    expect(second).toContain('forward-notice-refused');
    expect(second).not.toContain('select-notice');
    expect(mailsTo(world, 'member-1').length).toBeGreaterThan(0);
    expect(mailsTo(world, 'member-3').length).toBeGreaterThan(0);
    const sent = world.outbox.sent.length;
    world.clock.advance(60_000);
    await applyMovesAndTell(world.deps, selectionJob(jobId), [
      { nominationId: ids[1] as string, action: 'select' },
      { nominationId: ids[2] as string, action: 'not-select' },
    ]);
    expect(world.outbox.sent.length).toBe(sent);
    const again = (await world.deps.store.auditTrail(ids[1] as string)).map((e) => e.action);
    expect(again.filter((a) => a === 'select-notice-refused')).toHaveLength(1);
  });

  it("tells a unit of all its nominations one selection moved in one mail, naming each and no id, and lists each in that nomination's history", async () => {
    const world = memoryWorld();
    const ids = await forwardedInCast(world, ['volunteer', 'project', 'site']);
    const told = world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('已入选'));
    expect(told).toHaveLength(1);
    const [mail] = told;
    expect(mail?.subject).toContain('推荐已入选（3 项）');
    expect(mail?.subject).toContain('Selected (3 nominations)');
    expect(mail?.text).toContain('您的以下 3 项推荐已入选');
    expect(mail?.text).toContain('these 3 nominations of yours were selected');
    expect(mail?.text).toMatch(/推荐对象（3 项）：\n1\. .+（/);
    expect(mail?.text).toMatch(/Nominees \(3\):\n1\. .+ \(/);
    // Officers meet names, never a nomination's id or a code.
    for (const id of ids) expect(`${mail?.subject}${mail?.text}${mail?.html}`).not.toContain(id);
    expect(mail?.text).not.toMatch(/cast-2024|Laurel\.|not-select|select-notice/);
    for (const id of ids) {
      const trail = (await world.deps.store.auditTrail(id)).map((e) => e.action);
      expect(trail.filter((a) => a === 'select-notice')).toHaveLength(1);
    }
  });
});
