import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { inviteByMail, requestFreshLink, revokeAccess } from '../use-cases/sign-in.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, reviews } from '../wiring/parts.js';

const deps = wiring({ reviews, campaignStore, send });

/**
 * The secretariat invites a recommending unit or an expert; the link goes by e-mail only, and it
 * may revoke the access of whoever it invited at an address. A used link asks for a fresh one,
 * mailed to the invited address.
 */
export const handler = apiFunction(
  'invitations',
  {
    'POST /api/invitations': async ({ actor, body }) => json(201, await inviteByMail(deps, actor, body)),
    'POST /api/invitations/revocations': async ({ actor, body }) =>
      json(200, await revokeAccess(deps, actor, body)),
    'POST /api/invitations/fresh-link': async ({ body }) =>
      json(202, await requestFreshLink(deps, body), { 'cache-control': 'no-store' }),
  },
  deps.gate,
);
