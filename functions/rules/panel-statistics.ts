/**
 * How a panel reads its experts' totals (0–100), nomination by nomination: the raw mean, the
 * median, the trimmed mean (highest and lowest dropped, from five reviews up), the spread
 * between experts with a flag for high disagreement, and the mean of the experts' totals after
 * each expert's own scale is taken out.
 *
 * That normalisation standardises each expert over every review they gave in the round
 * (z = (total − their mean) ÷ their standard deviation) and rescales it to the whole round's
 * mean and standard deviation, clamped to the rubric's 0–100: a harsh and a lenient expert
 * then weigh alike, and the result reads on the rubric's own scale. This is the method described
 * in the AEJMC Research Committee's handout "How to Standardize Judges' Scores" (z-scores per
 * judge, each judge reading at least five papers) and in HeroX's "Fairness" note for prize
 * judging (each judge's mean and spread rescaled to the population's). An expert with fewer
 * reviews than the campaign's minimum, or who gave every nomination the same total, says nothing
 * reliable about their scale: their totals are kept raw.
 *
 * Pure: the campaign data chooses which of these ranks (functions/rules/scoring.ts).
 */

export interface ReviewTotal {
  expertId: string;
  total: number;
}

export interface ExpertScale {
  reviews: number;
  mean: number;
  /** Population standard deviation of the expert's totals. */
  sd: number;
  /** Whether their totals are rescaled (enough reviews and not all alike). */
  rescaled: boolean;
}

export interface PanelStatistics {
  reviews: number;
  mean: number;
  median: number;
  /** Mean without the highest and the lowest total; null under five reviews. */
  trimmedMean: number | null;
  /** Mean of the totals with each expert's scale taken out, on the rubric's 0–100. */
  normalisedMean: number;
  normalisedTotals: number[];
  /** Highest minus lowest expert total. */
  spread: number;
  /** The spread reaches the campaign's threshold: the secretariat should look before ranking. */
  disagreement: boolean;
}

export interface PanelOptions {
  /** Reviews an expert needs in the round before their scale is taken out. */
  minReviewsToNormalise: number;
  /** Spread (points on 0–100) from which the experts are taken to disagree. */
  disagreementSpread: number;
  /** The rubric's range. */
  range?: { min: number; max: number };
}

/** Ranks with five reviews or more drop one highest and one lowest total. */
export const TRIMMED_MEAN_MINIMUM = 5;

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function trimmedMean(xs: readonly number[]): number | null {
  if (xs.length < TRIMMED_MEAN_MINIMUM) return null;
  return mean([...xs].sort((a, b) => a - b).slice(1, -1));
}

/** Each expert's mean and spread over every review they gave in the round. */
export function expertScales(
  rows: readonly (readonly ReviewTotal[])[],
  minReviewsToNormalise: number,
): Map<string, ExpertScale> {
  const byExpert = new Map<string, number[]>();
  for (const row of rows)
    for (const r of row) byExpert.set(r.expertId, [...(byExpert.get(r.expertId) ?? []), r.total]);
  return new Map(
    [...byExpert].map(([id, xs]) => {
      const s = sd(xs);
      return [
        id,
        { reviews: xs.length, mean: mean(xs), sd: s, rescaled: xs.length >= minReviewsToNormalise && s > 0 },
      ];
    }),
  );
}

/** The statistics of every nomination of a round, given each one's expert totals. */
export function panelStatistics(
  rows: readonly (readonly ReviewTotal[])[],
  options: PanelOptions,
): PanelStatistics[] {
  const range = options.range ?? { min: 0, max: 100 };
  const scales = expertScales(rows, options.minReviewsToNormalise);
  const all = rows.flatMap((row) => row.map((r) => r.total));
  const poolMean = mean(all);
  const poolSd = sd(all);
  const normalise = (r: ReviewTotal) => {
    const scale = scales.get(r.expertId);
    if (!scale?.rescaled) return r.total;
    const z = (r.total - scale.mean) / scale.sd;
    return Math.min(range.max, Math.max(range.min, poolMean + z * poolSd));
  };
  return rows.map((row) => {
    const totals = row.map((r) => r.total);
    const normalisedTotals = row.map((r) => round(normalise(r)));
    const spread = totals.length > 0 ? Math.max(...totals) - Math.min(...totals) : 0;
    const trimmed = trimmedMean(totals);
    return {
      reviews: totals.length,
      mean: round(mean(totals)),
      median: round(median(totals)),
      trimmedMean: trimmed === null ? null : round(trimmed),
      normalisedMean: round(mean(normalisedTotals)),
      normalisedTotals,
      spread: round(spread),
      disagreement: totals.length > 1 && spread >= options.disagreementSpread,
    };
  });
}

/** Which statistic ranks, as campaign data names it. */
export const RANK_BY = ['mean', 'median', 'trimmed-mean', 'normalised'] as const;
export type RankBy = (typeof RANK_BY)[number];

/** The number that ranks; a trimmed mean needs five reviews, with fewer the mean ranks. */
export function rankingValue(stats: PanelStatistics, rankBy: RankBy): number {
  switch (rankBy) {
    case 'mean':
      return stats.mean;
    case 'median':
      return stats.median;
    case 'trimmed-mean':
      return stats.trimmedMean ?? stats.mean;
    case 'normalised':
      return stats.normalisedMean;
  }
}
