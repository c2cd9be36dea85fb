import { pipelineStep } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';
import { send } from '../../wiring/mail.js';
import { campaignStore, jobRunner, jobs, noPublishing, reviews, workflow } from '../../wiring/parts.js';

const deps = wiring({ publicFiles: noPublishing, workflow, reviews, campaignStore, jobs, jobRunner, send });

/** The automatic steps of statemachines/nomination.asl.json after screening (assign, aggregate, forward, notify). */
export const handler = (event: unknown) => deps.campaigns.fresh(() => pipelineStep(deps, event));
