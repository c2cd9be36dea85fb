import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../../functions/rules/categories.js';
import { CHUNK_SIZE } from '../../../functions/use-cases/campaign-jobs.js';
import {
  aggregateScores,
  campaignJob,
  confirmSelection,
  decideSelection,
  limitForwarding,
  previewSelection,
  rankingPage,
} from '../../../functions/use-cases/campaign-steps.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import {
  CRITERIA,
  endSubmissions,
  inviteExperts,
  inviteUnit,
  MINUTE_MS,
  passAll,
  reviewEverything,
  secretariatOf,
  stored,
  submitted,
} from '../../support/memory/people.js';
import { putSeeded, seededNomination } from '../../support/seeded.js';

/**
 * The selection (previewSelection / confirmSelection in functions/use-cases/campaign-steps.ts):
 * the ranking decided once within the organizer's quota and stored as a plan, a campaign job that
 * applies it chunk by chunk (statemachines/campaign-job.asl.json), each move idempotent, and the
 * waiting executions answered.
 */

const cacs = secretariatOf('cacs-2024');
const cast = secretariatOf('cast-2024');

/** Three member units of the society, one volunteer each, reviewed: the first scores best. */
async function threeScoredInSociety(world: World) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (const i of [1, 2, 3]) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  return ids;
}

/**
 * `count` nominations of `category` already scored, put straight into the stores with three
 * reviews each (nomination i scores 100 − i/10), aggregated as the AggregateScores task does (which
 * writes the stored ranking's entry): for tests about moving many, not about how each got there.
 */
async function seedScored(
  world: World,
  campaignId: string,
  count: number,
  category: CategoryId = 'volunteer',
  /** The nominees' names, in seeding order (the fixture's form's name for all when not given). */
  names: readonly string[] = [],
) {
  const at = world.clock.now().toISOString();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = world.ids.nominationId();
    await putSeeded(
      world.deps.store,
      seededNomination({
        id,
        campaignId,
        unitId: `prov-${i}`,
        unitName: `省科协${i}`,
        category,
        status: 'scored',
        at,
        ...(names[i] ? { name: names[i] } : {}),
      }),
    );
    const experts = ['s1', 's2', 's3'];
    await world.deps.reviews.createAssignments(
      campaignId,
      experts.map((e) => ({ nominationId: id, expertId: e, expertName: e, assignedAt: at })),
    );
    const mark = 10 - i / 100;
    for (const expertId of experts) {
      await world.deps.reviews.recordReview(id, expertId, {
        expertId,
        scores: Object.fromEntries(CRITERIA.map((c) => [c, mark])),
        recommend: true,
        total: mark * 10,
        submittedAt: at,
      });
    }
    await aggregateScores(world.deps, id);
    ids.push(id);
  }
  return ids;
}

const actionsOf = async (world: World, id: string) =>
  (await world.deps.store.auditTrail(id)).map((e) => e.action);

