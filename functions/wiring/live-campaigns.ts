import { AsyncLocalStorage } from 'node:async_hooks';
import type { CampaignCatalog } from '../ports/campaign-catalog.js';
import type { Campaign } from '../rules/campaign.js';

/**
 * The rounds as the use cases read them — a plain ReadonlyMap, synchronous — kept fresh from the
 * catalog per container: reloaded before an invocation once it is older than the TTL, at once
 * after a write in this container, and when an invocation looked up a round it did not know
 * (a round created in another container a moment ago): then the reload finds it and the
 * invocation runs again, once. A correction made elsewhere reaches this container within the
 * TTL; a new round, at its first use.
 */
export interface LiveCampaigns extends ReadonlyMap<string, Campaign> {
  /** Runs one invocation with the rounds fresh (see above). */
  fresh<T>(run: () => Promise<T>): Promise<T>;
  /** After this container wrote the catalog: the next invocation reloads. */
  invalidate(): void;
  /** The stored version of a round's current definition, as loaded. */
  versionOf(campaignId: string): number | undefined;
}

export interface LiveCampaignOptions {
  ttlMs: number;
  /** A reload for a round not known is done at most this often (a wrong id must not cost a query each). */
  missReloadMs?: number;
  now?: () => number;
}

export function liveCampaigns(catalog: CampaignCatalog, options: LiveCampaignOptions): LiveCampaigns {
  const now = options.now ?? Date.now;
  const missReloadMs = options.missReloadMs ?? 250;
  let rounds = new Map<string, Campaign>();
  let versions = new Map<string, number>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;
  const misses = new AsyncLocalStorage<Set<string>>();

  const reload = () => {
    loading ??= catalog
      .current()
      .then((current) => {
        rounds = new Map(current.map((v) => [v.campaign.id, v.campaign]));
        versions = new Map(current.map((v) => [v.campaign.id, v.version]));
        loadedAt = now();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  const noteMiss = (id: string) => {
    if (!rounds.has(id)) misses.getStore()?.add(id);
  };

  const live: LiveCampaigns = {
    get size() {
      return rounds.size;
    },
    get(id) {
      noteMiss(id);
      return rounds.get(id);
    },
    has(id) {
      noteMiss(id);
      return rounds.has(id);
    },
    forEach(callback, thisArg) {
      for (const [id, campaign] of rounds) callback.call(thisArg, campaign, id, live);
    },
    entries: () => rounds.entries(),
    keys: () => rounds.keys(),
    values: () => rounds.values(),
    [Symbol.iterator]: () => rounds.entries(),
    async fresh(run) {
      if (now() - loadedAt >= options.ttlMs) await reload();
      const missed = new Set<string>();
      try {
        return await misses.run(missed, run);
      } catch (error) {
        if (missed.size === 0 || now() - loadedAt < missReloadMs) throw error;
        await reload();
        if (![...missed].some((id) => rounds.has(id))) throw error;
        return run();
      }
    },
    invalidate() {
      loadedAt = Number.NEGATIVE_INFINITY;
    },
    versionOf: (id) => versions.get(id),
  };
  return live;
}
