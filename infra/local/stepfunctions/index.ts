export {
  type InvokeFunction,
  type StepFunctionsOptions,
  type StepFunctionsService,
  startStepFunctions,
  timeScaleFromEnv,
} from './start-step-functions.js';
