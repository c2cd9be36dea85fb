import * as z from 'zod';
import type { CampaignJob, PlannedMove } from '../ports/jobs.js';
import type { Actor } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { correctionReminderDue } from '../rules/deadline.js';
import { reviewClockDayOf, reviewClockJobId } from '../rules/review-clock.js';
import { startCampaignJob } from './campaign-jobs.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { type NoticeDeps, tellUnit } from './notices.js';
import { campaignReviewDay, type ExpertsById, type ReviewDeps } from './reviews.js';

/**
 * The campaign-wide review clock. Once a day a schedule (an EventBridge rule in AWS, the local
 * cloud's timer on its scaled calendar) starts, for every campaign with nominations in review or
 * returned for correction, one campaign job (functions/use-cases/campaign-jobs.ts: the ids listed
 * by status from the index, in chunks of 100, a chunk per task) that counts one day of the review
 * clock for each nomination in review — due days, reminders, overdue notices, reassignment — and
 * reminds units whose correction window is about to end. The executions wait in their human steps
 * without a daily timeout: a day of the clock costs a nomination two store reads and a hundredth
 * of a task, not two state transitions, two invocations and a write.
 *
 * The day is the schedule's: its number is the job's id, so a schedule delivered twice or retried
 * finds the day's job and starts nothing more; a chunk retried after a crash counts its
 * nominations again, which sends and records nothing twice.
 */

/** What the schedule's event carries that the clock needs: the instant it was scheduled for. */
const scheduledEvent = builtOnFirstUse(() => z.object({ time: z.iso.datetime({ offset: true }) }));

/** Who the daily schedule acts as: no person. */
const clockActor = (campaignId: string): Actor => ({
  role: 'ops',
  campaignId,
  subjectId: 'review-clock',
  name: 'Laurel',
  email: '',
});

/** The planned move of a review-clock job for a nomination in review, and for one returned. */
const REVIEW_DAY: PlannedMove['action'] = 'review-day';
const CORRECTION_REMINDER: PlannedMove['action'] = 'correction-reminder';

/**
 * The daily schedule: starts the day's review-clock job of every campaign with a nomination in
 * review or returned (its counts aggregate says so: one read a campaign). Answers the jobs started
 * or found, by campaign.
 */
export async function startReviewClocks(
  deps: CampaignStepDeps,
  event: unknown,
): Promise<{ day: number; campaigns: string[] }> {
  const day = reviewClockDayOf(scheduledEvent().parse(event).time);
  const campaigns: string[] = [];
  for (const campaign of deps.campaigns.values()) {
    const counts = await deps.store.counts(campaign.id);
    if (!counts['in-review'] && !counts.returned) continue;
    const jobId = reviewClockJobId(day);
    // A day counted already is not counted again; one that failed goes on (startCampaignJob).
    const counted = await deps.jobs.job(campaign.id, jobId);
    await startCampaignJob(deps, clockActor(campaign.id), {
      campaignId: campaign.id,
      jobId,
      step: 'review-clock',
      pending: !counted,
      summary: { day },
    });
    campaigns.push(campaign.id);
  }
  return { day, campaigns };
}

/** The job's plan: every nomination in review, then every one returned, by id from the status index. */
export async function* reviewClockPlan(
  deps: Pick<CampaignStepDeps, 'store'>,
  campaignId: string,
): AsyncGenerator<readonly PlannedMove[]> {
  yield (await deps.store.idsWithStatus(campaignId, 'in-review')).map((nominationId) => ({
    nominationId,
    action: REVIEW_DAY,
  }));
  yield (await deps.store.idsWithStatus(campaignId, 'returned')).map((nominationId) => ({
    nominationId,
    action: CORRECTION_REMINDER,
  }));
}

/** The day a review-clock job counts (its summary, set when the schedule started it). */
export function reviewClockDayOfJob(job: Pick<CampaignJob, 'summary' | 'id'>): number {
  const day = job.summary?.day;
  if (typeof day !== 'number') throw new Error(`review-clock job ${job.id} has no day`);
  return day;
}

/** One planned move of the day: the nomination's review day, or the unit's correction reminder. */
export async function applyReviewClock(
  deps: ReviewDeps,
  planned: PlannedMove,
  job: CampaignJob,
  experts: (campaignId: string) => ExpertsById,
): Promise<void> {
  if (planned.action === CORRECTION_REMINDER) {
    await remindCorrection(deps, planned.nominationId);
    return;
  }
  await campaignReviewDay(deps, planned.nominationId, reviewClockDayOfJob(job), experts(job.campaignId));
}

/**
 * A unit whose correction window ends within the campaign's `corrections.reminderHours` is
 * reminded, once per window (mailOnce, keyed on the window's end) — by the review clock each day,
 * and by the resubmission step of an execution on the definition before it, which re-arms daily.
 */
export async function remindCorrection(
  deps: NoticeDeps & Required<Pick<NoticeDeps, 'send' | 'webUrl'>>,
  nominationId: string,
): Promise<boolean> {
  const nomination = await deps.store.get(nominationId);
  const campaign = nomination && deps.campaigns.get(nomination.campaignId);
  if (!nomination || !campaign || nomination.status !== 'returned') return false;
  const until = nomination.correctionUntil;
  // Both callers look once a day: the review clock, and an old execution's daily re-arm.
  if (!until || !correctionReminderDue(until, deps.clock.now(), campaign.corrections.reminderHours, 24))
    return false;
  return tellUnit(deps, nomination, 'correction-reminder', {
    onceFor: until,
    details: [{ label: { zh: '退回理由', en: 'Reasons for return' }, value: nomination.reasons ?? '' }],
    deadline: { label: { zh: '修改后重新提交截止时间', en: 'Correct and resubmit by' }, at: new Date(until) },
  });
}
