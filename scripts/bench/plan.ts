import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { FormDataByCategory } from '../../functions/rules/forms/index.js';
import { organization, project, site, volunteer } from '../driver/sample-forms.js';

/**
 * Who takes part in the benchmark's national round (cast-2024) and what they nominate: units of
 * the four types, each within its quota, nominating a realistic mix of the four categories, and
 * a pool of experts (some affiliated with a unit, so conflicts of interest are avoided). Made
 * from a seed-free rule, so the same size always gives the same plan.
 */

export const CAMPAIGN_ID = 'cast-2024';

export interface BenchUnit {
  id: string;
  name: string;
  type: string;
  email: string;
}

export interface BenchExpert {
  id: string;
  name: string;
  email: string;
  affiliation?: string;
  /** How much more generous (or strict) than the merit this expert scores. */
  bias: number;
}

export interface BenchNomination {
  /** Position in the plan. */
  index: number;
  unit: BenchUnit;
  category: CategoryId;
  form: FormDataByCategory[CategoryId];
  photos: number;
  /** What experts will think of it (0–10). */
  merit: number;
  /** Uploaded for real through presigned POSTs (a sample); the rest have their records seeded. */
  realUploads: boolean;
}

export interface BenchPlan {
  units: BenchUnit[];
  experts: BenchExpert[];
  nominations: BenchNomination[];
}

/**
 * Shares of the nominations by unit type, and how many each unit of the type nominates (cycled).
 * CAST's real round: 31 provinces and the XPCC nominate up to 5 per category, some 210 national
 * societies and about a hundred central enterprises up to 2 per category, directly affiliated
 * units up to 5 in all.
 */
const MIX: { type: string; share: number; perUnit: number[]; prefix: string }[] = [
  { type: 'provincial-association', share: 0.13, perUnit: [12, 11, 13, 10], prefix: 'pa' },
  { type: 'national-society', share: 0.57, perUnit: [1, 2, 3, 4, 2, 3], prefix: 'ns' },
  { type: 'central-enterprise', share: 0.25, perUnit: [1, 2, 3, 2], prefix: 'ce' },
  { type: 'direct-unit', share: 0.05, perUnit: [2, 3, 4], prefix: 'du' },
];

/** The order a unit fills its categories in (rotated per unit): about 40 % volunteers, then projects, organizations, sites. */
const CATEGORY_ORDER: CategoryId[] = [
  'volunteer',
  'project',
  'organization',
  'volunteer',
  'site',
  'project',
  'volunteer',
  'organization',
  'site',
  'volunteer',
];

const PROVINCES = [
  '北京市',
  '天津市',
  '河北省',
  '山西省',
  '内蒙古自治区',
  '辽宁省',
  '吉林省',
  '黑龙江省',
  '上海市',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '广西壮族自治区',
  '海南省',
  '重庆市',
  '四川省',
  '贵州省',
  '云南省',
  '西藏自治区',
  '陕西省',
  '甘肃省',
  '青海省',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  '新疆生产建设兵团',
];
const FIELDS = [
  '农学',
  '林学',
  '水利',
  '气象',
  '地质',
  '地理',
  '海洋',
  '天文',
  '物理',
  '化学',
  '数学',
  '力学',
  '生物',
  '生态',
  '植物',
  '动物',
  '微生物',
  '遗传',
  '营养',
  '药学',
  '医学',
  '中医药',
  '护理',
  '预防医学',
  '心理',
  '计算机',
  '电子',
  '通信',
  '自动化',
  '机械工程',
  '电机工程',
  '汽车工程',
  '航空',
  '宇航',
  '造船工程',
  '铁道',
  '公路',
  '土木工程',
  '建筑',
  '城市规划',
  '环境科学',
  '能源',
  '核',
  '石油',
  '煤炭',
  '有色金属',
  '金属',
  '材料',
  '硅酸盐',
  '纺织工程',
  '食品科学技术',
  '粮油',
  '茶叶',
  '蚕学',
  '园艺',
  '土壤',
  '植物保护',
  '畜牧兽医',
  '水产',
  '工艺美术',
  '科普作家',
  '科技新闻',
  '自然资源',
  '测绘',
  '图学',
  '标准化',
  '仪器仪表',
  '光学工程',
  '照明',
  '颗粒',
  '腐蚀与防护',
  '真空',
  '振动工程',
  '复合材料',
  '人工智能',
  '指挥与控制',
  '图象图形',
  '消防',
];
const SECTORS = [
  '电力',
  '电网',
  '石油',
  '石化',
  '海油',
  '航天科技',
  '航天科工',
  '航空工业',
  '船舶',
  '兵器',
  '核工业',
  '建筑',
  '铁建',
  '中铁',
  '交建',
  '电建',
  '能建',
  '中煤',
  '国家能源',
  '中化',
  '五矿',
  '宝武',
  '中铝',
  '中粮',
  '通用技术',
  '中国移动',
  '中国电信',
  '中国联通',
  '东风汽车',
  '一汽',
  '国机',
  '中车',
  '中建材',
  '中节能',
];
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [
  '晓梅',
  '建国',
  '海燕',
  '志强',
  '秀英',
  '立新',
  '文华',
  '国强',
  '丽娟',
  '春生',
  '玉兰',
  '学军',
  '红梅',
  '永明',
  '桂芳',
  '德华',
  '晓东',
  '淑珍',
  '卫东',
  '金凤',
  '振华',
  '雪莲',
  '明辉',
  '慧敏',
  '长江',
  '佳宁',
];

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

