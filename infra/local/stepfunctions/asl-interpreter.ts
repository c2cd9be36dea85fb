/**
 * The one place that touches `aws-local-stepfunctions`: its types, the errors our Task
 * handlers throw into it, and the few facts about its internals this service relies on.
 */
import './promise-with-resolvers.js';
import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';

export { ExecutionError, StateMachine, type StateMachineDefinition };

type Overrides = NonNullable<RunOptions['overrides']>;
export type TaskHandlers = NonNullable<Overrides['taskResourceLocalHandlers']>;
export type JsonValue = Parameters<TaskHandlers[string]>[0];
export type InterpreterEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * The interpreter arms its own timer of `TimeoutSeconds` (60 s by default) around every Task
 * handler. We time tasks ourselves (scaled, durable, heartbeats), so the runnable copy of a
 * definition sets every Task's TimeoutSeconds to the longest delay `setTimeout` honours,
 * 2^31−1 ms; a run whose handler would outlive it is restarted from its cursor first.
 */
export const INTERPRETER_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * A Task failure: the interpreter matches `Retry`/`Catch` `ErrorEquals` on `name` and hands
 * `message` on as the Cause, as AWS does with a Lambda's error type and message.
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/**
 * `States.Runtime` (a bad path, a malformed Wait) is neither retried nor caught on AWS. The
 * interpreter reads these two getters to decide; without them it retries and catches.
 */
export class RuntimeFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** Step Functions' quota on a state's input and output, a task's result and SendTaskSuccess output. */
export const PAYLOAD_QUOTA_BYTES = 256 * 1024;

export const exceedsPayloadQuota = (text: string): boolean => Buffer.byteLength(text) > PAYLOAD_QUOTA_BYTES;

/** The error and cause an execution fails with when a payload passes the quota. */
export const dataLimitExceeded = (what: string) => ({
  error: 'States.DataLimitExceeded',
  cause: `${what} has exceeded the limit of ${PAYLOAD_QUOTA_BYTES} characters.`,
});

/**
 * `States.DataLimitExceeded`: a task result, state input or output over the quota. Terminal on
 * AWS: `States.ALL` neither retries nor catches it.
 */
export class DataLimitFailure extends Error {
  constructor(what: string) {
    const { error, cause } = dataLimitExceeded(what);
    super(cause);
    this.name = error;
  }
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** Thrown into a run this service has abandoned (stopped, timed out, restarted, shut down). */
export class RunDetached extends Error {
  constructor() {
    super('run detached');
    this.name = 'Laurel.RunDetached';
  }
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

export type TimeoutErrorFactory = (cause: string) => Error;

let timeoutErrorFactory: Promise<TimeoutErrorFactory> | undefined;

/**
 * `States.TaskFailed` in a Retry or Catch matches every error except `States.Timeout`, and
 * the interpreter tells the two apart with `instanceof` on a class it does not export. To
 * raise a timeout it recognises, we let it produce one instance once (a Task with a 1 ms
 * timeout) and reuse that instance's constructor. Should a later version change this, the
 * fallback is a plain error named States.Timeout, which `States.TaskFailed` would also match.
 */
export function statesTimeoutError(): Promise<TimeoutErrorFactory> {
  timeoutErrorFactory ??= probeTimeoutError();
  return timeoutErrorFactory;
}

async function probeTimeoutError(): Promise<TimeoutErrorFactory> {
  const probe = {
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'probe', TimeoutSeconds: 0.001, End: true } },
  };
  const machine = new StateMachine(probe as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  const run = machine.run(null, {
    overrides: { taskResourceLocalHandlers: { T: () => new Promise(() => {}) } },
  });
  const error = await run.result.then(
    () => undefined,
    (failure: unknown) => (failure instanceof ExecutionError ? failure.cause : undefined),
  );
  if (error instanceof Error && error.name === 'States.Timeout') {
    const Timeout = error.constructor as new () => Error;
    return (cause) => Object.assign(new Timeout(), { message: cause });
  }
  return (cause) => new TaskFailure('States.Timeout', cause);
}
