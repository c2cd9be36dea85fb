import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as notFound } from '../../functions/handlers/not-found.js';
import { allowedMethods, apiFunction, type Gate, type RouteMap } from '../../functions/lib/api.js';
import { openApiDocument } from '../../functions/lib/api-spec.js';
import { allRoutes, FUNCTIONS, type FunctionSpec, type RouteSpec } from '../../functions/routes.js';
import { type Actor, actorFromSession, ROLES, type Role } from '../../functions/rules/access.js';

/**
 * The route table is the one source of who may call what. These tests are generated from it: for
 * every operation, every role it does not allow, and every allowed role outside its scope (another
 * campaign, another unit), is refused with 403 before any handler code runs; every allowed role in
 * scope reaches the handler; and the OpenAPI document states exactly the enforced roles.
 */

const CAMPAIGN = 'cacs-2024';
const OTHER_CAMPAIGN = 'cast-2024';
const OWNER = 'unit-a';

const actor = (role: Role, campaignId = CAMPAIGN, subjectId = role === 'unit' ? OWNER : role): Actor => ({
  role,
  campaignId,
  subjectId,
  name: subjectId,
  email: `${subjectId}@example.cn`,
});

/** Every route's path parameters, filled so that its target is the owner's nomination in CAMPAIGN. */
const pathOf = (route: RouteSpec) => {
  const [method = 'GET', template = '/'] = route.route.split(' ');
  const params: Record<string, string> = {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params[name] =
      name === 'campaignId' ? CAMPAIGN : name === 'id' || name === 'name' ? 'n-owned0000001' : 'x1';
    return params[name] ?? '';
  });
  return { method, path, params };
};

