import { describe, expect, it } from 'vitest';
import type { PlannedMove } from '../../../functions/ports/jobs.js';
import { auditActionName } from '../../../functions/rules/audit-actions.js';
import type { CategoryId } from '../../../functions/rules/categories.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import { applyMovesAndTell, move } from '../../../functions/use-cases/campaign-jobs.js';
import {
  campaignJob,
  notifyRelease,
  openPublicity,
  publicList,
  release,
  resolveObjection,
  submitObjection,
} from '../../../functions/use-cases/campaign-steps.js';
import { NOTICE_CLAIM_LEASE_MS } from '../../../functions/use-cases/nominations.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { refusedForGood } from '../../support/memory/mail.js';
import {
  endSubmissions,
  forwardedInCast,
  MINUTE_MS,
  secretariatOf,
  stored,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * Release (functions/use-cases/campaign-steps.ts): only after the publicity period and with every
 * objection resolved; a job releases each nomination still on the notice, tells its unit once —
 * one mail listing the unit's nominations — and answers its execution, which only ends (no task
 * of its own); the campaign is marked released.
 */

const sec = secretariatOf('cast-2024');

/** The release job's plan, as a chunk run again sees it (applyMovesAndTell). */
const releaseJob = { campaignId: 'cast-2024', id: 'release', planId: 'plan-1', by: sec };
const releaseOf = (id: string, category: CategoryId = 'site'): PlannedMove => ({
  nominationId: id,
  category,
  unitId: 'cas-astro',
  action: 'release',
});

async function onTheNotice(world: World, categories: Parameters<typeof forwardedInCast>[1]) {
  const ids = await forwardedInCast(world, categories);
  await endSubmissions(world, 'cast-2024');
  await openPublicity(world.deps, sec, 'cast-2024');
  await world.settle();
  return ids;
}

/** The release notices mailed to the demo unit. */
const releaseMails = (world: World) =>
  world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('正式发布'));
const noticeEvents = async (world: World, id: string) =>
  (await world.deps.store.auditTrail(id)).filter((e) => e.action.startsWith('release-notice'));

const objectTo = (world: World, nominationId: string) =>
  submitObjection(world.deps, 'cast-2024', {
    nominationId,
    reason: '该项目启动时间与申报材料不符，请核实。',
    name: '张三',
    contact: 'zhang@example.cn',
  });