function unitName(type: string, i: number): string {
  const round = (list: readonly string[]) =>
    i >= list.length ? `（${Math.floor(i / list.length) + 1}）` : '';
  switch (type) {
    case 'provincial-association':
      return `${pick(PROVINCES, i)}科学技术协会${round(PROVINCES)}`;
    case 'national-society':
      return `中国${pick(FIELDS, i)}学会${round(FIELDS)}`;
    case 'central-enterprise':
      return `${pick(SECTORS, i)}集团有限公司科协${round(SECTORS)}`;
    default:
      return `中国科协直属单位${i + 1}`;
  }
}

const personName = (i: number) => `${pick(SURNAMES, i * 7)}${pick(GIVEN, i * 3 + Math.floor(i / 97))}`;

/** Deeds as long as real ones (the form allows 1,000 characters; most use 600–900). */
const DEEDS_PARAGRAPH =
  '多年来扎根基层开展科技志愿服务，围绕乡村振兴、科学普及和应急救援组织专家团队深入田间地头、社区学校，累计举办科普讲座、技术培训和义诊咨询活动数百场，' +
  '服务群众数万人次。坚持把科技资源送到群众身边，建立“线上答疑＋线下指导”的常态化服务机制，带动一批青年科技工作者加入志愿服务队伍，形成了可复制、可推广的服务模式，' +
  '得到当地群众和主管部门的广泛认可。';
const deeds = (i: number) => `${i + 1}．${DEEDS_PARAGRAPH.repeat(6)}`.slice(0, 760 + (i % 200));

function formFor(category: CategoryId, i: number, unit: BenchUnit): FormDataByCategory[CategoryId] {
  const name = personName(i);
  switch (category) {
    case 'volunteer':
      return volunteer({ name, activitiesTakenPart: 60 + (i % 200), mainDeeds: deeds(i) });
    case 'organization':
      return organization({
        organizationName: `${unit.name}科技志愿服务队${(i % 9) + 1}分队`,
        teamLeader: name,
        mainDeeds: deeds(i),
      });
    case 'project':
      return project({
        projectName: `科技志愿服务进基层行动（${i + 1}）`,
        applyingUnit: unit.name,
        projectLeader: name,
        overview: deeds(i),
      });
    default:
      return site({ leaderName: name, mainDeeds: deeds(i) });
  }
}

/** A number in [0, 1) from an integer, the same every time. */
function unitInterval(i: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
}

export function makePlan(size: number, uploadSample: number): BenchPlan {
  const campaign = builtinCampaign(CAMPAIGN_ID);
  const units: BenchUnit[] = [];
  const nominations: BenchNomination[] = [];
  let assigned = 0;
  MIX.forEach((mix, m) => {
    const quota = campaign.unitTypes.find((t) => t.id === mix.type)?.quota;
    if (!quota) throw new Error(`${CAMPAIGN_ID} has no unit type ${mix.type}`);
    const wanted = m === MIX.length - 1 ? size - assigned : Math.round(size * mix.share);
    let made = 0;
    for (let u = 0; made < wanted; u++) {
      const unit: BenchUnit = {
        id: `${mix.prefix}-${String(u + 1).padStart(4, '0')}`,
        name: unitName(mix.type, u),
        type: mix.type,
        email: `kx-${mix.prefix}-${u + 1}@units.example.cn`,
      };
      units.push(unit);
      const count = Math.min(pick(mix.perUnit, u), wanted - made);
      const used = new Map<CategoryId, number>();
      let total = 0;
      for (let k = 0; total < count && k < CATEGORY_ORDER.length * 2; k++) {
        const category = pick(CATEGORY_ORDER, k + u);
        const inCategory = used.get(category) ?? 0;
        if (quota.scope === 'per-category' && inCategory >= quota.limit) continue;
        if (quota.scope === 'total' && total >= quota.limit) break;
        used.set(category, inCategory + 1);
        total += 1;
        const index = nominations.length;
        nominations.push({
          index,
          unit,
          category,
          form: formFor(category, index, unit),
          photos: category === 'volunteer' && index % 3 === 0 ? 3 : 2,
          merit: 5 + Math.round(unitInterval(index) * 8) / 2,
          realUploads: false,
        });
      }
      made += total;
    }
    assigned += made;
  });
  // Real uploads for an even sample (at least one nomination).
  const every = Math.max(1, Math.round(1 / Math.max(uploadSample, 1 / Math.max(1, size))));
  for (const n of nominations) n.realUploads = n.index % every === 0;

  const expertCount = Math.max(6, Math.ceil(size / 30));
  const experts: BenchExpert[] = Array.from({ length: expertCount }, (_, e) => {
    // One in five belongs to a unit that nominates: Laurel must never let them review its nominations.
    const affiliation = e % 5 === 4 ? units[(e * 37) % units.length]?.id : undefined;
    return {
      id: `expert-${String(e + 1).padStart(3, '0')}`,
      name: `${personName(e + 5000)}（专家）`,
      email: `expert-${e + 1}@experts.example.cn`,
      ...(affiliation ? { affiliation } : {}),
      bias: Math.round((unitInterval(e + 9000) - 0.5) * 2) / 2,
    };
  });
  return { units, experts, nominations };
}
