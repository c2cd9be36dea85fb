import { FUNCTIONS } from '../functions/routes.js';

/**
 * The state machines and the `${Placeholder}` map filled into their ASL files. The CDK app
 * passes the map as `definitionSubstitutions`; the local cloud substitutes it itself — the
 * same keys in both homes (a test keeps them equal).
 */
export interface StateMachineSpec {
  name: string;
  /** ASL file, relative to the repository root. */
  file: string;
  /**
   * Functions its ASL no longer names that executions started on an earlier definition still
   * invoke: AWS runs an execution to its end on the definition it started with, under the state
   * machine's current role, so the role keeps invoking them.
   */
  earlierTasks?: readonly string[];
}

export const STATE_MACHINES: readonly StateMachineSpec[] = [
  {
    name: 'nomination',
    file: 'statemachines/nomination.asl.json',
    // ValidateSubmission: the first state before AwaitScreening evaluated the criteria itself, and
    // where a resubmission went back to — an execution waiting weeks in AwaitResubmission on that
    // definition still goes there.
    earlierTasks: ['validate-submission'],
  },
  { name: 'campaign-job', file: 'statemachines/campaign-job.asl.json' },
  { name: 'forwarding-package', file: 'statemachines/forwarding-package.asl.json' },
];

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** The placeholder key of a function: `health` → `HealthFunctionArn`. */
export const functionArnKey = (functionName: string) => `${pascal(functionName)}FunctionArn`;

/** `${HealthFunctionArn}` → the ARN of the function named `health`, for every function. */
export function substitutionMap(functionArn: (functionName: string) => string): Record<string, string> {
  return Object.fromEntries(FUNCTIONS.map((f) => [functionArnKey(f.name), functionArn(f.name)]));
}

/** Fills `${Key}` placeholders; a placeholder missing from the map is an error, never left in. */
export function substitute(definition: string, map: Readonly<Record<string, string>>): string {
  return definition.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = map[key];
    if (value === undefined) throw new Error(`no substitution for \${${key}}`);
    return value;
  });
}
