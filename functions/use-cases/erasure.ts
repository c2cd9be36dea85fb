import type { ErasureStore, FileEraser } from '../ports/erasure.js';
import type { NominationStore } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import {
  type ErasureRecord,
  erasedNomination,
  erasedRecord,
  filePrefixesOf,
  type PersonalRecordKind,
} from '../rules/retention.js';
import { retryOnVersionConflict } from './retry.js';

/**
 * Erases one nomination's personal information (PIPL arts. 19 and 47): every object version and
 * delete marker of its files (Word form, stamped scan, photos, consent scan, the society's stamped
 * form) and of its exported copies; the personal parts of every record about it (functions/rules/
 * retention.ts says what each keeps); then the nomination itself, down to what the final list
 * publishes, with the deletion recorded on it and in its audit trail. The deletion job runs it for
 * each nomination of a round past its retention; the secretariat's deletion of one person on
 * request runs it too.
 *
 * Idempotent and resumable: the nomination is rewritten last, so a run cut short anywhere is run
 * again whole — files already gone list as nothing, records already erased erase to themselves —
 * and a nomination that carries its erasure record is left as it is.
 */

export interface ErasureDeps {
  store: Pick<NominationStore, 'get' | 'save'>;
  erasure: ErasureStore;
  files: FileEraser;
  clock: Clock;
}

export interface ErasureRequest {
  cause: ErasureRecord['cause'];
  by: ErasureRecord['by'];
  /**
   * Days the anonymised audit events and reads are kept after the erasure, then removed by
   * DynamoDB's TTL: the round's retention period again.
   */
  trailDays: number;
}

/** The audit action that records an erasure (functions/rules/audit-actions.ts names it). */
export const ERASURE_ACTION = 'erase-personal-data';

/** Records that keep a time limit once erased: the trail of who did and read what. */
const EXPIRING: readonly PersonalRecordKind[] = ['audit', 'read'];

const DAY_SECONDS = 86_400;

export async function erasePersonalData(
  deps: ErasureDeps,
  nominationId: string,
  request: ErasureRequest,
): Promise<ErasureRecord | undefined> {
  const found = await deps.store.get(nominationId);
  if (!found) return undefined;
  if (found.erasure) return found.erasure;

  let fileVersions = 0;
  for (const prefix of filePrefixesOf(found)) fileVersions += await deps.files.eraseEveryVersion(prefix);

  const now = deps.clock.now();
  const expiresAt = Math.floor(now.getTime() / 1000) + request.trailDays * DAY_SECONDS;
  let records = 0;
  for await (const page of deps.erasure.records(found)) {
    for (const record of page) {
      const erased = erasedRecord(record.kind, record.data);
      if (erased === 'remove') {
        await deps.erasure.remove(record);
      } else {
        const expiring = EXPIRING.includes(record.kind);
        // An already erased record is not written again (a second run rewrites nothing).
        if (!expiring && JSON.stringify(erased.keep) === JSON.stringify(record.data)) continue;
        await deps.erasure.rewrite(record, erased.keep, expiring ? expiresAt : undefined);
      }
      records += 1;
    }
  }

  return retryOnVersionConflict(async () => {
    const current = await deps.store.get(nominationId);
    if (!current) return undefined;
    if (current.erasure) return current.erasure;
    const at = deps.clock.now().toISOString();
    const record: ErasureRecord = { at, cause: request.cause, by: request.by, fileVersions, records };
    await deps.store.save(erasedNomination(current, record), current.version, {
      nominationId,
      at,
      // The role and its id only: the erasure record names no person.
      actor: { role: request.by.role as 'system', subjectId: request.by.subjectId, name: '' },
      action: ERASURE_ACTION,
    });
    return record;
  });
}
