import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import { formatDeadlinesCompared, instantSchema, isCalendarDate, parseInstant } from './calendar.js';
import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from './categories.js';
import { DEFAULT_PRIVACY, privacySchema } from './consent.js';
import { declarationsSchema, STANDARD_DECLARATIONS } from './declarations.js';
import { CampaignDefinitionError, DomainError, type FieldIssue } from './errors.js';
import { FORM_IDS, type FormId } from './forms/index.js';
import { RANK_BY } from './panel-statistics.js';
import { describeIssues, jsonSchemaOf } from './validation.js';

/**
 * A campaign (one round of nominations run by one organizer) is data, validated by this
 * schema: a national society can define its own round in JSON without touching code.
 * The two built-in rounds are in ./campaigns/*.json.
 */

export const MEBIBYTE = 1_048_576; // "1 MB" in the notice is read as 1 MiB = 1,048,576 bytes.

export const campaignSchema = builtOnFirstUse(() => {
  const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
  const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens');

  const quotaRuleSchema = z.discriminatedUnion('scope', [
    z
      .strictObject({ scope: z.literal('per-category'), limit: z.int().min(0) })
      .describe('at most `limit` in each category'),
    z
      .strictObject({ scope: z.literal('total'), limit: z.int().min(0) })
      .describe('at most `limit` over all categories'),
    z.strictObject({ scope: z.literal('unlimited') }).describe('no quota'),
  ]);

  const unitTypeSchema = z.strictObject({
    id: slug,
    name: bilingual,
    quota: quotaRuleSchema,
  });

  const categorySchema = z.strictObject({
    id: z.enum(CATEGORY_IDS),
    form: z.enum(FORM_IDS as [FormId, ...FormId[]]),
    photos: z.strictObject({ min: z.int().min(0), max: z.int().min(0) }),
  });

  const byteLimitSchema = z.strictObject({ minBytes: z.int().min(0).default(1), maxBytes: z.int().min(1) });

  const eligibilitySchema = z.strictObject({
    minYearsOfService: z.int().min(0).default(3),
    organizationMinYears: z.int().min(0).default(3),
    organizationMinVolunteers: z.int().min(0).default(20),
    organizationMinRegularShare: z.number().min(0).max(100).default(60),
    organizationMinBrandProjects: z.int().min(0).default(2),
    organizationMinActivities: z.int().min(0).default(50),
    projectMinYears: z.int().min(0).default(3),
    projectMinVolunteers: z.int().min(0).default(10),
    siteMinResidentsShare: z.number().min(0).max(100).default(60),
    siteMinTeams: z.int().min(0).default(5),
    siteMinActivityCategories: z.int().min(0).default(5),
    /** Models of these years may not apply again (曾入选2019—2023年度科技志愿服务典型的，不再参加). */
    pastHonourYears: z.strictObject({ from: z.int(), to: z.int() }).default({ from: 2019, to: 2023 }),
  });

  const reviewSchema = z.strictObject({
    expertsPerNomination: z.int().min(1).max(20),
    criteria: z
      .array(
        z.strictObject({
          id: slug,
          name: bilingual,
          /** Weights are percentages and add up to 100. */
          weight: z.number().positive(),
          maxScore: z.int().min(1),
        }),
      )
      .min(1),
    /** 'z-score' rescales each expert's totals to mean 0, sd 1 before averaging, so lenient and strict experts weigh alike. */
    normalisation: z.enum(['none', 'z-score']).default('none'),
    /**
     * Which statistic ranks (functions/rules/panel-statistics.ts): the mean, the median, the
     * trimmed mean (five reviews up) or the normalised mean (each expert's scale taken out). Absent:
     * the mean, or the mean z-score under 'z-score' normalisation.
     */
    rankBy: z.enum(RANK_BY).optional(),
    /** Reviews an expert needs in the round before their scale is normalised; fewer: their totals stay raw. */
    minReviewsToNormalise: z.int().min(2).default(5),
    /** Spread between the experts' totals (points of 100) from which the ranking flags disagreement. */
    disagreementSpread: z.number().positive().max(100).default(25),
    /** The most nominations one expert reviews, unless their own cap says otherwise; none: no cap. */
    maxLoadPerExpert: z.int().min(1).optional(),
    /**
     * Experts drawn at random (随机抽取) among the equally least loaded eligible ones, the draw's seed
     * kept in the nomination's audit trail so anyone can repeat it; otherwise ties go by the id.
     */
    drawAtRandom: z.boolean().default(false),
    /**
     * Days an expert has for a review, counted by the campaign's daily review clock (a scheduled
     * job, so the same under LAUREL_TIME_SCALE as in AWS) from the first day it counts the review:
     * an expert assigned in the morning has `dueDays` days and the rest of that day.
     */
    dueDays: z.int().min(1).max(180).default(21),
    /** Reminder mails this many days before the due date (each once). */
    reminderDaysBefore: z.array(z.int().min(1).max(90)).max(5).default([7, 2]),
    /** At the due date an unfinished review goes to the next eligible expert; otherwise the secretariat decides. */
    reassignOverdue: z.boolean().default(false),
    /** Whether an expert sees the other experts' totals once their own review is in (never before). */
    peerScores: z.enum(['hidden', 'after-own-review']).default('hidden'),
  });
  return z.strictObject({
    id: slug,
    year: z.int().min(2000).max(2100),
    name: bilingual,
    /** The summary table's title as the campaign's notice names it (e.g. …先进典型推荐汇总表). */
    summaryTitle: z.string().trim().min(1).max(100).optional(),
    organizer: z.strictObject({ name: bilingual, office: bilingual }),
    categories: z.array(categorySchema).min(1),
    unitTypes: z.array(unitTypeSchema).min(1),
    /**
     * Submissions are accepted strictly before this instant (ISO 8601 with offset, China time). The
     * notice's "X日前" is the end of day X: "2月13日前" is 2025-02-14T00:00:00+08:00.
     */
    deadline: instantSchema(),
    /**
     * A nomination returned for correction may be resubmitted until the end of the day `days`
     * after the return (the secretariat may set another day per return), even past the deadline;
     * never past `latest` nor, in a round that forwards, the parent round's deadline. The unit is
     * reminded `reminderHours` before its correction window ends.
     */
    corrections: z
      .strictObject({
        days: z.int().min(1).max(60).default(5),
        latest: instantSchema().optional(),
        reminderHours: z.int().min(1).max(240).default(48),
      })
      .default({ days: 5, reminderHours: 48 }),
    /** The notice's contacts (联系方式): shown to units and added to every mail. */
    contacts: z
      .array(
        z.strictObject({
          office: bilingual,
          people: z.array(z.string().min(1)).min(1),
          phones: z.array(z.string().min(1)).default([]),
          email: z.email().optional(),
        }),
      )
      .default([]),
    /** "Years of service" and "established N years" are counted up to this date. */
    referenceDate: z.string().refine(isCalendarDate, 'a date YYYY-MM-DD'),
    attachments: z.strictObject({
      photo: byteLimitSchema,
      scan: byteLimitSchema,
      word: byteLimitSchema,
      /** The signed consent scan, when `privacy.consentScan` asks for one; absent: the scan's limits. */
      consent: byteLimitSchema.optional(),
    }),
    /**
     * Notice and consent (functions/rules/consent.ts): the notice units show the nominee, versioned,
     * and whether a signed consent scan is required. Absent: the standard notice, no scan.
     */
    privacy: privacySchema().default(DEFAULT_PRIVACY),
    /**
     * The declarations units confirm at submission, per category (functions/rules/declarations.ts),
     * versioned. Absent: the standard ones (materials accurate; no bad record for organizations).
     */
    declarations: declarationsSchema().default(STANDARD_DECLARATIONS),
    eligibility: eligibilitySchema.default(eligibilitySchema.parse({})),
    review: reviewSchema,
    /** How many the organizer selects (and forwards, when it forwards to a parent campaign). */
    selection: z.strictObject({
      quota: quotaRuleSchema,
      minimumScore: z.number().min(0).max(100).optional(),
      /** "Recommend" votes a nomination needs to compete, whatever its score (e.g. a majority of its experts). */
      minimumRecommendations: z.int().min(1).optional(),
      /**
       * Among nominations of equal score, those confirmed at screening as from the grassroots and
       * the front line (立足基层一线) rank first, before the other tie-breaks.
       */
      grassrootsFirst: z.boolean().default(false),
    }),
    forwardTo: z.strictObject({ campaignId: slug, asUnitType: slug }).nullable().default(null),
    /**
     * The round's own public notice (公示); null in a round that publishes nothing itself (a
     * society's: its candidates are published in the parent round).
     */
    publicity: z
      .strictObject({
        days: z.int().min(1).max(60),
        /** Whether a nomination withdrawn after an upheld objection frees a slot for a replacement. */
        replacementAllowed: z.boolean().default(false),
      })
      .nullable()
      .default(null),
  });
});

