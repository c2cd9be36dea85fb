/**
 * Task tokens and the `$$.Task.Token` placeholder.
 *
 * The interpreter has no `$$.Task.Token`: every run gets this placeholder as `$$.Task.Token`
 * through its `context` option, the interpreter resolves Parameters with it, and the handler
 * of a `.waitForTaskToken` state swaps in a fresh token before anything sees the payload.
 */
import { randomBytes } from 'node:crypto';
import type { JsonValue } from './asl-interpreter.js';

export const TASK_TOKEN_PLACEHOLDER = '{{laurel:task-token}}';

/**
 * The longest task token AWS documents (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat:
 * taskToken of 1–2048 characters; 1,024 before tokens could be encrypted with a customer key).
 * AWS's tokens are opaque and long — hundreds of characters, not a short id — so whatever
 * stores one (the nomination store keeps each human step's) is sized here for the longest.
 */
export const TASK_TOKEN_MAX_LENGTH = 2048;

/**
 * Random bytes, base64url, as long as AWS's longest token: unguessable, safe in URLs and JSON,
 * and never a shorter token than AWS may hand out — a store that keeps it must cost locally
 * what it may cost in AWS (a 64-character token kept the nomination's item ~2 KB smaller).
 */
export function newTaskToken(): string {
  return randomBytes((TASK_TOKEN_MAX_LENGTH / 4) * 3).toString('base64url');
}

/** AWS accepts tokens of 1–2048 characters; anything else can never be one of ours. */
export function isWellFormedToken(token: string): boolean {
  return token.length <= TASK_TOKEN_MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(token);
}

/** Replaces the placeholder wherever it appears, also inside strings (`States.Format`). */
export function withTaskToken(value: JsonValue, token: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_PLACEHOLDER, token);
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withTaskToken(item, token)]));
  }
  return value;
}
