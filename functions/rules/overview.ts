import type { Actor } from './access.js';
import { addDays, chinaDateAt, chinaInstant } from './calendar.js';
import { type Campaign, unitTypeOf } from './campaign.js';
import { CATEGORY_NAMES } from './categories.js';
import {
  type DeadlineExtension,
  effectiveDeadline,
  isSubmissionOpen,
  type SubmissionClosure,
} from './deadline.js';
import { type Nomination, statusName } from './nomination.js';
import {
  DECIDED_AT_SELECTION,
  NOMINATION_STATUSES,
  type NominationStatus,
  PAST_SCREENING,
} from './nomination-status.js';
import type { CampaignOverview } from './overview-schema.js';
import { quotaDecision, quotaLedgerKey } from './quota.js';

/**
 * What the browser shows on a campaign's first page: the campaign, its categories (with the
 * unit's quota and the slots it has used), the deadline that applies to the one looking and the
 * server's "now" for a countdown; for the secretariat also counts by status and category,
 * submissions per day and the funnel from submission to release. Read-only.
 */

export type { CampaignOverview } from './overview-schema.js';

/** The stages a nomination passes, in order; each counts the nominations that reached it. */
export const FUNNEL_STAGES = [
  'submitted',
  'passed-screening',
  'reviewed',
  'selected',
  'published',
  'released',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

const FUNNEL_NAMES: Record<FunnelStage, { zh: string; en: string }> = {
  submitted: { zh: '已提交', en: 'submitted' },
  'passed-screening': { zh: '通过初核', en: 'passed screening' },
  reviewed: { zh: '评审完成', en: 'reviewed' },
  selected: { zh: '择优入选（上报）', en: 'selected (forwarded)' },
  published: { zh: '公示', en: 'published for publicity' },
  released: { zh: '正式发布', en: 'released' },
};

/** The statuses at or beyond each stage (a status says how far a nomination got). */
const REACHED: Record<Exclude<FunnelStage, 'submitted'>, readonly NominationStatus[]> = {
  'passed-screening': PAST_SCREENING,
  reviewed: ['scored', ...DECIDED_AT_SELECTION],
  selected: ['selected', 'forwarded', 'in-publicity', 'released', 'withdrawn-after-objection'],
  published: ['in-publicity', 'released', 'withdrawn-after-objection'],
  released: ['released'],
};

export type NominationFigures = Pick<Nomination, 'category' | 'status' | 'submittedAt'>;

/**
 * The campaign's counts as an aggregate the store keeps (one item, ADD with every change, so the
 * overview never lists nominations): per status (`submitted`), per status and category
 * (`submitted#volunteer`), per category of those ever submitted (`ever-submitted#volunteer`), and
 * per China-calendar day of the latest (re)submission (`day#2025-01-20`).
 */
export type CampaignCounts = Record<string, number>;

/** The aggregate's keys one nomination counts under, once each. */
export function countKeysOf(n: NominationFigures): string[] {
  const keys = [n.status, `${n.status}#${n.category}`];
  if (n.submittedAt) keys.push(`ever-submitted#${n.category}`, `day#${chinaDateAt(new Date(n.submittedAt))}`);
  return keys;
}

/** What a change from `before` to `after` adds to the aggregate (a creation has no `before`): non-zero keys only. */
export function countsDelta(before: NominationFigures | undefined, after: NominationFigures): CampaignCounts {
  const delta: CampaignCounts = {};
  for (const key of before ? countKeysOf(before) : []) delta[key] = (delta[key] ?? 0) - 1;
  for (const key of countKeysOf(after)) delta[key] = (delta[key] ?? 0) + 1;
  return Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
}

/** The aggregate of these nominations, as the store would hold it. */
export function countsOf(nominations: readonly NominationFigures[]): CampaignCounts {
  const counts: CampaignCounts = {};
  for (const n of nominations) for (const key of countKeysOf(n)) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** Counts by status and category, submissions per China-calendar day, and the funnel: from the aggregate. */
export function campaignStats(
  campaign: Campaign,
  counts: CampaignCounts,
): NonNullable<CampaignOverview['stats']> {
  const of = (key: string) => Math.max(0, counts[key] ?? 0);
  const byStatus = (category?: string) =>
    Object.fromEntries(NOMINATION_STATUSES.map((s) => [s, of(category ? `${s}#${category}` : s)])) as Record<
      NominationStatus,
      number
    >;
  const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
  const all = byStatus();
  const byCategory = campaign.categories.map((c) => {
    const statuses = byStatus(c.id);
    return {
      category: c.id,
      total: sum(statuses),
      submitted: of(`ever-submitted#${c.id}`),
      byStatus: statuses,
    };
  });
  const days = Object.keys(counts)
    .filter((k) => k.startsWith('day#') && of(k) > 0)
    .map((k) => k.slice('day#'.length))
    .sort();
  const submissionsPerDay: { date: string; count: number }[] = [];
  const [first, last] = [days[0], days.at(-1)];
  if (first && last) {
    for (let day = first; day <= last; day = addDays(day, 1)) {
      submissionsPerDay.push({ date: day, count: of(`day#${day}`) });
    }
  }
  const reached = (stage: FunnelStage) =>
    stage === 'submitted'
      ? byCategory.reduce((total, c) => total + c.submitted, 0)
      : REACHED[stage].reduce((total, status) => total + all[status], 0);
  return {
    total: sum(all),
    byStatus: NOMINATION_STATUSES.map((status) => ({ status, name: statusName(status), count: all[status] })),
    byCategory,
    submissionsPerDay,
    funnel: FUNNEL_STAGES.map((stage) => ({ stage, name: FUNNEL_NAMES[stage], count: reached(stage) })),
  };
}

export interface OverviewInput {
  campaign: Campaign;
  viewer: Pick<Actor, 'role' | 'unitType'>;
  now: Date;
  /** A unit's own deadline extension. */
  extension?: DeadlineExtension;
  /** Submissions closed early by the secretariat. */
  closure?: SubmissionClosure;
  /** The round the campaign forwards to, whose contacts follow the campaign's own. */
  parent?: Campaign;
  /** A unit's quota ledger (slots used per ledger key). */
  ledger?: Readonly<Record<string, number>>;
  /** A unit's own nominations: counted instead where its rule is unlimited (no ledger is kept then). */
  own?: readonly Pick<Nomination, 'category' | 'status'>[];
  /** For the secretariat: the campaign's counts aggregate (drafts included). */
  counts?: CampaignCounts;
  /** When the round's personal information is due for deletion (functions/rules/retention.ts). */
  erasureDueAt?: Date;
}

/** Shapes the overview; pure, so the browser's numbers are tested without a table. */
export function shapeOverview(input: OverviewInput): CampaignOverview {
  const { campaign, viewer, now, extension, closure, ledger = {} } = input;
  const unitType = viewer.role === 'unit' ? unitTypeOf(campaign, viewer.unitType ?? '') : undefined;
  const deadline = effectiveDeadline(campaign, extension);
  return {
    campaign: {
      id: campaign.id,
      year: campaign.year,
      name: campaign.name,
      organizer: campaign.organizer.name,
      round: campaign.forwardTo ? 'society' : 'national',
      forwardsTo: campaign.forwardTo?.campaignId ?? null,
    },
    viewer: {
      role: viewer.role === 'unit' ? 'unit' : 'secretariat',
      unitType: unitType?.id ?? null,
      unitTypeName: unitType?.name ?? null,
    },
    categories: campaign.categories.map((c) => {
      let quota: CampaignOverview['categories'][number]['quota'] = null;
      if (unitType) {
        const decision = quotaDecision(
          campaign,
          unitType.id,
          c.id,
          unitType.quota.scope === 'unlimited'
            ? (input.own ?? [])
            : { used: ledger[quotaLedgerKey(unitType.quota, c.id)] ?? 0 },
        );
        quota = {
          scope: decision.rule.scope,
          limit: decision.limit,
          used: decision.used,
          remaining: decision.remaining,
          rule: decision.ruleText,
        };
      }
      return { id: c.id, name: CATEGORY_NAMES[c.id], photos: c.photos, quota };
    }),
    deadline: {
      at: chinaInstant(deadline),
      campaignDeadline: chinaInstant(effectiveDeadline(campaign)),
      extended: deadline.getTime() > effectiveDeadline(campaign).getTime(),
      open: isSubmissionOpen(campaign, now, extension, closure),
      closedEarly: closure ? { at: chinaInstant(new Date(closure.at)), reason: closure.reason } : null,
    },
    contacts: [...campaign.contacts, ...(input.parent?.contacts ?? [])].map((c) => ({
      office: c.office,
      people: c.people,
      phones: c.phones,
      email: c.email ?? null,
    })),
    privacy: {
      ...campaign.privacy,
      erasureDueAt: input.erasureDueAt ? chinaInstant(input.erasureDueAt) : null,
    },
    declarations: campaign.declarations,
    now: chinaInstant(now),
    stats: viewer.role === 'unit' ? null : campaignStats(campaign, input.counts ?? {}),
  };
}
