import * as z from 'zod';
import { builtOnFirstUse } from '../built-on-first-use.js';
import { yearMonthOf } from '../calendar.js';
import type { FieldIssue } from '../errors.js';
import { count, daMeiRegistration, deedsText, phone, share, shortText, yearMonth } from './fields.js';
import { type FormContext, futureDate, type Subject } from './form.js';

/** 「科技志愿服务项目」先进典型推荐表 — the best project's form, in the official order. */
export const projectForm = builtOnFirstUse(() =>
  z.strictObject({
    projectName: shortText({ zh: '项目名称', en: 'Project name' }),
    applyingUnit: shortText({ zh: '申报单位（组织）', en: 'Applying unit (organization)' }),
    startedOn: yearMonth({ zh: '开展项目的时间', en: 'Project running since' }),
    projectVolunteers: count({ zh: '开展项目的志愿者人数', en: 'Volunteers in the project' }),
    partyMemberShare: share({ zh: '参与项目的党员比例', en: 'Share of Party members in the project' }),
    projectLeader: shortText({ zh: '项目负责人', en: 'Project leader' }, 50),
    contact: phone({ zh: '联系方式', en: 'Contact phone' }),
    overview: deedsText({ zh: '项目概述及亮点成效', en: 'Overview, highlights and results' }),
    teamRegisteredOnDaMei: daMeiRegistration(
      '项目团队已在“大美志愿”微信小程序注册',
      'Project team registered on "Da Mei Zhi Yuan"',
    ),
  }),
);

export type ProjectForm = z.infer<ReturnType<typeof projectForm>>;

export function projectChecks(form: ProjectForm, { today }: FormContext): FieldIssue[] {
  return form.startedOn > yearMonthOf(today)
    ? [futureDate(['startedOn'], '开展项目的时间', 'project start')]
    : [];
}

export const projectSubject = (form: ProjectForm): Subject => ({
  name: form.projectName,
  organization: form.applyingUnit,
});
