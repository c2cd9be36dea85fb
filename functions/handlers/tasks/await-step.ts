import { logger } from '../../lib/logger.js';
import { awaitStep } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';
import { send } from '../../wiring/mail.js';
import { campaignStore, jobRunner, jobs, noPublishing, reviews, workflow } from '../../wiring/parts.js';

// The parts of the work before a step (aggregating scores, forwarding): each built on first use.
const deps = wiring({ publicFiles: noPublishing, workflow, reviews, campaignStore, jobs, jobRunner, send });

/** Every `.waitForTaskToken` human step of statemachines/nomination.asl.json: stores the token. */
export async function handler(
  event: unknown,
): Promise<{ stored: boolean; delivered: boolean; reminded?: boolean }> {
  const result = await deps.campaigns.fresh(() => awaitStep(deps, event));
  // The ids only: the task token is a credential and stays out of the logs.
  const { nominationId, step } = (event ?? {}) as { nominationId?: string; step?: string };
  logger.info('awaiting', { nominationId, step, ...result });
  return result;
}