export type CampaignDefinition = z.input<ReturnType<typeof campaignSchema>>;

/**
 * The summary table's title: the notice's own words when the campaign gives them, else the
 * campaign's name with 推荐汇总表 — without repeating a 推荐 the name already ends with.
 */
export function summaryTitleOf(campaign: {
  name: { zh: string };
  summaryTitle?: string | undefined;
}): string {
  if (campaign.summaryTitle) return campaign.summaryTitle;
  const name = campaign.name.zh;
  return name.endsWith('推荐') ? `${name}汇总表` : `${name}推荐汇总表`;
}
export type Campaign = z.infer<ReturnType<typeof campaignSchema>>;
export type UnitType = Campaign['unitTypes'][number];
export type QuotaRule = UnitType['quota'];

/** Everything a single definition must satisfy beyond its shape. */
function internalIssues(c: Campaign): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const issue = (path: (string | number)[], code: string, zh: string, en: string) =>
    issues.push({ path, code, message: { zh, en } });

  const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
  for (const id of duplicates(c.categories.map((x) => x.id))) {
    issue(['categories'], 'duplicate', `类别 ${id} 重复`, `category ${id} is listed twice`);
  }
  for (const id of duplicates(c.unitTypes.map((x) => x.id))) {
    issue(['unitTypes'], 'duplicate', `推荐单位类型 ${id} 重复`, `unit type ${id} is listed twice`);
  }
  for (const id of duplicates(c.review.criteria.map((x) => x.id))) {
    issue(['review', 'criteria'], 'duplicate', `评审指标 ${id} 重复`, `criterion ${id} is listed twice`);
  }
  c.categories.forEach((cat, i) => {
    if (cat.form !== cat.id) {
      issue(
        ['categories', i, 'form'],
        'form_mismatch',
        '推荐表与类别不符',
        `form ${cat.form} is not a form of category ${cat.id}`,
      );
    }
    if (cat.photos.min > cat.photos.max) {
      issue(['categories', i, 'photos'], 'range', '照片数量下限大于上限', 'photo minimum exceeds maximum');
    }
  });
  for (const kind of ['photo', 'scan', 'word', 'consent'] as const) {
    const limit = c.attachments[kind];
    if (limit && limit.minBytes > limit.maxBytes) {
      issue(['attachments', kind], 'range', '文件大小下限大于上限', 'size minimum exceeds maximum');
    }
  }
  const weights = c.review.criteria.reduce((sum, x) => sum + x.weight, 0);
  if (Math.abs(weights - 100) > 1e-9) {
    issue(
      ['review', 'criteria'],
      'weights_sum',
      `权重之和应为 100，现为 ${weights}`,
      `weights must add up to 100, not ${weights}`,
    );
  }
  if (c.eligibility.pastHonourYears.from > c.eligibility.pastHonourYears.to) {
    issue(['eligibility', 'pastHonourYears'], 'range', '年份范围无效', 'year range is reversed');
  }
  if (parseInstant(c.deadline).toISOString().slice(0, 10) < c.referenceDate) {
    issue(
      ['referenceDate'],
      'after_deadline',
      '基准日期晚于截止时间',
      'reference date is after the deadline',
    );
  }
  return issues;
}

