import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { LambdaInvokeError } from './lambda.js';

/**
 * Fault injection for the local cloud (LAUREL_FAULT_RATE): task Lambdas fail as Lambda does under
 * trouble — before running (Lambda.ServiceException, Lambda.TooManyRequestsException), or after
 * running with the answer lost (the function timed out: Sandbox.Timedout; its runtime died:
 * Lambda.Unknown) — so every Retry in the state machine and every idempotent handler is
 * exercised. (DynamoDB's conflicts and throttles are injected by its gateway: dynamodb-gateway.ts.) Faults come from a seeded generator, so a
 * failing run can be replayed; no invocation fails more than twice in a row, so the state
 * machine's four attempts always end in a success and every nomination reaches its true end.
 */

export interface FaultOptions {
  /** Probability that one invocation fails, 0–1. */
  rate: number;
  seed: number;
  /** Where the count of injected faults is kept, for tests to read. */
  reportFile?: string;
}

type Invoke = (functionName: string, payload: unknown) => Promise<unknown>;

/** mulberry32: a tiny, well-known 32-bit generator, enough for reproducible coin flips. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_CONSECUTIVE = 2;

export function withFaults(invoke: Invoke, options: FaultOptions): Invoke {
  const random = seeded(options.seed);
  const streak = new Map<string, number>();
  // Counts add up across restarts on the same data folder.
  const counts = { before: 0, after: 0 };
  if (options.reportFile && existsSync(options.reportFile)) {
    Object.assign(counts, JSON.parse(readFileSync(options.reportFile, 'utf8')) as typeof counts);
  }
  const report = () => options.reportFile && writeFileSync(options.reportFile, JSON.stringify(counts));
  const before = (functionName: string) =>
    random() < 0.5
      ? new LambdaInvokeError('Lambda.ServiceException', `injected fault in ${functionName}`, 'service', 500)
      : new LambdaInvokeError(
          'Lambda.TooManyRequestsException',
          `Rate Exceeded (injected in ${functionName})`,
          'service',
          429,
        );
  const after = (functionName: string) => {
    const payload =
      random() < 0.5
        ? {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: injected Error: Task timed out (injected in ${functionName})`,
          }
        : {
            errorType: 'Lambda.Unknown',
            errorMessage: `The runtime exited without providing a reason (injected in ${functionName})`,
          };
    return new LambdaInvokeError(payload.errorType, JSON.stringify(payload), 'function');
  };

  return async (functionName, payload) => {
    // Identified without the task token, which changes on every attempt.
    const { taskToken: _token, ...rest } = (payload ?? {}) as Record<string, unknown>;
    const key = `${functionName} ${JSON.stringify(rest)}`;
    const failing = (streak.get(key) ?? 0) < MAX_CONSECUTIVE && random() < options.rate;
    if (!failing) {
      streak.delete(key);
      return invoke(functionName, payload);
    }
    streak.set(key, (streak.get(key) ?? 0) + 1);
    // A callback step only fails before running: once it has stored and answered its token,
    // failing it would race the answer it already gave.
    if (functionName.includes('await-step') || random() < 0.5) {
      counts.before += 1;
      report();
      throw before(functionName);
    }
    await invoke(functionName, payload);
    counts.after += 1;
    report();
    throw after(functionName);
  };
}
