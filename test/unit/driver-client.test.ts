import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../scripts/driver/client.js';
import type { RawAnswer, SentRequest } from '../../scripts/driver/transport.js';

/** A transport that answers from a list, and keeps what was sent. */
function scripted(answers: Partial<RawAnswer>[]) {
  const sent: SentRequest[] = [];
  const transport = async (request: SentRequest): Promise<RawAnswer> => {
    sent.push(request);
    const next = answers.shift() ?? { status: 500 };
    return {
      status: next.status ?? 200,
      setCookie: undefined,
      contentType: 'application/json',
      retryAfter: next.retryAfter,
      body: next.body ?? new TextEncoder().encode('{}'),
    };
  };
  return { sent, transport };
}

const busy = (retryAfter: string | undefined): Partial<RawAnswer> => ({
  status: 503,
  retryAfter,
  body: new TextEncoder().encode(
    JSON.stringify({ error: { code: 'BUSY', message: { zh: '系统正忙', en: 'Busy' }, path: [] } }),
  ),
});

describe("the driver's client, as people's browsers and scripts use the API", () => {
  it('sends a request answered 503 BUSY again after its Retry-After, until it is answered', async () => {
    const { sent, transport } = scripted([busy('0'), busy('0'), { status: 200 }]);
    const client = new ApiClient('http://laurel.test', 'secretariat', { transport });
    const answer = await client.call('POST', '/api/campaigns/c/objections/o/resolution', {
      decision: 'uphold',
    });
    expect(answer.status).toBe(200);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => new TextDecoder().decode(s.body)))).toEqual(
      new Set(['{"decision":"uphold"}']),
    );
  });

  it('answers a 503 that says nothing of when to come back (a component down) at once', async () => {
    const { sent, transport } = scripted([busy(undefined)]);
    const client = new ApiClient('http://laurel.test', 'ops', { transport });
    expect((await client.call('GET', '/api/health')).status).toBe(503);
    expect(sent).toHaveLength(1);
  });

  it('answers a 503 SERVICE_UNAVAILABLE at once, though it gives a time: part of it may be done', async () => {
    const { sent, transport } = scripted([
      {
        status: 503,
        retryAfter: '2',
        body: new TextEncoder().encode(
          JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: { zh: '', en: '' }, path: [] } }),
        ),
      },
    ]);
    const client = new ApiClient('http://laurel.test', 'unit', { transport });
    expect((await client.call('POST', '/api/invitations', {})).status).toBe(503);
    expect(sent).toHaveLength(1);
  });

  it('gives up after a bounded number of busy answers', async () => {
    const { sent, transport } = scripted(Array.from({ length: 20 }, () => busy('0')));
    const client = new ApiClient('http://laurel.test', 'secretariat', { transport });
    await expect(client.must(200, 'POST', '/api/campaigns/c/release', {})).rejects.toMatchObject({
      status: 503,
      code: 'BUSY',
    });
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThan(20);
  });
});
