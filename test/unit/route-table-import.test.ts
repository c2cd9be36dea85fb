import { describe, expect, it, vi } from 'vitest';

/**
 * What a cold start pays for the route table, which every function bundles (the cost issue: a
 * function's import ≤ 3 × a bare `node`): importing it builds no zod schema. The table names each
 * route's schemas by name, taken from their module by whoever reads them, so a function builds only
 * the schemas of the code it runs — not the forms, views and job answers of every other function.
 * Counted, not timed: every zod schema built in this file's module graph from the usual builders.
 */
const built = vi.hoisted(() => ({ schemas: 0 }));
vi.mock('zod', async (importOriginal) => {
  const { countingZod } = await import('../support/counting-zod.js');
  return countingZod(await importOriginal<typeof import('zod')>(), built);
});

describe('importing the route table', () => {
  it("builds no schema until a route's schema is asked for", async () => {
    const { FUNCTIONS, allRoutes, functionSpec } = await import('../../functions/routes.js');
    expect(FUNCTIONS.length).toBeGreaterThan(0);
    expect(allRoutes().filter(({ route }) => route.body || route.response).length).toBeGreaterThan(40);
    expect(built.schemas).toBe(0);

    const signIn = functionSpec('sessions').routes.find((r) => r.route === 'POST /api/sessions');
    const schema = signIn?.body?.(await import('../../functions/route-schemas.js'));
    expect(schema?.safeParse({}).success).toBe(false);
    expect(built.schemas).toBeGreaterThan(0);
  }, 30_000); // the first import transforms the modules: seconds on a busy machine

  it('builds a job answer only when asked, with what the route adds to it', async () => {
    const { functionSpec } = await import('../../functions/routes.js');
    const release = functionSpec('campaign-steps').routes.find(
      (r) => r.route === 'POST /api/campaigns/{campaignId}/release',
    );
    const schema = release?.response?.(await import('../../functions/route-schemas.js'));
    expect(schema?.safeParse({ job: null, released: 3, categories: 4 }).success).toBe(true);
    expect(schema?.safeParse({ job: null, released: 'three', categories: 4 }).success).toBe(false);
  }, 30_000);
});
