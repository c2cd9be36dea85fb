import { describe, expect, it } from 'vitest';
import { expertPanelSchema, shapeExpertPanel } from '../../functions/rules/expert-panel.js';
import { displayNameOf, type FormDataByCategory } from '../../functions/rules/forms/index.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import type { Assignment, ConflictDismissal, Expert } from '../../functions/rules/review.js';
import { validForms } from '../fixtures/forms.js';

/**
 * The secretariat's panel (functions/rules/expert-panel.ts) on one made-up round, asserted whole:
 * which expert counts what, which reviewer is overdue, withdrawn, declared or now in conflict, which
 * nominations are listed and in what order. read-views.test.ts checks it through the use case.
 */

const AT = '2025-01-21T01:00:00.000Z';
const expert = (id: string, over: Partial<Expert> = {}): Expert => ({
  id,
  campaignId: 'cast-2024',
  name: `专家${id}`,
  email: `${id}@review.cn`,
  load: 0,
  ...over,
});
const assignment = (nominationId: string, expertId: string, over: Partial<Assignment> = {}): Assignment => ({
  nominationId,
  expertId,
  expertName: `专家${expertId}`,
  assignedAt: AT,
  ...over,
});
const reviewed = (expertId: string) => ({
  review: { expertId, scores: {}, recommend: true, total: 80, submittedAt: '2025-01-22T01:00:00.000Z' },
});
const withdrawn = { at: AT, reason: 'declined' as const, note: '' };
type PanelNomination = Parameters<typeof shapeExpertPanel>[0]['nominations'][number];
const nomination = (id: string, over: Partial<Nomination> = {}): PanelNomination => ({
  id,
  unitId: 'other',
  unitName: '其他学会',
  category: 'volunteer',
  status: 'in-review',
  form: validForms.volunteer as unknown as Record<string, unknown>,
  ...over,
});
const nameOf = (n: PanelNomination) =>
  displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);

