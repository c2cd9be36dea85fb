import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import { CATEGORY_IDS } from './categories.js';
import { DomainError } from './errors.js';
import type { Bilingual } from './i18n.js';
import { freeText } from './text.js';

/**
 * Who may do what. People sign in through a link issued to them for one role in one campaign
 * (the secretariat invites units and experts); the link is exchanged for a session. A unit sees
 * only its own nominations, an expert only what is assigned to them.
 *
 * Links carry an opaque random token; only its SHA-256 is stored, so a leaked table does not
 * leak working links. Tokens and clocks are passed in: this module stays pure.
 */

export const ROLES = ['secretariat', 'unit', 'expert', 'ops'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, Bilingual> = {
  secretariat: { zh: '秘书处', en: 'secretariat' },
  unit: { zh: '推荐单位', en: 'recommending unit' },
  expert: { zh: '评审专家', en: 'expert' },
  ops: { zh: '运维', en: 'operations' },
};

/** The person acting, as their session says. */
export interface Actor {
  role: Role;
  campaignId: string;
  /** The unit's or expert's id; for the secretariat and ops, the person's own id. */
  subjectId: string;
  name: string;
  email: string;
  /** For a recommending unit: its type in the campaign (national-society, …), which sets its quota. */
  unitType?: string;
}

export const invitationRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    role: z.enum(ROLES).meta({ title: '角色', 'x-title-en': 'Role' }),
    /** Optional: without it the id is derived from the unit's name or the person's e-mail (`derivedSubjectId`). */
    subjectId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional()
      .meta({ title: '单位或专家编号', 'x-title-en': 'Unit or expert id' }),
    name: freeText({ max: 100, min: 1 }).meta({ title: '姓名或单位名称', 'x-title-en': 'Name' }),
    email: z.email().max(254).meta({ title: '电子邮箱', 'x-title-en': 'E-mail' }),
    unitType: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional()
      .meta({ title: '推荐单位类型', 'x-title-en': 'Recommending-unit type' }),
    /** For an expert: the recommending unit they belong to, whose nominations they never review. */
    affiliation: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional()
      .meta({ title: '专家所在推荐单位', 'x-title-en': "Expert's own unit" }),
    /** For an expert: the organisations they work for or belong to; the nominees of these are conflicts. */
    organisations: z
      .array(freeText({ max: 100, min: 1 }))
      .max(20)
      .optional()
      .meta({ title: '专家所在单位或组织', 'x-title-en': "Expert's organisations" }),
    /** For an expert: the people and organisations they declare as close collaborators. */
    collaborators: z
      .array(freeText({ max: 100, min: 1 }))
      .max(50)
      .optional()
      .meta({ title: '申报的密切合作者', 'x-title-en': 'Declared close collaborators' }),
    /** For an expert: the categories they review (none: all). */
    categories: z
      .array(z.enum(CATEGORY_IDS))
      .optional()
      .meta({ title: '评审类别', 'x-title-en': 'Categories reviewed' }),
    /** For an expert: the most nominations they take (else the campaign's cap). */
    maxLoad: z.int().min(1).max(1000).optional().meta({ title: '评审数量上限', 'x-title-en': 'Review cap' }),
    /** Days from now; without it (nor validUntil) the link lasts through submissions and corrections. */
    validDays: z
      .int()
      .min(1)
      .max(365)
      .optional()
      .meta({ title: '有效天数', 'x-title-en': 'Valid for (days)' }),
    /** The last day the link works (until 24:00 China time that day). */
    validUntil: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .optional()
      .meta({
        title: '有效期至（当日 24:00 止）',
        'x-title-en': 'Valid until (end of that day, China time)',
      }),
  }),
);
export type InvitationRequest = z.input<ReturnType<typeof invitationRequestSchema>>;

/**
 * What identifies the person invited when no id is given — officers never make ids up. A unit is
 * its name (two contacts of one unit invited apart share its nominations and quota); anyone else is
 * their e-mail. Width, case and spacing do not count: "中国科协（学会）" and "中国科协(学会) " are one unit.
 */
export function invitationIdentity(request: { role: Role; name: string; email: string }): string {
  const key = request.role === 'unit' ? request.name : request.email;
  return `${request.role}:${key.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()}`;
}

/** The id derived from the identity's hex digest: the role, then 64 bits of the digest. */
export const derivedSubjectId = (role: Role, hexDigest: string): string =>
  `${role}-${hexDigest.slice(0, 16)}`;

export interface Invitation extends Actor {
  tokenHash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt?: string;
  /** When the link signed in: a link signs in once (a mail scanner or a forwarded copy gets no session). */
  usedAt?: string;
  /** The hash of the used link this one was mailed in place of (the "mail me a fresh link" request). */
  renewedFrom?: string;
}

