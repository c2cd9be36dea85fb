import type { Mailer } from '../ports/mail.js';
import type { AuditEvent } from '../ports/nominations.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock, Secrets } from '../ports/system.js';
import { campaignIn } from '../rules/campaign.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import { DomainError } from '../rules/errors.js';
import { displayNameOf, type FormDataByCategory } from '../rules/forms/index.js';
import { reviewLink } from '../rules/links.js';
import { mailBody } from '../rules/mail-body.js';
import { type Nomination, notFound, transition } from '../rules/nomination.js';
import {
  type Assignment,
  assertLinkUsable,
  chooseExperts,
  prepareReview,
  RECOMMENDATIONS,
  REVIEW_LINK_DAYS,
} from '../rules/review.js';
import { deliverIfDecided, type NominationDeps } from './nominations.js';
import { retryOnVersionConflict } from './retry.js';

export interface ReviewDeps extends NominationDeps {
  reviews: ReviewStore;
  secrets: Secrets;
  send: Mailer;
  webUrl: string;
}

const displayName = (n: Nomination) =>
  displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);

/**
 * The AssignExperts task: the campaign's number of experts for a nomination in review, then one
 * e-mailed link each. Safe to run again: existing assignments are kept and an expert whose link
 * went out is not mailed twice. A link attached by a run cut short before its mail was noted as
 * sent (a crash between the two) is replaced and mailed: only its hash is kept, so the same link
 * cannot be sent again, and an expert left without one would hold up the nomination for good.
 */
export async function assignExperts(deps: ReviewDeps, nominationId: string): Promise<Assignment[]> {
  const nomination = await deps.store.get(nominationId);
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  let assignments = await deps.reviews.assignments(nominationId);
  // A retry that finds every link mailed has nothing left to do: no need to read the pool.
  if (assignments.length > 0 && assignments.every((a) => a.linkMailedAt)) return assignments;
  // The pool is read once: to choose from, then to address the mails.
  const pool = await deps.reviews.listExperts(campaign.id);
  if (assignments.length === 0) {
    const chosen = chooseExperts(pool, nomination, campaign.review.expertsPerNomination);
    const at = deps.clock.now().toISOString();
    await deps.reviews.createAssignments(
      campaign.id,
      chosen.map((e) => ({ nominationId, expertId: e.id, expertName: e.name, assignedAt: at })),
    );
    assignments = await deps.reviews.assignments(nominationId);
    // Never go on with fewer experts than were chosen: the nomination would wait for reviews
    // nobody was asked for. A transient failure, so the state machine runs this task again.
    if (assignments.length < chosen.length) {
      throw Object.assign(
        new Error(`${nominationId}: ${assignments.length} of ${chosen.length} experts assigned`),
        {
          name: 'Laurel.StoreBusy',
        },
      );
    }
  }
  const experts = new Map(pool.map((e) => [e.id, e]));
  for (const assignment of assignments) {
    if (assignment.linkMailedAt) continue;
    const expert = experts.get(assignment.expertId);
    if (!expert) continue;
    if (assignment.linkHash) await deps.reviews.detachLink(nominationId, expert.id, assignment.linkHash);
    const link = newReviewLink(deps.secrets, deps.clock);
    if (!(await deps.reviews.attachLink(nominationId, expert.id, link.hash, link.expiresAt))) continue;
    const url = reviewLink(deps.webUrl, link.token);
    try {
      await deps.send({
        to: expert.email,
        subject: `【评审邀请】${CATEGORY_NAMES[nomination.category].zh}：${displayName(nomination)} · Review request`,
        ...mailBody([
          `${expert.name}：`,
          '',
          `请评审${campaign.name.zh}“${CATEGORY_NAMES[nomination.category].zh}”候选：${displayName(nomination)}（${nomination.unitName}推荐）。`,
          `评审链接（${link.expiresAt.slice(0, 10)} 前有效，仅限本人使用）：`,
          { link: url },
          '',
          `Please review "${displayName(nomination)}" (${CATEGORY_NAMES[nomination.category].en}) for ${campaign.name.en}. Your personal link:`,
          { link: url },
        ]),
        replyTo: { name: campaign.organizer.office.zh },
        // One link, one send: a retry that mails a fresh link is a new message.
        key: `review-link/${nominationId}/${expert.id}/${link.hash}`,
      });
    } catch (error) {
      await deps.reviews.detachLink(nominationId, expert.id, link.hash);
      throw error;
    }
    await deps.reviews.markLinkMailed(nominationId, expert.id, link.hash, deps.clock.now().toISOString());
  }
  // The experts assigned; their links changed above, which the caller does not need.
  return assignments;
}

