import { signal } from '@preact/signals';
import { ApiError, get } from './api.js';
import type { Bilingual } from './i18n.js';

export type Role = 'secretariat' | 'unit' | 'expert' | 'ops';

/** The person signed in, as GET /api/session answers. */
export interface Actor {
  role: Role;
  campaignId: string;
  subjectId: string;
  name: string;
  email: string;
  unitType?: string;
}

export interface Session {
  actor: Actor;
  role: Bilingual;
}

/** undefined while loading, null when nobody is signed in. */
export const session = signal<Session | null | undefined>(undefined);

/** Why the session could not be read (the network, a 503): the page says so and offers to try again. */
export const sessionError = signal<unknown>(undefined);

export async function loadSession(): Promise<Session | null> {
  sessionError.value = undefined;
  try {
    session.value = await get<Session>('/api/session');
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) {
      sessionError.value = error;
      throw error;
    }
    session.value = null;
  }
  return session.value;
}

/** The home page of each role. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'unit':
      return '/unit';
    case 'secretariat':
      return '/secretariat';
    case 'ops':
      return '/ops';
    case 'expert':
      return '/';
  }
}
