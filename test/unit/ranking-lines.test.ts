import { describe, expect, it } from 'vitest';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { nameSearchKey, searchPrefix } from '../../functions/rules/nomination-view.js';
import {
  type RankedRow,
  type RankingShown,
  rankingLines,
  rankingShownFrom,
  rankingShownOf,
} from '../../functions/rules/ranking-lines.js';
import { type SelectionOutcome, selectNominations } from '../../functions/rules/scoring.js';
import {
  chosenCategory,
  pageRange,
  rankingCategories,
} from '../../web/src/pages/secretariat/ranking-state.js';
import { validForms } from '../fixtures/forms.js';
import { CRITERIA } from '../support/memory/people.js';

/**
 * The ranking page's lines (functions/rules/ranking-lines.ts): previews and confirmed verdicts in
 * rank order, narrowed by the start of the name and by unit; what a ranking row keeps of its
 * nomination; and the page's state from the overview (web/src/pages/secretariat/ranking-state.ts).
 */

const campaign = builtinCampaign('cacs-2024');
const at = '2025-02-01T00:00:00.000Z';
const reviewed = (id: string, mark: number) => ({
  nominationId: id,
  category: 'volunteer' as const,
  submittedAt: at,
  reviews: ['e1', 'e2', 'e3'].map((expertId) => ({
    expertId,
    scores: Object.fromEntries(CRITERIA.map((c) => [c, mark])),
    recommend: true,
  })),
});
const row = (
  id: string,
  name: string,
  unitId: string,
  status: RankedRow['status'] = 'scored',
): RankedRow => ({
  nominationId: id,
  category: 'volunteer',
  grassroots: false,
  status,
  shown: { name, nameKey: nameSearchKey(name), unitId, unitName: `${unitId}单位` },
});

describe('ranking lines', () => {
  const previews = selectNominations(campaign, [reviewed('a', 9), reviewed('b', 8), reviewed('c', 7)]);
  const rows = [row('a', '张三', 'u1'), row('b', '李四', 'u2'), row('c', '張五', 'u1')];

  it('lists the previews in rank order with name, unit and status', () => {
    const lines = rankingLines(previews, rows);
    expect(lines.map((l) => [l.nominationId, l.rank, l.name, l.unitName, l.selected, l.confirmed])).toEqual([
      ['a', 1, '张三', 'u1单位', true, false],
      ['b', 2, '李四', 'u2单位', true, false],
      ['c', 3, '張五', 'u1单位', false, false],
    ]);
  });

  it('narrows to names starting with the search, folded, and to one unit, keeping the ranks', () => {
    const names = (search: Parameters<typeof rankingLines>[2]) =>
      rankingLines(previews, rows, search).map((l) => [l.name, l.rank]);
    expect(names({ namePrefix: searchPrefix('张') })).toEqual([
      ['张三', 1],
      ['張五', 3],
    ]);
    expect(names({ unitId: 'u1', namePrefix: searchPrefix('張五') })).toEqual([['張五', 3]]);
    expect(names({ unitId: 'u2' })).toEqual([['李四', 2]]);
    expect(names({ namePrefix: searchPrefix('三') })).toEqual([]);
  });

  it('shows a decided nomination by its confirmed verdict, after the previews ranked before it', () => {
    const decided: RankedRow = {
      ...row('d', '王六', 'u3', 'not-selected'),
      shown: {
        ...row('d', '王六', 'u3').shown,
        selection: { rank: 4, selected: false, message: { zh: '名额已满', en: 'quota reached' } },
        score: { meanTotal: 60, expertTotals: [60, 60, 60], recommendations: 3 },
      },
    };
    const lines = rankingLines(previews, [...rows, decided]);
    expect(lines.at(-1)).toMatchObject({
      nominationId: 'd',
      rank: 4,
      selected: false,
      confirmed: true,
      status: 'not-selected',
      statistics: null,
      meanTotal: 60,
      name: '王六',
    });
  });

  it('keeps the name on the ranking row only while the ranking places the nomination', () => {
    const nomination = {
      id: 'n1',
      campaignId: 'cacs-2024',
      unitId: 'u1',
      unitName: '第一单位',
      category: 'volunteer',
      status: 'scored',
      form: { ...(validForms.volunteer as unknown as Record<string, unknown>), name: '张三' },
    } as unknown as Nomination;
    expect(rankingShownOf(nomination)).toMatchObject({
      name: '张三',
      nameKey: nameSearchKey('张三'),
      unitId: 'u1',
    });
    expect(rankingShownOf({ ...nomination, status: 'withdrawn' })).toBeUndefined();
    expect(rankingShownOf({ ...nomination, status: 'in-review' })).toBeUndefined();
  });
});

describe('the ranking page’s state', () => {
  const stats = {
    byCategory: [
      { category: 'volunteer', total: 5, submitted: 5, byStatus: { scored: 3, 'in-review': 2 } },
      { category: 'organization', total: 2, submitted: 2, byStatus: { selected: 1, 'not-selected': 1 } },
      { category: 'project', total: 1, submitted: 1, byStatus: { submitted: 1 } },
      { category: 'site', total: 0, submitted: 0, byStatus: {} },
    ],
  } as never;

  it('takes each category’s ranked, awaiting and pending counts from the overview', () => {
    expect(rankingCategories(stats)).toEqual([
      { category: 'volunteer', ranked: 3, awaiting: 3, pending: 2 },
      { category: 'organization', ranked: 2, awaiting: 0, pending: 0 },
      { category: 'project', ranked: 0, awaiting: 0, pending: 1 },
    ]);
    expect(rankingCategories(null)).toEqual([]);
  });

  it('shows the category asked for when it has a ranking, else the first that has', () => {
    const categories = rankingCategories(stats);
    expect(chosenCategory(categories, 'organization')).toBe('organization');
    expect(chosenCategory(categories, 'project')).toBe('volunteer');
    expect(chosenCategory(categories, undefined)).toBe('volunteer');
    expect(chosenCategory([], 'volunteer')).toBeUndefined();
  });

  it('counts the rows a page shows from 1', () => {
    expect(pageRange(1, 100, 100)).toEqual({ from: 1, to: 100 });
    expect(pageRange(2, 30, 100)).toEqual({ from: 101, to: 130 });
    expect(pageRange(3, 0, 100)).toBeUndefined();
  });
});

