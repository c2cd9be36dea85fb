import type { ErasureStore, PersonalRecord } from '../../../functions/ports/erasure.js';

/**
 * The records the erasure rewrites (functions/adapters/erasure.ts), in memory: a test puts the
 * records about a nomination it wants erased, reads what the erasure left, and may make a page
 * fail to stand for a crash. The other memory stores keep their own records apart from these.
 */
export interface MemoryErasureStore extends ErasureStore {
  put(nominationId: string, record: PersonalRecord & { expiresAt?: number }): void;
  /** What is stored about the nomination now, in order. */
  of(nominationId: string): (PersonalRecord & { expiresAt?: number })[];
  /** Makes the next `rewrite` throw (a crash in the middle of a run). */
  failNextRewrite(): void;
}

export function memoryErasureStore(pageSize = 2): MemoryErasureStore {
  const byNomination = new Map<string, (PersonalRecord & { expiresAt?: number })[]>();
  const keyOf = (r: PersonalRecord) => `${r.key.pk}|${r.key.sk}`;
  let failing = false;
  const find = (record: PersonalRecord) => {
    for (const records of byNomination.values()) {
      const index = records.findIndex((r) => keyOf(r) === keyOf(record));
      if (index >= 0) return { records, index };
    }
    return undefined;
  };
  return {
    put(nominationId, record) {
      byNomination.set(nominationId, [...(byNomination.get(nominationId) ?? []), structuredClone(record)]);
    },
    of: (nominationId) => structuredClone(byNomination.get(nominationId) ?? []),
    failNextRewrite() {
      failing = true;
    },
    async *records(nomination) {
      const records = [...(byNomination.get(nomination.id) ?? [])];
      for (let i = 0; i < records.length; i += pageSize)
        yield records
          .slice(i, i + pageSize)
          .map((r) => structuredClone({ kind: r.kind, key: r.key, data: r.data }));
    },
    async rewrite(record, data, expiresAt) {
      if (failing) {
        failing = false;
        throw new Error('crash while rewriting');
      }
      const found = find(record);
      if (found)
        found.records[found.index] = {
          ...record,
          data: structuredClone(data),
          ...(expiresAt ? { expiresAt } : {}),
        };
    },
    async remove(record) {
      const found = find(record);
      if (found) found.records.splice(found.index, 1);
    },
  };
}
