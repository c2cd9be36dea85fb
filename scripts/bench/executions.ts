import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { inPool, waitForEach } from '../driver/poll.js';
import { pushTo } from './dynamo-counter.js';

/**
 * The nominations' executions, watched through the local Step Functions service's own API (the
 * benchmark's instrument, not Laurel's ops API): when every one has settled in a state, and, after
 * the run, their whole histories — state transitions and how long each task's Lambda ran.
 */

const POLL_MS = 250;
const POLL_CONCURRENCY = 8;
const CLOSING = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

export interface HistoryFigures {
  executions: number;
  /**
   * What AWS bills as state transitions, over all executions: states entered, and each retry of a
   * Task (Step Functions' pricing counts retries as transitions).
   */
  stateTransitions: number;
  /** Per execution: min, mean and max of its state transitions (retries included). */
  perExecution: { min: number; mean: number; max: number };
  historyEvents: number;
  /**
   * Lambda invocations Step Functions made that ran (TaskScheduled, less those throttled), by
   * state: Lambda bills no throttled invocation.
   */
  taskInvocations: Map<string, number>;
  /** Task attempts throttled (Lambda.TooManyRequestsException) and retried, by state. */
  throttled: Map<string, number>;
  /** How long each task's Lambda ran (TaskStarted → TaskSucceeded or TaskSubmitted), ms, by state. */
  taskMs: Map<string, number[]>;
  /** When each task's Lambda that ran started (epoch ms), by state: which stage of the round ran it. */
  taskStarts: Map<string, number[]>;
  /** How the executions ended: the last state's name, counted. */
  endStates: Map<string, number>;
}

const THROTTLED = 'Lambda.TooManyRequestsException';

export class Executions {
  private readonly sfn: SFNClient;
  private readonly machineArn: string;

  constructor(endpoint: string, stateMachineArn: string) {
    this.sfn = new SFNClient({
      endpoint,
      region: 'cn-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
    this.machineArn = stateMachineArn;
  }

  arnOf(name: string): string {
    return `${this.machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  destroy(): void {
    this.sfn.destroy();
  }

  private async latest(name: string): Promise<HistoryEvent[]> {
    const page = await this.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: this.arnOf(name),
        reverseOrder: true,
        maxResults: 8,
        includeExecutionData: false,
      }),
    );
    return page.events ?? [];
  }

  /**
   * Waits until every execution waits in the callback state `state` with its Lambda returned (the
   * task token is stored on the nomination); answers the latest instant one got there (epoch ms).
   */
  async settledIn(names: readonly string[], state: string, timeoutMs: number): Promise<number> {
    return this.until(names, `to wait in ${state}`, timeoutMs, (events) => {
      let submittedAt: number | undefined;
      for (const event of events) {
        if (event.type === 'TaskSubmitted' && submittedAt === undefined)
          submittedAt = Number(event.timestamp ?? 0);
        if (event.type?.endsWith('StateEntered')) {
          const entered = event.stateEnteredEventDetails?.name;
          return entered === state ? submittedAt : undefined;
        }
      }
      return undefined;
    });
  }

  /** Waits until every execution has succeeded; answers the latest instant one ended (epoch ms). */
  async succeeded(names: readonly string[], timeoutMs: number): Promise<number> {
    return this.until(names, 'to succeed', timeoutMs, (events) => {
      const first = events[0];
      return first?.type === 'ExecutionSucceeded' ? Number(first.timestamp ?? 0) : undefined;
    });
  }

  private async until(
    names: readonly string[],
    what: string,
    timeoutMs: number,
    doneAt: (newestFirst: HistoryEvent[]) => number | undefined,
  ): Promise<number> {
    const looks = await waitForEach(names, {
      what,
      timeoutMs,
      pollMs: POLL_MS,
      concurrency: POLL_CONCURRENCY,
      look: async (name) => {
        const events = await this.latest(name);
        return { events, at: doneAt(events) };
      },
      done: (look) => look.at !== undefined,
      failure: (name, { events }) => {
        const closing = events.find((e) => CLOSING.has(e.type ?? ''));
        return closing && closing.type !== 'ExecutionSucceeded'
          ? new Error(
              `execution ${name} ended ${closing.type} while the benchmark waited for it ${what}; see its history (GetExecutionHistory ${this.arnOf(name)})`,
            )
          : undefined;
      },
      where: ({ events }) =>
        events.find((e) => e.type?.endsWith('StateEntered'))?.stateEnteredEventDetails?.name ??
        events[0]?.type ??
        '?',
    });
    return [...looks.values()].reduce((latest, look) => Math.max(latest, look.at ?? 0), 0);
  }

  /** Executions of the state machine still running. */
  async running(): Promise<number> {
    let count = 0;
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.machineArn,
          statusFilter: 'RUNNING',
          maxResults: 1000,
          nextToken,
        }),
      );
      count += page.executions?.length ?? 0;
      nextToken = page.nextToken;
    } while (nextToken);
    return count;
  }

  /** The name of every execution of the state machine, whatever its status (the campaign jobs' runs). */
  async allNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: this.machineArn, maxResults: 1000, nextToken }),
      );
      names.push(...(page.executions ?? []).flatMap((e) => (e.name ? [e.name] : [])));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  /** Every execution's whole history, summed up. */
  async histories(names: readonly string[]): Promise<HistoryFigures> {
    const perExecution: number[] = [];
    const taskInvocations = new Map<string, number>();
    const throttled = new Map<string, number>();
    const taskMs = new Map<string, number[]>();
    const taskStarts = new Map<string, number[]>();
    const endStates = new Map<string, number>();
    let historyEvents = 0;
    await inPool(names, POLL_CONCURRENCY, async (name) => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: this.arnOf(name),
            maxResults: 1000,
            includeExecutionData: false,
            nextToken,
          }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      historyEvents += events.length;
      let entered = 0;
      let retries = 0;
      let state = '';
      let attempts = 0;
      let startedAt = 0;
      const add = (map: Map<string, number>, by: number) => map.set(state, (map.get(state) ?? 0) + by);
      for (const event of events) {
        const type = event.type ?? '';
        if (type.endsWith('StateEntered')) {
          entered += 1;
          attempts = 0;
          state = event.stateEnteredEventDetails?.name ?? '';
        } else if (type === 'TaskScheduled') {
          attempts += 1;
          if (attempts > 1) retries += 1;
          add(taskInvocations, 1);
        } else if (type === 'TaskFailed' && event.taskFailedEventDetails?.error === THROTTLED) {
          // Scheduled, refused before it ran: no invocation to bill.
          add(taskInvocations, -1);
          add(throttled, 1);
        } else if (type === 'TaskStarted') {
          startedAt = Number(event.timestamp ?? 0);
        } else if ((type === 'TaskSucceeded' || type === 'TaskSubmitted') && startedAt > 0) {
          pushTo(taskMs, state, Number(event.timestamp ?? 0) - startedAt);
          pushTo(taskStarts, state, startedAt);
          startedAt = 0;
        }
      }
      perExecution.push(entered + retries);
      endStates.set(state, (endStates.get(state) ?? 0) + 1);
    });
    const total = perExecution.reduce((s, n) => s + n, 0);
    return {
      executions: names.length,
      stateTransitions: total,
      perExecution: {
        min: Math.min(...perExecution),
        mean: total / Math.max(1, perExecution.length),
        max: Math.max(...perExecution),
      },
      historyEvents,
      taskInvocations,
      throttled,
      taskMs,
      taskStarts,
      endStates,
    };
  }
}
