import { lambdaErrorPayload } from '../../../infra/local/lambda.js';
import { invalidToken } from './aws-errors.js';

/** What crosses Step Functions is JSON: undefined fields vanish, dates become strings. */
const json = <T>(value: T): T => (value === undefined ? (null as T) : JSON.parse(JSON.stringify(value)));
const copy = json;

/**
 * Step Functions in memory: the project's own state machine definitions (statemachines/*.asl.json)
 * run by a small interpreter, their Lambda tasks calling the use cases directly (tasks.ts). It
 * supports what those definitions use — Task (lambda:invoke, with or without
 * .waitForTaskToken), Choice on StringEquals / BooleanEquals, Succeed, Fail; Parameters,
 * ResultSelector, ResultPath, OutputPath; Retry and Catch — and refuses anything else loudly, so
 * a change to a definition that these tests cannot follow shows at once.
 *
 * Nothing runs behind a test's back: a started execution, or one whose task token was answered,
 * moves only when the test calls `settle()` (the cloud "catching up"), state after state until
 * every execution waits for a person, has ended, or waits out a long retry interval. Retries with
 * intervals under ten minutes (a Lambda's backoff) are made at once; a longer one (the hourly
 * wait for experts) leaves the execution paused in that state until `retryNow`.
 */

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

interface ChoiceRule {
  Variable: string;
  StringEquals?: string;
  BooleanEquals?: boolean;
  Next: string;
}

export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  OutputPath?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  Choices?: ChoiceRule[];
  Default?: string;
  Next?: string;
  End?: boolean;
  Error?: string;
  Cause?: string;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** A Lambda of a definition, by the placeholder its FunctionName names (`${XFunctionArn}` → XFunctionArn). */
export type TaskFunction = (payload: unknown) => Promise<unknown>;

export interface TaskError {
  Error: string;
  Cause: string;
}

export interface Execution {
  machine: string;
  name: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** Start and stop, on the world's clock when the machines were given one. */
  startDate: string;
  stopDate?: string;
  /** Every state entered, in order (what GetExecutionHistory's *StateEntered events name). */
  states: string[];
  /** The state it is in (or ended in). */
  current: string;
  /** The current state's input. */
  data: unknown;
  /** The task token it waits on, in a .waitForTaskToken state. */
  waitingOn?: string;
  /** Every error a state met, in order, whether retried, caught or the end of the execution. */
  errors: (TaskError & { state: string })[];
  /** Paused for a retry whose interval is ten minutes or more. */
  retryPending?: TaskError;
  output?: unknown;
  error?: TaskError;
}

export interface TaskTokenRecord {
  token: string;
  execution: string;
  state: string;
  status: 'open' | 'succeeded' | 'failed' | 'timed-out';
  output?: unknown;
  error?: TaskError;
}

/** What the service was asked, in order: the Step Functions API calls of the adapters. */
export type ServiceCall =
  | {
      action: 'StartExecution';
      machine: string;
      name: string;
      input: unknown;
      answer: 'started' | 'running' | 'ended';
    }
  | { action: 'SendTaskSuccess'; token: string; output: unknown; answer: 'delivered' | 'closed' }
  | { action: 'SendTaskFailure'; token: string; error: TaskError; answer: 'delivered' | 'closed' };

/** A retry interval from which an execution pauses (the hourly wait for experts); shorter ones are made at once. */
const LONG_RETRY_SECONDS = 600;

class Unsupported extends Error {
  constructor(what: string) {
    super(`the in-memory state machines do not support ${what}`);
    this.name = 'States.Runtime';
  }
}

/** Reads a reference path: `$`, `$.a.b` on the data, `$$.Task.Token` (and the like) on the context. */
function readPath(path: string, data: unknown, context: unknown): unknown {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : [data, path.slice(1)];
  if (rest === '') return root;
  if (!/^(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(rest)) throw new Unsupported(`the path ${path}`);
  let value: unknown = root;
  for (const key of rest.slice(1).split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      throw Object.assign(new Error(`Invalid path ${path}`), { name: 'States.Runtime' });
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Parameters / ResultSelector: a `key.$` takes the value at its path, anything else is literal. */
function resolveTemplate(template: unknown, data: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, data, context));
  if (template === null || typeof template !== 'object') return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) =>
      key.endsWith('.$')
        ? [key.slice(0, -2), copy(readPath(String(value), data, context))]
        : [key, resolveTemplate(value, data, context)],
    ),
  );
}

