/**
 * The security headers of every page and API answer, in one place: CloudFront's response
 * headers policy (infra/stacks/web.ts) and the local API gateway and web serving
 * (infra/local/api-gateway.ts) both take them from here, so the site behaves alike in both.
 *
 * - Content-Security-Policy: scripts, styles and everything else from the site itself only —
 *   no inline script, no eval, no plugin, no other site's code; the browser reaches the uploads
 *   bucket (presigned POSTs, photo thumbnails) and nothing else; no page may frame the site.
 * - X-Content-Type-Options: nosniff — a file is never taken for what its bytes look like.
 * - Referrer-Policy: no-referrer — review and sign-in links in the address bar never leak.
 * - X-Frame-Options: DENY — frame-ancestors for browsers that predate it.
 * - Strict-Transport-Security, in AWS only (the local site is plain http).
 */

/** The CSP, given the uploads bucket's origin (`https://bucket.s3.region.amazonaws.com.cn`). */
export function contentSecurityPolicy(uploadsOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${uploadsOrigin}`,
    `connect-src 'self' ${uploadsOrigin}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const REFERRER_POLICY = 'no-referrer';
export const HSTS_SECONDS = 63_072_000; // two years, as hstspreload.org asks

/** The headers the local gateway adds to every answer (HSTS aside: it serves plain http). */
export function localSecurityHeaders(uploadsOrigin: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(uploadsOrigin),
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
    'x-frame-options': 'DENY',
  };
}
