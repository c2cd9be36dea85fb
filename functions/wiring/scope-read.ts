import { AsyncLocalStorage } from 'node:async_hooks';
import type { NominationStore } from '../ports/nominations.js';
import type { Nomination } from '../rules/nomination.js';

/**
 * The route check of a request on one nomination reads that nomination once for both: the check
 * needs its campaign and unit, and the use case behind nearly every such route reads it whole
 * next. Before, that was two requests (a small GetItem for the scope, then the use case's Query).
 *
 * The check reads the nomination whole (the store's consistent read) and hands it to the
 * request's first read of that nomination — once: a later read (a retry after a version
 * conflict, a read after a write) goes to the table, and any write of the nomination in the
 * request drops what was handed. Equivalent to the use case reading a few milliseconds earlier:
 * every change is still written on the condition of the version it read (a 409 or a retry when
 * another wrote meanwhile). Outside a request (the state machines' tasks) nothing is handed on.
 */
export function scopeReadHandedOn(store: NominationStore) {
  const requests = new AsyncLocalStorage<Map<string, Nomination>>();
  const drop = (id: string) => requests.getStore()?.delete(id);
  const handedOn: NominationStore = {
    ...store,
    async get(id) {
      const handed = requests.getStore();
      const read = handed?.get(id);
      if (!read) return store.get(id);
      handed?.delete(id);
      return read;
    },
    create(nomination, audit) {
      drop(nomination.id);
      return store.create(nomination, audit);
    },
    save(nomination, expectedVersion, audit) {
      drop(nomination.id);
      return store.save(nomination, expectedVersion, audit);
    },
    changeStatus(change) {
      drop(change.nomination.id);
      return store.changeStatus(change);
    },
    changeStatuses(changes) {
      for (const change of changes) drop(change.nomination.id);
      return store.changeStatuses(changes);
    },
  };
  return {
    store: handedOn,
    /** Runs one request, with its own nominations handed on. */
    request: <T>(run: () => Promise<T>): Promise<T> => requests.run(new Map(), run),
    /** The route check's read: the nomination's campaign and unit, the nomination kept for the request. */
    async scope(id: string): Promise<{ campaignId: string; unitId: string } | undefined> {
      const nomination = await store.get(id);
      if (!nomination) return undefined;
      requests.getStore()?.set(id, nomination);
      return { campaignId: nomination.campaignId, unitId: nomination.unitId };
    },
  };
}
