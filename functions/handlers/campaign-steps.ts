import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import type { CampaignJob } from '../ports/jobs.js';
import {
  campaignJob,
  confirmSelection,
  decideSelection,
  jobAnswer,
  limitForwarding,
  listObjections,
  openPublicity,
  rankingPage,
  release,
  resolveObjection,
  submitObjection,
} from '../use-cases/campaign-steps.js';
import { startErasure } from '../use-cases/retention.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, jobRunner, jobs, publicFiles, reviews, workflow } from '../wiring/parts.js';

const deps = wiring({ publicFiles, workflow, reviews, campaignStore, jobs, jobRunner, send });

/**
 * Answers a campaign-wide step at once: 202 with its running job (planned and moved by the job,
 * whatever the round's size), to be followed at `GET …/jobs/{jobId}`; 200 when nothing started
 * (nothing to move) or the job found is done.
 */
async function answerJob(
  job: CampaignJob | undefined,
  /** The answer when there was nothing to move (no job); a job's own answer replaces it. */
  nothingMoved: Record<string, unknown> = {},
) {
  return json(job?.status === 'running' ? 202 : 200, { ...nothingMoved, ...(await jobAnswer(deps, job)) });
}

/** Campaign-wide steps of the secretariat, and the public notice with its objections. */
export const handler = apiFunction(
  'campaign-steps',
  {
    'POST /api/public/{campaignId}/objections': async ({ params, body }) =>
      json(201, await submitObjection(deps, params.campaignId ?? '', body)),
    'GET /api/campaigns/{campaignId}/ranking': async ({ actor, params, query }) =>
      json(200, await rankingPage(deps, actor, params.campaignId ?? '', query)),
    // Nothing scored in those categories: no job, and no outcomes. No body selects every category.
    'POST /api/campaigns/{campaignId}/selection': async ({ actor, params, body }) =>
      answerJob(await confirmSelection(deps, actor, params.campaignId ?? '', body), {
        counts: { selected: 0, notSelected: 0 },
        outcomes: [],
        cursor: null,
      }),
    'PUT /api/campaigns/{campaignId}/selection-decisions/{nominationId}': async ({ actor, params, body }) =>
      json(200, {
        outcome: await decideSelection(deps, actor, params.campaignId ?? '', params.nominationId ?? '', body),
      }),
    'PUT /api/campaigns/{campaignId}/selection-limits/{category}': async ({ actor, params, body }) =>
      json(200, {
        outcomes: await limitForwarding(deps, actor, params.campaignId ?? '', params.category ?? '', body),
      }),
    'POST /api/campaigns/{campaignId}/publicity': async ({ actor, params }) =>
      answerJob(await openPublicity(deps, actor, params.campaignId ?? '')),
    'GET /api/campaigns/{campaignId}/jobs/{jobId}': async ({ actor, params, query }) =>
      json(200, await campaignJob(deps, actor, params.campaignId ?? '', params.jobId ?? '', query)),
    'GET /api/campaigns/{campaignId}/objections': async ({ actor, params, query }) =>
      json(200, await listObjections(deps, actor, params.campaignId ?? '', query)),
    'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution': async ({ actor, params, body }) =>
      json(200, {
        objection: await resolveObjection(
          deps,
          actor,
          params.campaignId ?? '',
          params.objectionId ?? '',
          body,
        ),
      }),
    // With nothing left on the notice there is no job: released, with an empty list.
    'POST /api/campaigns/{campaignId}/release': async ({ actor, params }) =>
      answerJob(await release(deps, actor, params.campaignId ?? ''), {
        released: 0,
        categories: 0,
      }),
    // The deletion job after retention (202 with its progress; 409 before the period is over).
    'POST /api/campaigns/{campaignId}/erasure': async ({ actor, params }) =>
      answerJob(await startErasure(deps, actor, params.campaignId ?? '')),
  },
  deps.gate,
);