/** Consistency between a round that forwards and the round it forwards to: every problem found. */
function forwardingIssues(c: Campaign, byId: ReadonlyMap<string, Campaign>): FieldIssue[] {
  if (!c.forwardTo) return [];
  const issues: FieldIssue[] = [];
  const issue = (path: (string | number)[], code: string, zh: string, en: string) =>
    issues.push({ path, code, message: { zh, en } });
  const parent = byId.get(c.forwardTo.campaignId);
  if (!parent) {
    issue(
      ['forwardTo', 'campaignId'],
      'unknown_campaign',
      `上级活动“${c.forwardTo.campaignId}”不存在`,
      `no campaign ${c.forwardTo.campaignId}`,
    );
    return issues;
  }
  if (parseInstant(c.deadline) > parseInstant(parent.deadline)) {
    const [own, parents] = formatDeadlinesCompared(parseInstant(c.deadline), parseInstant(parent.deadline));
    issue(
      ['deadline'],
      'after_parent_deadline',
      `截止时间 ${own} 晚于上级活动（${parent.name.zh}）的截止时间 ${parents}`,
      `the deadline ${own} is after that of ${parent.name.en} (${parents})`,
    );
  }
  const unitType = parent.unitTypes.find((u) => u.id === c.forwardTo?.asUnitType);
  if (!unitType) {
    issue(
      ['forwardTo', 'asUnitType'],
      'unknown_unit_type',
      `上级活动无此推荐单位类型“${c.forwardTo.asUnitType}”`,
      `${parent.name.en} has no unit type ${c.forwardTo.asUnitType}`,
    );
  } else if (!quotaFitsWithin(c.selection.quota, unitType.quota)) {
    const allowed = quotaText(unitType.quota);
    issue(
      ['selection', 'quota'],
      'exceeds_parent_quota',
      `择优推荐名额（${quotaText(c.selection.quota).zh}）超过上级活动（${parent.name.zh}）给${unitType.name.zh}的名额（${allowed.zh}）`,
      `the selection quota (${quotaText(c.selection.quota).en}) exceeds what ${parent.name.en} gives a ${unitType.name.en} (${allowed.en})`,
    );
  }
  if (parent.privacy.consentScan && !c.privacy.consentScan) {
    // Forwarded nominations carry their files into the parent round, which would refuse them.
    issue(
      ['privacy', 'consentScan'],
      'parent_requires_consent_scan',
      `上级活动（${parent.name.zh}）要求被推荐人签字的知情同意书扫描件，本活动也须要求`,
      `${parent.id} requires the nominee's signed consent scan: so must this round`,
    );
  }
  c.categories.forEach((cat, i) => {
    if (parent.categories.some((p) => p.id === cat.id)) return;
    issue(
      ['categories', i, 'id'],
      'unknown_in_parent',
      `上级活动（${parent.name.zh}）没有该类别`,
      `${parent.name.en} has no category ${CATEGORY_NAMES[cat.id].en}`,
    );
  });
  return issues;
}

