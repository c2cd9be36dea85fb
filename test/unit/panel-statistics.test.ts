import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import {
  expertScales,
  median,
  panelStatistics,
  type ReviewTotal,
  rankingValue,
  trimmedMean,
} from '../../functions/rules/panel-statistics.js';
import { scoreNominations } from '../../functions/rules/scoring.js';

/**
 * The panel's statistics (functions/rules/panel-statistics.ts). The normalisation example follows
 * the method of the AEJMC Research Committee's handout "How to Standardize Judges' Scores"
 * (aejmc.org, research committee officer resources: a z-score per judge over all the papers that
 * judge read, each judge reading at least five) with the z-scores rescaled to the whole
 * population's mean and spread as HeroX's "Fairness" note for prize judging describes it: a
 * harsh judge H and a lenient judge L each read five entries; X is H's best and Y is L's worst.
 */

const opts = { minReviewsToNormalise: 5, disagreementSpread: 25 };
const row = (...pairs: [string, number][]): ReviewTotal[] =>
  pairs.map(([expertId, total]) => ({ expertId, total }));

describe('normalisation: a harsh and a lenient expert', () => {
  // H (harsh): 40 45 50 55 and 70 for X. L (lenient): 80 82 84 86 and 75 for Y. M reviews X and
  // Y alike (60 each) but only twice in the round: too few for a scale, so M's totals stay raw.
  const rows = [
    row(['H', 40]),
    row(['H', 45]),
    row(['H', 50]),
    row(['H', 55]),
    row(['H', 70], ['M', 60]), // X
    row(['L', 80]),
    row(['L', 82]),
    row(['L', 84]),
    row(['L', 86]),
    row(['L', 75], ['M', 60]), // Y
  ];
  const X = 4;
  const Y = 9;

  it('the raw mean puts Y first; the normalised mean puts X, the harsh expert’s best, first', () => {
    const stats = panelStatistics(rows, opts);
    const x = stats[X];
    const y = stats[Y];
    if (!x || !y) throw new Error('missing rows');
    expect(y.mean).toBeGreaterThan(x.mean); // 67.5 > 65
    expect(x.normalisedMean).toBeGreaterThan(y.normalisedMean);
    // M's 60 is kept as given (two reviews are too few); H's 70 rises, L's 75 falls.
    expect(x.normalisedTotals[1]).toBe(60);
    expect(y.normalisedTotals[1]).toBe(60);
    expect(x.normalisedTotals[0]).toBeGreaterThan(70);
    expect(y.normalisedTotals[0]).toBeLessThan(75);
    // Everything stays on the rubric's 0–100.
    for (const s of stats) for (const t of s.normalisedTotals) expect(t >= 0 && t <= 100).toBe(true);
  });

  it('with too few reviews per expert nothing is rescaled: the normalised mean is the raw mean', () => {
    const stats = panelStatistics(rows, { ...opts, minReviewsToNormalise: 6 });
    for (const s of stats) expect(s.normalisedMean).toBe(s.mean);
    const scales = expertScales(rows, 5);
    expect(scales.get('H')).toMatchObject({ reviews: 5, mean: 52, rescaled: true });
    expect(scales.get('M')).toMatchObject({ reviews: 2, rescaled: false });
  });

  it('a campaign that ranks by the normalised mean ranks X above Y; by the mean, Y above X', () => {
    const base = BUILTIN_CAMPAIGNS.get('cast-2024');
    if (!base) throw new Error('no campaign');
    const criteria = base.review.criteria;
    // A review whose weighted total is `total`: every criterion at the same fraction of its maximum.
    const review = (expertId: string, total: number) => ({
      expertId,
      recommend: true,
      scores: Object.fromEntries(criteria.map((c) => [c.id, (c.maxScore * total) / 100])),
    });
    const nominations = rows.map((r, i) => ({
      nominationId: `n${i}`,
      category: 'volunteer' as const,
      submittedAt: '2025-01-01T00:00:00.000Z',
      reviews: r.map((t) => review(t.expertId, t.total)),
    }));
    const order = (rankBy: 'mean' | 'normalised') => {
      const campaign = { ...base, review: { ...base.review, rankBy } };
      const scored = scoreNominations(campaign, nominations);
      const x = scored[X];
      const y = scored[Y];
      if (!x || !y) throw new Error('missing');
      expect(x.statistics.normalisedMean).toBeGreaterThan(0);
      return x.score > y.score ? 'X first' : 'Y first';
    };
    expect(order('mean')).toBe('Y first');
    expect(order('normalised')).toBe('X first');
  });
});

describe('mean, median, trimmed mean, spread', () => {
  it('takes an expert’s spread around their own mean, and gives a nomination without reviews zeros, not NaN', () => {
    expect(expertScales([row(['h', 60]), row(['h', 80])], 2).get('h')).toEqual({
      reviews: 2,
      mean: 70,
      sd: 10,
      rescaled: true,
    });
    expect(panelStatistics([[]], opts)[0]).toMatchObject({
      reviews: 0,
      mean: 0,
      normalisedMean: 0,
      spread: 0,
    });
  });

  it('JuliaCon’s case: one outlier sinks the mean, not the median or the trimmed mean', () => {
    const [s] = panelStatistics([row(['a', 85], ['b', 88], ['c', 90], ['d', 86], ['e', 10])], opts);
    expect(s).toMatchObject({
      mean: 71.8,
      median: 86,
      trimmedMean: 86.333333,
      spread: 80,
      disagreement: true,
    });
    expect(rankingValue(s as never, 'median')).toBe(86);
    expect(rankingValue(s as never, 'trimmed-mean')).toBe(86.333333);
  });

  it('takes a trimmed mean only from five reviews, and then ranks by the mean under five', () => {
    expect(trimmedMean([1, 2, 3, 4])).toBeNull();
    expect(trimmedMean([1, 2, 3, 4, 100])).toBe(3);
    const [s] = panelStatistics([row(['a', 70], ['b', 80], ['c', 90])], opts);
    expect(s?.trimmedMean).toBeNull();
    expect(rankingValue(s as never, 'trimmed-mean')).toBe(80);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('flags disagreement from the campaign’s spread, not below it, and never for one review', () => {
    const [close, apart, alone] = panelStatistics(
      [row(['a', 70], ['b', 94.9]), row(['a', 70], ['b', 95]), row(['a', 10])],
      opts,
    );
    expect(close).toMatchObject({ spread: 24.9, disagreement: false });
    expect(apart).toMatchObject({ spread: 25, disagreement: true });
    expect(alone).toMatchObject({ spread: 0, disagreement: false });
  });
});
