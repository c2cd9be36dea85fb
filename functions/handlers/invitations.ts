import { apiFunction } from '../lib/api.js';
import { json } from '../lib/http.js';
import { inviteByMail } from '../use-cases/sign-in.js';
import { wiring } from '../wiring/compose.js';
import { mailerOf } from '../wiring/mail.js';

const deps = wiring(undefined, { mailer: mailerOf });

/** The secretariat invites a recommending unit or an expert; the link goes by e-mail only. */
export const handler = apiFunction(
  'invitations',
  {
    'POST /api/invitations': async ({ actor, body }) => json(201, await inviteByMail(deps, actor, body)),
  },
  deps.gate,
);
