import { eraseDueRounds } from '../../use-cases/retention.js';
import { wiring } from '../../wiring/compose.js';
import {
  campaignStore,
  jobRunner,
  jobs,
  noMail,
  publicFiles,
  reviews,
  workflow,
} from '../../wiring/parts.js';

const deps = wiring({ publicFiles, workflow, reviews, campaignStore, jobs, jobRunner, send: noMail });

/**
 * The daily schedule (an EventBridge rule in AWS, a timer in the local cloud): starts the deletion
 * job of every round whose retention period is over and not yet erased. Answers their ids.
 */
export const handler = () => deps.campaigns.fresh(async () => ({ started: await eraseDueRounds(deps) }));
