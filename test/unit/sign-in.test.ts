import { describe, expect, it } from 'vitest';
import type { Mail } from '../../functions/ports/mail.js';
import type { Actor, Invitation, Session } from '../../functions/rules/access.js';
import { requireRole } from '../../functions/rules/access.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import { DomainError, ValidationError } from '../../functions/rules/errors.js';
import {
  currentActor,
  FRESH_LINK_ANSWER,
  FRESH_LINKS_PER_PERSON,
  issueInvitation,
  requestFreshLink,
  revokeAccess,
  signIn,
  signOut,
} from '../../functions/use-cases/sign-in.js';
import { memoryAccessStore } from '../support/memory/access.js';

/** The in-memory access store, its maps open to the tests that revoke a link by hand. */
const memoryStore = () =>
  memoryAccessStore() as ReturnType<typeof memoryAccessStore> & {
    invitations: Map<string, Invitation>;
    sessions: Map<string, Session>;
  };

function setup(start = '2025-01-20T09:00:00+08:00') {
  let now = new Date(start);
  let counter = 0;
  const store = memoryStore();
  const deps = {
    access: store,
    campaigns: BUILTIN_CAMPAIGNS,
    clock: { now: () => now },
    secrets: { token: () => `token-${++counter}-${'x'.repeat(30)}`, hash: (t: string) => `h(${t})` },
  };
  return { deps, store, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const secretariat: Actor = {
  role: 'secretariat',
  campaignId: 'cacs-2024',
  subjectId: 'sec',
  name: '秘书处',
  email: 's@x.cn',
};
const unitRequest = {
  role: 'unit',
  subjectId: 'jingdezhen',
  name: '景德镇陶瓷学会',
  email: 'unit@jdz.cn',
  unitType: 'member',
};
const expertRequest = { role: 'expert', subjectId: 'expert-1', name: '王教授', email: 'wang@x.cn' };

describe('sign-in links and sessions', () => {
  it('stores only the hash of a link token and signs in the invited person', async () => {
    const { deps, store } = setup();
    const { token, invitation } = await issueInvitation(deps, secretariat, unitRequest);
    expect(store.invitations.has(token)).toBe(false);
    expect(invitation).toMatchObject({
      tokenHash: `h(${token})`,
      role: 'unit',
      campaignId: 'cacs-2024',
      // Through the society's submissions (end of 13 February) and five days of corrections.
      expiresAt: '2025-02-18T16:00:00.000Z',
    });
    const session = await signIn(deps, token);
    expect(session.actor).toEqual({
      role: 'unit',
      campaignId: 'cacs-2024',
      subjectId: 'jingdezhen',
      name: '景德镇陶瓷学会',
      email: 'unit@jdz.cn',
      unitType: 'member',
    });
    expect(await currentActor(deps, session.sessionToken)).toEqual(session.actor);
  });

  it("keeps a unit's link valid on the last day of submissions and through the correction period", async () => {
    const { deps, advance } = setup();
    const { token, invitation } = await issueInvitation(deps, secretariat, unitRequest);
    // From 20 January 09:00 to 13 February 23:59 China time, the last minute of submissions.
    advance(Date.parse('2025-02-13T23:59:00+08:00') - Date.parse('2025-01-20T09:00:00+08:00'));
    await expect(signIn(deps, token)).resolves.toMatchObject({ actor: { subjectId: 'jingdezhen' } });
    expect(invitation.expiresAt).toBe(new Date('2025-02-19T00:00:00+08:00').toISOString());
    advance(Date.parse('2025-02-19T00:00:00+08:00') - Date.parse('2025-02-13T23:59:00+08:00'));
    await expect(signIn(deps, token)).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });

  it('lets the one who invites set the last day, never one already over', async () => {
    const { deps } = setup();
    const { invitation } = await issueInvitation(deps, secretariat, {
      ...unitRequest,
      validUntil: '2025-03-31',
    });
    expect(invitation.expiresAt).toBe(new Date('2025-04-01T00:00:00+08:00').toISOString());
    await expect(
      issueInvitation(deps, secretariat, { ...unitRequest, validUntil: '2025-01-19' }),
    ).rejects.toMatchObject({ code: 'VALIDITY_INVALID', path: ['validUntil'] });
    // Late in the campaign the default is never less than two weeks.
    const late = setup('2025-02-20T09:00:00+08:00');
    const { invitation: lateOne } = await issueInvitation(late.deps, secretariat, unitRequest);
    expect(lateOne.expiresAt).toBe(new Date('2025-03-06T09:00:00+08:00').toISOString());
  });

  it('refuses unknown, expired and revoked links with a 403 kind and a bilingual reason', async () => {
    const { deps, store, advance } = setup();
    await expect(signIn(deps, 'nope')).rejects.toMatchObject({ code: 'LINK_UNKNOWN', kind: 'forbidden' });
    const { token, invitation } = await issueInvitation(deps, secretariat, { ...unitRequest, validDays: 1 });
    store.invitations.set(invitation.tokenHash, { ...invitation, revokedAt: '2025-01-20T02:00:00Z' });
    await expect(signIn(deps, token)).rejects.toMatchObject({ code: 'LINK_REVOKED' });
    store.invitations.set(invitation.tokenHash, invitation);
    advance(86_400_000);
    await expect(signIn(deps, token)).rejects.toMatchObject({
      code: 'LINK_EXPIRED',
      messages: { zh: expect.stringContaining('已过期') },
    });
  });

  it('ends a session after 12 hours or on sign-out', async () => {
    const { deps, advance } = setup();
    const { token } = await issueInvitation(deps, secretariat, unitRequest);
    const first = await signIn(deps, token);
    advance(12 * 3_600_000);
    await expect(currentActor(deps, first.sessionToken)).rejects.toMatchObject({
      code: 'NOT_SIGNED_IN',
      kind: 'unauthenticated',
    });
    const second = await signIn(deps, (await issueInvitation(deps, secretariat, unitRequest)).token);
    await signOut(deps, second.sessionToken);
    await expect(currentActor(deps, second.sessionToken)).rejects.toBeInstanceOf(DomainError);
    await expect(currentActor(deps, undefined)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('signs in once per link: a second use is LINK_USED, and the first session keeps working', async () => {
    const { deps, store, advance } = setup();
    const { token, invitation } = await issueInvitation(deps, secretariat, unitRequest);
    const first = await signIn(deps, token);
    expect(store.invitations.get(invitation.tokenHash)?.usedAt).toBe(
      new Date('2025-01-20T01:00:00Z').toISOString(),
    );
    const sessionsBefore = store.sessions.size;
    await expect(signIn(deps, token)).rejects.toMatchObject({
      code: 'LINK_USED',
      kind: 'forbidden',
      messages: { zh: expect.stringContaining('已经用过'), en: expect.stringContaining('already been used') },
    });
    expect(store.sessions.size).toBe(sessionsBefore);
    advance(11 * 3_600_000);
    await expect(currentActor(deps, first.sessionToken)).resolves.toMatchObject({ subjectId: 'jingdezhen' });
  });

  it('gives one session to two sign-ins racing with one link', async () => {
    const { deps, store } = setup();
    const { token } = await issueInvitation(deps, secretariat, unitRequest);
    const outcomes = await Promise.allSettled([signIn(deps, token), signIn(deps, token)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(store.sessions.size).toBe(1);
  });

  describe('a fresh link for a used one', () => {
    function freshSetup() {
      const base = setup();
      const sent: Mail[] = [];
      const counts = new Map<string, number>();
      const deps = {
        ...base.deps,
        webUrl: 'https://laurel.example.cn',
        send: async (mail: Mail) => void sent.push(mail),
        rateLimiter: {
          take: async (key: string, limit: { requests: number }) => {
            counts.set(key, (counts.get(key) ?? 0) + 1);
            return { allowed: (counts.get(key) ?? 0) <= limit.requests, retryAfterSeconds: 60 };
          },
        },
      };
      return { ...base, deps, sent };
    }
    const tokenOf = (mail: Mail | undefined) => /#([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';

    it('mails a fresh link to the invited address, valid no longer than the used one, that signs in once', async () => {
      const { deps, store, sent } = freshSetup();
      const { token, invitation } = await issueInvitation(deps, secretariat, unitRequest);
      await signIn(deps, token);
      await expect(requestFreshLink(deps, { token })).resolves.toEqual(FRESH_LINK_ANSWER);
      expect(sent.map((m) => m.to)).toEqual(['unit@jdz.cn']);
      const fresh = tokenOf(sent[0]);
      expect(fresh).not.toBe(token);
      expect(store.invitations.get(`h(${fresh})`)).toMatchObject({
        role: 'unit',
        subjectId: 'jingdezhen',
        expiresAt: invitation.expiresAt,
        createdBy: 'fresh-link',
        renewedFrom: invitation.tokenHash,
      });
      expect(store.invitations.get(`h(${fresh})`)?.usedAt).toBeUndefined();
      await expect(signIn(deps, fresh)).resolves.toMatchObject({ actor: { subjectId: 'jingdezhen' } });
      await expect(signIn(deps, fresh)).rejects.toMatchObject({ code: 'LINK_USED' });
    });

    it('revokes whoever was invited at an address — every link of theirs, fresh ones too, and their sessions — and no other contact of the unit', async () => {
      const { deps, sent } = freshSetup();
      const { token } = await issueInvitation(deps, secretariat, unitRequest);
      const first = await signIn(deps, token);
      await requestFreshLink(deps, { token });
      const fresh = tokenOf(sent[0]);
      // A second contact of the same unit, and the same address invited as an expert too.
      const colleague = await issueInvitation(deps, secretariat, { ...unitRequest, email: 'office@jdz.cn' });
      const colleagueSession = await signIn(deps, colleague.token);
      await issueInvitation(deps, secretariat, { ...expertRequest, email: 'unit@jdz.cn' });
      const answer = await revokeAccess(deps, secretariat, { email: 'Unit@JDZ.cn', role: 'unit' });
      expect(answer).toEqual({ revoked: [{ role: 'unit', name: '景德镇陶瓷学会' }], links: 2, sessions: 1 });
      await expect(currentActor(deps, first.sessionToken)).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
      await expect(signIn(deps, fresh)).rejects.toMatchObject({ code: 'LINK_REVOKED' });
      const mailed = sent.length;
      await requestFreshLink(deps, { token });
      expect(sent).toHaveLength(mailed);
      // The colleague keeps theirs; a repeat ends nothing more and says whom it found.
      expect(await currentActor(deps, colleagueSession.sessionToken)).toMatchObject({
        email: 'office@jdz.cn',
      });
      expect(await revokeAccess(deps, secretariat, { email: 'unit@jdz.cn', role: 'unit' })).toEqual({
        revoked: [{ role: 'unit', name: '景德镇陶瓷学会' }],
        links: 0,
        sessions: 0,
      });
      // Experts act through review links, ended by a swap: the secretariat is told so, and the
      // expert invitation at that address is left alone by a revocation without a role.
      await expect(
        revokeAccess(deps, secretariat, { email: 'unit@jdz.cn', role: 'expert' }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
        messages: { zh: expect.stringContaining('更换专家') },
      });
      expect(await revokeAccess(deps, secretariat, { email: 'unit@jdz.cn' })).toEqual({
        revoked: [{ role: 'unit', name: '景德镇陶瓷学会' }],
        links: 0,
        sessions: 0,
      });
      await expect(revokeAccess(deps, secretariat, { email: 'nobody@jdz.cn' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        path: ['email'],
      });
      await expect(
        revokeAccess(deps, secretariat, { email: 's@x.cn', role: 'secretariat' }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
        path: ['role'],
      });
      await expect(revokeAccess(deps, first.actor, { email: 'office@jdz.cn' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(revokeAccess(deps, secretariat, { email: 'not-an-address' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        path: ['email'],
      });
    });

    it('answers an unknown, unused, revoked or expired link the same, and mails nothing', async () => {
      const { deps, store, sent, advance } = freshSetup();
      const unused = await issueInvitation(deps, secretariat, unitRequest);
      const revoked = await issueInvitation(deps, secretariat, expertRequest);
      await signIn(deps, revoked.token);
      const stored = store.invitations.get(revoked.invitation.tokenHash);
      if (stored) store.invitations.set(stored.tokenHash, { ...stored, revokedAt: '2025-01-20T02:00:00Z' });
      const shortLived = await issueInvitation(deps, secretariat, { ...unitRequest, validDays: 1 });
      await signIn(deps, shortLived.token);
      advance(86_400_000);
      for (const token of ['x'.repeat(40), unused.token, revoked.token, shortLived.token]) {
        await expect(requestFreshLink(deps, { token })).resolves.toEqual(FRESH_LINK_ANSWER);
      }
      expect(sent).toEqual([]);
    });

    it(`mails one person at most ${FRESH_LINKS_PER_PERSON.requests} fresh links an hour, answering the same past it`, async () => {
      const { deps, sent } = freshSetup();
      const { token } = await issueInvitation(deps, secretariat, unitRequest);
      await signIn(deps, token);
      for (let i = 0; i < FRESH_LINKS_PER_PERSON.requests + 2; i += 1) {
        await expect(requestFreshLink(deps, { token })).resolves.toEqual(FRESH_LINK_ANSWER);
      }
      expect(sent).toHaveLength(FRESH_LINKS_PER_PERSON.requests);
    });

    it('refuses a malformed token by its field, in both languages', async () => {
      const { deps } = freshSetup();
      await expect(requestFreshLink(deps, { token: 'short' })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  it('lets the secretariat invite units and experts, and nobody else invite anyone', async () => {
    const { deps } = setup();
    await expect(issueInvitation(deps, secretariat, expertRequest)).resolves.toBeDefined();
    await expect(
      issueInvitation(deps, secretariat, { ...expertRequest, role: 'secretariat' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const unit: Actor = { ...secretariat, role: 'unit', subjectId: 'u1' };
    await expect(issueInvitation(deps, unit, unitRequest)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      kind: 'forbidden',
    });
    const ops: Actor = { ...secretariat, role: 'ops' };
    await expect(
      issueInvitation(deps, ops, { ...expertRequest, role: 'secretariat' }),
    ).resolves.toBeDefined();
  });

  it("needs a unit's type from the campaign, and no type for anyone else", async () => {
    const { deps } = setup();
    const { unitType: _none, ...untyped } = unitRequest;
    await expect(issueInvitation(deps, secretariat, untyped)).rejects.toMatchObject({
      issues: [{ path: ['unitType'] }],
    });
    await expect(
      issueInvitation(deps, secretariat, { ...unitRequest, unitType: 'national-society' }),
    ).rejects.toMatchObject({
      issues: [{ message: { zh: expect.stringContaining('member（会员）') } }],
    });
    await expect(
      issueInvitation(deps, secretariat, { ...expertRequest, unitType: 'member' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('names the bad field of an invitation', async () => {
    const { deps } = setup();
    await expect(
      issueInvitation(deps, secretariat, { ...unitRequest, email: 'not-mail' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      issueInvitation(deps, secretariat, { ...unitRequest, email: 'not-mail' }),
    ).rejects.toMatchObject({
      issues: [{ path: ['email'], message: { zh: expect.stringMatching(/^电子邮箱：/) } }],
    });
  });

  it('keeps each role to its campaign', () => {
    expect(() => requireRole(secretariat, ['secretariat'], 'cacs-2024')).not.toThrow();
    expect(() => requireRole(secretariat, ['secretariat'], 'cast-2024')).toThrow(DomainError);
  });
});
