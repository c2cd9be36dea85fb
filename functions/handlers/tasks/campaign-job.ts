import { campaignJobTask } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';
import { send } from '../../wiring/mail.js';
import {
  campaignStore,
  erasure,
  files,
  jobRunner,
  jobs,
  publicFiles,
  reviews,
  workflow,
} from '../../wiring/parts.js';

const deps = wiring({ publicFiles, workflow, reviews, campaignStore, jobs, jobRunner, send, erasure, files });

/** The task of statemachines/campaign-job.asl.json: one chunk of a selection (each unit told of its outcome), publicity, release or erasure. */
export const handler = (event: unknown) => deps.campaigns.fresh(() => campaignJobTask(deps, event));
