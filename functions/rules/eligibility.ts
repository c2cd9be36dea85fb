import { type CalendarDate, completedYears, firstDayOf } from './calendar.js';
import type { Campaign } from './campaign.js';
import type { CategoryId } from './categories.js';
import type { FormDataByCategory } from './forms/index.js';
import { distinctActivityCategories } from './forms/site.js';
import type { HonoureeMatch } from './honourees.js';
import type { Bilingual } from './i18n.js';

/**
 * The machine-checkable ([auto]) criteria of the notice (docs/campaign-rules.md), evaluated from
 * the form against the campaign's reference date and thresholds. The result informs screening;
 * it never rejects a nomination by itself — the secretariat decides.
 */

export type Figure = number | string | boolean | null;

export interface CriterionResult {
  /** Stable id, e.g. 'organization.registered-volunteers'. */
  id: string;
  passed: boolean;
  /** True when a person should look (a near match with a past honouree). */
  needsReview?: boolean;
  /** The figures the verdict was computed from: the value found and the threshold. */
  figures: Record<string, Figure>;
  message: Bilingual;
}

interface Threshold {
  id: string;
  value: number;
  minimum: number;
  label: Bilingual;
  unit: Bilingual;
  extra?: Record<string, Figure>;
}

function atLeast({ id, value, minimum, label, unit, extra = {} }: Threshold): CriterionResult {
  const passed = value >= minimum;
  return {
    id,
    passed,
    figures: { value, minimum, ...extra },
    message: {
      zh: `${label.zh}：${value}${unit.zh}（要求不少于 ${minimum}${unit.zh}）${passed ? '，符合' : '，不符合'}`,
      en: `${label.en}: ${value}${unit.en} (at least ${minimum}${unit.en} required) — ${passed ? 'met' : 'not met'}`,
    },
  };
}

function yearsSince(
  id: string,
  since: CalendarDate,
  reference: CalendarDate,
  minimum: number,
  label: Bilingual,
): CriterionResult {
  return atLeast({
    id,
    value: completedYears(since, reference),
    minimum,
    label,
    unit: { zh: ' 年', en: ' years' },
    extra: { since, referenceDate: reference },
  });
}

function declared(id: string, value: boolean, label: Bilingual): CriterionResult {
  return {
    id,
    passed: value,
    figures: { declared: value },
    message: value
      ? { zh: `${label.zh}：已声明`, en: `${label.en}: declared` }
      : { zh: `${label.zh}：未声明，不符合`, en: `${label.en}: not declared — not met` },
  };
}

const PER_CENT = { zh: '%', en: '%' };
const PEOPLE = { zh: ' 人', en: '' };

type Evaluator<C extends CategoryId> = (form: FormDataByCategory[C], campaign: Campaign) => CriterionResult[];

