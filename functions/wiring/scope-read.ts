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
 *
 * A route whose use case reads more beside the nomination (a submission: the round's window and
 * past-honouree list) may have its check make that read instead (`scopeBy`): the nomination with
 * the rest by one request, the nomination handed on as above and the whole answer kept for the
 * use case's own read of it (`take`), once, and dropped with the nomination by a write of it.
 */
export function scopeReadHandedOn(store: NominationStore) {
  const requests = new AsyncLocalStorage<RequestReads>();
  const drop = (id: string) => {
    const handed = requests.getStore();
    handed?.nominations.delete(id);
    for (const [key, kept] of handed?.answers ?? []) if (kept.id === id) handed?.answers.delete(key);
  };
  const handedOn: NominationStore = {
    ...store,
    async get(id) {
      const handed = requests.getStore()?.nominations;
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
  const scopeOf = (nomination: Nomination | undefined, id: string) => {
    if (!nomination) return undefined;
    requests.getStore()?.nominations.set(id, nomination);
    return { campaignId: nomination.campaignId, unitId: nomination.unitId };
  };
  return {
    store: handedOn,
    /** Runs one request, with its own nominations handed on. */
    request: <T>(run: () => Promise<T>): Promise<T> =>
      requests.run({ nominations: new Map(), answers: new Map() }, run),
    /** The route check's read: the nomination's campaign and unit, the nomination kept for the request. */
    async scope(id: string): Promise<{ campaignId: string; unitId: string } | undefined> {
      return scopeOf(await store.get(id), id);
    },
    /**
     * The route check's read made by a read of the nomination with what its use case reads beside
     * it: the nomination kept as `scope` keeps it, and the whole answer kept under `key` for `take`.
     */
    async scopeBy(
      id: string,
      { key, read }: ScopeRead,
    ): Promise<{ campaignId: string; unitId: string } | undefined> {
      const answer = await read();
      if (answer.nomination) requests.getStore()?.answers.set(key, { id, answer });
      return scopeOf(answer.nomination, id);
    },
    /** What the route check's read kept under `key` in this request, once; undefined when nothing is. */
    take(key: string): unknown {
      const answers = requests.getStore()?.answers;
      const kept = answers?.get(key);
      answers?.delete(key);
      return kept?.answer;
    },
  };
}

/** A read a route's check makes in place of the nomination's own (see `scopeBy`). */
export interface ScopeRead {
  /** What the use case's own read of the rest is known by (`take`). */
  key: string;
  read: () => Promise<{ nomination: Nomination | undefined }>;
}

interface RequestReads {
  nominations: Map<string, Nomination>;
  answers: Map<string, { id: string; answer: unknown }>;
}
