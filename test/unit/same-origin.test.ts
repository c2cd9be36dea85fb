import { describe, expect, it } from 'vitest';
import { assertSameOrigin } from '../../functions/lib/api.js';

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
