import { describe, expect, it } from 'vitest';
import { busyRetryAfter, sentUntilNotBusy } from '../../web/src/busy.js';

/** A request as the page sends it: answered from a list, each sending counted. */
function answering(answers: (number | 'ok')[]) {
  let sent = 0;
  const send = async () => {
    sent += 1;
    const next = answers.shift();
    if (next === 'ok') return 'done';
    throw Object.assign(new Error('busy'), { retryAfterSeconds: next });
  };
  const busyFor = (error: unknown) => (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  return { send, busyFor, sent: () => sent };
}

describe("the web page's busy answers", () => {
  it('are read from a 503 BUSY with a Retry-After in seconds, and from nothing else', () => {
    expect(busyRetryAfter(503, 'BUSY', '5')).toBe(5);
    expect(busyRetryAfter(503, 'BUSY', null)).toBeUndefined();
    expect(busyRetryAfter(503, 'BUSY', 'Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(busyRetryAfter(503, 'INTERNAL', '5')).toBeUndefined();
    expect(busyRetryAfter(429, 'TOO_MANY_REQUESTS', '60')).toBeUndefined();
  });

  it('are sent again after their wait, so the person sees the request done, not an error', async () => {
    const request = answering([0, 0, 'ok']);
    expect(await sentUntilNotBusy(request.send, request.busyFor)).toBe('done');
    expect(request.sent()).toBe(3);
  });

  it('are shown once they have lasted through every retry', async () => {
    const request = answering(Array.from({ length: 20 }, () => 0));
    await expect(sentUntilNotBusy(request.send, request.busyFor)).rejects.toThrow('busy');
    expect(request.sent()).toBeGreaterThan(1);
    expect(request.sent()).toBeLessThan(20);
  });

  it('stop waiting when the page abandons the request', async () => {
    const request = answering([30, 'ok']);
    const controller = new AbortController();
    const pending = sentUntilNotBusy(request.send, request.busyFor, controller.signal);
    setTimeout(() => controller.abort(new DOMException('left', 'AbortError')), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(request.sent()).toBe(1);
  });
});
