import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoAccessLog } from '../adapters/access-log.js';
import { dynamoAccessStore } from '../adapters/access-store.js';
import { documentClient, perConfig } from '../adapters/aws-clients.js';
import { dynamoCampaignCatalog } from '../adapters/campaign-catalog.js';
import { dynamoNominationStore, seenNominations } from '../adapters/nomination-store.js';
import { dynamoRateLimiter } from '../adapters/rate-limiter.js';
import { clockWithOffset, cryptoSecrets } from '../adapters/secrets.js';
import type { Gate } from '../lib/api.js';
import { type Config, loadConfig } from '../lib/config.js';
import { cookieValue, SESSION_COOKIE } from '../lib/cookies.js';
import type { AccessStore } from '../ports/access.js';
import type { AccessLog } from '../ports/access-log.js';
import type { NominationStore } from '../ports/nominations.js';
import type { RateLimiter } from '../ports/rate-limits.js';
import type { Clock, Secrets } from '../ports/system.js';
import type { Actor } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { currentActor } from '../use-cases/sign-in.js';
import { type LiveCampaigns, liveCampaigns } from './live-campaigns.js';
import { type ScopeRead, scopeReadHandedOn } from './scope-read.js';
import { SESSION_CACHE_MS, withSessionCache } from './session-cache.js';

/**
 * The composition root of each function: config read once, and every adapter (with the AWS client
 * under it) built on first use only. Every function gets the base — the nomination store, the
 * access store behind sessions, campaigns, clock, ids, secrets and the route check's gate — and
 * names the other parts its use cases need (wiring/parts.ts), so it bundles and builds only those:
 * the review page no job store, a function that never mails no SMTP client. This is the only
 * place that turns adapters into use-case dependencies; lib/ imports no adapter and handlers
 * import no AWS SDK package.
 */

/** Time-ordered, unguessable nomination ids: base-36 milliseconds, then 64 random bits. */
export const newNominationId = () =>
  `n-${Date.now().toString(36).padStart(9, '0')}${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString(36)
    .padStart(13, '0')}`;

/**
 * What a container's stores know of the nominations they read or wrote (nomination-store.ts):
 * one memory for the nomination store and the review store, so a status change made on the
 * nomination an expert's request read with its assignment reads nothing more first.
 */
export const nominationsSeen = /* @__PURE__ */ perConfig(() => seenNominations());

export interface Base {
  readonly config: Config;
  readonly store: NominationStore;
  readonly access: AccessStore;
  /** Who read a nomination's personal information: every function that shows it records the read. */
  readonly accessLog: AccessLog;
  /** The rounds, read from the catalog through this container's cache. */
  readonly campaigns: LiveCampaigns;
  /** The stored version of a round's current definition (what a submission records). */
  readonly roundVersion: (campaignId: string) => number | undefined;
  readonly clock: Clock;
  readonly secrets: Secrets;
  readonly ids: {
    nominationId(): string;
    attachmentId(): string;
    objectionId(): string;
    planId(): string;
  };
  readonly webUrl: string;
  /** Counters in the table behind every rate limit: the route check's and a use case's own. */
  readonly rateLimiter: RateLimiter;
  /** The route access check's ports: the session behind a request and a nomination's scope. */
  readonly gate: Gate;
  /**
   * Has the route check of `route` read the nomination with what its use case reads beside it, by
   * one request (wiring/scope-read.ts, `scopeBy`); set when the handler loads.
   */
  readScopeWith(route: string, read: (id: string, actor: Actor) => ScopeRead): void;
  /** What the route check's read kept under `key` for this request, once (scope-read.ts, `take`). */
  takeHandedOn(key: string): unknown;
}

/** A part a function may add: built from the base (its config and clients) the first time it is used. */
export type Part<T> = (base: Base) => T;
export type Wiring<P extends Record<string, Part<unknown>>> = Base & {
  readonly [K in keyof P]: ReturnType<P[K]>;
};

/** Memoised getters: each entry is built the first time a use case reaches for it. */
function lazily<T extends object>(target: T, parts: Record<string, () => unknown>): void {
  const built = new Map<string, unknown>();
  for (const key of Object.keys(parts)) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => {
        if (!built.has(key)) built.set(key, parts[key]?.());
        return built.get(key);
      },
    });
  }
}

export function wiring<P extends Record<string, Part<unknown>> = Record<never, Part<unknown>>>(
  parts: P = {} as P,
  given?: Config,
): Wiring<P> {
  // The environment is read and checked on the first request, not at import: its schema is zod's
  // first use, which a cold import would pay (the cost issue: a function's import ≤ 3 × bare node).
  const config = builtOnFirstUse(() => given ?? loadConfig());
  const documents = () => documentClient(config());
  const w = {} as Wiring<P>;
  // The route check's read of a nomination is the request's first read of it (scope-read.ts).
  let scoped: ReturnType<typeof scopeReadHandedOn> | undefined;
  const scopeReadsOf = new Map<string, (id: string, actor: Actor) => ScopeRead>();
  const scopeReads = () => {
    scoped ??= scopeReadHandedOn(
      dynamoNominationStore(documents(), config().tableName, nominationsSeen(config())),
    );
    return scoped;
  };
  lazily(w, {
    config,
    store: () => scopeReads().store,
    // Sessions read once a minute at most per container (the sign-out window: session-cache.ts).
    access: () =>
      withSessionCache(dynamoAccessStore(documents(), config().tableName), {
        ttlMs: SESSION_CACHE_MS,
        now: () => w.clock.now().getTime(),
      }),
    accessLog: () => dynamoAccessLog(documents(), config().tableName),
    campaigns: () =>
      liveCampaigns(dynamoCampaignCatalog(documents(), config().tableName), {
        ttlMs: config().campaignCacheMs,
      }),
    roundVersion: () => (campaignId: string) => w.campaigns.versionOf(campaignId),
    clock: () => clockWithOffset(config().clockOffsetMs),
    secrets: () => cryptoSecrets,
    ids: () => ({
      nominationId: newNominationId,
      attachmentId: () => `a-${randomBytes(12).toString('hex')}`,
      objectionId: () => `o-${randomBytes(10).toString('hex')}`,
      planId: () => randomBytes(8).toString('hex'),
    }),
    webUrl: () => config().webUrl,
    rateLimiter: () => dynamoRateLimiter(documents(), config().tableName, () => w.clock.now()),
    gate: (): Gate => ({
      authenticate: (event: Pick<APIGatewayProxyEventV2, 'cookies'>): Promise<Actor> =>
        currentActor(w, cookieValue(event, SESSION_COOKIE)),
      campaignExists: (id: string) => w.campaigns.has(id),
      nominationScope: (id, request) => {
        const read = scopeReadsOf.get(request.route);
        return read ? scopeReads().scopeBy(id, read(id, request.actor)) : scopeReads().scope(id);
      },
      // Read per request, not when the handler takes the gate at import: they need the config.
      get rateLimiter() {
        return w.rateLimiter;
      },
      get siteOrigin() {
        return new URL(w.config.webUrl).origin;
      },
      fresh: (run) => scopeReads().request(() => w.campaigns.fresh(run)),
      get originProof() {
        return w.config.originProof;
      },
    }),
    ...Object.fromEntries(Object.entries(parts).map(([key, part]) => [key, () => part(w)])),
  });
  // Plain methods, not built on first use: they only note and look up, and the config waits.
  Object.assign(w, {
    readScopeWith: (route: string, read: (id: string, actor: Actor) => ScopeRead) => {
      scopeReadsOf.set(route, read);
    },
    takeHandedOn: (key: string) => scopeReads().take(key),
  });
  return w;
}
