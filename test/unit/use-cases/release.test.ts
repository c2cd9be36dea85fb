import { describe, expect, it } from 'vitest';
import { applyPlannedMove, move } from '../../../functions/use-cases/campaign-jobs.js';
import {
  campaignJob,
  notifyRelease,
  openPublicity,
  publicList,
  release,
  resolveObjection,
  submitObjection,
} from '../../../functions/use-cases/campaign-steps.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
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
 * objection resolved; a job releases each nomination still on the notice, tells its unit once
 * and answers its execution, which only ends (no task of its own); the campaign is marked released.
 */

const sec = secretariatOf('cast-2024');

async function onTheNotice(world: World, categories: Parameters<typeof forwardedInCast>[1]) {
  const ids = await forwardedInCast(world, categories);
  await endSubmissions(world, 'cast-2024');
  await openPublicity(world.deps, sec, 'cast-2024');
  await world.settle();
  return ids;
}

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
    const notices = world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('正式发布'));
    expect(notices.map((m) => m.text.includes('李晓梅') || m.text.includes('陶溪川社区'))).toEqual([
      true,
      true,
    ]);
    expect(await stored(world, upheld)).toMatchObject({ status: 'withdrawn-after-objection' });
  });

  it('tells of the release in the job: the execution only ends, and a chunk run again mails no one twice', async () => {
    const world = memoryWorld();
    const [id] = (await onTheNotice(world, ['site'])) as [string];
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await release(world.deps, sec, 'cast-2024');
    await world.settle();
    const releaseMails = () =>
      world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('正式发布'));
    expect(releaseMails()).toHaveLength(1);
    const states = world.workflow.execution(id)?.states ?? [];
    expect(states.slice(-3)).toEqual(['AwaitPublicity', 'PublicityOutcome', 'Released']);
    world.clock.advance(MINUTE_MS);
    // A retried chunk meets the nomination released: its execution is answered again, no mail.
    await applyPlannedMove(world.deps, { nominationId: id, category: 'site', action: 'release' }, sec);
    // An execution started on the definition before this one still runs its Release task.
    expect(await notifyRelease(world.deps, id)).toEqual({ notified: false });
    expect(releaseMails()).toHaveLength(1);
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
    const releaseMails = () =>
      world.outbox.to('cas-astro@units.cn').filter((m) => m.subject.includes('正式发布'));
    expect(releaseMails()).toHaveLength(0);
    const planned = { nominationId: id, category: 'site', action: 'release' } as const;
    await applyPlannedMove(world.deps, planned, sec);
    await applyPlannedMove(world.deps, planned, sec);
    expect(releaseMails()).toHaveLength(1);
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
});
