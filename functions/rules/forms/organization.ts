import * as z from 'zod';
import { builtOnFirstUse } from '../built-on-first-use.js';
import { yearMonthOf } from '../calendar.js';
import type { FieldIssue } from '../errors.js';
import {
  amount,
  count,
  daMeiRegistration,
  deedsText,
  group,
  list,
  phone,
  share,
  shortText,
  yearMonth,
} from './fields.js';
import { type FormContext, futureDate, type Subject } from './form.js';

/**
 * How far the stated hours per person may stray from cumulative ÷ registered volunteers before
 * the unit is shown a hint: half an hour (people round to whole hours) or 2 % of the computed
 * figure, whichever is larger. The notice gives no formula (an organization may divide by its
 * regular volunteers, say), so a difference is a consistency hint, never a refusal.
 */
export const HOURS_PER_PERSON_TOLERANCE = { absoluteHours: 0.5, relative: 0.02 } as const;

export function hoursPerPersonAgrees(
  cumulativeHours: number,
  volunteers: number,
  statedPerPerson: number,
): boolean {
  if (volunteers <= 0) return false;
  const computed = cumulativeHours / volunteers;
  const tolerance = Math.max(
    HOURS_PER_PERSON_TOLERANCE.absoluteHours,
    HOURS_PER_PERSON_TOLERANCE.relative * computed,
  );
  return Math.abs(statedPerPerson - computed) <= tolerance;
}

/** 「科技志愿服务组织」先进典型推荐表 — the best organization's form, in the official order. */
export const organizationForm = builtOnFirstUse(() =>
  z.strictObject({
    organizationName: shortText({ zh: '组织名称', en: 'Organization name' }),
    // The notice's table asks 成立时间 as a year and month; the field keeps its name so that drafts
    // stored when it took a full date still read (storedForm below cuts them to their month).
    foundedOn: yearMonth({ zh: '成立时间', en: 'Founded in (year and month)' }),
    registeredVolunteers: count({ zh: '注册科技志愿者人数', en: 'Registered S&T volunteers' }).min(1),
    partyMembers: count({ zh: '科技志愿者中党员人数', en: 'Party members among the volunteers' }),
    cumulativeServiceHours: amount({ zh: '累计开展科技志愿服务时数', en: 'Cumulative service hours' }),
    serviceHoursPerPerson: amount({ zh: '人均开展科技志愿服务时数', en: 'Service hours per person' }),
    regularParticipationShare: share({
      zh: '经常参与科技志愿服务志愿者占组织中志愿者人数比例',
      en: 'Share of volunteers who take part regularly',
    }),
    activitiesHeld: count({ zh: '组织开展科技志愿服务活动场次', en: 'Activities held' }),
    teamLeader: shortText({ zh: '队伍负责人', en: 'Team leader' }, 50),
    contact: phone({ zh: '联系方式', en: 'Contact phone' }),
    regularProjects: list(
      { zh: '经常开展的科技志愿服务项目', en: 'Regular service projects' },
      group(
        { zh: '项目', en: 'Project' },
        {
          name: shortText({ zh: '项目名称', en: 'Project name' }),
          brand: z.boolean().meta({ title: '品牌项目', 'x-title-en': 'Brand project', 'x-official': false }),
        },
      ),
      1,
      30,
    ),
    mainDeeds: deedsText({ zh: '主要事迹', en: 'Main deeds' }),
    registeredOnDaMei: daMeiRegistration(
      '组织已在“大美志愿”微信小程序注册',
      'Organization registered on "Da Mei Zhi Yuan"',
    ),
  }),
);

export type OrganizationForm = z.infer<ReturnType<typeof organizationForm>>;

export function organizationChecks(form: OrganizationForm, { today }: FormContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (form.foundedOn > yearMonthOf(today)) {
    issues.push(futureDate(['foundedOn'], '成立时间', 'founding year and month'));
  }
  issues.push(...partyMembersWithinVolunteers(form.partyMembers, form.registeredVolunteers));
  return issues;
}

/** Hints that never block a submission: 人均时数 that differs from 累计时数 ÷ 注册人数. */
export function organizationHints(form: OrganizationForm): FieldIssue[] {
  if (
    hoursPerPersonAgrees(form.cumulativeServiceHours, form.registeredVolunteers, form.serviceHoursPerPerson)
  ) {
    return [];
  }
  const computed = form.cumulativeServiceHours / form.registeredVolunteers;
  const shown = Math.round(computed * 100) / 100;
  return [
    {
      path: ['serviceHoursPerPerson'],
      code: 'hours_per_person_mismatch',
      message: {
        zh: `提示：人均时数 ${form.serviceHoursPerPerson} 与累计时数 ÷ 注册人数（${shown}）不一致；如按其他人数计算，可不修改`,
        en: `Hint: hours per person ${form.serviceHoursPerPerson} differs from cumulative hours ÷ registered volunteers (${shown}); if you divided by another head count, leave it`,
      },
    },
  ];
}

export function partyMembersWithinVolunteers(partyMembers: number, volunteers: number): FieldIssue[] {
  if (partyMembers <= volunteers) return [];
  return [
    {
      path: ['partyMembers'],
      code: 'party_members_exceed_volunteers',
      message: {
        zh: `党员人数（${partyMembers}）不能多于注册科技志愿者人数（${volunteers}）`,
        en: `Party members (${partyMembers}) cannot exceed registered volunteers (${volunteers})`,
      },
    },
  ];
}

/**
 * An organization's form as stored, in today's shape: a founding stored as a full date (the form
 * asked one until the notice's year-month was followed) is read as its year and month, so an old
 * draft opens, validates and prints without the unit typing it again.
 */
export function currentOrganizationForm(form: Record<string, unknown>): Record<string, unknown> {
  const founded = form.foundedOn;
  return typeof founded === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(founded)
    ? { ...form, foundedOn: founded.slice(0, 7) }
    : form;
}

export const organizationSubject = (form: OrganizationForm): Subject => ({
  name: form.organizationName,
  organization: '',
});
