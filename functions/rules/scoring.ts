import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import type { Campaign, QuotaRule } from './campaign.js';
import { CATEGORY_NAMES, type CategoryId, categoryOrder } from './categories.js';
import {
  decisionFor,
  limitFor,
  NO_DISCRETION,
  type NominationDecision,
  type SelectionDiscretion,
  type SelectionRecord,
} from './discretion.js';
import { ValidationError } from './errors.js';
import type { Bilingual } from './i18n.js';
import type { Nomination } from './nomination.js';
import { type PanelStatistics, panelStatistics, rankingValue } from './panel-statistics.js';

/**
 * Expert review, ranking and selection.
 *
 * An expert scores each rubric criterion from 0 to its maximum; the expert's weighted total is
 * Σ weight × score ÷ maximum, on a 0–100 scale (weights add up to 100). A nomination's score is
 * the mean of its experts' totals — or, with the campaign's 'z-score' normalisation, the mean
 * of each expert's standardised totals, so a lenient and a strict expert weigh alike. A campaign
 * may instead name the statistic that ranks (`review.rankBy`: mean, median, trimmed mean or the
 * normalised mean of functions/rules/panel-statistics.ts); every nomination carries all of them,
 * its spread and a disagreement flag, for the ranking page to show side by side.
 *
 * Ranking within a category is deterministic. Ties are broken, in order, by:
 *   1. the higher score;
 *      (where the campaign sets `selection.grassrootsFirst`: the confirmed grassroots mark first);
 *   2. more experts recommending;
 *   3. the higher lowest expert total (the less contested nomination);
 *   4. the earlier submission;
 *   5. the nomination id (so that two runs always agree).
 */

export const expertReviewSchema = builtOnFirstUse(() =>
  z.strictObject({
    expertId: z.string().min(1),
    scores: z
      .record(z.string(), z.number().min(0))
      .meta({ title: '分项评分', 'x-title-en': 'Scores per criterion' }),
    recommend: z.boolean().meta({ title: '是否推荐', 'x-title-en': 'Recommended' }),
    comment: z.string().trim().max(1000).optional().meta({ title: '评审意见', 'x-title-en': 'Comment' }),
  }),
);
export type ExpertReview = z.infer<ReturnType<typeof expertReviewSchema>>;

export interface ReviewedNomination {
  nominationId: string;
  category: CategoryId;
  /** ISO instant of the (last) submission, for the tie-break. */
  submittedAt: string;
  reviews: readonly ExpertReview[];
  /** Confirmed at screening: from the grassroots and the front line (基层一线). */
  grassroots?: boolean;
  /** Set when the nomination may not be selected whatever its score (e.g. a past honouree). */
  excluded?: Bilingual;
}

/**
 * What the stored ranking keeps of a reviewed nomination: everything the ranking reads, without the
 * reviews' comments (up to 1,000 characters each), which no ranking reads.
 */
export function rankingEntryOf(entry: ReviewedNomination): ReviewedNomination {
  return { ...entry, reviews: entry.reviews.map(({ comment: _comment, ...review }) => review) };
}

/**
 * What the ranking reads of a nomination whose reviews are in: its experts' reviews, its
 * submission, the grassroots mark and an exclusion (a past honouree the check flagged).
 */
export function reviewedNominationOf(
  n: Pick<
    Nomination,
    'id' | 'category' | 'submittedAt' | 'createdAt' | 'grassrootsConfirmed' | 'eligibility'
  >,
  reviews: readonly ExpertReview[],
): ReviewedNomination {
  const pastHonouree = n.eligibility?.find((c) => c.id === 'all.not-past-honouree' && !c.passed);
  return {
    nominationId: n.id,
    category: n.category,
    submittedAt: n.submittedAt ?? n.createdAt,
    reviews: [...reviews],
    ...(n.grassrootsConfirmed ? { grassroots: true } : {}),
    ...(pastHonouree ? { excluded: pastHonouree.message } : {}),
  };
}

