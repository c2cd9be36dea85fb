import * as z from 'zod';
import type { CampaignJob, PlannedMove } from '../ports/jobs.js';
import type { Mailer } from '../ports/mail.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { campaignIn } from '../rules/campaign.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import { AWAITED_STEPS, type AwaitedStep, criteriaDue, STEP_ANSWER_MODES } from '../rules/steps.js';
import { failCampaignJob } from './campaign-jobs.js';
import {
  aggregateScores,
  type CampaignStepDeps,
  forward,
  notifyRelease,
  planCampaignJobTask,
  runCampaignJobChunk,
} from './campaign-steps.js';
import { answerStep, deliverIfDecided, eligibilityOf } from './nominations.js';
import { applyErasure, erasurePlan, finishErasure, type RetentionDeps } from './retention.js';
import { retryOnVersionConflict } from './retry.js';
import { applyReviewClock, remindCorrection, reviewClockPlan } from './review-clock.js';
import { assignExperts, expertsOnce, type ReviewDeps, reviewDay } from './reviews.js';

/**
 * The tasks of the state machines, as use cases: each parses the payload its state sends and does
 * the step. The Lambda handlers in functions/handlers/tasks/ only call these, and the in-memory
 * world of the unit tests runs the same functions, so a test of a state machine runs this code.
 * Every task is idempotent: Step Functions retries, and Lambda may deliver an invocation twice.
 */

export type TaskDeps = ReviewDeps & CampaignStepDeps & { send: Mailer };

const validateEvent = builtOnFirstUse(() =>
  z.object({ nominationId: z.string(), eligibilityKept: z.literal(true).optional() }),
);

/**
 * ValidateSubmission, the first state of executions started on the definition before the
 * screening wait evaluated the criteria itself (AWS runs them to their end on it): the [auto]
 * criteria of the submitted form, kept on the nomination for the screening view. They inform the
 * secretariat; they reject nothing. The (re)submission keeps them by its own write
 * (`executionInput` says so): nothing is read or written here then.
 */
export async function validateSubmission(
  deps: Pick<TaskDeps, 'store' | 'campaigns' | 'campaignStore' | 'clock'>,
  event: unknown,
): Promise<{ nominationId: string; eligible?: boolean }> {
  const { nominationId, eligibilityKept } = validateEvent().parse(event);
  if (eligibilityKept) return { nominationId };
  const eligible = await keepCriteria(deps, nominationId);
  return { nominationId, ...(eligible === undefined ? {} : { eligible }) };
}

/**
 * Evaluates the [auto] criteria and stores them on the nomination, when `due` says the nomination
 * still needs them: whether all passed, or undefined when not due. A retry evaluates again the
 * same and stores the same.
 */
async function keepCriteria(
  deps: Pick<TaskDeps, 'store' | 'campaigns' | 'campaignStore' | 'clock'>,
  nominationId: string,
  due: (nomination: Nomination) => boolean = () => true,
): Promise<boolean | undefined> {
  return retryOnVersionConflict(async () => {
    const nomination = await deps.store.get(nominationId);
    if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
    if (!due(nomination)) return undefined;
    const campaign = campaignIn(deps.campaigns, nomination.campaignId);
    const eligibility = await eligibilityOf(deps, campaign, nomination);
    await deps.store.save(
      { ...nomination, eligibility, version: nomination.version + 1 },
      nomination.version,
    );
    return eligibility.every((c) => c.passed);
  });
}

/** The publicity step's outcome when the nomination went on to the parent round instead (PublicityOutcome). */
export const FORWARDED_TO_PARENT = 'forwarded-to-parent';

/**
 * The automatic work between two human steps, done by the next step's task before it stores its
 * token rather than by a Task state of its own: AWS bills every state entered ($0.000025 each,
 * a nomination's largest cost after its mails), and both are idempotent, as a task must be.
 * Before selection: the experts' scores aggregated (what the AggregateScores state did) when the
 * last review did not keep them with the status change (closeReviewIfComplete, use-cases/reviews.ts:
 * a nomination scored by code before that, or on reviews the round's rubric no longer scores), once —
 * a step armed again (an operations restart) finds the score kept. Before publicity: the selected nomination
 * forwarded (the Forward state's work) — to publicity in the top round, where the move's transaction
 * stores the step's token too (`armed`: no write of its own); in a society's round into the parent
 * round, which ends this execution. `changed` says the nomination was written.
 */
