/**
 * The Step Functions API operations over state machines and executions, independent of HTTP.
 * Each operation takes the request body (already JSON) and returns the response body.
 */
import { randomUUID } from 'node:crypto';
import {
  type Account,
  assertValidName,
  executionArn,
  parseExecutionArn,
  parseStateMachineArn,
  partitionOf,
  stateMachineArn,
} from './arns.js';
import { INTERPRETER_TASK_TIMEOUT_SECONDS, statesTimeoutError } from './asl-interpreter.js';
import { type ParsedDefinition, parseDefinition } from './definition.js';
import type { DurableStore } from './durable-store.js';
import { Execution, type ExecutionDeps } from './execution.js';
import {
  EXECUTION_STATUSES,
  type ExecutionRecord,
  type ExecutionState,
  type ExecutionStatus,
  type StateMachineRecord,
} from './execution-record.js';
import { executionStarted, toWire } from './history.js';
import type { InvokeFunction } from './invoke-function.js';
import { ServiceError, validationError } from './service-errors.js';
import { isWellFormedToken } from './task-tokens.js';

/** AWS caps execution input, task output and state data at 256 KiB. */
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** A run that waits is restarted from its cursor this often, well inside the interpreter's 24.8-day Task timer. */
const RECYCLE_AFTER_MS = 20 * 24 * 3600 * 1000;

export interface TimerLimits {
  /** The interpreter's own Task timer, in seconds (default 2^31−1 ms, the most setTimeout honours). */
  interpreterTimeoutSeconds: number;
  /** How often a waiting run is restarted from its cursor (default 20 days); must be shorter. */
  recycleAfterMs: number;
}

export interface EngineOptions {
  store: DurableStore;
  account: Account;
  timeScale: number;
  invokeFunction: InvokeFunction;
  timerLimits?: TimerLimits;
  log: (message: string, error?: unknown) => void;
}

export type Operation = (body: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface StateMachineEntry {
  record: StateMachineRecord;
  parsed: ParsedDefinition;
}

/** Reads request members with the checks the AWS API applies to them. */
class Fields {
  constructor(private readonly body: Record<string, unknown>) {}

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value === '')
      throw validationError(`Value null at '${name}' must not be null`);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw validationError(`'${name}' must be a string`);
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw validationError(`'${name}' must be a boolean`);
    return value;
  }

  /** maxResults: 0 or absent means the default; AWS allows at most 1000. */
  pageSize(name: string, fallback: number): number {
    const value = this.body[name];
    if (value === undefined || value === null || value === 0) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
      throw validationError(`'${name}' must be an integer between 0 and 1000`);
    }
    return value;
  }
}

/** Page tokens are opaque to clients: the sort key of the last item returned. */
/** SendTaskFailure's `error` and `cause`: at most this many characters (AWS's API reference). */
export const SEND_TASK_FAILURE_ERROR_MAX = 256;
export const SEND_TASK_FAILURE_CAUSE_MAX = 32_768;

