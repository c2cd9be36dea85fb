/**
 * Timers for waits that may last months. Node's `setTimeout` fires at once (with a
 * TimeoutOverflowWarning) for any delay over 2^31−1 ms ≈ 24.8 days, so a long wait is cut
 * into steps and re-armed until its absolute deadline.
 */

export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Resolves at `deadline` (epoch ms; `undefined` means never), rejects with `signal.reason`
 * as soon as `signal` aborts. The pending timer is always cleared, so nothing keeps the
 * process alive after an abort.
 */
export function sleepUntil(deadline: number | undefined, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const arm = (): void => {
      if (deadline === undefined) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        signal.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_DELAY_MS));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}

/** Lets pending promise reactions (the interpreter's event stream) run before continuing. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