async function beforeArming(
  deps: TaskDeps,
  nomination: Nomination,
  step: AwaitedStep,
  awaiting: NonNullable<Nomination['awaiting']>,
): Promise<{ changed: boolean; toParent: boolean; armed?: Pick<Nomination, 'status' | 'awaiting'> }> {
  if (step === 'selection' && nomination.status === 'scored' && !nomination.score) {
    await aggregateScores(deps, nomination.id, nomination);
    return { changed: true, toParent: false };
  }
  // 'forwarded' with a parent nomination: a run cut short after forwarding; forward tells the unit once.
  const forwarding =
    nomination.status === 'selected' ||
    (nomination.status === 'forwarded' && Boolean(nomination.forwardedAs));
  if (step === 'publicity' && forwarding) {
    // Forwarded to publicity, the move's transaction stores the token too (one write, not two).
    const { toParent, armed } = await forward(deps, nomination.id, nomination, awaiting);
    return { changed: true, toParent, ...(armed ? { armed } : {}) };
  }
  return { changed: false, toParent: false };
}

/** The steps whose task does automatic work first (beforeArming); the others only store their token. */
const STEPS_WITH_WORK_BEFORE: ReadonlySet<AwaitedStep> = new Set(['selection', 'publicity']);

const awaitEvent = builtOnFirstUse(() =>
  z.object({
    nominationId: z.string(),
    step: z.enum(AWAITED_STEPS),
    taskToken: z.string().min(1),
    /** Set by AwaitReviews since it waits without a daily timeout: the campaign's review clock counts its days. */
    reviewClock: z.literal('campaign').optional(),
    /**
     * AwaitScreening's whole input, on the definition where it evaluates the [auto] criteria
     * (ValidateSubmission's work) when they were not kept; absent on the definition before it,
     * whose ValidateSubmission state did that.
     */
    reached: z
      .looseObject({
        eligibilityKept: z.literal(true).optional(),
        resubmission: z.looseObject({ eligibilityKept: z.literal(true).optional() }).optional(),
      })
      .optional(),
    /** How the step wants to be answered (rules/steps.ts stepAnswer); absent on the definition before it. */
    answer: z.enum(STEP_ANSWER_MODES).optional(),
  }),
);

/**
 * Every `.waitForTaskToken` human step: does the automatic work before it (beforeArming), stores
 * the token on the nomination, then answers at once if the person has already decided (their
 * decision may have come first). A retry stores the newer token and delivers the same outcome.
 */
export async function awaitStep(
  deps: TaskDeps,
  event: unknown,
): Promise<{ stored: boolean; delivered: boolean; reminded?: boolean }> {
  const { nominationId, step, taskToken, reviewClock, answer, reached } = awaitEvent().parse(event);
  // ValidateSubmission's work, without a state of its own (each state entered is a billed
  // transition): the criteria evaluated first where the submission that led here did not keep
  // them, and only while the nomination waits for screening — a retry after its token was stored
  // and the secretariat decided changes nothing the decision saw. A failure fails the state as
  // ValidateSubmission's did: retried, then SystemFailure.
  if (step === 'screening' && reached && criteriaDue(reached))
    await keepCriteria(deps, nominationId, (n) => n.status === 'submitted');
  const awaiting = {
    step,
    taskToken,
    since: deps.clock.now().toISOString(),
    ...(reviewClock ? { reviewClock } : {}),
    // Kept with the token: whoever answers it later answers it the way this execution's definition reads.
    ...(answer ? { answer } : {}),
  };
  // Selection's work before it is the scores of a nomination that was scored without them, which
  // the last review keeps today: its token is stored on that condition, reading nothing first,
  // and the nomination read (as publicity's always is) only when the store refused.
  const armedAtOnce =
    step === 'selection'
      ? await deps.store.storeAwaiting(nominationId, awaiting, { ifScoreKept: true })
      : 'refused';
  const next =
    armedAtOnce !== 'refused' ? armedAtOnce : await workThenArm(deps, nominationId, step, awaiting);
  if (!next) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  if ('answered' in next) return next.answered;
  const delivered = next.status
    ? await deliverIfDecided(deps.workflow, { ...next, status: next.status })
    : false;
  const result = { stored: true, delivered };
  // An execution on the definition before the review clock re-arms the resubmission daily to remind.
  if (step !== 'resubmission' || result.delivered) return result;
  return { ...result, reminded: await remindCorrection(deps, nominationId) };
}

/**
 * The step's automatic work (beforeArming), for the steps with some, then its token stored:
 * what the store answers, or the task's own answer when the work armed or ended the step.
 */
