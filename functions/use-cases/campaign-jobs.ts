import type { CampaignJob, CampaignJobStep, JobStore, JobTaskInput, PlannedMove } from '../ports/jobs.js';
import type { AuditEvent, StatusChange } from '../ports/nominations.js';
import type { JobRunner } from '../ports/workflow.js';
import type { Actor } from '../rules/access.js';
import type { CategoryId } from '../rules/categories.js';
import { MOVES, type Nomination, type NominationAction, notFound, transition } from '../rules/nomination.js';
import { quotaSlotChange } from '../rules/quota.js';
import { auditBy, deliverIfDecided, type NominationDeps } from './nominations.js';
import { type MoveToTell, tellOfMoves } from './notices.js';
import { retryOnVersionConflict } from './retry.js';

/**
 * The campaign-wide steps (selection, publicity, release) move every nomination of a round — a
 * few thousand in a national one. One request cannot: API Gateway gives it 30 s. So the request
 * checks what it can from the counts aggregate, stores the job and starts it: a Step Functions
 * execution whose first task decides once what happens to each nomination (the ranking, the list
 * on the notice), page by page, and stores that plan in chunks; then it applies one chunk per
 * task, each move idempotent, and marks the job done. The request answers 202 at once with the
 * job; the page follows its progress. The plan never changes while the job runs, so a retried
 * task, a crash or a repeated request cannot rank twice or move anything twice.
 */

export interface CampaignJobDeps extends NominationDeps {
  jobs: JobStore;
  jobRunner: JobRunner;
  ids: NominationDeps['ids'] & { planId(): string };
}

/** 100 moves per task: well under DynamoDB's 400 KB item and a Lambda's time, few enough transitions. */
export const CHUNK_SIZE = 100;
/** Moves applied at once within a chunk: each waits on a few store and Step Functions round trips. */
const MOVES_AT_ONCE = 8;

export const executionNameOf = (job: Pick<CampaignJob, 'campaignId' | 'id' | 'attempt'>) =>
  `${job.campaignId}-${job.id}-${job.attempt}`.slice(0, 80);

const taskInputOf = (job: CampaignJob, chunk = 0): JobTaskInput => ({
  campaignId: job.campaignId,
  jobId: job.id,
  attempt: job.attempt,
  chunk,
});

/**
 * The plan's chunks with each unit's moves together, so that the one chunk that moves them tells
 * the unit once, listing them all: a unit's moves in the order the plan first met the unit, and
 * units packed whole into chunks of at most `size` — a unit is never split over two, but for a
 * unit with more moves than `size` (its quota allows that many): chunks of `size` of its own, each
 * telling it of its part, since a chunk must stay within a task's time and Step Functions' 256 KB
 * whatever a quota says. A move that names no unit (an erasure's) is a unit of its own.
 */
