import { describe, expect, it } from 'vitest';
import { assertSameOrigin, assertThroughSite, ORIGIN_PROOF_HEADER } from '../../functions/lib/api.js';

/** State-changing signed-in requests from another site are refused (functions/lib/api.ts). */
describe('the same-origin check of state-changing requests', () => {
  const SITE = 'https://laurel.example.cn';
  const request = (routeKey: string, headers: Record<string, string>) => ({ routeKey, headers });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'refuses a %s from another origin with a 403 in both languages',
    (method) => {
      expect(() =>
        assertSameOrigin(request(`${method} /api/x`, { origin: 'https://evil.example' }), SITE),
      ).toThrow(expect.objectContaining({ code: 'ORIGIN_REFUSED', kind: 'forbidden' }));
    },
  );

  it('refuses a post without Origin that the browser says came from another site', () => {
    expect(() => assertSameOrigin(request('POST /api/x', { 'sec-fetch-site': 'cross-site' }), SITE)).toThrow(
      expect.objectContaining({ code: 'ORIGIN_REFUSED' }),
    );
  });

  it('takes the site own posts, reads from anywhere, and clients that are not browsers', () => {
    expect(() => assertSameOrigin(request('POST /api/x', { origin: SITE }), SITE)).not.toThrow();
    expect(() =>
      assertSameOrigin(request('GET /api/x', { origin: 'https://evil.example' }), SITE),
    ).not.toThrow();
    expect(() => assertSameOrigin(request('POST /api/x', {}), SITE)).not.toThrow();
    expect(() =>
      assertSameOrigin(request('POST /api/x', { 'sec-fetch-site': 'same-origin' }), SITE),
    ).not.toThrow();
  });
});

/** Requests straight to the execute-api endpoint carry no origin proof (functions/lib/api.ts). */
describe('the origin proof CloudFront adds', () => {
  const PROOF = 'p'.repeat(48);
  const refusal = expect.objectContaining({ code: 'NOT_THROUGH_SITE', kind: 'forbidden' });

  it('refuses a request without the proof, with another value, or with the proof cut short', () => {
    for (const headers of [
      {},
      { [ORIGIN_PROOF_HEADER]: 'q'.repeat(48) },
      { [ORIGIN_PROOF_HEADER]: PROOF.slice(1) },
    ]) {
      expect(() => assertThroughSite({ headers }, PROOF)).toThrow(refusal);
    }
  });

  it('lets the proof through, and checks nothing where none is configured (handlers called in tests)', () => {
    expect(() => assertThroughSite({ headers: { [ORIGIN_PROOF_HEADER]: PROOF } }, PROOF)).not.toThrow();
    expect(() => assertThroughSite({ headers: {} }, undefined)).not.toThrow();
  });
});
