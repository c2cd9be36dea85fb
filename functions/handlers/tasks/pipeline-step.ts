import { pipelineStep } from '../../use-cases/tasks.js';
import { wiring } from '../../wiring/compose.js';
import { mailerOf } from '../../wiring/mail.js';

const deps = wiring(undefined, { mailer: mailerOf });

/** The automatic steps of statemachines/nomination.asl.json after screening (assign, aggregate, forward, notify). */
export const handler = (event: unknown) => pipelineStep(deps, event);
