import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { pipelineDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import type { CampaignJob } from '../ports/jobs.js';
import {
  campaignJob,
  confirmSelection,
  jobAnswer,
  openPublicity,
  previewSelection,
  publicList,
  release,
  resolveObjection,
  submitObjection,
} from '../use-cases/campaign-steps.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const deps = pipelineDeps(clients, config);

/**
 * Answers a campaign-wide step: 200 with its outcome if its job is done within the wait (a round
 * of a few hundred is), else 202 with the job's progress, to be followed at
 * `GET …/jobs/{jobId}`. The wait counts from the request's start (the ranking takes some of it)
 * and polls the job item, backing off to half a second.
 */
async function answerJob(
  requestStart: number,
  started: CampaignJob | undefined,
  /** The answer when there was nothing to move (no job); a job's own answer replaces it. */
  nothingMoved: Record<string, unknown> = {},
) {
  let job = started;
  const until = requestStart + config.jobWaitMs;
  for (let pause = 50; job?.status === 'running' && Date.now() < until; pause = Math.min(500, pause * 2)) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, until - Date.now()))));
    job = await deps.jobs.job(job.campaignId, job.id);
  }
  return json(job?.status === 'running' ? 202 : 200, { ...nothingMoved, ...(await jobAnswer(deps, job)) });
}

/** Campaign-wide steps of the secretariat, and the public notice with its objections. */
export const handler = httpHandler<unknown>(
  async (event) => {
    const requestStart = Date.now();
    const campaignId = event.pathParameters?.campaignId ?? '';
    switch (event.routeKey) {
      case 'GET /api/public/{campaignId}/publicity':
        return json(200, await publicList(deps, campaignId, 'publicity'));
      case 'GET /api/public/{campaignId}/released':
        return json(200, await publicList(deps, campaignId, 'released'));
      case 'POST /api/public/{campaignId}/objections':
        return json(201, await submitObjection(deps, campaignId, event.body));
    }
    const actor = await authenticate(event);
    switch (event.routeKey) {
      case 'GET /api/campaigns/{campaignId}/ranking':
        return json(200, { outcomes: await previewSelection(deps, actor, campaignId) });
      case 'POST /api/campaigns/{campaignId}/selection':
        // Nothing scored in those categories: no job, and no outcomes.
        return answerJob(requestStart, await confirmSelection(deps, actor, campaignId, event.body ?? {}), {
          outcomes: [],
        });
      case 'POST /api/campaigns/{campaignId}/publicity':
        return answerJob(requestStart, await openPublicity(deps, actor, campaignId));
      case 'GET /api/campaigns/{campaignId}/jobs/{jobId}':
        return json(200, await campaignJob(deps, actor, campaignId, event.pathParameters?.jobId ?? ''));
      case 'GET /api/campaigns/{campaignId}/objections':
        return json(200, {
          objections: await deps.campaignStore
            .objections(campaignId)
            .then((o) => (actor.role === 'secretariat' && actor.campaignId === campaignId ? o : [])),
        });
      case 'POST /api/campaigns/{campaignId}/objections/{objectionId}/resolution':
        return json(200, {
          objection: await resolveObjection(
            deps,
            actor,
            campaignId,
            event.pathParameters?.objectionId ?? '',
            event.body,
          ),
        });
      default:
        // With nothing left on the notice there is no job: released, with an empty list.
        return answerJob(requestStart, await release(deps, actor, campaignId), {
          released: 0,
          categories: 0,
        });
    }
  },
  { body: 'json' },
);
