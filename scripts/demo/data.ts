import type { CategoryId } from '../../functions/rules/categories.js';
import type { FormDataByCategory } from '../../functions/rules/forms/index.js';
import { organization, project, site, volunteer } from '../driver/sample-forms.js';

/**
 * Who takes part in the demo and what they nominate. All names are invented. `merit` is what
 * the experts will think of a nomination (0–10), so the ranking comes out meaningful; eligibility
 * is left to Laurel's own checks.
 */

export interface UnitPlan {
  id: string;
  name: string;
  type: string;
  email: string;
}

export interface ExpertPlan {
  id: string;
  name: string;
  email: string;
  /** The recommending unit the expert belongs to: Laurel never lets them review its nominations. */
  affiliation?: string;
  /** How much more generous (or strict) than the merit this expert scores. */
  bias: number;
}

export type AnyForm = FormDataByCategory[CategoryId];

export interface PhotoPlan {
  type: 'jpeg' | 'png';
  /** Size in MiB (1–3). */
  mib: number;
}

export interface NominationPlan {
  key: string;
  unit: string;
  category: CategoryId;
  form: AnyForm;
  merit: number;
  photos: PhotoPlan[];
  /** The secretariat's screening, when it is not a plain pass. */
  screening?: { decision: 'return' | 'reject'; reasons: string };
  /** For a return: the unit's correction, a replacement for the photo at this index. */
  replacePhoto?: { index: number; with: PhotoPlan };
  /** This unit also tries the uploads Laurel refuses. */
  showRefusals?: boolean;
  /** An objection raised in publicity (CAST round) and how the secretariat resolves it. */
  objection?: { reason: string; decision: 'uphold' | 'dismiss'; note: string; by: string; contact: string };
}

const jpeg = (mib: number): PhotoPlan => ({ type: 'jpeg', mib });
const png = (mib: number): PhotoPlan => ({ type: 'png', mib });

// ── The society round: China Arts & Crafts Society (cacs-2024) ─────────────────────────────────

export const SOCIETY_UNITS: UnitPlan[] = [
  { id: 'jdz-ceramics-univ', name: '景德镇陶瓷大学', type: 'member', email: 'kxzyz@jdz-univ.example.cn' },
  {
    id: 'cacs-ich-committee',
    name: '中国工艺美术学会非物质文化遗产专业委员会',
    type: 'branch',
    email: 'ich@cacs.example.cn',
  },
  {
    id: 'js-arts-society',
    name: '江苏省工艺美术学会',
    type: 'provincial-society',
    email: 'office@jsgm.example.cn',
  },
  {
    id: 'sz-arts-college',
    name: '苏州工艺美术职业技术学院',
    type: 'related-unit',
    email: 'tuanwei@szgm.example.cn',
  },
  { id: 'zj-arts-institute', name: '浙江省工艺美术研究院', type: 'member', email: 'kx@zjgm.example.cn' },
];

export const SOCIETY_EXPERTS: ExpertPlan[] = [
  {
    id: 'cacs-expert-wang',
    name: '王立军',
    email: 'wanglj@experts.example.cn',
    affiliation: 'jdz-ceramics-univ',
    bias: 0.2,
  },
  { id: 'cacs-expert-zhao', name: '赵雅琴', email: 'zhaoyq@experts.example.cn', bias: 0 },
  { id: 'cacs-expert-sun', name: '孙伟东', email: 'sunwd@experts.example.cn', bias: -0.3 },
  { id: 'cacs-expert-qian', name: '钱慧敏', email: 'qianhm@experts.example.cn', bias: 0.1 },
];

