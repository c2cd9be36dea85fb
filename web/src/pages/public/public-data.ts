import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from '../../../../functions/rules/categories.js';
import { ApiError, get } from '../../api.js';
import { campaignById } from '../../campaigns.js';
import type { Bilingual } from '../../i18n.js';

/** One nomination on a public list, as published under /published/{campaignId}/…: nothing personal. */
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

/** The campaign's name as the API serves it (undefined while the rounds load or for an unknown id). */
export function campaignName(campaignId: string): Bilingual | undefined {
  return campaignById(campaignId)?.name;
}

/**
 * A public list as the campaign's functions published it: a static file served and cached by
 * CloudFront (no API call, no table read). Until it is published the file does not exist (the
 * bucket answers 403), which the page shows as an empty list without a period.
 */
export async function publishedList(
  campaignId: string,
  kind: 'publicity' | 'released',
  signal: AbortSignal,
  /** The secretariat, acting on the list, revalidates the browser's copy instead of reading it for a minute. */
  fresh = false,
): Promise<PublicList> {
  try {
    return await get<PublicList>(`/published/${encodeURIComponent(campaignId)}/${kind}.json`, {
      signal,
      ...(fresh ? { cache: 'no-cache' as const } : {}),
    });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404))
      return { state: { campaignId }, entries: [] };
    throw error;
  }
}
