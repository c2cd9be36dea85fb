import type { JobTaskInput } from './jobs.js';

export interface Workflow {
  /**
   * Starts the nomination's execution, named after it: a repeat with the same input is the same
   * execution. `eligibilityKept`: the submission kept the [auto] criteria (use-cases/nominations.ts).
   */
  startExecution(
    nominationId: string,
    input: { nominationId: string; campaignId: string; eligibilityKept?: true },
  ): Promise<void>;
  /** Answers a waiting step (SendTaskSuccess); a token already answered or closed is reported, not thrown. */
  deliver(taskToken: string, output: unknown): Promise<'delivered' | 'closed'>;
  /**
   * Fails a waiting step (SendTaskFailure) with an error name its state's Catch routes and a
   * cause (a detour: rules/steps.ts stepAnswer); a token already answered or closed is reported.
   */
  fail(taskToken: string, error: string, cause: string): Promise<'delivered' | 'closed'>;
  /**
   * Ends the nomination's execution (StopExecution) with an error name and a cause of ids and
   * words only; one that has ended already, or was never started, is left as it is.
   */
  stopExecution(nominationId: string, error: string, cause: string): Promise<void>;
}

/**
 * Starts the job's execution. A repeat with the same name and input while it runs is the same
 * execution ('running'); 'ended' when an execution of that name has already ended.
 */
export interface JobRunner {
  start(executionName: string, input: JobTaskInput): Promise<'started' | 'running' | 'ended'>;
}

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

export interface ExecutionSummary {
  name: string;
  status: ExecutionStatus;
  startDate?: string;
  stopDate?: string;
}

export interface ExecutionEvent {
  id: number;
  type: string;
  timestamp?: string;
  state: string | null;
  error: string | null;
}

/** The nomination state machine's executions, as operations watch and restart them. */
export interface Executions {
  list(filter: {
    status?: ExecutionStatus;
    nextToken?: string;
  }): Promise<{ executions: ExecutionSummary[]; nextToken: string | null }>;
  /**
   * One page of the execution's events, oldest first, and the cursor of the next (null at the
   * end); undefined when there is no execution of that name.
   */
  history(
    name: string,
    nextToken?: string,
  ): Promise<{ events: ExecutionEvent[]; nextToken: string | null } | undefined>;
  /** Its ARN, status and input; undefined when there is no execution of that name. */
  describe(
    name: string,
  ): Promise<{ executionArn: string; status: ExecutionStatus; input: string } | undefined>;
  /** Starts an execution under that name: its ARN, or undefined when an execution of that name has ended. */
  start(name: string, input: string): Promise<string | undefined>;
}
