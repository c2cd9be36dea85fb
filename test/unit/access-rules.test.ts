import { describe, expect, it } from 'vitest';
import {
  type Actor,
  actorFromInvitation,
  actorFromSession,
  assertInScope,
  type Invitation,
  invitationIdentity,
  requireRole,
  type Session,
} from '../../functions/rules/access.js';
import { DomainError } from '../../functions/rules/errors.js';

/**
 * Sign-in and access rules word for word (functions/rules/access.ts): who an invitation is, why a
 * link or a session does not sign in, and the 403s of a role or a scope.
 */

const NOW = new Date('2025-01-10T08:00:00Z');

const unit: Actor = {
  role: 'unit',
  campaignId: 'cast-2024',
  subjectId: 'unit-a',
  name: '某某学会',
  email: 'office@example.cn',
  unitType: 'national-society',
};

const invitation = (change: Partial<Invitation> = {}): Invitation => ({
  ...unit,
  tokenHash: 'h',
  createdAt: '2025-01-01T00:00:00Z',
  createdBy: 's-1',
  expiresAt: '2025-01-10T08:00:00.001Z',
  ...change,
});

function refusal(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('nothing was refused');
}

describe('who an invitation is for', () => {
  it('is a unit by its name and anyone else by their e-mail, whatever the width, case and spacing', () => {
    expect(
      invitationIdentity({ role: 'unit', name: ' 中国科协（学会）  Office\tTwo ', email: 'x@y.cn' }),
    ).toBe('unit:中国科协(学会) office two');
    expect(invitationIdentity({ role: 'expert', name: '王五', email: ' Wang.Wu@Example.CN ' })).toBe(
      'expert:wang.wu@example.cn',
    );
  });
});

describe('signing in with a link', () => {
  it('answers the actor the invitation names, and no more', () => {
    expect(actorFromInvitation(invitation(), NOW)).toEqual(unit);
    const { unitType: _, ...expert } = { ...unit, role: 'expert' as const };
    expect(actorFromInvitation(invitation({ role: 'expert', unitType: undefined }), NOW)).toEqual(expert);
  });

  it.each([
    [
      'an unknown link',
      undefined,
      'LINK_UNKNOWN',
      '登录链接无效，请核对或联系秘书处',
      'This sign-in link is not valid; check it or ask the secretariat',
    ],
    [
      'a revoked link',
      invitation({ revokedAt: '2025-01-05T00:00:00Z' }),
      'LINK_REVOKED',
      '登录链接已被撤销，请联系秘书处',
      'This sign-in link was revoked; ask the secretariat for a new one',
    ],
    [
      'a link expiring at this very instant',
      invitation({ expiresAt: NOW.toISOString() }),
      'LINK_EXPIRED',
      '登录链接已过期，请联系秘书处重新发送',
      'This sign-in link has expired; ask the secretariat for a new one',
    ],
    [
      'a link used once',
      invitation({ usedAt: '2025-01-09T00:00:00Z' }),
      'LINK_USED',
      '此登录链接已经用过一次，不能再次登录。可以请系统把新的登录链接发送到受邀时的邮箱。',
      'This sign-in link has already been used and cannot sign in again. A fresh link can be mailed to the address you were invited at.',
    ],
  ])('refuses %s on the token, in both languages', (_what, link, code, zh, en) => {
    const error = refusal(() => actorFromInvitation(link, NOW));
    expect([error.code, error.kind, error.path]).toEqual([code, 'forbidden', ['token']]);
    expect(error.messages).toEqual({ zh, en });
  });
});

describe('a session', () => {
  const session = (expiresAt: string): Session => ({
    ...unit,
    sessionHash: 's',
    createdAt: '2025-01-10T00:00:00Z',
    expiresAt,
  });

  it('signs its actor in until it expires', () => {
    expect(actorFromSession(session('2025-01-10T08:00:00.001Z'), NOW)).toEqual(unit);
  });

  it.each([
    ['none', undefined],
    ['one expiring at this very instant', session(NOW.toISOString())],
  ])('refuses %s as not signed in, saying how to sign in again', (_what, given) => {
    const error = refusal(() => actorFromSession(given, NOW));
    expect([error.code, error.kind]).toEqual(['NOT_SIGNED_IN', 'unauthenticated']);
    expect(error.messages).toEqual({
      zh: '未登录或登录已过期：请打开您的登录链接，按提示获取新的链接后登录',
      en: 'Not signed in, or the session has expired: open your sign-in link and ask it for a fresh one',
    });
  });
});

describe('a role and a scope', () => {
  it('forbids a role the action does not take, naming the role', () => {
    expect(() => requireRole(unit, ['unit', 'secretariat'])).not.toThrow();
    const error = refusal(() => requireRole(unit, ['secretariat']));
    expect([error.code, error.kind]).toEqual(['FORBIDDEN', 'forbidden']);
    expect(error.messages).toEqual({
      zh: '推荐单位无权进行此操作',
      en: 'The recommending unit role may not do this',
    });
  });

  it.each([
    ['expert', '评审专家无权进行此操作', 'The expert role may not do this'],
    ['ops', '运维无权进行此操作', 'The operations role may not do this'],
    ['secretariat', '秘书处无权进行此操作', 'The secretariat role may not do this'],
  ] as const)('names the %s role in a sentence that reads right', (role, zh, en) => {
    expect(refusal(() => requireRole({ ...unit, role }, ['unit'])).messages).toEqual({ zh, en });
  });

  it('forbids the right role in another campaign', () => {
    expect(() => requireRole(unit, ['unit'], 'cast-2024')).not.toThrow();
    expect(refusal(() => requireRole(unit, ['unit'], 'cacs-2024')).code).toBe('FORBIDDEN');
  });

  it.each([
    ['another campaign', { campaignId: 'cacs-2024', unitId: 'unit-a' }],
    ['another unit', { campaignId: 'cast-2024', unitId: 'unit-b' }],
    ['nothing found', undefined],
  ])("refuses a unit's route acting on %s, in both languages", (_what, target) => {
    const error = refusal(() => assertInScope(unit, { roles: ['unit'], scope: 'nomination' }, target));
    expect([error.code, error.kind]).toEqual(['FORBIDDEN', 'forbidden']);
    expect(error.messages).toEqual({
      zh: '无权访问：这是其他活动或其他单位的数据',
      en: 'Not allowed: this belongs to another campaign or another unit',
    });
  });

  it("lets a unit act on its own nomination and its campaign, and the secretariat on any unit's", () => {
    expect(() =>
      assertInScope(
        unit,
        { roles: ['unit'], scope: 'nomination' },
        { campaignId: 'cast-2024', unitId: 'unit-a' },
      ),
    ).not.toThrow();
    expect(() =>
      assertInScope(unit, { roles: ['unit'], scope: 'campaign' }, { campaignId: 'cast-2024' }),
    ).not.toThrow();
    const secretariat: Actor = { ...unit, role: 'secretariat', subjectId: 's-1' };
    expect(() =>
      assertInScope(
        secretariat,
        { roles: ['secretariat'], scope: 'nomination' },
        { campaignId: 'cast-2024', unitId: 'unit-b' },
      ),
    ).not.toThrow();
    expect(() => assertInScope(unit, { roles: ['unit'], scope: 'signed-in' }, undefined)).not.toThrow();
  });
});
