import type { Invitation, Session } from '../rules/access.js';

export interface AccessStore {
  putInvitation(invitation: Invitation): Promise<void>;
  getInvitation(tokenHash: string): Promise<Invitation | undefined>;
  /**
   * Signs in with a link, once: marks the invitation used and stores the session, both or
   * neither. False when the link was used already (by another request too, at the same moment).
   */
  startSession(invitationHash: string, usedAt: string, session: Session): Promise<boolean>;
  getSession(sessionHash: string): Promise<Session | undefined>;
  deleteSession(sessionHash: string): Promise<void>;
}
