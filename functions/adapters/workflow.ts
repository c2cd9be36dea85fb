import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { ExecutionStatus, Executions, JobRunner, Workflow } from '../ports/workflow.js';
import { DomainError } from '../rules/errors.js';

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
export function stepFunctionsWorkflow(sfn: SFNClient, stateMachineArn: string): Workflow {
  /** A token already answered or timed out is reported, not thrown. */
  const answering = async (send: () => Promise<unknown>): Promise<'delivered' | 'closed'> => {
    try {
      await send();
      return 'delivered';
    } catch (error) {
      if (error instanceof TaskTimedOut) return 'closed';
      throw error;
    }
  };
  return {
    async startExecution(nominationId, input) {
      await startOnce(sfn, stateMachineArn, nominationId, input);
    },
    async stopExecution(nominationId, error, cause) {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${nominationId}`;
      try {
        // Stopping an execution that has ended changes nothing: Step Functions answers as for a stop.
        await sfn.send(new StopExecutionCommand({ executionArn, error, cause }));
      } catch (failure) {
        if (!(failure instanceof ExecutionDoesNotExist)) throw failure;
      }
    },
    deliver: (taskToken, output) =>
      answering(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    fail: (taskToken, error, cause) =>
      answering(() => sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
  };
}

/** The campaign-wide steps' jobs, one execution per job attempt (statemachines/campaign-job.asl.json). */
export const stepFunctionsJobRunner = (sfn: SFNClient, stateMachineArn: string): JobRunner => ({
  start: (executionName, input) => startOnce(sfn, stateMachineArn, executionName, input),
});

const invalidCursor = () =>
  new DomainError({
    code: 'INVALID_CURSOR',
    kind: 'invalid',
    path: ['nextToken'],
    message: {
      zh: '翻页标记无效或已过期，请从第一页重新查看',
      en: 'The page cursor is not valid or has expired; start again from the first page',
    },
  });

/** An execution name that does not exist is "not found" to the use case, not an error. */
async function ofExecution<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist || (error as { name?: string }).name === 'InvalidArn')
      return undefined;
    throw error;
  }
}

/**
 * Events a page of an execution's history: 500 of ~150 bytes make an answer of under 100 KB
 * (GetExecutionHistory gives at most 1,000; a history may hold 25,000).
 */
export const HISTORY_PAGE = 500;

/** Operations' view of the nomination state machine: list, history, describe, start under a name. */
export function stepFunctionsExecutions(sfn: SFNClient, stateMachineArn: string): Executions {
  const executionArn = (name: string) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const iso = (date: Date | undefined) => date?.toISOString();
  return {
    async list({ status, nextToken }) {
      const page = await sfn
        .send(
          new ListExecutionsCommand({
            stateMachineArn,
            maxResults: 100,
            ...(status ? { statusFilter: status } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        )
        .catch((error: unknown) => {
          // A cursor Step Functions did not issue (or one that expired) is the caller's input.
          if ((error as { name?: string }).name === 'InvalidToken') throw invalidCursor();
          throw error;
        });
      return {
        executions: (page.executions ?? []).map((e) => ({
          name: e.name ?? '',
          status: e.status as ExecutionStatus,
          ...(e.startDate ? { startDate: iso(e.startDate) } : {}),
          ...(e.stopDate ? { stopDate: iso(e.stopDate) } : {}),
        })),
        nextToken: page.nextToken ?? null,
      };
    },
    async history(name, nextToken) {
      const history = await ofExecution(() =>
        sfn
          .send(
            new GetExecutionHistoryCommand({
              executionArn: executionArn(name),
              maxResults: HISTORY_PAGE,
              ...(nextToken ? { nextToken } : {}),
            }),
          )
          .catch((error: unknown) => {
            if ((error as { name?: string }).name === 'InvalidToken') throw invalidCursor();
            throw error;
          }),
      );
      if (!history) return undefined;
      return {
        events: (history.events ?? []).map((e) => ({
          id: e.id ?? 0,
          type: e.type ?? '',
          ...(e.timestamp ? { timestamp: iso(e.timestamp) } : {}),
          state: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? null,
          error: e.executionFailedEventDetails?.error ?? e.taskFailedEventDetails?.error ?? null,
        })),
        nextToken: history.nextToken ?? null,
      };
    },
    async describe(name) {
      const current = await ofExecution(() =>
        sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(name) })),
      );
      return current
        ? {
            executionArn: current.executionArn ?? executionArn(name),
            status: current.status as ExecutionStatus,
            input: current.input ?? '',
          }
        : undefined;
    },
    async start(name, input) {
      try {
        const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
        return started.executionArn ?? executionArn(name);
      } catch (error) {
        // The name was taken by an execution that has ended (or one with another input): not started.
        if (error instanceof ExecutionAlreadyExists) return undefined;
        throw error;
      }
    },
  };
}
