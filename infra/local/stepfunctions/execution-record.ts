/**
 * What is kept on disk for one execution: one JSON document holding its record, its history
 * and, while it runs, its cursor and task tokens. Keeping them in one document, replaced
 * atomically, means a crash can never leave a history that disagrees with the cursor.
 */
import type { JsonValue } from './asl-interpreter.js';
import type { HistoryEvent } from './history.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];

/**
 * Where a running execution resumes: the top-level state it last entered and that state's
 * raw input (both from the state-entered event), plus what the state was waiting for.
 */
export interface Cursor {
  state: string;
  input: JsonValue;
  /** A Wait state's absolute end (epoch ms, already scaled). */
  waitUntil?: number;
  /** A `.waitForTaskToken` state's token: resume re-attaches to it instead of invoking again. */
  token?: string;
}

export type TokenOutcome =
  | { kind: 'succeeded'; output: string }
  | { kind: 'failed'; error?: string; cause?: string }
  | { kind: 'timed-out'; error: 'States.Timeout' | 'States.HeartbeatTimeout'; cause: string }
  /** The execution ended (stopped, failed, timed out) while the task waited. */
  | { kind: 'closed' };

export interface TaskTokenRecord {
  token: string;
  state: string;
  issuedAt: number;
  /** Absolute deadlines (epoch ms, already scaled); absent when the state sets none. */
  timeoutAt?: number;
  heartbeatAt?: number;
  heartbeatSeconds?: number;
  /** The callback Lambda has returned; until then a resume invokes it again (same token). */
  invoked: boolean;
  /** Set once, when the token closes; a closed token answers `TaskTimedOut`. */
  outcome?: TokenOutcome;
}

export interface ExecutionRecord {
  format: 1;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The definition the execution started with; later updates of the machine do not affect it. */
  definition: string;
  roleArn: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  /** The machine's TimeoutSeconds as an absolute deadline (epoch ms, scaled). */
  timeoutAt?: number;
  cursor?: Cursor;
  tokens: TaskTokenRecord[];
  history: HistoryEvent[];
}

/** An execution as it is held in memory: its record, its history apart (history.ts, `History`). */
export type ExecutionState = Omit<ExecutionRecord, 'history'>;

export interface StateMachineRecord {
  format: 1;
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationDate: number;
}

export function isExecutionRecord(value: unknown): value is ExecutionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<ExecutionRecord>;
  return (
    record.format === 1 &&
    typeof record.executionArn === 'string' &&
    typeof record.definition === 'string' &&
    EXECUTION_STATUSES.includes(record.status as ExecutionStatus) &&
    Array.isArray(record.tokens) &&
    Array.isArray(record.history)
  );
}

export function isStateMachineRecord(value: unknown): value is StateMachineRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<StateMachineRecord>;
  return (
    record.format === 1 && typeof record.stateMachineArn === 'string' && typeof record.definition === 'string'
  );
}
