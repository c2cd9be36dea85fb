import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { NominationDecision } from '../../functions/rules/discretion.js';
import { ValidationError } from '../../functions/rules/errors.js';
import {
  compareForRanking,
  type ExpertReview,
  type ReviewedNomination,
  rankCategory,
  type ScoredNomination,
  type SelectionOutcome,
  scoreNominations,
  selectNominations,
  weightedTotal,
} from '../../functions/rules/scoring.js';

const cacs = builtinCampaign('cacs-2024'); // selects ≤ 2 per category; criteria weights 30/25/25/20, max 10 each

/** A review giving every criterion the same mark out of 10, i.e. a weighted total of mark × 10. */
const review = (expertId: string, mark: number, recommend = true): ExpertReview => ({
  expertId,
  scores: Object.fromEntries(cacs.review.criteria.map((c) => [c.id, mark])),
  recommend,
});

const nomination = (
  nominationId: string,
  marks: number[],
  over: Partial<ReviewedNomination> = {},
  category: CategoryId = 'volunteer',
): ReviewedNomination => ({
  nominationId,
  category,
  submittedAt: '2025-02-01T10:00:00+08:00',
  reviews: marks.map((m, i) => review(`expert-${i + 1}`, m)),
  ...over,
});

describe('weighted rubric', () => {
  it('weighs each criterion by its weight over its maximum, on a 0–100 scale', () => {
    const scores = { exemplary: 10, 'st-character': 8, representative: 6, 'sound-practice': 5 };
    // 30×1 + 25×0.8 + 25×0.6 + 20×0.5 = 30 + 20 + 15 + 10
    expect(weightedTotal(cacs, { scores })).toBe(75);
  });

  it('refuses a missing, out-of-range or unknown criterion, naming it', () => {
    try {
      weightedTotal(cacs, { scores: { exemplary: 11, representative: 5, 'sound-practice': 5, style: 3 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => [i.path[1], i.code])).toEqual([
        ['exemplary', 'out_of_range'],
        ['st-character', 'required'],
        ['style', 'unknown_field'],
      ]);
    }
  });
});

describe('nomination score', () => {
  it('is the mean of the experts’ weighted totals', () => {
    const [scored] = scoreNominations(cacs, [nomination('n1', [9, 8, 7])]);
    expect(scored).toMatchObject({
      score: 80,
      meanTotal: 80,
      expertTotals: [90, 80, 70],
      lowestTotal: 70,
      recommendations: 3,
    });
  });

  it('can standardise each expert so a lenient one does not outweigh a strict one', () => {
    const zCampaign: Campaign = { ...cacs, review: { ...cacs.review, normalisation: 'z-score' } };
    // Expert 1 is lenient (9 and 10), expert 2 strict (3 and 2); both prefer A to B, equally strongly.
    const a = { ...nomination('A', []), reviews: [review('lenient', 9), review('strict', 3)] };
    const b = { ...nomination('B', []), reviews: [review('lenient', 10), review('strict', 2)] };
    const plain = scoreNominations(cacs, [a, b]);
    expect(plain.map((s) => s.score)).toEqual([60, 60]);
    const standardised = scoreNominations(zCampaign, [a, b]);
    expect(standardised.map((s) => s.score)).toEqual([0, 0]);
    // A third nomination both experts rank highest stands out under normalisation.
    const c = { ...nomination('C', []), reviews: [review('lenient', 10), review('strict', 4)] };
    const ranked = rankCategory(scoreNominations(zCampaign, [a, b, c]));
    expect(ranked[0]?.nominationId).toBe('C');
    expect(ranked[0]?.meanTotal).toBe(70);
  });
});

describe('ranking within a category, with a documented tie-break', () => {
  it('orders by score, then recommendations, then lowest expert total, then submission time, then id', () => {
    const ranked = rankCategory(
      scoreNominations(cacs, [
        nomination('E-late', [8, 8, 8], { submittedAt: '2025-02-03T09:00:00+08:00' }),
        nomination('F-id-b', [8, 8, 8], { submittedAt: '2025-02-01T09:00:00+08:00' }),
        nomination('D-early', [8, 8, 8], { submittedAt: '2025-02-01T09:00:00+08:00' }),
        nomination('C-contested', [10, 8, 6]),
        {
          ...nomination('B-fewer-votes', []),
          reviews: [review('x', 8), review('y', 8), review('z', 8, false)],
        },
        nomination('A-best', [9, 9, 9]),
      ]),
    );
    expect(ranked.map((r) => [r.rank, r.nominationId, r.tieBrokenBy ?? null])).toEqual([
      [1, 'A-best', null],
      [2, 'D-early', null],
      [3, 'F-id-b', 'nomination-id'],
      [4, 'E-late', 'submitted-at'],
      [5, 'C-contested', 'lowest-total'],
      [6, 'B-fewer-votes', 'recommendations'],
    ]);
  });

  it('gives the same order whatever the input order', () => {
    const list = [nomination('x', [7, 7, 7]), nomination('y', [7, 7, 7]), nomination('z', [7, 7, 7])];
    const once = rankCategory(scoreNominations(cacs, list)).map((r) => r.nominationId);
    const reversed = rankCategory(scoreNominations(cacs, [...list].reverse())).map((r) => r.nominationId);
    expect(once).toEqual(['x', 'y', 'z']);
    expect(reversed).toEqual(once);
  });
});

describe('selection within the forwarding quota', () => {
  it('never selects more than the quota per category, and explains every verdict', () => {
    const outcomes = selectNominations(cacs, [
      nomination('v1', [9, 9, 9]),
      nomination('v2', [8, 8, 8]),
      nomination('v3', [8, 8, 8], { submittedAt: '2025-02-05T10:00:00+08:00' }),
      nomination('v4', [7, 7]),
      nomination('v5', [10, 10, 10], { excluded: { zh: '曾入选2021年度典型', en: 'a 2021 model' } }),
      nomination('p1', [6, 6, 6], {}, 'project'),
    ]);
    const volunteers = outcomes.filter((o) => o.category === 'volunteer');
    expect(volunteers.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v2']);
    expect(Object.fromEntries(outcomes.map((o) => [o.nominationId, o.reason]))).toEqual({
      v1: 'within-quota',
      v2: 'within-quota',
      v3: 'below-quota-line',
      v4: 'reviews-incomplete',
      v5: 'excluded',
      p1: 'within-quota',
    });
    const v3 = outcomes.find((o) => o.nominationId === 'v3');
    expect(v3?.message.zh).toBe(
      '未入选：最美科技志愿者排名第 3 名，在名额（2 个）之外（与上一名同分，按提交时间排序）',
    );
    expect(outcomes.find((o) => o.nominationId === 'v4')?.message.en).toBe('Reviews incomplete (2/3)');
  });

  it('puts a confirmed grassroots nominee first among equal scores where the campaign says so, and says so', () => {
    const tied = [
      nomination('v1', [9, 9, 9]),
      nomination('v2', [8, 8, 8]),
      nomination('v3', [8, 8, 8], { submittedAt: '2025-02-05T10:00:00+08:00', grassroots: true }),
    ];
    expect(cacs.selection.grassrootsFirst).toBe(true);
    const outcomes = selectNominations(cacs, tied);
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v3']);
    expect(outcomes.find((o) => o.nominationId === 'v3')).toMatchObject({ grassroots: true, rank: 2 });
    expect(outcomes.find((o) => o.nominationId === 'v2')?.message.zh).toBe(
      '未入选：最美科技志愿者排名第 3 名，在名额（2 个）之外（与上一名同分，按基层一线优先排序）',
    );
    // Never above a higher score, and not at all where the campaign does not ask for it.
    expect(outcomes.find((o) => o.nominationId === 'v1')?.rank).toBe(1);
    const plain: Campaign = { ...cacs, selection: { ...cacs.selection, grassrootsFirst: false } };
    const byTime = selectNominations(plain, tied);
    expect(byTime.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v2']);
  });

  it('applies a total quota over all categories together', () => {
    const total: Campaign = {
      ...cacs,
      selection: { ...cacs.selection, quota: { scope: 'total', limit: 2 } },
    };
    const outcomes = selectNominations(total, [
      nomination('v1', [9, 9, 9]),
      nomination('v2', [6, 6, 6]),
      nomination('o1', [8, 8, 8], {}, 'organization'),
      nomination('s1', [7, 7, 7], {}, 'site'),
    ]);
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'o1']);
    expect(outcomes.find((o) => o.nominationId === 's1')?.message.zh).toBe(
      '未入选：总排名第 3 名，在名额（2 个）之外',
    );
  });

  it('leaves out those under the minimum score even within the quota', () => {
    const demanding: Campaign = { ...cacs, selection: { ...cacs.selection, minimumScore: 65 } };
    const outcomes = selectNominations(demanding, [nomination('v1', [9, 9, 9]), nomination('v2', [6, 6, 6])]);
    expect(outcomes.map((o) => [o.nominationId, o.selected, o.reason])).toEqual([
      ['v1', true, 'within-quota'],
      ['v2', false, 'below-minimum-score'],
    ]);
  });

  it('selects everyone reviewed when the campaign sets no quota', () => {
    const cast = builtinCampaign('cast-2024');
    const outcomes = selectNominations(cast, [
      nomination('a', [5, 5, 5]),
      nomination('b', [4, 4, 4]),
      nomination('c', [3, 3, 3]),
    ]);
    expect(outcomes.every((o) => o.selected)).toBe(true);
  });

  it('holds the quota for any number of tied nominations', () => {
    const ties = Array.from({ length: 12 }, (_, i) =>
      nomination(`t${String(i).padStart(2, '0')}`, [7, 7, 7]),
    );
    const selected = selectNominations(cacs, ties).filter((o) => o.selected);
    expect(selected.map((o) => o.nominationId)).toEqual(['t00', 't01']);
  });
});

describe('discretionary selection (择优 is the secretariat’s decision)', () => {
  const by = { subjectId: 'sec-1', name: '孟曦' };
  const at = '2025-02-20T10:00:00.000Z';
  const include = (nominationId: string, reason: string): NominationDecision => ({
    nominationId,
    category: 'volunteer',
    decision: 'include',
    reason,
    by,
    at,
  });
  const leaveOut = (nominationId: string, reason: string): NominationDecision => ({
    ...include(nominationId, reason),
    decision: 'leave-out',
  });
  const four = [
    nomination('v1', [9, 9, 9]),
    nomination('v2', [8, 8, 8]),
    nomination('v3', [7, 7, 7]),
    nomination('v4', [6, 6, 6]),
  ];
  const verdicts = (outcomes: SelectionOutcome[]) =>
    outcomes.map((o) => [o.nominationId, o.selected, o.proposed, o.reason]);

  it('includes a nomination below the quota line with its reason; the last within the line gives up its place', () => {
    const outcomes = selectNominations(cacs, four, {
      decisions: [include('v3', '长期扎根乡村一线，事迹突出')],
      limits: [],
    });
    expect(verdicts(outcomes)).toEqual([
      ['v1', true, true, 'within-quota'],
      ['v2', false, true, 'below-quota-line'],
      ['v3', true, false, 'included-by-secretariat'],
      ['v4', false, false, 'below-quota-line'],
    ]);
    const v3 = outcomes.find((o) => o.nominationId === 'v3');
    expect(v3?.message.zh).toBe(
      '入选（秘书处择优决定，未按名次）：最美科技志愿者排名第 3 名，得分 70.00。理由：长期扎根乡村一线，事迹突出',
    );
    expect(v3?.againstRanking).toEqual({ reason: '长期扎根乡村一线，事迹突出', by, at });
    const v2 = outcomes.find((o) => o.nominationId === 'v2');
    expect(v2?.message.zh).toContain('名额由秘书处择优决定的推荐占用');
    expect(v2?.againstRanking?.reason).toBe('长期扎根乡村一线，事迹突出');
    // Ranks stay the score order: the decision departs from it, it does not rewrite it.
    expect(outcomes.map((o) => o.rank)).toEqual([1, 2, 3, 4]);
    expect(outcomes.find((o) => o.nominationId === 'v1')?.againstRanking).toBeUndefined();
  });

  it('leaves out a nomination within the quota with its reason, and the next in order takes the place', () => {
    const outcomes = selectNominations(cacs, four, {
      decisions: [leaveOut('v1', '材料与事实不符')],
      limits: [],
    });
    expect(verdicts(outcomes)).toEqual([
      ['v1', false, true, 'left-out-by-secretariat'],
      ['v2', true, true, 'within-quota'],
      ['v3', true, false, 'within-quota'],
      ['v4', false, false, 'below-quota-line'],
    ]);
    expect(outcomes.find((o) => o.nominationId === 'v3')?.againstRanking?.reason).toBe('材料与事实不符');
    expect(outcomes[0]?.message.en).toBe(
      "Not selected (the secretariat's decision, against the score order): ranked 1 in Outstanding S&T volunteer, score 90.00. Reason: 材料与事实不符",
    );
  });

  it('forwards fewer than the quota in a category when the secretariat says so, with its reason', () => {
    const outcomes = selectNominations(cacs, four, {
      decisions: [],
      limits: [{ category: 'volunteer', forward: 1, reason: '本类别仅一项达到推荐水平', by, at }],
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1']);
    const v2 = outcomes.find((o) => o.nominationId === 'v2');
    expect(v2?.message.zh).toBe(
      '未入选：最美科技志愿者排名第 2 名，在名额（1 个）之外；本类别拟报送 1 个，少于名额。理由：本类别仅一项达到推荐水平',
    );
    expect(v2?.againstRanking?.reason).toBe('本类别仅一项达到推荐水平');
    // A limit of null is the full quota again.
    const again = selectNominations(cacs, four, {
      decisions: [],
      limits: [{ category: 'volunteer', forward: null, reason: '恢复', by, at }],
    });
    expect(again.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v2']);
  });

  it('never selects more than the places, whatever is included', () => {
    const outcomes = selectNominations(cacs, four, {
      decisions: [include('v2', '甲'), include('v3', '乙'), include('v4', '丙')],
      limits: [],
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v2', 'v3']);
    expect(outcomes.find((o) => o.nominationId === 'v4')?.reason).toBe('included-over-quota');
  });

  it('takes back a decision with follow-ranking', () => {
    const outcomes = selectNominations(cacs, four, {
      decisions: [{ ...include('v3', '甲'), decision: 'follow-ranking' }],
      limits: [],
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v2']);
    expect(outcomes.every((o) => !o.againstRanking && !o.decision)).toBe(true);
  });

  it('lets a campaign require a minimum of "recommend" votes: one of three is not enough, whatever the score', () => {
    const majority: Campaign = { ...cacs, selection: { ...cacs.selection, minimumRecommendations: 2 } };
    const oneVote = nomination('v1', [10, 10, 10], {
      reviews: [review('expert-1', 10, true), review('expert-2', 10, false), review('expert-3', 10, false)],
    });
    const outcomes = selectNominations(majority, [oneVote, nomination('v2', [6, 6, 6])]);
    expect(verdicts(outcomes)).toEqual([
      ['v2', true, true, 'within-quota'],
      ['v1', false, false, 'too-few-recommendations'],
    ]);
    expect(outcomes[1]?.message.zh).toBe('推荐票 1/3，少于本轮要求的 2 票');
    // Without the campaign's minimum, the mean alone ranks it first.
    expect(selectNominations(cacs, [oneVote]).map((o) => o.selected)).toEqual([true]);
  });
});

describe('the rubric’s refusals, word for word', () => {
  it('names each criterion in both languages, with its path, and sums them up as a review error', () => {
    try {
      weightedTotal(cacs, { scores: { exemplary: 11, representative: 5, 'sound-practice': 5, style: 3 } });
      expect.unreachable();
    } catch (error) {
      const refusal = error as ValidationError;
      expect(refusal.issues).toEqual([
        {
          path: ['scores', 'exemplary'],
          code: 'out_of_range',
          message: {
            zh: '先进性：事迹突出、群众公认：分数须在 0—10 之间',
            en: 'Exemplary deeds, publicly recognised: score must be 0–10',
          },
        },
        {
          path: ['scores', 'st-character'],
          code: 'required',
          message: {
            zh: '科技特色与服务成效：未评分',
            en: 'S&T character and results of the service: no score',
          },
        },
        {
          path: ['scores', 'style'],
          code: 'unknown_field',
          message: { zh: '没有评审指标“style”', en: 'no criterion "style"' },
        },
      ]);
      expect(refusal.messages).toEqual({
        zh: '评分有 3 处错误：先进性：事迹突出、群众公认：分数须在 0—10 之间',
        en: 'The review has 3 error(s): Exemplary deeds, publicly recognised: score must be 0–10',
      });
    }
  });

  it('takes a score exactly on 0 and on the maximum', () => {
    const scores = { exemplary: 0, 'st-character': 10, representative: 10, 'sound-practice': 0 };
    expect(weightedTotal(cacs, { scores })).toBe(50);
  });
});

describe('z-score normalisation, figure by figure', () => {
  const zCampaign: Campaign = { ...cacs, review: { ...cacs.review, normalisation: 'z-score' } };

  it('standardises each expert over the nominations they reviewed; an expert of one nomination counts 0', () => {
    // e1 gives 90, 80, 70 (mean 80, sd √(200/3)); e2 gives 50, 30 (mean 40, sd 10); e3 reviews C only.
    const a = { ...nomination('A', []), reviews: [review('e1', 9), review('e2', 5)] };
    const b = { ...nomination('B', []), reviews: [review('e1', 8), review('e2', 3)] };
    const c = { ...nomination('C', []), reviews: [review('e1', 7), review('e3', 6)] };
    const [sa, sb, sc] = scoreNominations(zCampaign, [a, b, c]);
    const z1 = 10 / Math.sqrt(200 / 3);
    expect(sa?.score).toBeCloseTo((z1 + 1) / 2, 9);
    expect(sb?.score).toBeCloseTo((0 - 1) / 2, 9);
    expect(sc?.score).toBeCloseTo((-z1 + 0) / 2, 9);
    // What people are shown stays the plain mean of the totals.
    expect([sa?.meanTotal, sb?.meanTotal, sc?.meanTotal]).toEqual([70, 55, 65]);
  });

  it('counts an expert whose totals are all equal as 0, not as a division by zero', () => {
    const a = { ...nomination('A', []), reviews: [review('same', 7), review('e2', 9)] };
    const b = { ...nomination('B', []), reviews: [review('same', 7), review('e2', 5)] };
    expect(scoreNominations(zCampaign, [a, b]).map((s) => s.score)).toEqual([0.5, -0.5]);
  });
});

describe('comparing two nominations for the ranking', () => {
  const scored = (nominationId: string, over: Partial<ScoredNomination> = {}): ScoredNomination => {
    const [s] = scoreNominations(cacs, [nomination(nominationId, [8, 8, 8])]);
    return { ...(s as ScoredNomination), ...over };
  };

  it('ignores the grassroots mark unless asked to put it first', () => {
    const grassroots = scored('b', { grassroots: true });
    const plain = scored('a');
    expect(compareForRanking(plain, grassroots)).toEqual({ order: -1, decidedBy: 'nomination-id' });
    expect(compareForRanking(plain, grassroots, true)).toEqual({ order: 1, decidedBy: 'grassroots' });
    expect(rankCategory([grassroots, plain]).map((r) => r.nominationId)).toEqual(['a', 'b']);
    expect(rankCategory([plain, grassroots], true).map((r) => r.nominationId)).toEqual(['b', 'a']);
  });

  it('puts more recommendations, then the higher lowest total, first (negative order: a ranks first)', () => {
    const more = scored('z', { recommendations: 3 });
    const fewer = scored('a', { recommendations: 2 });
    expect(compareForRanking(more, fewer)).toEqual({ order: -1, decidedBy: 'recommendations' });
    expect(compareForRanking(fewer, more)).toEqual({ order: 1, decidedBy: 'recommendations' });
    const steady = scored('z', { lowestTotal: 75 });
    const contested = scored('a', { lowestTotal: 60 });
    expect(compareForRanking(steady, contested)).toEqual({ order: -15, decidedBy: 'lowest-total' });
    expect(compareForRanking(contested, steady)).toEqual({ order: 15, decidedBy: 'lowest-total' });
  });

  it('takes a difference of a billionth or less as rounding noise, a tie', () => {
    const a = scored('a', { lowestTotal: 1e-9, submittedAt: '2025-02-01T10:00:00+08:00' });
    const b = scored('b', { lowestTotal: 0, submittedAt: '2025-02-01T10:00:01+08:00' });
    expect(compareForRanking(a, b)).toEqual({ order: -1000, decidedBy: 'submitted-at' });
  });

  it('orders by id last, both ways, and finds a nomination equal to itself', () => {
    const w = scored('w');
    const x = scored('x');
    expect(compareForRanking(w, x)).toEqual({ order: -1, decidedBy: 'nomination-id' });
    expect(compareForRanking(x, w)).toEqual({ order: 1, decidedBy: 'nomination-id' });
    expect(compareForRanking(x, x)).toEqual({ order: 0, decidedBy: 'nomination-id' });
  });
});

describe('what a nomination that does not compete is told', () => {
  it('words each reason in both languages', () => {
    const strict: Campaign = {
      ...cacs,
      selection: { ...cacs.selection, minimumScore: 65, minimumRecommendations: 2 },
    };
    const outcomes = selectNominations(strict, [
      nomination('ex', [10, 10, 10], { excluded: { zh: '曾入选2021年度典型', en: 'a 2021 model' } }),
      nomination('few', [7, 7]),
      nomination('low', [6, 6, 6]),
      nomination('votes', [], {
        reviews: [review('e1', 9, true), review('e2', 9, false), review('e3', 9, false)],
      }),
    ]);
    expect(Object.fromEntries(outcomes.map((o) => [o.nominationId, [o.rank, o.reason, o.message]]))).toEqual({
      ex: [
        null,
        'excluded',
        { zh: '不参加择优：曾入选2021年度典型', en: 'Not eligible for selection: a 2021 model' },
      ],
      few: [null, 'reviews-incomplete', { zh: '专家评审未完成（2/3）', en: 'Reviews incomplete (2/3)' }],
      low: [
        null,
        'below-minimum-score',
        { zh: '平均分 60.00 低于最低分 65', en: 'Mean score 60.00 is below the minimum 65' },
      ],
      votes: [
        null,
        'too-few-recommendations',
        {
          zh: '推荐票 1/3，少于本轮要求的 2 票',
          en: '1 of 3 experts recommend; this round needs at least 2',
        },
      ],
    });
  });

  it('lets a nomination exactly on the minimum score and the minimum votes compete', () => {
    const strict: Campaign = {
      ...cacs,
      selection: { ...cacs.selection, minimumScore: 60, minimumRecommendations: 2 },
    };
    const onTheLine = nomination('v1', [], {
      reviews: [review('e1', 6, true), review('e2', 6, true), review('e3', 6, false)],
    });
    expect(selectNominations(strict, [onTheLine]).map((o) => [o.selected, o.reason])).toEqual([
      [true, 'within-quota'],
    ]);
  });

  it('lists those that do not compete after the ranked, the higher mean first', () => {
    const outcomes = selectNominations(cacs, [
      nomination('v1', [6, 6, 6]),
      nomination('low', [5, 5]),
      nomination('high', [9, 9]),
    ]);
    expect(outcomes.map((o) => o.nominationId)).toEqual(['v1', 'high', 'low']);
  });
});

describe('every verdict’s wording', () => {
  const by = { subjectId: 'sec-1', name: '孟曦' };
  const at = '2025-02-20T10:00:00.000Z';
  const decide = (
    nominationId: string,
    decision: NominationDecision['decision'],
    reason: string,
    category: CategoryId = 'volunteer',
  ): NominationDecision => ({ nominationId, category, decision, reason, by, at });
  const four = () => [
    nomination('v1', [9, 9, 9]),
    nomination('v2', [8, 8, 8]),
    nomination('v3', [7, 7, 7]),
    nomination('v4', [6, 6, 6]),
  ];
  const find = (outcomes: SelectionOutcome[], id: string) =>
    outcomes.find((o) => o.nominationId === id) as SelectionOutcome;

  it('says selected, with the quota or without one, and a tie in English', () => {
    const outcomes = selectNominations(cacs, [nomination('v1', [9, 9, 9]), nomination('v2', [9, 9, 9])]);
    expect(find(outcomes, 'v1').message).toEqual({
      zh: '入选：最美科技志愿者排名第 1 名，得分 90.00，名额 2 个',
      en: 'Selected: ranked 1 in Outstanding S&T volunteer, score 90.00, quota 2',
    });
    expect(find(outcomes, 'v2').message.en).toBe(
      'Selected: ranked 2 in Outstanding S&T volunteer, score 90.00, quota 2 (tied on score with the one above; ordered by nomination id)',
    );
    const cast = builtinCampaign('cast-2024');
    const [open] = selectNominations(cast, [nomination('a', [5, 5, 5])]);
    expect(open?.message).toEqual({
      zh: '入选：最美科技志愿者排名第 1 名，得分 50.00',
      en: 'Selected: ranked 1 in Outstanding S&T volunteer, score 50.00',
    });
  });

  it('says “overall” under a total quota', () => {
    const total: Campaign = {
      ...cacs,
      selection: { ...cacs.selection, quota: { scope: 'total', limit: 1 } },
    };
    const outcomes = selectNominations(total, [
      nomination('v1', [9, 9, 9]),
      nomination('o1', [8, 8, 8], {}, 'organization'),
    ]);
    expect(find(outcomes, 'o1').message).toEqual({
      zh: '未入选：总排名第 2 名，在名额（1 个）之外',
      en: 'Not selected: ranked 2 overall, below the quota line of 1',
    });
  });

  it('words an inclusion the ranking proposed anyway as within the quota, keeping the decision', () => {
    const decision = decide('v1', 'include', '事迹突出');
    const outcomes = selectNominations(cacs, four(), { decisions: [decision], limits: [] });
    const v1 = find(outcomes, 'v1');
    expect([v1.selected, v1.proposed, v1.reason]).toEqual([true, true, 'within-quota']);
    expect(v1.message).toEqual({
      zh: '入选（秘书处择优决定）：最美科技志愿者排名第 1 名，得分 90.00。理由：事迹突出',
      en: "Selected (the secretariat's decision): ranked 1 in Outstanding S&T volunteer, score 90.00. Reason: 事迹突出",
    });
    expect(v1.decision).toEqual(decision);
    expect(v1.againstRanking).toBeUndefined();
    expect(find(outcomes, 'v2').decision).toBeUndefined();
  });

  it('words an inclusion against the order in English too', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [decide('v3', 'include', '扎根一线')],
      limits: [],
    });
    expect(find(outcomes, 'v3').message.en).toBe(
      "Selected (the secretariat's decision, against the score order): ranked 3 in Outstanding S&T volunteer, score 70.00. Reason: 扎根一线",
    );
    expect(find(outcomes, 'v2').message.en).toBe(
      'Not selected: ranked 2 in Outstanding S&T volunteer, below the quota line of 2; its place went to a nomination the secretariat included',
    );
  });

  it('words an inclusion that found no place', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [
        decide('v2', 'include', '甲'),
        decide('v3', 'include', '乙'),
        decide('v4', 'include', '丙'),
      ],
      limits: [],
    });
    expect(find(outcomes, 'v4').message).toEqual({
      zh: '未入选：秘书处决定选入，但名额（2 个）已满。理由：丙',
      en: 'Not selected: the secretariat included it, but the 2 place(s) are taken. Reason: 丙',
    });
  });

  it('words a leaving out, of a proposed and of an unproposed nomination', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [decide('v2', 'leave-out', '材料不实'), decide('v4', 'leave-out', '重复申报')],
      limits: [],
    });
    expect(find(outcomes, 'v2').message).toEqual({
      zh: '未入选（秘书处择优决定，未按名次）：最美科技志愿者排名第 2 名，得分 80.00。理由：材料不实',
      en: "Not selected (the secretariat's decision, against the score order): ranked 2 in Outstanding S&T volunteer, score 80.00. Reason: 材料不实",
    });
    expect(find(outcomes, 'v4').message).toEqual({
      zh: '未入选（秘书处择优决定）：最美科技志愿者排名第 4 名，得分 60.00。理由：重复申报',
      en: "Not selected (the secretariat's decision): ranked 4 in Outstanding S&T volunteer, score 60.00. Reason: 重复申报",
    });
  });

  it('words forwarding fewer than the quota in English', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [],
      limits: [{ category: 'volunteer', forward: 1, reason: 'only one is ready', by, at }],
    });
    expect(find(outcomes, 'v2').message.en).toBe(
      'Not selected: ranked 2 in Outstanding S&T volunteer, below the quota line of 1; 1 forwarded in this category, fewer than the quota. Reason: only one is ready',
    );
  });
});

