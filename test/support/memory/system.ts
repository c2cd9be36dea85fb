import { createHash } from 'node:crypto';
import type { Clock, Secrets } from '../../../functions/ports/system.js';

/**
 * The clock, ids and secrets of an in-memory world: a clock a test sets and winds on, ids and
 * tokens counted from 1, so two runs of a test see the same values.
 */

export interface MemoryClock extends Clock {
  /** Sets the time (any ISO 8601 instant, with its offset). */
  set(instant: string | Date): void;
  /** Winds the clock on by `ms` (or back, when negative). */
  advance(ms: number): void;
}

export const DAY_MS = 86_400_000;

export function memoryClock(start: string | Date): MemoryClock {
  let now = new Date(start).getTime();
  if (Number.isNaN(now)) throw new Error(`not an instant: ${String(start)}`);
  return {
    now: () => new Date(now),
    set(instant) {
      const at = new Date(instant).getTime();
      if (Number.isNaN(at)) throw new Error(`not an instant: ${String(instant)}`);
      now = at;
    },
    advance(ms) {
      now += ms;
    },
  };
}

/** Ids in the shapes the schemas require (n-…, a-…), counted per kind. */
export interface MemoryIds {
  nominationId(): string;
  attachmentId(): string;
  objectionId(): string;
  planId(): string;
}

export function memoryIds(): MemoryIds {
  const counters = { n: 0, a: 0, o: 0, p: 0 };
  const next = (kind: keyof typeof counters) => {
    counters[kind] += 1;
    return String(counters[kind]).padStart(10, '0');
  };
  return {
    nominationId: () => `n-${next('n')}`,
    attachmentId: () => `a-${next('a')}`,
    objectionId: () => `o-${next('o')}`,
    planId: () => `plan${next('p')}`,
  };
}

/**
 * Tokens counted from 1 and as long as the real 256-bit base64url ones (43 characters); hashed
 * with SHA-256 like the real ones, so only a digest is ever stored.
 */
export function memorySecrets(): Secrets & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    token() {
      const token = `tok${String(issued.length + 1).padStart(8, '0')}`.padEnd(43, '_');
      issued.push(token);
      return token;
    },
    hash: (token) => createHash('sha256').update(token, 'utf8').digest('hex'),
  };
}
