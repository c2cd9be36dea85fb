import * as z from 'zod';
import type { Campaign } from './campaign.js';
import { DomainError } from './errors.js';
import type { Nomination } from './nomination.js';
import { type ExpertReview, weightedTotal } from './scoring.js';
import { parseInput } from './validation.js';

/**
 * Expert review: each nomination in review gets the campaign's number of experts, never one
 * affiliated with the nominating unit, the least-loaded first. Each expert gets an e-mailed link
 * bound to them and to that nomination — an opaque, expiring, single-use id, never the task token.
 * Opening the link shows the materials; only a confirmed POST records the review.
 */

export interface Expert {
  id: string;
  campaignId: string;
  name: string;
  email: string;
  /** The recommending unit the expert belongs to, if any: they never review its nominations. */
  affiliation?: string;
  /** Nominations assigned so far, for balancing. */
  load: number;
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
  review?: ExpertReview & { total: number; submittedAt: string };
}

/** The experts for one nomination: not affiliated with its unit, least loaded first, ties by id. */
export function chooseExperts(
  pool: readonly Expert[],
  nomination: Pick<Nomination, 'unitId' | 'id'>,
  count: number,
): Expert[] {
  const eligible = pool
    .filter((e) => e.affiliation !== nomination.unitId)
    .sort((a, b) => a.load - b.load || (a.id < b.id ? -1 : 1));
  if (eligible.length < count) {
    throw new DomainError({
      code: 'NOT_ENOUGH_EXPERTS',
      kind: 'rule',
      path: ['experts'],
      message: {
        zh: `可评审此推荐的专家只有 ${eligible.length} 位，需要 ${count} 位（不含推荐单位的专家），请先邀请专家`,
        en: `Only ${eligible.length} expert(s) may review this nomination, ${count} needed (none from the nominating unit); invite more experts`,
      },
      details: { available: eligible.length, needed: count },
    });
  }
  return eligible.slice(0, count);
}

/** Review links stay valid for 30 days; the review closes earlier if the step ends. */
export const REVIEW_LINK_DAYS = 30;
export const reviewSubmissionSchema = z.strictObject({
  scores: z
    .record(z.string(), z.number().min(0))
    .meta({ title: '分项评分', 'x-title-en': 'Scores per criterion' }),
  recommend: z.boolean().meta({ title: '是否推荐', 'x-title-en': 'Recommended' }),
  comment: z.string().trim().max(1000).optional().meta({ title: '评审意见', 'x-title-en': 'Comment' }),
  /** The expert confirmed on the page; without it nothing is recorded. */
  confirmed: z.literal(true).meta({ title: '确认提交', 'x-title-en': 'Confirmed' }),
});

/** The answers an expert may give to "recommend?" — the values `recommend` takes, with their labels. */
export const RECOMMENDATIONS = [
  { value: true, name: { zh: '推荐', en: 'Recommend' } },
  { value: false, name: { zh: '不推荐', en: 'Do not recommend' } },
] as const;

const reviewError = (code: string, kind: 'forbidden' | 'conflict', zh: string, en: string) =>
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
  const request = parseInput(reviewSubmissionSchema, input, { zh: '评审', en: 'review' });
  const review: ExpertReview = {
    expertId: assignment.expertId,
    scores: request.scores,
    recommend: request.recommend,
    ...(request.comment ? { comment: request.comment } : {}),
  };
  return { ...review, total: weightedTotal(campaign, review), submittedAt: now.toISOString() };
}
