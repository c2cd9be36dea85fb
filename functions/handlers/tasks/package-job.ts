import { packageJobTask } from '../../use-cases/package-build.js';
import { wiring } from '../../wiring/compose.js';
import { packageParts } from '../../wiring/upload-parts.js';

const deps = wiring(packageParts);

/** The task of statemachines/forwarding-package.asl.json: streams the package into the bucket. */
export const handler = (event: unknown) => deps.campaigns.fresh(() => packageJobTask(deps, event));