export function chunkedByUnit(moves: readonly PlannedMove[], size = CHUNK_SIZE): PlannedMove[][] {
  const units = new Map<string, PlannedMove[]>();
  for (const m of moves) {
    const unit = m.unitId === undefined ? `move ${m.nominationId}` : `unit ${m.unitId}`;
    const own = units.get(unit);
    if (own) own.push(m);
    else units.set(unit, [m]);
  }
  const chunks: PlannedMove[][] = [];
  let chunk: PlannedMove[] = [];
  for (const own of units.values()) {
    if (chunk.length > 0 && chunk.length + own.length > size) {
      chunks.push(chunk);
      chunk = [];
    }
    if (own.length > size) {
      for (let start = 0; start < own.length; start += size) chunks.push(own.slice(start, start + size));
      continue;
    }
    chunk.push(...own);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * Starts the job `jobId`, or finds it, answering at once: the job's execution plans
 * (`planCampaignJob`) and moves, so a request costs a few store requests however large the round.
 * A running job is returned as it is (its execution started again if a request cut short never
 * started it). A job that failed — or whose execution ended without finishing it (stopped, timed
 * out, its failure never recorded) — is started again on the same plan (planned again if its
 * planning never finished): what was decided is not decided again, and moves already made are
 * skipped. Otherwise, when `pending` says the current state has something to move (the counts
 * aggregate tells), a new attempt starts whose execution plans afresh; else nothing starts
 * (`undefined` for no job yet, or the finished job).
 */
export async function startCampaignJob(
  deps: CampaignJobDeps,
  actor: Actor,
  spec: {
    campaignId: string;
    jobId: string;
    step: CampaignJobStep;
    /** The selection's categories: what the job's planning ranks. */
    categories?: CategoryId[];
    /** Whether a new plan would move anything (from the counts): else no new attempt starts. */
    pending: boolean;
    /** The step's answer when the request knows it (the publicity window, the release's counts). */
    summary?: Record<string, unknown>;
  },
): Promise<CampaignJob | undefined> {
  for (let race = 0; ; race += 1) {
    const existing = await deps.jobs.job(spec.campaignId, spec.jobId);
    if (existing?.status === 'running') {
      const run = await deps.jobRunner.start(executionNameOf(existing), taskInputOf(existing, 0));
      if (run !== 'ended') return existing;
      // Ended without the job saying so: finished just now, or stopped short of MarkFailed.
      const now = await deps.jobs.job(spec.campaignId, spec.jobId);
      if (now?.status !== 'running' || now.attempt !== existing.attempt) continue;
    }
    const again = existing && existing.status !== 'done';
    if (!again && !spec.pending) return existing;
    const next: Omit<CampaignJob, 'attempt' | 'status' | 'startedAt' | 'by'> = again
      ? { ...existing, movedChunks: 0 }
      : {
          campaignId: spec.campaignId,
          id: spec.jobId,
          // Its own id in the chunks' keys: an attempt never plans over another's chunks.
          planId: deps.ids.planId(),
          step: spec.step,
          ...(spec.categories ? { categories: spec.categories } : {}),
          planned: false,
          total: 0,
          chunks: 0,
          movedChunks: 0,
          summary: spec.summary ?? {},
        };
    const job: CampaignJob = {
      ...next,
      attempt: (existing?.attempt ?? 0) + 1,
      status: 'running',
      startedAt: deps.clock.now().toISOString(),
      by: actor,
    };
    delete job.error;
    delete job.finishedAt;
    if (!(await deps.jobs.startJob(job, existing?.attempt ?? 0))) {
      // Another request (a double click) started this attempt first: that one is the job.
      if (race < 3) continue;
      return deps.jobs.job(spec.campaignId, spec.jobId);
    }
    await deps.jobRunner.start(executionNameOf(job), taskInputOf(job, 0));
    return job;
  }
}

/**
 * The job's first task: decides every move from the current state, a page at a time (`moves`
 * yields them as the store pages them), and stores the plan in chunks under the job's plan id,
 * each unit's moves in one chunk (chunkedByUnit) — the pages name nominations in another order
 * (rank, status), so the moves are gathered first: a few hundred bytes each, well under a MB for
 * a national round. A retried task plans again under the same id (nothing has moved yet); a job
 * planned already (a restart after a failure) keeps its plan. A plan with nothing to move ends
 * the job at once with `finish`.
 */
export async function planCampaignJob(
  deps: CampaignJobDeps,
  input: JobTaskInput,
  moves: (job: CampaignJob) => AsyncIterable<readonly PlannedMove[]>,
  finish: (job: CampaignJob) => Promise<void>,
): Promise<JobTaskInput & { done: boolean }> {
  const job = await deps.jobs.job(input.campaignId, input.jobId);
  if (!job || job.attempt !== input.attempt || job.status !== 'running') return { ...input, done: true };
  const first = { ...input, chunk: 0 };
  if (job.planned !== false) return { ...first, done: false };
  let chunks = 0;
  let total = 0;
  const tally: NonNullable<CampaignJob['tally']> = {};
  const planned: PlannedMove[] = [];
  for await (const page of moves(job)) planned.push(...page);
  for (const chunk of chunkedByUnit(planned)) {
    await deps.jobs.savePlan(job, [chunk], chunks);
    chunks += 1;
    total += chunk.length;
    for (const m of chunk) tally[m.action] = (tally[m.action] ?? 0) + 1;
  }
  const done: CampaignJob = { ...job, planned: true, total, chunks, tally };
  if (total === 0) {
    await finish(done);
    await deps.jobs.updateJob({ ...done, status: 'done', finishedAt: deps.clock.now().toISOString() });
    return { ...first, done: true };
  }
  await deps.jobs.updateJob(done);
  return { ...first, done: false };
}

/**
 * The job's task: applies chunk `chunk` of the plan and reports where to go on. Every move is
 * idempotent — a nomination already where the plan puts it only has its execution answered — so
 * a retried task repeats nothing. The last chunk ends the job with `finish` (e.g. the release
 * date on the campaign).
 */
export async function applyJobChunk(
  deps: CampaignJobDeps,
  input: JobTaskInput,
  finish: (job: CampaignJob) => Promise<void>,
  /**
   * How one planned move is applied when the step says so (an erasure's); else each is a status
   * move and the units are told of them (applyMovesAndTell).
   */
  apply?: (job: CampaignJob) => ((planned: PlannedMove) => Promise<void>) | undefined,
): Promise<JobTaskInput & { done: boolean }> {
  const job = await deps.jobs.job(input.campaignId, input.jobId);
  // A stale attempt (replaced after a failure) or a finished job has nothing left to do.
  if (!job || job.attempt !== input.attempt || job.status !== 'running') return { ...input, done: true };
  if (input.chunk < job.chunks) {
    const moves = await deps.jobs.planChunk(job, input.chunk);
    const own = apply?.(job);
    if (own) await forEachAtMost(MOVES_AT_ONCE, moves, own);
    else await applyMovesAndTell(deps, job, moves);
  }
  const next = input.chunk + 1;
  if (next >= job.chunks) {
    await finish(job);
    await deps.jobs.updateJob({
      ...job,
      status: 'done',
      movedChunks: job.chunks,
      finishedAt: deps.clock.now().toISOString(),
    });
    return { ...input, chunk: next, done: true };
  }
  await deps.jobs.updateJob({ ...job, movedChunks: next });
  return { ...input, chunk: next, done: false };
}

/** The job's execution gave up (its retries spent): the job says so, and a repeated request starts it again on the same plan. */
export async function failCampaignJob(deps: CampaignJobDeps, input: JobTaskInput, error: string) {
  const job = await deps.jobs.job(input.campaignId, input.jobId);
  if (!job || job.attempt !== input.attempt || job.status !== 'running') return;
  await deps.jobs.updateJob({ ...job, status: 'failed', error: error.slice(0, 1000) });
}

/**
 * Applies a chunk's moves, then tells each unit of its nominations the chunk moved in one notice
 * per kind (tellOfMoves) — those moved now and those a run cut short moved before it told anyone:
 * the plan keeps a unit's moves in one chunk (chunkedByUnit), so the unit hears once per job.
 * Telling after every move of the chunk, a crash between the moves and the mail leaves the
 * notices unsent and the chunk's retry sends them, each nomination told once.
 *
 * The chunk's nominations are read by a few batch reads and their moves written by a few
 * transactions of many nominations each (`changeStatuses`), not a read and a transaction each:
 * a national round's jobs move thousands. A nomination a person changed between the read and the
 * write (its version moved on) is not overwritten: the store hands it back and it is moved one by
 * one as before (`applyPlannedMove`, which reads it again). A move that takes or frees a quota
 * slot goes one by one too, its ledger conditioned on its own.
 */
export async function applyMovesAndTell(
  deps: NominationDeps,
  job: Pick<CampaignJob, 'campaignId' | 'id' | 'planId' | 'by'>,
  moves: readonly PlannedMove[],
): Promise<void> {
  const told: MoveToTell[] = [];
  const statusMoves = moves.filter(isStatusMove);
  const current = await deps.store.getMany(statusMoves.map((m) => m.nominationId));
  const batched: { planned: StatusMove; change: StatusChange }[] = [];
  const oneByOne: StatusMove[] = [];
  await forEachAtMost(MOVES_AT_ONCE, statusMoves, async (planned) => {
    const nomination = current.get(planned.nominationId);
    const made = await madeBefore(deps, planned, nomination);
    if (made) {
      if (made.told) told.push(made.told);
      return;
    }
    const change = statusChangeOf(
      deps,
      nomination as Nomination,
      planned.action,
      job.by,
      plannedChange(planned),
      planned.selection?.againstRanking?.reason,
    );
    if (change.quota) oneByOne.push(planned);
    else batched.push({ planned, change });
  });
  const { stale } = await deps.store.changeStatuses(batched.map((b) => b.change));
  const refused = new Set(stale);
  oneByOne.push(...batched.filter((b) => refused.has(b.planned.nominationId)).map((b) => b.planned));
  await forEachAtMost(
    MOVES_AT_ONCE,
    batched.filter((b) => !refused.has(b.planned.nominationId)),
    async ({ planned, change }) => {
      await deliverIfDecided(deps.workflow, change.nomination);
      const kind = toldKind(planned.action);
      if (kind) told.push({ nomination: change.nomination, kind, at: change.nomination.updatedAt });
    },
  );
  await forEachAtMost(MOVES_AT_ONCE, oneByOne, async (m) => {
    const moved = await applyPlannedMove(deps, m, job.by);
    if (moved) told.push(moved);
  });
  // The notices in the plan's order, whichever move finished first.
  const order = new Map(moves.map((m, i) => [m.nominationId, i]));
  told.sort((a, b) => (order.get(a.nomination.id) ?? 0) - (order.get(b.nomination.id) ?? 0));
  await tellOfMoves(deps, `${job.campaignId}/${job.id}/${job.planId}`, told, (items, work) =>
    forEachAtMost(MOVES_AT_ONCE, items, work),
  );
}

/**
 * Whether a planned move is a status move: an erasure and a day of the review clock are applied
 * by their own steps (functions/use-cases/retention.ts, review-clock.ts), never as one.
 */
type StatusMoveAction = Extract<PlannedMove['action'], NominationAction>;
type StatusMove = PlannedMove & { action: StatusMoveAction };
const isStatusMove = (planned: PlannedMove): planned is StatusMove =>
  planned.action !== 'erase' && planned.action !== 'review-day' && planned.action !== 'correction-reminder';

/** What a planned move changes besides the status: a selection's verdict. */
const plannedChange = (planned: PlannedMove): Partial<Nomination> =>
  planned.selection ? { selection: planned.selection } : {};

/**
 * What became of a planned move made before, or not to be made, as `nomination` stands: `told`
 * what its unit is to hear of (with the move's own moment), or undefined when the plan no longer
 * concerns it; undefined when the move is still to be made. A nomination already where the move
 * puts it has its waiting execution answered (again: a run cut short may not have).
 */
async function madeBefore(
  deps: NominationDeps,
  planned: StatusMove,
  nomination: Nomination | undefined,
): Promise<{ told: MoveToTell | undefined } | undefined> {
  if (!nomination) return { told: undefined };
  const kind = toldKind(planned.action);
  if (nomination.status === MOVES[planned.action].to) {
    await deliverIfDecided(deps.workflow, nomination);
    // Moved by a run cut short before it told the unit: tell it now (once), keyed on the move.
    return { told: kind && { nomination, kind, at: (await movedAt(deps, nomination, kind)) as string } };
  }
  if (!MOVES[planned.action].from.includes(nomination.status)) {
    // Moved by a run cut short before it told the unit, and moved on since: a selected nomination's
    // own execution forwards it as soon as the move answers it, so a kill between the move and the
    // notice finds it forwarded (or further). The move's audit event says it was made: tell the
    // unit now, keyed on that move, so the notice is sent once. Otherwise it moved elsewhere since
    // the plan was made (withdrawn, say): the plan no longer concerns it.
    const at = kind ? await movedAt(deps, nomination, kind, false) : undefined;
    return { told: kind && at ? { nomination, kind, at } : undefined };
  }
  return undefined;
}

/**
 * Applies one planned move, and answers what its unit is to be told of (a selection's outcome, a
 * release) with the move's own moment, whether the move was made now or by a run cut short
 * before it told anyone: applyMovesAndTell tells the unit once the chunk's moves are made.
 */
export async function applyPlannedMove(
  deps: NominationDeps,
  planned: PlannedMove,
  actor: Actor,
): Promise<MoveToTell | undefined> {
  if (!isStatusMove(planned)) return undefined;
  const made = await madeBefore(deps, planned, await deps.store.get(planned.nominationId));
  if (made) return made.told;
  const kind = toldKind(planned.action);
  const moved = await move(
    deps,
    planned.nominationId,
    planned.action,
    actor,
    plannedChange(planned),
    // A verdict against the score order keeps the secretariat's reason in the audit.
    planned.selection?.againstRanking?.reason,
  );
  // The job tells of the release itself: the executions, only answered, end without a task of
  // their own — thousands released at once would otherwise queue for a function's few concurrent
  // runs, each throttled attempt a billed state transition. The move's moment is its audit
  // event's (move writes both at the same instant).
  return kind && { nomination: moved, kind, at: moved.updatedAt };
}

type ToldKind = MoveToTell['kind'];

/** The moves a job tells the unit of, as the notice's kind. */
const toldKind = (moved: NominationAction): ToldKind | undefined =>
  moved === 'select' || moved === 'not-select' || moved === 'release' ? moved : undefined;

/**
 * When `action` moved the nomination: its latest audit event of that action (the notice is keyed
 * on it, whatever changed the nomination since) — for every move a job makes, a release as much
 * as a selection. Without one, its `updatedAt` when `fallback` (the nomination stands where the
 * move put it), else undefined (the move was never made).
 */
export async function movedAt(
  deps: Pick<NominationDeps, 'store'>,
  nomination: Nomination,
  action: NominationAction,
  fallback = true,
): Promise<string | undefined> {
  const trail = await deps.store.auditTrail(nomination.id);
  const event = trail.filter((e) => e.action === action).at(-1);
  return event?.at ?? (fallback ? nomination.updatedAt : undefined);
}

/**
 * Runs `work` on every item, `limit` at once. After a failure no new item is started, the ones
 * under way finish, and the first error is thrown: nothing keeps running once the task has failed.
 */
async function forEachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

const SYSTEM = { role: 'system' as const, subjectId: 'system', name: 'Laurel' };

/** Moves one nomination by `action`, retrying a version race, and answers its execution. */
export async function move(
  deps: NominationDeps,
  nominationId: string,
  action: NominationAction,
  actor: Actor | 'system',
  changed: Partial<Nomination> = {},
  reason?: string,
  /**
   * false for a move the execution makes in its own task (forward): no step waits then, and the
   * token still stored is the one of a step answered before — sending it again is not this
   * function's to do (its role may not answer tasks at all).
   */
  answerWaitingStep = true,
  /** The nomination as the caller just read it: the first attempt starts from it, a retried one reads again. */
  known?: Nomination,
): Promise<Nomination> {
  let justRead = known;
  return retryOnVersionConflict(async () => {
    const current = justRead ?? (await deps.store.get(nominationId));
    justRead = undefined;
    if (!current) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
    const change = statusChangeOf(deps, current, action, actor, changed, reason);
    await deps.store.changeStatus(change);
    if (answerWaitingStep) await deliverIfDecided(deps.workflow, change.nomination);
    return change.nomination;
  });
}

/**
 * The status change `action` makes of `current` by `actor` (with `change` besides): the next
 * state on the stored version, the quota slot it takes or frees, its audit event.
 */
function statusChangeOf(
  deps: Pick<NominationDeps, 'clock' | 'campaigns'>,
  current: Nomination,
  action: NominationAction,
  actor: Actor | 'system',
  change: Partial<Nomination> = {},
  reason?: string,
): StatusChange {
  const now = deps.clock.now();
  const next: Nomination = {
    ...current,
    ...change,
    status: transition(current, action, actor),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  // An upheld objection frees the slot where the campaign allows a replacement.
  const campaign = deps.campaigns.get(current.campaignId);
  const quota =
    campaign && quotaSlotChange(campaign, current.unitType, current.category, current.status, next.status);
  const audit: AuditEvent =
    actor === 'system'
      ? {
          nominationId: current.id,
          at: now.toISOString(),
          actor: SYSTEM,
          action,
          ...(reason ? { reason } : {}),
        }
      : auditBy(actor, current.id, now, action, reason);
  return { nomination: next, expectedVersion: current.version, ...(quota ? { quota } : {}), audit };
}
