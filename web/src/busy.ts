/**
 * A request Laurel answered 503 BUSY, sent again by itself. Laurel says BUSY, with Retry-After,
 * when another run holds this very matter (a notice it is sending, or was sending when it died —
 * its hold lapses within 25 s), and the request sent again as it was finishes what the first
 * left. The person sees the button busy, not an error, unless it stays busy past the retries.
 * Pure (no DOM): unit-tested without a browser.
 */

/** How often a busy request is sent again before the person is shown the answer. */
export const BUSY_RETRIES = 8;

/** Seconds to wait before sending again: a 503 BUSY with a Retry-After in seconds, else undefined. */
export function busyRetryAfter(
  status: number,
  code: string | undefined,
  retryAfter: string | null,
): number | undefined {
  if (status !== 503 || code !== 'BUSY' || !retryAfter || !/^\d+$/.test(retryAfter)) return undefined;
  return Number(retryAfter);
}

/** Sends until the answer is not busy (`busyFor` gives no wait), at most BUSY_RETRIES times again. */
export async function sentUntilNotBusy<T>(
  send: () => Promise<T>,
  busyFor: (error: unknown) => number | undefined,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const wait = attempt < BUSY_RETRIES ? busyFor(error) : undefined;
      if (wait === undefined) throw error;
      await pause(wait * 1000, signal);
    }
  }
}

/** Waits, unless the request is abandoned (the page left): then it ends as an aborted fetch would. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