export const SOCIETY_NOMINATIONS: NominationPlan[] = [
  {
    key: 'V1',
    unit: 'jdz-ceramics-univ',
    category: 'volunteer',
    merit: 8.9,
    form: volunteer({
      name: '周丽华',
      gender: 'female',
      birthYearMonth: '1975-08',
      postalAddress: '江西省景德镇市昌江区陶阳路 27 号',
      contact: '13907981234',
      volunteerOrganization: '景德镇陶瓷大学科技志愿服务队',
      mainServiceProject: '陶瓷非遗进乡村课堂',
      volunteeringSince: '2014-05',
      activitiesTakenPart: 168,
      mainDeeds:
        '十年来带领师生走进赣东北 40 余所乡村学校，开设拉坯、青花绘制等陶瓷非遗科普课堂。\n编写《陶瓷里的科学》科普读本，累计服务青少年 2 万余人次。',
    }),
    photos: [jpeg(1.4), jpeg(2.6), png(1.2)],
    screening: {
      decision: 'return',
      reasons: '照片2为多人合影，看不清被推荐人，请更换为本人工作照后重新提交。',
    },
    replacePhoto: { index: 1, with: png(1.8) },
  },
  {
    key: 'V2',
    unit: 'js-arts-society',
    category: 'volunteer',
    merit: 8.3,
    form: volunteer({
      name: '陈志强',
      gender: 'male',
      birthYearMonth: '1982-11',
      politicalStatus: 'jiusan',
      postalAddress: '江苏省南京市鼓楼区北京西路 15 号',
      contact: '025-83351234',
      volunteerOrganization: '南京云锦科技志愿服务队',
      mainServiceProject: '云锦织造技艺科普',
      volunteeringSince: '2017-09',
      activitiesTakenPart: 96,
      mainDeeds: '利用数字化织机演示云锦“通经断纬”技艺，走进社区、博物馆开展科普讲解 96 场。',
    }),
    photos: [jpeg(1.1), jpeg(1.6)],
  },
  {
    key: 'V3',
    unit: 'sz-arts-college',
    category: 'volunteer',
    merit: 7.1,
    form: volunteer({
      name: '吴佳颖',
      gender: 'female',
      birthYearMonth: '1999-03',
      politicalStatus: 'cyl-member',
      postalAddress: '江苏省苏州市高新区科锐路 1 号',
      contact: '13812345678',
      volunteerOrganization: '苏州工艺美院青年志愿者协会',
      mainServiceProject: '苏绣进社区',
      volunteeringSince: '2023-03', // under three years by the reference date: flagged, still screened
      activitiesTakenPart: 24,
      mainDeeds: '组织在校学生走进社区，为老人和儿童开展苏绣针法体验与科普。',
    }),
    photos: [jpeg(1.05), png(2.0)],
    showRefusals: true,
  },
  {
    key: 'O1',
    unit: 'cacs-ich-committee',
    category: 'organization',
    merit: 8.8,
    form: organization(),
    photos: [jpeg(1.3), jpeg(1.9)],
  },
  {
    key: 'O2',
    unit: 'zj-arts-institute',
    category: 'organization',
    merit: 7.4,
    form: organization({
      organizationName: '浙江省工艺美术研究院科技志愿服务队',
      foundedOn: '2019-03',
      registeredVolunteers: 19, // under the 20 the notice asks for: flagged, still screened
      partyMembers: 7,
      cumulativeServiceHours: 2280,
      serviceHoursPerPerson: 120,
      regularParticipationShare: 68,
      activitiesHeld: 72,
      teamLeader: '郑海峰',
      contact: '0571-87654321',
      regularProjects: [
        { name: '青瓷技艺进校园', brand: true },
        { name: '木雕修复志愿行', brand: true },
      ],
      mainDeeds: '依托研究院技术力量，开展青瓷、木雕等传统工艺科普与修复志愿服务。',
    }),
    photos: [png(1.1), jpeg(1.2)],
  },
  {
    key: 'O3',
    unit: 'js-arts-society',
    category: 'organization',
    merit: 7.9,
    form: organization({
      organizationName: '苏绣科技志愿服务团',
      foundedOn: '2016-10',
      registeredVolunteers: 45,
      partyMembers: 12,
      cumulativeServiceHours: 5400,
      serviceHoursPerPerson: 120,
      regularParticipationShare: 71,
      activitiesHeld: 88,
      teamLeader: '沈美玲',
      contact: '0512-66781234',
      regularProjects: [
        { name: '苏绣技艺公益课', brand: true },
        { name: '绣娘数字化培训', brand: true },
        { name: '乡村绣坊帮扶', brand: false },
      ],
      mainDeeds: '组织绣娘与高校教师为乡村妇女开展数字化设计培训，带动 300 余户增收。',
    }),
    photos: [jpeg(1.5), jpeg(1.2)],
  },
  {
    key: 'P1',
    unit: 'sz-arts-college',
    category: 'project',
    merit: 8.9,
    form: project(),
    photos: [jpeg(1.2), png(1.4)],
  },
  {
    key: 'P2',
    unit: 'cacs-ich-committee',
    category: 'project',
    merit: 8.1,
    form: project({
      projectName: '非遗工坊助农增收科技行',
      applyingUnit: '中国工艺美术学会非物质文化遗产专业委员会',
      startedOn: '2020-04',
      projectVolunteers: 28,
      partyMemberShare: 35,
      projectLeader: '马晓东',
      contact: '010-66091234',
      overview: '在 12 个脱贫县建立非遗工坊，培训手工艺人运用新材料、新工艺，帮助产品进入电商渠道。',
    }),
    photos: [jpeg(1.1), jpeg(1.3)],
  },
  {
    key: 'P3',
    unit: 'jdz-ceramics-univ',
    category: 'project',
    merit: 6.5,
    form: project({
      projectName: '陶瓷3D打印研学营',
      applyingUnit: '景德镇陶瓷大学继续教育学院',
      startedOn: '2023-07',
      projectVolunteers: 12,
      partyMemberShare: 25,
      projectLeader: '黄俊',
      contact: '0798-8499123',
      overview: '面向中学生开设陶瓷 3D 打印研学课程。',
    }),
    photos: [jpeg(1.2), jpeg(1.2)],
    screening: {
      decision: 'reject',
      reasons: '该项目为收费研学课程，不属于科技志愿服务，不予通过。',
    },
  },
  {
    key: 'S1',
    unit: 'jdz-ceramics-univ',
    category: 'site',
    merit: 8.6,
    form: site(),
    photos: [jpeg(2.2), jpeg(1.1)],
  },
  {
    key: 'S2',
    unit: 'js-arts-society',
    category: 'site',
    merit: 7.2,
    form: site({
      site: {
        province: '江苏省',
        city: '苏州市',
        county: '姑苏区',
        township: '平江街道',
        community: '平江路社区',
      },
      leaderName: '顾晓红',
      contact: '0512-67531234',
      registeredVolunteers: 96,
      partyMembers: 30,
      registeredShareOfResidents: 4.2,
      residentsVolunteeredShare: 61,
      activitiesPerYear: 36,
      // four teams, the notice asks for five: flagged, still screened
      teams: ['苏绣体验队', '评弹科普队', '银龄助老队', '古桥讲解队'].map((name) => ({
        name,
        registeredOnDaMei: true,
      })),
      mainDeeds: '依托历史街区开展非遗科普、古建保护讲解和科技助老服务。',
    }),
    photos: [png(1.3), jpeg(1.4)],
  },
  {
    key: 'S3',
    unit: 'zj-arts-institute',
    category: 'site',
    merit: 7.8,
    form: site({
      site: {
        province: '浙江省',
        city: '杭州市',
        county: '西湖区',
        township: '转塘街道',
        community: '龙坞茶村',
      },
      leaderName: '许国平',
      contact: '0571-85671234',
      registeredVolunteers: 132,
      partyMembers: 41,
      registeredShareOfResidents: 6.1,
      residentsVolunteeredShare: 64,
      activityCategories: [
        { category: 'agritech-extension' },
        { category: 'st-training' },
        { category: 'science-lectures' },
        { category: 'tech-help-elderly' },
        { category: 'other', text: '竹编工艺体验' },
      ],
      activitiesPerYear: 52,
      teams: ['茶艺科普队', '竹编传承队', '农技服务队', '健康义诊队', '防灾减灾队'].map((name) => ({
        name,
        registeredOnDaMei: true,
      })),
      mainDeeds: '结合茶产业开展农技推广、竹编非遗传承和科技助老志愿服务。',
    }),
    photos: [jpeg(1.2), jpeg(1.6)],
  },
];

