import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../../functions/rules/categories.js';
import {
  confirmSelection,
  openPublicity,
  release,
  resolveObjection,
  submitObjection,
} from '../../../functions/use-cases/campaign-steps.js';
import { packageStatus, startPackage } from '../../../functions/use-cases/forwarding-package.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { listNominations } from '../../../functions/use-cases/secretariat.js';
import { HAPPY_PATH_STATES } from '../../fixtures/happy-path.js';
import { memoryWorld, PACKAGE_JOB_MACHINE } from '../../support/memory/index.js';
import {
  endSubmissions,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  reviewEverything,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { DAY_MS } from '../../support/memory/system.js';

/**
 * The whole of a CAST round in memory, as test/integration/full-pipeline.test.ts runs it over
 * HTTP in the local cloud: one nomination per category through screening, review by mailed links,
 * selection, forwarding, publicity with an upheld and a dismissed objection, release — each
 * execution visiting the states the integration test sees, each audit trail the same.
 */

describe('the whole pipeline in memory', () => {
  it('takes one nomination per category from submission to release, with objections', async () => {
    const world = memoryWorld();
    const sec = secretariatOf('cast-2024');
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    await inviteExperts(world, 'cast-2024', [
      { id: 'e1', affiliation: 'cas-astro' },
      { id: 'e2' },
      { id: 'e3' },
      { id: 'e4' },
    ]);
    const ids = {} as Record<CategoryId, string>;
    for (const category of ['volunteer', 'organization', 'project', 'site'] as const) {
      ids[category] = (await submitted(world, unit, category)).id;
    }
    for (const id of Object.values(ids)) {
      const n = await stored(world, id);
      expect(n.awaiting?.step).toBe('screening');
      await screen(world.deps, sec, id, { version: n.version, decision: 'pass' });
    }
    await world.settle();
    world.clock.advance(MINUTE_MS);
    await reviewEverything(world, ['e2', 'e3', 'e4'], (_n, e) => ({ e2: 9, e3: 8, e4: 7 })[e] ?? 0);
    for (const id of Object.values(ids)) {
      expect(await stored(world, id)).toMatchObject({ status: 'scored', score: { meanTotal: 80 } });
    }
    world.clock.advance(MINUTE_MS);
    await endSubmissions(world, 'cast-2024');
    await confirmSelection(world.deps, sec, 'cast-2024', {});
    await world.settle();
    world.clock.advance(MINUTE_MS);
    await endSubmissions(world, 'cast-2024');
    await openPublicity(world.deps, sec, 'cast-2024');
    await world.settle();
    const objectTo = (nominationId: string) =>
      submitObjection(world.deps, 'cast-2024', {
        nominationId,
        reason: '该项目启动时间与申报材料不符，请核实。',
        name: '张三',
        contact: 'zhang@example.cn',
      });
    const upheld = await objectTo(ids.project);
    const dismissed = await objectTo(ids.site);
    await resolveObjection(world.deps, sec, 'cast-2024', upheld.id, {
      decision: 'uphold',
      note: '经核实属实',
    });
    await resolveObjection(world.deps, sec, 'cast-2024', dismissed.id, {
      decision: 'dismiss',
      note: '材料无误',
    });
    world.clock.advance(7 * DAY_MS);
    await endSubmissions(world, 'cast-2024');
    await release(world.deps, sec, 'cast-2024');
    await world.settle();

    expect(world.workflow.execution(ids.volunteer)).toMatchObject({
      status: 'SUCCEEDED',
      states: [...HAPPY_PATH_STATES],
    });
    expect(world.workflow.execution(ids.project)?.states.at(-1)).toBe('WithdrawnAfterObjection');
    expect((await world.deps.store.auditTrail(ids.volunteer)).map((e) => e.action)).toEqual([
      'create',
      'submit',
      'screening:pass',
      'review-no-conflict-declared',
      'review',
      'review-no-conflict-declared',
      'review',
      'review-no-conflict-declared',
      'review',
      'reviews-complete',
      'select',
      'select-notice',
      'forward',
      'open-publicity',
      'release',
      'release-notice',
    ]);
    const { counts } = await listNominations(world.deps, sec, 'cast-2024', {});
    expect(counts).toEqual({ released: 3, 'withdrawn-after-objection': 1 });
    // The expert of the nominating unit was never sent a review link: only the invitation.
    expect(world.outbox.to('e1@experts.cn')).toHaveLength(1);

    // The forwarding package reads the uploaded files back from the bucket.
    // The forwarding package is a job: the request starts it, the job streams the ZIP, a read gives the link.
    const started = await startPackage(world.deps, sec, 'cast-2024', {});
    expect(started).toMatchObject({ job: { step: 'package', status: 'running' }, download: null });
    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const pack = await packageStatus(world.deps, sec, 'cast-2024', started.job.id);
    expect(pack.job).toMatchObject({ status: 'done', total: 3, moved: 3 });
    expect(pack.download?.nominations).toBe(3);
    const names = Object.keys(
      unzipSync(world.deps.uploads.download(pack.download?.url ?? '') ?? new Uint8Array()),
    );
    expect(names).toContain('2024年度科技志愿服务先进典型宣传活动/汇总表.xlsx');
    expect(names.filter((n) => /照片\d\.jpg$/.test(n))).toHaveLength(3 + 2 + 2);

    // For a day after the build a fresh link is issued again for the same package; then never.
    const builtAt = world.clock.now().toISOString();
    expect(pack.download?.availableUntil).toBe(new Date(Date.parse(builtAt) + DAY_MS).toISOString());
    world.clock.advance(DAY_MS - MINUTE_MS);
    const again = await packageStatus(world.deps, sec, 'cast-2024', started.job.id);
    expect(again.download).toMatchObject({ nominations: 3, bytes: pack.download?.bytes });
    expect(
      Object.keys(unzipSync(world.deps.uploads.download(again.download?.url ?? '') ?? new Uint8Array())),
    ).toEqual(names);
    world.clock.advance(MINUTE_MS);
    expect((await packageStatus(world.deps, sec, 'cast-2024', started.job.id)).download).toBeNull();
  });
});
