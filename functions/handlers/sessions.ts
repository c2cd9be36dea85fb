import { apiFunction } from '../lib/api.js';
import { cookieValue, SESSION_COOKIE, sessionCookie } from '../lib/cookies.js';
import { json } from '../lib/http.js';
import { ROLE_NAMES } from '../rules/access.js';
import { parseInput } from '../rules/validation.js';
import { signIn, signInRequestSchema, signOut } from '../use-cases/sign-in.js';
import { wiring } from '../wiring/compose.js';

const deps = wiring();

/** Sign in with a link's token (a session cookie), who is signed in, sign out. */
export const handler = apiFunction(
  'sessions',
  {
    'POST /api/sessions': async ({ body }) => {
      const { token } = parseInput(signInRequestSchema(), body, { zh: '登录请求', en: 'sign-in request' });
      const session = await signIn(deps, token);
      const maxAge = (Date.parse(session.expiresAt) - deps.clock.now().getTime()) / 1000;
      return {
        ...json(201, {
          actor: session.actor,
          role: ROLE_NAMES[session.actor.role],
          expiresAt: session.expiresAt,
        }),
        cookies: [sessionCookie(session.sessionToken, maxAge, deps.config.cookieSecure)],
      };
    },
    'GET /api/session': async ({ actor }) =>
      json(200, { actor, role: ROLE_NAMES[actor.role] }, { 'cache-control': 'no-store' }),
    'DELETE /api/session': async ({ event }) => {
      await signOut(deps, cookieValue(event, SESSION_COOKIE));
      return { statusCode: 204, cookies: [sessionCookie('', 0, deps.config.cookieSecure)] };
    },
  },
  deps.gate,
);
