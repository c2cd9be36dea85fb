import type { PersonalRecordKind } from '../rules/retention.js';

/** One stored record about a nomination that may hold personal information, as the erasure reads it. */
export interface PersonalRecord {
  kind: PersonalRecordKind;
  /** Where it is stored; opaque to the use case, handed back to `rewrite` or `remove`. */
  key: { pk: string; sk: string };
  data: Record<string, unknown>;
}

/** The records the erasure rewrites, besides the nomination itself (functions/use-cases/erasure.ts). */
export interface ErasureStore {
  /**
   * Every record about the nomination — its audit events, reads, review assignments and their
   * links, its ranking row, the objections to it, its waiting-for-experts entry — a page at a
   * time, so no nomination's history is ever held whole.
   */
  records(nomination: { id: string; campaignId: string; category: string }): AsyncIterable<PersonalRecord[]>;
  /** Stores the record's erased data; `expiresAt` (epoch seconds) lets DynamoDB's TTL remove it later. */
  rewrite(record: PersonalRecord, data: Record<string, unknown>, expiresAt?: number): Promise<void>;
  remove(record: PersonalRecord): Promise<void>;
}

/** The uploads bucket, as the erasure sees it: every version of every object under a prefix, removed for good. */
export interface FileEraser {
  /**
   * Removes every object version and delete marker whose key starts with `prefix`, a page at a time
   * (a thousand at most per request); answers how many went. Nothing left: 0.
   */
  eraseEveryVersion(prefix: string): Promise<number>;
}
