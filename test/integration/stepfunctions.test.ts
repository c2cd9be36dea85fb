import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type StepFunctionsOptions,
  type StepFunctionsService,
  startStepFunctions,
} from '../../infra/local/stepfunctions/index.js';
import {
  decisionMachine,
  executionTimeoutMachine,
  flakyMachine,
  heartbeatMachine,
  hourWaitMachine,
  longWaitMachine,
  outlivesTimerMachine,
  quickMachine,
  restartMachine,
  slowTaskMachine,
  unscaledTaskMachine,
} from '../fixtures/sfn-machines.js';
import { createTestHandlers } from '../fixtures/sfn-test-handlers.js';

const REGION = 'cn-north-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** 0.0005: an hour takes 1.8 s, HeartbeatSeconds 2000 one second. */
const TIME_SCALE = 0.0005;

const machineArn = (name: string): string => `arn:aws-cn:states:${REGION}:000000000000:stateMachine:${name}`;
const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

let dataDir: string;
const services: StepFunctionsService[] = [];
const clients: SFNClient[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'laurel-sfn-'));
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  for (const service of services) await service.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function startService(folder: string, options: Omit<StepFunctionsOptions, 'dataDir'>) {
  const service = await startStepFunctions({ dataDir: path.join(dataDir, folder), port: 0, ...options });
  services.push(service);
  return service;
}

function clientFor(endpoint: string): SFNClient {
  const client = new SFNClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function startExecution(client: SFNClient, machine: string, input: unknown, name = uniqueName('exec')) {
  const started = await client.send(
    new StartExecutionCommand({ stateMachineArn: machineArn(machine), name, input: JSON.stringify(input) }),
  );
  return { arn: defined(started.executionArn, 'executionArn'), name, startDate: started.startDate };
}

/** Polls DescribeExecution; any other closed status fails at once with its error and cause. */
async function waitForStatus(
  client: SFNClient,
  executionArn: string,
  wanted: string,
  timeoutMs = 5000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status === wanted) return execution;
    if (execution.status !== 'RUNNING') {
      throw new Error(
        `${executionArn} is ${execution.status} (${execution.error}: ${execution.cause}), not ${wanted}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms, not ${wanted}`);
    await sleep(25);
  }
}

async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const typesOf = (events: HistoryEvent[]): string[] => events.map((event) => event.type ?? '');
/** An event's instant, ms: timings are read from the history, not from the test's own clock. */
const at = (event: HistoryEvent | undefined): number => {
  expect(event?.timestamp, 'event with a timestamp').toBeDefined();
  return new Date(event?.timestamp ?? 0).getTime();
};
const eventOf = (events: HistoryEvent[], type: string): HistoryEvent | undefined =>
  events.find((event) => event.type === type);
const count = (events: HistoryEvent[], type: string): number =>
  events.filter((event) => event.type === type).length;
const outputOf = (execution: DescribeExecutionCommandOutput): unknown =>
  JSON.parse(defined(execution.output, 'output'));

