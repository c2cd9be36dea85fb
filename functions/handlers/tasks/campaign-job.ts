import { campaignJobTask } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';

const deps = wiring();

/** The task of statemachines/campaign-job.asl.json: one chunk of a selection, publicity or release. */
export const handler = (event: unknown) => campaignJobTask(deps, event);
