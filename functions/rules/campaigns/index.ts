import { type Campaign, loadCampaigns } from '../campaign.js';
import cacs2024 from './cacs-2024.json' with { type: 'json' };
import cast2024 from './cast-2024.json' with { type: 'json' };

/**
 * The rounds Laurel ships with: CAST's national round 2024 and the China Arts & Crafts
 * Society's internal round, which forwards its best to CAST as a national society.
 */
export const BUILTIN_CAMPAIGN_DEFINITIONS: readonly unknown[] = [cast2024, cacs2024];

export const BUILTIN_CAMPAIGNS: ReadonlyMap<string, Campaign> = loadCampaigns(BUILTIN_CAMPAIGN_DEFINITIONS);

export function builtinCampaign(id: 'cast-2024' | 'cacs-2024'): Campaign {
  const campaign = BUILTIN_CAMPAIGNS.get(id);
  if (!campaign) throw new Error(`built-in campaign ${id} is missing`);
  return campaign;
}