function quotaText(rule: QuotaRule): { zh: string; en: string } {
  switch (rule.scope) {
    case 'per-category':
      return { zh: `每类 ${rule.limit} 个`, en: `${rule.limit} per category` };
    case 'total':
      return { zh: `共 ${rule.limit} 个`, en: `${rule.limit} in total` };
    case 'unlimited':
      return { zh: '不限', en: 'unlimited' };
  }
}

/**
 * Every problem of one definition, each naming its field in Chinese and English: its shape (the
 * schema), its own consistency, and — against the rounds already known — the round it forwards
 * to and the rounds that forward to it (which must still fit it). `campaign` is the parsed
 * definition when its shape is right.
 */
export function definitionIssues(
  raw: unknown,
  known: ReadonlyMap<string, Campaign>,
): { campaign?: Campaign; issues: FieldIssue[] } {
  const parsed = campaignSchema().safeParse(raw);
  if (!parsed.success) {
    return { issues: describeIssues(jsonSchemaOf(campaignSchema()), parsed.error.issues, raw) };
  }
  const campaign = parsed.data;
  const withThis = new Map(known).set(campaign.id, campaign);
  const childIssues = [...known.values()]
    .filter((child) => child.forwardTo?.campaignId === campaign.id && child.id !== campaign.id)
    .flatMap((child) =>
      forwardingIssues(child, withThis).map((i) => ({
        path: i.path[0] === 'deadline' ? ['deadline'] : ['unitTypes'],
        code: `child_${i.code}`,
        message: {
          zh: `下级活动“${child.name.zh}”将不再符合：${i.message.zh}`,
          en: `${child.name.en}, which forwards to this one, would no longer fit: ${i.message.en}`,
        },
      })),
    );
  return {
    campaign,
    issues: [...internalIssues(campaign), ...forwardingIssues(campaign, withThis), ...childIssues],
  };
}

