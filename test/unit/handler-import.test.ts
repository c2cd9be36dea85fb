import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * What a cold start pays for zod (the cost issue: a function's import ≤ 3 × a bare `node`): the
 * schemas a function's handler builds while it is imported. Every function bundles the rules, so
 * a schema built at a module's top level is built by every cold start of every function that
 * bundles that module. The four forms and the campaign definition are built on first use
 * (rules/built-on-first-use.ts), and the views' response schemas only by the OpenAPI document
 * (rules/nomination-view-schemas.ts, rules/overview-schema.ts, rules/round-view-schemas.ts):
 * importing a handler built 239–478 of them before, 36–142 now. Counted, not timed: every zod schema built from the usual builders.
 */
const built = vi.hoisted(() => ({ schemas: 0 }));
vi.mock('zod', async (importOriginal) => {
  const { countingZod } = await import('../support/counting-zod.js');
  return countingZod(await importOriginal<typeof import('zod')>(), built);
});

/**
 * Schemas a handler may build at import: its config, its requests' bodies, small rule tables. The
 * most now is personal-requests' 142; forwarding-package built 175 and secretariat 170 before the
 * campaign steps' requests and job view, the package's request and answer, the access records and
 * the expert panel (a response the OpenAPI document alone reads) were built on first use.
 */
const IMPORT_BUDGET = 142;

/**
 * The functions over the cost issue's 3 × bare node at the last bench, held to what they build now
 * (exact counts, not timings): a schema moved back to their import fails here.
 */
const HANDLER_BUDGETS: Record<string, number> = {
  'campaign-steps': 116, // 141 before
  reviews: 123, // 137 before
  'forwarding-package': 126, // 175 before
};

const ROOT = join(import.meta.dirname, '../..');

/** Schemas built while importing `entry` in a fresh module graph. */
async function schemasBuiltImporting(entry: string): Promise<number> {
  vi.resetModules();
  built.schemas = 0;
  await import(join(ROOT, entry));
  return built.schemas;
}

describe("importing a function's handler", () => {
  it(`builds at most ${IMPORT_BUDGET} schemas in every function but the document functions`, async () => {
    const { FUNCTIONS } = await import('../../functions/routes.js');
    const { DOCUMENT_FUNCTIONS } = await import('../../infra/bundling.js');
    const over: string[] = [];
    for (const spec of FUNCTIONS.filter((f) => !(f.name in DOCUMENT_FUNCTIONS))) {
      const schemas = await schemasBuiltImporting(spec.entry);
      expect(schemas).toBeGreaterThan(0); // the count sees the handler's config at least
      if (schemas > (HANDLER_BUDGETS[spec.name] ?? IMPORT_BUDGET)) over.push(`${spec.name} ${schemas}`);
    }
    expect(over).toEqual([]);
  }, 300_000); // a fresh module graph per function: tens of seconds on a busy machine

  it('builds the forms and the campaign definition only when a request asks for them', async () => {
    const atImport = await schemasBuiltImporting('functions/handlers/nominations.ts');
    const { FORMS } = await import('../../functions/rules/forms/index.js');
    const { campaignSchema } = await import('../../functions/rules/campaign.js');
    expect(built.schemas).toBe(atImport);

    const form = FORMS.volunteer.schema;
    const withForm = built.schemas;
    expect(withForm).toBeGreaterThan(atImport + 10);
    expect(FORMS.volunteer.schema).toBe(form); // built once, then kept
    expect(form.safeParse({}).success).toBe(false);

    const campaign = campaignSchema();
    expect(built.schemas).toBeGreaterThan(withForm + 30);
    expect(campaignSchema()).toBe(campaign);
  }, 60_000);
});
