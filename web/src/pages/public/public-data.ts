import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from '../../../../functions/rules/categories.js';
import { BUILTIN_CAMPAIGNS } from '../../campaigns.js';
import type { Bilingual } from '../../i18n.js';

/** One nomination on a public list: what GET /api/public/{campaignId}/… answers, nothing personal. */
export interface PublicEntry {
  nominationId: string;
  category: CategoryId;
  name: string;
  unitName: string;
  summary: string;
}

export interface PublicList {
  state: { campaignId: string; publicity?: { openedAt: string; closesAt: string }; releasedAt?: string };
  entries: PublicEntry[];
}

/** The entries grouped by category, in the notice's order; categories without entries left out. */
export function byCategory(
  entries: readonly PublicEntry[],
): { category: CategoryId; name: Bilingual; entries: PublicEntry[] }[] {
  return CATEGORY_IDS.map((category) => ({
    category,
    name: CATEGORY_NAMES[category],
    entries: entries
      .filter((e) => e.category === category)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
  })).filter((group) => group.entries.length > 0);
}

/** The campaign's name as this build knows it (the same data file the server loads). */
export function campaignName(campaignId: string): Bilingual | undefined {
  return BUILTIN_CAMPAIGNS.get(campaignId)?.name;
}
