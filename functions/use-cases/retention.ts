import type { CampaignStore } from '../ports/campaigns.js';
import type { CampaignJob, PlannedMove } from '../ports/jobs.js';
import { type Actor, requireRole } from '../rules/access.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { NOMINATION_STATUSES } from '../rules/nomination-status.js';
import { packagePrefixOf, retentionNotOver, retentionOver, roundErasureDueAt } from '../rules/retention.js';
import { startCampaignJob } from './campaign-jobs.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { type ErasureDeps, erasePersonalData } from './erasure.js';

/**
 * The deletion job (PIPL art. 19): once a round's retention period after its release is over, a
 * campaign-wide job (functions/use-cases/campaign-jobs.ts: a plan in chunks, one Step Functions
 * execution applying a chunk per task) erases every nomination's personal information
 * (functions/use-cases/erasure.ts), then the round's forwarding packages and exported copies, and
 * marks the round erased. Started each day by a schedule for every round due, or by the
 * secretariat; before the period is over it is refused and nothing is touched.
 */

export type RetentionDeps = CampaignStepDeps & Pick<ErasureDeps, 'erasure' | 'files'>;

const JOB_ID = 'erasure';
/** The planned move of an erasure (a move of the job, not an audit action: erasePersonalData records its own). */
const ERASE: PlannedMove['action'] = 'erase';

/** Who the daily schedule acts as: no person. */
const scheduleActor = (campaignId: string): Actor => ({
  role: 'ops',
  campaignId,
  subjectId: 'retention-schedule',
  name: 'Laurel',
  email: '',
});

/**
 * Starts (or finds) the round's deletion job — undefined for a round without a single nomination,
 * marked erased at once; 409 before its retention is over. `schedule`: the
 * daily start, which acts as no person; otherwise the secretariat of the round.
 */
export async function startErasure(
  deps: CampaignStepDeps,
  actor: Actor | 'schedule',
  campaignId: string,
): Promise<CampaignJob | undefined> {
  if (actor !== 'schedule') requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const state = await deps.campaignStore.state(campaignId);
  const due = await erasureDueOf(deps, campaign);
  if (!retentionOver(due, deps.clock.now())) throw retentionNotOver(due);
  // Erased already: the job that did it answers (a repeated request erases nothing twice).
  if (state.erasedAt) return deps.jobs.job(campaignId, JOB_ID);
  const job = await startCampaignJob(deps, actor === 'schedule' ? scheduleActor(campaignId) : actor, {
    campaignId,
    jobId: JOB_ID,
    step: 'erasure',
    pending: true,
  });
  return job;
}

/**
 * When the round's personal information is due for deletion (functions/rules/retention.ts,
 * `roundErasureDueAt`): from its release and, for a round that forwards, no earlier than the round
 * it forwards to. The overview shows the same instant, so the page and the job agree.
 */
export async function erasureDueOf(
  deps: { campaignStore: Pick<CampaignStore, 'state'>; campaigns: ReadonlyMap<string, Campaign> },
  campaign: Campaign,
): Promise<Date | undefined> {
  const own = {
    releasedAt: (await deps.campaignStore.state(campaign.id)).releasedAt,
    retentionDays: campaign.privacy.retentionDays,
  };
  const parent = campaign.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  if (!parent) return roundErasureDueAt(own);
  const parentState = await deps.campaignStore.state(parent.id);
  return roundErasureDueAt(own, {
    releasedAt: parentState.releasedAt,
    retentionDays: parent.privacy.retentionDays,
  });
}

/** The daily schedule: starts the deletion job of every round whose retention is over and not yet erased. */
export async function eraseDueRounds(deps: CampaignStepDeps): Promise<string[]> {
  const started: string[] = [];
  for (const campaign of deps.campaigns.values()) {
    const state = await deps.campaignStore.state(campaign.id);
    if (state.erasedAt) continue;
    if (!retentionOver(await erasureDueOf(deps, campaign), deps.clock.now())) continue;
    await startErasure(deps, 'schedule', campaign.id);
    started.push(campaign.id);
  }
  return started;
}

/** The job's plan: every nomination of the round, by id, status by status (no form read). */
export async function* erasurePlan(
  deps: Pick<CampaignStepDeps, 'store'>,
  campaignId: string,
): AsyncGenerator<readonly PlannedMove[]> {
  for (const status of NOMINATION_STATUSES) {
    const ids = await deps.store.idsWithStatus(campaignId, status);
    yield ids.map((nominationId) => ({ nominationId, action: ERASE }));
  }
}

/** One planned erasure, applied by the job's task. */
export async function applyErasure(deps: RetentionDeps, planned: PlannedMove, job: CampaignJob) {
  const campaign = campaignIn(deps.campaigns, job.campaignId);
  await erasePersonalData(deps, planned.nominationId, {
    cause: 'retention',
    by: { role: job.by.role, subjectId: job.by.subjectId },
    trailDays: campaign.privacy.retentionDays,
  });
}

/** The job's end: the round's packages and exported copies (every version) erased, and the round marked erased. */
export async function finishErasure(deps: RetentionDeps, campaignId: string) {
  await deps.files.eraseEveryVersion(packagePrefixOf(campaignId));
  const state = await deps.campaignStore.state(campaignId);
  if (!state.erasedAt)
    await deps.campaignStore.saveState({ ...state, erasedAt: deps.clock.now().toISOString() });
}