const EVALUATORS: { [C in CategoryId]: Evaluator<C> } = {
  volunteer: (form, { referenceDate, eligibility: e }) => [
    yearsSince(
      'volunteer.years-of-service',
      firstDayOf(form.volunteeringSince),
      referenceDate,
      e.minYearsOfService,
      {
        zh: '参加科技志愿服务年限',
        en: 'Years in S&T volunteer service',
      },
    ),
    declared('volunteer.registered-on-damei', form.registeredOnDaMei, {
      zh: '在“大美志愿”微信小程序注册',
      en: 'Registered on "Da Mei Zhi Yuan"',
    }),
  ],
  organization: (form, { referenceDate, eligibility: e }) => [
    yearsSince(
      'organization.years-established',
      firstDayOf(form.foundedOn),
      referenceDate,
      e.organizationMinYears,
      {
        zh: '成立年限',
        en: 'Years since founding',
      },
    ),
    atLeast({
      id: 'organization.registered-volunteers',
      value: form.registeredVolunteers,
      minimum: e.organizationMinVolunteers,
      label: { zh: '注册科技志愿者人数', en: 'Registered S&T volunteers' },
      unit: PEOPLE,
    }),
    atLeast({
      id: 'organization.regular-participation',
      value: form.regularParticipationShare,
      minimum: e.organizationMinRegularShare,
      label: { zh: '经常参与志愿服务的志愿者比例', en: 'Share of volunteers taking part regularly' },
      unit: PER_CENT,
    }),
    atLeast({
      id: 'organization.brand-projects',
      value: form.regularProjects.filter((p) => p.brand).length,
      minimum: e.organizationMinBrandProjects,
      label: { zh: '持续运行的志愿服务品牌项目', en: 'Brand projects run' },
      unit: { zh: ' 个', en: '' },
    }),
    atLeast({
      id: 'organization.activities',
      value: form.activitiesHeld,
      minimum: e.organizationMinActivities,
      label: { zh: '组织开展科技志愿服务活动场次', en: 'Activities held' },
      unit: { zh: ' 场', en: '' },
    }),
    declared('organization.registered-on-damei', form.registeredOnDaMei, {
      zh: '组织在“大美志愿”微信小程序注册',
      en: 'Organization registered on "Da Mei Zhi Yuan"',
    }),
  ],
  project: (form, { referenceDate, eligibility: e }) => [
    yearsSince('project.years-running', firstDayOf(form.startedOn), referenceDate, e.projectMinYears, {
      zh: '项目实施年限',
      en: 'Years the project has run',
    }),
    atLeast({
      id: 'project.team-volunteers',
      value: form.projectVolunteers,
      minimum: e.projectMinVolunteers,
      label: { zh: '项目团队科技志愿者人数', en: 'S&T volunteers in the project team' },
      unit: PEOPLE,
    }),
    declared('project.team-registered-on-damei', form.teamRegisteredOnDaMei, {
      zh: '项目团队在“大美志愿”微信小程序注册',
      en: 'Project team registered on "Da Mei Zhi Yuan"',
    }),
  ],
  site: (form, { eligibility: e }) => [
    atLeast({
      id: 'site.residents-volunteered',
      value: form.residentsVolunteeredShare,
      minimum: e.siteMinResidentsShare,
      label: { zh: '居民参与过志愿服务的比例', en: 'Share of residents who have volunteered' },
      unit: PER_CENT,
    }),
    atLeast({
      id: 'site.registered-teams',
      value: form.teams.filter((t) => t.registeredOnDaMei).length,
      minimum: e.siteMinTeams,
      label: {
        zh: '在“大美志愿”注册的科技志愿服务队',
        en: 'Volunteer teams registered on "Da Mei Zhi Yuan"',
      },
      unit: { zh: ' 支', en: '' },
      extra: { teamsListed: form.teams.length },
    }),
    atLeast({
      id: 'site.activity-categories',
      value: distinctActivityCategories(form).length,
      minimum: e.siteMinActivityCategories,
      label: { zh: '科技志愿服务活动类别', en: 'Activity categories' },
      unit: { zh: ' 种', en: '' },
    }),
  ],
};

/** The "selected in 2019–2023 may not apply again" criterion, from the honouree matcher's verdict. */
export function pastHonoureeCriterion(
  match: HonoureeMatch,
  years: { from: number; to: number },
): CriterionResult {
  const span = `${years.from}—${years.to}`;
  if (match.kind === 'exact') {
    const h = match.honouree;
    return {
      id: 'all.not-past-honouree',
      passed: false,
      figures: { matchedName: h.name, matchedOrganization: h.organization, matchedYear: h.year },
      message: {
        zh: `曾入选 ${h.year} 年度科技志愿服务典型（${h.name}，${h.organization}），${span} 年度入选者不再参加申报`,
        en: `Selected as a ${h.year} model (${h.name}, ${h.organization}); models of ${years.from}–${years.to} may not apply again`,
      },
    };
  }
  if (match.kind === 'near') {
    const h = match.honouree;
    return {
      id: 'all.not-past-honouree',
      passed: true,
      needsReview: true,
      figures: {
        candidateName: h.name,
        candidateOrganization: h.organization,
        candidateYear: h.year,
        reason: match.reason,
      },
      message: {
        zh: `与 ${h.year} 年度入选者“${h.name}（${h.organization}）”相近，请人工核对`,
        en: `Close to the ${h.year} model "${h.name} (${h.organization})": please check by hand`,
      },
    };
  }
  return {
    id: 'all.not-past-honouree',
    passed: true,
    figures: {},
    message: { zh: `未曾入选 ${span} 年度科技志愿服务典型`, en: `Not a ${years.from}–${years.to} model` },
  };
}

export function evaluateEligibility<C extends CategoryId>(
  campaign: Campaign,
  category: C,
  form: FormDataByCategory[C],
  pastHonouree?: HonoureeMatch,
): CriterionResult[] {
  const results = (EVALUATORS[category] as Evaluator<C>)(form, campaign);
  if (pastHonouree) results.push(pastHonoureeCriterion(pastHonouree, campaign.eligibility.pastHonourYears));
  return results;
}
