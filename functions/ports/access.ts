import type { Invitation, Session } from '../rules/access.js';

export interface AccessStore {
  putInvitation(invitation: Invitation): Promise<void>;
  getInvitation(tokenHash: string): Promise<Invitation | undefined>;
  putSession(session: Session): Promise<void>;
  getSession(sessionHash: string): Promise<Session | undefined>;
  deleteSession(sessionHash: string): Promise<void>;
}
