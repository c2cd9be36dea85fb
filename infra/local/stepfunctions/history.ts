/**
 * Execution history in the shape of AWS's `HistoryEvent`: ids from 1, `previousEventId`, a
 * `type` such as `TaskScheduled`, and the matching `*EventDetails` member.
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Epoch milliseconds; the wire format carries epoch seconds. */
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
}

export type NewHistoryEvent = Pick<HistoryEvent, 'type' | 'details'>;

const NOT_TRUNCATED = { truncated: false };

/**
 * An execution's history as it is kept in memory: each event as the JSON text it has on disk,
 * made once, when the event happens. A running execution's document is rewritten whole at every
 * change (durable-store.ts), so its events are not serialised again at every write; text holds
 * in less memory than the objects it came from, for thousands of executions; and a page of
 * GetExecutionHistory parses only its own events. Ids run 1, 2, 3… in order, as AWS numbers them.
 */
export class History {
  private readonly texts: string[] = [];

  static of(events: readonly HistoryEvent[]): History {
    const history = new History();
    for (const [index, event] of events.entries()) {
      if (event.id !== index + 1)
        throw new Error(`history event ${index + 1} has id ${event.id}: not a history this service wrote`);
      history.texts.push(JSON.stringify(event));
    }
    return history;
  }

  get length(): number {
    return this.texts.length;
  }

  append(event: NewHistoryEvent, timestamp: number): void {
    const id = this.texts.length + 1;
    this.texts.push(
      JSON.stringify({ id, previousEventId: id - 1, timestamp, ...event } satisfies HistoryEvent),
    );
  }

  /** The event whose id is `id` (1 to length). */
  event(id: number): HistoryEvent {
    const text = this.texts[id - 1];
    if (text === undefined) throw new RangeError(`no history event ${id}`);
    return JSON.parse(text) as HistoryEvent;
  }

  /** The events as the JSON array the execution's document stores. */
  json(): string {
    return `[${this.texts.join(',')}]`;
  }
}

/** `TaskScheduled` → `taskScheduledEventDetails`; every state's Entered/Exited share one shape. */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The wire form; `includeExecutionData: false` drops inputs and outputs as AWS does. */
export function toWire(event: HistoryEvent, includeExecutionData = true): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: event.id,
    previousEventId: event.previousEventId,
    timestamp: event.timestamp / 1000,
    type: event.type,
  };
  if (event.details) {
    const { input, output, ...rest } = event.details;
    wire[detailsKeyOf(event.type)] = includeExecutionData ? event.details : rest;
  }
  return wire;
}

export const executionStarted = (input: string, roleArn: string): NewHistoryEvent => ({
  type: 'ExecutionStarted',
  details: { input, inputDetails: NOT_TRUNCATED, roleArn },
});

export const executionSucceeded = (output: string): NewHistoryEvent => ({
  type: 'ExecutionSucceeded',
  details: { output, outputDetails: NOT_TRUNCATED },
});

type ClosingType = 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut';

export const executionClosed = (type: ClosingType, error?: string, cause?: string): NewHistoryEvent => ({
  type,
  details: { ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) },
});

export const stateEntered = (stateType: string, name: string, input: string): NewHistoryEvent => ({
  type: `${stateType}StateEntered`,
  details: { name, input, inputDetails: NOT_TRUNCATED },
});

export const stateExited = (stateType: string, name: string, output: string): NewHistoryEvent => ({
  type: `${stateType}StateExited`,
  details: { name, output, outputDetails: NOT_TRUNCATED },
});

export const mapIteration = (
  type: 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed',
  name: string,
  index: number,
): NewHistoryEvent => ({ type, details: { name, index } });

/** The resource as `TaskScheduled` reports it: `arn:aws:states:::lambda:invoke` → lambda / invoke. */
export interface TaskResource {
  resourceType: string;
  resource: string;
}

export function taskResourceOf(arn: string): TaskResource {
  const [, , , , , resourceType = '', resource = ''] = arn.split(':');
  return { resourceType, resource };
}

export const taskScheduled = (
  task: TaskResource,
  region: string,
  parameters: string,
  timeoutInSeconds?: number,
  heartbeatInSeconds?: number,
): NewHistoryEvent => ({
  type: 'TaskScheduled',
  details: {
    ...task,
    region,
    parameters,
    ...(timeoutInSeconds !== undefined && { timeoutInSeconds }),
    ...(heartbeatInSeconds !== undefined && { heartbeatInSeconds }),
  },
});

export const taskStarted = (task: TaskResource): NewHistoryEvent => ({
  type: 'TaskStarted',
  details: { ...task },
});

export const taskOutput = (type: 'TaskSubmitted' | 'TaskSucceeded', task: TaskResource, output: string) => ({
  type,
  details: { ...task, output, outputDetails: NOT_TRUNCATED },
});

export const taskError = (
  type: 'TaskFailed' | 'TaskTimedOut',
  task: TaskResource,
  error: string | undefined,
  cause: string | undefined,
): NewHistoryEvent => ({
  type,
  details: { ...task, ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) },
});

/** Task states whose Resource is a Lambda function ARN get AWS's older LambdaFunction* events. */
export const lambdaFunctionScheduled = (resource: string, input: string, timeoutInSeconds?: number) => ({
  type: 'LambdaFunctionScheduled',
  details: {
    resource,
    input,
    inputDetails: NOT_TRUNCATED,
    ...(timeoutInSeconds !== undefined && { timeoutInSeconds }),
  },
});

export const lambdaFunctionSucceeded = (output: string): NewHistoryEvent => ({
  type: 'LambdaFunctionSucceeded',
  details: { output, outputDetails: NOT_TRUNCATED },
});

export const lambdaFunctionError = (
  type: 'LambdaFunctionFailed' | 'LambdaFunctionTimedOut',
  error: string,
  cause: string,
): NewHistoryEvent => ({ type, details: { error, cause } });