function withinLength(value: string | undefined, name: string, max: number): string | undefined {
  if (value !== undefined && [...value].length > max)
    throw validationError(
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  return value;
}

function encodePageToken(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodePageToken(token: string | undefined): unknown {
  if (token === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
  }
}

function invalidPageToken(token: string | undefined): ServiceError {
  return new ServiceError('InvalidToken', `Invalid Token: '${token}'`);
}

const seconds = (epochMs: number): number => epochMs / 1000;

export class StepFunctionsEngine {
  private readonly stateMachines = new Map<string, StateMachineEntry>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, Execution>();
  private readonly definitions = new Map<string, { text: string; parsed: ParsedDefinition }>();
  private readonly deps: ExecutionDeps;

  private constructor(
    private readonly options: EngineOptions,
    timeoutError: ExecutionDeps['timeoutError'],
  ) {
    const limits = options.timerLimits ?? {
      interpreterTimeoutSeconds: INTERPRETER_TASK_TIMEOUT_SECONDS,
      recycleAfterMs: RECYCLE_AFTER_MS,
    };
    this.deps = {
      account: options.account,
      timeScale: options.timeScale,
      invokeFunction: options.invokeFunction,
      timeoutError,
      ...limits,
      log: options.log,
      onTokenIssued: () => {},
    };
  }

  /** Loads every state machine and execution from the data folder; `resume()` sets them going. */
  static async open(options: EngineOptions): Promise<StepFunctionsEngine> {
    const engine = new StepFunctionsEngine(options, await statesTimeoutError());
    await options.store.open();
    for await (const record of options.store.loadStateMachines()) {
      engine.stateMachines.set(record.stateMachineArn, { record, parsed: engine.parse(record.definition) });
    }
    for await (const record of options.store.loadExecutions()) engine.adopt(record);
    return engine;
  }

  /** Resumes every RUNNING execution at its cursor. */
  resume(): void {
    for (const execution of this.executions.values()) execution.begin(true);
  }

  /** Registers a state machine at start-up: created, or its definition replaced (running executions keep theirs). */
  async registerStateMachine(name: string, definition: string, roleArn?: string): Promise<string> {
    assertValidName(name);
    const parsed = this.parse(definition);
    const arn = stateMachineArn(this.options.account, name);
    const existing = this.stateMachines.get(arn)?.record;
    const record: StateMachineRecord = {
      format: 1,
      stateMachineArn: arn,
      name,
      definition,
      roleArn: roleArn ?? existing?.roleArn ?? this.defaultRoleArn(),
      creationDate: existing?.creationDate ?? Date.now(),
    };
    this.stateMachines.set(arn, { record, parsed });
    await this.options.store.saveStateMachine(record);
    return arn;
  }

  /** Stops every run without closing it (the next start resumes it) and waits for pending writes. */
  async close(): Promise<void> {
    for (const execution of this.executions.values()) execution.detach();
    await Promise.all([...this.executions.values()].map((execution) => execution.settled()));
  }

  /**
   * The resource IAM evaluates an operation on: its state machine or execution, the state machine
   * of a task token's execution; undefined for a token this service never issued (the operation
   * itself answers InvalidToken).
   */
  resourceOf(operation: string, body: Record<string, unknown>): string | undefined {
    const text = (value: unknown) => (typeof value === 'string' ? value : '*');
    switch (operation) {
      case 'StartExecution':
      case 'ListExecutions':
      case 'DescribeStateMachine':
        return text(body.stateMachineArn);
      case 'DescribeExecution':
      case 'GetExecutionHistory':
      case 'StopExecution':
        return text(body.executionArn);
      case 'SendTaskSuccess':
      case 'SendTaskFailure':
      case 'SendTaskHeartbeat':
        return this.tokens.get(text(body.taskToken))?.record.stateMachineArn;
      default:
        return '*';
    }
  }

  readonly operations: Record<string, Operation> = {
    CreateStateMachine: (body) => this.createStateMachine(new Fields(body)),
    DescribeStateMachine: (body) => this.describeStateMachine(new Fields(body)),
    ListStateMachines: (body) => this.listStateMachines(new Fields(body)),
    StartExecution: (body) => this.startExecution(new Fields(body)),
    DescribeExecution: (body) => this.describeExecution(new Fields(body)),
    ListExecutions: (body) => this.listExecutions(new Fields(body)),
    GetExecutionHistory: (body) => this.getExecutionHistory(new Fields(body)),
    StopExecution: (body) => this.stopExecution(new Fields(body)),
    SendTaskSuccess: (body) => this.sendTaskSuccess(new Fields(body)),
    SendTaskFailure: (body) => this.sendTaskFailure(new Fields(body)),
    SendTaskHeartbeat: (body) => this.sendTaskHeartbeat(new Fields(body)),
  };

  // ── state machines ──────────────────────────────────────────────────────────────────────

  /** Idempotent as on AWS: the same name, definition and role return the existing machine. */
  private async createStateMachine(fields: Fields): Promise<Record<string, unknown>> {
    const name = fields.string('name');
    assertValidName(name);
    const definition = fields.string('definition');
    const roleArn = fields.optionalString('roleArn');
    const type = fields.optionalString('type') ?? 'STANDARD';
    if (type !== 'STANDARD') {
      throw new ServiceError(
        'StateMachineTypeNotSupported',
        `Only STANDARD state machines run locally, not ${type}`,
      );
    }
    const arn = stateMachineArn(this.options.account, name);
    const existing = this.stateMachines.get(arn)?.record;
    if (existing) {
      if (existing.definition === definition && (roleArn === undefined || roleArn === existing.roleArn)) {
        return { stateMachineArn: arn, creationDate: seconds(existing.creationDate) };
      }
      throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const parsed = this.parse(definition);
    const record: StateMachineRecord = {
      format: 1,
      stateMachineArn: arn,
      name,
      definition,
      roleArn: roleArn ?? this.defaultRoleArn(),
      creationDate: Date.now(),
    };
    this.stateMachines.set(arn, { record, parsed });
    await this.options.store.saveStateMachine(record);
    return { stateMachineArn: arn, creationDate: seconds(record.creationDate) };
  }

  private async describeStateMachine(fields: Fields): Promise<Record<string, unknown>> {
    const { record } = this.stateMachine(fields.string('stateMachineArn'));
    return {
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: 'ACTIVE',
      definition: record.definition,
      roleArn: record.roleArn,
      type: 'STANDARD',
      creationDate: seconds(record.creationDate),
    };
  }

  private async listStateMachines(fields: Fields): Promise<Record<string, unknown>> {
    const pageSize = fields.pageSize('maxResults', 100);
    const token = fields.optionalString('nextToken');
    const after = decodePageToken(token);
    if (after !== undefined && typeof after !== 'string') throw invalidPageToken(token);
    const all = [...this.stateMachines.values()]
      .map(({ record }) => record)
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((record) => after === undefined || record.name.localeCompare(after) > 0);
    const page = all.slice(0, pageSize);
    const last = page.at(-1);
    return {
      stateMachines: page.map((record) => ({
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        type: 'STANDARD',
        creationDate: seconds(record.creationDate),
      })),
      ...(all.length > pageSize && last && { nextToken: encodePageToken(last.name) }),
    };
  }

  // ── executions ──────────────────────────────────────────────────────────────────────────

  /**
   * Idempotent by name, as on AWS: the same name and input while the execution runs return
   * it again; a different input, or a closed execution, is ExecutionAlreadyExists.
   */
  private async startExecution(fields: Fields): Promise<Record<string, unknown>> {
    const machine = this.stateMachine(fields.string('stateMachineArn'));
    const name = fields.optionalString('name') ?? randomUUID();
    assertValidName(name);
    const input = fields.optionalString('input') ?? '{}';
    this.assertJsonPayload(input, 'InvalidExecutionInput');
    const arn = executionArn(this.options.account, machine.record.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.record.input === input) {
        await existing.settled();
        return { executionArn: arn, startDate: seconds(existing.record.startDate) };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const startDate = Date.now();
    const timeoutSeconds = machine.parsed.timeoutSeconds;
    const record: ExecutionRecord = {
      format: 1,
      executionArn: arn,
      stateMachineArn: machine.record.stateMachineArn,
      name,
      definition: machine.record.definition,
      roleArn: machine.record.roleArn,
      status: 'RUNNING',
      input,
      startDate,
      ...(timeoutSeconds !== undefined && {
        timeoutAt: startDate + timeoutSeconds * 1000 * this.options.timeScale,
      }),
      tokens: [],
      history: [],
    };
    const execution = this.adopt(record);
    execution.append(executionStarted(input, record.roleArn));
    // The execution exists once it is on disk: a restart right after this answer resumes it.
    await execution.save();
    execution.begin(false);
    return { executionArn: arn, startDate: seconds(startDate) };
  }

  private async describeExecution(fields: Fields): Promise<Record<string, unknown>> {
    const execution = this.execution(fields.string('executionArn'));
    await execution.settled();
    const record = execution.record;
    return {
      ...this.listItem(record),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined && { output: record.output, outputDetails: { included: true } }),
      ...(record.error !== undefined && { error: record.error }),
      ...(record.cause !== undefined && { cause: record.cause }),
    };
  }

  /** Newest first; filtered by state machine and status. */
  private async listExecutions(fields: Fields): Promise<Record<string, unknown>> {
    const machineArn = fields.optionalString('stateMachineArn');
    if (machineArn !== undefined) this.stateMachine(machineArn);
    const statusFilter = fields.optionalString('statusFilter');
    if (statusFilter !== undefined && !EXECUTION_STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw validationError(`statusFilter must be one of ${EXECUTION_STATUSES.join(', ')}`);
    }
    const pageSize = fields.pageSize('maxResults', 100);
    const token = fields.optionalString('nextToken');
    const after = decodePageToken(token);
    if (
      after !== undefined &&
      !(Array.isArray(after) && typeof after[0] === 'number' && typeof after[1] === 'string')
    ) {
      throw invalidPageToken(token);
    }
    type SortKey = readonly [startDate: number, executionArn: string];
    const newestFirst = (a: SortKey, b: SortKey): number => b[0] - a[0] || b[1].localeCompare(a[1]);
    const keyOf = (record: ExecutionState): SortKey => [record.startDate, record.executionArn];
    const matching = [...this.executions.values()]
      .map((execution) => execution.record)
      .filter((record) => machineArn === undefined || record.stateMachineArn === machineArn)
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .sort((a, b) => newestFirst(keyOf(a), keyOf(b)))
      .filter((record) => after === undefined || newestFirst(keyOf(record), [after[0], after[1]]) > 0);
    const page = matching.slice(0, pageSize);
    await Promise.all(page.map((record) => this.executions.get(record.executionArn)?.settled()));
    const last = page.at(-1);
    return {
      executions: page.map((record) => this.listItem(record)),
      ...(matching.length > pageSize &&
        last && { nextToken: encodePageToken([last.startDate, last.executionArn]) }),
    };
  }

  private async getExecutionHistory(fields: Fields): Promise<Record<string, unknown>> {
    const execution = this.execution(fields.string('executionArn'));
    const pageSize = fields.pageSize('maxResults', 100);
    const reverse = fields.optionalBoolean('reverseOrder') ?? false;
    const includeData = fields.optionalBoolean('includeExecutionData') ?? true;
    const token = fields.optionalString('nextToken');
    const after = decodePageToken(token);
    if (after !== undefined && typeof after !== 'number') throw invalidPageToken(token);
    await execution.settled();
    // Ids run 1…length: the page is a run of ids, parsed from the kept text alone.
    const { history } = execution;
    const first = reverse
      ? Math.min(history.length, after === undefined ? history.length : after - 1)
      : Math.max(1, after === undefined ? 1 : after + 1);
    const remaining = reverse ? Math.max(0, first) : Math.max(0, history.length - first + 1);
    const ids = Array.from({ length: Math.min(pageSize, remaining) }, (_, i) =>
      reverse ? first - i : first + i,
    );
    const last = ids.at(-1);
    return {
      events: ids.map((id) => toWire(history.event(id), includeData)),
      ...(remaining > pageSize && last !== undefined && { nextToken: encodePageToken(last) }),
    };
  }

  /** Closes the execution as ABORTED; its open task tokens close with it. */
  private async stopExecution(fields: Fields): Promise<Record<string, unknown>> {
    const execution = this.execution(fields.string('executionArn'));
    await execution.stop(fields.optionalString('error'), fields.optionalString('cause'));
    return { stopDate: seconds(execution.record.stopDate ?? Date.now()) };
  }

  // ── task tokens ─────────────────────────────────────────────────────────────────────────

  private async sendTaskSuccess(fields: Fields): Promise<Record<string, unknown>> {
    const token = fields.string('taskToken');
    const execution = this.executionOfToken(token);
    const output = fields.string('output');
    this.assertJsonPayload(output, 'InvalidOutput');
    await execution.sendTaskSuccess(token, output);
    return {};
  }

  private async sendTaskFailure(fields: Fields): Promise<Record<string, unknown>> {
    const token = fields.string('taskToken');
    // AWS refuses an error over 256 characters or a cause over 32,768 (SendTaskFailure's
    // constraints) before it looks at the token, which stays open: so does this service.
    const error = withinLength(fields.optionalString('error'), 'error', SEND_TASK_FAILURE_ERROR_MAX);
    const cause = withinLength(fields.optionalString('cause'), 'cause', SEND_TASK_FAILURE_CAUSE_MAX);
    const execution = this.executionOfToken(token);
    await execution.sendTaskFailure(token, error, cause);
    return {};
  }

  private async sendTaskHeartbeat(fields: Fields): Promise<Record<string, unknown>> {
    const token = fields.string('taskToken');
    await this.executionOfToken(token).sendTaskHeartbeat(token);
    return {};
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────

  private adopt(record: ExecutionRecord): Execution {
    // Every execution keeps the definition it started with. Loaded from disk, each would hold its
    // own copy of the same text (24 KB, two bytes a character): one copy of each serves them all.
    record.definition = this.canonical(record.definition).text;
    const execution = new Execution(
      record,
      this.parse(record.definition),
      (arn, document) => this.options.store.executionWriter(arn, document),
      { ...this.deps, onTokenIssued: (token) => this.tokens.set(token, execution) },
    );
    this.executions.set(record.executionArn, execution);
    for (const token of record.tokens) this.tokens.set(token.token, execution);
    return execution;
  }

  private parse(definition: string): ParsedDefinition {
    return this.canonical(definition).parsed;
  }

  /** The one stored copy of a definition's text, with its parse. */
  private canonical(definition: string): { text: string; parsed: ParsedDefinition } {
    let entry = this.definitions.get(definition);
    if (!entry) {
      entry = { text: definition, parsed: parseDefinition(definition) };
      this.definitions.set(definition, entry);
    }
    return entry;
  }

  private stateMachine(arn: string): StateMachineEntry {
    parseStateMachineArn(arn);
    const machine = this.stateMachines.get(arn);
    if (!machine)
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string): Execution {
    parseExecutionArn(arn);
    const execution = this.executions.get(arn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /** Unknown or malformed: InvalidToken. Known but closed: the execution answers TaskTimedOut. */
  private executionOfToken(token: string): Execution {
    const execution = isWellFormedToken(token) ? this.tokens.get(token) : undefined;
    if (!execution)
      throw new ServiceError('InvalidToken', 'Invalid Token: the task token is not one this service issued');
    return execution;
  }

  private assertJsonPayload(text: string, errorName: 'InvalidExecutionInput' | 'InvalidOutput'): void {
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw new ServiceError(errorName, `${errorName}: larger than ${MAX_PAYLOAD_BYTES} bytes`);
    }
    try {
      JSON.parse(text);
    } catch {
      throw new ServiceError(errorName, `${errorName}: not valid JSON`);
    }
  }

  private listItem(record: ExecutionState): Record<string, unknown> {
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: seconds(record.startDate),
      ...(record.stopDate !== undefined && { stopDate: seconds(record.stopDate) }),
    };
  }

  private defaultRoleArn(): string {
    const { region, accountId } = this.options.account;
    return `arn:${partitionOf(region)}:iam::${accountId}:role/laurel-local-stepfunctions`;
  }
}
