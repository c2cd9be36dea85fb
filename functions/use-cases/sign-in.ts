import * as z from 'zod';
import type { AccessStore } from '../ports/access.js';
import type { CampaignStore } from '../ports/campaigns.js';
import type { Mailer } from '../ports/mail.js';
import type { RateLimit, RateLimiter } from '../ports/rate-limits.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock, Secrets } from '../ports/system.js';
import {
  type Actor,
  actorFromInvitation,
  actorFromSession,
  derivedSubjectId,
  type Invitation,
  invitationIdentity,
  invitationRequestSchema,
  linkUsedError,
  ROLE_NAMES,
  type Role,
  requireRole,
  SESSION_HOURS,
} from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { DomainError, ValidationError } from '../rules/errors.js';
import type { Bilingual } from '../rules/i18n.js';
import { invitationExpiry } from '../rules/invitation-validity.js';
import { signInLink } from '../rules/links.js';
import { noticeMail } from '../rules/mail-body.js';
import { parseInput } from '../rules/validation.js';

export const signInRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    token: z
      .string()
      .min(20)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/)
      .meta({ title: '登录链接中的令牌', 'x-title-en': 'Token from the sign-in link' }),
  }),
);

export interface AccessDeps {
  access: AccessStore;
  campaigns: ReadonlyMap<string, Campaign>;
  clock: Clock;
  secrets: Secrets;
}

/**
 * Whose sign-in access each role may revoke: the secretariat, its units' contacts; operations, the
 * secretariat and operations. Experts act through review links, ended by a swap, not here.
 */
const MAY_REVOKE: Record<Role, readonly Role[]> = {
  secretariat: ['unit'],
  ops: ['secretariat', 'ops'],
  unit: [],
  expert: [],
};

/** Which role may invite which: the secretariat invites units and experts; operations invite the secretariat. */
const MAY_INVITE: Record<Role, readonly Role[]> = {
  secretariat: ['unit', 'expert'],
  ops: ['secretariat', 'ops'],
  unit: [],
  expert: [],
};

/** Issues a sign-in link for one person in one role; returns the token to put in the link (never stored). */
export async function issueInvitation(
  deps: AccessDeps,
  issuer: Actor,
  input: unknown,
): Promise<{ token: string; invitation: Invitation }> {
  const request = parseInput(invitationRequestSchema(), input, { zh: '邀请', en: 'invitation' });
  const rolesIssuerMayInvite = Object.entries(MAY_INVITE)
    .filter(([, invitable]) => invitable.includes(request.role))
    .map(([role]) => role as Role);
  requireRole(issuer, rolesIssuerMayInvite, issuer.campaignId);
  const campaign = deps.campaigns.get(issuer.campaignId);
  const unitTypeWrong =
    request.role === 'unit'
      ? !campaign?.unitTypes.some((u) => u.id === request.unitType)
      : request.unitType !== undefined;
  if (unitTypeWrong) {
    const known = campaign?.unitTypes.map((u) => `${u.id}（${u.name.zh}）`).join('、') ?? '';
    throw new ValidationError(
      [
        {
          path: ['unitType'],
          code: 'invalid_option',
          message:
            request.role === 'unit'
              ? {
                  zh: `推荐单位类型：须为本活动的类型之一：${known}`,
                  en: `Recommending-unit type: must be one of this campaign's: ${known}`,
                }
              : {
                  zh: '推荐单位类型：只适用于推荐单位',
                  en: 'Recommending-unit type: applies to recommending units only',
                },
        },
      ],
      { zh: '邀请', en: 'invitation' },
    );
  }
  const now = deps.clock.now();
  const token = deps.secrets.token();
  const invitation: Invitation = {
    tokenHash: deps.secrets.hash(token),
    role: request.role,
    campaignId: issuer.campaignId,
    subjectId:
      request.subjectId ?? derivedSubjectId(request.role, deps.secrets.hash(invitationIdentity(request))),
    name: request.name,
    email: request.email,
    ...(request.unitType ? { unitType: request.unitType } : {}),
    createdAt: now.toISOString(),
    createdBy: `${issuer.role}:${issuer.subjectId}`,
    expiresAt: invitationExpiry(campaign, now, request).toISOString(),
  };
  await deps.access.putInvitation(invitation);
  return { token, invitation };
}

export const revocationRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    email: z.email().max(254).meta({ title: '电子邮箱', 'x-title-en': 'E-mail' }),
    role: z
      .enum(['unit', 'expert', 'secretariat', 'ops'])
      .optional()
      .meta({ title: '身份', 'x-title-en': 'Role' }),
  }),
);

/** What a revocation answers: whom it ended (by role and name, never an id), and what. */
export interface RevocationAnswer {
  revoked: { role: Role; name: string }[];
  /** Links revoked now (a repeat finds them revoked already: 0). */
  links: number;
  /** Sessions ended now. */
  sessions: number;
}

