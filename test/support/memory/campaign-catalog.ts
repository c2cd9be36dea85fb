import type { CampaignCatalog, CampaignVersion } from '../../../functions/ports/campaign-catalog.js';
import type { Campaign } from '../../../functions/rules/campaign.js';
import { copy } from './aws-errors.js';

/**
 * The catalog of functions/adapters/campaign-catalog.ts, in memory: every version kept, the
 * current one saved only over the version before it (false otherwise, as the transaction's
 * condition refuses), deep copies in and out.
 */
export function memoryCampaignCatalog(seed: Iterable<Campaign> = []): CampaignCatalog {
  const versions = new Map<string, CampaignVersion[]>();
  for (const campaign of seed) {
    versions.set(campaign.id, [
      {
        campaign: copy(campaign),
        version: 1,
        savedAt: '2025-01-01T00:00:00.000Z',
        savedBy: { role: 'system', subjectId: 'seed', name: 'Laurel' },
        note: 'seeded',
        changed: [],
      },
    ]);
  }
  return {
    current: async () => [...versions.values()].map((list) => copy(list[list.length - 1] as CampaignVersion)),
    versions: async (id) => copy(versions.get(id) ?? []),
    async save(entry) {
      const list = versions.get(entry.campaign.id) ?? [];
      if (list.length !== entry.version - 1) return false;
      versions.set(entry.campaign.id, [...list, copy(entry)]);
      return true;
    },
  };
}
