/**
 * One execution: its durable record, and the interpreter run that moves it forward.
 *
 * A run is `aws-local-stepfunctions` executing a runnable copy of the definition that starts
 * at the cursor (see definition.ts). Its Task states (and Waits) are handled by TaskStates,
 * so that timing, task tokens and Lambda calls are ours and durable; the interpreter's event
 * stream feeds the history and moves the cursor; answers to task tokens arrive here.
 *
 * A run can be abandoned and started again from the cursor at any time: after a restart,
 * and every `recycleAfterMs` while a top-level state waits, because the interpreter's own
 * Task timer cannot be set beyond 24.8 days.
 */
import type { Account } from './arns.js';
import {
  dataLimitExceeded,
  ExecutionError,
  exceedsPayloadQuota,
  type InterpreterEvent,
  type JsonValue,
  RunDetached,
  StateMachine,
  type TimeoutErrorFactory,
} from './asl-interpreter.js';
import { type ParsedDefinition, runnableDefinition } from './definition.js';
import { type CoalescingWriter, executionDocument } from './durable-store.js';
import type {
  ExecutionRecord,
  ExecutionState,
  ExecutionStatus,
  TaskTokenRecord,
  TokenOutcome,
} from './execution-record.js';
import {
  executionClosed,
  executionSucceeded,
  History,
  mapIteration,
  type NewHistoryEvent,
  stateEntered,
  stateExited,
  type TaskResource,
  taskError,
  taskOutput,
  taskResourceOf,
} from './history.js';
import type { InvokeFunction } from './invoke-function.js';
import { sleepUntil } from './long-timer.js';
import { ServiceError } from './service-errors.js';
import { type Run, type TaskHost, TaskStates } from './task-states.js';
import { TASK_TOKEN_PLACEHOLDER } from './task-tokens.js';

export interface ExecutionDeps {
  account: Account;
  /** Multiplies every Wait, TimeoutSeconds and HeartbeatSeconds (never Retry intervals). */
  timeScale: number;
  invokeFunction: InvokeFunction;
  timeoutError: TimeoutErrorFactory;
  /** The interpreter's own Task timer (seconds), and how often a waiting run is restarted to stay under it. */
  interpreterTimeoutSeconds: number;
  recycleAfterMs: number;
  onTokenIssued: (token: string) => void;
  log: (message: string, error?: unknown) => void;
}

const noop = (): void => {};

const CLOSING_EVENTS = {
  FAILED: 'ExecutionFailed',
  ABORTED: 'ExecutionAborted',
  TIMED_OUT: 'ExecutionTimedOut',
} as const;

const taskTimedOut = (): ServiceError =>
  new ServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");

export class Execution implements TaskHost {
  private run: Run | undefined;
  /** Aborted when the execution closes or the service stops: ends the execution-level timeout. */
  private readonly lifetime = new AbortController();
  private readonly tokens = new Map<string, TaskTokenRecord>();
  /** Wakes a `.waitForTaskToken` handler early: an answer or a heartbeat arrived. */
  private readonly wakers = new Map<string, AbortController>();

  readonly record: ExecutionState;
  readonly history: History;
  private readonly writer: CoalescingWriter;

  constructor(
    stored: ExecutionRecord,
    readonly parsed: ParsedDefinition,
    writerFor: (executionArn: string, document: () => string) => CoalescingWriter,
    readonly deps: ExecutionDeps,
  ) {
    const { history, ...record } = stored;
    this.record = record;
    this.history = History.of(history);
    this.writer = writerFor(record.executionArn, () => executionDocument(this.record, this.history));
    for (const token of record.tokens) this.tokens.set(token.token, token);
  }

  get status(): ExecutionStatus {
    return this.record.status;
  }

  /** Starts (or, after a restart, resumes) a RUNNING execution. */
  begin(resume: boolean): void {
    if (this.record.status !== 'RUNNING') return;
    if (this.record.timeoutAt !== undefined) {
      sleepUntil(this.record.timeoutAt, this.lifetime.signal).then(() => {
        this.close('TIMED_OUT', {
          error: 'States.Timeout',
          cause: 'The execution ran longer than its TimeoutSeconds',
        }).catch((error: unknown) => this.deps.log(`could not time out ${this.record.executionArn}`, error));
      }, noop);
    }
    this.launch(resume);
  }

  /** Service shutdown: abandon the run, keep the record RUNNING so the next start resumes it. */
  detach(): void {
    this.abandonRun();
    this.lifetime.abort();
  }

  /** Resolves once everything a client could have observed is on disk. */
  settled(): Promise<void> {
    return this.writer.idle();
  }

