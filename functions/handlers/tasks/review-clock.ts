import { startReviewClocks } from '../../use-cases/review-clock.js';
import { scheduleDeps } from '../../wiring/schedules.js';

const deps = scheduleDeps();

/**
 * The review clock's daily schedule (an EventBridge rule in AWS, a timer on the scaled calendar in
 * the local cloud): starts the day's review-clock job of every campaign with nominations in review
 * or returned. The event's `time` says which day.
 */
export const handler = (event: unknown) => deps.campaigns.fresh(() => startReviewClocks(deps, event));