/** The reviews given among a nomination's assignments (a withdrawn assignment has none). */
export const reviewsIn = (assignments: readonly { review?: ExpertReview | undefined }[]): ExpertReview[] =>
  assignments.flatMap((a) => (a.review ? [a.review] : []));

/** What a nomination keeps of its score: what people are shown of it, and the tie-breaks' figures. */
export const keptScore = (scored: ScoredNomination): NonNullable<Nomination['score']> => ({
  meanTotal: scored.meanTotal,
  expertTotals: scored.expertTotals,
  recommendations: scored.recommendations,
  lowestTotal: scored.lowestTotal,
});

/** The expert's weighted total, 0–100. Throws a ValidationError if a criterion is missing or out of range. */
export function weightedTotal(campaign: Campaign, review: Pick<ExpertReview, 'scores'>): number {
  const issues = campaign.review.criteria.flatMap((c) => {
    const value = review.scores[c.id];
    if (value === undefined) {
      return [
        {
          path: ['scores', c.id],
          code: 'required',
          message: { zh: `${c.name.zh}：未评分`, en: `${c.name.en}: no score` },
        },
      ];
    }
    if (!(value >= 0 && value <= c.maxScore)) {
      return [
        {
          path: ['scores', c.id],
          code: 'out_of_range',
          message: {
            zh: `${c.name.zh}：分数须在 0—${c.maxScore} 之间`,
            en: `${c.name.en}: score must be 0–${c.maxScore}`,
          },
        },
      ];
    }
    return [];
  });
  const unknown = Object.keys(review.scores).filter(
    (id) => !campaign.review.criteria.some((c) => c.id === id),
  );
  for (const id of unknown) {
    issues.push({
      path: ['scores', id],
      code: 'unknown_field',
      message: { zh: `没有评审指标“${id}”`, en: `no criterion "${id}"` },
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, { zh: '评分', en: 'review' });
  const total = campaign.review.criteria.reduce(
    (sum, c) => sum + (c.weight * (review.scores[c.id] ?? 0)) / c.maxScore,
    0,
  );
  return Math.round(total * 1e6) / 1e6;
}

export interface ScoredNomination {
  nominationId: string;
  category: CategoryId;
  submittedAt: string;
  /** The number ranking uses: mean weighted total, or mean z-score under normalisation. */
  score: number;
  /** Mean of the experts' weighted totals (0–100), shown to people whatever the normalisation. */
  meanTotal: number;
  expertTotals: number[];
  recommendations: number;
  lowestTotal: number;
  reviewsComplete: boolean;
  /** Confirmed at screening: from the grassroots and the front line (基层一线). */
  grassroots: boolean;
  /** Mean, median, trimmed mean, normalised mean, spread and disagreement (panel-statistics.ts). */
  statistics: PanelStatistics;
  excluded?: Bilingual;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Scores every nomination; z-score normalisation standardises each expert over the nominations they reviewed. */
export function scoreNominations(
  campaign: Campaign,
  nominations: readonly ReviewedNomination[],
): ScoredNomination[] {
  const totals = nominations.map((n) =>
    n.reviews.map((r) => ({ expertId: r.expertId, total: weightedTotal(campaign, r) })),
  );
  let standardise = (_expertId: string, total: number) => total;
  if (campaign.review.normalisation === 'z-score') {
    const byExpert = new Map<string, number[]>();
    for (const row of totals)
      for (const t of row) byExpert.set(t.expertId, [...(byExpert.get(t.expertId) ?? []), t.total]);
    const stats = new Map(
      [...byExpert].map(([id, xs]) => {
        const m = mean(xs);
        const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
        return [id, { m, sd }] as const;
      }),
    );
    // An expert with one nomination or identical totals says nothing about relative merit: z = 0.
    standardise = (expertId, total) => {
      const s = stats.get(expertId);
      return s && s.sd > 0 ? (total - s.m) / s.sd : 0;
    };
  }
  const statistics = panelStatistics(totals, {
    minReviewsToNormalise: campaign.review.minReviewsToNormalise,
    disagreementSpread: campaign.review.disagreementSpread,
  });
  const rankBy = campaign.review.rankBy;
  return nominations.map((n, i) => {
    // Stryker disable next-line ArrayDeclaration: totals has one row per nomination, so the fallback is never taken (an equivalent mutant)
    const row = totals[i] ?? [];
    const expertTotals = row.map((t) => t.total);
    const stats = statistics[i] as PanelStatistics;
    return {
      nominationId: n.nominationId,
      category: n.category,
      submittedAt: n.submittedAt,
      score: rankBy ? rankingValue(stats, rankBy) : mean(row.map((t) => standardise(t.expertId, t.total))),
      statistics: stats,
      meanTotal: mean(expertTotals),
      expertTotals,
      recommendations: n.reviews.filter((r) => r.recommend).length,
      lowestTotal: expertTotals.length > 0 ? Math.min(...expertTotals) : 0,
      reviewsComplete: n.reviews.length >= campaign.review.expertsPerNomination,
      grassroots: n.grassroots === true,
      ...(n.excluded ? { excluded: n.excluded } : {}),
    };
  });
}

export type TieBreak = 'grassroots' | 'recommendations' | 'lowest-total' | 'submitted-at' | 'nomination-id';

const EPSILON = 1e-9;

/** Compares two scored nominations in ranking order (negative: a ranks first); also says which key decided a tie. */
export function compareForRanking(
  a: ScoredNomination,
  b: ScoredNomination,
  grassrootsFirst = false,
): { order: number; decidedBy?: TieBreak } {
  if (Math.abs(a.score - b.score) > EPSILON) return { order: b.score - a.score };
  // A campaign may put the grassroots and front line first among equals (CAST asks for them).
  if (grassrootsFirst && a.grassroots !== b.grassroots) {
    return { order: a.grassroots ? -1 : 1, decidedBy: 'grassroots' };
  }
  if (a.recommendations !== b.recommendations) {
    return { order: b.recommendations - a.recommendations, decidedBy: 'recommendations' };
  }
  if (Math.abs(a.lowestTotal - b.lowestTotal) > EPSILON) {
    return { order: b.lowestTotal - a.lowestTotal, decidedBy: 'lowest-total' };
  }
  if (a.submittedAt !== b.submittedAt) {
    return { order: Date.parse(a.submittedAt) - Date.parse(b.submittedAt), decidedBy: 'submitted-at' };
  }
  return {
    order: a.nominationId < b.nominationId ? -1 : a.nominationId > b.nominationId ? 1 : 0,
    decidedBy: 'nomination-id',
  };
}

export interface RankedNomination extends ScoredNomination {
  /** 1-based rank within the category. */
  rank: number;
  /** When this nomination's score equals the one ranked just above it, the key that put it below. */
  tieBrokenBy?: TieBreak;
}

export function rankCategory(
  scored: readonly ScoredNomination[],
  grassrootsFirst = false,
): RankedNomination[] {
  const sorted = [...scored].sort((a, b) => compareForRanking(a, b, grassrootsFirst).order);
  return sorted.map((n, i) => {
    const above = sorted[i - 1];
    const decidedBy = above ? compareForRanking(above, n, grassrootsFirst).decidedBy : undefined;
    return { ...n, rank: i + 1, ...(decidedBy ? { tieBrokenBy: decidedBy } : {}) };
  });
}

export type SelectionReason =
  | 'within-quota'
  | 'below-quota-line'
  | 'included-by-secretariat'
  | 'left-out-by-secretariat'
  | 'included-over-quota'
  | 'reviews-incomplete'
  | 'below-minimum-score'
  | 'too-few-recommendations'
  | 'excluded';

export interface SelectionOutcome extends ScoredNomination {
  /** Rank among the nominations that compete for selection; null for those that do not. */
  rank: number | null;
  tieBrokenBy?: TieBreak;
  selected: boolean;
  /** What the ranking alone proposes, before the secretariat's decisions. */
  proposed: boolean;
  reason: SelectionReason;
  message: Bilingual;
  /** The secretariat's decision about this nomination, when it made one. */
  decision?: NominationDecision & { decision: 'include' | 'leave-out' };
  /** Set when the verdict differs from the ranking's proposal: the decision's reason, who and when. */
  againstRanking?: SelectionRecord['againstRanking'];
}

const TIE_BREAK_TEXT: Record<TieBreak, Bilingual> = {
  grassroots: { zh: '基层一线优先', en: 'grassroots and front line first' },
  recommendations: { zh: '推荐票数', en: 'number of recommendations' },
  'lowest-total': { zh: '最低专家分', en: 'lowest expert total' },
  'submitted-at': { zh: '提交时间', en: 'submission time' },
  'nomination-id': { zh: '编号', en: 'nomination id' },
};

/**
 * Fills the places in ranking order: first the nominations the secretariat includes (in their
 * ranking order), then the rest, skipping those it leaves out — never more than the category's
 * places (the quota, or fewer when the secretariat forwards fewer) nor, under a total quota,
 * more than the total. An included nomination that finds no place is not chosen.
 */
function fillPlaces(
  ordered: readonly RankedNomination[],
  placesIn: (category: CategoryId) => number,
  totalPlaces: number,
  included: ReadonlySet<string>,
  leftOut: ReadonlySet<string>,
): Set<string> {
  const chosen = new Set<string>();
  const taken = new Map<CategoryId, number>();
  const fits = (n: RankedNomination) =>
    chosen.size < totalPlaces && (taken.get(n.category) ?? 0) < placesIn(n.category);
  const take = (n: RankedNomination) => {
    chosen.add(n.nominationId);
    taken.set(n.category, (taken.get(n.category) ?? 0) + 1);
  };
  for (const n of ordered) if (included.has(n.nominationId) && fits(n)) take(n);
  for (const n of ordered) {
    if (!included.has(n.nominationId) && !leftOut.has(n.nominationId) && fits(n)) take(n);
  }
  return chosen;
}

/**
 * Selects within the organizer's selection quota and explains each verdict. Only nominations
 * with complete reviews, not excluded, at or above the minimum score and with at least the
 * minimum number of "recommend" votes compete; the ranking proposes the top N of each category
 * (or of all categories ranked together, under a total quota). The secretariat's decisions
 * (`discretion`) then include or leave out a competing nomination against that order, or forward
 * fewer than the quota in a category; every verdict that differs from the proposal carries the
 * decision's reason. Never selects more than the quota.
 */
export function selectNominations(
  campaign: Campaign,
  nominations: readonly ReviewedNomination[],
  discretion: SelectionDiscretion = NO_DISCRETION,
): SelectionOutcome[] {
  const scored = scoreNominations(campaign, nominations);
  const quota: QuotaRule = campaign.selection.quota;
  const { minimumScore, minimumRecommendations, grassrootsFirst } = campaign.selection;
  const outcomes: SelectionOutcome[] = [];

  const notCompeting = (n: ScoredNomination): SelectionOutcome | undefined => {
    const out = (reason: SelectionReason, message: Bilingual): SelectionOutcome => ({
      ...n,
      rank: null,
      selected: false,
      proposed: false,
      reason,
      message,
    });
    if (n.excluded) {
      return out('excluded', {
        zh: `不参加择优：${n.excluded.zh}`,
        en: `Not eligible for selection: ${n.excluded.en}`,
      });
    }
    if (!n.reviewsComplete) {
      const need = campaign.review.expertsPerNomination;
      return out('reviews-incomplete', {
        zh: `专家评审未完成（${n.expertTotals.length}/${need}）`,
        en: `Reviews incomplete (${n.expertTotals.length}/${need})`,
      });
    }
    if (minimumScore !== undefined && n.meanTotal < minimumScore) {
      return out('below-minimum-score', {
        zh: `平均分 ${n.meanTotal.toFixed(2)} 低于最低分 ${minimumScore}`,
        en: `Mean score ${n.meanTotal.toFixed(2)} is below the minimum ${minimumScore}`,
      });
    }
    if (minimumRecommendations !== undefined && n.recommendations < minimumRecommendations) {
      return out('too-few-recommendations', {
        zh: `推荐票 ${n.recommendations}/${n.expertTotals.length}，少于本轮要求的 ${minimumRecommendations} 票`,
        en: `${n.recommendations} of ${n.expertTotals.length} experts recommend; this round needs at least ${minimumRecommendations}`,
      });
    }
    return undefined;
  };

  const competing: ScoredNomination[] = [];
  for (const n of scored) {
    const out = notCompeting(n);
    if (out) outcomes.push(out);
    else competing.push(n);
  }
  const byCategory = new Map<CategoryId, ScoredNomination[]>();
  for (const n of competing) byCategory.set(n.category, [...(byCategory.get(n.category) ?? []), n]);
  const contenders = [...byCategory.entries()]
    .sort(([a], [b]) => categoryOrder(a) - categoryOrder(b))
    .flatMap(([, list]) => rankCategory(list, grassrootsFirst));

  // Under a total quota places are filled over all categories ranked together.
  const overallRank = new Map<string, number>();
  const ordered =
    quota.scope === 'total'
      ? [...contenders].sort((a, b) => compareForRanking(a, b, grassrootsFirst).order)
      : contenders;
  if (quota.scope === 'total') for (const [i, n] of ordered.entries()) overallRank.set(n.nominationId, i + 1);
  const quotaPlaces = quota.scope === 'per-category' ? quota.limit : Number.POSITIVE_INFINITY;
  const totalPlaces = quota.scope === 'total' ? quota.limit : Number.POSITIVE_INFINITY;
  const none = new Set<string>();
  const proposal = fillPlaces(ordered, () => quotaPlaces, totalPlaces, none, none);
  const included = new Set<string>();
  const leftOut = new Set<string>();
  for (const n of contenders) {
    const d = decisionFor(discretion, n.nominationId);
    if (d?.decision === 'include') included.add(n.nominationId);
    if (d?.decision === 'leave-out') leftOut.add(n.nominationId);
  }
  const placesIn = (c: CategoryId) => Math.min(quotaPlaces, limitFor(discretion, c)?.forward ?? quotaPlaces);
  const chosen = fillPlaces(ordered, placesIn, totalPlaces, included, leftOut);

  for (const n of contenders) {
    const place =
      quota.scope === 'total'
        ? { zh: '总排名', en: 'overall' }
        : { zh: `${CATEGORY_NAMES[n.category].zh}排名`, en: `in ${CATEGORY_NAMES[n.category].en}` };
    const tie = n.tieBrokenBy
      ? {
          zh: `（与上一名同分，按${TIE_BREAK_TEXT[n.tieBrokenBy].zh}排序）`,
          en: ` (tied on score with the one above; ordered by ${TIE_BREAK_TEXT[n.tieBrokenBy].en})`,
        }
      : { zh: '', en: '' };
    const selected = chosen.has(n.nominationId);
    const proposed = proposal.has(n.nominationId);
    const position = overallRank.get(n.nominationId) ?? n.rank;
    const decision = decisionFor(discretion, n.nominationId);
    const limit = limitFor(discretion, n.category);
    const line = Number.isFinite(placesIn(n.category)) ? placesIn(n.category) : totalPlaces;
    const ranked = { zh: `${place.zh}第 ${position} 名`, en: `ranked ${position} ${place.en}` };
    const verdict = ((): { reason: SelectionReason; message: Bilingual } => {
      if (decision?.decision === 'include' && selected)
        return {
          reason: proposed ? 'within-quota' : 'included-by-secretariat',
          message: {
            zh: `入选（秘书处择优决定${proposed ? '' : '，未按名次'}）：${ranked.zh}，得分 ${n.meanTotal.toFixed(2)}。理由：${decision.reason}`,
            en: `Selected (the secretariat's decision${proposed ? '' : ', against the score order'}): ${ranked.en}, score ${n.meanTotal.toFixed(2)}. Reason: ${decision.reason}`,
          },
        };
      if (decision?.decision === 'include')
        return {
          reason: 'included-over-quota',
          message: {
            zh: `未入选：秘书处决定选入，但名额（${line} 个）已满。理由：${decision.reason}`,
            en: `Not selected: the secretariat included it, but the ${line} place(s) are taken. Reason: ${decision.reason}`,
          },
        };
      if (decision?.decision === 'leave-out')
        return {
          reason: 'left-out-by-secretariat',
          message: {
            zh: `未入选（秘书处择优决定${proposed ? '，未按名次' : ''}）：${ranked.zh}，得分 ${n.meanTotal.toFixed(2)}。理由：${decision.reason}`,
            en: `Not selected (the secretariat's decision${proposed ? ', against the score order' : ''}): ${ranked.en}, score ${n.meanTotal.toFixed(2)}. Reason: ${decision.reason}`,
          },
        };
      if (selected)
        return {
          reason: 'within-quota',
          message: {
            zh: `入选：${ranked.zh}，得分 ${n.meanTotal.toFixed(2)}${Number.isFinite(line) ? `，名额 ${line} 个` : ''}${tie.zh}`,
            en: `Selected: ${ranked.en}, score ${n.meanTotal.toFixed(2)}${Number.isFinite(line) ? `, quota ${line}` : ''}${tie.en}`,
          },
        };
      const fewer = limit
        ? {
            zh: `；本类别拟报送 ${limit.forward} 个，少于名额。理由：${limit.reason}`,
            en: `; ${limit.forward} forwarded in this category, fewer than the quota. Reason: ${limit.reason}`,
          }
        : proposed
          ? {
              zh: '；名额由秘书处择优决定的推荐占用',
              en: '; its place went to a nomination the secretariat included',
            }
          : { zh: '', en: '' };
      return {
        reason: 'below-quota-line',
        message: {
          zh: `未入选：${ranked.zh}，在名额（${line} 个）之外${tie.zh}${fewer.zh}`,
          en: `Not selected: ${ranked.en}, below the quota line of ${line}${tie.en}${fewer.en}`,
        },
      };
    })();
    // Which decision turned the proposal round: the nomination's own, else the category's limit,
    // else the inclusion that took its place or the leaving out that freed one.
    const turnedBy =
      selected === proposed
        ? undefined
        : (decision ??
          limit ??
          discretion.decisions.find(
            (d) =>
              (quota.scope === 'total' || d.category === n.category) &&
              ((d.decision === 'include' && chosen.has(d.nominationId)) ||
                (d.decision === 'leave-out' && proposal.has(d.nominationId))),
          ));
    outcomes.push({
      ...n,
      selected,
      proposed,
      ...verdict,
      ...(decision ? { decision } : {}),
      ...(turnedBy ? { againstRanking: { reason: turnedBy.reason, by: turnedBy.by, at: turnedBy.at } } : {}),
    });
  }
  // Category by category: the ranked first, in rank order, then those that did not compete.
  return outcomes.sort(
    (a, b) =>
      categoryOrder(a.category) - categoryOrder(b.category) ||
      (a.rank ?? Number.POSITIVE_INFINITY) - (b.rank ?? Number.POSITIVE_INFINITY) ||
      b.meanTotal - a.meanTotal,
  );
}