async function workThenArm(
  deps: TaskDeps,
  nominationId: string,
  step: AwaitedStep,
  awaiting: NonNullable<Nomination['awaiting']>,
) {
  // Only the steps with automatic work before them (beforeArming) read the nomination first.
  if (STEPS_WITH_WORK_BEFORE.has(step)) {
    const read = await deps.store.get(nominationId);
    if (!read) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
    const before = await beforeArming(deps, read, step, awaiting);
    if (before.toParent) {
      // The nomination goes on in the parent round, with an execution of its own: this one ends.
      await answerStep(deps.workflow, awaiting, FORWARDED_TO_PARENT);
      return { answered: { stored: false, delivered: true } };
    }
    if (before.armed)
      return { answered: { stored: true, delivered: await deliverIfDecided(deps.workflow, before.armed) } };
  }
  // No read: the token stored and the version raised by one transaction (or, where a decision came
  // first, by two plain writes), answering the status it meets when that answers the step.
  const armed = await deps.store.storeAwaiting(nominationId, awaiting);
  // The store refuses only on a condition asked of it, and none is asked here.
  if (armed === 'refused') throw new Error(`${nominationId}: the ${step} step's token was refused`);
  return armed;
}

const pipelineEvent = builtOnFirstUse(() =>
  z.object({
    nominationId: z.string(),
    step: z.enum(['assign-experts', 'review-day', 'aggregate-scores', 'forward', 'notify-release']),
    /** For 'review-day' (executions on the definition before the campaign's review clock): their own clock's day before this tick. */
    day: z.int().min(0).optional(),
  }),
);

/**
 * The automatic steps after screening: a retry keeps existing assignments and mails, recomputes
 * the same scores, finds the same forwarded nomination, and sends a release notice once.
 * 'aggregate-scores' and 'forward' are the await step's work now (beforeArming), and
 * 'notify-release' the release job's: they stay for executions started on an earlier definition,
 * which AWS runs to their end on it.
 */
export async function pipelineStep(deps: TaskDeps, event: unknown): Promise<Record<string, unknown>> {
  const { nominationId, step, day } = pipelineEvent().parse(event);
  switch (step) {
    case 'assign-experts': {
      try {
        const assignments = await assignExperts(deps, nominationId);
        // `day`: an execution on the definition before the campaign's review clock starts its own here.
        return { experts: assignments.map((a) => a.expertId), day: 0 };
      } catch (error) {
        // A named error, so the state machine's Retry waits for experts to be invited.
        if ((error as { code?: string }).code === 'NOT_ENOUGH_EXPERTS') {
          throw Object.assign(new Error((error as Error).message), { name: 'Laurel.NotEnoughExperts' });
        }
        throw error;
      }
    }
    case 'review-day':
      return reviewDay(deps, nominationId, day ?? 0);
    case 'aggregate-scores':
      return { score: (await aggregateScores(deps, nominationId))?.meanTotal ?? null };
    case 'forward':
      return forward(deps, nominationId);
    case 'notify-release':
      return notifyRelease(deps, nominationId);
  }
}

export const jobEvent = builtOnFirstUse(() =>
  z.object({
    campaignId: z.string(),
    jobId: z.string(),
    attempt: z.number().int().min(1),
    chunk: z.number().int().min(0),
    /** Set by the job machine's PlanJob state: the job's first task decides its moves. */
    plan: z.boolean().optional(),
    /** Set by the job machine's MarkFailed state: the error that ended the chunk's retries. */
    failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  }),
);

/**
 * What a failed chunk leaves for people to read: the message of the error, never its type, its
 * stack trace or Lambda's JSON around it. Step Functions' Cause for a Lambda error is that JSON
 * (`errorType`, `errorMessage`, `trace`); for its own errors (a timeout) it is a sentence.
 */
export function failureMessage(failure: { Error?: string; Cause?: string }): string {
  const cause = failure.Cause ?? '';
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // Not Lambda's JSON: Step Functions' own sentence.
  }
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return (firstLine || failure.Error || 'The step did not complete').slice(0, 500);
}

/** The task of the campaign-job state machine: the plan of a campaign-wide step, one chunk of it, or the note that it failed. */
export async function campaignJobTask(deps: RetentionDeps & ReviewDeps, event: unknown) {
  const { failure, plan, ...input } = jobEvent().parse(event);
  if (failure) {
    await failCampaignJob(deps, input, failureMessage(failure));
    return { ...input, done: true };
  }
  const erasure = {
    plan: (job: CampaignJob) => erasurePlan(deps, job.campaignId),
    apply: (planned: PlannedMove, job: CampaignJob) => applyErasure(deps, planned, job),
    finish: (job: CampaignJob) => finishErasure(deps, job.campaignId),
  };
  // The experts are read once a task, not once a nomination counted.
  const experts = expertsOnce(deps);
  const reviewClock = {
    plan: (job: CampaignJob) => reviewClockPlan(deps, job.campaignId),
    apply: (planned: PlannedMove, job: CampaignJob) => applyReviewClock(deps, planned, job, experts),
    finish: async () => {},
  };
  const own = { erasure, 'review-clock': reviewClock };
  return plan ? planCampaignJobTask(deps, input, own) : runCampaignJobChunk(deps, input, own);
}