describe('local Step Functions service (timeScale 0.0005)', () => {
  const handlers = createTestHandlers();
  let client: SFNClient;

  beforeAll(async () => {
    const definitions = {
      Decision: decisionMachine,
      Heartbeat: heartbeatMachine,
      SlowTask: slowTaskMachine,
      UnscaledTask: unscaledTaskMachine,
      FlakyWithRetry: flakyMachine(true),
      FlakyNoRetry: flakyMachine(false),
      ExecutionTimeout: executionTimeoutMachine,
      HourWait: hourWaitMachine,
    };
    const service = await startService('main', {
      invokeFunction: handlers.invoke,
      timeScale: TIME_SCALE,
      stateMachines: Object.entries(definitions).map(([name, definition]) => ({
        name,
        definition: JSON.stringify(definition),
      })),
    });
    client = clientFor(service.endpoint);
  });

  describe('task tokens', () => {
    it('a .waitForTaskToken task succeeds with the output given to SendTaskSuccess', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-1' });
      const token = await handlers.nextToken(name);
      // As long as the longest token AWS documents (infra/local/stepfunctions/task-tokens.ts).
      expect(token).toMatch(/^[A-Za-z0-9_-]{2048}$/);

      const decision = { decision: 'pass', by: 'secretariat', note: '材料齐全' };
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(decision) }));

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toEqual(decision);
      const events = await historyOf(client, arn);
      expect(typesOf(events)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      const scheduled = defined(events[2]?.taskScheduledEventDetails, 'taskScheduledEventDetails');
      expect(scheduled).toMatchObject({
        resourceType: 'lambda',
        resource: 'invoke.waitForTaskToken',
        region: REGION,
      });
      expect(JSON.parse(defined(scheduled.parameters, 'parameters'))).toEqual({
        FunctionName: 'RecordToken',
        Payload: { execution: name, taskToken: token, nominationId: 'n-1' },
      });
      expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(handlers.calls('RecordToken', name)).toBe(1);
    });

    it('answers a token once: again is TaskTimedOut, an unknown token is InvalidToken', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-2' });
      const token = await handlers.nextToken(name);
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"pass"}' }));

      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"reject"}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
      await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(
        TaskTimedOut,
      );
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: `${token.slice(0, -4)}AAAA`, output: '{}' })),
      ).rejects.toBeInstanceOf(InvalidToken);
      await expect(
        client.send(new SendTaskFailureCommand({ taskToken: 'not a token!', error: 'X' })),
      ).rejects.toBeInstanceOf(InvalidToken);
      expect(outputOf(await waitForStatus(client, arn, 'SUCCEEDED'))).toEqual({ decision: 'pass' });
    });

    it('SendTaskFailure fails the task with its error and cause, which the Catch matches by name', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-3' });
      const token = await handlers.nextToken(name);
      await client.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: 'Nomination.Returned',
          cause: 'photos missing',
        }),
      );

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toEqual({
        nominationId: 'n-3',
        returned: { Error: 'Nomination.Returned', Cause: 'photos missing' },
        outcome: 'returned',
      });
      const failed = (await historyOf(client, arn)).find((event) => event.type === 'TaskFailed');
      expect(failed?.taskFailedEventDetails).toMatchObject({
        error: 'Nomination.Returned',
        cause: 'photos missing',
      });
    });

    it('refuses an error over 256 characters or a cause over 32,768 as AWS does (ValidationException), the task kept open', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-5' });
      const token = await handlers.nextToken(name);
      for (const tooLong of [
        { error: 'E'.repeat(257), cause: '' },
        { error: 'Nomination.Returned', cause: 'c'.repeat(32_769) },
      ]) {
        await expect(
          client.send(new SendTaskFailureCommand({ taskToken: token, ...tooLong })),
        ).rejects.toMatchObject({ name: 'ValidationException' });
      }
      // At the limits, accepted.
      await client.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: 'Nomination.Returned',
          cause: 'c'.repeat(32_768),
        }),
      );
      expect(outputOf(await waitForStatus(client, arn, 'SUCCEEDED'))).toMatchObject({ outcome: 'returned' });
    });

    it('rejects output that is not JSON with InvalidOutput and keeps the task open', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-4' });
      const token = await handlers.nextToken(name);
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' })),
      ).rejects.toBeInstanceOf(InvalidOutput);
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '"fine"' }));
      expect(outputOf(await waitForStatus(client, arn, 'SUCCEEDED'))).toBe('fine');
    });
  });

  describe('heartbeats and timeouts', () => {
    it('a lapsed HeartbeatSeconds is States.HeartbeatTimeout, caught and routed to a Pass state', async () => {
      const { arn, name } = await startExecution(client, 'Heartbeat', { nominationId: 'n-5' });
      const token = await handlers.nextToken(name);

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toMatchObject({
        nominationId: 'n-5',
        error: { Error: 'States.HeartbeatTimeout' },
        outcome: 'no-heartbeat',
      });
      const events = await historyOf(client, arn);
      const timedOut = events.find((event) => event.type === 'TaskTimedOut');
      expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
      // Timed by the history's own instants: the task lapsed once its HeartbeatSeconds (1 s) had passed.
      const scheduled = events.find((event) => event.type === 'TaskScheduled');
      expect(at(timedOut) - at(scheduled)).toBeGreaterThanOrEqual(950);
      const reminder = events.find((event) => event.type === 'PassStateEntered');
      expect(reminder?.stateEnteredEventDetails?.name).toBe('RemindReviewer');
      expect(defined(reminder?.id, 'id')).toBeGreaterThan(defined(timedOut?.id, 'id'));
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
    });

    it('SendTaskHeartbeat in time keeps the task alive past its HeartbeatSeconds', async () => {
      const { arn, name } = await startExecution(client, 'Heartbeat', { nominationId: 'n-6' });
      const token = await handlers.nextToken(name);
      const until = Date.now() + 2500; // 2.5 × HeartbeatSeconds (1 s here)
      while (Date.now() < until) {
        await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
        await sleep(300);
      }
      expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');

      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"score":91}' }));
      expect(outputOf(await waitForStatus(client, arn, 'SUCCEEDED'))).toEqual({ score: 91 });
      expect(count(await historyOf(client, arn), 'TaskTimedOut')).toBe(0);
    });

    it('TimeoutSeconds on a slow lambda:invoke is States.Timeout: retried, then caught (not as States.TaskFailed)', async () => {
      const { arn, name } = await startExecution(client, 'SlowTask', { nominationId: 'n-7' });

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toMatchObject({ error: { Error: 'States.Timeout' }, outcome: 'timed-out' });
      const events = await historyOf(client, arn);
      expect(count(events, 'TaskScheduled')).toBe(2);
      const timeouts = events.filter((event) => event.type === 'TaskTimedOut');
      expect(timeouts.map((event) => event.taskTimedOutEventDetails?.error)).toEqual([
        'States.Timeout',
        'States.Timeout',
      ]);
      expect(
        events.find((event) => event.type === 'TaskScheduled')?.taskScheduledEventDetails?.timeoutInSeconds,
      ).toBe(1);
      expect(handlers.calls('SlowTask', name)).toBe(2);
    });

    it('a synchronous task keeps its TimeoutSeconds under the time scale: code runs no faster locally', async () => {
      const { arn } = await startExecution(client, 'UnscaledTask', { nominationId: 'n-7b' });
      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toEqual({ nominationId: 'n-7b', render: { ran: 200 } });
      expect(count(await historyOf(client, arn), 'TaskTimedOut')).toBe(0);
    });

    it('Retry runs a handler that fails twice a third time and the state takes its result', async () => {
      const { arn, name } = await startExecution(client, 'FlakyWithRetry', { failures: 2 });

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toEqual({
        ExecutedVersion: '$LATEST',
        Payload: { attempts: 3 },
        StatusCode: 200,
      });
      const events = await historyOf(client, arn);
      expect(count(events, 'TaskScheduled')).toBe(3);
      expect(
        events.filter((event) => event.type === 'TaskFailed').map((event) => event.taskFailedEventDetails),
      ).toEqual([
        { resourceType: 'lambda', resource: 'invoke', error: 'TransientError', cause: 'attempt 1 failed' },
        { resourceType: 'lambda', resource: 'invoke', error: 'TransientError', cause: 'attempt 2 failed' },
      ]);
      expect(handlers.calls('Flaky', name)).toBe(3);
    });

    it('an uncaught handler error fails the execution with its name and message', async () => {
      const { arn } = await startExecution(client, 'FlakyNoRetry', { failures: 1 });
      await expect(waitForStatus(client, arn, 'SUCCEEDED')).rejects.toThrow(/FAILED/);
      const execution = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
      expect(execution).toMatchObject({
        status: 'FAILED',
        error: 'TransientError',
        cause: 'attempt 1 failed',
      });
      expect(typesOf(await historyOf(client, arn)).at(-1)).toBe('ExecutionFailed');
    });

    it("the machine's TimeoutSeconds times the execution out and closes its open token", async () => {
      const { arn, name } = await startExecution(client, 'ExecutionTimeout', { nominationId: 'n-8' });
      const token = await handlers.nextToken(name);

      const execution = await waitForStatus(client, arn, 'TIMED_OUT');
      expect(execution.error).toBe('States.Timeout');
      expect(typesOf(await historyOf(client, arn)).at(-1)).toBe('ExecutionTimedOut');
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
    });
  });

  describe('executions', () => {
    it('StartExecution is idempotent by name and input; another input, or a closed execution, is ExecutionAlreadyExists', async () => {
      const name = uniqueName('nomination');
      const first = await startExecution(client, 'Decision', { nominationId: 'n-9' }, name);
      const second = await startExecution(client, 'Decision', { nominationId: 'n-9' }, name);
      expect(second.arn).toBe(first.arn);
      expect(second.startDate).toEqual(first.startDate);
      const listed = await client.send(
        new ListExecutionsCommand({ stateMachineArn: machineArn('Decision') }),
      );
      expect(listed.executions?.filter((execution) => execution.name === name)).toHaveLength(1);

      await expect(
        startExecution(client, 'Decision', { nominationId: 'other' }, name),
      ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
      await handlers.nextToken(name);
      expect(handlers.calls('RecordToken', name)).toBe(1);

      await client.send(new StopExecutionCommand({ executionArn: first.arn }));
      await expect(startExecution(client, 'Decision', { nominationId: 'n-9' }, name)).rejects.toBeInstanceOf(
        ExecutionAlreadyExists,
      );
    });

    it('StopExecution aborts with its error and cause and closes the pending token', async () => {
      const { arn, name } = await startExecution(client, 'Decision', { nominationId: 'n-10' });
      const token = await handlers.nextToken(name);
      const stopped = await client.send(
        new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'the unit withdrew it' }),
      );
      expect(stopped.stopDate).toBeInstanceOf(Date);

      const execution = await waitForStatus(client, arn, 'ABORTED');
      expect(execution).toMatchObject({ error: 'Withdrawn', cause: 'the unit withdrew it' });
      const last = (await historyOf(client, arn)).at(-1);
      expect(last?.type).toBe('ExecutionAborted');
      expect(last?.executionAbortedEventDetails).toEqual({
        error: 'Withdrawn',
        cause: 'the unit withdrew it',
      });
      await expect(
        client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
    });

    it('creates, describes and lists state machines; CreateStateMachine is idempotent', async () => {
      const definition = JSON.stringify(quickMachine);
      const name = uniqueName('Quick');
      const created = await client.send(
        new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws-cn:iam::000000000000:role/sfn' }),
      );
      expect(created.stateMachineArn).toBe(machineArn(name));
      const again = await client.send(
        new CreateStateMachineCommand({ name, definition, roleArn: 'arn:aws-cn:iam::000000000000:role/sfn' }),
      );
      expect(again).toMatchObject({
        stateMachineArn: created.stateMachineArn,
        creationDate: created.creationDate,
      });
      await expect(
        client.send(
          new CreateStateMachineCommand({ name, definition: JSON.stringify(hourWaitMachine), roleArn: 'r' }),
        ),
      ).rejects.toBeInstanceOf(StateMachineAlreadyExists);
      await expect(
        client.send(
          new CreateStateMachineCommand({
            name: uniqueName('Broken'),
            definition: '{"StartAt":"X","States":{}}',
            roleArn: 'r',
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidDefinition);

      const described = await client.send(
        new DescribeStateMachineCommand({ stateMachineArn: machineArn(name) }),
      );
      expect(described).toMatchObject({ name, definition, status: 'ACTIVE', type: 'STANDARD' });
      const page = await client.send(new ListStateMachinesCommand({ maxResults: 1000 }));
      expect(page.stateMachines?.map((machine) => machine.name)).toEqual(
        expect.arrayContaining([name, 'Decision']),
      );
    });

    it('ListExecutions filters by machine and status, newest first, in pages; GetExecutionHistory pages both ways', async () => {
      const name = uniqueName('Listed');
      await client.send(
        new CreateStateMachineCommand({ name, definition: JSON.stringify(quickMachine), roleArn: 'r' }),
      );
      const arns: string[] = [];
      for (const index of [1, 2, 3]) {
        const { arn } = await startExecution(client, name, { index });
        await waitForStatus(client, arn, 'SUCCEEDED');
        arns.push(arn);
        await sleep(5); // distinct start dates
      }

      const first = await client.send(
        new ListExecutionsCommand({ stateMachineArn: machineArn(name), maxResults: 2 }),
      );
      const second = await client.send(
        new ListExecutionsCommand({
          stateMachineArn: machineArn(name),
          maxResults: 2,
          nextToken: first.nextToken,
        }),
      );
      expect(second.nextToken).toBeUndefined();
      expect([...(first.executions ?? []), ...(second.executions ?? [])].map((e) => e.executionArn)).toEqual(
        [...arns].reverse(),
      );
      const running = await client.send(
        new ListExecutionsCommand({ stateMachineArn: machineArn(name), statusFilter: 'RUNNING' }),
      );
      expect(running.executions).toEqual([]);

      const arn = defined(arns[0], 'arn');
      const events = await historyOf(client, arn);
      expect(typesOf(events)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      const newest = await client.send(
        new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 3 }),
      );
      expect(newest.events?.map((event) => event.id)).toEqual([8, 7, 6]);
      const older = await client.send(
        new GetExecutionHistoryCommand({
          executionArn: arn,
          reverseOrder: true,
          maxResults: 3,
          nextToken: newest.nextToken,
        }),
      );
      expect(older.events?.map((event) => event.id)).toEqual([5, 4, 3]);
      const oldest = await client.send(
        new GetExecutionHistoryCommand({
          executionArn: arn,
          reverseOrder: true,
          maxResults: 3,
          nextToken: older.nextToken,
        }),
      );
      expect(oldest.events?.map((event) => event.id)).toEqual([2, 1]);
      expect(oldest.nextToken).toBeUndefined();
      const firstFive = await client.send(
        new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 5, includeExecutionData: false }),
      );
      expect(firstFive.events?.map((event) => [event.id, event.previousEventId])).toEqual([
        [1, 0],
        [2, 1],
        [3, 2],
        [4, 3],
        [5, 4],
      ]);
      expect(firstFive.events?.[0]?.executionStartedEventDetails).not.toHaveProperty('input');
      const rest = await client.send(
        new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 5, nextToken: firstFive.nextToken }),
      );
      expect(rest.events?.map((event) => event.id)).toEqual([6, 7, 8]);
      expect(rest.nextToken).toBeUndefined();
    });

    it("answers bad requests with AWS's named exceptions", async () => {
      const missing = `arn:aws-cn:states:${REGION}:000000000000:execution:Decision:${uniqueName('missing')}`;
      await expect(
        client.send(new DescribeExecutionCommand({ executionArn: missing })),
      ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
      await expect(
        client.send(new DescribeExecutionCommand({ executionArn: 'arn:nope' })),
      ).rejects.toBeInstanceOf(InvalidArn);
      await expect(startExecution(client, 'NoSuchMachine', {})).rejects.toBeInstanceOf(
        StateMachineDoesNotExist,
      );
      await expect(startExecution(client, 'Decision', {}, 'has space')).rejects.toBeInstanceOf(InvalidName);
      await expect(
        client.send(new StartExecutionCommand({ stateMachineArn: machineArn('Decision'), input: '{oops' })),
      ).rejects.toBeInstanceOf(InvalidExecutionInput);
    });
  });

  describe('Wait states', () => {
    it('a Wait of one hour at timeScale 0.0005 takes about 1.8 s', async () => {
      const { arn } = await startExecution(client, 'HourWait', { nominationId: 'n-11' });
      // An unscaled hour would never finish within the 6 s allowed.
      const execution = await waitForStatus(client, arn, 'SUCCEEDED', 6000);
      expect(outputOf(execution)).toEqual({ nominationId: 'n-11', release: { released: true } });
      const events = await historyOf(client, arn);
      // The wait itself, by the history's instants: the whole scaled hour (1.8 s), not less.
      expect(
        at(eventOf(events, 'WaitStateExited')) - at(eventOf(events, 'WaitStateEntered')),
      ).toBeGreaterThanOrEqual(1750);
      expect(typesOf(events).slice(0, 3)).toEqual([
        'ExecutionStarted',
        'WaitStateEntered',
        'WaitStateExited',
      ]);
      expect(count(events, 'TaskScheduled')).toBe(0);
    });
  });
});

