import { packageJobTask } from '../../../functions/use-cases/package-build.js';
import {
  awaitStep,
  campaignJobTask,
  pipelineStep,
  validateSubmission,
} from '../../../functions/use-cases/tasks.js';
import type { TaskFunction } from './state-machines.js';
import type { WorldDeps } from './world-deps.js';

/**
 * The Lambdas the state machines call, on the in-memory world: the same task use cases the
 * handlers in functions/handlers/tasks/ call, without the handlers' AWS clients and configuration.
 */

/** The Lambdas of statemachines/nomination.asl.json, by their FunctionName placeholder. */
export const nominationTasks = (deps: WorldDeps): Record<string, TaskFunction> => ({
  ValidateSubmissionFunctionArn: (event) => validateSubmission(deps, event),
  AwaitStepFunctionArn: (event) => awaitStep(deps, event),
  PipelineStepFunctionArn: (event) => pipelineStep(deps, event),
});

/** The Lambda of statemachines/campaign-job.asl.json. */
export const campaignJobTasks = (deps: WorldDeps): Record<string, TaskFunction> => ({
  CampaignJobFunctionArn: (event) => campaignJobTask(deps, event),
});

/** The Lambda of statemachines/forwarding-package.asl.json. */
export const packageJobTasks = (deps: WorldDeps): Record<string, TaskFunction> => ({
  PackageJobFunctionArn: (event) => packageJobTask(deps, event),
});