describe('release', () => {
  it('refuses before publicity was opened and while it runs, and starts at its closing instant', async () => {
    const world = memoryWorld();
    await forwardedInCast(world, ['volunteer']);
    await endSubmissions(world, 'cast-2024');
    await expect(release(world.deps, sec, 'cast-2024')).rejects.toMatchObject({
      code: 'PUBLICITY_NOT_OPENED',
    });
    await endSubmissions(world, 'cast-2024');
    await openPublicity(world.deps, sec, 'cast-2024');
    await world.settle();
    const { publicity } = await world.deps.campaignStore.state('cast-2024');
    world.clock.set(new Date(Date.parse(publicity?.closesAt ?? '') - 1));
    await endSubmissions(world, 'cast-2024');
    const refusal = await release(world.deps, sec, 'cast-2024').catch((e) => e);
    expect(refusal).toMatchObject({ code: 'PUBLICITY_RUNNING', kind: 'conflict' });
    expect(refusal.messages.zh).toContain('公示期至');
    expect((await world.deps.campaignStore.state('cast-2024')).releasedAt).toBeUndefined();
    world.clock.set(publicity?.closesAt ?? '');
    await endSubmissions(world, 'cast-2024');
    expect(await release(world.deps, sec, 'cast-2024')).toMatchObject({ step: 'release', status: 'running' });
  });

  it('refuses while an objection is open after the period', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['volunteer'])) as [string];
    const { id: objectionId } = await objectTo(world, id);
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await expect(release(world.deps, sec, 'cast-2024')).rejects.toMatchObject({ code: 'OBJECTIONS_OPEN' });
    await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
      decision: 'dismiss',
      note: '材料无误',
    });
    await endSubmissions(world, 'cast-2024');
    expect(await release(world.deps, sec, 'cast-2024')).toMatchObject({ id: 'release', status: 'running' });
    await world.settle();
    expect(await world.deps.jobs.job('cast-2024', 'release')).toMatchObject({ status: 'done', total: 1 });
  });

  it('withdraws first a nomination whose upheld objection was cut short after its resolution was stored, never releasing it', async () => {
    const world = memoryWorld();
    const [kept, upheld] = (await onTheNotice(world, ['volunteer', 'project'])) as [string, string];
    const { id: objectionId } = await objectTo(world, upheld);
    // The resolution is stored; the request fails before the withdrawal (the store refuses its write).
    world.deps.store.failWrites(1);
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'uphold', note: '经核实属实' }),
    ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect((await stored(world, upheld)).status).toBe('in-publicity');
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    expect(await release(world.deps, sec, 'cast-2024')).toMatchObject({ summary: { released: 1 } });
    await world.settle();
    expect((await stored(world, upheld)).status).toBe('withdrawn-after-objection');
    expect((await stored(world, kept)).status).toBe('released');
    expect(world.workflow.execution(upheld)?.current).toBe('WithdrawnAfterObjection');
    const { entries } = await publicList(world.deps, 'cast-2024', 'released');
    expect(entries.map((e) => e.nominationId ?? e.name)).toHaveLength(1);
    expect(world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('撤销'))).toHaveLength(1);
  });

  it('tells the unit first of a withdrawal whose notice failed after the nomination came off the notice', async () => {
    const world = memoryWorld();
    const [, upheld] = (await onTheNotice(world, ['volunteer', 'project'])) as [string, string];
    const { id: objectionId } = await objectTo(world, upheld);
    const told = () => world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('撤销'));
    world.outbox.failNext(1, new Error('relay unavailable'), (m) => m.subject.includes('撤销'));
    await expect(
      resolveObjection(world.deps, sec, 'cast-2024', objectionId, { decision: 'uphold', note: '经核实属实' }),
    ).rejects.toThrow('relay unavailable');
    expect((await stored(world, upheld)).status).toBe('withdrawn-after-objection');
    expect(told()).toHaveLength(0);
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    expect(await release(world.deps, sec, 'cast-2024')).toMatchObject({ summary: { released: 1 } });
    await world.settle();
    expect(told()).toHaveLength(1);
    expect((await stored(world, upheld)).status).toBe('withdrawn-after-objection');
  });

  it('releases every nomination on the notice, tells each unit once, and publishes the final list', async () => {
    const world = memoryWorld();
    const [kept, upheld, other] = (await onTheNotice(world, ['volunteer', 'project', 'site'])) as [
      string,
      string,
      string,
    ];
    const { id: objectionId } = await objectTo(world, upheld);
    await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
      decision: 'uphold',
      note: '经核实属实',
    });
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    const job = await release(world.deps, sec, 'cast-2024');
    // What the final list holds, from the counts aggregate, known as the request answers.
    expect(job).toMatchObject({ status: 'running', summary: { released: 2, categories: 2 } });
    await world.settle();
    expect((await campaignJob(world.deps, sec, 'cast-2024', 'release')).job).toMatchObject({
      status: 'done',
      moved: 2,
    });
    expect((await world.deps.campaignStore.state('cast-2024')).releasedAt).toBe(job?.startedAt);
    const released = await publicList(world.deps, 'cast-2024', 'released');
    expect(released.entries.map((e) => e.nominationId).sort()).toEqual([kept, other].sort());
    for (const id of [kept, other]) {
      expect(await stored(world, id)).toMatchObject({ status: 'released' });
      expect(world.workflow.execution(id)).toMatchObject({ status: 'SUCCEEDED', current: 'Released' });
      const trail = (await world.deps.store.auditTrail(id)).map((e) => e.action);
      expect(trail.slice(-2)).toEqual(['release', 'release-notice']);
    }
    // One mail to the unit for its two released nominations, naming both.
    const [notice, ...more] = releaseMails(world);
    expect(more).toEqual([]);
    expect(notice?.subject).toContain('推荐已正式发布（2 项）');
    expect(notice?.subject).toContain('Released (2 nominations)');
    expect(notice?.text).toContain('李晓梅');
    expect(notice?.text).toContain('陶溪川社区');
    expect(notice?.text).toContain('您的以下 2 项推荐已列入');
    expect(await stored(world, upheld)).toMatchObject({ status: 'withdrawn-after-objection' });
  });

  it('tells of the release in the job: the execution only ends, and a chunk run again mails no one twice', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await release(world.deps, sec, 'cast-2024');
    await world.settle();
    expect(releaseMails(world)).toHaveLength(1);
    const states = world.workflow.execution(id)?.states ?? [];
    expect(states.slice(-2)).toEqual(['AwaitPublicity', 'Released']);
    world.clock.advance(MINUTE_MS);
    // A retried chunk meets the nomination released: its execution is answered again, no mail.
    await applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]);
    // An execution started on the definition before this one still runs its Release task.
    expect(await notifyRelease(world.deps, id)).toEqual({ notified: false });
    expect(releaseMails(world)).toHaveLength(1);
    expect((await world.deps.store.auditTrail(id)).filter((e) => e.action === 'release-notice')).toHaveLength(
      1,
    );
  });

  it('tells the unit of a release a run cut short before its notice, once, when the job runs the chunk again', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    // The move made and its execution answered, then the task killed before the notice.
    await move(world.deps, id, 'release', sec);
    await world.settle();
    expect(world.workflow.execution(id)).toMatchObject({ status: 'SUCCEEDED', current: 'Released' });
    expect(releaseMails(world)).toHaveLength(0);
    await applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]);
    await applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]);
    expect(releaseMails(world)).toHaveLength(1);
    expect((await world.deps.store.auditTrail(id)).map((e) => e.action).slice(-2)).toEqual([
      'release',
      'release-notice',
    ]);
  });

  it('refuses a second release, and releases an empty list when every nomination was withdrawn', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['organization'])) as [string];
    const { id: objectionId } = await objectTo(world, id);
    await resolveObjection(world.deps, sec, 'cast-2024', objectionId, {
      decision: 'uphold',
      note: '经核实属实',
    });
    world.clock.advance(7 * DAY_MS);
    const now = world.clock.now().toISOString();
    await endSubmissions(world, 'cast-2024');
    expect(await release(world.deps, sec, 'cast-2024')).toBeUndefined();
    expect((await world.deps.campaignStore.state('cast-2024')).releasedAt).toBe(now);
    expect((await publicList(world.deps, 'cast-2024', 'released')).entries).toEqual([]);
    await endSubmissions(world, 'cast-2024');
    await expect(release(world.deps, sec, 'cast-2024')).rejects.toMatchObject({ code: 'ALREADY_RELEASED' });
  });

  it("releases every nomination although the mail server refuses the unit's notice for good: each listed nomination's refusal is recorded in words, and a second run neither fails on it nor mails anyone again", async () => {
    const world = memoryWorld();
    const ids = await onTheNotice(world, ['volunteer', 'project', 'site']);
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    // The relay refuses the release notice for good (550: no such mailbox): the unit's one mail.
    world.outbox.failNext(1, refusedForGood('cas-astro@units.cn'), (m) => m.subject.includes('正式发布'));
    await release(world.deps, sec, 'cast-2024');
    await world.settle();
    expect(await world.deps.jobs.job('cast-2024', 'release')).toMatchObject({ status: 'done', total: 3 });
    expect((await world.deps.campaignStore.state('cast-2024')).releasedAt).toBeDefined();
    expect(releaseMails(world)).toHaveLength(0);
    for (const id of ids) {
      expect(await stored(world, id)).toMatchObject({ status: 'released' });
      expect(world.workflow.execution(id)).toMatchObject({ status: 'SUCCEEDED', current: 'Released' });
      const events = await noticeEvents(world, id);
      expect(events.map((e) => e.action)).toEqual(['release-notice-refused']);
      // What the secretariat's view of the trail says: words and the address, no code.
      expect(events[0]?.reason).toBe('cas-astro@units.cn');
    }
    const words = auditActionName('release-notice-refused');
    expect(words.zh).toContain('未能送达');
    expect(words.en).toContain('not delivered');
    expect(`${words.zh}${words.en}`).not.toMatch(/\d{3}|MailFailed|Laurel/);
    // A second run of the chunk: the address is refused still, but nothing is sent or fails.
    world.outbox.refuse('cas-astro@units.cn');
    world.clock.advance(MINUTE_MS);
    const categories = ['volunteer', 'project', 'site'] as const;
    await applyMovesAndTell(
      world.deps,
      releaseJob,
      ids.map((id, i) => releaseOf(id, categories[i])),
    );
    expect(world.outbox.sent.filter((m) => m.subject.includes('正式发布'))).toHaveLength(0);
    for (const id of ids) expect(await noticeEvents(world, id)).toHaveLength(1);
  });

  it("tells the unit of every nomination a chunk cut short released, in one mail, once: retried after a crash between its moves and its mail, after one between the claim and the send (once the claim's lease is past), and on a repeat of the whole job", async () => {
    const world = memoryWorld();
    const ids = await onTheNotice(world, ['volunteer', 'project', 'site']);
    world.clock.advance(7 * DAY_MS);
    const categories = ['volunteer', 'project', 'site'] as const;
    const planned = ids.map((id, i) => releaseOf(id, categories[i]));
    // The chunk's first attempt released two and was killed before the third and the mail.
    await move(world.deps, ids[0] as string, 'release', sec);
    await move(world.deps, ids[1] as string, 'release', sec);
    // Its second attempt moved the third, claimed the notices and was killed before sending.
    await move(world.deps, ids[2] as string, 'release', sec);
    const events = [];
    for (const id of ids) {
      const releasedAt =
        (await world.deps.store.auditTrail(id)).find((e) => e.action === 'release')?.at ?? '';
      events.push({
        nominationId: id,
        at: new Date(Date.parse(releasedAt) + 1).toISOString(),
        actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
        action: 'release-notice',
      });
    }
    const claims = await world.deps.store.claimNotices(
      events,
      world.clock.now().toISOString(),
      '2000-01-01T00:00:00.000Z',
    );
    expect(claims.claimed).toHaveLength(3);
    // A retry within the lease waits for the claim's holder: nothing is sent, nothing recorded.
    await expect(applyMovesAndTell(world.deps, releaseJob, planned)).rejects.toMatchObject({
      name: 'Laurel.StoreBusy',
    });
    expect(releaseMails(world)).toHaveLength(0);
    world.clock.advance(NOTICE_CLAIM_LEASE_MS + 1_000);
    await applyMovesAndTell(world.deps, releaseJob, planned);
    const [notice, ...more] = releaseMails(world);
    expect(more).toEqual([]);
    expect(notice?.subject).toContain('（3 项）');
    for (const id of ids)
      expect((await noticeEvents(world, id)).map((e) => e.action)).toEqual(['release-notice']);
    // The same chunk again (a retried task that had sent), and the whole job repeated on its plan.
    await applyMovesAndTell(world.deps, releaseJob, planned);
    await endSubmissions(world, 'cast-2024');
    await release(world.deps, sec, 'cast-2024');
    await world.settle();
    expect(releaseMails(world)).toHaveLength(1);
    for (const id of ids) expect(await noticeEvents(world, id)).toHaveLength(1);
  });

  it('releases a chunk by one batched write, and moves a nomination a person changed between the read and the write one by one on its new state, never overwriting it', async () => {
    const world = memoryWorld();
    const ids = await onTheNotice(world, ['volunteer', 'project', 'site']);
    world.clock.advance(7 * DAY_MS);
    const corrected = ids[1] as string;
    const batches: number[] = [];
    const store = world.deps.store;
    const deps = {
      ...world.deps,
      store: {
        ...store,
        async changeStatuses(changes: Parameters<typeof store.changeStatuses>[0]) {
          batches.push(changes.length);
          // A personal-data correction lands after the chunk read the nomination.
          const now = (await store.get(corrected)) as Nomination;
          await store.save(
            { ...now, version: now.version + 1, form: { ...now.form, note: '更正' } },
            now.version,
          );
          return store.changeStatuses(changes);
        },
      },
    };
    await applyMovesAndTell(deps, releaseJob, [
      releaseOf(ids[0] as string, 'volunteer'),
      releaseOf(corrected, 'project'),
      releaseOf(ids[2] as string, 'site'),
    ]);
    await world.settle();
    expect(batches).toEqual([3]);
    for (const id of ids) {
      expect(await store.get(id)).toMatchObject({ status: 'released' });
      expect(world.workflow.execution(id)).toMatchObject({ status: 'SUCCEEDED', current: 'Released' });
      expect((await store.auditTrail(id)).filter((e) => e.action === 'release')).toHaveLength(1);
    }
    expect((await store.get(corrected))?.form).toMatchObject({ note: '更正' });
    const [notice, ...more] = releaseMails(world);
    expect(more).toEqual([]);
    expect(notice?.subject).toContain('（3 项）');
  });

  it("sends a unit's moves split over two chunks (a plan made before chunks kept a unit together) as two messages, each keeping its Message-ID key on a retry", async () => {
    const world = memoryWorld();
    const ids = await onTheNotice(world, ['volunteer', 'project', 'site']);
    world.clock.advance(7 * DAY_MS);
    const [first, second, third] = [
      releaseOf(ids[0] as string, 'volunteer'),
      releaseOf(ids[1] as string, 'project'),
      releaseOf(ids[2] as string, 'site'),
    ];
    await applyMovesAndTell(world.deps, releaseJob, [first, second]);
    await applyMovesAndTell(world.deps, releaseJob, [third]);
    const keys = releaseMails(world).map((m) => m.key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    // The list's key names what it lists: the same list again has the same one.
    expect(keys[0]).toContain(`${ids[0]},${ids[1]}`);
    expect(keys[1]).toMatch(new RegExp(`/${ids[2]}$`));
  });

  it('tells of a release once whatever changes the nomination after it: the notice is keyed on the release, not on updatedAt', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await release(world.deps, sec, 'cast-2024');
    await world.settle();
    expect(releaseMails(world)).toHaveLength(1);
    // A correction after the release (the secretariat corrects personal data, say) moves updatedAt.
    world.clock.advance(DAY_MS);
    const released = await stored(world, id);
    await world.deps.store.save(
      { ...released, version: released.version + 1, updatedAt: world.clock.now().toISOString() },
      released.version,
    );
    world.clock.advance(MINUTE_MS);
    await applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]);
    expect(await notifyRelease(world.deps, id)).toEqual({ notified: false });
    expect(releaseMails(world)).toHaveLength(1);
    const trail = await world.deps.store.auditTrail(id);
    const releasedAt = trail.find((e) => e.action === 'release')?.at ?? '';
    expect(trail.filter((e) => e.action === 'release-notice').map((e) => e.at)).toEqual([
      new Date(Date.parse(releasedAt) + 1).toISOString(),
    ]);
  });

  it("sends a release notice once when the job and an older execution's Release task tell it at the same moment", async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    // Released and answered by the job, not yet told: the job's notice and the old task's race.
    await move(world.deps, id, 'release', sec);
    const raced = await Promise.allSettled([
      applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]),
      notifyRelease(world.deps, id),
    ]);
    expect(releaseMails(world)).toHaveLength(1);
    // One that met the other's claim (if they met) failed to be retried, never answering for a
    // notice it did not send; the other found it sent. The job now reads the move's event before
    // it claims, so which of the two the race makes depends on the order of their reads.
    const lost = raced.filter((r) => r.status === 'rejected');
    expect(lost.length).toBeLessThanOrEqual(1);
    for (const r of lost) expect((r as PromiseRejectedResult).reason.name).toBe('Laurel.StoreBusy');
    // Its retry finds the notice sent.
    expect(await notifyRelease(world.deps, id)).toEqual({ notified: false });
    await applyMovesAndTell(world.deps, releaseJob, [releaseOf(id)]);
    expect(releaseMails(world)).toHaveLength(1);
    expect(await noticeEvents(world, id)).toHaveLength(1);
  });

  it('lets a failed send go for a retry, and takes over the claim of a sender that died only once it is older than the lease', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    await move(world.deps, id, 'release', sec);
    // A throttled send: the claim is let go, the notice is not recorded, the retry sends it.
    world.outbox.failNext(1);
    await expect(notifyRelease(world.deps, id)).rejects.toMatchObject({ name: 'Laurel.MailFailed' });
    expect(await noticeEvents(world, id)).toEqual([]);
    expect(await notifyRelease(world.deps, id)).toEqual({ notified: true });
    expect(releaseMails(world)).toHaveLength(1);

    // Another nomination: a sender claimed its notice and died before sending.
    const other = memoryWorld();
    const [otherId] = (await onTheNotice(other, ['site'])) as [string];
    other.clock.advance(7 * DAY_MS);
    await move(other.deps, otherId, 'release', sec);
    const releasedAt =
      (await other.deps.store.auditTrail(otherId)).find((e) => e.action === 'release')?.at ?? '';
    const event = {
      nominationId: otherId,
      at: new Date(Date.parse(releasedAt) + 1).toISOString(),
      actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
      action: 'release-notice',
    };
    const claimedAt = other.clock.now().toISOString();
    expect(
      (await other.deps.store.claimNotices([event], claimedAt, '2000-01-01T00:00:00.000Z')).claimed,
    ).toEqual([event]);
    // The claim is no event: the trail shows nothing sent.
    expect(await noticeEvents(other, otherId)).toEqual([]);
    other.clock.advance(NOTICE_CLAIM_LEASE_MS - 1_000);
    await expect(notifyRelease(other.deps, otherId)).rejects.toMatchObject({ name: 'Laurel.StoreBusy' });
    expect(releaseMails(other)).toHaveLength(0);
    other.clock.advance(2_000);
    expect(await notifyRelease(other.deps, otherId)).toEqual({ notified: true });
    expect(releaseMails(other)).toHaveLength(1);
    expect((await noticeEvents(other, otherId)).map((e) => e.action)).toEqual(['release-notice']);
  });
});
