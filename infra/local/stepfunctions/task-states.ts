/**
 * The Task states of one run, as handlers the interpreter calls through
 * `taskResourceLocalHandlers` (keyed by state name). Every Task is handled here — the
 * interpreter's own Lambda integration would call real AWS — and so is every Wait, which
 * the runnable copy of the definition turns into a Task (see definition.ts).
 *
 * Each handler writes its history events through the host execution and saves before any
 * side effect (write-ahead), so a restart never repeats a step the history does not show.
 */
import {
  DataLimitFailure,
  exceedsPayloadQuota,
  type JsonValue,
  RunDetached,
  RuntimeFailure,
  TaskFailure,
  type TaskHandlers,
} from './asl-interpreter.js';
import type { ParsedDefinition, StateInfo, TaskSpec } from './definition.js';
import type { ExecutionDeps } from './execution.js';
import type { ExecutionState, TaskTokenRecord, TokenOutcome } from './execution-record.js';
import {
  lambdaFunctionError,
  lambdaFunctionScheduled,
  lambdaFunctionSucceeded,
  type NewHistoryEvent,
  type TaskResource,
  taskError,
  taskOutput,
  taskResourceOf,
  taskScheduled,
  taskStarted,
} from './history.js';
import { callFunction } from './invoke-function.js';
import { nextMacrotask, sleepUntil } from './long-timer.js';
import { newTaskToken, withTaskToken } from './task-tokens.js';

/** One interpreter run of an execution; abandoned runs are replaced, never reused. */
export interface Run {
  /** Aborted (with a RunDetached reason) when the run is abandoned; every wait listens to it. */
  controller: AbortController;
  abortInterpreter: () => void;
  /** After a restart: what the cursor state was waiting for, taken by its first handler call. */
  resume?: { state: string; waitUntil?: number; token?: string };
  /** After a restart the interpreter enters the cursor state again; the history has that entry already. */
  skipEntryOf?: string;
  recycleTimer?: NodeJS.Timeout;
}

/** What the handlers need from their execution. */
export interface TaskHost {
  readonly record: ExecutionState;
  readonly parsed: ParsedDefinition;
  readonly deps: ExecutionDeps;
  append(event: NewHistoryEvent): void;
  scheduleSave(): void;
  save(): Promise<void>;
  issueToken(token: TaskTokenRecord): void;
  tokenRecord(token: string): TaskTokenRecord | undefined;
  settleToken(token: TaskTokenRecord, outcome: TokenOutcome, event: NewHistoryEvent): void;
  /** Sleeps until the token's nearest deadline, or until an answer or heartbeat wakes it. */
  waitForTokenChange(run: Run, token: TaskTokenRecord): Promise<void>;
}

type JsonObject = { [key: string]: JsonValue };

