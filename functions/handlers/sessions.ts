import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { cookieValue, SESSION_COOKIE, sessionCookie } from '../lib/cookies.js';
import { httpHandler, json } from '../lib/http.js';
import { accessDeps } from '../lib/session.js';
import { ROLE_NAMES } from '../rules/access.js';
import { parseInput } from '../rules/validation.js';
import { currentActor, signIn, signInRequestSchema, signOut } from '../use-cases/sign-in.js';

const config = loadConfig();
const clients = createAwsClients(config);
const deps = accessDeps(clients, config);

/**
 * POST /api/sessions — exchange a sign-in link's token for a session cookie.
 * GET /api/session — who is signed in.  DELETE /api/session — sign out.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    switch (event.routeKey) {
      case 'POST /api/sessions': {
        const { token } = parseInput(signInRequestSchema, event.body, {
          zh: '登录请求',
          en: 'sign-in request',
        });
        const session = await signIn(deps, token);
        const maxAge = (Date.parse(session.expiresAt) - deps.clock.now().getTime()) / 1000;
        return {
          ...json(201, {
            actor: session.actor,
            role: ROLE_NAMES[session.actor.role],
            expiresAt: session.expiresAt,
          }),
          cookies: [sessionCookie(session.sessionToken, maxAge, config.cookieSecure)],
        };
      }
      case 'GET /api/session': {
        const actor = await currentActor(deps, cookieValue(event, SESSION_COOKIE));
        return json(200, { actor, role: ROLE_NAMES[actor.role] }, { 'cache-control': 'no-store' });
      }
      default: {
        await signOut(deps, cookieValue(event, SESSION_COOKIE));
        return { statusCode: 204, cookies: [sessionCookie('', 0, config.cookieSecure)] };
      }
    }
  },
  { body: 'json' },
);
