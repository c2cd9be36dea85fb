import { wiring } from './compose.js';
import { campaignStore, jobRunner, jobs, noMail, publicFiles, reviews, workflow } from './parts.js';

/**
 * What a daily schedule's function is given (retention-schedule, review-clock): the store, the
 * campaigns and what starts a campaign job; it mails no one — its jobs do.
 */
export const scheduleDeps = () =>
  wiring({ publicFiles, workflow, reviews, campaignStore, jobs, jobRunner, send: noMail });
