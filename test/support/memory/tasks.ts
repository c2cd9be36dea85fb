import * as z from 'zod';
import { chinaDateAt } from '../../../functions/rules/calendar.js';
import { checkNomination } from '../../../functions/rules/form-check.js';
import { buildHonoureeIndex } from '../../../functions/rules/honourees.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import { AWAITED_STEPS } from '../../../functions/rules/steps.js';
import { failCampaignJob } from '../../../functions/use-cases/campaign-jobs.js';
import {
  aggregateScores,
  forward,
  notifyRelease,
  runCampaignJobChunk,
} from '../../../functions/use-cases/campaign-steps.js';
import { deliverIfDecided } from '../../../functions/use-cases/nominations.js';
import { retryOnVersionConflict } from '../../../functions/use-cases/retry.js';
import { assignExperts } from '../../../functions/use-cases/reviews.js';
import type { TaskFunction } from './state-machines.js';
import type { WorldDeps } from './world-deps.js';

/**
 * The Lambdas the state machines call, on the in-memory world: each does what its handler in
 * functions/handlers/tasks/ does — the same use cases, the same payload — without the handler's
 * AWS clients and configuration, which are read when the handler module loads. Keep them in step
 * with those handlers.
 */

const validateEvent = z.object({ nominationId: z.string() });
const awaitEvent = z.object({
  nominationId: z.string(),
  step: z.enum(AWAITED_STEPS),
  taskToken: z.string().min(1),
});
const pipelineEvent = z.object({
  nominationId: z.string(),
  step: z.enum(['assign-experts', 'aggregate-scores', 'forward', 'notify-release']),
});
const jobEvent = z.object({
  campaignId: z.string(),
  jobId: z.string(),
  attempt: z.number().int().min(1),
  chunk: z.number().int().min(0),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** functions/handlers/tasks/validate-submission.ts */
async function validateSubmission(deps: WorldDeps, event: unknown) {
  const { nominationId } = validateEvent.parse(event);
  return retryOnVersionConflict(async () => {
    const nomination = await deps.store.get(nominationId);
    if (!nomination) throw new Error(`nomination ${nominationId} not found`);
    const campaign = deps.campaigns.get(nomination.campaignId);
    if (!campaign) throw new Error(`campaign ${nomination.campaignId} not found`);
    let list = await deps.campaignStore.honourees(campaign.id);
    if (list.length === 0 && campaign.forwardTo)
      list = await deps.campaignStore.honourees(campaign.forwardTo.campaignId);
    const { eligibility } = checkNomination(
      campaign,
      nomination,
      chinaDateAt(nomination.submittedAt ? new Date(nomination.submittedAt) : deps.clock.now()),
      buildHonoureeIndex(list),
    );
    await deps.store.save(
      { ...nomination, eligibility: eligibility ?? [], version: nomination.version + 1 },
      nomination.version,
    );
    return { nominationId, eligible: (eligibility ?? []).every((c) => c.passed) };
  });
}

/** functions/handlers/tasks/await-step.ts */
async function awaitStep(deps: WorldDeps, event: unknown) {
  const { nominationId, step, taskToken } = awaitEvent.parse(event);
  return retryOnVersionConflict(async () => {
    const nomination = await deps.store.get(nominationId);
    if (!nomination) throw new Error(`nomination ${nominationId} not found`);
    const next: Nomination = {
      ...nomination,
      awaiting: { step, taskToken, since: deps.clock.now().toISOString() },
      version: nomination.version + 1,
    };
    await deps.store.save(next, nomination.version);
    const delivered = await deliverIfDecided(deps.workflow, next);
    return { stored: true, delivered };
  });
}

/** functions/handlers/tasks/pipeline-step.ts */
async function pipelineStep(deps: WorldDeps, event: unknown): Promise<Record<string, unknown>> {
  const { nominationId, step } = pipelineEvent.parse(event);
  switch (step) {
    case 'assign-experts': {
      try {
        const assignments = await assignExperts(deps, nominationId);
        return { experts: assignments.map((a) => a.expertId) };
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_ENOUGH_EXPERTS') {
          throw Object.assign(new Error((error as Error).message), { name: 'Laurel.NotEnoughExperts' });
        }
        throw error;
      }
    }
    case 'aggregate-scores':
      return { score: (await aggregateScores(deps, nominationId))?.meanTotal ?? null };
    case 'forward':
      return forward(deps, nominationId);
    case 'notify-release':
      return notifyRelease(deps, nominationId);
  }
}

/** functions/handlers/tasks/campaign-job.ts */
async function campaignJob(deps: WorldDeps, event: unknown) {
  const { failure, ...input } = jobEvent.parse(event);
  if (failure) {
    await failCampaignJob(deps, input, [failure.Error, failure.Cause].filter(Boolean).join(': '));
    return { ...input, done: true };
  }
  return runCampaignJobChunk(deps, input);
}

/** The Lambdas of statemachines/nomination.asl.json, by their FunctionName placeholder. */
export const nominationTasks = (deps: WorldDeps): Record<string, TaskFunction> => ({
  ValidateSubmissionFunctionArn: (event) => validateSubmission(deps, event),
  AwaitStepFunctionArn: (event) => awaitStep(deps, event),
  PipelineStepFunctionArn: (event) => pipelineStep(deps, event),
});

/** The Lambda of statemachines/campaign-job.asl.json. */
export const campaignJobTasks = (deps: WorldDeps): Record<string, TaskFunction> => ({
  CampaignJobFunctionArn: (event) => campaignJob(deps, event),
});
