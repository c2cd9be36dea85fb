/**
 * The campaign-wide review clock's calendar: a day is a China calendar day (UTC+8), numbered from
 * 1 January 1970. The daily schedule's event says which instant it was scheduled for (EventBridge's
 * `time`; the local cloud's, on its scaled calendar), so a day delivered twice, late or retried is
 * the same day — its number is the day's job, and the due days of the reviews are counted in it.
 */

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The review-clock day of an instant: its China calendar day's number. */
export function reviewClockDayOf(instant: string | Date): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The id of a campaign's review-clock job for a day: one job a day, found again by a repeat. */
export const reviewClockJobId = (day: number) => `review-clock-${day}`;
