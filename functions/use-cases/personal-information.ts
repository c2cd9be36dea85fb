import * as z from 'zod';
import type { AccessLog } from '../ports/access-log.js';
import type { Clock } from '../ports/system.js';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import {
  type AccessRecord,
  READ_ITEM_NAMES,
  READ_ITEMS,
  type ReadItem,
} from '../rules/personal-information.js';

/**
 * Access records (PIPL art. 51): every read of a nomination's personal fields or files by a
 * signed-in person — the unit, the secretariat, an expert through a review link — is recorded,
 * who, when and what; the secretariat lists them per nomination.
 */

export interface AccessRecordDeps {
  accessLog: AccessLog;
  clock: Clock;
}

/** The reader as recorded: role, id and name, never the session or the link. */
export type Reader = Pick<Actor, 'role' | 'subjectId' | 'name'>;

export async function recordRead(
  deps: AccessRecordDeps,
  reader: Reader,
  nominationId: string,
  read: readonly ReadItem[],
): Promise<void> {
  await deps.accessLog.record(readRecord(reader, nominationId, deps.clock.now(), read));
}

/** The record of one read: who (role, id, name — never the session or the link), when, what. */
export const readRecord = (
  reader: Reader,
  nominationId: string,
  at: Date,
  read: readonly ReadItem[],
): AccessRecord => ({
  nominationId,
  at: at.toISOString(),
  reader: { role: reader.role, subjectId: reader.subjectId, name: reader.name },
  read: [...read],
});

/** What GET /api/nominations/{id}/reads answers (described once, in the OpenAPI document too). */
export const accessRecordsSchema = builtOnFirstUse(() =>
  z.strictObject({
    reads: z.array(
      z.strictObject({
        at: z.string(),
        reader: z.strictObject({ role: z.string(), subjectId: z.string(), name: z.string() }),
        read: z.array(z.enum(READ_ITEMS)),
        readNames: z
          .array(z.strictObject({ zh: z.string(), en: z.string() }))
          .describe('what was read, in words'),
      }),
    ),
  }),
);

/** The reads of one nomination, oldest first, for the secretariat (the route checks its campaign). */
export async function accessRecords(
  deps: Pick<AccessRecordDeps, 'accessLog'>,
  actor: Actor,
  nominationId: string,
): Promise<z.infer<ReturnType<typeof accessRecordsSchema>>> {
  requireRole(actor, ['secretariat']);
  const reads = await deps.accessLog.reads(nominationId);
  return {
    reads: reads.map(({ at, reader, read }) => ({
      at,
      reader,
      read,
      readNames: read.map((item) => READ_ITEM_NAMES[item]),
    })),
  };
}
