import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import type { Campaign } from './campaign.js';
import type { CategoryId } from './categories.js';
import { DomainError, ValidationError } from './errors.js';
import { subjectOf } from './forms/index.js';
import type { Bilingual } from './i18n.js';
import type { Nomination } from './nomination.js';
import { assignRound } from './round-assignment.js';
import { type ExpertReview, weightedTotal } from './scoring.js';
import { freeText } from './text.js';
import { parseInput } from './validation.js';

/**
 * Expert review: each nomination in review gets the campaign's number of experts, none with a
 * conflict of interest (回避), the least-loaded first, within each expert's cap. Each expert gets
 * an e-mailed link bound to them and to that nomination — an opaque, expiring id, never the task
 * token. The link first shows only who is nominated, in which category, by which unit: the expert
 * declares no conflict (then the materials load) or a conflict (they are recused), or declines
 * with a reason; a recused or declining expert is replaced by the next eligible one. Only a
 * confirmed POST after the declaration records the review.
 */

export interface Expert {
  id: string;
  campaignId: string;
  name: string;
  email: string;
  /** The recommending unit the expert belongs to, if any: they never review its nominations. */
  affiliation?: string;
  /** Organisations the expert works for or belongs to, by name (their nominees are conflicts). */
  organisations?: string[];
  /** People and organisations the expert declared as close collaborators, by name. */
  collaborators?: string[];
  /** Categories the expert reviews; none listed: every category. */
  categories?: CategoryId[];
  /** The most nominations they take (the campaign's default cap when absent). */
  maxLoad?: number;
  /** Nominations assigned so far and not withdrawn, for balancing. */
  load: number;
}

