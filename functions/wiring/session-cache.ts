import type { AccessStore } from '../ports/access.js';
import type { Session } from '../rules/access.js';

/**
 * The sessions a warm container has read, kept for a short while: every signed-in request
 * resolved its session from the table (a GetItem each, about 9 of them per nomination), though a
 * session never changes once written — it is only deleted (sign-out) or expires.
 *
 * What this allows, and the window it is held to (docs/security.md, "Sessions"):
 * - a session signed out in this container is forgotten at once, and every one when access is
 *   revoked here;
 * - one signed out (or revoked) in another container (another function, or another copy of this one) may
 *   still act here for at most `ttlMs` after this container last read it from the table — the
 *   entry is never renewed by use, only by a new read once it is older than that;
 * - its end (`expiresAt`) is checked on every request against the clock, cached or not;
 * - an unknown token is never remembered (it cannot become valid: a token is handed out only
 *   after its session is stored), so random cookies cost a read each and no memory.
 * Bounded: past `max` sessions the oldest read is forgotten first.
 */
export interface SessionCacheOptions {
  ttlMs: number;
  max?: number;
  now: () => number;
}

/** How long a container trusts a session it read without reading it again: the sign-out window. */
export const SESSION_CACHE_MS = 60_000;

export function withSessionCache(access: AccessStore, options: SessionCacheOptions): AccessStore {
  const max = options.max ?? 1000;
  const kept = new Map<string, { session: Session; readAt: number }>();
  return {
    putInvitation: (invitation) => access.putInvitation(invitation),
    getInvitation: (tokenHash) => access.getInvitation(tokenHash),
    startSession: (invitationHash, usedAt, session) => access.startSession(invitationHash, usedAt, session),
    async getSession(sessionHash) {
      const entry = kept.get(sessionHash);
      if (entry && options.now() - entry.readAt < options.ttlMs) return entry.session;
      kept.delete(sessionHash);
      const readAt = options.now();
      const session = await access.getSession(sessionHash);
      if (session) {
        kept.set(sessionHash, { session, readAt });
        if (kept.size > max) kept.delete(kept.keys().next().value as string);
      }
      return session;
    },
    async deleteSession(sessionHash) {
      kept.delete(sessionHash);
      await access.deleteSession(sessionHash);
    },
    async revokeAccess(campaignId, email, roles, at) {
      // Which kept sessions were the person's is not known here: all are read afresh — also one
      // read here while the store was deleting it.
      kept.clear();
      const revoked = await access.revokeAccess(campaignId, email, roles, at);
      kept.clear();
      return revoked;
    },
  };
}
