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

/** 48 random bytes, base64url: unguessable, and safe in URLs and JSON. */
export function newTaskToken(): string {
  return randomBytes(48).toString('base64url');
}

/** AWS accepts tokens of 1–1024 characters; anything else can never be one of ours. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{1,1024}$/.test(token);
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
