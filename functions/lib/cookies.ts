import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const SESSION_COOKIE = 'laurel_session';

/** A cookie's value from the event (payload format 2.0 puts cookies in their own list). */
export function cookieValue(
  event: Pick<APIGatewayProxyEventV2, 'cookies'>,
  name: string,
): string | undefined {
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    if (eq > 0 && cookie.slice(0, eq).trim() === name) return decodeURIComponent(cookie.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site can post with
 * it), Secure wherever the site is served over HTTPS — everywhere but a local http:// run.
 */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
