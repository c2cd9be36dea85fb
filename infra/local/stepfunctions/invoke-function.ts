/**
 * Calling a Lambda handler in process, the way a Task state sees it: a JSON result, an error
 * with a name and a message, or a timeout.
 */
import type { JsonValue } from './asl-interpreter.js';
import { sleepUntil } from './long-timer.js';

/** How a `lambda:invoke` Task reaches its handler; locally, an in-process call. */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

export type CallResult =
  | { kind: 'returned'; payload: JsonValue }
  | { kind: 'failed'; error: string; cause: string }
  | { kind: 'timed-out' };

/** `FunctionName` may be a name or an ARN (`…:function:Name[:alias]`); handlers are keyed by name. */
export function lambdaFunctionName(functionNameOrArn: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(functionNameOrArn);
  return match?.[1] ?? functionNameOrArn;
}

/** What crosses the wire is JSON: `undefined` becomes null, and nothing is shared with the handler. */
function toJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/** A thrown error becomes the Task's error (its `name`) and cause (its message). */
export function describeError(error: unknown): { error: string; cause: string } {
  if (error instanceof Error) return { error: error.name || 'Error', cause: error.message };
  return { error: 'Error', cause: String(error) };
}

/**
 * Calls the handler and waits for it until `deadline` (epoch ms; undefined = no limit).
 * Rejects with `signal.reason` if the run is abandoned first. A handler still running at
 * its deadline is not interrupted (nothing can stop a promise); its result is ignored.
 */
export async function callFunction(
  invokeFunction: InvokeFunction,
  functionName: string,
  payload: JsonValue,
  deadline: number | undefined,
  signal: AbortSignal,
): Promise<CallResult> {
  const call = (async (): Promise<CallResult> => {
    try {
      return {
        kind: 'returned',
        payload: toJson(await invokeFunction(lambdaFunctionName(functionName), payload)),
      };
    } catch (error) {
      return { kind: 'failed', ...describeError(error) };
    }
  })();
  const stopTimer = new AbortController();
  const timer = sleepUntil(deadline, AbortSignal.any([signal, stopTimer.signal])).then(
    (): CallResult => ({ kind: 'timed-out' }),
  );
  try {
    return await Promise.race([call, timer]);
  } finally {
    stopTimer.abort();
  }
}
