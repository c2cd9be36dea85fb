import {
  addDays,
  chinaDateAt,
  endOfChinaDay,
  formatDeadline,
  isCalendarDate,
  parseInstant,
} from './calendar.js';
import type { Campaign } from './campaign.js';
import { DomainError } from './errors.js';

/**
 * How long a sign-in link works. By default a unit's or expert's link lasts until the end of
 * submissions plus the campaign's correction period — the last day a unit may still act on a
 * return — and never less than two weeks; the one who invites may set a number of days or a
 * last day instead.
 */

const DAY_MS = 86_400_000;
export const MIN_DEFAULT_DAYS = 14;
const MAX_DAYS = 365;

export function invitationExpiry(
  campaign: Campaign | undefined,
  now: Date,
  request: { validDays?: number | undefined; validUntil?: string | undefined },
): Date {
  if (request.validUntil !== undefined) {
    const invalid = (zh: string, en: string) =>
      new DomainError({
        code: 'VALIDITY_INVALID',
        kind: 'invalid',
        path: ['validUntil'],
        message: { zh, en },
      });
    if (!isCalendarDate(request.validUntil)) throw invalid('有效期至：日期无效', 'Valid until: not a date');
    const end = endOfChinaDay(request.validUntil);
    if (end.getTime() <= now.getTime())
      throw invalid('有效期至：该日期已过', 'Valid until: that day is over');
    if (end.getTime() > now.getTime() + MAX_DAYS * DAY_MS) {
      throw invalid('有效期至：不能超过一年', 'Valid until: at most a year from today');
    }
    return end;
  }
  if (request.validDays !== undefined) return new Date(now.getTime() + request.validDays * DAY_MS);
  const twoWeeks = new Date(now.getTime() + MIN_DEFAULT_DAYS * DAY_MS);
  if (!campaign) return twoWeeks;
  const lastDay = chinaDateAt(new Date(parseInstant(campaign.deadline).getTime() - 1));
  const throughCorrections = endOfChinaDay(addDays(lastDay, campaign.corrections.days));
  // Stryker disable next-line EqualityOperator: on equal instants either Date is the same answer (an equivalent mutant)
  return throughCorrections > twoWeeks ? throughCorrections : twoWeeks;
}

/** "2025-02-18 24:00 (UTC+8)": how a link's expiry is told to its owner. */
export const formatExpiry = (expiresAt: string) => formatDeadline(new Date(expiresAt));
