import { assertCategoryInCampaign, type Campaign, type QuotaRule, unitTypeOf } from './campaign.js';
import { CATEGORY_NAMES, type CategoryId } from './categories.js';
import { DomainError, QuotaExceededError } from './errors.js';
import type { Bilingual } from './i18n.js';
import { holdsQuotaSlot, type NominationStatus } from './nomination-status.js';

/**
 * Quotas (推荐名额) per recommending unit: a national society ≤ 2 per category, a provincial
 * association ≤ 5 per category, a central-enterprise association ≤ 2 per category, a directly
 * affiliated unit ≤ 5 over all categories together — as each campaign's data says.
 */

export interface ExistingNomination {
  category: CategoryId;
  status: NominationStatus;
}

export interface QuotaDecision {
  allowed: boolean;
  unitType: string;
  category: CategoryId;
  rule: QuotaRule;
  /** Slots taken that count against this rule (in this category, or in all for a total). */
  used: number;
  limit: number | null;
  remaining: number | null;
  /** The rule in words, as the notice states it. */
  ruleText: Bilingual;
  message: Bilingual;
}

export function describeQuotaRule(rule: QuotaRule, unitTypeName: Bilingual): Bilingual {
  switch (rule.scope) {
    case 'per-category':
      return {
        zh: `${unitTypeName.zh}每个类别推荐不超过 ${rule.limit} 个`,
        en: `a ${unitTypeName.en} may nominate at most ${rule.limit} per category`,
      };
    case 'total':
      return {
        zh: `${unitTypeName.zh}总推荐数不超过 ${rule.limit} 个`,
        en: `a ${unitTypeName.en} may nominate at most ${rule.limit} in total, all categories together`,
      };
    case 'unlimited':
      return { zh: `${unitTypeName.zh}不限推荐名额`, en: `a ${unitTypeName.en} has no quota` };
  }
}

/**
 * The ledger item a slot is counted on: one per (unit, category) for a per-category rule, one
 * per unit for a total. The data layer updates it in the same transaction as the nomination.
 */
export function quotaLedgerKey(rule: QuotaRule, category: CategoryId): string {
  return rule.scope === 'total' ? 'all-categories' : category;
}

/** A change of one unit's quota ledger, made in the same transaction as the status it follows. */
export interface QuotaSlotChange {
  /** The ledger item: per unit, and per category or for all categories together. */
  ledgerKey: string;
  delta: 1 | -1;
  /** For a +1: the slot is taken only while fewer than this many are used. */
  limit?: number;
}

/**
 * How a nomination's move between two statuses changes its unit's ledger: a slot taken, a slot
 * freed, or nothing. One rule for every move — a submission takes a slot; a withdrawal, a
 * rejection, or an objection upheld where the campaign allows a replacement frees it — so the
 * ledger always equals the nominations holding a slot (holdsQuotaSlot).
 */
export function quotaSlotChange(
  campaign: Campaign,
  unitTypeId: string,
  category: CategoryId,
  from: NominationStatus,
  to: NominationStatus,
): QuotaSlotChange | undefined {
  const rule = unitTypeOf(campaign, unitTypeId)?.quota;
  if (!rule || rule.scope === 'unlimited') return undefined;
  const held = holdsQuotaSlot(from, campaign);
  if (held === holdsQuotaSlot(to, campaign)) return undefined;
  const ledgerKey = quotaLedgerKey(rule, category);
  return held ? { ledgerKey, delta: -1 } : { ledgerKey, delta: 1, limit: rule.limit };
}

/** Where nominations to add would take a unit past its quota, as its ledger stands. */
export interface QuotaOverflow {
  category: CategoryId;
  /** Places left on that ledger item. */
  left: number;
  /** How many of those to add it would take. */
  adding: number;
  message: Bilingual;
}

/**
 * The first ledger item that adding nominations of these categories would take past the quota of
 * a unit of `unitTypeId`, given its ledger (slots used per ledger key); undefined when all fit —
 * e.g. a society's selection against its places in the parent round.
 */