describe('which decision turned the proposal round', () => {
  const by = { subjectId: 'sec-1', name: '孟曦' };
  const at = '2025-02-20T10:00:00.000Z';
  const decide = (
    nominationId: string,
    decision: NominationDecision['decision'],
    reason: string,
    category: CategoryId = 'volunteer',
  ): NominationDecision => ({ nominationId, category, decision, reason, by, at });
  const four = (category: CategoryId = 'volunteer') =>
    ['9', '8', '7', '6'].map((mark, i) =>
      nomination(`${category[0]}${i + 1}`, [+mark, +mark, +mark], {}, category),
    );
  const turned = (outcomes: SelectionOutcome[], id: string) =>
    outcomes.find((o) => o.nominationId === id)?.againstRanking?.reason;

  it('names the inclusion that took the place, not one that found none', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [
        decide('v4', 'include', '丙'),
        decide('v2', 'include', '甲'),
        decide('v3', 'include', '乙'),
      ],
      limits: [],
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v2', 'v3']);
    expect(turned(outcomes, 'v1')).toBe('甲');
  });

  it('names the leaving out that freed the place, not one of a nomination never proposed', () => {
    const outcomes = selectNominations(cacs, four(), {
      decisions: [decide('v4', 'leave-out', '重复申报'), decide('v1', 'leave-out', '材料不实')],
      limits: [],
    });
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v2', 'v3']);
    expect(turned(outcomes, 'v3')).toBe('材料不实');
  });

  it('looks only in the nomination’s own category under a per-category quota', () => {
    const outcomes = selectNominations(cacs, [...four('project'), ...four()], {
      decisions: [decide('p3', 'include', '项目理由', 'project'), decide('v3', 'include', '志愿者理由')],
      limits: [],
    });
    expect(turned(outcomes, 'v2')).toBe('志愿者理由');
    expect(turned(outcomes, 'p2')).toBe('项目理由');
  });

  it('looks in every category under a total quota', () => {
    const total: Campaign = {
      ...cacs,
      selection: { ...cacs.selection, quota: { scope: 'total', limit: 2 } },
    };
    const outcomes = selectNominations(
      total,
      [
        nomination('v1', [9, 9, 9]),
        nomination('o1', [8, 8, 8], {}, 'organization'),
        nomination('v2', [7, 7, 7]),
      ],
      { decisions: [decide('v2', 'include', '扎根一线')], limits: [] },
    );
    expect(outcomes.filter((o) => o.selected).map((o) => o.nominationId)).toEqual(['v1', 'v2']);
    expect(turned(outcomes, 'o1')).toBe('扎根一线');
  });
});
