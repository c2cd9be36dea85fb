import type { OrganizationForm } from '../../functions/rules/forms/organization.js';
import type { ProjectForm } from '../../functions/rules/forms/project.js';
import type { SiteForm } from '../../functions/rules/forms/site.js';
import type { VolunteerForm } from '../../functions/rules/forms/volunteer.js';

/**
 * Sample filled forms, one builder per category: valid forms that meet every [auto] criterion of
 * the CAST 2024 round (on a day inside its submission window, as 2025-02-01), each field open to
 * be replaced. The demo's and the benchmark's nominations are made from them, and so are the
 * tests'.
 */
export const volunteer = (over: Partial<VolunteerForm> = {}): VolunteerForm => ({
  name: '李晓梅',
  gender: 'female',
  birthYearMonth: '1978-05',
  politicalStatus: 'cpc-member',
  postalAddress: '浙江省杭州市西湖区文三路 100 号',
  contact: '13800138000',
  volunteerOrganization: '杭州市科技志愿服务总队',
  mainServiceProject: '乡村非遗手工艺科普课堂',
  volunteeringSince: '2015-03',
  activitiesTakenPart: 120,
  mainDeeds: '十年来坚持走进乡村学校开展手工艺科普。',
  registeredOnDaMei: true,
  ...over,
});

export const organization = (over: Partial<OrganizationForm> = {}): OrganizationForm => ({
  organizationName: '中国工艺美术学会青年科技志愿服务队',
  foundedOn: '2018-06',
  registeredVolunteers: 80,
  partyMembers: 30,
  cumulativeServiceHours: 9600,
  serviceHoursPerPerson: 120,
  regularParticipationShare: 75,
  activitiesHeld: 160,
  teamLeader: '王建国',
  contact: '010-68396405',
  regularProjects: [
    { name: '非遗进校园', brand: true },
    { name: '匠心助农', brand: true },
  ],
  mainDeeds: '组织青年工艺美术工作者开展科普。',
  registeredOnDaMei: true,
  ...over,
});

export const project = (over: Partial<ProjectForm> = {}): ProjectForm => ({
  projectName: '指尖上的非遗科普行',
  applyingUnit: '苏州工艺美术职业技术学院',
  startedOn: '2019-09',
  projectVolunteers: 36,
  partyMemberShare: 40,
  projectLeader: '陈静',
  contact: '0512-65321234',
  overview: '面向青少年开展刺绣、缂丝等传统工艺科普。',
  teamRegisteredOnDaMei: true,
  ...over,
});

export const site = (over: Partial<SiteForm> = {}): SiteForm => ({
  site: {
    province: '江西省',
    city: '景德镇市',
    county: '珠山区',
    township: '新村街道',
    community: '陶溪川社区',
  },
  leaderName: '刘芳',
  contact: '0798-8221234',
  registeredVolunteers: 210,
  partyMembers: 64,
  registeredShareOfResidents: 7.5,
  residentsVolunteeredShare: 66,
  activityCategories: [
    { category: 'science-lectures' },
    { category: 'st-training' },
    { category: 'health-clinics' },
    { category: 'tech-help-elderly' },
    { category: 'other', text: '陶瓷工艺体验' },
  ],
  activitiesPerYear: 48,
  teams: ['陶艺科普队', '健康义诊队', '银龄助老队', '青少年科创队', '应急救援队'].map((name) => ({
    name,
    registeredOnDaMei: true,
  })),
  mainDeeds: '依托陶瓷文化开展社区科技志愿服务。',
  ...over,
});

export const validForms = {
  volunteer: volunteer(),
  organization: organization(),
  project: project(),
  site: site(),
};
