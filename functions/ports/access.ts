import type { Invitation, Role, Session } from '../rules/access.js';

export interface AccessStore {
  /**
   * Stores an invitation; a fresh link (`renewedFrom`) only while the link it renews is not
   * revoked — false, storing nothing, when it is (a revocation came between the read and this).
   */
  putInvitation(invitation: Invitation): Promise<boolean>;
  getInvitation(tokenHash: string): Promise<Invitation | undefined>;
  /**
   * Signs in with a link, once: marks the invitation used and stores the session, both or
   * neither. False when the link was used already (by another request too, at the same moment).
   */
  startSession(invitationHash: string, usedAt: string, session: Session): Promise<boolean>;
  getSession(sessionHash: string): Promise<Session | undefined>;
  deleteSession(sessionHash: string): Promise<void>;
  /**
   * Ends the access of whoever was invited to `campaignId` at `email` (as `accessEmail` reads it)
   * in one of `roles`: every invitation of theirs — the first link and each fresh one — is marked
   * revoked at `at` (it signs in no more and is renewed no more) and every session begun with one
   * is deleted. Read by a consistent query of the address's own partition, so a link or session
   * made just before is not missed. Answers the people found (revoked before, too), and how many
   * links and sessions this call ended.
   */
  revokeAccess(campaignId: string, email: string, roles: readonly Role[], at: string): Promise<RevokedAccess>;
}

export interface RevokedAccess {
  people: { role: Role; subjectId: string; name: string }[];
  links: number;
  sessions: number;
}

/** How an address is compared when access is revoked: case and surrounding spaces do not count. */
export const accessEmail = (email: string): string => email.trim().toLowerCase();
