import type { CampaignCatalog, CampaignVersion } from '../ports/campaign-catalog.js';
import type { Clock } from '../ports/system.js';
import type { Campaign } from '../rules/campaign.js';

/**
 * The rounds as stored (functions/ports/campaign-catalog.ts): seeding the built-in ones, and
 * reading them for operators.
 */

export interface CatalogDeps {
  catalog: CampaignCatalog;
  clock: Clock;
}

const SYSTEM = { role: 'system' as const, subjectId: 'seed', name: 'Laurel' };

/**
 * Stores each of `rounds` as its version 1 unless the catalog holds it already: run at every
 * local start and once per AWS stage after deploying (`npm run campaign -- seed`); running it
 * again changes nothing, and never overwrites a round corrected since.
 */
export async function seedRounds(
  deps: CatalogDeps,
  rounds: Iterable<Campaign>,
): Promise<{ seeded: string[]; present: string[] }> {
  const stored = new Set((await deps.catalog.current()).map((v) => v.campaign.id));
  const seeded: string[] = [];
  const present: string[] = [];
  for (const campaign of rounds) {
    if (stored.has(campaign.id)) {
      present.push(campaign.id);
      continue;
    }
    const entry: CampaignVersion = {
      campaign,
      version: 1,
      savedAt: deps.clock.now().toISOString(),
      savedBy: SYSTEM,
      note: 'Built-in round, seeded',
      changed: [],
    };
    ((await deps.catalog.save(entry)) ? seeded : present).push(campaign.id);
  }
  return { seeded, present };
}