export function quotaOverflow(
  campaign: Campaign,
  unitTypeId: string,
  ledger: Readonly<Record<string, number>>,
  adding: readonly CategoryId[],
): QuotaOverflow | undefined {
  const rule = unitTypeOf(campaign, unitTypeId)?.quota;
  if (!rule || rule.scope === 'unlimited') return undefined;
  for (const category of new Set(adding)) {
    const key = quotaLedgerKey(rule, category);
    const count = adding.filter((c) => quotaLedgerKey(rule, c) === key).length;
    const left = Math.max(0, rule.limit - (ledger[key] ?? 0));
    if (count <= left) continue;
    const scope =
      rule.scope === 'total'
        ? { zh: '各类别合计', en: 'over all categories' }
        : { zh: `“${CATEGORY_NAMES[category].zh}”类别`, en: `in "${CATEGORY_NAMES[category].en}"` };
    return {
      category,
      left,
      adding: count,
      message: {
        zh: `${campaign.name.zh}的推荐名额不足：${scope.zh}还可推荐 ${left} 个，此次要推荐 ${count} 个`,
        en: `Not enough places left in ${campaign.name.en}: ${left} more allowed ${scope.en}, ${count} to nominate now`,
      },
    };
  }
  return undefined;
}

/** Whether a unit of this type may add one more nomination in `category`, given its nominations so far. */
export function quotaDecision(
  campaign: Campaign,
  unitTypeId: string,
  category: CategoryId,
  existing: readonly ExistingNomination[] | { used: number },
): QuotaDecision {
  const unitType = unitTypeOf(campaign, unitTypeId);
  if (!unitType) {
    throw new DomainError({
      code: 'UNKNOWN_UNIT_TYPE',
      kind: 'invalid',
      path: ['unitType'],
      message: {
        zh: `本次活动没有“${unitTypeId}”这一推荐单位类型`,
        en: `This campaign has no recommending-unit type "${unitTypeId}"`,
      },
    });
  }
  assertCategoryInCampaign(campaign, category);
  const rule = unitType.quota;
  const ruleText = describeQuotaRule(rule, unitType.name);
  // Either the unit's nominations, or a slot count read from the ledger.
  const counted =
    'used' in existing
      ? existing.used
      : existing.filter(
          (n) => holdsQuotaSlot(n.status, campaign) && (rule.scope === 'total' || n.category === category),
        ).length;
  if (rule.scope === 'unlimited') {
    return {
      allowed: true,
      unitType: unitType.id,
      category,
      rule,
      used: counted,
      limit: null,
      remaining: null,
      ruleText,
      message: ruleText,
    };
  }
  const allowed = counted < rule.limit;
  const scope =
    rule.scope === 'total'
      ? { zh: '各类别合计', en: 'over all categories' }
      : { zh: `“${CATEGORY_NAMES[category].zh}”类别`, en: `in "${CATEGORY_NAMES[category].en}"` };
  return {
    allowed,
    unitType: unitType.id,
    category,
    rule,
    used: counted,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - counted),
    ruleText,
    message: allowed
      ? {
          zh: `${scope.zh}已推荐 ${counted} 个，还可推荐 ${rule.limit - counted} 个（${ruleText.zh}）`,
          en: `${counted} nominated ${scope.en}, ${rule.limit - counted} more allowed (${ruleText.en})`,
        }
      : {
          zh: `推荐名额已满：${scope.zh}已推荐 ${counted} 个。${ruleText.zh}`,
          en: `Quota reached: ${counted} already nominated ${scope.en}; ${ruleText.en}`,
        },
  };
}

export function assertQuotaAvailable(
  campaign: Campaign,
  unitTypeId: string,
  category: CategoryId,
  existing: readonly ExistingNomination[],
): QuotaDecision {
  const decision = quotaDecision(campaign, unitTypeId, category, existing);
  if (!decision.allowed) {
    throw new QuotaExceededError(decision.message, {
      unitType: decision.unitType,
      category,
      used: decision.used,
      limit: decision.limit,
      rule: decision.ruleText,
    });
  }
  return decision;
}
