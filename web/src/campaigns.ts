import { signal } from '@preact/signals';
import type { Campaign } from '../../functions/rules/campaign.js';
import { get } from './api.js';

/**
 * The rounds Laurel runs, as the API serves them (GET /api/campaigns: the current version of each
 * stored definition), never compiled into the bundle: a round created or corrected while Laurel
 * runs shows at the next page load without a rebuild. The browser's categories, limits and
 * deadlines are the server's.
 */
export interface RoundsState {
  rounds: ReadonlyMap<string, Campaign>;
  /** The stored version of each round's definition. */
  versions: ReadonlyMap<string, number>;
}

/** undefined while loading; the error when the list could not be read. */
export const rounds = signal<RoundsState | undefined>(undefined);
export const roundsError = signal<unknown>(undefined);

interface RoundList {
  rounds: { campaign: Campaign; version: number }[];
}

/** Reads the rounds; `fresh` after this browser created or corrected one (the list is cached a minute). */
export async function loadRounds(fresh = false): Promise<RoundsState> {
  try {
    const list = await get<RoundList>('/api/campaigns', fresh ? { cache: 'no-cache' } : {});
    const state: RoundsState = {
      rounds: new Map(list.rounds.map((r) => [r.campaign.id, r.campaign])),
      versions: new Map(list.rounds.map((r) => [r.campaign.id, r.version])),
    };
    rounds.value = state;
    roundsError.value = undefined;
    return state;
  } catch (error) {
    roundsError.value = error;
    throw error;
  }
}

const soughtAfresh = new Set<string>();

/**
 * A round's current definition; undefined while the list loads or for an unknown id. A round the
 * cached list does not know (created since this browser read it) is sought once afresh.
 */
export function campaignById(id: string): Campaign | undefined {
  const found = rounds.value?.rounds.get(id);
  if (!found && rounds.value && id && !soughtAfresh.has(id)) {
    soughtAfresh.add(id);
    queueMicrotask(() => void loadRounds(true).catch(() => undefined));
  }
  return found;
}

/** Every round, ordered by id (empty while loading). */
export function allRounds(): Campaign[] {
  return [...(rounds.value?.rounds.values() ?? [])];
}