/**
 * Ends someone's access to the campaign — a contact who left the unit, a link mailed to the wrong
 * address: every sign-in link sent to `email` (the invitation and each fresh link asked for with
 * it) is revoked, so it signs in and renews no more, and every session begun with one ends. Only
 * in the roles the actor may revoke (MAY_REVOKE: the secretariat, units' contacts; operations, the
 * secretariat and operations), and in `role` alone when given. Other contacts of the same unit
 * keep theirs. Idempotent: a repeat answers who was found and ends nothing more. A session read
 * by another warm container before may act there for up to a minute more (the session cache's
 * window, as for a sign-out).
 */
export async function revokeAccess(
  deps: AccessDeps,
  actor: Actor,
  input: unknown,
): Promise<RevocationAnswer> {
  const request = parseInput(revocationRequestSchema(), input, { zh: '撤销登录权限', en: 'revocation' });
  const mayRevoke = MAY_REVOKE[actor.role];
  requireRole(actor, ['secretariat', 'ops'], actor.campaignId);
  if (request.role === 'expert') {
    // An expert acts through review links, one per nomination, not a sign-in: taking one off
    // their nominations is a swap on the experts page, which ends those links and brings another on.
    throw new DomainError({
      code: 'FORBIDDEN',
      kind: 'forbidden',
      path: ['role'],
      message: {
        zh: '评审专家通过评审链接评审：请在评审专家页的总表中为其负责的推荐更换专家，其评审链接随即失效',
        en: "Experts review through review links: swap the expert on the Experts page's table for each nomination, which ends those links",
      },
    });
  }
  const roles = request.role ? mayRevoke.filter((r) => r === request.role) : mayRevoke;
  if (roles.length === 0) {
    const role = ROLE_NAMES[request.role as Role];
    throw new DomainError({
      code: 'FORBIDDEN',
      kind: 'forbidden',
      path: ['role'],
      message: { zh: `无权撤销${role.zh}的登录权限`, en: `You may not revoke the access of the ${role.en}` },
    });
  }
  const result = await deps.access.revokeAccess(
    actor.campaignId,
    request.email,
    roles,
    deps.clock.now().toISOString(),
  );
  if (result.people.length === 0) {
    const whom = roles.map((r) => ROLE_NAMES[r]);
    throw new DomainError({
      code: 'NOT_FOUND',
      kind: 'not-found',
      path: ['email'],
      message: {
        zh: `本活动没有以该邮箱邀请的${whom.map((w) => w.zh).join('或')}，请核对邮箱`,
        en: `No ${whom.map((w) => w.en).join(' or ')} of this campaign was invited at that address; check it`,
      },
    });
  }
  return {
    revoked: result.people.map((p) => ({ role: p.role, name: p.name })),
    links: result.links,
    sessions: result.sessions,
  };
}

/**
 * Exchanges a link's token for a session, once; the returned session token goes into an HttpOnly
 * cookie. A used link is refused (LINK_USED), and the session it made keeps working until it ends.
 */
export async function signIn(
  deps: AccessDeps,
  linkToken: string,
): Promise<{ sessionToken: string; actor: Actor; expiresAt: string }> {
  const now = deps.clock.now();
  const invitationHash = deps.secrets.hash(linkToken);
  const actor = actorFromInvitation(await deps.access.getInvitation(invitationHash), now);
  const sessionToken = deps.secrets.token();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  const started = await deps.access.startSession(invitationHash, now.toISOString(), {
    ...actor,
    sessionHash: deps.secrets.hash(sessionToken),
    createdAt: now.toISOString(),
    expiresAt,
  });
  if (!started) throw linkUsedError();
  return { sessionToken, actor, expiresAt };
}

/**
 * Fresh links one person may be mailed in an hour, whichever used link asks: more would be a way
 * to fill someone's mailbox. Past it the request is answered as always and nothing is sent.
 */
export const FRESH_LINKS_PER_PERSON: RateLimit = { requests: 3, windowSeconds: 3600 };

/** The one answer to every request for a fresh link: it tells nothing of the link or its owner. */
export const FRESH_LINK_ANSWER = {
  message: {
    zh: '如果这是一个已用过的有效登录链接，新的登录链接已发送到受邀时的邮箱，请查收邮件。',
    en: 'If this was a valid sign-in link that has been used, a fresh link has been mailed to the address it was sent to; check that mailbox.',
  },
} as const;

export interface FreshLinkDeps extends AccessDeps {
  send: Mailer;
  webUrl: string;
  rateLimiter: RateLimiter;
}

/**
 * "Mail me a fresh link", asked from a used link's page: a new link for the same person, role and
 * campaign, valid no longer than the used one, mailed to the address the invitation went to —
 * never shown to the one who asks. An unknown, unused, revoked or expired link gets the same
 * answer and no mail, so the request tells nobody whether a link or an address exists. The new
 * invitation names the used one (`renewedFrom`), so the table keeps who got a link and why.
 */
