import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { inviteByMail } from '../use-cases/sign-in.js';
import { wiring } from '../wiring/compose.js';
import { send } from '../wiring/mail.js';
import { campaignStore, reviews } from '../wiring/parts.js';

const deps = wiring({ reviews, campaignStore, send });

/** The secretariat invites a recommending unit or an expert; the link goes by e-mail only. */
export const handler = apiFunction(
  'invitations',
  {
    'POST /api/invitations': async ({ actor, body }) => json(201, await inviteByMail(deps, actor, body)),
  },
  deps.gate,
);
