import { sesMailer } from '../adapters/mailer.js';
import { dynamoReviewStore } from '../adapters/review-store.js';
import { createAwsClients } from '../lib/aws.js';
import { loadConfig } from '../lib/config.js';
import { httpHandler, json } from '../lib/http.js';
import { accessDeps, authenticator } from '../lib/session.js';
import { ROLE_NAMES } from '../rules/access.js';
import { BUILTIN_CAMPAIGNS } from '../rules/campaigns/index.js';
import { issueInvitation } from '../use-cases/sign-in.js';

const config = loadConfig();
const clients = createAwsClients(config);
const authenticate = authenticator(clients, config);
const send = sesMailer(clients.ses, config.mailFrom);
const reviews = dynamoReviewStore(clients.documents, config.tableName);
const deps = accessDeps(clients, config);

/**
 * POST /api/invitations — the secretariat invites a recommending unit or an expert. The link is
 * e-mailed to the person and never returned to the one who invites, so only its owner holds it.
 */
export const handler = httpHandler<unknown>(
  async (event) => {
    const issuer = await authenticate(event);
    const { token, invitation } = await issueInvitation(deps, issuer, event.body);
    if (invitation.role === 'expert') {
      const affiliation = (event.body as { affiliation?: string }).affiliation;
      await reviews.putExpert({
        id: invitation.subjectId,
        campaignId: invitation.campaignId,
        name: invitation.name,
        email: invitation.email,
        ...(affiliation ? { affiliation } : {}),
      });
    }
    const campaign = BUILTIN_CAMPAIGNS.get(invitation.campaignId);
    const link = `${config.webUrl}/signin/#${token}`;
    const role = ROLE_NAMES[invitation.role];
    await send({
      to: invitation.email,
      subject: `【${campaign?.name.zh ?? invitation.campaignId}】${role.zh}登录链接 · Your sign-in link`,
      text: [
        `${invitation.name}：`,
        '',
        `${campaign?.organizer.office.zh ?? ''}邀请您以“${role.zh}”身份参加${campaign?.name.zh ?? ''}。`,
        `请打开以下个人链接登录（${invitation.expiresAt.slice(0, 10)} 前有效，请勿转发）：`,
        link,
        '',
        `You are invited as ${role.en} to ${campaign?.name.en ?? ''}. Sign in through your personal link (valid until ${invitation.expiresAt.slice(0, 10)}; do not forward it):`,
        link,
      ].join('\n'),
    });
    const { tokenHash: _hidden, ...shown } = invitation;
    return json(201, { invitation: shown, sentTo: invitation.email });
  },
  { body: 'json' },
);
