import type { JobTaskInput } from './jobs.js';

export interface Workflow {
  /** Starts the nomination's execution, named after it: a repeat with the same input is the same execution. */
  startExecution(nominationId: string, input: { nominationId: string; campaignId: string }): Promise<void>;
  /** Answers a waiting step; a token already answered or closed is reported, not thrown. */
  deliver(taskToken: string, output: unknown): Promise<'delivered' | 'closed'>;
}

/**
 * Starts the job's execution. A repeat with the same name and input while it runs is the same
 * execution ('running'); 'ended' when an execution of that name has already ended.
 */
export interface JobRunner {
  start(executionName: string, input: JobTaskInput): Promise<'started' | 'running' | 'ended'>;
}
