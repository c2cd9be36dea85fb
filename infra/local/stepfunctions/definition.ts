/**
 * A state machine definition as this service runs it: checked once when registered, indexed
 * by state name, and turned into a "runnable copy" for the interpreter on every (re)start.
 */
import {
  INTERPRETER_TASK_TIMEOUT_SECONDS,
  StateMachine,
  type StateMachineDefinition,
} from './asl-interpreter.js';
import { ServiceError } from './service-errors.js';

export interface AslState {
  Type: string;
  [field: string]: unknown;
}

export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  [field: string]: unknown;
}

/** How a Task state (or a Wait, which the runnable copy turns into a Task) is carried out. */
export type TaskSpec =
  | { kind: 'wait' }
  | { kind: 'invoke'; resource: string; timeoutSeconds?: number }
  | { kind: 'callback'; resource: string; timeoutSeconds?: number; heartbeatSeconds?: number }
  | { kind: 'lambda-function'; resource: string; timeoutSeconds?: number };

export interface StateInfo {
  /** The ASL type as written (`Wait` stays `Wait` even though it runs as a Task). */
  type: string;
  /** Only top-level states can be resumed after a restart. */
  topLevel: boolean;
  task?: TaskSpec;
}

export interface ParsedDefinition {
  machine: AslMachine;
  states: ReadonlyMap<string, StateInfo>;
  /** The machine's own TimeoutSeconds, enforced by the service (scaled), not the interpreter. */
  timeoutSeconds?: number;
}

/** Resource of the Task that stands in for a Wait state in the runnable copy; never leaves the process. */
const WAIT_RESOURCE = 'arn:aws:states:::laurel:wait';

const PARTITION = 'arn:aws(?:-cn|-us-gov)?';
const LAMBDA_INVOKE = new RegExp(`^${PARTITION}:states:::lambda:invoke$`);
const LAMBDA_INVOKE_CALLBACK = new RegExp(`^${PARTITION}:states:::lambda:invoke\\.waitForTaskToken$`);
const LAMBDA_FUNCTION = new RegExp(`^${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:[^:]+(?::[^:]+)?$`);

const invalid = (message: string): ServiceError =>
  new ServiceError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMachine(value: unknown): value is AslMachine {
  return (
    isRecord(value) &&
    typeof value.StartAt === 'string' &&
    isRecord(value.States) &&
    Object.values(value.States).every((state) => isRecord(state) && typeof state.Type === 'string')
  );
}

