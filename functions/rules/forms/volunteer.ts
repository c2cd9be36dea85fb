import * as z from 'zod';
import { builtOnFirstUse } from '../built-on-first-use.js';
import { yearMonthOf } from '../calendar.js';
import type { FieldIssue } from '../errors.js';
import {
  ADDRESS_TEXT_MAX,
  choice,
  daMeiRegistration,
  deedsText,
  phone,
  shortText,
  yearMonth,
} from './fields.js';
import { type FormContext, futureDate, type Subject } from './form.js';

/** GB/T 4762 political-status list, as the official form's 政治面貌 is filled. */
export const POLITICAL_STATUSES = [
  { value: 'cpc-member', zh: '中共党员', en: 'CPC member' },
  { value: 'cpc-probationary', zh: '中共预备党员', en: 'CPC probationary member' },
  { value: 'cyl-member', zh: '共青团员', en: 'Communist Youth League member' },
  { value: 'rcckmt', zh: '民革党员', en: 'Revolutionary Committee of the Kuomintang member' },
  { value: 'cdl', zh: '民盟盟员', en: 'China Democratic League member' },
  { value: 'cdnca', zh: '民建会员', en: 'China National Democratic Construction Association member' },
  { value: 'capd', zh: '民进会员', en: 'China Association for Promoting Democracy member' },
  { value: 'cpwdp', zh: '农工党党员', en: "Chinese Peasants' and Workers' Democratic Party member" },
  { value: 'czgp', zh: '致公党党员', en: 'China Zhi Gong Party member' },
  { value: 'jiusan', zh: '九三学社社员', en: 'Jiusan Society member' },
  { value: 'tdsgl', zh: '台盟盟员', en: 'Taiwan Democratic Self-Government League member' },
  { value: 'non-party', zh: '无党派人士', en: 'Non-party personage' },
  { value: 'masses', zh: '群众', en: 'Ordinary citizen (no party)' },
] as const;

/** 「科技志愿者」先进典型推荐表 — the outstanding volunteer's form, in the official order. */
export const volunteerForm = builtOnFirstUse(() =>
  z.strictObject({
    name: shortText({ zh: '姓名', en: 'Name' }, 50),
    gender: choice({ zh: '性别', en: 'Gender' }, [
      { value: 'male', zh: '男', en: 'Male' },
      { value: 'female', zh: '女', en: 'Female' },
    ]),
    birthYearMonth: yearMonth({ zh: '出生年月', en: 'Year and month of birth' }),
    politicalStatus: choice({ zh: '政治面貌', en: 'Political status' }, POLITICAL_STATUSES),
    postalAddress: shortText({ zh: '通讯地址', en: 'Postal address' }, ADDRESS_TEXT_MAX),
    contact: phone({ zh: '联系方式', en: 'Contact phone' }),
    volunteerOrganization: shortText({
      zh: '所在科技志愿服务组织',
      en: 'S&T volunteer service organization',
    }),
    mainServiceProject: shortText({ zh: '主要服务项目', en: 'Main service project' }),
    volunteeringSince: yearMonth({ zh: '何时起参加科技志愿服务活动', en: 'In S&T volunteer service since' }),
    activitiesTakenPart: z
      .int()
      .min(0)
      .max(100_000)
      .meta({ title: '参加科技志愿服务活动次数', 'x-title-en': 'Number of activities taken part in' }),
    mainDeeds: deedsText({ zh: '主要事迹', en: 'Main deeds' }),
    registeredOnDaMei: daMeiRegistration(
      '已在“大美志愿”微信小程序注册',
      'Registered on the "Da Mei Zhi Yuan" mini-program',
    ),
  }),
);

export type VolunteerForm = z.infer<ReturnType<typeof volunteerForm>>;

export function volunteerChecks(form: VolunteerForm, { today }: FormContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const thisMonth = yearMonthOf(today);
  if (form.birthYearMonth > thisMonth) {
    issues.push(futureDate(['birthYearMonth'], '出生年月', 'year and month of birth'));
  }
  if (form.volunteeringSince > thisMonth) {
    issues.push(futureDate(['volunteeringSince'], '参加科技志愿服务的起始时间', 'volunteering start'));
  } else if (form.volunteeringSince < form.birthYearMonth) {
    issues.push({
      path: ['volunteeringSince'],
      code: 'before_birth',
      message: {
        zh: '参加科技志愿服务的起始时间早于出生年月',
        en: 'volunteering start is before the year and month of birth',
      },
    });
  }
  return issues;
}

export const volunteerSubject = (form: VolunteerForm): Subject => ({
  name: form.name,
  organization: form.volunteerOrganization,
});