/** Puts `result` into `data` at a ResultPath: null keeps the input, `$` replaces it. */
function applyResultPath(data: unknown, result: unknown, path: string | null | undefined): unknown {
  if (path === null) return data;
  if (path === undefined || path === '$') return result;
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_-]*)+$/.test(path)) throw new Unsupported(`the ResultPath ${path}`);
  const out = (data !== null && typeof data === 'object' ? copy(data) : {}) as Record<string, unknown>;
  const keys = path.slice(2).split('.');
  let target = out;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    target[key] = next !== null && typeof next === 'object' ? next : {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys.at(-1) as string] = result;
  return out;
}

/** `States.ALL` matches anything, `States.TaskFailed` anything but a timeout, else the name itself. */
const matches = (errorEquals: readonly string[], name: string) =>
  errorEquals.some(
    (e) => e === 'States.ALL' || e === name || (e === 'States.TaskFailed' && name !== 'States.Timeout'),
  );

/**
 * A Lambda's error as Step Functions reports it: its type (the error's name), and as the Cause the
 * JSON Lambda's runtime writes (errorType, errorMessage, trace), as the local cloud does too.
 */
const taskErrorOf = (error: unknown): TaskError => {
  const payload = lambdaErrorPayload(error);
  return { Error: payload.errorType, Cause: JSON.stringify(payload) };
};

/**
 * An execution with what only the interpreter keeps: retries made in the current state, whether
 * it was entered, and the definition it started with (as AWS, which runs an execution to its end
 * on that definition when the state machine is updated: `register` again is the update).
 */
type Running = Execution & { retries: number[]; entered: boolean; definition: AslDefinition };

interface Machine {
  definition: AslDefinition;
  functions: Record<string, TaskFunction>;
}

export class MemoryStateMachines {
  readonly calls: ServiceCall[] = [];
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Running>();
  private readonly tokens = new Map<string, TaskTokenRecord>();
  private issued = 0;

  private readonly now: () => Date;
  private readonly beforeTask: () => void;

  /**
   * `now` dates executions; `beforeTask` runs before each Task's Lambda is called — the world
   * winds its clock on a little there, as real tasks take time and audit events keep their order.
   */
  constructor(options: { now?: () => Date; beforeTask?: () => void } = {}) {
    this.now = options.now ?? (() => new Date());
    this.beforeTask = options.beforeTask ?? (() => {});
  }

  register(machine: string, definition: AslDefinition, functions: Record<string, TaskFunction>): void {
    for (const [name, state] of Object.entries(definition.States)) {
      if (!['Task', 'Choice', 'Succeed', 'Fail'].includes(state.Type)) {
        throw new Unsupported(`${state.Type} states (${machine}.${name})`);
      }
      if (state.Type === 'Task') {
        const fn = this.functionName(state);
        if (!functions[fn]) throw new Error(`${machine}.${name} calls ${fn}, which has no task function`);
      }
    }
    this.machines.set(machine, { definition, functions });
  }

  /** StartExecution: a name runs once; a repeat while it runs is the same execution, after it ended it is refused. */
  start(machine: string, name: string, input: unknown): 'started' | 'running' | 'ended' {
    const key = `${machine}:${name}`;
    const existing = this.executions.get(key);
    const answer = existing ? (existing.status === 'RUNNING' ? 'running' : 'ended') : 'started';
    this.calls.push({ action: 'StartExecution', machine, name, input: copy(input), answer });
    if (existing) return answer;
    const definition = this.machine(machine).definition;
    this.executions.set(key, {
      machine,
      name,
      input: copy(input),
      status: 'RUNNING',
      startDate: this.now().toISOString(),
      states: [],
      errors: [],
      current: definition.StartAt,
      data: copy(input),
      retries: [],
      entered: false,
      definition,
    });
    return answer;
  }

  /** SendTaskSuccess: 'closed' for a token already answered or timed out; an unknown token is InvalidToken. */
  sendTaskSuccess(token: string, output: unknown): 'delivered' | 'closed' {
    const record = this.tokens.get(token);
    if (!record) throw invalidToken(token);
    const answer = record.status === 'open' ? 'delivered' : 'closed';
    this.calls.push({ action: 'SendTaskSuccess', token, output: copy(output), answer });
    if (answer === 'delivered') Object.assign(record, { status: 'succeeded', output: copy(output) });
    return answer;
  }

  sendTaskFailure(token: string, error: TaskError): 'delivered' | 'closed' {
    const record = this.tokens.get(token);
    if (!record) throw invalidToken(token);
    const answer = record.status === 'open' ? 'delivered' : 'closed';
    this.calls.push({ action: 'SendTaskFailure', token, error, answer });
    if (answer === 'delivered') Object.assign(record, { status: 'failed', error });
    return answer;
  }

