import type { AccessLog } from '../../../functions/ports/access-log.js';
import type { AccessRecord } from '../../../functions/rules/personal-information.js';
import { copy } from './aws-errors.js';

/** The access log of functions/adapters/access-log.ts, in memory: one read per (nomination, at, reader). */
export function memoryAccessLog(): AccessLog {
  const records = new Map<string, AccessRecord>();
  const keyOf = (r: AccessRecord) => `${r.nominationId}#${r.at}#${r.reader.role}#${r.reader.subjectId}`;
  return {
    async record(read) {
      records.set(keyOf(read), copy(read));
    },
    async reads(nominationId) {
      return [...records.entries()]
        .filter(([key]) => key.startsWith(`${nominationId}#`))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, read]) => copy(read));
    },
  };
}
