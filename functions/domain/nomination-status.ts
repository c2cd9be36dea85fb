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

export function holdsQuotaSlot(status: NominationStatus, campaign: Campaign): boolean {
  switch (status) {
    case 'draft':
    case 'withdrawn':
    case 'rejected':
      return false;
    case 'withdrawn-after-objection':
      return !campaign.publicity.replacementAllowed;
    default:
      return true;
  }
}