function omit<T extends Record<string, unknown>>(value: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** Sub-machines of a Map (Iterator or ItemProcessor) or a Parallel (Branches). */
function childMachines(state: AslState): AslMachine[] {
  if (state.Type === 'Map') return [state.ItemProcessor ?? state.Iterator].filter(isMachine);
  if (state.Type === 'Parallel' && Array.isArray(state.Branches)) return state.Branches.filter(isMachine);
  return [];
}

/**
 * Parses and checks a definition: the interpreter's own validation (asl-validator: schema,
 * JSONPaths, transitions) plus what this service can run. Anything it cannot run faithfully
 * is refused here, at CreateStateMachine, rather than failing an execution later.
 */
export function parseDefinition(text: string): ParsedDefinition {
  let machine: unknown;
  try {
    machine = JSON.parse(text);
  } catch (error) {
    throw invalid(`definition is not JSON: ${(error as Error).message}`);
  }
  if (!isMachine(machine)) throw invalid('a definition needs StartAt and States');
  try {
    new StateMachine(machine as unknown as StateMachineDefinition);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const states = new Map<string, StateInfo>();
  const visit = (current: AslMachine, topLevel: boolean): void => {
    if (current.QueryLanguage === 'JSONata') throw invalid('JSONata is not supported locally; use JSONPath');
    for (const [name, state] of Object.entries(current.States)) {
      if (states.has(name))
        throw invalid(`state name '${name}' is used twice; names are unique across the machine`);
      if (state.QueryLanguage === 'JSONata') throw invalid('JSONata is not supported locally; use JSONPath');
      states.set(name, { type: state.Type, topLevel, task: taskSpec(name, state) });
      for (const child of childMachines(state)) visit(child, false);
    }
  };
  visit(machine, true);
  const timeoutSeconds = typeof machine.TimeoutSeconds === 'number' ? machine.TimeoutSeconds : undefined;
  return { machine, states, timeoutSeconds };
}

function taskSpec(name: string, state: AslState): TaskSpec | undefined {
  if (state.Type === 'Wait') return { kind: 'wait' };
  if (state.Type !== 'Task') return undefined;
  if ('TimeoutSecondsPath' in state || 'HeartbeatSecondsPath' in state) {
    throw invalid(`state '${name}': TimeoutSecondsPath and HeartbeatSecondsPath are not supported locally`);
  }
  const resource = String(state.Resource);
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
  if (LAMBDA_INVOKE_CALLBACK.test(resource))
    return { kind: 'callback', resource, timeoutSeconds, heartbeatSeconds };
  if (LAMBDA_INVOKE.test(resource)) return { kind: 'invoke', resource, timeoutSeconds };
  if (LAMBDA_FUNCTION.test(resource)) return { kind: 'lambda-function', resource, timeoutSeconds };
  throw invalid(`state '${name}': resource '${resource}' is not supported locally (only Lambda)`);
}

/**
 * The copy the interpreter runs, starting at `startAt` (a top-level state; the cursor after
 * a restart):
 * - Wait states become Tasks handled by this service, so waits are scaled, survive a restart
 *   with their remaining time, and last longer than 24.8 days; `Parameters` hands the
 *   handler the effective input and the interval, with any path already resolved.
 * - Task TimeoutSeconds/HeartbeatSeconds are removed (the service enforces them, scaled) and
 *   replaced by the interpreter's longest timer, `interpreterTimeoutSeconds`.
 * - The machine's TimeoutSeconds is removed: the service enforces it across restarts.
 */
export function runnableDefinition(
  parsed: ParsedDefinition,
  startAt: string,
  interpreterTimeoutSeconds = INTERPRETER_TASK_TIMEOUT_SECONDS,
): StateMachineDefinition {
  const runnableState = (state: AslState): Record<string, unknown> => {
    switch (state.Type) {
      case 'Wait': {
        const interval =
          state.Seconds !== undefined
            ? { seconds: state.Seconds }
            : state.SecondsPath !== undefined
              ? { 'seconds.$': state.SecondsPath }
              : state.Timestamp !== undefined
                ? { timestamp: state.Timestamp }
                : { 'timestamp.$': state.TimestampPath };
        return {
          ...omit(state, ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
          Type: 'Task',
          Resource: WAIT_RESOURCE,
          Parameters: { 'input.$': '$', ...interval },
          TimeoutSeconds: interpreterTimeoutSeconds,
        };
      }
      case 'Task':
        return {
          ...omit(state, ['TimeoutSeconds', 'HeartbeatSeconds']),
          TimeoutSeconds: interpreterTimeoutSeconds,
        };
      case 'Map': {
        const key = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
        const processor = state[key];
        return isMachine(processor) ? { ...state, [key]: runnableMachine(processor) } : state;
      }
      case 'Parallel':
        return { ...state, Branches: childMachines(state).map(runnableMachine) };
      default:
        return state;
    }
  };
  const runnableMachine = (machine: AslMachine): Record<string, unknown> => ({
    ...machine,
    States: Object.fromEntries(
      Object.entries(machine.States).map(([name, state]) => [name, runnableState(state)]),
    ),
  });
  const top = { ...runnableMachine(parsed.machine), StartAt: startAt };
  // Validated by parseDefinition when the machine was registered; the copy only moves timers.
  return omit(top, ['TimeoutSeconds']) as unknown as StateMachineDefinition;
}