  /** The waiting task's TimeoutSeconds passed: its token closes, the state fails with States.Timeout. */
  timeOut(token: string): void {
    const record = this.tokens.get(token);
    if (record?.status !== 'open') throw new Error(`token ${token} is not open`);
    Object.assign(record, {
      status: 'timed-out',
      error: { Error: 'States.Timeout', Cause: 'task timed out' },
    });
  }

  /**
   * Runs every execution (of one machine, if given) on until none can move: each waits for a
   * person, waits out a long retry, or has ended.
   */
  async settle(only?: { machine: string }, maxRounds = 1000): Promise<void> {
    for (let round = 0; round < maxRounds; round += 1) {
      const runnable = [...this.executions.values()].filter(
        (e) => this.canMove(e) && (!only || e.machine === only.machine),
      );
      if (runnable.length === 0) return;
      for (const execution of runnable) await this.run(execution);
    }
    throw new Error(`the executions did not settle within ${maxRounds} rounds`);
  }

  /** StopExecution: the execution ends ABORTED; its open task token closes. */
  stop(machine: string, name: string): void {
    const execution = this.executions.get(`${machine}:${name}`);
    if (execution?.status !== 'RUNNING') throw new Error(`${machine}:${name} is not running`);
    const open = execution.waitingOn ? this.tokens.get(execution.waitingOn) : undefined;
    if (open?.status === 'open') open.status = 'timed-out';
    delete execution.waitingOn;
    delete execution.retryPending;
    execution.status = 'ABORTED';
    execution.stopDate = this.now().toISOString();
  }

  /** The long retry interval an execution waits out has passed: it tries the state again (on the next settle). */
  retryNow(machine: string, name: string): void {
    const execution = this.executions.get(`${machine}:${name}`);
    if (!execution?.retryPending) throw new Error(`${machine}:${name} waits for no retry`);
    delete execution.retryPending;
  }

  execution(machine: string, name: string): Execution | undefined {
    const execution = this.executions.get(`${machine}:${name}`);
    if (!execution) return undefined;
    const { retries: _retries, entered: _entered, definition: _definition, ...shown } = execution;
    return copy(shown);
  }

  listExecutions(machine: string): Execution[] {
    return [...this.executions.values()]
      .filter((e) => e.machine === machine)
      .map((e) => this.execution(machine, e.name) as Execution);
  }

  token(token: string): TaskTokenRecord | undefined {
    const record = this.tokens.get(token);
    return record ? copy(record) : undefined;
  }

  /** Every token issued to an execution, oldest first. */
  tokensOf(machine: string, name: string): TaskTokenRecord[] {
    const key = `${machine}:${name}`;
    return [...this.tokens.values()].filter((t) => t.execution === key).map(copy);
  }

  private machine(name: string): Machine {
    const machine = this.machines.get(name);
    if (!machine) throw new Error(`no state machine ${name} registered`);
    return machine;
  }

  private functionName(state: AslState): string {
    if (
      state.Resource !== 'arn:aws:states:::lambda:invoke' &&
      state.Resource !== 'arn:aws:states:::lambda:invoke.waitForTaskToken'
    ) {
      throw new Unsupported(`the resource ${state.Resource}`);
    }
    const name = String(state.Parameters?.FunctionName ?? '');
    const placeholder = /^\$\{(\w+)\}$/.exec(name);
    if (!placeholder?.[1]) throw new Unsupported(`the FunctionName ${name}`);
    return placeholder[1];
  }

  private canMove(execution: Execution): boolean {
    if (execution.status !== 'RUNNING' || execution.retryPending) return false;
    return !execution.waitingOn || this.tokens.get(execution.waitingOn)?.status !== 'open';
  }

