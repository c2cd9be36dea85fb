import type { CategoryId } from './categories.js';
import type { Nomination } from './nomination.js';
import { type NominationStatus, RANKED_STATUSES } from './nomination-status.js';
import { listedName, nameSearchKey } from './nomination-view.js';
import type { SelectionOutcome } from './scoring.js';

/**
 * What a ranking page shows of a nomination besides its scores, kept on its row of the stored
 * ranking by the nomination store with every change past screening (in the same write as its
 * status), so a page of the ranking — searched by name or unit — reads no nomination.
 */
export interface RankingShown {
  name: string;
  /** The name folded for search by its start (`nameSearchKey`). */
  nameKey: string;
  unitId: string;
  unitName: string;
  /** The verdict once the selection was confirmed. */
  selection?: Nomination['selection'];
  score?: Pick<NonNullable<Nomination['score']>, 'meanTotal' | 'expertTotals' | 'recommendations'>;
}

/** What `RankingShown` is made of: the nomination's fields and its listed name. */
export type RankingShownSource = Pick<
  Nomination,
  'status' | 'unitId' | 'unitName' | 'selection' | 'score'
> & {
  name: string;
};

/**
 * What the ranking row keeps of the nomination: what is shown while the ranking places it; nothing
 * once it leaves the ranking (withdrawn), so no name stays behind where no page shows it.
 */
export const rankingShownOf = (n: Nomination): RankingShown | undefined =>
  rankingShownFrom({ ...n, name: listedName(n) });

export function rankingShownFrom(n: RankingShownSource): RankingShown | undefined {
  if (!RANKED_STATUSES.includes(n.status)) return undefined;
  return {
    name: n.name,
    nameKey: nameSearchKey(n.name),
    unitId: n.unitId,
    unitName: n.unitName,
    ...(n.selection ? { selection: n.selection } : {}),
    ...(n.score
      ? {
          score: {
            meanTotal: n.score.meanTotal,
            expertTotals: n.score.expertTotals,
            recommendations: n.score.recommendations,
          },
        }
      : {}),
  };
}

/** The name, unit and status a ranking line is read by. */
interface LineShown {
  name: string;
  unitName: string;
  status: NominationStatus;
}

/** A nomination decided at a confirmed selection: its verdict, scores, no panel statistics. */
export type ConfirmedLine = Pick<
  SelectionOutcome,
  | 'nominationId'
  | 'category'
  | 'rank'
  | 'selected'
  | 'message'
  | 'meanTotal'
  | 'expertTotals'
  | 'recommendations'
  | 'grassroots'
  | 'againstRanking'
> & { statistics: null };

/**
 * One line of a category's ranking page: the preview of a nomination awaiting selection, or the
 * confirmed verdict of one decided at it, with the name, unit and status people read it by.
 */
export type RankingLine =
  | (SelectionOutcome & LineShown & { confirmed: false })
  | (ConfirmedLine & LineShown & { confirmed: true });

/** A nomination of the ranking as its stored row gives it: status and what is shown. */
export interface RankedRow {
  nominationId: string;
  category: CategoryId;
  grassroots: boolean;
  status: NominationStatus;
  shown: RankingShown;
}

/** Narrows a ranking: names starting with `namePrefix` (folded by `nameSearchKey`), of one unit. */
export interface RankingSearch {
  namePrefix?: string | undefined;
  unitId?: string | undefined;
}

/**
 * The lines of a ranking in ranking order (then the higher mean first; those without a rank
 * last): the previews of the nominations awaiting selection and the confirmed verdicts of those
 * decided, narrowed to the search.
 */
export function rankingLines(
  previews: readonly SelectionOutcome[],
  rows: readonly RankedRow[],
  search: RankingSearch = {},
): RankingLine[] {
  const byId = new Map(rows.map((r) => [r.nominationId, r]));
  const previewed = new Set(previews.map((o) => o.nominationId));
  const wanted = (shown: RankingShown) =>
    (!search.unitId || shown.unitId === search.unitId) &&
    (!search.namePrefix || shown.nameKey.startsWith(search.namePrefix));
  const lines: RankingLine[] = [];
  for (const o of previews) {
    const row = byId.get(o.nominationId);
    if (!row || !wanted(row.shown)) continue;
    lines.push({
      ...o,
      name: row.shown.name,
      unitName: row.shown.unitName,
      status: row.status,
      confirmed: false,
    });
  }
  for (const row of rows) {
    const selection = row.shown.selection;
    if (previewed.has(row.nominationId) || !selection || !wanted(row.shown)) continue;
    lines.push({
      nominationId: row.nominationId,
      category: row.category,
      rank: selection.rank,
      selected: selection.selected,
      message: selection.message,
      ...(selection.againstRanking ? { againstRanking: selection.againstRanking } : {}),
      meanTotal: row.shown.score?.meanTotal ?? 0,
      expertTotals: row.shown.score?.expertTotals ?? [],
      recommendations: row.shown.score?.recommendations ?? 0,
      grassroots: row.grassroots,
      statistics: null,
      name: row.shown.name,
      unitName: row.shown.unitName,
      status: row.status,
      confirmed: true,
    });
  }
  return lines.sort(
    (a, b) =>
      (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
      b.meanTotal - a.meanTotal,
  );
}
