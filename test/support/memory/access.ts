import { type AccessStore, accessEmail } from '../../../functions/ports/access.js';
import type { Invitation, Role, Session } from '../../../functions/rules/access.js';
import { conditionalCheckFailed, copy } from './aws-errors.js';

/**
 * The access store of functions/adapters/access-store.ts, in memory: invitations and sessions by
 * the hash of their token; an invitation is put once (a second with the same hash is DynamoDB's
 * ConditionalCheckFailedException, let through by the adapter). Expired items are kept, as
 * DynamoDB's TTL deletion lags: the use cases check the expiry themselves.
 */

export interface MemoryAccessStore extends AccessStore {
  /** Test access: the stored invitations and sessions, by hash. */
  readonly invitations: ReadonlyMap<string, Invitation>;
  readonly sessions: ReadonlyMap<string, Session>;
}

export function memoryAccessStore(): MemoryAccessStore {
  const invitations = new Map<string, Invitation>();
  const sessions = new Map<string, Session>();
  return {
    invitations,
    sessions,
    async putInvitation(invitation) {
      if (invitations.has(invitation.tokenHash)) throw conditionalCheckFailed();
      const renewed = invitation.renewedFrom ? invitations.get(invitation.renewedFrom) : undefined;
      if (invitation.renewedFrom && (!renewed || renewed.revokedAt)) return false;
      invitations.set(invitation.tokenHash, copy(invitation));
      return true;
    },
    getInvitation: async (tokenHash) => {
      const i = invitations.get(tokenHash);
      return i ? copy(i) : undefined;
    },
    async startSession(invitationHash, usedAt, session) {
      const invitation = invitations.get(invitationHash);
      if (!invitation || invitation.usedAt || invitation.revokedAt) return false;
      invitations.set(invitationHash, { ...invitation, usedAt });
      sessions.set(session.sessionHash, copy(session));
      return true;
    },
    getSession: async (sessionHash) => {
      const s = sessions.get(sessionHash);
      return s ? copy(s) : undefined;
    },
    async deleteSession(sessionHash) {
      sessions.delete(sessionHash);
    },
    async revokeAccess(campaignId, email, roles, at) {
      const whose = (p: Invitation | Session) =>
        p.campaignId === campaignId && accessEmail(p.email) === accessEmail(email) && roles.includes(p.role);
      const people = new Map<string, { role: Role; subjectId: string; name: string }>();
      let links = 0;
      let sessionsEnded = 0;
      for (const [hash, invitation] of invitations) {
        if (!whose(invitation)) continue;
        people.set(`${invitation.role}#${invitation.subjectId}`, {
          role: invitation.role,
          subjectId: invitation.subjectId,
          name: invitation.name,
        });
        if (invitation.revokedAt) continue;
        invitations.set(hash, { ...invitation, revokedAt: at });
        links += 1;
      }
      for (const [hash, session] of sessions) {
        if (!whose(session)) continue;
        sessions.delete(hash);
        sessionsEnded += 1;
      }
      return { people: [...people.values()], links, sessions: sessionsEnded };
    },
  };
}