describe('selection', () => {
  it('pages a category’s ranking in rank order, searched by the start of the name and by unit, from the ranking rows alone', async () => {
    const world = memoryWorld();
    const names = ['张三', '张三丰', '李四', '張五', '王六'];
    const ids = await seedScored(world, 'cast-2024', 5, 'volunteer', names);
    const page = (query: Record<string, string>) =>
      rankingPage(world.deps, cast, 'cast-2024', { category: 'volunteer', ...query });
    const first = await page({ limit: '2' });
    expect(first.outcomes.map((o) => [o.name, o.unitName, o.rank, o.status, o.confirmed])).toEqual([
      ['张三', '省科协0', 1, 'scored', false],
      ['张三丰', '省科协1', 2, 'scored', false],
    ]);
    expect(first.summary).toEqual({
      selected: 5,
      notSelected: 0,
      confirmed: 0,
      found: 5,
      quotaLineAfter: ids[4],
    });
    const second = await page({ limit: '2', cursor: first.cursor ?? '' });
    expect(second.outcomes.map((o) => o.name)).toEqual(['李四', '張五']);
    // The start of the name, traditional and simplified folded alike; the ranks stay the category's.
    const zhang = await page({ q: '張三' });
    expect(zhang.outcomes.map((o) => [o.name, o.rank])).toEqual([
      ['张三', 1],
      ['张三丰', 2],
    ]);
    expect((await page({ q: '张' })).outcomes.map((o) => o.name)).toEqual(['张三', '张三丰', '張五']);
    expect((await page({ q: '三' })).outcomes).toEqual([]);
    const unit = await page({ unit: 'prov-3' });
    expect(unit.outcomes.map((o) => [o.nominationId, o.name, o.rank])).toEqual([[ids[3], '張五', 4]]);
    expect(unit.summary).toMatchObject({ found: 1, selected: 5 });
    // A cursor of one search does not page another.
    await expect(page({ q: '张', cursor: first.cursor ?? '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('shows the confirmed verdicts on the ranking with names and units once the selection is confirmed', async () => {
    const world = memoryWorld();
    const ids = await threeScoredInSociety(world);
    await endSubmissions(world, 'cacs-2024');
    await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    await world.settle();
    const page = await rankingPage(world.deps, cacs, 'cacs-2024', { category: 'volunteer' });
    expect(page.outcomes.map((o) => [o.nominationId, o.rank, o.selected, o.confirmed, o.unitName])).toEqual([
      [ids[0], 1, true, true, '会员单位1'],
      [ids[1], 2, true, true, '会员单位2'],
      [ids[2], 3, false, true, '会员单位3'],
    ]);
    expect(page.outcomes.every((o) => o.status !== 'scored' && o.name !== '')).toBe(true);
    expect(page.summary).toEqual({
      selected: 0,
      notSelected: 0,
      confirmed: 3,
      found: 3,
      quotaLineAfter: ids[1],
    });
    const member = await rankingPage(world.deps, cacs, 'cacs-2024', {
      category: 'volunteer',
      unit: 'member-2',
    });
    expect(member.outcomes.map((o) => o.nominationId)).toEqual([ids[1]]);
  });

  it('previews the ranking within the quota without moving anything', async () => {
    const world = memoryWorld();
    const ids = await threeScoredInSociety(world);
    const outcomes = await previewSelection(world.deps, cacs, 'cacs-2024');
    expect(outcomes.map((o) => [o.nominationId, o.rank, o.selected, o.reason])).toEqual([
      [ids[0], 1, true, 'within-quota'],
      [ids[1], 2, true, 'within-quota'],
      [ids[2], 3, false, 'below-quota-line'],
    ]);
    for (const id of ids) expect((await stored(world, id)).status).toBe('scored');
    await expect(previewSelection(world.deps, cast, 'cacs-2024')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('confirms the best two of the category as selected and the third not, through a job that answers each execution', async () => {
    const world = memoryWorld();
    const ids = await threeScoredInSociety(world);
    await endSubmissions(world, 'cacs-2024');
    const job = await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    // The request answers at once: the job ranks (its first task) and moves.
    expect(job).toMatchObject({
      id: 'selection-organization.project.site.volunteer',
      status: 'running',
      planned: false,
      total: 0,
    });
    expect((await campaignJob(world.deps, cacs, 'cacs-2024', job?.id ?? '')).job).toMatchObject({
      status: 'running',
      moved: 0,
    });
    await world.settle();
    expect(await world.deps.jobs.job('cacs-2024', job?.id ?? '')).toMatchObject({
      planned: true,
      total: 3,
      chunks: 1,
    });
    const answer = await campaignJob(world.deps, cacs, 'cacs-2024', job?.id ?? '');
    expect(answer.job).toMatchObject({ status: 'done', moved: 3, total: 3 });
    const outcomes = 'outcomes' in answer ? (answer.outcomes ?? []) : [];
    expect(outcomes.map((o) => [o.nominationId, o.rank, o.selected])).toEqual([
      [ids[0], 1, true],
      [ids[1], 2, true],
      [ids[2], 3, false],
    ]);
    expect(answer).toMatchObject({ counts: { selected: 2, notSelected: 1 }, cursor: null });
    // A page at a time: the counts on every page, the cursor going on where the last page stopped.
    const firstTwo = await campaignJob(world.deps, cacs, 'cacs-2024', job?.id ?? '', { limit: '2' });
    expect(firstTwo).toMatchObject({ counts: { selected: 2, notSelected: 1 } });
    expect('outcomes' in firstTwo && firstTwo.outcomes.map((o) => o.nominationId)).toEqual([ids[0], ids[1]]);
    const cursor = 'cursor' in firstTwo ? (firstTwo.cursor ?? undefined) : undefined;
    expect(cursor).toEqual(expect.any(String));
    const rest = await campaignJob(world.deps, cacs, 'cacs-2024', job?.id ?? '', { limit: '2', cursor });
    expect('outcomes' in rest && rest.outcomes.map((o) => o.nominationId)).toEqual([ids[2]]);
    expect(rest).toMatchObject({ cursor: null });
    // A cursor of another list, or none at all, is the 400 on the cursor field; a page of 101 too.
    for (const query of [{ cursor: 'garbage' }, { limit: '101' }]) {
      await expect(campaignJob(world.deps, cacs, 'cacs-2024', job?.id ?? '', query)).rejects.toMatchObject({
        kind: 'invalid',
      });
    }
    expect((await stored(world, ids[0] ?? '')).selection).toMatchObject({ rank: 1, selected: true });
    expect(await stored(world, ids[2] ?? '')).toMatchObject({
      status: 'not-selected',
      selection: { selected: false },
    });
    expect(world.workflow.execution(ids[2] ?? '')).toMatchObject({
      status: 'SUCCEEDED',
      current: 'NotSelected',
    });
    // The job answers each selected one's execution; its publicity step forwards it to CAST and answers itself.
    for (const id of ids.slice(0, 2)) {
      expect(world.workflow.answers(id).slice(-2)).toMatchObject([
        { output: { outcome: 'selected' } },
        { error: { Error: 'Laurel.Outcome.ForwardedToParent' } },
      ]);
    }
  });

  it('answers a repeated confirmation with the finished job, moving nothing twice', async () => {
    const world = memoryWorld();
    const ids = await threeScoredInSociety(world);
    await endSubmissions(world, 'cacs-2024');
    const first = await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    await world.settle();
    world.clock.advance(MINUTE_MS);
    await endSubmissions(world, 'cacs-2024');
    const again = await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    expect(again).toMatchObject({ id: first?.id, attempt: 1, status: 'done', startedAt: first?.startedAt });
    expect(world.jobRunner.executions()).toHaveLength(1);
    for (const id of ids) {
      const moves = (await actionsOf(world, id)).filter((a) => a === 'select' || a === 'not-select');
      expect(moves).toHaveLength(1);
    }
  });

  it('will not confirm while a nomination of those categories awaits screening, but confirms other categories', async () => {
    const world = memoryWorld();
    const [volunteer] = await seedScored(world, 'cast-2024', 1, 'volunteer');
    const [project] = await seedScored(world, 'cast-2024', 1, 'project');
    const unit = await inviteUnit(world, 'cast-2024', 'prov-zj', 'provincial-association');
    await submitted(world, unit, 'volunteer');
    await endSubmissions(world, 'cast-2024');
    await expect(confirmSelection(world.deps, cast, 'cast-2024', {})).rejects.toMatchObject({
      code: 'SELECTION_PREMATURE',
      kind: 'conflict',
      details: { pending: { submitted: 1 } },
    });
    await endSubmissions(world, 'cast-2024');
    const projects = await confirmSelection(world.deps, cast, 'cast-2024', { categories: ['project'] });
    expect(projects).toMatchObject({ id: 'selection-project', status: 'running' });
    await world.settle();
    expect(await world.deps.jobs.job('cast-2024', 'selection-project')).toMatchObject({ total: 1 });
    expect((await stored(world, project ?? '')).status).toBe('selected');
    expect((await stored(world, volunteer ?? '')).status).toBe('scored');
  });

  it('moves a national round in chunks of 100, one task each, reporting its progress', async () => {
    const world = memoryWorld();
    const ids = await seedScored(world, 'cast-2024', 2 * CHUNK_SIZE + 50);
    await endSubmissions(world, 'cast-2024');
    const job = await confirmSelection(world.deps, cast, 'cast-2024', { categories: ['volunteer'] });
    expect(job).toMatchObject({ planned: false, movedChunks: 0 });
    await world.settle();
    expect(await world.deps.jobs.job('cast-2024', 'selection-volunteer')).toMatchObject({
      total: 250,
      chunks: 3,
    });
    expect(world.deps.jobs.plans()).toEqual({ [`cast-2024#selection-volunteer#${job?.planId}`]: 3 });
    const [execution] = world.jobRunner.executions();
    expect(execution).toMatchObject({ name: 'cast-2024-selection-volunteer-1', status: 'SUCCEEDED' });
    expect(execution?.states.filter((s) => s === 'PlanJob')).toHaveLength(1);
    expect(execution?.states.filter((s) => s === 'ApplyChunk')).toHaveLength(3);
    expect((await campaignJob(world.deps, cast, 'cast-2024', 'selection-volunteer')).job).toMatchObject({
      status: 'done',
      moved: 250,
    });
    const statuses = new Set((await Promise.all(ids.map((id) => stored(world, id)))).map((n) => n.status));
    // CAST's own selection has no quota: every scored nomination is selected.
    expect(statuses).toEqual(new Set(['selected']));
  });

  it('retries a chunk that failed once, moving each nomination once', async () => {
    const world = memoryWorld();
    const ids = await seedScored(world, 'cast-2024', 20);
    await endSubmissions(world, 'cast-2024');
    await confirmSelection(world.deps, cast, 'cast-2024', {});
    world.deps.store.failWrites(1);
    await world.settle();
    expect(
      (await campaignJob(world.deps, cast, 'cast-2024', 'selection-organization.project.site.volunteer')).job,
    ).toMatchObject({ status: 'done', moved: 20 });
    expect(world.jobRunner.executions()[0]?.errors).toEqual([
      expect.objectContaining({ state: 'ApplyChunk', Error: 'ProvisionedThroughputExceededException' }),
    ]);
    for (const id of ids) expect((await actionsOf(world, id)).filter((a) => a === 'select')).toHaveLength(1);
  });

  it('marks the job failed once a chunk keeps failing, and finishes it on the same plan when confirmed again', async () => {
    const world = memoryWorld();
    const ids = await seedScored(world, 'cast-2024', 20);
    await endSubmissions(world, 'cast-2024');
    const first = await confirmSelection(world.deps, cast, 'cast-2024', {});
    world.deps.store.failWrites(Number.POSITIVE_INFINITY);
    await world.settle();
    const jobId = first?.id ?? '';
    const failed = (await campaignJob(world.deps, cast, 'cast-2024', jobId)).job;
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'Throughput exceeds the current capacity of your table or index.',
    });
    expect(world.jobRunner.executions()[0]).toMatchObject({
      status: 'FAILED',
      states: ['PlanJob', 'MoreChunks', 'ApplyChunk', 'MarkFailed', 'Failed'],
    });
    // The first try and the six retries of the job machine's Retry.
    expect(world.jobRunner.executions()[0]?.errors).toHaveLength(7);
    world.deps.store.failWrites(0);
    world.clock.advance(MINUTE_MS);
    await endSubmissions(world, 'cast-2024');
    const second = await confirmSelection(world.deps, cast, 'cast-2024', {});
    expect(second).toMatchObject({ attempt: 2, planId: first?.planId, status: 'running' });
    await world.settle();
    expect((await campaignJob(world.deps, cast, 'cast-2024', jobId)).job).toMatchObject({
      status: 'done',
      moved: 20,
    });
    for (const id of ids) expect((await actionsOf(world, id)).filter((a) => a === 'select')).toHaveLength(1);
  });
});

describe('the secretariat decides the selection (择优推荐)', () => {
  it('includes the third against the score order with a reason: previewed, audited, and kept on the nomination once confirmed', async () => {
    const world = memoryWorld();
    const ids = await threeScoredInSociety(world);
    const [first, second, third] = ids as [string, string, string];
    const reason = '长期扎根乡村一线，立足基层';
    const outcome = await decideSelection(world.deps, cacs, 'cacs-2024', third, {
      decision: 'include',
      reason,
    });
    expect(outcome).toMatchObject({ selected: true, proposed: false, reason: 'included-by-secretariat' });
    const preview = await previewSelection(world.deps, cacs, 'cacs-2024');
    expect(preview.map((o) => [o.nominationId, o.rank, o.selected])).toEqual([
      [first, 1, true],
      [second, 2, false],
      [third, 3, true],
    ]);
    // The decided nomination and the one it displaces both carry the decision in their audit.
    for (const id of [third, second]) {
      const event = (await world.deps.store.auditTrail(id)).find(
        (e) => e.action === 'selection-decision:include',
      );
      expect(event).toMatchObject({ reason, actor: { role: 'secretariat' } });
    }
    expect(await actionsOf(world, first)).not.toContain('selection-decision:include');
    // The same decision again records nothing more.
    await decideSelection(world.deps, cacs, 'cacs-2024', third, { decision: 'include', reason });
    expect((await actionsOf(world, third)).filter((a) => a === 'selection-decision:include')).toHaveLength(1);

    await endSubmissions(world, 'cacs-2024');
    await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    await world.settle();
    expect((await stored(world, third)).selection).toMatchObject({
      rank: 3,
      selected: true,
      againstRanking: { reason },
    });
    expect((await stored(world, second)).status).toBe('not-selected');
    const confirmedMove = (await world.deps.store.auditTrail(third)).find((e) => e.action === 'select');
    expect(confirmedMove?.reason).toBe(reason);
  });

  it('forwards fewer than the quota, shows the limit on the ranking, and refuses more than the quota', async () => {
    const world = memoryWorld();
    const [first, second] = (await threeScoredInSociety(world)) as [string, string, string];
    const outcomes = await limitForwarding(world.deps, cacs, 'cacs-2024', 'volunteer', {
      forward: 1,
      reason: '仅一项达到推荐水平',
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual([first]);
    expect((await world.deps.store.auditTrail(second)).at(-1)).toMatchObject({
      action: 'selection-limit:1',
      reason: '仅一项达到推荐水平',
    });
    const page = await rankingPage(world.deps, cacs, 'cacs-2024', {});
    expect(page.limits).toMatchObject([{ category: 'volunteer', forward: 1, reason: '仅一项达到推荐水平' }]);
    await expect(
      limitForwarding(world.deps, cacs, 'cacs-2024', 'volunteer', { forward: 3, reason: '多报' }),
    ).rejects.toMatchObject({ code: 'MORE_THAN_QUOTA', kind: 'rule', path: ['forward'] });
    await expect(
      limitForwarding(world.deps, cacs, 'cacs-2024', 'poetry', { forward: 1, reason: '无此类别' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an inclusion with no place left, one without a reason, and a decision once the selection is confirmed', async () => {
    const world = memoryWorld();
    const [first, second, third] = (await threeScoredInSociety(world)) as [string, string, string];
    await limitForwarding(world.deps, cacs, 'cacs-2024', 'volunteer', { forward: 1, reason: '只报一项' });
    await decideSelection(world.deps, cacs, 'cacs-2024', third, { decision: 'include', reason: '基层一线' });
    await expect(
      decideSelection(world.deps, cacs, 'cacs-2024', second, { decision: 'include', reason: '也很好' }),
    ).rejects.toMatchObject({ code: 'NO_PLACE_LEFT', kind: 'conflict' });
    await expect(
      decideSelection(world.deps, cacs, 'cacs-2024', first, { decision: 'leave-out' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', path: ['reason'] });
    await endSubmissions(world, 'cacs-2024');
    await confirmSelection(world.deps, cacs, 'cacs-2024', {});
    await world.settle();
    expect((await stored(world, third)).status).not.toBe('scored');
    await expect(
      decideSelection(world.deps, cacs, 'cacs-2024', first, { decision: 'include', reason: '改主意' }),
    ).rejects.toMatchObject({ code: 'NOT_AWAITING_SELECTION' });
  });
});
