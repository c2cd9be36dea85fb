import { describe, expect, it } from 'vitest';
import type { Actor } from '../../functions/rules/access.js';
import { BUILTIN_CAMPAIGNS } from '../../functions/rules/campaigns/index.js';
import type { CriterionResult } from '../../functions/rules/eligibility.js';
import type { DomainError } from '../../functions/rules/errors.js';
import { expertPanelSchema, shapeExpertPanel } from '../../functions/rules/expert-panel.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import {
  mayDownloadFiles,
  nominationDetail,
  nominationView,
  pastHonoureeFlag,
  withoutTaskToken,
} from '../../functions/rules/nomination-view.js';
import { nominationDetailSchema } from '../../functions/rules/nomination-view-schemas.js';
import type { Assignment, Expert } from '../../functions/rules/review.js';
import { expertPanel } from '../../functions/use-cases/expert-panel.js';
import { campaignOverview } from '../../functions/use-cases/overview.js';
import { validForms } from '../fixtures/forms.js';

const actor = (role: Actor['role'], campaignId = 'cast-2024'): Actor => ({
  role,
  campaignId,
  subjectId: `${role}-1`,
  name: role,
  email: `${role}@example.cn`,
  ...(role === 'unit' ? { unitType: 'national-society' } : {}),
});

const nomination = (over: Partial<Nomination> = {}): Nomination => ({
  id: 'n-0000000001',
  campaignId: 'cast-2024',
  unitId: 'astro',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'in-review',
  version: 4,
  form: validForms.volunteer as unknown as Record<string, unknown>,
  attachments: [],
  noClassifiedContent: true,
  createdAt: '2025-01-20T01:00:00.000Z',
  updatedAt: '2025-01-20T02:00:00.000Z',
  submittedAt: '2025-01-20T02:00:00.000Z',
  ...over,
});

const expert = (id: string, affiliation?: string): Expert => ({
  id,
  campaignId: 'cast-2024',
  name: `专家${id}`,
  email: `${id}@review.cn`,
  ...(affiliation ? { affiliation } : {}),
  load: 0,
});

const assignment = (nominationId: string, expertId: string, done = false): Assignment => ({
  nominationId,
  expertId,
  expertName: `专家${expertId}`,
  assignedAt: '2025-01-21T01:00:00.000Z',
  linkHash: 'secret-hash',
  ...(done
    ? {
        review: {
          expertId,
          scores: {},
          recommend: true,
          total: 80,
          submittedAt: '2025-01-22T01:00:00.000Z',
        },
      }
    : {}),
});

describe('the expert panel', () => {
  const pool = [expert('e3'), expert('e1', 'astro'), expert('e2'), expert('e4', 'geo')];
  // Shaped in each test, not at collection, so a mutant Stryker switches on is in the panel read.
  const shapePanel = () =>
    shapeExpertPanel({
      campaignId: 'cast-2024',
      expertsPerNomination: 3,
      pool,
      assignments: [
        assignment('n-0000000001', 'e2', true),
        assignment('n-0000000001', 'e3'),
        assignment('n-0000000001', 'e4'),
      ],
      nominations: [
        nomination(),
        nomination({
          id: 'n-0000000002',
          unitId: 'geo',
          category: 'project',
          form: validForms.project as unknown as Record<string, unknown>,
        }),
        nomination({ id: 'n-0000000003', status: 'submitted' }),
      ],
    });

  it('lists the pool with each expert’s reviews assigned and done', () => {
    const panel = shapePanel();
    expect(expertPanelSchema().parse(panel)).toEqual(panel);
    expect(panel.experts.map((e) => [e.id, e.affiliation, e.assigned, e.done])).toEqual([
      ['e1', 'astro', 0, 0],
      ['e2', null, 1, 1],
      ['e3', null, 1, 0],
      ['e4', 'geo', 1, 0],
    ]);
    expect(JSON.stringify(panel)).not.toContain('secret-hash');
  });

  it('shows each assigned nomination’s reviewers and the experts its unit’s affiliation excludes', () => {
    const panel = shapePanel();
    const first = panel.nominations.find((n) => n.id === 'n-0000000001');
    expect(first).toMatchObject({
      displayName: '李晓梅',
      unitId: 'astro',
      excludedByConflict: [{ expertId: 'e1', name: '专家e1' }],
      eligibleExperts: 3,
      awaitingExperts: false,
    });
    expect(first?.reviewers.map((r) => [r.expertId, r.done, r.submittedAt, r.conflict])).toEqual([
      ['e2', true, '2025-01-22T01:00:00.000Z', false],
      ['e3', false, null, false],
      ['e4', false, null, false],
    ]);
  });

  it('flags a nomination in review still waiting for experts, and leaves out those before review', () => {
    const panel = shapePanel();
    expect(panel.nominations.map((n) => n.id)).toEqual(['n-0000000001', 'n-0000000002']);
    expect(panel.nominations[1]).toMatchObject({
      reviewers: [],
      excludedByConflict: [{ expertId: 'e4' }],
      awaitingExperts: true,
    });
  });

  it('marks a reviewer whose affiliation became the nominating unit after assignment', () => {
    const later = shapeExpertPanel({
      campaignId: 'cast-2024',
      expertsPerNomination: 1,
      pool: [expert('e2', 'astro')],
      assignments: [assignment('n-0000000001', 'e2')],
      nominations: [nomination()],
    });
    expect(later.nominations[0]?.reviewers[0]?.conflict).toBe(true);
  });
});

