import { CATEGORY_IDS, type CategoryId } from '../../../../functions/rules/categories.js';
import { type NominationStatus, RANKED_STATUSES } from '../../../../functions/rules/nomination-status.js';
import type { CampaignOverview } from '../../../../functions/rules/overview.js';

type Stats = NonNullable<CampaignOverview['stats']>;

/** Statuses that keep a category's selection from being confirmed: screening or reviews still open. */
const PENDING: readonly NominationStatus[] = ['submitted', 'returned', 'in-review'];

const countOf = (
  byStatus: Partial<Record<NominationStatus, number>>,
  statuses: readonly NominationStatus[],
) => statuses.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);

/**
 * What the ranking page needs to know of each category, from the overview's aggregate (never from
 * the nominations): how many are on its ranking, how many await the selection, how many still
 * wait for screening or reviews. In the campaign's order of categories; only those with any.
 */
export function rankingCategories(stats: Stats | null | undefined) {
  const byCategory = new Map((stats?.byCategory ?? []).map((c) => [c.category, c.byStatus]));
  return CATEGORY_IDS.flatMap((category) => {
    const byStatus = byCategory.get(category);
    if (!byStatus) return [];
    const ranked = countOf(byStatus, RANKED_STATUSES);
    const awaiting = byStatus.scored ?? 0;
    const pending = countOf(byStatus, PENDING);
    return ranked + pending > 0 ? [{ category, ranked, awaiting, pending }] : [];
  });
}

export type RankingCategory = ReturnType<typeof rankingCategories>[number];

/** The category the page shows: the one asked for when it has a ranking, else the first that has. */
export function chosenCategory(
  categories: readonly RankingCategory[],
  asked: string | undefined,
): CategoryId | undefined {
  const ranked = categories.filter((c) => c.ranked > 0);
  return (ranked.find((c) => c.category === asked) ?? ranked[0])?.category;
}

/**
 * Which rows of the whole list a page shows, as people count them (from 1): page `number` of
 * `size` rows holding `shown` of them. Undefined for an empty page.
 */
export function pageRange(number: number, shown: number, size: number) {
  if (shown === 0) return undefined;
  const from = (number - 1) * size + 1;
  return { from, to: from + shown - 1 };
}
