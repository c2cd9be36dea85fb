import * as z from 'zod';
import { builtOnFirstUse } from '../built-on-first-use.js';
import type { FieldIssue } from '../errors.js';
import { count, daMeiRegistration, deedsText, group, list, phone, share, shortText } from './fields.js';
import type { Subject } from './form.js';
import { partyMembersWithinVolunteers } from './organization.js';

/**
 * The activity categories the notice lists for a service site. The notice's list ends with
 * 等 ("and so on"), so 'other' with a text of its own is allowed too.
 */
export const ACTIVITY_CATEGORIES = [
  { value: 'theory-outreach', zh: '理论宣讲', en: 'Theory outreach' },
  { value: 'policy-interpretation', zh: '政策解读', en: 'Policy interpretation' },
  { value: 'st-training', zh: '科技培训', en: 'S&T training' },
  { value: 'agritech-extension', zh: '农技推广', en: 'Agri-tech extension' },
  { value: 'science-lectures', zh: '科普讲座', en: 'Popular-science lectures' },
  { value: 'venue-guiding', zh: '场馆讲解', en: 'Venue guiding' },
  { value: 'health-clinics', zh: '健康义诊', en: 'Free health clinics' },
  { value: 'tech-help-elderly', zh: '科技助老', en: 'Tech help for the elderly' },
  { value: 'disaster-prevention', zh: '防灾减灾', en: 'Disaster prevention and reduction' },
  { value: 'emergency-rescue', zh: '应急救援', en: 'Emergency rescue' },
  { value: 'competitions-events', zh: '赛会活动', en: 'Competitions and events' },
] as const;

export type ActivityCategoryId = (typeof ACTIVITY_CATEGORIES)[number]['value'];
/** 「科技志愿服务点（社区或村）」典型事迹推荐表 — the service site's form, in the official order. */
export const siteForm = builtOnFirstUse(() => {
  const listedCategory = z
    .enum(ACTIVITY_CATEGORIES.map((c) => c.value) as [ActivityCategoryId, ...ActivityCategoryId[]])
    .meta({ title: '活动类别', 'x-title-en': 'Activity category', 'x-options': ACTIVITY_CATEGORIES });

  const activityCategory = z
    .discriminatedUnion('category', [
      z.strictObject({ category: listedCategory }),
      z.strictObject({
        category: z.literal('other').meta({ title: '其他', 'x-title-en': 'Other' }),
        text: shortText({ zh: '其他类别名称', en: 'Name of the other category' }, 30),
      }),
    ])
    .meta({ title: '活动类别', 'x-title-en': 'Activity category' });
  return z.strictObject({
    site: group(
      { zh: '服务点名称', en: 'Service site' },
      {
        province: shortText({ zh: '省（区、市）', en: 'Province (region, municipality)' }, 30),
        city: shortText({ zh: '市', en: 'City' }, 30),
        county: shortText({ zh: '县（区）', en: 'County (district)' }, 30),
        township: shortText({ zh: '街道（乡镇）', en: 'Street (township)' }, 30),
        community: shortText({ zh: '社区（村）', en: 'Community (village)' }, 50),
      },
    ),
    leaderName: shortText({ zh: '负责人姓名', en: 'Leader name' }, 50),
    contact: phone({ zh: '联系方式', en: 'Contact phone' }),
    registeredVolunteers: count({
      zh: '社区注册科技志愿者人数',
      en: 'Registered S&T volunteers in the community',
    }),
    partyMembers: count({ zh: '科技志愿者中党员人数', en: 'Party members among the volunteers' }),
    registeredShareOfResidents: share({
      zh: '注册科技志愿者人数占社区常住人口的比例',
      en: 'Registered volunteers as a share of the resident population',
    }),
    residentsVolunteeredShare: share({
      zh: '社区居民参与过志愿服务的比例',
      en: 'Share of residents who have volunteered',
    }),
    activityCategories: list(
      { zh: '经常开展的科技志愿服务活动类别', en: 'Regular activity categories' },
      activityCategory,
      1,
      30,
    ),
    activitiesPerYear: count({ zh: '每年组织科技志愿服务活动次数', en: 'Activities per year' }),
    teams: list(
      { zh: '组建的科技志愿服务队', en: 'Volunteer service teams formed' },
      group(
        { zh: '服务队', en: 'Team' },
        {
          name: shortText({ zh: '服务队名称', en: 'Team name' }),
          registeredOnDaMei: daMeiRegistration('已在“大美志愿”注册', 'Registered on "Da Mei Zhi Yuan"'),
        },
      ),
      1,
      100,
    ),
    mainDeeds: deedsText({ zh: '主要事迹', en: 'Main deeds' }),
  });
});

export type SiteForm = z.infer<ReturnType<typeof siteForm>>;

type ActivityCategory = SiteForm['activityCategories'][number];

const activityKey = (a: ActivityCategory): string =>
  a.category === 'other' ? `other:${a.text.normalize('NFKC')}` : a.category;

/** Distinct categories, 'other' entries counted once per distinct text. */
export function distinctActivityCategories(form: SiteForm): string[] {
  return [...new Set(form.activityCategories.map(activityKey))];
}

export function siteChecks(form: SiteForm): FieldIssue[] {
  const issues = partyMembersWithinVolunteers(form.partyMembers, form.registeredVolunteers);
  const seen = new Set<string>();
  form.activityCategories.forEach((a, index) => {
    const key = activityKey(a);
    if (seen.has(key)) {
      issues.push({
        path: ['activityCategories', index],
        code: 'duplicate',
        message: { zh: '活动类别重复', en: 'activity category listed twice' },
      });
    }
    seen.add(key);
  });
  return issues;
}

export const siteSubject = (form: SiteForm): Subject => ({
  name: form.site.community,
  organization: [form.site.province, form.site.city, form.site.county, form.site.township].join(''),
});