describe('the expert panel, whole', () => {
  // Given out of order: the panel sorts experts, reviewers and nominations itself.
  const pool = [
    expert('e3'),
    expert('e1', { affiliation: 'astro', categories: ['project'], maxLoad: 2 }),
    expert('e2'),
    expert('e4', { affiliation: 'geo' }),
  ];
  const n1 = nomination('n-1', { unitId: 'astro', unitName: '中国天文学会' });
  const n2 = nomination('n-2', {
    unitId: 'geo',
    unitName: '中国地质学会',
    category: 'project',
    form: validForms.project as unknown as Record<string, unknown>,
  });
  const n0 = nomination('n-0');
  const submitted = nomination('n-3', { status: 'submitted' });
  const scored = nomination('n-4', { status: 'scored' });
  const dismissals: ConflictDismissal[] = [
    { nominationId: 'n-2', expertId: 'e4', reason: '同名不同单位', at: AT, by: 'secretariat-1' },
    { nominationId: 'n-2', expertId: 'gone', reason: '已离开专家库', at: AT, by: 'secretariat-1' },
  ];
  // Shaped inside each test, never at collection: Stryker switches a mutant on only while the
  // tests run, so a panel built in the describe body would be the unmutated one.
  const shapePanel = () =>
    shapeExpertPanel({
      campaignId: 'cast-2024',
      expertsPerNomination: 2,
      pool,
      assignments: [
        assignment('n-1', 'e4', { overdueAt: AT, withdrawn }),
        assignment('n-1', 'e2', {
          ...reviewed('e2'),
          overdueAt: AT,
          declaration: { at: AT, conflict: null },
        }),
        assignment('n-1', 'e3', { overdueAt: AT, extraDays: 2 }),
        assignment('n-1', 'e1', { withdrawn: { at: AT, reason: 'conflict', note: '本单位' } }),
        assignment('n-2', 'e3', { declaration: { at: AT, conflict: 'relative' } }),
        // A withdrawn reviewer leaves n-2 still waiting for a second expert.
        assignment('n-2', 'e4', { withdrawn }),
        assignment('n-4', 'e1', reviewed('e1')),
      ],
      nominations: [n2, submitted, n1, scored, n0],
      dismissals,
      defaultMaxLoad: 5,
    });
  const reviewer = (expertId: string, over: object = {}) => ({
    expertId,
    name: `专家${expertId}`,
    assignedAt: AT,
    done: false,
    submittedAt: null,
    conflict: false,
    declared: false,
    overdue: false,
    extraDays: 0,
    withdrawn: null,
    ...over,
  });

  it('counts each expert’s live assignments, reviews done and overdue ones, with their own cap or the campaign’s', () => {
    const panel = shapePanel();
    expect(expertPanelSchema().parse(panel)).toEqual(panel);
    expect(panel.experts).toEqual([
      {
        id: 'e1',
        name: '专家e1',
        email: 'e1@review.cn',
        affiliation: 'astro',
        categories: ['project'],
        maxLoad: 2,
        assigned: 1,
        done: 1,
        overdue: 0,
      },
      {
        id: 'e2',
        name: '专家e2',
        email: 'e2@review.cn',
        affiliation: null,
        categories: [],
        maxLoad: 5,
        assigned: 1,
        done: 1,
        overdue: 0,
      },
      {
        id: 'e3',
        name: '专家e3',
        email: 'e3@review.cn',
        affiliation: null,
        categories: [],
        maxLoad: 5,
        assigned: 2,
        done: 0,
        overdue: 1,
      },
      {
        id: 'e4',
        name: '专家e4',
        email: 'e4@review.cn',
        affiliation: 'geo',
        categories: [],
        maxLoad: 5,
        assigned: 0,
        done: 0,
        overdue: 0,
      },
    ]);
    const withoutCap = shapeExpertPanel({
      campaignId: 'c',
      expertsPerNomination: 1,
      pool,
      assignments: [],
      nominations: [],
    });
    expect(withoutCap.experts.map((e) => e.maxLoad)).toEqual([2, null, null, null]);
  });

  it('lists the nominations with reviewers or in review, by category then id, each with its reviewers’ state', () => {
    expect(shapePanel().nominations).toEqual([
      {
        id: 'n-0',
        category: 'volunteer',
        displayName: nameOf(n0),
        unitId: 'other',
        unitName: '其他学会',
        status: 'in-review',
        reviewers: [],
        excludedByConflict: [],
        dismissedConflicts: [],
        eligibleExperts: 4,
        awaitingExperts: true,
      },
      {
        id: 'n-1',
        category: 'volunteer',
        displayName: nameOf(n1),
        unitId: 'astro',
        unitName: '中国天文学会',
        status: 'in-review',
        reviewers: [
          reviewer('e1', { conflict: true, withdrawn: { at: AT, reason: 'conflict', note: '本单位' } }),
          reviewer('e2', { done: true, submittedAt: '2025-01-22T01:00:00.000Z', declared: true }),
          reviewer('e3', { overdue: true, extraDays: 2 }),
          reviewer('e4', { withdrawn }),
        ],
        excludedByConflict: [{ expertId: 'e1', name: '专家e1', kinds: ['nominating-unit'] }],
        dismissedConflicts: [],
        eligibleExperts: 3,
        awaitingExperts: false,
      },
      {
        id: 'n-4',
        category: 'volunteer',
        displayName: nameOf(scored),
        unitId: 'other',
        unitName: '其他学会',
        status: 'scored',
        reviewers: [reviewer('e1', { done: true, submittedAt: '2025-01-22T01:00:00.000Z' })],
        excludedByConflict: [],
        dismissedConflicts: [],
        eligibleExperts: 4,
        awaitingExperts: false,
      },
      {
        id: 'n-2',
        category: 'project',
        displayName: nameOf(n2),
        unitId: 'geo',
        unitName: '中国地质学会',
        status: 'in-review',
        reviewers: [reviewer('e3'), reviewer('e4', { withdrawn })],
        // e4 belongs to the unit, but the secretariat dismissed that conflict.
        excludedByConflict: [],
        dismissedConflicts: [
          { expertId: 'e4', name: '专家e4', reason: '同名不同单位', at: AT },
          { expertId: 'gone', name: 'gone', reason: '已离开专家库', at: AT },
        ],
        eligibleExperts: 4,
        awaitingExperts: true,
      },
    ]);
  });
});