export interface Session extends Actor {
  sessionHash: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * A session lasts a working day. A link signs in once; opened again it offers a fresh link, mailed
 * to the invited address and valid no longer than the used one (functions/use-cases/sign-in.ts).
 */
export const SESSION_HOURS = 12;

const linkError = (code: string, zh: string, en: string) =>
  new DomainError({ code, kind: 'forbidden', path: ['token'], message: { zh, en } });

/** The link a used one is answered with: the code the sign-in page offers a fresh link on. */
export const LINK_USED = 'LINK_USED';

export const linkUsedError = () =>
  linkError(
    LINK_USED,
    '此登录链接已经用过一次，不能再次登录。可以请系统把新的登录链接发送到受邀时的邮箱。',
    'This sign-in link has already been used and cannot sign in again. A fresh link can be mailed to the address you were invited at.',
  );

/** The actor an invitation signs in, or why it cannot: unknown, revoked, expired or used — each a 403. */
export function actorFromInvitation(invitation: Invitation | undefined, now: Date): Actor {
  if (!invitation) {
    throw linkError(
      'LINK_UNKNOWN',
      '登录链接无效，请核对或联系秘书处',
      'This sign-in link is not valid; check it or ask the secretariat',
    );
  }
  if (invitation.revokedAt) {
    throw linkError(
      'LINK_REVOKED',
      '登录链接已被撤销，请联系秘书处',
      'This sign-in link was revoked; ask the secretariat for a new one',
    );
  }
  if (Date.parse(invitation.expiresAt) <= now.getTime()) {
    throw linkError(
      'LINK_EXPIRED',
      '登录链接已过期，请联系秘书处重新发送',
      'This sign-in link has expired; ask the secretariat for a new one',
    );
  }
  if (invitation.usedAt) throw linkUsedError();
  return actorOf(invitation);
}

const actorOf = ({ role, campaignId, subjectId, name, email, unitType }: Actor): Actor => ({
  role,
  campaignId,
  subjectId,
  name,
  email,
  ...(unitType ? { unitType } : {}),
});

export function actorFromSession(session: Session | undefined, now: Date): Actor {
  if (!session || Date.parse(session.expiresAt) <= now.getTime()) {
    throw new DomainError({
      code: 'NOT_SIGNED_IN',
      kind: 'unauthenticated',
      message: {
        zh: '未登录或登录已过期：请打开您的登录链接，按提示获取新的链接后登录',
        en: 'Not signed in, or the session has expired: open your sign-in link and ask it for a fresh one',
      },
    });
  }
  return actorOf(session);
}

/** Throws a 403 unless the actor has one of the roles, in the given campaign. */
export function requireRole(actor: Actor, roles: readonly Role[], campaignId?: string): void {
  if (roles.includes(actor.role) && (campaignId === undefined || actor.campaignId === campaignId)) return;
  throw new DomainError({
    code: 'FORBIDDEN',
    kind: 'forbidden',
    message: {
      zh: `${ROLE_NAMES[actor.role].zh}无权进行此操作`,
      // Named as a role, not with an article: "A expert", "A operations" read wrong.
      en: `The ${ROLE_NAMES[actor.role].en} role may not do this`,
    },
  });
}

/**
 * Who may call a route, checked before any handler code runs:
 * - 'signed-in': any of the roles, acting in their own campaign (the route names no resource);
 * - 'campaign': the route's {campaignId} is the actor's own campaign;
 * - 'nomination': the route's nomination {id} is the actor's: a unit's own, or one of the
 *   secretariat's campaign;
 * - 'execution': the execution {name} runs a nomination of the actor's campaign;
 * - 'nomination-by-condition': as 'nomination', for a unit, but checked by the route's own write
 *   and not by a read before it: the write's condition names the actor's campaign and unit, and a
 *   refused write (or input) reads the nomination to answer as the check would (404, 403 first).
 *   For a route whose answer does not need the nomination read (recording a file).
 */
export type RouteScope = 'signed-in' | 'campaign' | 'nomination' | 'execution' | 'nomination-by-condition';
export interface RouteAccess {
  roles: readonly Role[];
  scope: RouteScope;
}

/** What a scoped route acts on: a campaign, or a nomination (its campaign and recommending unit). */
export interface ScopeTarget {
  campaignId: string;
  unitId?: string;
}

const outOfScope = () =>
  new DomainError({
    code: 'FORBIDDEN',
    kind: 'forbidden',
    message: {
      zh: '无权访问：这是其他活动或其他单位的数据',
      en: 'Not allowed: this belongs to another campaign or another unit',
    },
  });

/**
 * The route's check, as a rule: the actor has one of its roles and acts within its scope — their
 * own campaign, and for a unit their own nominations. A 403 otherwise.
 */
export function assertInScope(actor: Actor, access: RouteAccess, target: ScopeTarget | undefined): void {
  requireRole(actor, access.roles);
  // 'nomination-by-condition': the route's write checks the rest (see RouteScope).
  if (access.scope === 'signed-in' || access.scope === 'nomination-by-condition') return;
  if (!target || target.campaignId !== actor.campaignId) throw outOfScope();
  if (actor.role === 'unit' && target.unitId !== undefined && target.unitId !== actor.subjectId)
    throw outOfScope();
}