function asObject(value: JsonValue): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export class TaskStates {
  constructor(
    private readonly host: TaskHost,
    private readonly run: Run,
  ) {}

  handlers(): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const [name, info] of this.host.parsed.states) {
      const task = info.task;
      if (task) handlers[name] = (input) => this.runTask(name, info, task, input);
    }
    return handlers;
  }

  private async runTask(name: string, info: StateInfo, task: TaskSpec, input: JsonValue): Promise<JsonValue> {
    // The interpreter calls a handler in the same tick as it emits StateEntered, and its event
    // stream is read a few promise reactions later: yield once so the history reads
    // StateEntered → TaskScheduled and the cursor already points at this state.
    await nextMacrotask();
    this.assertAttached();
    const resume = this.run.resume?.state === name ? this.run.resume : undefined;
    if (resume) this.run.resume = undefined;
    switch (task.kind) {
      case 'wait':
        return this.waitState(name, info, input, resume?.waitUntil);
      case 'invoke':
        return this.lambdaInvoke(task.resource, task.timeoutSeconds, input);
      case 'lambda-function':
        return this.lambdaFunction(task.resource, task.timeoutSeconds, input);
      case 'callback':
        return this.callbackTask(name, info, task, input, resume?.token);
    }
  }

  private async waitState(
    name: string,
    info: StateInfo,
    input: JsonValue,
    resumedUntil: number | undefined,
  ): Promise<JsonValue> {
    const args = asObject(input) ?? {};
    const until = resumedUntil ?? this.waitDeadline(name, args);
    if (info.topLevel && this.host.record.cursor?.state === name) {
      this.host.record.cursor.waitUntil = until;
      this.host.scheduleSave();
    }
    await sleepUntil(until, this.run.controller.signal);
    return args.input ?? null;
  }

  /** Seconds are scaled; a Timestamp is reached after the scaled time remaining until it. */
  private waitDeadline(name: string, args: JsonObject): number {
    const now = Date.now();
    if ('seconds' in args) {
      const seconds = args.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw new RuntimeFailure(`Wait state '${name}': seconds must be a non-negative integer`);
      }
      return now + this.scaledMs(seconds);
    }
    const at = typeof args.timestamp === 'string' ? Date.parse(args.timestamp) : Number.NaN;
    if (Number.isNaN(at))
      throw new RuntimeFailure(`Wait state '${name}': timestamp must be an ISO 8601 date`);
    return now + Math.max(0, at - now) * this.host.deps.timeScale;
  }

  /** `arn:aws:states:::lambda:invoke`: the result is the invoke response, as on AWS. */
  private async lambdaInvoke(
    resourceArn: string,
    timeoutSeconds: number | undefined,
    input: JsonValue,
  ): Promise<JsonValue> {
    const functionName = this.functionNameIn(input);
    const resource = taskResourceOf(resourceArn);
    const deadline = timeoutSeconds === undefined ? undefined : Date.now() + this.runMs(timeoutSeconds);
    this.host.append(
      taskScheduled(resource, this.host.deps.account.region, JSON.stringify(input), timeoutSeconds),
    );
    this.host.append(taskStarted(resource));
    await this.saveBeforeSideEffect();
    const result = await callFunction(
      this.host.deps.invokeFunction,
      functionName,
      asObject(input)?.Payload ?? {},
      deadline,
      this.run.controller.signal,
    );
    this.assertAttached();
    if (result.kind === 'timed-out') {
      const cause = `The task did not finish within ${timeoutSeconds} seconds (TimeoutSeconds)`;
      this.host.append(taskError('TaskTimedOut', resource, 'States.Timeout', cause));
      throw this.host.deps.timeoutError(cause);
    }
    if (result.kind === 'failed') {
      this.host.append(taskError('TaskFailed', resource, result.error, result.cause));
      throw new TaskFailure(result.error, result.cause);
    }
    const output: JsonValue = { ExecutedVersion: '$LATEST', Payload: result.payload, StatusCode: 200 };
    const text = JSON.stringify(output);
    if (exceedsPayloadQuota(text)) {
      const failure = new DataLimitFailure(`The task result of ${functionName}`);
      this.host.append(taskError('TaskFailed', resource, failure.name, failure.message));
      throw failure;
    }
    this.host.append(taskOutput('TaskSucceeded', resource, text));
    return output;
  }

  /** A Lambda function ARN as Resource: the state input is the payload, the result is the handler's. */
  private async lambdaFunction(
    resourceArn: string,
    timeoutSeconds: number | undefined,
    input: JsonValue,
  ): Promise<JsonValue> {
    const deadline = timeoutSeconds === undefined ? undefined : Date.now() + this.runMs(timeoutSeconds);
    this.host.append(lambdaFunctionScheduled(resourceArn, JSON.stringify(input), timeoutSeconds));
    this.host.append({ type: 'LambdaFunctionStarted' });
    await this.saveBeforeSideEffect();
    const result = await callFunction(
      this.host.deps.invokeFunction,
      resourceArn,
      input,
      deadline,
      this.run.controller.signal,
    );
    this.assertAttached();
    if (result.kind === 'timed-out') {
      const cause = `The function did not finish within ${timeoutSeconds} seconds (TimeoutSeconds)`;
      this.host.append(lambdaFunctionError('LambdaFunctionTimedOut', 'States.Timeout', cause));
      throw this.host.deps.timeoutError(cause);
    }
    if (result.kind === 'failed') {
      this.host.append(lambdaFunctionError('LambdaFunctionFailed', result.error, result.cause));
      throw new TaskFailure(result.error, result.cause);
    }
    const text = JSON.stringify(result.payload);
    if (exceedsPayloadQuota(text)) {
      const failure = new DataLimitFailure(`The result of ${resourceArn}`);
      this.host.append(lambdaFunctionError('LambdaFunctionFailed', failure.name, failure.message));
      throw failure;
    }
    this.host.append(lambdaFunctionSucceeded(text));
    return result.payload;
  }

  /**
   * `arn:aws:states:::lambda:invoke.waitForTaskToken`: issue a token, invoke the Lambda with
   * it, and wait for SendTaskSuccess/Failure, TimeoutSeconds or HeartbeatSeconds. After a
   * restart the handler re-attaches to the stored token; the Lambda is invoked again (with the
   * same token) only if the first invocation never returned.
   */
  private async callbackTask(
    name: string,
    info: StateInfo,
    task: Extract<TaskSpec, { kind: 'callback' }>,
    input: JsonValue,
    resumedToken: string | undefined,
  ): Promise<JsonValue> {
    const functionName = this.functionNameIn(input);
    const resource = taskResourceOf(task.resource);
    let token = resumedToken === undefined ? undefined : this.host.tokenRecord(resumedToken);
    if (!token) {
      const now = Date.now();
      token = { token: newTaskToken(), state: name, issuedAt: now, invoked: false };
      if (task.timeoutSeconds !== undefined) token.timeoutAt = now + this.scaledMs(task.timeoutSeconds);
      if (task.heartbeatSeconds !== undefined) {
        token.heartbeatSeconds = task.heartbeatSeconds;
        token.heartbeatAt = now + this.scaledMs(task.heartbeatSeconds);
      }
      this.host.issueToken(token);
      if (info.topLevel && this.host.record.cursor?.state === name)
        this.host.record.cursor.token = token.token;
      const parameters = JSON.stringify(withTaskToken(input, token.token));
      this.host.append(
        taskScheduled(
          resource,
          this.host.deps.account.region,
          parameters,
          task.timeoutSeconds,
          task.heartbeatSeconds,
        ),
      );
      this.host.append(taskStarted(resource));
      // Token and cursor reach the disk before the Lambda can hand the token to anyone.
      await this.saveBeforeSideEffect();
    }
    if (!token.invoked && !token.outcome) {
      this.invokeWithToken(token, resource, functionName, withTaskToken(input, token.token)).catch(
        (error: unknown) =>
          this.host.deps.log(
            `callback Lambda of ${this.host.record.executionArn} could not be recorded`,
            error,
          ),
      );
    }
    return this.awaitToken(token, resource);
  }

  private async invokeWithToken(
    token: TaskTokenRecord,
    resource: TaskResource,
    functionName: string,
    parameters: JsonValue,
  ): Promise<void> {
    const payload = asObject(parameters)?.Payload ?? {};
    const result = await callFunction(
      this.host.deps.invokeFunction,
      functionName,
      payload,
      undefined,
      this.run.controller.signal,
    );
    // An answer may already have come (the Lambda itself may send it); then the result no longer matters.
    if (this.run.controller.signal.aborted || token.outcome) return;
    if (result.kind === 'failed') {
      const { error, cause } = result;
      this.host.settleToken(
        token,
        { kind: 'failed', error, cause },
        taskError('TaskFailed', resource, error, cause),
      );
      return;
    }
    token.invoked = true;
    const response = {
      ExecutedVersion: '$LATEST',
      Payload: result.kind === 'returned' ? result.payload : null,
      StatusCode: 200,
    };
    this.host.append(taskOutput('TaskSubmitted', resource, JSON.stringify(response)));
  }

  private async awaitToken(token: TaskTokenRecord, resource: TaskResource): Promise<JsonValue> {
    for (;;) {
      this.assertAttached();
      if (token.outcome) return this.tokenResult(token.outcome);
      const now = Date.now();
      if (token.timeoutAt !== undefined && now >= token.timeoutAt) {
        const cause = 'The task was not answered within its TimeoutSeconds';
        this.host.settleToken(
          token,
          { kind: 'timed-out', error: 'States.Timeout', cause },
          taskError('TaskTimedOut', resource, 'States.Timeout', cause),
        );
      } else if (token.heartbeatAt !== undefined && now >= token.heartbeatAt) {
        const cause = `No heartbeat within ${token.heartbeatSeconds} seconds (HeartbeatSeconds)`;
        this.host.settleToken(
          token,
          { kind: 'timed-out', error: 'States.HeartbeatTimeout', cause },
          taskError('TaskTimedOut', resource, 'States.HeartbeatTimeout', cause),
        );
      } else {
        await this.host.waitForTokenChange(this.run, token);
      }
    }
  }

  private tokenResult(outcome: TokenOutcome): JsonValue {
    switch (outcome.kind) {
      case 'succeeded':
        return JSON.parse(outcome.output) as JsonValue;
      case 'failed':
        throw new TaskFailure(outcome.error ?? '', outcome.cause ?? '');
      case 'timed-out':
        throw outcome.error === 'States.Timeout'
          ? this.host.deps.timeoutError(outcome.cause)
          : new TaskFailure(outcome.error, outcome.cause);
      case 'closed':
        throw new RunDetached();
    }
  }

  private functionNameIn(input: JsonValue): string {
    const functionName = asObject(input)?.FunctionName;
    if (typeof functionName !== 'string' || functionName === '') {
      throw new RuntimeFailure('A lambda:invoke Task needs Parameters.FunctionName');
    }
    return functionName;
  }

  private assertAttached(): void {
    if (this.run.controller.signal.aborted) throw new RunDetached();
  }

  /** Write-ahead: what the history says happened is on disk before a Lambda runs. */
  private async saveBeforeSideEffect(): Promise<void> {
    try {
      await this.host.save();
    } catch (error) {
      throw new RuntimeFailure(`could not persist the execution: ${(error as Error).message}`);
    }
    this.assertAttached();
  }

  /** Calendar time (a Wait, a wait for a person's answer, a heartbeat): shrunk by the time scale. */
  private scaledMs(seconds: number): number {
    return seconds * 1000 * this.host.deps.timeScale;
  }

  /**
   * A synchronous invocation's TimeoutSeconds bounds how long code runs, which no time scale makes
   * faster (the Lambda runner's own timeout is not scaled either): left as on AWS, so a scaled run
   * neither cuts a task short that AWS would let finish nor lets one run longer.
   */
  private runMs(seconds: number): number {
    return seconds * 1000;
  }
}