/** The kinds of conflict of interest an expert declares or the automatic check finds. */
export const CONFLICT_KINDS = [
  'nominating-unit',
  'parent-society',
  'nominee-organisation',
  'collaborator',
  'relative',
  'other',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const CONFLICT_NAMES: Record<ConflictKind, Bilingual> = {
  'nominating-unit': { zh: '本人在推荐单位任职或为其成员', en: 'Member of the nominating unit' },
  'parent-society': {
    zh: '本人属于推荐单位的上级学会',
    en: "Member of the nominating unit's parent society",
  },
  'nominee-organisation': { zh: '与被推荐者同一单位', en: 'Same organisation as the nominee' },
  collaborator: { zh: '与被推荐者有密切合作', en: 'Close collaborator of the nominee' },
  relative: { zh: '与被推荐者有亲属关系', en: 'Relative of the nominee' },
  other: { zh: '其他应回避的情形', en: 'Other conflict of interest' },
};

/** Why an assignment ended before a review: the expert declined or was recused, or the secretariat moved it. */
export const WITHDRAWAL_REASONS = ['declined', 'conflict', 'overdue', 'swapped', 'nominee-left'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** What the check of conflicts knows of a nomination: its unit, the unit's parent society, its nominee. */
export interface ConflictFacts {
  unitId: string;
  unitName: string;
  /** In a society's round the society organises it and is the units' parent society. */
  parentSociety?: { id: string; name: string };
  nomineeName: string;
  nomineeOrganisation: string;
}

/**
 * Each name as compared, kept per distinct string: a round's planning compares every expert's few
 * names with each of up to a hundred nominations', so each would be normalised again hundreds of
 * times. Bounded: a warm container forgets them all past NAMES_KEPT (a round holds far fewer).
 */
const comparedNames = new Map<string, string>();
const NAMES_KEPT = 20_000;

/** A name as compared: full-width and half-width alike, case and spaces ignored. */
function comparedName(name: string): string {
  let compared = comparedNames.get(name);
  if (compared === undefined) {
    compared = name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
    if (comparedNames.size >= NAMES_KEPT) comparedNames.clear();
    comparedNames.set(name, compared);
  }
  return compared;
}

/** Names compared as people write them: full-width and half-width alike, case and spaces ignored. */
const sameName = (a: string, b: string) => {
  const x = comparedName(a);
  return x.length > 0 && x === comparedName(b);
};

/**
 * The conflicts an automatic check finds between an expert and a nomination: the nominating unit,
 * its parent society and the nominee's own organisation against the expert's unit and
 * organisations; the nominee (person or organisation) against the collaborators they declared.
 */
export function automaticConflicts(
  expert: Pick<Expert, 'affiliation' | 'organisations' | 'collaborators'>,
  facts: ConflictFacts,
): ConflictKind[] {
  const own = expert.organisations ?? [];
  const belongsTo = (id: string | undefined, name: string | undefined) =>
    (id !== undefined && expert.affiliation === id) ||
    (name !== undefined && own.some((o) => sameName(o, name)));
  const found: ConflictKind[] = [];
  if (belongsTo(facts.unitId, facts.unitName)) found.push('nominating-unit');
  if (facts.parentSociety && belongsTo(facts.parentSociety.id, facts.parentSociety.name))
    found.push('parent-society');
  if (belongsTo(undefined, facts.nomineeOrganisation)) found.push('nominee-organisation');
  if (
    (expert.collaborators ?? []).some(
      (c) => sameName(c, facts.nomineeName) || sameName(c, facts.nomineeOrganisation),
    )
  )
    found.push('collaborator');
  return found;
}

/** What one choice of experts must respect besides conflicts. */
export interface ChoiceLimits {
  /** Experts already on the nomination in any state (reviewing, declined, recused): never again. */
  exclude?: ReadonlySet<string>;
  /** Experts whose automatic conflict the secretariat dismissed for this nomination. */
  dismissed?: ReadonlySet<string>;
  /** The nomination's category: experts tagged with other categories are not asked. */
  category?: CategoryId;
  /** The campaign's cap for experts without their own. */
  defaultMaxLoad?: number;
}

/** Why an expert may not be asked to review a nomination now. */
export type Ineligibility = 'was-on-it' | 'other-category' | 'at-cap' | 'conflict';

/**
 * What keeps an expert off a nomination whatever their load: on it before, another category, a
 * conflict of interest the secretariat did not dismiss; or null. The cap is the loads' business.
 */
export function standingIneligibility(
  expert: Pick<Expert, 'id' | 'categories' | 'affiliation' | 'organisations' | 'collaborators'>,
  facts: ConflictFacts,
  limits: Omit<ChoiceLimits, 'defaultMaxLoad'> = {},
): Exclude<Ineligibility, 'at-cap'> | null {
  if (limits.exclude?.has(expert.id)) return 'was-on-it';
  if (limits.category && expert.categories?.length && !expert.categories.includes(limits.category))
    return 'other-category';
  if (automaticConflicts(expert, facts).length > 0 && !limits.dismissed?.has(expert.id)) return 'conflict';
  return null;
}

/** What keeps an expert off a nomination (on it before, another category, at their cap, a conflict), or null. */
export function ineligibility(
  expert: Expert,
  facts: ConflictFacts,
  limits: ChoiceLimits = {},
): Ineligibility | null {
  const standing = standingIneligibility(expert, facts, limits);
  if (standing === 'was-on-it' || standing === 'other-category') return standing;
  const cap = expert.maxLoad ?? limits.defaultMaxLoad;
  if (cap !== undefined && expert.load >= cap) return 'at-cap';
  return standing;
}

/** Whether an expert may be asked to review a nomination now (no conflict, within cap, right category). */
export const mayReview = (expert: Expert, facts: ConflictFacts, limits: ChoiceLimits = {}): boolean =>
  ineligibility(expert, facts, limits) === null;

/** A dismissed automatic conflict: the secretariat found it a false positive, and said why. */
export interface ConflictDismissal {
  nominationId: string;
  expertId: string;
  reason: string;
  at: string;
  by: string;
}

/** The secretariat's reason for a change to a nomination's reviewers: required, said in words. */
const secretariatReason = builtOnFirstUse(() =>
  freeText({ max: 500, min: 2, multiLine: true }).meta({
    title: '理由',
    'x-title-en': 'Reason',
  }),
);
/** An expert's id as the secretariat invited them (access.ts invitationRequestSchema's subjectId). */
const expertIdField = (zh: string, en: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .meta({ title: zh, 'x-title-en': en });

/** The secretariat dismisses a false-positive automatic conflict of one expert with one nomination. */
export const dismissConflictSchema = builtOnFirstUse(() =>
  z.strictObject({
    expertId: expertIdField('专家', 'Expert'),
    reason: secretariatReason(),
  }),
);

/** The secretariat gives an expert more days for one review (days added to the campaign's due date). */
export const extendReviewSchema = builtOnFirstUse(() =>
  z.strictObject({
    expertId: expertIdField('专家', 'Expert'),
    days: z.int().min(1).max(60).meta({ title: '延长天数', 'x-title-en': 'Extra days' }),
    reason: secretariatReason(),
  }),
);

/** The secretariat swaps one reviewer of a nomination for another expert of the pool, with a reason. */
export const swapReviewerSchema = builtOnFirstUse(() =>
  z.strictObject({
    expertId: expertIdField('换下的专家', 'Expert replaced'),
    replacementId: expertIdField('换上的专家', 'Replacement expert'),
    reason: secretariatReason(),
  }),
);

const INELIGIBILITY_TEXT: Record<Ineligibility, Bilingual> = {
  'was-on-it': {
    zh: '已评审过或曾被安排评审此推荐（含谢绝、回避）',
    en: 'was on this nomination before (including declined or recused)',
  },
  'other-category': { zh: '不评审此类别', en: 'does not review this category' },
  'at-cap': { zh: '评审任务已满额', en: 'is at their cap of reviews' },
  conflict: {
    zh: '与此推荐存在应回避的情形（可由秘书处核实后排除误判）',
    en: 'has a conflict of interest with this nomination (the secretariat may dismiss a false positive)',
  },
};

/** The refusal of a swap to an expert who may not review the nomination, naming why. */
export function notEligibleError(name: string, why: Ineligibility): DomainError {
  const text = INELIGIBILITY_TEXT[why];
  return new DomainError({
    code: 'EXPERT_NOT_ELIGIBLE',
    kind: 'rule',
    path: ['replacementId'],
    message: {
      zh: `${name}不能评审此推荐：${text.zh}`,
      en: `${name} may not review this nomination: ${text.en}`,
    },
    details: { reason: why },
  });
}

export interface Assignment {
  nominationId: string;
  expertId: string;
  expertName: string;
  assignedAt: string;
  linkHash?: string;
  linkExpiresAt?: string;
  /** When the mail with the link went out; a link without it may never have been sent. */
  linkMailedAt?: string;
  /** The expert's declaration, made before the materials are shown. */
  declaration?: { at: string; conflict: ConflictKind | null; note?: string };
  /** The review clock's day (the nomination's days in review) by which the review is due. */
  dueDay?: number;
  /** The reminders sent, as days before the due date. */
  remindersSent?: number[];
  /** When the due date passed without a review (the secretariat is told). */
  overdueAt?: string;
  /** Days the secretariat added to the due date (set, not added to: a repeated request changes nothing). */
  extraDays?: number;
  /** Set when the assignment ended without a review; a withdrawn assignment counts for nothing. */
  withdrawn?: {
    at: string;
    reason: WithdrawalReason;
    note: string;
    /** Who withdrew it, as the trail names them: a request that lost the race writes its event the same. */
    by?: { role: 'expert' | 'secretariat' | 'system'; subjectId: string; name: string };
    /** When the expert's mail about it went (recorded after the send; a repeat sends what is not). */
    mailedAt?: string;
  };
  review?: ExpertReview & { total: number; submittedAt: string };
}

/** An assignment still expected to give a review. */
export const isActive = (a: Pick<Assignment, 'withdrawn'>): boolean => !a.withdrawn;

/** Facts of a nomination the conflict check reads. Pure: the nominee comes from the form. */
export function conflictFactsOf(
  campaign: Pick<Campaign, 'id' | 'organizer' | 'forwardTo'>,
  nomination: Pick<Nomination, 'unitId' | 'unitName'>,
  nominee: { name?: string; organization?: string },
): ConflictFacts {
  return {
    unitId: nomination.unitId,
    unitName: nomination.unitName,
    ...(campaign.forwardTo ? { parentSociety: { id: campaign.id, name: campaign.organizer.name.zh } } : {}),
    // A form read back from storage is complete in review; the fallback keeps a check from failing on an old one.
    nomineeName: nominee.name ?? '',
    nomineeOrganisation: nominee.organization ?? '',
  };
}

/**
 * A nomination in review still waiting for its first experts, as the round's planning reads it:
 * what the conflict checks need and nothing of the form beyond (a few hundred bytes, where the
 * nomination is ~12 KB), so the round's window is one small query.
 */
export interface AwaitingExperts {
  id: string;
  category: CategoryId;
  unitId: string;
  unitName: string;
  nomineeName: string;
  nomineeOrganisation: string;
}

export function awaitingExpertsOf(
  nomination: Pick<Nomination, 'id' | 'category' | 'unitId' | 'unitName' | 'form'>,
): AwaitingExperts {
  const nominee = subjectOf(nomination.category, nomination.form as never);
  return {
    id: nomination.id,
    category: nomination.category,
    unitId: nomination.unitId,
    unitName: nomination.unitName,
    nomineeName: nominee.name ?? '',
    nomineeOrganisation: nominee.organization ?? '',
  };
}

/**
 * The experts for one nomination, the round's current loads counted: the assignment of a round
 * (functions/rules/round-assignment.ts) of this one nomination — no conflict, within caps, least
 * loaded first, ties by id or, with the campaign's random draw, by the draw of `randomSeed`.
 */
export function chooseExperts(
  pool: readonly Expert[],
  nomination: Pick<Nomination, 'unitId' | 'id'> & Partial<ConflictFacts> & { category?: CategoryId },
  count: number,
  limits: ChoiceLimits & { randomSeed?: number } = {},
): Expert[] {
  const facts: ConflictFacts = {
    unitId: nomination.unitId,
    unitName: nomination.unitName ?? '',
    ...(nomination.parentSociety ? { parentSociety: nomination.parentSociety } : {}),
    nomineeName: nomination.nomineeName ?? '',
    nomineeOrganisation: nomination.nomineeOrganisation ?? '',
  };
  const category = limits.category ?? nomination.category;
  const round = assignRound(
    [
      {
        id: nomination.id,
        ...(category ? { category } : {}),
        facts,
        ...(limits.exclude ? { exclude: limits.exclude } : {}),
        ...(limits.dismissed ? { dismissed: limits.dismissed } : {}),
      },
    ],
    pool,
    {
      perNomination: count,
      ...(limits.defaultMaxLoad !== undefined ? { defaultMaxLoad: limits.defaultMaxLoad } : {}),
      ...(limits.randomSeed !== undefined ? { randomSeed: limits.randomSeed } : {}),
    },
  );
  const short = round.short[0];
  if (short) {
    throw new DomainError({
      code: 'NOT_ENOUGH_EXPERTS',
      kind: 'rule',
      path: ['experts'],
      message: {
        zh: `可评审此推荐的专家只有 ${short.eligible} 位，需要 ${count} 位（不含应回避或已满额的专家），请先邀请专家`,
        en: `Only ${short.eligible} expert(s) may review this nomination, ${count} needed (none with a conflict of interest or at their cap); invite more experts`,
      },
      details: { available: short.eligible, needed: count },
    });
  }
  const chosen = new Set(round.assignments.get(nomination.id));
  return pool.filter((e) => chosen.has(e.id)).sort((a, b) => a.load - b.load || (a.id < b.id ? -1 : 1));
}

/** Review links stay valid for 30 days; the review closes earlier if the step ends. */
export const REVIEW_LINK_DAYS = 30;

/**
 * A review link's token: the nomination it opens, a dot, then the secret (256 random bits) —
 * `<nominationId>.<secret>`. The id only says where to look: the read of the nomination's
 * partition that a request makes anyway finds the assignment holding the hash of the whole token,
 * with no lookup of the link's item first. What opens the review is still the secret, stored only
 * as that hash; a token whose id was changed hashes to nothing stored.
 */
export const reviewToken = (nominationId: string, secret: string) => `${nominationId}.${secret}`;

/** How a nomination id is spelled (`n-…`, a test's `n-1`): anything else in a token names none. */
const NOMINATION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The nomination a review link's token names, if it names one (tokens mailed before they did name none). */
export function nominationNamedBy(token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  const id = dot > 0 ? token.slice(0, dot) : '';
  return NOMINATION_ID.test(id) ? id : undefined;
}
export const reviewSubmissionSchema = builtOnFirstUse(() =>
  z.strictObject({
    scores: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), z.number().min(0).max(1_000_000))
      .meta({ title: '分项评分', 'x-title-en': 'Scores per criterion' }),
    recommend: z.boolean().meta({ title: '是否推荐', 'x-title-en': 'Recommended' }),
    comment: freeText({ max: 1000, multiLine: true })
      .optional()
      .meta({ title: '评审意见', 'x-title-en': 'Comment' }),
    /** The expert confirmed on the page; without it nothing is recorded. */
    confirmed: z.literal(true).meta({ title: '确认提交', 'x-title-en': 'Confirmed' }),
  }),
);

/** The expert's declaration on the link's first page: no conflict, or a conflict and its kind. */
export const declarationSchema = builtOnFirstUse(() =>
  z.strictObject({
    conflict: z.boolean().meta({ title: '是否存在应回避的情形', 'x-title-en': 'Conflict of interest' }),
    kind: z.enum(CONFLICT_KINDS).optional().meta({ title: '回避情形', 'x-title-en': 'Kind of conflict' }),
    note: freeText({ max: 500, multiLine: true }).optional().meta({ title: '说明', 'x-title-en': 'Note' }),
  }),
);

/** An expert who cannot review says why; the nomination gets the next eligible expert. */
export const declineSchema = builtOnFirstUse(() =>
  z.strictObject({
    reason: freeText({ max: 500, min: 2, multiLine: true }).meta({
      title: '不能评审的原因',
      'x-title-en': 'Reason',
    }),
  }),
);

/** Parses a declaration: a declared conflict must name its kind. */
export function parseDeclaration(input: unknown, now: Date): NonNullable<Assignment['declaration']> {
  const d = parseInput(declarationSchema(), input, { zh: '回避声明', en: 'declaration' });
  if (d.conflict && !d.kind) {
    throw new ValidationError(
      [
        {
          path: ['kind'],
          code: 'required',
          message: { zh: '回避情形：请选择一项', en: 'Kind of conflict: choose one' },
        },
      ],
      { zh: '回避声明', en: 'declaration' },
    );
  }
  return {
    at: now.toISOString(),
    conflict: d.conflict ? (d.kind ?? 'other') : null,
    ...(d.note ? { note: d.note } : {}),
  };
}

/** The answers an expert may give to "recommend?" — the values `recommend` takes, with their labels. */
export const RECOMMENDATIONS = [
  { value: true, name: { zh: '推荐', en: 'Recommend' } },
  { value: false, name: { zh: '不推荐', en: 'Do not recommend' } },
] as const;

const reviewError = (code: string, kind: 'forbidden' | 'conflict' | 'gone', zh: string, en: string) =>
  new DomainError({ code, kind, message: { zh, en } });

/** Whether a link may still be used to see or to decide, as of now. */
export function assertLinkUsable(
  assignment: Assignment | undefined,
  nomination: Nomination | undefined,
  now: Date,
): asserts assignment is Assignment {
  if (!assignment || !nomination) {
    throw reviewError('LINK_UNKNOWN', 'forbidden', '评审链接无效', 'This review link is not valid');
  }
  // The nominee's data was deleted (at their request, or after the round's retention): every link
  // to it is dead, reviewed or not.
  if (nomination.deletedOnRequest || nomination.erasure) {
    throw reviewError(
      'NOMINATION_ERASED',
      'gone',
      '此推荐的材料已删除，评审链接已失效，无需操作',
      "This nomination's materials were deleted; the review link no longer works and nothing is needed",
    );
  }
  if (assignment.withdrawn) {
    throw reviewError(
      'ASSIGNMENT_WITHDRAWN',
      'conflict',
      '您已不再评审此推荐（已回避、谢绝或由秘书处调整），无需操作',
      'You no longer review this nomination (recused, declined or reassigned); nothing to do',
    );
  }
  if (assignment.linkExpiresAt && Date.parse(assignment.linkExpiresAt) <= now.getTime()) {
    throw reviewError(
      'LINK_EXPIRED',
      'forbidden',
      '评审链接已过期，请联系秘书处',
      'This review link has expired; contact the secretariat',
    );
  }
}

/** Checks and scores a review; the caller stores it only if it was not decided before. */
export function prepareReview(
  campaign: Campaign,
  assignment: Assignment,
  nomination: Nomination,
  input: unknown,
  now: Date,
): NonNullable<Assignment['review']> {
  if (assignment.review) {
    throw reviewError(
      'ALREADY_DECIDED',
      'conflict',
      '您已提交过此评审，不能重复提交',
      'You have already submitted this review',
    );
  }
  if (nomination.status !== 'in-review') {
    throw reviewError(
      'REVIEW_CLOSED',
      'conflict',
      '此推荐的评审已结束',
      'The review of this nomination is closed',
    );
  }
  if (!assignment.declaration) {
    throw reviewError(
      'DECLARE_FIRST',
      'conflict',
      '请先声明是否存在应回避的情形，再评审',
      'Declare whether you have a conflict of interest before reviewing',
    );
  }
  const request = parseInput(reviewSubmissionSchema(), input, { zh: '评审', en: 'review' });
  const review: ExpertReview = {
    expertId: assignment.expertId,
    scores: request.scores,
    recommend: request.recommend,
    ...(request.comment ? { comment: request.comment } : {}),
  };
  return { ...review, total: weightedTotal(campaign, review), submittedAt: now.toISOString() };
}
