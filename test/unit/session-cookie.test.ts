import { describe, expect, it } from 'vitest';
import { cookieValue, SESSION_COOKIE, sessionCookie } from '../../functions/lib/cookies.js';

/** The session cookie's flags, as the sessions handler sets them (config: LAUREL_COOKIE_SECURE). */
describe('the session cookie', () => {
  const flags = (cookie: string) => cookie.split('; ').slice(1);

  it('is HttpOnly, SameSite=Lax, for the whole site, and Secure where HTTPS serves it', () => {
    const cookie = sessionCookie('token+/=', 3600, true);
    expect(cookie.startsWith(`${SESSION_COOKIE}=token%2B%2F%3D;`)).toBe(true);
    expect(flags(cookie).sort()).toEqual(['HttpOnly', 'Max-Age=3600', 'Path=/', 'SameSite=Lax', 'Secure']);
  });

  it('leaves out Secure only on a plain-http local run, and keeps HttpOnly and SameSite there', () => {
    expect(flags(sessionCookie('t', 60, false)).sort()).toEqual([
      'HttpOnly',
      'Max-Age=60',
      'Path=/',
      'SameSite=Lax',
    ]);
  });

  it('signs out with an empty value that expires at once, never a negative age', () => {
    expect(sessionCookie('', -5, true)).toBe(
      `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`,
    );
  });

  it('reads a planted value that is not percent-encoding as no cookie (then 401), never a thrown URIError (a 500)', () => {
    const of = (...cookies: string[]) => cookieValue({ cookies }, SESSION_COOKIE);
    for (const bad of ['%ff', '%', '%E0%A4%A', 'a%zz'])
      expect(of(`${SESSION_COOKIE}=${bad}`)).toBeUndefined();
    expect(of(`${SESSION_COOKIE}=%ff`, `${SESSION_COOKIE}=abc%2Bdef`)).toBe('abc+def');
    expect(of('other=1', `${SESSION_COOKIE}=tok`)).toBe('tok');
  });
});
