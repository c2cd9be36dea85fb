import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { RateLimiter } from '../ports/rate-limits.js';
import { allRoutes, FUNCTIONS, type FunctionSpec, functionSpec, type RouteSpec } from '../routes.js';
import { type Actor, assertInScope, type ScopeTarget } from '../rules/access.js';
import { DomainError } from '../rules/errors.js';
import { notFound } from '../rules/nomination.js';
import { nominationOfExecution } from '../use-cases/operations.js';
import { httpHandler } from './http.js';

/**
 * Dispatch by route key, after the route's access check. Every API handler is one map from the
 * route keys the table (functions/routes.ts) gives its function to the code that serves each, so
 * a route has exactly one body and no handler has a default branch: a route key the map lacks
 * cannot reach it (the map must match the table when the function loads).
 */

export interface ApiRequest {
  /** The request as API Gateway delivers it, its body already parsed (see `body`). */
  event: Omit<APIGatewayProxyEventV2, 'body'>;
  /** The signed-in person; checked against the route's roles and scope before the handler runs. */
  actor: Actor;
  /** Path parameters ({id}, {campaignId}…), empty strings never. */
  params: Readonly<Record<string, string>>;
  /** The parsed JSON body; undefined when the request has none, `{}` if the route's body is all optional. */
  body: unknown;
  query: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: ApiRequest) => Promise<APIGatewayProxyResultV2>;

/**
 * The shape of every id in a path: campaign ids, nomination, attachment, objection and job ids,
 * execution names. Letters, digits, '-', '_' and '.', at most 80 characters (an execution name
 * is at most 80 in Step Functions; DynamoDB keys take far more).
 */
const PATH_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
export const isPathId = (value: string): boolean => PATH_ID.test(value);

/** What the access check needs from the outside world, given by the function's composition root. */
export interface Gate {
  /** The signed-in person behind a request; throws a 401 without a valid session. */
  authenticate(event: Pick<APIGatewayProxyEventV2, 'cookies'>): Promise<Actor>;
  /** Whether a campaign exists, so that one nobody runs is a 404 rather than another's 403. */
  campaignExists?(id: string): boolean;
  /** Counts requests of rate-limited routes per client address. */
  rateLimiter?: RateLimiter;
  /**
   * The campaign and unit of a nomination, for routes scoped to one (undefined: no such nomination);
   * told the route and the person, for a route whose use case's reads are made with it.
   */
  nominationScope?(id: string, request: { route: string; actor: Actor }): Promise<ScopeTarget | undefined>;
  /** The site's origin (`https://host`): signed-in requests that change state must come from it. */
  siteOrigin?: string;
  /**
   * Runs the request with the rounds read fresh from the catalog (functions/wiring/live-campaigns.ts)
   * and the nomination its route check read handed to its first read (functions/wiring/scope-read.ts).
   */
  fresh?<T>(run: () => Promise<T>): Promise<T>;
  /**
   * The secret CloudFront adds to every request it sends the API (ORIGIN_PROOF_HEADER): a request
   * without it came straight to the API's own endpoint, past the edge.
   */
  originProof?: string;
}

/**
 * The header CloudFront's /api/* origin adds with the stack's origin-proof secret (and the local
 * gateway, which stands where CloudFront does). A viewer's own header of that name never reaches
 * the API through CloudFront: the origin request policy forwards only API_REQUEST_HEADERS.
 */
export const ORIGIN_PROOF_HEADER = 'x-laurel-origin-proof';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * HTTP APIs have no resource policy, and their execute-api endpoint can be switched off only behind
 * a custom domain of API Gateway's own; so each function answers only requests CloudFront sent:
 * those carrying the origin proof. A request straight to the execute-api endpoint would skip the
 * web ACL and could name its own CloudFront-Viewer-Address. Compared in constant time.
 */