describe('who may read the campaign views', () => {
  const deps = {
    campaigns: BUILTIN_CAMPAIGNS,
    clock: { now: () => new Date('2025-01-20T01:00:00Z') },
    store: {
      listByStatus: async () => [],
      counts: async () => ({}),
      listByUnit: async () => [],
      extensionFor: async () => undefined,
      quotaLedger: async () => ({}),
      get: async () => undefined,
    } as never,
    reviews: {
      listExperts: async () => [],
      assignmentsOfExpert: async () => [],
      conflictDismissals: async () => [],
    },
    campaignStore: {
      state: async (campaignId: string) => ({ campaignId }),
      submissionWindow: async (campaignId: string) => ({ state: { campaignId }, extension: undefined }),
      submissionContext: async (campaignId: string) => ({
        state: { campaignId },
        extension: undefined,
        honourees: [],
      }),
      honourees: async () => [],
    },
  };
  const code = async (work: Promise<unknown>) => {
    try {
      await work;
      return 'ok';
    } catch (error) {
      return `${(error as DomainError).kind}:${(error as DomainError).code}`;
    }
  };

  it('opens the overview to the campaign’s units and secretariat only, and names an unknown campaign', async () => {
    expect(await code(campaignOverview(deps, actor('unit'), 'cast-2024'))).toBe('ok');
    expect(await code(campaignOverview(deps, actor('secretariat'), 'cast-2024'))).toBe('ok');
    expect(await code(campaignOverview(deps, actor('expert'), 'cast-2024'))).toBe('forbidden:FORBIDDEN');
    expect(await code(campaignOverview(deps, actor('ops'), 'cast-2024'))).toBe('forbidden:FORBIDDEN');
    expect(await code(campaignOverview(deps, actor('unit', 'cacs-2024'), 'cast-2024'))).toBe(
      'forbidden:FORBIDDEN',
    );
    expect(await code(campaignOverview(deps, actor('unit'), 'no-such-round'))).toBe('not-found:NOT_FOUND');
  });

  it('opens the expert panel to the campaign’s secretariat only', async () => {
    expect(await code(expertPanel(deps, actor('secretariat'), 'cast-2024'))).toBe('ok');
    expect(await code(expertPanel(deps, actor('unit'), 'cast-2024'))).toBe('forbidden:FORBIDDEN');
    expect(await code(expertPanel(deps, actor('secretariat', 'cacs-2024'), 'cast-2024'))).toBe(
      'forbidden:FORBIDDEN',
    );
    expect(await code(expertPanel(deps, actor('secretariat'), 'no-such-round'))).toBe('not-found:NOT_FOUND');
  });
});

describe('one nomination as its reader sees it', () => {
  it('never shows the Step Functions task token, in a single answer or a list', () => {
    const waiting = nomination({
      awaiting: { step: 'screening', since: '2025-01-20T09:00:00+08:00', taskToken: 'secret-token' },
    } as Partial<Nomination>);
    expect(JSON.stringify(nominationView(waiting))).not.toContain('secret-token');
    expect(withoutTaskToken(waiting).awaiting).toEqual({
      step: 'screening',
      since: '2025-01-20T09:00:00+08:00',
    });
    expect(withoutTaskToken(nomination({ awaiting: undefined }))).not.toHaveProperty('awaiting');
  });

  const criterion = (over: Partial<CriterionResult>): CriterionResult => ({
    id: 'all.not-past-honouree',
    passed: true,
    figures: {},
    message: { zh: '…', en: '…' },
    ...over,
  });

  it('reads the past-honouree check as stored at submission', () => {
    expect(pastHonoureeFlag(undefined)).toMatchObject({ checked: false, match: null });
    expect(pastHonoureeFlag([criterion({})])).toMatchObject({ checked: true, match: 'none', honouree: null });
    expect(
      pastHonoureeFlag([
        criterion({
          passed: false,
          figures: {
            matchedName: '李晓梅',
            matchedOrganization: '杭州市科技志愿服务总队',
            matchedYear: 2021,
          },
        }),
      ]),
    ).toMatchObject({
      match: 'exact',
      needsReview: false,
      honouree: { name: '李晓梅', organization: '杭州市科技志愿服务总队', year: 2021 },
    });
    expect(
      pastHonoureeFlag([
        criterion({
          needsReview: true,
          figures: { candidateName: '李晓敏', candidateOrganization: '杭州', candidateYear: 2020 },
        }),
      ]),
    ).toMatchObject({ match: 'near', needsReview: true, honouree: { name: '李晓敏', year: 2020 } });
  });

  it('shows the check to the secretariat only, links to the unit and the secretariat, the task token to nobody', () => {
    const n = nomination({
      awaiting: { step: 'reviews', taskToken: 'TOKEN-never-shown', since: '2025-01-21T00:00:00.000Z' },
      eligibility: [criterion({})],
    });
    const links = { 'a-1': 'https://bucket/a-1?sig' };
    const status = { zh: '专家评审中', en: 'in expert review' };
    const bySecretariat = nominationDetail(actor('secretariat'), n, status, null, links);
    const byUnit = nominationDetail(actor('unit'), n, status, null, links);
    const byOps = nominationDetail(actor('ops'), n, status, null, links);
    expect(nominationDetailSchema.parse(bySecretariat)).toEqual(bySecretariat);
    expect(bySecretariat.pastHonouree?.match).toBe('none');
    expect(bySecretariat.downloads).toEqual(links);
    expect(byUnit.pastHonouree).toBeUndefined();
    expect(byUnit.downloads).toEqual(links);
    expect(byOps.downloads).toEqual({});
    expect(mayDownloadFiles(actor('expert'))).toBe(false);
    expect(byUnit.nomination.awaiting).toEqual({ step: 'reviews', since: '2025-01-21T00:00:00.000Z' });
    expect(JSON.stringify([bySecretariat, byUnit])).not.toContain('TOKEN-never-shown');
  });
});
