import { validateSubmission } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';
import { campaignStore } from '../../wiring/parts.js';

const deps = wiring({ campaignStore });

/** ValidateSubmission of statemachines/nomination.asl.json: the [auto] criteria, kept for screening. */
export const handler = (event: unknown) => deps.campaigns.fresh(() => validateSubmission(deps, event));