/** Can every selection allowed by `inner` also be forwarded under `outer`? */
export function quotaFitsWithin(inner: QuotaRule, outer: QuotaRule): boolean {
  if (outer.scope === 'unlimited') return true;
  if (inner.scope === 'unlimited') return false;
  if (outer.scope === 'per-category') return inner.limit <= outer.limit;
  // outer is a total: only a total at most as large surely fits.
  return inner.scope === 'total' && inner.limit <= outer.limit;
}

/**
 * Parses and cross-checks a set of campaign definitions (a society round with the CAST round
 * it forwards to). Throws a CampaignDefinitionError naming the campaign and the fields.
 */
export function loadCampaigns(definitions: readonly unknown[]): Map<string, Campaign> {
  const byId = new Map<string, Campaign>();
  definitions.forEach((raw, index) => {
    const id = (raw as { id?: unknown })?.id;
    const label = typeof id === 'string' ? id : `#${index}`;
    const parsed = campaignSchema().safeParse(raw);
    if (!parsed.success) {
      throw new CampaignDefinitionError(
        label,
        describeIssues(jsonSchemaOf(campaignSchema()), parsed.error.issues, raw),
      );
    }
    const issues = internalIssues(parsed.data);
    if (issues.length > 0) throw new CampaignDefinitionError(label, issues);
    if (byId.has(parsed.data.id)) {
      throw new CampaignDefinitionError(label, [
        { path: ['id'], code: 'duplicate', message: { zh: '活动编号重复', en: 'campaign id used twice' } },
      ]);
    }
    byId.set(parsed.data.id, parsed.data);
  });
  for (const campaign of byId.values()) {
    const issues = forwardingIssues(campaign, byId);
    if (issues.length > 0) throw new CampaignDefinitionError(campaign.id, issues);
  }
  return byId;
}

export function categoryOf(campaign: Campaign, category: CategoryId) {
  return campaign.categories.find((c) => c.id === category);
}

/** A 400 naming the category when the campaign does not run it. */
export function assertCategoryInCampaign(campaign: Campaign, category: CategoryId): void {
  if (categoryOf(campaign, category)) return;
  throw new DomainError({
    code: 'CATEGORY_NOT_IN_CAMPAIGN',
    kind: 'invalid',
    path: ['category'],
    message: {
      zh: `本次活动不评选“${CATEGORY_NAMES[category].zh}”`,
      en: `This campaign has no category "${CATEGORY_NAMES[category].en}"`,
    },
  });
}

export function unitTypeOf(campaign: Campaign, unitTypeId: string): UnitType | undefined {
  return campaign.unitTypes.find((u) => u.id === unitTypeId);
}

/** JSON Schema of a campaign definition, for organizers who write one in an editor. */
export const campaignJsonSchema = () => z.toJSONSchema(campaignSchema(), { io: 'input' });

/** The campaign of that id among the known ones; a 404 naming it when there is none. */
export function campaignIn(campaigns: ReadonlyMap<string, Campaign>, id: string): Campaign {
  const campaign = campaigns.get(id);
  if (campaign) return campaign;
  throw new DomainError({
    code: 'NOT_FOUND',
    kind: 'not-found',
    message: { zh: `活动“${id}”不存在`, en: `No campaign "${id}"` },
  });
}
