import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../../functions/routes.js';

/**
 * Lambda, locally: the same handler files imported in this process and invoked with the same
 * event shapes, under Lambda's limits:
 * - each function runs as its own principal: during its invocations (and its module's first
 *   import) `process.env` shows the function's own environment — its access key, which names it
 *   (infra/local/iam.ts), and whatever else `environment` gives it — so the SDK clients it builds
 *   sign as that function and the local stand-ins check its grants;
 * - a function's reserved concurrency (`limits.reservedConcurrency`): an invocation beyond it is
 *   throttled before it runs (`Lambda.TooManyRequestsException`, 429), as Lambda throttles;
 * - 6 MB for an event and for a result (RequestTooLargeException, Function.ResponseSizeTooLarge);
 * - the function's configured timeout (`limits.timeoutSeconds`), after which the invocation fails
 *   with `Sandbox.Timedout`, as Lambda reports it. The handler cannot be stopped in this process:
 *   it runs on, and its late answer is dropped (in AWS the sandbox is frozen with it);
 * - an unhandled error is reported as Lambda reports it: the error type is the thrown error's name,
 *   and the cause is the JSON Lambda writes (`errorType`, `errorMessage`, `trace`), which is what
 *   Step Functions puts in a failed task's Cause.
 * Events and results cross a JSON round trip, as they do in AWS, so a handler that depends on
 * anything JSON cannot carry breaks here first.
 */

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalLambdas {
  /** Invokes by function name or by ARN (…:function:<name>), as the state machine does. */
  invoke(nameOrArn: string, event: unknown): Promise<unknown>;
  specs: readonly FunctionSpec[];
}

export const LOCAL_FUNCTION_PREFIX = 'laurel-';

/** The name a function has in AWS resource names and ARNs ("laurel-health"). */
export const deployedName = (spec: FunctionSpec) => `${LOCAL_FUNCTION_PREFIX}${spec.name}`;

/** Lambda's synchronous invocation quota, for the event and for the result alike. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * A failed invocation as Lambda reports it: `name` is the error type Step Functions matches
 * Retry and Catch on, `message` the Cause it records (Lambda's error JSON for a function error).
 * `origin` says who failed: the function ('function': API Gateway answers 500) or the Lambda
 * service before it ran ('service').
 */
export class LambdaInvokeError extends Error {
  constructor(
    errorType: string,
    cause: string,
    readonly origin: 'function' | 'service',
    readonly status = 200,
  ) {
    super(cause);
    this.name = errorType;
  }
}

/** What Lambda's Node.js runtime writes for an unhandled error: the JSON Step Functions shows as the Cause. */
export function lambdaErrorPayload(error: unknown): {
  errorType: string;
  errorMessage: string;
  trace: string[];
} {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? `${error.name}: ${error.message}`).split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

/** An unhandled error in a handler, as the invocation reports it. */
export const functionError = (error: unknown): LambdaInvokeError => {
  const payload = lambdaErrorPayload(error);
  return new LambdaInvokeError(payload.errorType, JSON.stringify(payload), 'function');
};