describe('waits beyond what one setTimeout can hold (timeScale 1)', () => {
  it('a Wait of more than 24.8 days does not fire at once', async () => {
    const service = await startService('long-wait', {
      invokeFunction: createTestHandlers().invoke,
      stateMachines: [{ name: 'LongWait', definition: JSON.stringify(longWaitMachine) }],
    });
    const client = clientFor(service.endpoint);
    const { arn } = await startExecution(client, 'LongWait', {});
    await sleep(500);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    expect(typesOf(await historyOf(client, arn))).toEqual(['ExecutionStarted', 'WaitStateEntered']);

    await client.send(new StopExecutionCommand({ executionArn: arn }));
    await waitForStatus(client, arn, 'ABORTED');
  });

  it("carries a Wait and a callback past the interpreter's own Task timer by restarting the run at its cursor", async () => {
    const handlers = createTestHandlers();
    // The interpreter's Task timer cut to 1 s (really 24.8 days) and the restart to 0.4 s (really 20 days).
    const service = await startService('outlives-timer', {
      invokeFunction: handlers.invoke,
      stateMachines: [{ name: 'OutlivesTimer', definition: JSON.stringify(outlivesTimerMachine) }],
      timerLimits: { interpreterTimeoutSeconds: 1, recycleAfterMs: 400 },
    });
    const client = clientFor(service.endpoint);
    const { arn, name } = await startExecution(client, 'OutlivesTimer', { nominationId: 'n-12' });
    const token = await handlers.nextToken(name, 4000);
    await sleep(1500);
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"late":true}' }));

    expect(outputOf(await waitForStatus(client, arn, 'SUCCEEDED'))).toEqual({ late: true });
    const events = await historyOf(client, arn);
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(handlers.tokensOf(name)).toEqual([token]);
  }, 15_000);
});

