import { eraseDueRounds } from '../../use-cases/retention.js';
import { scheduleDeps } from '../../wiring/schedules.js';

const deps = scheduleDeps();

/**
 * The daily schedule (an EventBridge rule in AWS, a timer in the local cloud): starts the deletion
 * job of every round whose retention period is over and not yet erased. Answers their ids.
 */
export const handler = () => deps.campaigns.fresh(async () => ({ started: await eraseDueRounds(deps) }));
