import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/**
 * What a cold start pays for zod (the cost issue: a function's import ≤ 3 × a bare `node`): the
 * schemas a function's handler builds while it is imported. Every function bundles the rules, so
 * a schema built at a module's top level is built by every cold start of every function that
 * bundles that module. Every schema is built on first use (rules/built-on-first-use.ts), the
 * environment's too (read on the first request: wiring/compose.ts), so that an import runs no zod
 * at all: the first schema built compiles zod's own code, tens of milliseconds of a cold start.
 * Importing a handler built 239–478 schemas once, 36–157 before the last of them moved, none now.
 * Counted, not timed: every zod schema built from the usual builders.
 */
const built = vi.hoisted(() => ({ schemas: 0 }));
vi.mock('zod', async (importOriginal) => {
  const { countingZod } = await import('../support/counting-zod.js');
  return countingZod(await importOriginal<typeof import('zod')>(), built);
});

const ROOT = join(import.meta.dirname, '../..');

/** Schemas built while importing `entry` in a fresh module graph. */
async function schemasBuiltImporting(entry: string): Promise<number> {
  vi.resetModules();
  built.schemas = 0;
  await import(join(ROOT, entry));
  return built.schemas;
}

describe("importing a function's handler", () => {
  it('builds no schema in any function', async () => {
    const { FUNCTIONS } = await import('../../functions/routes.js');
    const building: string[] = [];
    for (const spec of FUNCTIONS) {
      const schemas = await schemasBuiltImporting(spec.entry);
      if (schemas > 0) building.push(`${spec.name} ${schemas}`);
    }
    expect(building).toEqual([]);
  }, 300_000); // a fresh module graph per function: tens of seconds on a busy machine

  it("builds the environment's schema when the first request reads the config", async () => {
    await schemasBuiltImporting('functions/handlers/sessions.ts');
    const { wiring } = await import('../../functions/wiring/compose.js');
    const deps = wiring({}, undefined);
    expect(built.schemas).toBe(0);
    expect(deps.config.tableName).toBeTruthy();
    const withConfig = built.schemas;
    expect(withConfig).toBeGreaterThan(10); // the count sees zod
    expect(deps.config).toBe(deps.config); // read once, then kept
    expect(built.schemas).toBe(withConfig);
  });

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
