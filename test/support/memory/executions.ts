import { HISTORY_PAGE } from '../../../functions/adapters/workflow.js';
import type { ExecutionEvent, ExecutionStatus, Executions } from '../../../functions/ports/workflow.js';
import type { MemoryStateMachines } from './state-machines.js';

/**
 * Operations' view of the nomination state machine (the Executions port of
 * functions/adapters/workflow.ts), on the in-memory machines: executions by status, 100 a page,
 * newest first as ListExecutions gives them; an execution's history as its state-entered events
 * (and the failure, if it failed); a start under a new name (ExecutionAlreadyExists for a name
 * that has run). An unknown name is undefined, as the
 * adapter answers for ExecutionDoesNotExist.
 */

export const EXECUTION_ARN_PREFIX = 'arn:aws-cn:states:cn-north-1:000000000000:execution:laurel-nomination:';

export function memoryExecutions(machines: MemoryStateMachines, machine: string): Executions {
  return {
    async list({ status, nextToken }) {
      const all = machines
        .listExecutions(machine)
        .filter((e) => !status || e.status === status)
        .reverse();
      const from = nextToken ? Number(nextToken) : 0;
      const page = all.slice(from, from + 100);
      return {
        executions: page.map((e) => ({
          name: e.name,
          status: e.status as ExecutionStatus,
          startDate: e.startDate,
          ...(e.stopDate ? { stopDate: e.stopDate } : {}),
        })),
        nextToken: from + 100 < all.length ? String(from + 100) : null,
      };
    },
    async history(name, nextToken) {
      const execution = machines.execution(machine, name);
      if (!execution) return undefined;
      const events: ExecutionEvent[] = [
        { id: 1, type: 'ExecutionStarted', state: null, error: null },
        ...execution.states.map((state, i) => ({ id: i + 2, type: 'StateEntered', state, error: null })),
      ];
      if (execution.status === 'FAILED') {
        events.push({
          id: events.length + 1,
          type: 'ExecutionFailed',
          state: null,
          error: execution.error?.Error ?? null,
        });
      }
      if (execution.status === 'ABORTED')
        events.push({ id: events.length + 1, type: 'ExecutionAborted', state: null, error: null });
      const from = nextToken ? Number(nextToken) : 0;
      return {
        events: events.slice(from, from + HISTORY_PAGE),
        nextToken: from + HISTORY_PAGE < events.length ? String(from + HISTORY_PAGE) : null,
      };
    },
    async describe(name) {
      const execution = machines.execution(machine, name);
      return execution
        ? {
            executionArn: `${EXECUTION_ARN_PREFIX}${name}`,
            status: execution.status as ExecutionStatus,
            input: JSON.stringify(execution.input),
          }
        : undefined;
    },
    async start(name, input) {
      // As the adapter answers Step Functions' ExecutionAlreadyExists.
      if (machines.start(machine, name, JSON.parse(input)) === 'ended') return undefined;
      return `${EXECUTION_ARN_PREFIX}${name}`;
    },
  };
}
