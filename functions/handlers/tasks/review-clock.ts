import { startReviewClocks } from '../../use-cases/review-clock.js';
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
 * The review clock's daily schedule (an EventBridge rule in AWS, a timer on the scaled calendar in
 * the local cloud): starts the day's review-clock job of every campaign with nominations in review
 * or returned. The event's `time` says which day.
 */
export const handler = (event: unknown) => deps.campaigns.fresh(() => startReviewClocks(deps, event));