// ── The CAST national round (cast-2024) ─────────────────────────────────────────────────────────

export const CAST_UNITS: UnitPlan[] = [
  { id: 'csa-agronomy', name: '中国农学会', type: 'national-society', email: 'kjzy@caass.example.cn' },
  {
    id: 'zj-kexie',
    name: '浙江省科学技术协会',
    type: 'provincial-association',
    email: 'zyfw@zjkx.example.cn',
  },
  {
    id: 'sinopec-kexie',
    name: '中国石油化工集团有限公司科学技术协会',
    type: 'central-enterprise',
    email: 'kx@sinopec.example.cn',
  },
  { id: 'cstm', name: '中国科学技术馆', type: 'direct-unit', email: 'zyz@cstm.example.cn' },
];

export const CAST_EXPERTS: ExpertPlan[] = [
  {
    id: 'cast-expert-li',
    name: '李国强',
    email: 'ligq@review.example.cn',
    affiliation: 'zj-kexie',
    bias: 0.1,
  },
  { id: 'cast-expert-huang', name: '黄文静', email: 'huangwj@review.example.cn', bias: -0.2 },
  { id: 'cast-expert-he', name: '何志明', email: 'hezm@review.example.cn', bias: 0.2 },
  { id: 'cast-expert-luo', name: '罗秀兰', email: 'luoxl@review.example.cn', bias: 0 },
];