describe('ranking lines built from rows made in the test', () => {
  const outcome = (id: string, rank: number | null, meanTotal: number): SelectionOutcome =>
    ({
      nominationId: id,
      category: 'volunteer',
      rank,
      selected: rank !== null && rank <= 2,
      proposed: rank !== null && rank <= 2,
      reason: rank === null ? 'not-competing' : 'within-quota',
      message: { zh: '预览', en: 'preview' },
      meanTotal,
      expertTotals: [meanTotal],
      recommendations: 1,
      grassroots: false,
      statistics: null,
    }) as unknown as SelectionOutcome;
  const decided = (id: string, selection: RankingShown['selection']): RankedRow => ({
    ...row(id, `名${id}`, 'u9', selection?.selected ? 'selected' : 'not-selected'),
    shown: {
      ...row(id, `名${id}`, 'u9').shown,
      ...(selection ? { selection } : {}),
    },
  });

  it('orders by rank, a confirmed verdict among the previews, then the unranked by the higher mean', () => {
    const previews = [
      outcome('p2', 2, 80),
      outcome('p3', 3, 70),
      outcome('x1', null, 50),
      outcome('x2', null, 60),
    ];
    const rows = [
      row('p2', '甲', 'u1'),
      row('p3', '乙', 'u1'),
      row('x1', '丙', 'u1'),
      row('x2', '丁', 'u1'),
      decided('c1', { rank: 1, selected: true, message: { zh: '入选', en: 'selected' } }),
    ];
    expect(rankingLines(previews, rows).map((l) => [l.nominationId, l.rank, l.confirmed])).toEqual([
      ['c1', 1, true],
      ['p2', 2, false],
      ['p3', 3, false],
      ['x2', null, false],
      ['x1', null, false],
    ]);
  });

  it('shows a nomination once, by its preview, while it is previewed again', () => {
    const rows = [decided('p1', { rank: 5, selected: false, message: { zh: '旧', en: 'old' } })];
    expect(
      rankingLines([outcome('p1', 1, 90)], rows).map((l) => [l.nominationId, l.rank, l.confirmed]),
    ).toEqual([['p1', 1, false]]);
  });

  it('leaves out a preview without a ranking row and a row neither previewed nor decided', () => {
    expect(rankingLines([outcome('gone', 1, 90)], [row('waiting', '甲', 'u1')])).toEqual([]);
  });

  it('gives a confirmed verdict without scores zero, no totals, no recommendations, and keeps its decision', () => {
    const againstRanking = {
      reason: '事迹突出',
      by: { subjectId: 's-1', name: '秘书' },
      at: '2025-03-01T00:00:00Z',
    };
    const [line] = rankingLines(
      [],
      [decided('c1', { rank: 3, selected: true, message: { zh: '入选', en: 'selected' }, againstRanking })],
    );
    expect(line).toEqual({
      nominationId: 'c1',
      category: 'volunteer',
      rank: 3,
      selected: true,
      message: { zh: '入选', en: 'selected' },
      againstRanking,
      meanTotal: 0,
      expertTotals: [],
      recommendations: 0,
      grassroots: false,
      statistics: null,
      name: '名c1',
      unitName: 'u9单位',
      status: 'selected',
      confirmed: true,
    });
  });

  it('narrows confirmed verdicts by unit and name like the previews', () => {
    const rows = [
      decided('c1', { rank: 1, selected: true, message: { zh: '入选', en: 'selected' } }),
      { ...row('p2', '甲', 'u1'), status: 'scored' as const },
    ];
    const previews = [outcome('p2', 2, 80)];
    expect(rankingLines(previews, rows, { unitId: 'u9' }).map((l) => l.nominationId)).toEqual(['c1']);
    expect(
      rankingLines(previews, rows, { namePrefix: nameSearchKey('名') }).map((l) => l.nominationId),
    ).toEqual(['c1']);
    expect(
      rankingLines(previews, rows, { unitId: 'u1', namePrefix: nameSearchKey('甲') }).map(
        (l) => l.nominationId,
      ),
    ).toEqual(['p2']);
  });

  it('keeps on the ranking row the verdict and the scores, without the lowest total', () => {
    const selection = { rank: 2, selected: true, message: { zh: '入选', en: 'selected' } };
    expect(
      rankingShownFrom({
        status: 'selected',
        name: '张三',
        unitId: 'u1',
        unitName: '第一单位',
        selection,
        score: { meanTotal: 88.5, expertTotals: [90, 87], recommendations: 2, lowestTotal: 87 },
      }),
    ).toEqual({
      name: '张三',
      nameKey: nameSearchKey('张三'),
      unitId: 'u1',
      unitName: '第一单位',
      selection,
      score: { meanTotal: 88.5, expertTotals: [90, 87], recommendations: 2 },
    });
    expect(rankingShownFrom({ status: 'scored', name: '李四', unitId: 'u2', unitName: '第二单位' })).toEqual({
      name: '李四',
      nameKey: nameSearchKey('李四'),
      unitId: 'u2',
      unitName: '第二单位',
    });
  });
});
