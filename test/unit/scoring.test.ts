import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { NominationDecision } from '../../functions/rules/discretion.js';
import { ValidationError } from '../../functions/rules/errors.js';
import {
  type ExpertReview,
  type ReviewedNomination,
  rankCategory,
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
