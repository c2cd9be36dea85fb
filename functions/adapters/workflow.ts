import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { JobRunner, Workflow } from '../ports/workflow.js';

/**
 * Starts an execution once: a repeat with the same name and input while it runs is the same
 * execution (Step Functions answers with it); once it has ended, the name is taken for good
 * (ExecutionAlreadyExists), which is what a repeat should find.
 */
async function startOnce(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<'started' | 'ended'> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return 'ended';
  }
}

/**
 * The nomination's Step Functions execution. Executions are named after the nomination, so a
 * repeated start with the same input is the same execution (Step Functions' own idempotency);
 * one that has already ended keeps its name, which is what a repeat should find.
 */
export function stepFunctionsWorkflow(
  sfn: SFNClient,
  stateMachineArn: string,
): Workflow & {
  deliver(taskToken: string, output: unknown): Promise<'delivered' | 'closed'>;
} {
  return {
    async startExecution(nominationId, input) {
      await startOnce(sfn, stateMachineArn, nominationId, input);
    },
    /** Answers a waiting step; a token already answered or timed out is reported, not thrown. */
    async deliver(taskToken, output) {
      try {
        await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
        return 'delivered';
      } catch (error) {
        if (error instanceof TaskTimedOut) return 'closed';
        throw error;
      }
    },
  };
}

/** The campaign-wide steps' jobs, one execution per job attempt (statemachines/campaign-job.asl.json). */
export const stepFunctionsJobRunner = (sfn: SFNClient, stateMachineArn: string): JobRunner => ({
  start: (executionName, input) => startOnce(sfn, stateMachineArn, executionName, input),
});