export async function requestFreshLink(
  deps: FreshLinkDeps,
  input: unknown,
): Promise<typeof FRESH_LINK_ANSWER> {
  const { token } = parseInput(signInRequestSchema(), input, { zh: '新链接请求', en: 'fresh-link request' });
  const now = deps.clock.now();
  const used = await deps.access.getInvitation(deps.secrets.hash(token));
  const renewable =
    used?.usedAt !== undefined &&
    !used.revokedAt &&
    Date.parse(used.expiresAt) > now.getTime() &&
    deps.campaigns.has(used.campaignId);
  if (!used || !renewable) return FRESH_LINK_ANSWER;
  const { allowed } = await deps.rateLimiter.take(
    `fresh-link#${used.campaignId}#${used.role}#${used.subjectId}`,
    FRESH_LINKS_PER_PERSON,
  );
  if (!allowed) return FRESH_LINK_ANSWER;
  const fresh = deps.secrets.token();
  const { usedAt: _used, revokedAt: _revoked, ...person } = used;
  const invitation: Invitation = {
    ...person,
    tokenHash: deps.secrets.hash(fresh),
    createdAt: now.toISOString(),
    createdBy: 'fresh-link',
    renewedFrom: used.tokenHash,
  };
  // Revoked since it was read: no fresh link, the same answer.
  if (!(await deps.access.putInvitation(invitation))) return FRESH_LINK_ANSWER;
  await mailSignInLink(deps, invitation, fresh, {
    subject: { zh: '新的登录链接', en: 'Your fresh sign-in link' },
    message: {
      zh: '您的登录链接已经用过一次。这是按您的请求发送的新链接，只能登录一次；链接仅限本人使用，请勿转发。',
      en: 'Your sign-in link had been used. Here is the fresh link you asked for; it signs in once and is yours alone, do not forward it.',
    },
  });
  return FRESH_LINK_ANSWER;
}

/** The mail that carries a sign-in link to the person it was issued for. */
async function mailSignInLink(
  deps: Pick<InvitationDeps, 'campaigns' | 'send' | 'webUrl'>,
  invitation: Invitation,
  token: string,
  text: { subject: Bilingual; message: Bilingual },
): Promise<void> {
  const campaign = campaignIn(deps.campaigns, invitation.campaignId);
  await deps.send(
    noticeMail({
      campaign,
      to: invitation.email,
      greeting: invitation.name,
      subject: text.subject,
      message: [text.message],
      deadline: { label: { zh: '链接有效期至', en: 'Link valid until' }, at: new Date(invitation.expiresAt) },
      link: { url: signInLink(deps.webUrl, token), label: { zh: '登录链接', en: 'Sign-in link' } },
      key: `invitation/${invitation.tokenHash}`,
    }),
  );
}

export async function currentActor(deps: AccessDeps, sessionToken: string | undefined): Promise<Actor> {
  const session = sessionToken ? await deps.access.getSession(deps.secrets.hash(sessionToken)) : undefined;
  return actorFromSession(session, deps.clock.now());
}

export async function signOut(deps: AccessDeps, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await deps.access.deleteSession(deps.secrets.hash(sessionToken));
}

export interface InvitationDeps extends AccessDeps {
  /** Experts join the campaign's pool when invited. */
  reviews: Pick<ReviewStore, 'putExpert'>;
  /** Units join the campaign's directory, from which officers pick them by name. */
  campaignStore: Pick<CampaignStore, 'saveUnit'>;
  send: Mailer;
  webUrl: string;
}

/**
 * Invites a unit or an expert: the link is e-mailed to the person and never returned to the one
 * who invites, so only its owner holds it. An expert also joins the campaign's review pool.
 */
export async function inviteByMail(deps: InvitationDeps, issuer: Actor, input: unknown) {
  const { token, invitation } = await issueInvitation(deps, issuer, input);
  if (invitation.role === 'expert') {
    // Already checked by issueInvitation against the same schema.
    const { affiliation, organisations, collaborators, categories, maxLoad } =
      invitationRequestSchema().parse(input);
    await deps.reviews.putExpert({
      id: invitation.subjectId,
      campaignId: invitation.campaignId,
      name: invitation.name,
      email: invitation.email,
      ...(affiliation ? { affiliation } : {}),
      ...(organisations?.length ? { organisations } : {}),
      ...(collaborators?.length ? { collaborators } : {}),
      ...(categories?.length ? { categories } : {}),
      ...(maxLoad !== undefined ? { maxLoad } : {}),
    });
  }
  if (invitation.role === 'unit' && invitation.unitType) {
    await deps.campaignStore.saveUnit(invitation.campaignId, {
      id: invitation.subjectId,
      name: invitation.name,
      unitType: invitation.unitType,
    });
  }
  const campaign = campaignIn(deps.campaigns, invitation.campaignId);
  const role = ROLE_NAMES[invitation.role];
  await mailSignInLink(deps, invitation, token, {
    subject: { zh: `${role.zh}登录链接`, en: 'Your sign-in link' },
    message: {
      zh: `${campaign.organizer.office.zh}邀请您以“${role.zh}”身份参加${campaign.name.zh}。请打开下面的个人链接登录；链接只能登录一次，仅限本人使用，请勿转发。`,
      en: `${campaign.organizer.office.en} invites you as ${role.en} to ${campaign.name.en}. Sign in through your personal link below; it signs in once and is yours alone, do not forward it.`,
    },
  });
  const { tokenHash: _hidden, ...shown } = invitation;
  return { invitation: shown, sentTo: invitation.email };
}
