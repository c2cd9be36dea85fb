import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../domain/nominations.js';

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
      try {
        await sfn.send(
          new StartExecutionCommand({ stateMachineArn, name: nominationId, input: JSON.stringify(input) }),
        );
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
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