function lambdaContext(spec: FunctionSpec, requestId: string, deadline: number): Context {
  const functionName = deployedName(spec);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: String(spec.limits.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ── each function's own environment ────────────────────────────────────────────────────────

const invocationEnvironment = new AsyncLocalStorage<Readonly<Record<string, string>>>();
let environmentOverlay: { base: NodeJS.ProcessEnv; users: number } | undefined;

/**
 * Lets `process.env` show the calling function's own variables over the machine's: Lambda gives
 * every function its own environment, and this process hosts them all. Installed while a local
 * cloud runs; the original object comes back when the last one stops.
 */
function installEnvironmentOverlay(): () => void {
  if (!environmentOverlay) {
    const base = process.env;
    const own = (key: string | symbol) => {
      const overlay = invocationEnvironment.getStore();
      return typeof key === 'string' && overlay && Object.hasOwn(overlay, key) ? overlay : undefined;
    };
    process.env = new Proxy(base, {
      get: (target, key) => (own(key) ?? target)[key as string],
      // A write goes straight to the machine's env: through the Proxy's default trap it would
      // redefine the key with a bare value descriptor, which Node's env object refuses.
      set: (target, key, value) => {
        target[key as string] = String(value);
        return true;
      },
      has: (target, key) => own(key) !== undefined || key in target,
      getOwnPropertyDescriptor: (target, key) => {
        const overlay = own(key);
        return overlay
          ? { value: overlay[key as string], writable: true, enumerable: true, configurable: true }
          : Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys: (target) => {
        const overlay = invocationEnvironment.getStore() ?? {};
        return [...new Set([...Reflect.ownKeys(target), ...Object.keys(overlay)])];
      },
    });
    environmentOverlay = { base, users: 0 };
  }
  environmentOverlay.users += 1;
  let released = false;
  return () => {
    if (released || !environmentOverlay) return;
    released = true;
    environmentOverlay.users -= 1;
    if (environmentOverlay.users === 0) {
      process.env = environmentOverlay.base;
      environmentOverlay = undefined;
    }
  };
}

export interface LocalLambdaOptions {
  /** The function's own variables (its credentials first), shown over the machine's while it runs. */
  environment?: (spec: FunctionSpec) => Record<string, string>;
  /**
   * Replaces the configured timeout of every function that serves routes: `npm run bench` raises it
   * to measure what would not fit in API Gateway's 30 s, and reports each such request. Task
   * functions keep theirs, which their states' TimeoutSeconds are set against. Unset: the route
   * table's `limits.timeoutSeconds`.
   */
  apiTimeoutMs?: number;
}

export function localLambdas(
  specs: readonly FunctionSpec[],
  rootDir: string,
  options: LocalLambdaOptions = {},
): LocalLambdas & { release(): void } {
  const loaded = new Map<string, Promise<Handler>>();
  const byName = new Map(specs.flatMap((s) => [[s.name, s] as const, [deployedName(s), s] as const]));
  const environments = new Map(specs.map((s) => [s.name, options.environment?.(s) ?? {}]));
  const release = options.environment ? installEnvironmentOverlay() : () => undefined;

  const load = (spec: FunctionSpec): Promise<Handler> => {
    let handler = loaded.get(spec.name);
    if (!handler) {
      handler = import(pathToFileURL(join(rootDir, spec.entry)).href).then(
        (module: { handler?: Handler }) => {
          if (typeof module.handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
          return module.handler;
        },
      );
      loaded.set(spec.name, handler);
    }
    return handler;
  };

  const inFlight = new Map<string, number>();
  const throttled = (spec: FunctionSpec) =>
    new LambdaInvokeError(
      'Lambda.TooManyRequestsException',
      `Rate Exceeded. (Reason: ReservedFunctionConcurrentInvocationLimitExceeded; ${deployedName(spec)} may run ${spec.limits.reservedConcurrency} at once)`,
      'service',
      429,
    );

  /** Holds one of the function's reserved slots for the invocation, or throttles it. */
  const withinConcurrency = async <T>(spec: FunctionSpec, invocation: () => Promise<T>): Promise<T> => {
    const reserved = spec.limits.reservedConcurrency;
    const running = inFlight.get(spec.name) ?? 0;
    if (reserved !== undefined && running >= reserved) throw throttled(spec);
    inFlight.set(spec.name, running + 1);
    try {
      return await invocation();
    } finally {
      inFlight.set(spec.name, (inFlight.get(spec.name) ?? 1) - 1);
    }
  };

  const run = async (spec: FunctionSpec, event: unknown): Promise<unknown> => {
    const request = JSON.stringify(event ?? null);
    if (Buffer.byteLength(request) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      throw new LambdaInvokeError(
        'Lambda.RequestTooLargeException',
        `Request must be smaller than ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes for the InvokeFunction operation`,
        'service',
        413,
      );
    }
    const timeoutMs =
      (spec.routes.length > 0 ? options.apiTimeoutMs : undefined) ?? spec.limits.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const payload = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        };
        reject(new LambdaInvokeError(payload.errorType, JSON.stringify(payload), 'function'));
      }, timeoutMs);
    });
    const call = invocationEnvironment.run(environments.get(spec.name) ?? {}, async () => {
      const handler = await load(spec);
      try {
        return await handler(JSON.parse(request), lambdaContext(spec, requestId, deadline));
      } catch (error) {
        throw functionError(error);
      }
    });
    // The late answer of a timed-out handler is dropped, and so is its late failure.
    call.catch(() => undefined);
    let result: unknown;
    try {
      result = await Promise.race([call, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    const response = result === undefined ? 'null' : JSON.stringify(result);
    if (Buffer.byteLength(response) > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      const payload = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes).`,
      };
      throw new LambdaInvokeError(payload.errorType, JSON.stringify(payload), 'function');
    }
    return JSON.parse(response);
  };

  return {
    specs,
    release,
    async invoke(nameOrArn, event) {
      const name = nameOrArn.includes(':function:')
        ? (nameOrArn.split(':function:')[1]?.split(':')[0] ?? '')
        : nameOrArn;
      const spec = byName.get(name);
      if (!spec) {
        throw new LambdaInvokeError(
          'Lambda.ResourceNotFoundException',
          `Function not found: ${nameOrArn}`,
          'service',
          404,
        );
      }
      return withinConcurrency(spec, () => run(spec, event));
    },
  };
}