function eventFor(route: RouteSpec, who: Actor | undefined): APIGatewayProxyEventV2 {
  const { method, path, params } = pathOf(route);
  return {
    version: '2.0',
    routeKey: route.route,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    ...(who ? { cookies: [`laurel_session=${JSON.stringify(who)}`] } : {}),
    pathParameters: params,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      routeKey: route.route,
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

/** The session is the actor itself here; a nomination of OWNER in CAMPAIGN is the only one. */
const gate: Gate = {
  authenticate: async (event) => {
    const cookie = event.cookies?.[0];
    if (!cookie) return actorFromSession(undefined, new Date(0)); // the real refusal: 401 NOT_SIGNED_IN
    return JSON.parse(cookie.slice('laurel_session='.length)) as Actor;
  },
  nominationScope: async (id) =>
    id === 'n-owned0000001' ? { campaignId: CAMPAIGN, unitId: OWNER } : undefined,
};

const REACHED = 299;

/** Each function of the table served by stubs that answer REACHED: the check alone decides. */
const stubbed = (table: readonly FunctionSpec[]) =>
  new Map(
    table
      .filter((fn) => fn.routes.length > 0)
      .map((fn) => {
        const handlers: RouteMap = Object.fromEntries(
          fn.routes.map((r) => [r.route, async () => ({ statusCode: REACHED, body: '' })]),
        );
        return [fn.name, apiFunction(fn.name, handlers, gate, table)] as const;
      }),
  );

const context = { getRemainingTimeInMillis: () => 10_000 } as Context;
const functions = stubbed(FUNCTIONS);

async function call(fn: string, route: RouteSpec, who: Actor | undefined) {
  const handler = functions.get(fn);
  if (!handler) throw new Error(`no handler for ${fn}`);
  return (await handler(eventFor(route, who), context)) as APIGatewayProxyStructuredResultV2;
}

/**
 * The actors who are outside an allowed role's scope for a route: another campaign, another unit.
 * A route whose write checks its scope ('nomination-by-condition') lets them reach its code, which
 * refuses them with the same 403 (test/integration/route-access.test.ts, through the real handler).
 */
function outOfScope(route: RouteSpec, role: Role): Actor[] {
  if (
    route.access === 'public' ||
    route.access.scope === 'signed-in' ||
    route.access.scope === 'nomination-by-condition'
  )
    return [];
  const others = [actor(role, OTHER_CAMPAIGN)];
  if (role === 'unit' && route.access.scope === 'nomination') others.push(actor('unit', CAMPAIGN, 'unit-b'));
  return others;
}

const guarded = allRoutes().filter(({ route }) => route.access !== 'public');

describe('the route table', () => {
  it('has operations to check, public and guarded', () => {
    expect(guarded.length).toBeGreaterThan(25);
    expect(allRoutes().length).toBeGreaterThan(guarded.length);
  });

  describe.each(guarded.map(({ fn, route }) => [route.route, fn.name, route] as const))(
    '%s',
    (_key, fn, route) => {
      const access = route.access as Exclude<RouteSpec['access'], 'public'>;
      const refused = ROLES.filter((r) => !access.roles.includes(r));

      it('answers 401 without a session', async () => {
        expect((await call(fn, route, undefined)).statusCode).toBe(401);
      });

      it.each(refused.map((r) => [r]))('refuses a %s with 403, before any handler code', async (role) => {
        const answer = await call(fn, route, actor(role));
        expect(answer.statusCode).toBe(403);
        expect(JSON.parse(answer.body ?? '{}').error.code).toBe('FORBIDDEN');
      });

      it.each(access.roles.map((r) => [r]))('lets a %s in scope through', async (role) => {
        expect((await call(fn, route, actor(role))).statusCode).toBe(REACHED);
      });

      it.each(
        access.roles.flatMap((r) =>
          outOfScope(route, r).map((a) => [`${a.role} of ${a.campaignId} (${a.subjectId})`, a] as const),
        ),
      )('refuses a %s outside its scope with 403', async (_who, outsider) => {
        const answer = await call(fn, route, outsider);
        expect(answer.statusCode).toBe(403);
      });
    },
  );

  it('reads nothing before a route whose write checks its scope, and still refuses the roles it does not let in', async () => {
    const checkedByWrite = guarded.filter(
      ({ route }) => route.access !== 'public' && route.access.scope === 'nomination-by-condition',
    );
    expect(checkedByWrite.map(({ route }) => route.route)).toEqual([
      'POST /api/nominations/{id}/attachments',
    ]);
    const reads: string[] = [];
    const reading = new Map(
      checkedByWrite.map(({ fn, route }) => [
        route.route,
        apiFunction(
          fn.name,
          Object.fromEntries(
            (FUNCTIONS.find((f) => f.name === fn.name)?.routes ?? []).map((r) => [
              r.route,
              async () => ({ statusCode: REACHED, body: '' }),
            ]),
          ),
          {
            ...gate,
            nominationScope: async (id, request) => {
              reads.push(id);
              return gate.nominationScope?.(id, request);
            },
          },
        ),
      ]),
    );
    for (const { route } of checkedByWrite) {
      const handler = reading.get(route.route);
      const answer = (await handler?.(eventFor(route, actor('unit', CAMPAIGN, 'unit-b')), context)) as
        | APIGatewayProxyStructuredResultV2
        | undefined;
      expect(answer?.statusCode).toBe(REACHED);
      const refused = (await handler?.(eventFor(route, actor('secretariat')), context)) as
        | APIGatewayProxyStructuredResultV2
        | undefined;
      expect(refused?.statusCode).toBe(403);
    }
    expect(reads).toEqual([]);
  });

  it('states in the OpenAPI exactly the roles it enforces', async () => {
    const paths = (await openApiDocument()).paths as Record<string, Record<string, Record<string, unknown>>>;
    for (const { fn, route } of allRoutes()) {
      const [method = '', path = ''] = route.route.split(' ');
      const operation = paths[path]?.[method.toLowerCase()];
      const enforced: Role[] = [];
      for (const role of ROLES) {
        if ((await call(fn.name, route, actor(role))).statusCode === REACHED) enforced.push(role);
      }
      const documented = operation?.['x-laurel-access'];
      if (route.access === 'public') {
        expect(documented, route.route).toBe('public');
        expect(operation?.security, route.route).toEqual([]);
        expect(enforced, route.route).toEqual([...ROLES]);
      } else {
        expect((documented as { roles: Role[] }).roles.toSorted(), route.route).toEqual(enforced.toSorted());
        for (const role of enforced)
          expect(String(operation?.description), route.route).toContain(`${role} (`);
      }
    }
  });

  it('refuses to load a function whose route map and table disagree', () => {
    const nominations = FUNCTIONS.find((f) => f.name === 'nominations');
    if (!nominations) throw new Error('no nominations function');
    const partial = Object.fromEntries(
      nominations.routes.slice(1).map((r) => [r.route, async () => ({ statusCode: 200 })]),
    );
    expect(() => apiFunction('nominations', partial, gate)).toThrow(/not served: POST \/api\/nominations/);
    expect(() =>
      apiFunction(
        'nominations',
        { ...partial, 'POST /api/nominations': async () => ({}), 'PATCH /api/x': async () => ({}) },
        gate,
      ),
    ).toThrow(/not in the table: PATCH \/api\/x/);
  });
});

describe('a route added to a copy of the table', () => {
  const added: RouteSpec = {
    route: 'PATCH /api/nominations/{id}/label',
    summary: { zh: '给推荐加标签', en: 'Label a nomination' },
    access: { roles: ['secretariat'], scope: 'nomination' },
    success: { status: 200, description: { zh: '已加标签', en: 'Labelled' } },
  };
  const copy: FunctionSpec[] = FUNCTIONS.map((fn) =>
    fn.name === 'screening' ? { ...fn, routes: [...fn.routes, added] } : fn,
  );

  it('is in the OpenAPI document with its roles', async () => {
    const paths = (await openApiDocument('/', copy)).paths as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(paths['/api/nominations/{id}/label']?.patch?.['x-laurel-access']).toEqual(added.access);
    expect((await openApiDocument()).paths).not.toHaveProperty('/api/nominations/{id}/label');
  });

  it('is dispatched to its entry of the route map, behind its access check', async () => {
    const served: string[] = [];
    const screening = copy.find((f) => f.name === 'screening') as FunctionSpec;
    const handler = apiFunction(
      'screening',
      Object.fromEntries(
        screening.routes.map((r) => [
          r.route,
          async () => {
            served.push(r.route);
            return { statusCode: 200, body: '' };
          },
        ]),
      ),
      gate,
      copy,
    );
    const answer = (await handler(
      eventFor(added, actor('secretariat')),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(200);
    expect(served).toEqual([added.route]);
    const refused = (await handler(
      eventFor(added, actor('unit')),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(refused.statusCode).toBe(403);
    expect(allowedMethods('/api/nominations/{id}/label', copy)).toEqual(['PATCH']);
  });
});

/** Every route with its body schema (the table names them; their module is imported by the reader). */
const routeSchemas = await import('../../functions/route-schemas.js');
const withBodies = allRoutes().map((entry) => ({ ...entry, body: entry.route.body?.(routeSchemas) }));

describe('a body whose fields are all optional', () => {
  const optional = withBodies.filter(({ body }) => body?.safeParse({}).success);
  const required = withBodies.filter(({ body }) => body && !body.safeParse({}).success);

  /** What the route's handler is given for a request of `body` (a JSON text, or none). */
  async function bodyGiven(fn: FunctionSpec, route: RouteSpec, body: string | undefined) {
    let given: unknown = 'not reached';
    const handler = apiFunction(
      fn.name,
      Object.fromEntries(
        fn.routes.map((r) => [
          r.route,
          async (request: { body: unknown }) => {
            given = request.body;
            return { statusCode: 200, body: '' };
          },
        ]),
      ),
      gate,
    );
    const allowed = route.access === 'public' ? undefined : actor(route.access.roles[0] as Role);
    const event = eventFor(route, allowed);
    await handler(
      {
        ...event,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      },
      context,
    );
    return given;
  }

  it('is given as {} when the request has none, while a JSON null stays a body for the schema to refuse', async () => {
    expect(optional.map(({ route }) => route.route).sort()).toEqual([
      'POST /api/campaigns/{campaignId}/package',
      'POST /api/campaigns/{campaignId}/selection',
    ]);
    // The table says so itself (a function does not load its route schemas), of exactly these routes.
    expect(
      withBodies
        .filter(({ route }) => route.bodyOptional)
        .map(({ route }) => route.route)
        .sort(),
    ).toEqual(optional.map(({ route }) => route.route).sort());
    for (const { fn, route, body } of optional) {
      expect(await bodyGiven(fn, route, undefined), route.route).toEqual({});
      expect(await bodyGiven(fn, route, 'null'), route.route).toBeNull();
      expect(body?.safeParse(null).success, route.route).toBe(false);
    }
  });

  it('stays absent where the body has a required field, for the schema to name it', async () => {
    const [{ fn, route }] = required as [(typeof required)[number]];
    expect(await bodyGiven(fn, route, undefined)).toBeUndefined();
  });
});

describe('what no route serves', () => {
  const event = (routeKey: string, method: string, path: string) =>
    ({
      version: '2.0',
      routeKey,
      rawPath: path,
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' } },
    }) as unknown as APIGatewayProxyEventV2;

  it('answers a method a path lacks with 405 and Allow, in the error envelope', async () => {
    const answer = (await notFound(
      event('ANY /api/nominations/{id}', 'PATCH', '/api/nominations/n-1'),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(405);
    expect(answer.headers?.allow).toBe('GET');
    expect(JSON.parse(answer.body ?? '').error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', path: [] });
  });

  it('answers an unknown path with 404 in the error envelope', async () => {
    const answer = (await notFound(
      event('$default', 'GET', '/api/nope'),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body ?? '').error.code).toBe('NOT_FOUND');
  });
});
