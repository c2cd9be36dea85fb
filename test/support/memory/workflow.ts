import type { JobTaskInput } from '../../../functions/ports/jobs.js';
import type { JobRunner, Workflow } from '../../../functions/ports/workflow.js';
import type { Execution, MemoryStateMachines, ServiceCall } from './state-machines.js';

/**
 * The Workflow and JobRunner ports (functions/adapters/workflow.ts) on the in-memory state
 * machines. As over Step Functions: a nomination's execution is named after it, and a repeated
 * start is the same execution (or, once it ended, refused and ignored); `deliver` answers a
 * waiting task — 'closed' when its token was answered already or timed out, an InvalidToken
 * error for a token never issued. A job's start answers 'started', 'running' (a repeat while it
 * runs) or 'ended' (that name has run), as the port describes.
 */

export const NOMINATION_MACHINE = 'laurel-nomination';
export const CAMPAIGN_JOB_MACHINE = 'laurel-campaign-job';
export const PACKAGE_JOB_MACHINE = 'laurel-forwarding-package';

export interface MemoryWorkflow extends Workflow {
  /** The nomination's execution (named after it), if started. */
  execution(nominationId: string): Execution | undefined;
  /** The StartExecution calls for the nomination machine, in order (repeats included). */
  starts(): Extract<ServiceCall, { action: 'StartExecution' }>[];
  /** What was sent to one task token (SendTaskSuccess / SendTaskFailure), in order, with the answer each got. */
  sentTo(taskToken: string): Extract<ServiceCall, { action: 'SendTaskSuccess' | 'SendTaskFailure' }>[];
  /** What was sent to each task token of the nomination's execution, in order. */
  answers(nominationId: string): Extract<ServiceCall, { action: 'SendTaskSuccess' | 'SendTaskFailure' }>[];
}

export function memoryWorkflow(machines: MemoryStateMachines): MemoryWorkflow {
  return {
    async startExecution(nominationId, input) {
      machines.start(NOMINATION_MACHINE, nominationId, input);
    },
    async deliver(taskToken, output) {
      return machines.sendTaskSuccess(taskToken, output);
    },
    async stopExecution(nominationId) {
      // As Step Functions: an execution that has ended, or never started, is left as it is.
      if (machines.execution(NOMINATION_MACHINE, nominationId)?.status === 'RUNNING')
        machines.stop(NOMINATION_MACHINE, nominationId);
    },
    async fail(taskToken, error, cause) {
      return machines.sendTaskFailure(taskToken, { Error: error, Cause: cause });
    },
    execution: (nominationId) => machines.execution(NOMINATION_MACHINE, nominationId),
    starts: () =>
      machines.calls.filter(
        (c): c is Extract<ServiceCall, { action: 'StartExecution' }> =>
          c.action === 'StartExecution' && c.machine === NOMINATION_MACHINE,
      ),
    sentTo: (taskToken) =>
      machines.calls.filter(
        (c): c is Extract<ServiceCall, { action: 'SendTaskSuccess' | 'SendTaskFailure' }> =>
          c.action !== 'StartExecution' && c.token === taskToken,
      ),
    answers(nominationId) {
      const tokens = new Set(machines.tokensOf(NOMINATION_MACHINE, nominationId).map((t) => t.token));
      return machines.calls.filter(
        (c): c is Extract<ServiceCall, { action: 'SendTaskSuccess' | 'SendTaskFailure' }> =>
          c.action !== 'StartExecution' && tokens.has(c.token),
      );
    },
  };
}

export interface MemoryJobRunner extends JobRunner {
  /** Runs a job's execution to its end before `start` answers (the nominations it answers move on the next settle). */
  inline: boolean;
  /** The job's executions (one per attempt), oldest first. */
  executions(): Execution[];
}

export function memoryJobRunner(
  machines: MemoryStateMachines,
  machine: string = CAMPAIGN_JOB_MACHINE,
): MemoryJobRunner {
  const runner: MemoryJobRunner = {
    inline: false,
    async start(executionName: string, input: JobTaskInput) {
      const answer = machines.start(machine, executionName, input);
      if (answer === 'started' && runner.inline) await machines.settle({ machine });
      return answer;
    },
    executions: () => machines.listExecutions(machine),
  };
  return runner;
}
