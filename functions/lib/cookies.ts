import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const SESSION_COOKIE = 'laurel_session';

/**
 * A cookie's value from the event (payload format 2.0 puts cookies in their own list). A value
 * that is not valid percent-encoding is none of ours (we write it encoded): it counts as absent,
 * so a planted `laurel_session=%ff` means "not signed in", not a failure of every request.
 */
export function cookieValue(
  event: Pick<APIGatewayProxyEventV2, 'cookies'>,
  name: string,
): string | undefined {
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    if (eq <= 0 || cookie.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(cookie.slice(eq + 1).trim());
    } catch {}
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
