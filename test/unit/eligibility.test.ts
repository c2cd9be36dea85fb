import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/rules/campaign.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import {
  type CriterionResult,
  evaluateEligibility,
  pastHonoureeCriterion,
} from '../../functions/rules/eligibility.js';
import { organization, project, site, volunteer } from '../fixtures/forms.js';

const cast = builtinCampaign('cast-2024'); // reference date 2024-12-31
const withReference = (referenceDate: string): Campaign => ({ ...cast, referenceDate });

const criterion = (results: CriterionResult[], id: string): CriterionResult => {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no criterion ${id} in ${results.map((r) => r.id).join(', ')}`);
  return found;
};

describe('eligibility: outstanding volunteer', () => {
  it('passes with exactly 3 years of service and fails one day short', () => {
    // Since March 2022 reads as from 1 March 2022: the third anniversary is 1 March 2025.
    const form = volunteer({ volunteeringSince: '2022-03' });
    const exactly = criterion(
      evaluateEligibility(withReference('2025-03-01'), 'volunteer', form),
      'volunteer.years-of-service',
    );
    expect(exactly).toMatchObject({
      passed: true,
      figures: { value: 3, minimum: 3, since: '2022-03-01', referenceDate: '2025-03-01' },
    });
    const dayShort = criterion(
      evaluateEligibility(withReference('2025-02-28'), 'volunteer', form),
      'volunteer.years-of-service',
    );
    expect(dayShort).toMatchObject({ passed: false, figures: { value: 2 } });
    expect(dayShort.message).toEqual({
      zh: '参加科技志愿服务年限：2 年（要求不少于 3 年），不符合',
      en: 'Years in S&T volunteer service: 2 years (at least 3 years required) — not met',
    });
  });

  it('counts up to the campaign reference date, not today', () => {
    const results = evaluateEligibility(cast, 'volunteer', volunteer({ volunteeringSince: '2022-01' }));
    expect(criterion(results, 'volunteer.years-of-service')).toMatchObject({
      passed: false,
      figures: { value: 2 },
    });
    const december = evaluateEligibility(cast, 'volunteer', volunteer({ volunteeringSince: '2021-12' }));
    expect(criterion(december, 'volunteer.years-of-service').passed).toBe(true);
  });

  it('requires the "大美志愿" registration to be declared', () => {
    const results = evaluateEligibility(cast, 'volunteer', volunteer({ registeredOnDaMei: false }));
    expect(criterion(results, 'volunteer.registered-on-damei')).toMatchObject({
      passed: false,
      figures: { declared: false },
    });
  });

  it('evaluates every [auto] criterion of the category and no other', () => {
    expect(evaluateEligibility(cast, 'volunteer', volunteer()).map((r) => [r.id, r.passed])).toEqual([
      ['volunteer.years-of-service', true],
      ['volunteer.registered-on-damei', true],
    ]);
  });
});

describe('eligibility: best organization', () => {
  const results = (over: Parameters<typeof organization>[0]) =>
    evaluateEligibility(cast, 'organization', organization(over));

  it('reads the founding month from its first day: December 2021 has 3 years by 2024-12-31, January 2022 not', () => {
    expect(criterion(results({ foundedOn: '2021-12' }), 'organization.years-established').passed).toBe(true);
    expect(criterion(results({ foundedOn: '2022-01' }), 'organization.years-established').passed).toBe(false);
  });

  it('needs 20 registered volunteers: 20 pass, 19 fail', () => {
    const base = { partyMembers: 5, cumulativeServiceHours: 400, serviceHoursPerPerson: 20 };
    expect(
      criterion(results({ ...base, registeredVolunteers: 20 }), 'organization.registered-volunteers'),
    ).toMatchObject({
      passed: true,
      figures: { value: 20, minimum: 20 },
    });
    expect(
      criterion(results({ ...base, registeredVolunteers: 19 }), 'organization.registered-volunteers').passed,
    ).toBe(false);
  });

  it('needs 60 % regular participation: 60 passes, 59.9 fails', () => {
    expect(
      criterion(results({ regularParticipationShare: 60 }), 'organization.regular-participation').passed,
    ).toBe(true);
    const short = criterion(
      results({ regularParticipationShare: 59.9 }),
      'organization.regular-participation',
    );
    expect(short).toMatchObject({ passed: false, figures: { value: 59.9, minimum: 60 } });
    expect(short.message.zh).toBe('经常参与志愿服务的志愿者比例：59.9%（要求不少于 60%），不符合');
  });

  it('needs 50 activities: 50 pass, 49 fail', () => {
    expect(criterion(results({ activitiesHeld: 50 }), 'organization.activities').passed).toBe(true);
    expect(criterion(results({ activitiesHeld: 49 }), 'organization.activities').passed).toBe(false);
  });

  it('needs 2 brand projects: counts only those marked as brand', () => {
    const two = results({
      regularProjects: [
        { name: 'A', brand: true },
        { name: 'B', brand: true },
        { name: 'C', brand: false },
      ],
    });
    expect(criterion(two, 'organization.brand-projects')).toMatchObject({
      passed: true,
      figures: { value: 2 },
    });
    const one = results({
      regularProjects: [
        { name: 'A', brand: true },
        { name: 'C', brand: false },
      ],
    });
    expect(criterion(one, 'organization.brand-projects').passed).toBe(false);
  });
});

describe('eligibility: best project', () => {
  it('needs 10 project volunteers: 10 pass, 9 fail', () => {
    const ten = evaluateEligibility(cast, 'project', project({ projectVolunteers: 10 }));
    const nine = evaluateEligibility(cast, 'project', project({ projectVolunteers: 9 }));
    expect(criterion(ten, 'project.team-volunteers').passed).toBe(true);
    expect(criterion(nine, 'project.team-volunteers').passed).toBe(false);
  });

  it('needs 3 years of running: exactly 3 pass, one day less fails', () => {
    const form = project({ startedOn: '2021-12' });
    expect(
      criterion(evaluateEligibility(withReference('2024-12-01'), 'project', form), 'project.years-running')
        .passed,
    ).toBe(true);
    expect(
      criterion(evaluateEligibility(withReference('2024-11-30'), 'project', form), 'project.years-running')
        .passed,
    ).toBe(false);
  });
});

describe('eligibility: service site', () => {
  const teams = (n: number, registered = n) =>
    Array.from({ length: n }, (_, i) => ({ name: `服务队${i + 1}`, registeredOnDaMei: i < registered }));
  const categories = (n: number) =>
    (['science-lectures', 'st-training', 'health-clinics', 'tech-help-elderly', 'venue-guiding'] as const)
      .slice(0, n)
      .map((category) => ({ category }));

  it('needs 5 registered teams: 5 pass, 4 fail, unregistered teams do not count', () => {
    expect(
      criterion(evaluateEligibility(cast, 'site', site({ teams: teams(5) })), 'site.registered-teams').passed,
    ).toBe(true);
    expect(
      criterion(evaluateEligibility(cast, 'site', site({ teams: teams(4) })), 'site.registered-teams').passed,
    ).toBe(false);
    const unregistered = criterion(
      evaluateEligibility(cast, 'site', site({ teams: teams(6, 4) })),
      'site.registered-teams',
    );
    expect(unregistered).toMatchObject({ passed: false, figures: { value: 4, teamsListed: 6 } });
  });

  it('needs 5 activity categories: 5 pass, 4 fail; an "other" category counts', () => {
    expect(
      criterion(
        evaluateEligibility(cast, 'site', site({ activityCategories: categories(5) })),
        'site.activity-categories',
      ).passed,
    ).toBe(true);
    expect(
      criterion(
        evaluateEligibility(cast, 'site', site({ activityCategories: categories(4) })),
        'site.activity-categories',
      ).passed,
    ).toBe(false);
    const withOther = site({
      activityCategories: [...categories(4), { category: 'other', text: '陶瓷工艺体验' }],
    });
    expect(criterion(evaluateEligibility(cast, 'site', withOther), 'site.activity-categories').passed).toBe(
      true,
    );
  });

  it('needs 60 % of residents to have volunteered: 60 passes, 59.9 fails', () => {
    expect(
      criterion(
        evaluateEligibility(cast, 'site', site({ residentsVolunteeredShare: 60 })),
        'site.residents-volunteered',
      ).passed,
    ).toBe(true);
    expect(
      criterion(
        evaluateEligibility(cast, 'site', site({ residentsVolunteeredShare: 59.9 })),
        'site.residents-volunteered',
      ).passed,
    ).toBe(false);
  });
});

describe('eligibility thresholds are campaign data', () => {
  it('applies a campaign that asks for 30 volunteers instead of 20', () => {
    const stricter: Campaign = {
      ...cast,
      eligibility: { ...cast.eligibility, organizationMinVolunteers: 30 },
    };
    const form = organization({
      registeredVolunteers: 25,
      partyMembers: 5,
      cumulativeServiceHours: 500,
      serviceHoursPerPerson: 20,
    });
    expect(
      criterion(evaluateEligibility(cast, 'organization', form), 'organization.registered-volunteers').passed,
    ).toBe(true);
    expect(
      criterion(evaluateEligibility(stricter, 'organization', form), 'organization.registered-volunteers')
        .passed,
    ).toBe(false);
  });
});

describe('what each criterion tells the person, in both languages', () => {
  const said = (results: CriterionResult[]) =>
    results.map((r) => [r.id, r.passed, r.message.zh, r.message.en]);

  it('words a volunteer’s criteria, met and not met', () => {
    expect(said(evaluateEligibility(cast, 'volunteer', volunteer()))).toEqual([
      [
        'volunteer.years-of-service',
        true,
        '参加科技志愿服务年限：9 年（要求不少于 3 年），符合',
        'Years in S&T volunteer service: 9 years (at least 3 years required) — met',
      ],
      [
        'volunteer.registered-on-damei',
        true,
        '在“大美志愿”微信小程序注册：已声明',
        'Registered on "Da Mei Zhi Yuan": declared',
      ],
    ]);
    const unregistered = evaluateEligibility(cast, 'volunteer', volunteer({ registeredOnDaMei: false }));
    expect(criterion(unregistered, 'volunteer.registered-on-damei').message).toEqual({
      zh: '在“大美志愿”微信小程序注册：未声明，不符合',
      en: 'Registered on "Da Mei Zhi Yuan": not declared — not met',
    });
  });

  it('words an organization’s criteria, met and not met', () => {
    expect(said(evaluateEligibility(cast, 'organization', organization()))).toEqual([
      [
        'organization.years-established',
        true,
        '成立年限：6 年（要求不少于 3 年），符合',
        'Years since founding: 6 years (at least 3 years required) — met',
      ],
      [
        'organization.registered-volunteers',
        true,
        '注册科技志愿者人数：80 人（要求不少于 20 人），符合',
        'Registered S&T volunteers: 80 (at least 20 required) — met',
      ],
      [
        'organization.regular-participation',
        true,
        '经常参与志愿服务的志愿者比例：75%（要求不少于 60%），符合',
        'Share of volunteers taking part regularly: 75% (at least 60% required) — met',
      ],
      [
        'organization.brand-projects',
        true,
        '持续运行的志愿服务品牌项目：2 个（要求不少于 2 个），符合',
        'Brand projects run: 2 (at least 2 required) — met',
      ],
      [
        'organization.activities',
        true,
        '组织开展科技志愿服务活动场次：160 场（要求不少于 50 场），符合',
        'Activities held: 160 (at least 50 required) — met',
      ],
      [
        'organization.registered-on-damei',
        true,
        '组织在“大美志愿”微信小程序注册：已声明',
        'Organization registered on "Da Mei Zhi Yuan": declared',
      ],
    ]);
    const short = evaluateEligibility(
      cast,
      'organization',
      organization({ activitiesHeld: 49, registeredOnDaMei: false }),
    );
    expect(criterion(short, 'organization.activities').message).toEqual({
      zh: '组织开展科技志愿服务活动场次：49 场（要求不少于 50 场），不符合',
      en: 'Activities held: 49 (at least 50 required) — not met',
    });
    expect(criterion(short, 'organization.registered-on-damei').message.en).toBe(
      'Organization registered on "Da Mei Zhi Yuan": not declared — not met',
    );
  });

  it('words a project’s criteria', () => {
    expect(said(evaluateEligibility(cast, 'project', project()))).toEqual([
      [
        'project.years-running',
        true,
        '项目实施年限：5 年（要求不少于 3 年），符合',
        'Years the project has run: 5 years (at least 3 years required) — met',
      ],
      [
        'project.team-volunteers',
        true,
        '项目团队科技志愿者人数：36 人（要求不少于 10 人），符合',
        'S&T volunteers in the project team: 36 (at least 10 required) — met',
      ],
      [
        'project.team-registered-on-damei',
        true,
        '项目团队在“大美志愿”微信小程序注册：已声明',
        'Project team registered on "Da Mei Zhi Yuan": declared',
      ],
    ]);
  });

  it('words a service site’s criteria', () => {
    expect(said(evaluateEligibility(cast, 'site', site()))).toEqual([
      [
        'site.residents-volunteered',
        true,
        '居民参与过志愿服务的比例：66%（要求不少于 60%），符合',
        'Share of residents who have volunteered: 66% (at least 60% required) — met',
      ],
      [
        'site.registered-teams',
        true,
        '在“大美志愿”注册的科技志愿服务队：5 支（要求不少于 5 支），符合',
        'Volunteer teams registered on "Da Mei Zhi Yuan": 5 (at least 5 required) — met',
      ],
      [
        'site.activity-categories',
        true,
        '科技志愿服务活动类别：5 种（要求不少于 5 种），符合',
        'Activity categories: 5 (at least 5 required) — met',
      ],
    ]);
  });
});

describe('the past-honouree criterion', () => {
  const honouree = { name: '张三', organization: '某协会', year: 2021, category: 'volunteer' as const };
  const years = { from: 2019, to: 2023 };

  it('refuses an exact match, naming the year, person and organization', () => {
    expect(pastHonoureeCriterion({ kind: 'exact', honouree }, years)).toEqual({
      id: 'all.not-past-honouree',
      passed: false,
      figures: { matchedName: '张三', matchedOrganization: '某协会', matchedYear: 2021 },
      message: {
        zh: '曾入选 2021 年度科技志愿服务典型（张三，某协会），2019—2023 年度入选者不再参加申报',
        en: 'Selected as a 2021 model (张三, 某协会); models of 2019–2023 may not apply again',
      },
    });
  });

  it('passes a near match but asks a person to look', () => {
    expect(pastHonoureeCriterion({ kind: 'near', honouree, reason: 'similar-name' }, years)).toEqual({
      id: 'all.not-past-honouree',
      passed: true,
      needsReview: true,
      figures: {
        candidateName: '张三',
        candidateOrganization: '某协会',
        candidateYear: 2021,
        reason: 'similar-name',
      },
      message: {
        zh: '与 2021 年度入选者“张三（某协会）”相近，请人工核对',
        en: 'Close to the 2021 model "张三 (某协会)": please check by hand',
      },
    });
  });

  it('passes no match, naming the years', () => {
    expect(pastHonoureeCriterion({ kind: 'none' }, { from: 2020, to: 2024 })).toEqual({
      id: 'all.not-past-honouree',
      passed: true,
      figures: {},
      message: { zh: '未曾入选 2020—2024 年度科技志愿服务典型', en: 'Not a 2020–2024 model' },
    });
  });
});