describe('durability', () => {
  it('a Wait resumed after a stop gets only its remaining time', async () => {
    const options = {
      invokeFunction: createTestHandlers().invoke,
      timeScale: TIME_SCALE,
      stateMachines: [{ name: 'HourWait', definition: JSON.stringify(hourWaitMachine) }],
    };
    const first = await startStepFunctions({ dataDir: path.join(dataDir, 'resume-wait'), ...options });
    const { arn } = await startExecution(clientFor(first.endpoint), 'HourWait', { nominationId: 'n-13' });
    await sleep(900);
    await first.stop();

    const second = await startService('resume-wait', options);
    const resumedAt = Date.now();
    const client = clientFor(second.endpoint);
    await waitForStatus(client, arn, 'SUCCEEDED', 5000);
    const events = await historyOf(client, arn);
    expect(count(events, 'WaitStateEntered')).toBe(1);
    // By the history's instants, however long the restart took: the wait lasted the scaled hour
    // from when it was entered before the stop, and once resumed it had well under a whole wait
    // left (a wait started again would exit 1.8 s after the restart).
    const exited = at(eventOf(events, 'WaitStateExited'));
    expect(exited - at(eventOf(events, 'WaitStateEntered'))).toBeGreaterThanOrEqual(1750);
    expect(exited - resumedAt).toBeLessThan(1200);
  });

  describe('the standalone service, killed and started again', () => {
    const children = new Set<ChildProcess>();

    afterAll(() => {
      for (const child of children) child.kill('SIGKILL');
    });

    async function startChild(sfnDataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
      const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/stepfunctions/main.ts'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          LAUREL_SFN_DATA_DIR: sfnDataDir,
          LAUREL_SFN_PORT: '0',
          LAUREL_TIME_SCALE: '1',
          LAUREL_SFN_HANDLERS: path.join(REPO_ROOT, 'test/fixtures/sfn-restart-handlers.ts'),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      const lines = createInterface({ input: defined(child.stdout ?? undefined, 'stdout') });
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the service did not start within 20 s')), 20_000);
        child.once('exit', (code) => reject(new Error(`the service exited with ${code} before listening`)));
        lines.on('line', (line) => {
          const match = /^stepfunctions listening on (\S+)$/.exec(line);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      return { child, endpoint };
    }

    const exited = (child: ChildProcess): Promise<number | null> =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(child.exitCode)
        : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

    it('resumes a callback state after SIGKILL: the old token works, nothing runs twice', async () => {
      const root = path.join(dataDir, 'restart');
      const workDir = path.join(root, 'work');
      await mkdir(workDir, { recursive: true });

      const before = await startChild(path.join(root, 'data'));
      const firstClient = clientFor(before.endpoint);
      await firstClient.send(
        new CreateStateMachineCommand({
          name: 'Restart',
          definition: JSON.stringify(restartMachine),
          roleArn: 'r',
        }),
      );
      const { arn } = await startExecution(firstClient, 'Restart', { dir: workDir });
      // Kill only once the callback Lambda has returned and the service says so (TaskSubmitted).
      const deadline = Date.now() + 10_000;
      while (!typesOf(await historyOf(firstClient, arn)).includes('TaskSubmitted')) {
        if (Date.now() > deadline) throw new Error('the callback state was never reached');
        await sleep(25);
      }
      const [token = ''] = (await readFile(path.join(workDir, 'tokens'), 'utf8')).split('\n');
      before.child.kill('SIGKILL');
      await exited(before.child);

      const after = await startChild(path.join(root, 'data'));
      const client = clientFor(after.endpoint);
      expect((await client.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
      await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));

      const execution = await waitForStatus(client, arn, 'SUCCEEDED');
      expect(outputOf(execution)).toEqual({
        dir: workDir,
        counted: { count: 1 },
        answer: { approved: true },
      });
      expect(await readFile(path.join(workDir, 'count'), 'utf8')).toBe('1');
      expect((await readFile(path.join(workDir, 'tokens'), 'utf8')).trim().split('\n')).toEqual([token]);
      const events = await historyOf(client, arn);
      const scheduled = events.filter((event) => event.type === 'TaskScheduled');
      expect(
        scheduled.map(
          (event) => JSON.parse(event.taskScheduledEventDetails?.parameters ?? '{}').FunctionName,
        ),
      ).toEqual(['CountInvocation', 'RecordToken']);
      expect(count(events, 'ExecutionStarted')).toBe(1);
      expect(count(events, 'TaskStateEntered')).toBe(2);
      expect(count(events, 'TaskSubmitted')).toBe(1);

      after.child.kill('SIGTERM');
      expect(await exited(after.child)).toBe(0);
    }, 45_000);
  });
});
