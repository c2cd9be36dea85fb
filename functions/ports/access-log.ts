import type { AccessRecord } from '../rules/personal-information.js';

/** The record of who read a nomination's personal information (functions/use-cases/personal-information.ts). */
export interface AccessLog {
  /** Appends one read; the same reader at the same instant is one read. */
  record(read: AccessRecord): Promise<void>;
  /** Every recorded read of the nomination, oldest first. */
  reads(nominationId: string): Promise<AccessRecord[]>;
}
