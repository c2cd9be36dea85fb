import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as z from 'zod';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { nominationDeps } from '../lib/nomination-deps.js';
import { authenticator } from '../lib/session.js';
import { requireRole } from '../rules/access.js';
import { DomainError } from '../rules/errors.js';
import { parseInput } from '../rules/validation.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const { deps } = nominationDeps(clients, config);

const listSchema = z.strictObject({
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).optional(),
  nextToken: z.string().max(4096).optional(),
});

/** An execution name that does not exist is a 404, as the API documents, not an internal error. */
async function ofExecution<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (
      (error as { name?: string }).name === 'ExecutionDoesNotExist' ||
      (error as { name?: string }).name === 'InvalidArn'
    ) {
      throw new DomainError({
        code: 'NOT_FOUND',
        kind: 'not-found',
        message: { zh: `流程“${name}”不存在`, en: `No execution "${name}"` },
      });
    }
    throw error;
  }
}

const executionArn = (name: string) =>
  `${config.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/**
 * Operations: executions by status with the human step each waits in, one execution's history,
 * and a restart of one that failed. A restart runs the machine again from the start under a new
 * name; every step reads the nomination's status, so it moves straight on to where it stood.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const actor = await authenticate(event);
    requireRole(actor, ['ops', 'secretariat']);
    const name = event.pathParameters?.name ?? '';
    switch (event.routeKey) {
      case 'GET /api/ops/executions': {
        const query = parseInput(listSchema, event.queryStringParameters ?? {}, {
          zh: '筛选条件',
          en: 'filter',
        });
        const page = await clients.sfn.send(
          new ListExecutionsCommand({
            stateMachineArn: config.stateMachineArn,
            maxResults: 100,
            ...(query.status ? { statusFilter: query.status as ExecutionStatus } : {}),
            ...(query.nextToken ? { nextToken: query.nextToken } : {}),
          }),
        );
        const executions = await Promise.all(
          (page.executions ?? []).map(async (e) => {
            const nomination = await deps.store.get((e.name ?? '').replace(/-r\d+$/, ''));
            return {
              name: e.name,
              status: e.status,
              startDate: e.startDate,
              stopDate: e.stopDate,
              nominationStatus: nomination?.status ?? null,
              waitingIn: e.status === 'RUNNING' ? (nomination?.awaiting?.step ?? null) : null,
            };
          }),
        );
        return json(200, { executions, nextToken: page.nextToken ?? null });
      }
      case 'GET /api/ops/executions/{name}/history': {
        const history = await ofExecution(name, () =>
          clients.sfn.send(
            new GetExecutionHistoryCommand({ executionArn: executionArn(name), maxResults: 1000 }),
          ),
        );
        const events = (history.events ?? []).map((e) => ({
          id: e.id,
          type: e.type,
          timestamp: e.timestamp,
          state: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? null,
          error: e.executionFailedEventDetails?.error ?? e.taskFailedEventDetails?.error ?? null,
        }));
        return json(200, { events });
      }
      default: {
        const current = await ofExecution(name, () =>
          clients.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(name) })),
        );
        if (current.status === 'RUNNING' || current.status === 'SUCCEEDED') {
          throw new DomainError({
            code: 'NOT_RESTARTABLE',
            kind: 'conflict',
            message: {
              zh: `该流程状态为 ${current.status}，只能重启失败、超时或中止的流程`,
              en: `The execution is ${current.status}; only failed, timed-out or aborted ones restart`,
            },
          });
        }
        const nominationId = name.replace(/-r\d+$/, '');
        const attempt = Number(/-r(\d+)$/.exec(name)?.[1] ?? 0) + 1;
        const restarted = await clients.sfn.send(
          new StartExecutionCommand({
            stateMachineArn: config.stateMachineArn,
            name: `${nominationId}-r${attempt}`,
            input: current.input ?? JSON.stringify({ nominationId }),
          }),
        );
        return json(201, { executionArn: restarted.executionArn });
      }
    }
  },
  { body: 'json' },
);
