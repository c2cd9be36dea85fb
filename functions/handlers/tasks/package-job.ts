import { packageJobTask } from '../../use-cases/package-build.js';
import { wiring } from '../../wiring/compose.js';
import {
  campaignStore,
  jobRunner,
  jobs,
  packageRunner,
  publicFiles,
  reviews,
  uploads,
  workflow,
} from '../../wiring/parts.js';

const deps = wiring({
  publicFiles,
  workflow,
  reviews,
  campaignStore,
  jobs,
  jobRunner,
  packageRunner,
  uploads,
});

/** The task of statemachines/forwarding-package.asl.json: streams the package into the bucket. */
export const handler = (event: unknown) => deps.campaigns.fresh(() => packageJobTask(deps, event));