  private async run(execution: Running): Promise<void> {
    const { functions } = this.machine(execution.machine);
    const { definition } = execution;
    const key = `${execution.machine}:${execution.name}`;
    while (this.canMove(execution)) {
      const state = definition.States[execution.current];
      if (!state) throw new Error(`${key}: no state ${execution.current}`);
      if (execution.waitingOn) {
        const answered = this.tokens.get(execution.waitingOn) as TaskTokenRecord;
        delete execution.waitingOn;
        if (answered.status === 'succeeded') this.completeTask(execution, state, answered.output);
        else this.failTask(execution, state, answered.error ?? { Error: 'States.TaskFailed', Cause: '' });
        continue;
      }
      if (!execution.entered) {
        // A retry stays in the state it entered; a Catch back into the same state enters it again.
        execution.states.push(execution.current);
        execution.entered = true;
      }
      switch (state.Type) {
        case 'Task': {
          const waits = state.Resource?.endsWith('.waitForTaskToken') ?? false;
          let token: string | undefined;
          if (waits) {
            this.issued += 1;
            token = `token-${this.issued}-${execution.name}-${execution.current}`;
            this.tokens.set(token, { token, execution: key, state: execution.current, status: 'open' });
          }
          const context = {
            Execution: { Name: execution.name, Input: execution.input },
            State: { Name: execution.current },
            ...(token ? { Task: { Token: token } } : {}),
          };
          const parameters = resolveTemplate(state.Parameters ?? {}, execution.data, context) as {
            Payload?: unknown;
          };
          const fn = functions[this.functionName(state)] as TaskFunction;
          let result: unknown;
          this.beforeTask();
          try {
            result = await fn(copy(parameters.Payload ?? execution.data));
          } catch (error) {
            if (token) Object.assign(this.tokens.get(token) as TaskTokenRecord, { status: 'failed' });
            this.failTask(execution, state, taskErrorOf(error));
            break;
          }
          if (token) execution.waitingOn = token;
          else
            this.completeTask(execution, state, {
              ExecutedVersion: '$LATEST',
              Payload: copy(result ?? null),
              StatusCode: 200,
            });
          break;
        }
        case 'Choice': {
          const rule = (state.Choices ?? []).find((choice) => {
            const value = readPath(choice.Variable, execution.data, {});
            if ('StringEquals' in choice) return value === choice.StringEquals;
            if ('BooleanEquals' in choice) return value === choice.BooleanEquals;
            throw new Unsupported(`the choice rule ${JSON.stringify(choice)}`);
          });
          const next = rule?.Next ?? state.Default;
          if (next) this.goTo(execution, next);
          else this.end(execution, { error: { Error: 'States.NoChoiceMatched', Cause: execution.current } });
          break;
        }
        case 'Succeed':
          this.end(execution, { output: execution.data });
          break;
        case 'Fail':
          this.end(execution, { error: { Error: state.Error ?? '', Cause: state.Cause ?? '' } });
          break;
      }
    }
  }

  private completeTask(execution: Running, state: AslState, result: unknown): void {
    const selected = state.ResultSelector ? resolveTemplate(state.ResultSelector, result, {}) : result;
    const merged = applyResultPath(execution.data, selected, state.ResultPath);
    execution.data = state.OutputPath ? readPath(state.OutputPath, merged, {}) : merged;
    this.next(execution, state);
  }

  private failTask(execution: Running, state: AslState, error: TaskError): void {
    execution.errors.push({ ...error, state: execution.current });
    const retriers = state.Retry ?? [];
    const r = retriers.findIndex((retrier) => matches(retrier.ErrorEquals, error.Error));
    const retrier = retriers[r];
    if (retrier) {
      const made = execution.retries[r] ?? 0;
      if (made < (retrier.MaxAttempts ?? 3)) {
        execution.retries[r] = made + 1;
        // Capped as Step Functions caps it: a throttled task's minute-long waits are not a pause.
        const interval = Math.min(
          (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** made,
          retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
        );
        if (interval >= LONG_RETRY_SECONDS) execution.retryPending = error;
        return; // the state runs again: at once, or after retryNow
      }
    }
    const catcher = (state.Catch ?? []).find((c) => matches(c.ErrorEquals, error.Error));
    if (!catcher) {
      this.end(execution, { error });
      return;
    }
    execution.data = applyResultPath(execution.data, error, catcher.ResultPath);
    this.goTo(execution, catcher.Next);
  }

  private next(execution: Running, state: AslState): void {
    if (state.End) this.end(execution, { output: execution.data });
    else if (state.Next) this.goTo(execution, state.Next);
    else throw new Unsupported(`a state with neither Next nor End (${execution.current})`);
  }

  private goTo(execution: Running, next: string): void {
    execution.current = next;
    execution.entered = false;
    execution.retries = [];
  }

  private end(execution: Execution, outcome: { output?: unknown; error?: TaskError }): void {
    execution.stopDate = this.now().toISOString();
    if (outcome.error) {
      execution.status = 'FAILED';
      execution.error = outcome.error;
    } else {
      execution.status = 'SUCCEEDED';
      execution.output = copy(outcome.output);
    }
  }
}