export function assertThroughSite(
  event: Pick<APIGatewayProxyEventV2, 'headers'>,
  originProof: string | undefined,
): void {
  if (originProof === undefined) return;
  const presented = event.headers?.[ORIGIN_PROOF_HEADER];
  if (presented !== undefined && timingSafeEqual(digest(presented), digest(originProof))) return;
  throw new DomainError({
    code: 'NOT_THROUGH_SITE',
    kind: 'forbidden',
    path: [],
    message: {
      zh: '请通过本系统的网址访问：接口只接受经由网站转来的请求',
      en: "Use the site's address: the API answers only requests that came through the site",
    },
  });
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request that changes state with the session cookie must come from the site's own pages.
 * SameSite=Lax already keeps the cookie off other sites' posts; this is the second lock, as
 * OWASP advises: browsers send `Origin` with every POST, PUT, PATCH and DELETE, and
 * `Sec-Fetch-Site` says where a request without one came from. Clients other than browsers
 * (scripts, tests) send neither and carry no one else's cookie.
 */
export function assertSameOrigin(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'routeKey'>,
  siteOrigin: string | undefined,
): void {
  const method = event.routeKey.split(' ')[0] ?? '';
  if (siteOrigin === undefined || !STATE_CHANGING.has(method)) return;
  const origin = event.headers?.origin;
  const fetchSite = event.headers?.['sec-fetch-site'];
  const foreign =
    origin !== undefined ? origin !== siteOrigin : fetchSite === 'cross-site' || fetchSite === 'same-site';
  if (foreign) {
    throw new DomainError({
      code: 'ORIGIN_REFUSED',
      kind: 'forbidden',
      path: [],
      message: {
        zh: '此请求来自其他网站，已拒绝；请在本系统的页面中操作',
        en: "This request came from another site and was refused; use this system's own pages",
      },
    });
  }
}

/** A route map: one handler per route key of the function in the table. */
export type RouteMap = Readonly<Record<string, RouteHandler>>;

/** What a route's scope is checked against: nothing, the campaign in the path, or a nomination's. */
async function scopeTarget(
  route: RouteSpec,
  params: Readonly<Record<string, string>>,
  gate: Gate,
  actor: Actor,
): Promise<ScopeTarget | undefined> {
  if (
    route.access === 'public' ||
    route.access.scope === 'signed-in' ||
    route.access.scope === 'nomination-by-condition'
  )
    return undefined;
  if (route.access.scope === 'campaign') {
    const campaignId = params.campaignId ?? '';
    if (gate.campaignExists && !gate.campaignExists(campaignId))
      throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
    return { campaignId };
  }
  const id =
    route.access.scope === 'execution' ? nominationOfExecution(params.name ?? '') : (params.id ?? '');
  if (!gate.nominationScope) throw new Error(`${route.route} needs a nomination scope resolver`);
  const target = await gate.nominationScope(id, { route: route.route, actor });
  if (!target) {
    throw route.access.scope === 'execution'
      ? notFound({ zh: '流程', en: 'execution' }, params.name ?? '')
      : notFound({ zh: '推荐', en: 'nomination' }, id);
  }
  return target;
}

/**
 * The Lambda handler of one function of the table: the HTTP stack (lib/http.ts), the access check
 * of the matched route, then its entry of `handlers`. Throws when the function loads if the map
 * and the table disagree, so a route added to one and not the other fails at once, not silently.
 */
export function apiFunction(
  name: string,
  handlers: RouteMap,
  gate: Gate,
  table: readonly FunctionSpec[] = FUNCTIONS,
) {
  const spec = functionSpec(name, table);
  const routes = new Map(spec.routes.map((route) => [route.route as string, route]));
  const missing = [...routes.keys()].filter((key) => !(key in handlers));
  const extra = Object.keys(handlers).filter((key) => !routes.has(key));
  if (missing.length + extra.length > 0) {
    throw new Error(
      `${name}: the route map and the route table disagree (not served: ${missing.join(', ') || '—'}; not in the table: ${extra.join(', ') || '—'})`,
    );
  }
  const serveRequest = async (event: Omit<APIGatewayProxyEventV2, 'body'> & { body: unknown }) => {
    // First of all: a request past the edge is answered nothing else, not even whether a route exists.
    assertThroughSite(event, gate.originProof);
    const route = routes.get(event.routeKey);
    const serve = handlers[event.routeKey];
    if (!route || !serve) throw notFound({ zh: '接口', en: 'route' }, event.routeKey);
    const params = (event.pathParameters ?? {}) as Record<string, string>;
    // Before any store or workflow call: an id no Laurel id can be (5,000 characters, a path, a
    // control character) names nothing, and DynamoDB or Step Functions would refuse it as a fault.
    for (const value of Object.values(params)) {
      if (!isPathId(value)) throw notFound({ zh: '对象', en: 'such item' }, value);
    }
    const base = {
      event,
      params,
      // A route whose body fields are all optional takes a request without a body as `{}` (e.g. a
      // selection of every category); a JSON `null` is a body, and its schema refuses it (400).
      body: event.body === undefined && route.bodyOptional ? {} : event.body,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
    };
    if (route.rateLimit && gate.rateLimiter) await assertWithinRate(gate.rateLimiter, route, event);
    if (route.access === 'public') {
      // Nobody is signed in on a public route: reading `actor` there is a bug, and says so.
      return serve({
        ...base,
        get actor(): Actor {
          throw new Error(`${route.route} is public: it has no actor`);
        },
      });
    }
    assertSameOrigin(event, gate.siteOrigin);
    const actor = await gate.authenticate(event);
    assertInScope(actor, route.access, await scopeTarget(route, params, gate, actor));
    return serve({ ...base, actor });
  };
  return httpHandler<unknown>(
    (event) => (gate.fresh ? gate.fresh(() => serveRequest(event)) : serveRequest(event)),
    { body: 'json' },
  );
}

/** The header CloudFront sets to the viewer's address and port; only CloudFront's is trusted. */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/**
 * The request headers the handlers read, besides cookies (content-type for the JSON parser). The
 * CloudFront behaviour of /api/* passes these and CloudFront's own viewer address, no others
 * (infra/stacks/web.ts); a unit test (api-headers) checks the handlers read no other.
 */
export const API_REQUEST_HEADERS = [
  'content-type',
  'origin',
  'sec-fetch-site',
  'x-laurel-review-link',
  'user-agent',
  // RFC 7240: the record-attachment route answers only the file's record when asked
  // (prefersMinimal in handlers/attachments.ts).
  'prefer',
] as const;

/**
 * The client's address: CloudFront's CloudFront-Viewer-Address (which CloudFront sets itself,
 * port included) when the request came through it, else the address that connected to the API.
 */
export function clientAddress(event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>): string {
  const viewer = event.headers?.[VIEWER_ADDRESS_HEADER];
  if (viewer) return viewer.replace(/:\d+$/, '');
  return event.requestContext?.http?.sourceIp ?? 'unknown';
}

async function assertWithinRate(
  limiter: RateLimiter,
  route: RouteSpec,
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>,
): Promise<void> {
  const limit = route.rateLimit as NonNullable<RouteSpec['rateLimit']>;
  // The address is kept only as a digest, for the window's minutes.
  const client = createHash('sha256').update(clientAddress(event)).digest('hex').slice(0, 32);
  const { allowed, retryAfterSeconds } = await limiter.take(`${route.route}#${client}`, limit);
  if (allowed) return;
  const minutes = Math.ceil(retryAfterSeconds / 60);
  throw new DomainError({
    code: 'TOO_MANY_REQUESTS',
    kind: 'too-many',
    message: {
      zh: `提交过于频繁：同一网络地址 ${limit.windowSeconds / 60} 分钟内最多提交 ${limit.requests} 次，请约 ${minutes} 分钟后再试`,
      en: `Too many requests: at most ${limit.requests} from one address in ${limit.windowSeconds / 60} minutes; try again in about ${minutes} minute(s)`,
    },
    details: { retryAfterSeconds, limit },
  });
}

/** The methods a path is served with, for a 405's `Allow` header. */
export function allowedMethods(path: string, table: readonly FunctionSpec[] = FUNCTIONS): string[] {
  return allRoutes(table)
    .map(({ route }) => route.route.split(' '))
    .filter(([, routePath]) => routePath === path)
    .map(([method]) => method ?? '')
    .sort();
}

/** Every distinct path of the table (API Gateway `ANY` routes are added on each, for the 405). */
export const tablePaths = (table: readonly FunctionSpec[] = FUNCTIONS) => [
  ...new Set(allRoutes(table).map(({ route }) => route.route.split(' ')[1] ?? '')),
];

/** The gate of a function whose routes are all public: nobody is ever authenticated there. */
export const publicOnly = (originProof: () => string | undefined): Gate => ({
  authenticate: () => Promise.reject(new Error('this function serves public routes only')),
  // Read on the first request, not when the handler takes the gate at import (zod's first use).
  get originProof() {
    return originProof();
  },
});
