import { wiring } from './compose.js';
import { campaignStore, jobRunner, jobs, noMail, noPublishing, reviews, workflow } from './parts.js';

/**
 * What a daily schedule's function is given (retention-schedule, review-clock): the store, the
 * campaigns and what starts a campaign job; it mails no one and publishes nothing — its jobs do.
 */
export const scheduleDeps = () =>
  wiring({ publicFiles: noPublishing, workflow, reviews, campaignStore, jobs, jobRunner, send: noMail });
