import * as z from 'zod';
import { failCampaignJob } from '../../use-cases/campaign-jobs.js';
import { runCampaignJobChunk } from '../../use-cases/campaign-steps.js';
import { wiring } from '../../wiring/compose.js';

const deps = wiring();

const eventSchema = z.object({
  campaignId: z.string(),
  jobId: z.string(),
  attempt: z.number().int().min(1),
  chunk: z.number().int().min(0),
  /** Set by the job machine's MarkFailed state: the error that ended the chunk's retries. */
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** The task of the campaign-job state machine: one chunk of a campaign-wide step, or the note that it failed. */
export async function handler(event: unknown) {
  const { failure, ...input } = eventSchema.parse(event);
  if (failure) {
    await failCampaignJob(deps, input, [failure.Error, failure.Cause].filter(Boolean).join(': '));
    return { ...input, done: true };
  }
  return runCampaignJobChunk(deps, input);
}