  save(): Promise<void> {
    return this.writer.save();
  }

  async stop(error: string | undefined, cause: string | undefined): Promise<void> {
    await this.close('ABORTED', { error, cause });
  }

  tokenRecord(token: string): TaskTokenRecord | undefined {
    return this.tokens.get(token);
  }

  issueToken(token: TaskTokenRecord): void {
    this.record.tokens.push(token);
    this.tokens.set(token.token, token);
    this.deps.onTokenIssued(token.token);
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    const record = this.openToken(token);
    this.settleToken(
      record,
      { kind: 'succeeded', output },
      taskOutput('TaskSucceeded', this.resourceOf(record), output),
    );
    await this.save();
  }

  async sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): Promise<void> {
    const record = this.openToken(token);
    this.settleToken(
      record,
      { kind: 'failed', error, cause },
      taskError('TaskFailed', this.resourceOf(record), error, cause),
    );
    await this.save();
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    const record = this.openToken(token);
    if (record.heartbeatSeconds === undefined) return;
    record.heartbeatAt = Date.now() + record.heartbeatSeconds * 1000 * this.deps.timeScale;
    this.wake(token);
    await this.save();
  }

  // ── the run ─────────────────────────────────────────────────────────────────────────────

  private launch(resume: boolean): void {
    const cursor = this.record.cursor;
    const startAt = cursor?.state ?? this.parsed.machine.StartAt;
    const input: JsonValue = cursor ? cursor.input : (JSON.parse(this.record.input) as JsonValue);
    const run: Run = { controller: new AbortController(), abortInterpreter: noop };
    if (resume && cursor) {
      run.resume = { state: cursor.state, waitUntil: cursor.waitUntil, token: cursor.token };
      run.skipEntryOf = cursor.state;
    }
    if (resume) {
      // The cursor state starts over: a token issued inside it (in a Map or Parallel) is replaced
      // by a new one, so the old one closes and a late answer to it is TaskTimedOut.
      for (const token of this.record.tokens) {
        if (!token.outcome && token.token !== cursor?.token) token.outcome = { kind: 'closed' };
      }
    }
    // Validated when the machine was registered; the runnable copy differs only in timers and StartAt.
    const runnable = runnableDefinition(this.parsed, startAt, this.deps.interpreterTimeoutSeconds);
    const machine = new StateMachine(runnable, { validationOptions: { noValidate: true } });
    const started = machine.run(input, {
      overrides: { taskResourceLocalHandlers: new TaskStates(this, run).handlers() },
      context: this.context(),
      noThrowOnAbort: true,
    });
    run.abortInterpreter = started.abort;
    this.run = run;
    this.armRecycle(run);
    const recorded = this.recordEvents(started.eventLogs, run);
    this.settle(run, started.result, recorded).catch((error: unknown) =>
      this.deps.log(`could not close ${this.record.executionArn}`, error),
    );
  }

  /**
   * `$$` as the interpreter sees it. It overwrites Execution.Input and StartTime with the run's
   * own, so after a resume they describe the resumed run: definitions must not rely on them.
   */
  private context(): Record<string, unknown> {
    const { stateMachineArn, executionArn, name, roleArn, startDate } = this.record;
    return {
      Execution: {
        Id: executionArn,
        Name: name,
        RoleArn: roleArn,
        StartTime: new Date(startDate).toISOString(),
      },
      StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(':').at(-1) },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
  }

  private abandonRun(): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    clearTimeout(run.recycleTimer);
    run.controller.abort(new RunDetached());
    run.abortInterpreter();
  }

  /**
   * The interpreter gives up on a Task handler after INTERPRETER_TASK_TIMEOUT_SECONDS (24.8
   * days). A top-level state that is waiting (Wait, callback) can be resumed from the cursor
   * without side effects, so the run is restarted well before that; anything else (a wait
   * inside a Map or Parallel) cannot, and would end in States.Timeout after 24.8 days.
   */
  private armRecycle(run: Run): void {
    run.recycleTimer = setTimeout(() => {
      if (this.run !== run) return;
      const cursor = this.record.cursor;
      if (cursor?.waitUntil !== undefined || cursor?.token !== undefined) {
        this.abandonRun();
        this.launch(true);
      } else {
        this.armRecycle(run);
      }
    }, this.deps.recycleAfterMs);
  }

  /** Turns the interpreter's events into history events and moves the cursor. */
  private async recordEvents(events: AsyncGenerator<InterpreterEvent>, run: Run): Promise<void> {
    for await (const event of events) {
      if (run.controller.signal.aborted) return;
      switch (event.type) {
        case 'StateEntered': {
          const { name, input } = event.state;
          if (run.skipEntryOf === name) {
            run.skipEntryOf = undefined;
            break;
          }
          const info = this.parsed.states.get(name);
          const text = JSON.stringify(input);
          this.append(stateEntered(info?.type ?? event.state.type, name, text));
          if (exceedsPayloadQuota(text)) {
            await this.close('FAILED', dataLimitExceeded(`The state/task '${name}' input`));
            return;
          }
          if (info?.topLevel) {
            // The cursor is set only from here: a state-entered event is where a resume can start.
            this.record.cursor = { state: name, input };
            if (run.resume?.state !== name) run.resume = undefined;
          }
          break;
        }
        case 'StateExited': {
          const { name, output } = event.state;
          const type = this.parsed.states.get(name)?.type ?? event.state.type;
          const text = JSON.stringify(output ?? null);
          if (exceedsPayloadQuota(text)) {
            await this.close('FAILED', dataLimitExceeded(`The state/task '${name}' output`));
            return;
          }
          if (type !== 'Fail') this.append(stateExited(type, name, text));
          break;
        }
        case 'MapIterationStarted':
        case 'MapIterationSucceeded':
        case 'MapIterationFailed':
          this.append(mapIteration(event.type, event.parentState.name, event.index));
          break;
        default:
          break;
      }
    }
  }

  private async settle(run: Run, result: Promise<JsonValue>, recorded: Promise<void>): Promise<void> {
    let outcome: { ok: true; output: JsonValue } | { ok: false; failure: unknown };
    try {
      outcome = { ok: true, output: await result };
    } catch (failure) {
      outcome = { ok: false, failure };
    }
    if (run.controller.signal.aborted) return;
    // The interpreter settles before its event stream is drained; close after the last state's events.
    await recorded;
    if (run.controller.signal.aborted || this.record.status !== 'RUNNING') return;
    if (outcome.ok) {
      await this.close('SUCCEEDED', { output: JSON.stringify(outcome.output ?? null) });
      return;
    }
    const failure = outcome.failure instanceof ExecutionError ? outcome.failure.cause : outcome.failure;
    const error = failure instanceof Error ? failure : new Error(String(failure));
    await this.close('FAILED', { error: error.name || undefined, cause: error.message || undefined });
  }

  private close(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    fields: { output?: string; error?: string; cause?: string },
  ): Promise<void> {
    if (this.record.status !== 'RUNNING') return this.settled();
    this.abandonRun();
    this.lifetime.abort();
    Object.assign(this.record, { status, stopDate: Date.now(), cursor: undefined }, fields);
    for (const token of this.record.tokens) {
      if (token.outcome) continue;
      token.outcome = { kind: 'closed' };
      this.wake(token.token);
    }
    this.append(
      status === 'SUCCEEDED'
        ? executionSucceeded(fields.output ?? 'null')
        : executionClosed(CLOSING_EVENTS[status], fields.error, fields.cause),
    );
    return this.save();
  }

  // ── what the Task states use (TaskHost) ───────────────────────────────────────────────

  append(event: NewHistoryEvent): void {
    this.history.append(event, Date.now());
    this.scheduleSave();
  }

  scheduleSave(): void {
    this.writer
      .save()
      .catch((error: unknown) => this.deps.log(`could not save ${this.record.executionArn}`, error));
  }

  settleToken(token: TaskTokenRecord, outcome: TokenOutcome, event: NewHistoryEvent): void {
    token.outcome = outcome;
    this.append(event);
    this.wake(token.token);
  }

  async waitForTokenChange(run: Run, token: TaskTokenRecord): Promise<void> {
    const deadlines = [token.timeoutAt, token.heartbeatAt].filter((at): at is number => at !== undefined);
    const wake = new AbortController();
    this.wakers.set(token.token, wake);
    try {
      await sleepUntil(
        deadlines.length ? Math.min(...deadlines) : undefined,
        AbortSignal.any([run.controller.signal, wake.signal]),
      );
    } catch (error) {
      if (run.controller.signal.aborted) throw error;
    } finally {
      if (this.wakers.get(token.token) === wake) this.wakers.delete(token.token);
    }
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  private openToken(token: string): TaskTokenRecord {
    const record = this.tokens.get(token);
    if (!record || record.outcome || this.record.status !== 'RUNNING') throw taskTimedOut();
    return record;
  }

  private wake(token: string): void {
    this.wakers.get(token)?.abort();
  }

  private resourceOf(token: TaskTokenRecord): TaskResource {
    const task = this.parsed.states.get(token.state)?.task;
    return taskResourceOf(
      task && 'resource' in task ? task.resource : 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    );
  }
}