export const CAST_NOMINATIONS: NominationPlan[] = [
  {
    key: 'C-V1',
    unit: 'csa-agronomy',
    category: 'volunteer',
    merit: 8.7,
    form: volunteer({
      name: '刘建华',
      gender: 'male',
      birthYearMonth: '1968-02',
      postalAddress: '北京市海淀区中关村南大街 12 号',
      contact: '13601234567',
      volunteerOrganization: '中国农学会科技志愿服务团',
      mainServiceProject: '科技小院助农',
      volunteeringSince: '2012-06',
      activitiesTakenPart: 210,
      mainDeeds: '扎根河北曲周科技小院十二年，推广小麦玉米节水增产技术，培训农民 1.5 万人次。',
    }),
    photos: [jpeg(1.6), jpeg(1.2), jpeg(2.9)],
  },
  {
    key: 'C-P1',
    unit: 'csa-agronomy',
    category: 'project',
    merit: 8.4,
    form: project({
      projectName: '科技小院乡村振兴行动',
      applyingUnit: '中国农学会',
      startedOn: '2018-05',
      projectVolunteers: 60,
      partyMemberShare: 45,
      projectLeader: '张卫国',
      contact: '010-59191234',
      overview: '组织专家和研究生驻村，围绕主导产业开展技术示范与培训。',
    }),
    photos: [jpeg(1.3), jpeg(1.1)],
  },
  {
    key: 'C-S1',
    unit: 'zj-kexie',
    category: 'site',
    merit: 8.7,
    form: site({
      site: { province: '浙江省', city: '湖州市', county: '安吉县', township: '天荒坪镇', community: '余村' },
      leaderName: '潘文斌',
      contact: '0572-5061234',
      registeredVolunteers: 180,
      partyMembers: 58,
      registeredShareOfResidents: 11.2,
      residentsVolunteeredShare: 72,
      activitiesPerYear: 60,
      mainDeeds: '践行“绿水青山就是金山银山”理念，开展生态科普、农技推广和应急救援志愿服务。',
    }),
    photos: [jpeg(1.4), png(1.5)],
  },
  {
    key: 'C-O1',
    unit: 'zj-kexie',
    category: 'organization',
    merit: 8.0,
    form: organization({
      organizationName: '浙江省科技志愿服务总队',
      foundedOn: '2015-05',
      registeredVolunteers: 1200,
      partyMembers: 520,
      cumulativeServiceHours: 96000,
      serviceHoursPerPerson: 80,
      regularParticipationShare: 66,
      activitiesHeld: 1350,
      teamLeader: '吴晓东',
      contact: '0571-85171234',
      regularProjects: [
        { name: '科技助农直通车', brand: true },
        { name: '银龄数字课堂', brand: true },
      ],
      mainDeeds: '统筹全省科技志愿服务队伍，常态化开展科技助农、科普进社区和数字助老服务。',
    }),
    photos: [jpeg(1.2), jpeg(1.3)],
  },
  {
    key: 'C-O2',
    unit: 'sinopec-kexie',
    category: 'organization',
    merit: 7.7,
    form: organization({
      organizationName: '中国石化“石化先锋”科技志愿服务队',
      foundedOn: '2017-07',
      registeredVolunteers: 320,
      partyMembers: 210,
      cumulativeServiceHours: 25600,
      serviceHoursPerPerson: 80,
      regularParticipationShare: 62,
      activitiesHeld: 410,
      teamLeader: '高志远',
      contact: '010-59961234',
      regularProjects: [
        { name: '能源科普进校园', brand: true },
        { name: '安全生产科普行', brand: true },
      ],
      mainDeeds: '组织技术骨干开展能源科普、安全生产培训和应急救援志愿服务。',
    }),
    photos: [jpeg(1.1), jpeg(1.1)],
  },
  {
    key: 'C-P2',
    unit: 'cstm',
    category: 'project',
    merit: 8.2,
    form: project({
      projectName: '流动科技馆进基层',
      applyingUnit: '中国科学技术馆',
      startedOn: '2016-03',
      projectVolunteers: 85,
      partyMemberShare: 38,
      projectLeader: '赵明',
      contact: '010-59041234',
      overview: '以流动展览和科普大篷车深入中西部县域，组织科技志愿者开展讲解和互动实验。',
    }),
    photos: [jpeg(1.5), jpeg(1.2)],
    objection: {
      reason: '该项目2023年起在部分县域由地方科技馆承办，申报材料中的服务人次含承办单位数据，请核实。',
      decision: 'uphold',
      note: '经核实，服务人次统计口径有误，异议成立，撤销公示。',
      by: '王某',
      contact: 'wang.public@example.cn',
    },
  },
];

/** The objection to a nomination the society forwarded: checked and dismissed. */
export const DISMISSED_OBJECTION = {
  societyKey: 'O3',
  reason: '该服务团注册志愿者人数疑似虚报，请核实。',
  note: '经核实，注册人数与“大美志愿”平台记录一致，异议不成立。',
  by: '李某',
  contact: '13700001111',
};
