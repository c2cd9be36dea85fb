import type { Campaign } from './campaign.js';

/**
 * Where a nomination stands. 'draft' is being filled; everything from 'submitted' on was sent
 * by the unit. A unit's withdrawal and a secretariat's rejection free the quota slot; an
 * objection upheld in publicity frees it only if the campaign allows a replacement.
 */
export const NOMINATION_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'rejected',
  'in-review',
  'scored',
  'selected',
  'not-selected',
  'forwarded',
  'in-publicity',
  'released',
  'withdrawn',
  'withdrawn-after-objection',
] as const;

export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

/** Where a nomination decided at selection may be by now (a selection records its rank on it). */
export const DECIDED_AT_SELECTION = [
  'selected',
  'not-selected',
  'forwarded',
  'in-publicity',
  'released',
  'withdrawn-after-objection',
] as const satisfies readonly NominationStatus[];

/** Where a nomination that passed screening may be by now: in review, scored, or decided at selection. */
export const PAST_SCREENING = [
  'in-review',
  'scored',
  ...DECIDED_AT_SELECTION,
] as const satisfies readonly NominationStatus[];

/** Statuses whose nominations a ranking places: awaiting selection, or decided at it. */
export const RANKED_STATUSES: readonly NominationStatus[] = ['scored', ...DECIDED_AT_SELECTION];

export function holdsQuotaSlot(status: NominationStatus, campaign: Campaign): boolean {
  switch (status) {
    case 'draft':
    case 'withdrawn':
    case 'rejected':
      return false;
    case 'withdrawn-after-objection':
      return !campaign.publicity?.replacementAllowed;
    default:
      return true;
  }
}

/**
 * Whether the stored ranking's row of a nomination carries its status after this change: while
 * it is past screening, and on the change that takes it out (a withdrawal during review), so a
 * ranking is read from its rows alone, without the nominations.
 */
export const rankingRowFollows = (now: NominationStatus, before?: NominationStatus): boolean =>
  (PAST_SCREENING as readonly NominationStatus[]).includes(now) ||
  (before !== undefined && (PAST_SCREENING as readonly NominationStatus[]).includes(before));