/** What an expert's link shows: the nomination's form and files, the rubric, and whether they decided. GET changes nothing. */
export async function openReview(deps: ReviewDeps, token: string) {
  const assignment = await deps.reviews.byLink(deps.secrets.hash(token));
  const nomination = assignment ? await deps.store.get(assignment.nominationId) : undefined;
  assertLinkUsable(assignment, nomination, deps.clock.now());
  const n = nomination as Nomination;
  const campaign = campaignIn(deps.campaigns, n.campaignId);
  return {
    nomination: {
      id: n.id,
      category: n.category,
      categoryName: CATEGORY_NAMES[n.category],
      displayName: displayName(n),
      unitName: n.unitName,
      form: n.form,
      attachments: n.attachments,
      status: n.status,
    },
    rubric: campaign.review.criteria,
    recommendations: RECOMMENDATIONS,
    expert: {
      id: assignment.expertId,
      name: assignment.expertName,
      linkExpiresAt: assignment.linkExpiresAt ?? null,
    },
    decided: assignment.review ?? null,
    open: n.status === 'in-review' && !assignment.review,
  };
}

/**
 * Records an expert's confirmed review once. When the last of the nomination's reviews is in,
 * the nomination becomes 'scored' and the waiting execution is answered.
 */
export async function submitReview(
  deps: ReviewDeps,
  token: string,
  input: unknown,
): Promise<{ review: NonNullable<Assignment['review']>; reviewsComplete: boolean }> {
  const assignment = await deps.reviews.byLink(deps.secrets.hash(token));
  const nomination = assignment ? await deps.store.get(assignment.nominationId) : undefined;
  const now = deps.clock.now();
  assertLinkUsable(assignment, nomination, now);
  const n = nomination as Nomination;
  // Decided already — perhaps by a request cut short (a crash) after the review was stored:
  // finish what it may have left undone before refusing the repeat.
  if (assignment.review) await finishReview(deps, assignment, assignment.review.submittedAt, now, n);
  const review = prepareReview(campaignIn(deps.campaigns, n.campaignId), assignment, n, input, now);
  if (!(await deps.reviews.recordReview(n.id, assignment.expertId, review))) {
    throw new DomainError({
      code: 'ALREADY_DECIDED',
      kind: 'conflict',
      message: { zh: '您已提交过此评审，不能重复提交', en: 'You have already submitted this review' },
    });
  }
  return { review, reviewsComplete: await finishReview(deps, assignment, review.submittedAt, now, n) };
}

/**
 * What follows a stored review: its audit event (keyed on the review's own instant, so a repeat
 * records none) and, with the last review, the nomination scored and its execution answered.
 */
async function finishReview(
  deps: ReviewDeps,
  assignment: Assignment,
  reviewedAt: string,
  now: Date,
  read: Nomination,
): Promise<boolean> {
  await deps.store.appendAudit({
    nominationId: assignment.nominationId,
    at: reviewedAt,
    actor: { role: 'expert', subjectId: assignment.expertId, name: assignment.expertName },
    action: 'review',
  });
  return closeReviewIfComplete(deps, assignment.nominationId, now, read);
}

/**
 * Moves a nomination to 'scored' once all its reviews are in; safe to call by each expert at once.
 * The first try uses the nomination as the request read it (its version guards the write); a
 * version race reads it again.
 */
async function closeReviewIfComplete(
  deps: ReviewDeps,
  nominationId: string,
  now: Date,
  read: Nomination,
): Promise<boolean> {
  const audit: AuditEvent = {
    nominationId,
    at: now.toISOString(),
    actor: { role: 'system', subjectId: 'review', name: 'Laurel' },
    action: 'reviews-complete',
  };
  let known: Nomination | undefined = read;
  return retryOnVersionConflict(async () => {
    const nomination = known ?? (await deps.store.get(nominationId));
    known = undefined;
    if (!nomination) return false;
    if (nomination.status === 'scored') {
      // Scored by a request that may have been cut short before it answered the execution.
      await deliverIfDecided(deps.workflow, nomination);
      return true;
    }
    const assignments = await deps.reviews.assignments(nominationId);
    const complete = assignments.length > 0 && assignments.every((a) => a.review);
    if (!complete || nomination.status !== 'in-review') return false;
    const next: Nomination = {
      ...nomination,
      status: transition(nomination, 'scored', 'system'),
      version: nomination.version + 1,
      updatedAt: audit.at,
    };
    await deps.store.changeStatus({ nomination: next, expectedVersion: nomination.version, audit });
    await deliverIfDecided(deps.workflow, next);
    return true;
  });
}

export function newReviewLink(
  secrets: Secrets,
  clock: Clock,
): { token: string; hash: string; expiresAt: string } {
  const token = secrets.token();
  return {
    token,
    hash: secrets.hash(token),
    expiresAt: new Date(clock.now().getTime() + REVIEW_LINK_DAYS * 86_400_000).toISOString(),
  };
}
