import * as z from 'zod';
import type { AccessStore } from '../ports/access.js';
import type { Clock, Secrets } from '../ports/system.js';
import {
  type Actor,
  actorFromInvitation,
  actorFromSession,
  type Invitation,
  invitationRequestSchema,
  type Role,
  requireRole,
  SESSION_HOURS,
} from '../rules/access.js';
import type { Campaign } from '../rules/campaign.js';
import { ValidationError } from '../rules/errors.js';
import { parseInput } from '../rules/validation.js';

export const signInRequestSchema = z.strictObject({
  token: z
    .string()
    .min(20)
    .max(200)
    .meta({ title: '登录链接中的令牌', 'x-title-en': 'Token from the sign-in link' }),
});

export interface AccessDeps {
  store: AccessStore;
  campaigns: ReadonlyMap<string, Campaign>;
  clock: Clock;
  secrets: Secrets;
}

/** Which role may invite which: the secretariat invites units and experts; operations invite the secretariat. */
const MAY_INVITE: Record<Role, readonly Role[]> = {
  secretariat: ['unit', 'expert'],
  ops: ['secretariat', 'ops'],
  unit: [],
  expert: [],
};

const DAY_MS = 86_400_000;

/** Issues a sign-in link for one person in one role; returns the token to put in the link (never stored). */
export async function issueInvitation(
  deps: AccessDeps,
  issuer: Actor,
  input: unknown,
): Promise<{ token: string; invitation: Invitation }> {
  const request = parseInput(invitationRequestSchema, input, { zh: '邀请', en: 'invitation' });
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
    subjectId: request.subjectId,
    name: request.name,
    email: request.email,
    ...(request.unitType ? { unitType: request.unitType } : {}),
    createdAt: now.toISOString(),
    createdBy: `${issuer.role}:${issuer.subjectId}`,
    expiresAt: new Date(now.getTime() + request.validDays * DAY_MS).toISOString(),
  };
  await deps.store.putInvitation(invitation);
  return { token, invitation };
}

/** Exchanges a link's token for a session; the returned session token goes into an HttpOnly cookie. */
export async function signIn(
  deps: AccessDeps,
  linkToken: string,
): Promise<{ sessionToken: string; actor: Actor; expiresAt: string }> {
  const now = deps.clock.now();
  const actor = actorFromInvitation(await deps.store.getInvitation(deps.secrets.hash(linkToken)), now);
  const sessionToken = deps.secrets.token();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await deps.store.putSession({
    ...actor,
    sessionHash: deps.secrets.hash(sessionToken),
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { sessionToken, actor, expiresAt };
}

export async function currentActor(deps: AccessDeps, sessionToken: string | undefined): Promise<Actor> {
  const session = sessionToken ? await deps.store.getSession(deps.secrets.hash(sessionToken)) : undefined;
  return actorFromSession(session, deps.clock.now());
}

export async function signOut(deps: AccessDeps, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await deps.store.deleteSession(deps.secrets.hash(sessionToken));
}
