import type { AccessLog } from '../ports/access-log.js';
import type { Mailer } from '../ports/mail.js';
import type { AuditEvent, StatusChange } from '../ports/nominations.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock, Secrets } from '../ports/system.js';
import { type Actor, requireRole } from '../rules/access.js';
import { formatChinaTime } from '../rules/calendar.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { CATEGORY_NAMES } from '../rules/categories.js';
import { DomainError, StoreBusyError, ValidationError } from '../rules/errors.js';
import { nomineeNameOf, subjectOf } from '../rules/forms/index.js';
import type { Bilingual } from '../rules/i18n.js';
import { appPageLink, reviewLink } from '../rules/links.js';
import { noticeMail } from '../rules/mail-body.js';
import { type Nomination, notFound, transition } from '../rules/nomination.js';
import {
  type AccessRecord,
  attachmentsForExpert,
  CONTACT_FIELDS,
  formForExpert,
  type ReadItem,
} from '../rules/personal-information.js';
import {
  type Assignment,
  type AwaitingExperts,
  assertLinkUsable,
  automaticConflicts,
  type ChoiceLimits,
  CONFLICT_KINDS,
  CONFLICT_NAMES,
  type ConflictDismissal,
  type ConflictFacts,
  chooseExperts,
  conflictFactsOf,
  declineSchema,
  dismissConflictSchema,
  type Expert,
  extendReviewSchema,
  ineligibility,
  isActive,
  nominationNamedBy,
  notEligibleError,
  parseDeclaration,
  prepareReview,
  RECOMMENDATIONS,
  REVIEW_LINK_DAYS,
  reviewSubmissionSchema,
  reviewToken,
  swapReviewerSchema,
  type WithdrawalReason,
} from '../rules/review.js';
import { assignRound, type RoundNomination } from '../rules/round-assignment.js';
import {
  keptScore,
  type ReviewedNomination,
  rankingEntryOf,
  reviewedNominationOf,
  reviewsIn,
  scoreNominations,
} from '../rules/scoring.js';
import { parseInput } from '../rules/validation.js';
import { deliverIfDecided, type NominationDeps } from './nominations.js';
import { readRecord } from './personal-information.js';
import { retryOnVersionConflict } from './retry.js';

export interface ReviewDeps extends NominationDeps {
  reviews: ReviewStore;
  /** Where an expert's reads of the materials are recorded. */
  accessLog: AccessLog;
  secrets: Secrets;
  send: Mailer;
  webUrl: string;
}

const displayName = nomineeNameOf;

/** Choices made again when other nominations filled a chosen expert's cap meanwhile, before the state machine's Retry. */
const CHOICE_ATTEMPTS = 8;

/**
 * How many more nominations other tasks may have given an expert between the load a choice was
 * made on and the store's write, and the choice still stand. Zero (the exact load) made 16
 * concurrent tasks a serialization point; one keeps a batch's loads within one of each other
 * (test/unit/use-cases/expert-assignment.test.ts) while tolerating a concurrent taker.
 */
const LOAD_DRIFT = 1;

/**
 * The round's planning window: how many of the nominations waiting for their first experts one
 * AssignExperts plans together with its own (one query page of small items). A batch larger than
 * this is planned a window at a time, each window on the loads the ones before it left.
 */
export const ROUND_WINDOW = 100;

/** A fresh 32-bit seed for a random draw of experts (from a token: unguessable, and a number to write down). */
const drawSeed = (secrets: Secrets) => Number.parseInt(secrets.hash(secrets.token()).slice(0, 8), 16);

/**
 * The AssignExperts task, and the top-up after an expert declines or is recused: the campaign's
 * number of active experts for a nomination in review (no conflict, within caps, least loaded,
 * never one who was on it before), then one e-mailed link each. Safe to run again: existing
 * assignments are kept and an expert whose link went out is not mailed twice. A link attached by
 * a run cut short before its mail was noted as sent (a crash between the two) is superseded by a
 * new one, mailed: only its hash is kept, so the same link cannot be sent again, and an expert
 * left without one would hold up the nomination for good. The superseded link still opens the
 * review (its mail may have gone out). Returns the active assignments.
 *
 * What it costs, since each task holds one of pipeline-step's reserved ten while it runs (the
 * rest are throttled and retried, each retry a billed state transition): the nomination with its
 * assignments by one query, then the pool with the dismissals and the planning window side by
 * side, one write making the assignments with their links attached (and the draw's audit and
 * the nomination's leaving the window), the mails side by side, one write noting them sent.
 */
export async function assignExperts(deps: ReviewDeps, nominationId: string): Promise<Assignment[]> {
  // The nomination and its assignments by one read: they are neighbours in its partition.
  const { nomination, assignments: stored } = await deps.reviews.withAssignments(nominationId);
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  let assignments = stored;
  const k = campaign.review.expertsPerNomination;
  const missing = () => k - assignments.filter(isActive).length;
  // A retry that finds every link mailed has nothing left to do: no need to read the pool.
  if (missing() <= 0 && assignments.every((a) => a.withdrawn || a.linkMailedAt))
    return assignments.filter(isActive);
  // Its first experts: it waits in the round's planning window until they are made.
  const firstExperts = assignments.length === 0;
  /** The links this run made with the assignments it created, by expert: mailed without another write. */
  const fresh = new Map<string, FreshLink>();
  // The links left unmailed by a run before this one (cut short): superseded and mailed again
  // below. A link that appeared while this run chose is another run's in flight, which mails it:
  // superseded, its expert would get two mails and that run's note of them be refused.
  const leftBefore = new Set(stored.flatMap((a) => (a.linkHash && !a.linkMailedAt ? [a.linkHash] : [])));
  let pool: Expert[];
  if (missing() <= 0) {
    // Its experts were made by a run before: the round's planning no longer waits for it (also
    // when that run was cut short, or made them before they left the window in the same write).
    [pool] = await Promise.all([
      deps.reviews.listExperts(campaign.id),
      deps.store.expertsTaken(campaign.id, nominationId),
    ]);
  } else {
    const nominee = subjectOf(nomination.category, nomination.form as never);
    const facts = conflictFactsOf(campaign, nomination, nominee);
    // The pool with its loads and the round's dismissals (this nomination's own, and the ones
    // its round share plans the waiting nominations with: few, each a secretariat's decision),
    // by one request, and for a first assignment the planning window beside it.
    const planningWindow = () =>
      missing() >= k
        ? deps.store.awaitingExperts(campaign.id, ROUND_WINDOW)
        : Promise.resolve<AwaitingExperts[]>([]);
    const [{ experts, dismissals }, waitingNow] = await Promise.all([
      deps.reviews.expertsAndDismissals(campaign.id),
      planningWindow(),
    ]);
    pool = experts;
    let waiting = waitingNow;
    const dismissed = new Set(
      dismissals.filter((d) => d.nominationId === nominationId).map((d) => d.expertId),
    );
    // The draw's seed, when the campaign draws at random: fresh, and kept in the audit trail.
    const seed = campaign.review.drawAtRandom ? drawSeed(deps.secrets) : undefined;
    const limits = (): ChoiceLimits => ({
      exclude: new Set(assignments.map((a) => a.expertId)),
      dismissed,
      category: nomination.category,
      ...(campaign.review.maxLoadPerExpert !== undefined
        ? { defaultMaxLoad: campaign.review.maxLoadPerExpert }
        : {}),
    });
    for (let attempt = 1; missing() > 0; attempt += 1) {
      // Chosen on the round's loads as the experts' counters hold them now. The store takes the
      // choice only while each expert is below its ceiling: never past the cap, and at most
      // LOAD_DRIFT more taken by tasks running at the same moment than the load chosen on — so
      // concurrent tasks seldom make each other choose again, and the loads stay within one.
      const chosen = roundShare(campaign, nomination, pool, facts, dismissals, waiting, missing(), {
        ...limits(),
        ...(seed !== undefined ? { randomSeed: seed } : {}),
      });
      const at = deps.clock.now().toISOString();
      const ceilings = new Map(
        chosen.map((e) => [
          e.id,
          Math.min(
            e.maxLoad ?? campaign.review.maxLoadPerExpert ?? Number.POSITIVE_INFINITY,
            e.load + 1 + LOAD_DRIFT,
          ),
        ]),
      );
      // Each made with its link attached, as attachLink would attach it: a run cut short before
      // the mails leaves links never sent, which a later run finds unmailed and supersedes.
      const links = new Map(chosen.map((e) => [e.id, newReviewLink(deps.secrets, deps.clock, nominationId)]));
      const made: Assignment[] = chosen.map((e) => ({
        nominationId,
        expertId: e.id,
        expertName: e.name,
        assignedAt: at,
        linkHash: links.get(e.id)?.hash as string,
        linkExpiresAt: links.get(e.id)?.expiresAt as string,
      }));
      const drawn =
        seed === undefined
          ? undefined
          : {
              nominationId,
              at,
              actor: { role: 'system', subjectId: 'review/draw', name: 'Laurel' } as const,
              action: 'review-experts-drawn',
              reason: `${chosen.map((e) => e.name).join('、')}：从 ${pool.filter((e) => ineligibility(e, facts, limits()) === null).length} 位可评审的专家中随机抽取（负荷最轻者优先，抽签种子 ${seed}，可复核）`,
            };
      const created = await deps.reviews.createAssignments(campaign.id, made, ceilings, {
        ...(drawn ? { audit: drawn } : {}),
        ...(firstExperts ? { firstExperts } : {}),
      });
      if (created) for (const [expertId, link] of links) fresh.set(expertId, link);
      // Made all or none, on the condition that none existed: then they are what is stored now,
      // with those read before (another run's are read again, as is the refused choice's state).
      assignments = created
        ? [...assignments, ...made].sort((a, b) => (a.expertId < b.expertId ? -1 : 1))
        : await deps.reviews.assignments(nominationId);
      if (missing() <= 0) {
        // Another run made them: the window is left as that run left it, or by this one.
        if (!created && firstExperts) await deps.store.expertsTaken(campaign.id, nominationId);
        break;
      }
      // Never go on with fewer experts than needed: the nomination would wait for reviews nobody
      // was asked for. A transient failure after a few tries, so the state machine runs it again.
      if (attempt >= CHOICE_ATTEMPTS) {
        throw new StoreBusyError(
          `${nominationId}: ${missing()} expert(s) still to assign; the loads kept moving`,
        );
      }
      [pool, waiting] = await Promise.all([deps.reviews.listExperts(campaign.id), planningWindow()]);
    }
  }
  const experts = new Map(pool.map((e) => [e.id, e]));
  /** The link mailed to the expert, or undefined when none went out (another run's, withdrawn). */
  const mailLink = async (
    assignment: Assignment,
  ): Promise<{ expertId: string; linkHash: string } | undefined> => {
    if (assignment.linkMailedAt || assignment.withdrawn) return undefined;
    const expert = experts.get(assignment.expertId);
    if (!expert) return undefined;
    let link = fresh.get(expert.id);
    if (assignment.linkHash && link?.hash !== assignment.linkHash && !leftBefore.has(assignment.linkHash))
      return undefined;
    if (!link || link.hash !== assignment.linkHash) {
      if (assignment.linkHash) await deps.reviews.supersedeLink(nominationId, expert.id, assignment.linkHash);
      link = newReviewLink(deps.secrets, deps.clock, nominationId);
      if (!(await deps.reviews.attachLink(nominationId, expert.id, link.hash, link.expiresAt)))
        return undefined;
    }
    const url = reviewLink(deps.webUrl, link.token);
    try {
      await deps.send(
        noticeMail({
          campaign,
          to: expert.email,
          greeting: expert.name,
          subject: { zh: '评审邀请', en: 'Review request' },
          nominee: {
            name: displayName(nomination),
            category: CATEGORY_NAMES[nomination.category],
            unitName: nomination.unitName,
          },
          message: [
            {
              zh: `请评审${campaign.name.zh}的以下候选：打开下面的个人链接，阅读材料并打分。链接仅限本人使用，请勿转发。`,
              en: `Please review this candidate of ${campaign.name.en}: open your personal link below, read the materials and score them. The link is yours alone; do not forward it.`,
            },
          ],
          deadline: { label: { zh: '链接有效期至', en: 'Link valid until' }, at: new Date(link.expiresAt) },
          link: { url, label: { zh: '评审链接', en: 'Review link' } },
          // One link, one send: a retry that mails a fresh link is a new message.
          key: `review-link/${nominationId}/${expert.id}/${link.hash}`,
        }),
      );
    } catch (error) {
      // A send that failed may still have delivered (a timeout after the relay took it): the next
      // run mails a new link, and this one keeps opening the review.
      await deps.reviews.supersedeLink(nominationId, expert.id, link.hash);
      throw error;
    }
    return { expertId: expert.id, linkHash: link.hash };
  };
  // Each expert's link is a mail of its own: mailed side by side, so the task holds its slot of
  // pipeline-step's reserved ten for one mail's round trip, not one per expert after another, and
  // one expert's refused mail holds up no other. Every send is awaited before the first failure
  // is thrown: nothing runs on after the task has ended. The links that went out are noted in one
  // write — also when another's mail failed, so a retry mails only that expert again.
  const mailed = await Promise.allSettled(assignments.map(mailLink));
  const sent = mailed.flatMap((m) => (m.status === 'fulfilled' && m.value ? [m.value] : []));
  if (sent.length > 0) await deps.reviews.markLinksMailed(nominationId, sent, deps.clock.now().toISOString());
  const failed = mailed.find((m) => m.status === 'rejected');
  if (failed) throw failed.reason;
  // The experts assigned; their links changed above, which the caller does not need.
  return assignments.filter(isActive);
}

/** A link made by this run: its token (to mail), its hash (stored) and when it expires. */
type FreshLink = ReturnType<typeof newReviewLink>;

/**
 * The experts for a nomination's first assignment, as its share of the round: the assignment of
 * the whole round (functions/rules/round-assignment.ts) over the nominations still waiting for
 * their first experts — `waiting`, at most ROUND_WINDOW of them, read as one small page the store
 * keeps for this — on the experts' loads as their counters hold them (read with the pool). So a
 * batch passed at screening together ends as evenly loaded as the conflicts and caps allow, and
 * one task costs the same few requests however many nominations are in review. The waiting ones
 * are read eventually consistent: they only steer the balance, while this nomination's own
 * exclusions, conflicts and the cap condition on the store's write decide. A top-up (after a
 * decline, a recusal, an overdue review) is the round of that one nomination.
 */
function roundShare(
  campaign: Campaign,
  nomination: Nomination,
  pool: readonly Expert[],
  facts: ConflictFacts,
  dismissals: readonly ConflictDismissal[],
  waiting: readonly AwaitingExperts[],
  count: number,
  limits: ChoiceLimits & { randomSeed?: number },
): Expert[] {
  const alone = () => chooseExperts(pool, { id: nomination.id, ...facts }, count, limits);
  const k = campaign.review.expertsPerNomination;
  if (count < k) return alone();
  const others: RoundNomination[] = waiting
    .filter((n) => n.id !== nomination.id)
    .map((n) => ({
      id: n.id,
      category: n.category,
      facts: conflictFactsOf(campaign, n, { name: n.nomineeName, organization: n.nomineeOrganisation }),
      dismissed: new Set(dismissals.filter((d) => d.nominationId === n.id).map((d) => d.expertId)),
    }));
  if (others.length === 0) return alone();
  const own: RoundNomination = {
    id: nomination.id,
    category: nomination.category,
    facts,
    ...(limits.exclude ? { exclude: limits.exclude } : {}),
    ...(limits.dismissed ? { dismissed: limits.dismissed } : {}),
  };
  const plan = assignRound([own, ...others], pool, {
    perNomination: k,
    ...(limits.defaultMaxLoad !== undefined ? { defaultMaxLoad: limits.defaultMaxLoad } : {}),
    ...(limits.randomSeed !== undefined ? { randomSeed: limits.randomSeed } : {}),
  });
  const share = new Set(plan.assignments.get(nomination.id));
  // Short in the round: chosen alone, or refused with the count of experts who may review it.
  if (share.size < count) return alone();
  return pool.filter((e) => share.has(e.id));
}

/**
 * What an expert's link shows; GET changes nothing but the record of the read. Before the expert
 * declares, only who is nominated, in which category and by which unit: the materials (form and
 * files) load after a declaration of no conflict, and each showing of them is recorded (PIPL
 * art. 51). Other experts' totals never show before the expert's own review, and afterwards only
 * when the campaign allows.
 */
export async function openReview(deps: ReviewDeps, token: string) {
  const { assignment, nomination, assignments } = await openedBy(deps, token);
  assertLinkUsable(assignment, nomination, deps.clock.now());
  const page = reviewPage(deps.campaigns, assignment, nomination as Nomination, assignments);
  if (page.nomination.attachments) await deps.accessLog.record(expertRead(assignment, deps.clock.now()));
  return page;
}

/** What an expert reads of a nomination once declared free of conflict: the form without contact, the photos. */
const EXPERT_READS: readonly ReadItem[] = ['form-without-contact', 'photos'];

/** The record of an expert's read of the materials, as any reader's is recorded. */
const expertRead = (assignment: Assignment, at: Date): AccessRecord =>
  readRecord(expertActor(assignment), assignment.nominationId, at, EXPERT_READS);

/**
 * The review page an expert's link shows, from the assignment, its nomination and the
 * nomination's assignments as one read found them (GET /api/review, and the answer to a
 * declaration of no conflict, which shows it next).
 */
function reviewPage(
  campaigns: ReviewDeps['campaigns'],
  assignment: Assignment,
  n: Nomination,
  assignments: readonly Assignment[],
) {
  const campaign = campaignIn(campaigns, n.campaignId);
  const declared = assignment.declaration?.conflict === null;
  const peers =
    assignment.review && campaign.review.peerScores === 'after-own-review'
      ? assignments
          .filter((a) => a.review && a.expertId !== assignment.expertId)
          .map((a) => ({ total: a.review?.total ?? 0, recommend: a.review?.recommend ?? false }))
      : null;
  return {
    nomination: {
      id: n.id,
      category: n.category,
      categoryName: CATEGORY_NAMES[n.category],
      displayName: displayName(n),
      unitName: n.unitName,
      // The minimum an expert needs (PIPL art. 6): no phone, address or birth month, photos only.
      form: declared ? formForExpert(n.category, n.form).form : null,
      withheld: [...CONTACT_FIELDS[n.category]],
      attachments: declared ? attachmentsForExpert(n.attachments) : null,
      status: n.status,
    },
    rubric: campaign.review.criteria,
    recommendations: RECOMMENDATIONS,
    conflictKinds: CONFLICT_KINDS.map((id) => ({ id, name: CONFLICT_NAMES[id] })),
    expert: {
      id: assignment.expertId,
      name: assignment.expertName,
      linkExpiresAt: assignment.linkExpiresAt ?? null,
    },
    declaration: assignment.declaration ?? null,
    decided: assignment.review ?? null,
    peers,
    open: n.status === 'in-review' && declared && !assignment.review,
  };
}

export type ReviewPage = ReturnType<typeof reviewPage>;

const expertActor = (a: Assignment) =>
  ({ role: 'expert', subjectId: a.expertId, name: a.expertName }) as const;

/**
 * The assignment and nomination a link opens (either absent when it opens none), with every
 * assignment of the nomination (none when the link opens none), read together.
 */
async function openedBy(
  deps: ReviewDeps,
  token: string,
): Promise<{
  assignment: Assignment | undefined;
  nomination: Nomination | undefined;
  assignments: Assignment[];
}> {
  const opened = await deps.reviews.opened(deps.secrets.hash(token), nominationNamedBy(token));
  return {
    assignment: opened?.assignment,
    nomination: opened?.nomination,
    assignments: opened?.assignments ?? [],
  };
}

/** The assignment and nomination a link opens, or a 403 for a link that opens none. */
async function byToken(deps: ReviewDeps, token: string) {
  const { assignment, nomination, assignments } = await openedBy(deps, token);
  if (!assignment || !nomination || nomination.deletedOnRequest || nomination.erasure)
    assertLinkUsable(assignment, nomination, deps.clock.now());
  return { assignment: assignment as Assignment, nomination: nomination as Nomination, assignments };
}

const closedError = () =>
  new DomainError({
    code: 'REVIEW_CLOSED',
    kind: 'conflict',
    message: { zh: '此推荐的评审已结束', en: 'The review of this nomination is closed' },
  });

/** A set-once review write that found the review already submitted. */
const alreadyDecided = (message: { zh: string; en: string }) =>
  new DomainError({ code: 'ALREADY_DECIDED', kind: 'conflict', message });

/**
 * The expert's declaration before the materials: no conflict (answered with the review page the
 * expert sees next, the materials in it, their read recorded with the declaration), or a conflict
 * and its kind (the expert is recused and the next eligible expert assigned; no page). Recorded
 * once; a repeat finishes what a request cut short may have left undone and answers the same (the
 * page only while the link still opens it, its read recorded again).
 */
export async function declareReview(
  deps: ReviewDeps,
  token: string,
  input: unknown,
): Promise<{ declaration: Declaration; recused: boolean; page: ReviewPage | null }> {
  const found = await byToken(deps, token);
  let { assignment } = found;
  const { nomination, assignments } = found;
  // Recorded with its audit event in one write; a repeat (declared already, perhaps by a request
  // cut short before the event was written, by code before the two were one write) adds the event.
  let audited = false;
  const now = deps.clock.now();
  // Checked also on a repeat: a repeat is answered only when it asks what was recorded.
  const asked = parseDeclaration(input, now);
  if (!assignment.declaration) {
    assertLinkUsable(assignment, nomination, now);
    if (nomination.status !== 'in-review') throw closedError();
    const declaration = asked;
    // The materials the answer shows: their read goes in the same write (none for a conflict).
    const read = declaration.conflict === null ? expertRead(assignment, now) : undefined;
    if (
      await deps.reviews.recordDeclaration(
        nomination.id,
        assignment.expertId,
        declaration,
        declarationAudit(nomination.id, assignment, declaration),
        read,
      )
    ) {
      assignment = { ...assignment, declaration };
      audited = true;
    } else {
      assignment = (await deps.reviews.byLink(deps.secrets.hash(token))) ?? assignment;
      // Withdrawn meanwhile (e.g. the secretariat moved it): the link says so.
      if (!assignment.declaration) assertLinkUsable(assignment, nomination, now);
    }
  }
  const declaration = assignment.declaration as Declaration;
  if (!audited) await deps.store.appendAudit(declarationAudit(nomination.id, assignment, declaration));
  if (declaration.conflict) {
    await withdraw(
      deps,
      assignment,
      nomination,
      'conflict',
      CONFLICT_NAMES[declaration.conflict].zh,
      declaration.at,
    );
    refuseOtherDeclaration(declaration, asked);
    return { declaration, recused: true, page: null };
  }
  refuseOtherDeclaration(declaration, asked);
  if (!audited) {
    // A repeat shows the materials as GET would: only through a link that still opens them.
    assertLinkUsable(assignment, nomination, now);
    await deps.accessLog.record(expertRead(assignment, now));
  }
  const withThis = assignments.map((a) => (a.expertId === assignment.expertId ? assignment : a));
  return { declaration, recused: false, page: reviewPage(deps.campaigns, assignment, nomination, withThis) };
}

type Declaration = NonNullable<Assignment['declaration']>;

/**
 * A declaration deciding otherwise than the one recorded (another request of the expert's, sent
 * at the same moment or later) is refused, naming what stands — never answered as if it took: a
 * conflict declared after "no conflict" is a decline, with its reason, on the review page.
 */
function refuseOtherDeclaration(recorded: Declaration, asked: Declaration): void {
  // The decision is what must match; a repeat's note may differ (the recorded one stands).
  if (recorded.conflict === asked.conflict) return;
  const at = formatChinaTime(new Date(recorded.at));
  throw alreadyDecided(
    recorded.conflict === null
      ? {
          zh: `您已于 ${at} 声明与该候选无利益冲突，不能更改；如需回避，请在评审页选择“谢绝评审”并说明理由`,
          en: `You declared no conflict of interest at ${at}; this cannot change. To step down, decline the review on the review page with your reason`,
        }
      : {
          zh: `您已于 ${at} 声明回避（${CONFLICT_NAMES[recorded.conflict].zh}），该候选已改由其他专家评审`,
          en: `You declared a conflict of interest (${CONFLICT_NAMES[recorded.conflict].en}) at ${at}; the review has passed to another expert`,
        },
  );
}

/** The audit event of an expert's declaration. */
const declarationAudit = (
  nominationId: string,
  assignment: Assignment,
  declaration: NonNullable<Assignment['declaration']>,
): AuditEvent => ({
  nominationId,
  at: declaration.at,
  actor: expertActor(assignment),
  action: declaration.conflict ? 'review-conflict-declared' : 'review-no-conflict-declared',
  ...(declaration.conflict
    ? { reason: [CONFLICT_NAMES[declaration.conflict].zh, declaration.note].filter(Boolean).join('：') }
    : {}),
});

/** An expert who cannot review declines with a reason; the next eligible expert is assigned. Once. */
export async function declineReview(deps: ReviewDeps, token: string, input: unknown) {
  const { assignment, nomination } = await byToken(deps, token);
  if (assignment.withdrawn?.reason !== 'declined') {
    const now = deps.clock.now();
    assertLinkUsable(assignment, nomination, now);
    if (assignment.review) {
      throw new DomainError({
        code: 'ALREADY_DECIDED',
        kind: 'conflict',
        message: { zh: '您已提交过此评审，不能再谢绝', en: 'You have already submitted this review' },
      });
    }
    if (nomination.status !== 'in-review') throw closedError();
    const { reason } = parseInput(declineSchema(), input, { zh: '谢绝评审', en: 'decline' });
    await withdraw(deps, assignment, nomination, 'declined', reason, now.toISOString());
  } else {
    await withdraw(
      deps,
      assignment,
      nomination,
      'declined',
      assignment.withdrawn.note,
      assignment.withdrawn.at,
    );
  }
  return { declined: true };
}

const WITHDRAWAL_TEXT: Record<WithdrawalReason, { action: string; zh: string; en: string }> = {
  declined: { action: 'review-declined', zh: '您已谢绝评审', en: 'You declined to review' },
  conflict: { action: 'review-recused', zh: '您已声明回避', en: 'You declared a conflict of interest for' },
  overdue: {
    action: 'review-overdue-reassigned',
    zh: '评审逾期，已改由其他专家评审',
    en: 'Your overdue review was reassigned:',
  },
  swapped: { action: 'review-swapped', zh: '秘书处已调整评审安排', en: 'The secretariat reassigned' },
  'nominee-left': {
    action: 'review-nominee-left',
    zh: '被推荐人已退出本次活动',
    en: 'The nominee left the campaign:',
  },
};

/**
 * Ends an assignment without a review, then what follows, each once however often it runs: the
 * audit event (keyed on the withdrawal's instant), a mail to the expert (keyed on the
 * assignment), the next eligible expert assigned and mailed. When no eligible expert is left the
 * nomination waits for the secretariat (the expert panel shows it short of experts).
 */
export async function withdraw(
  deps: ReviewDeps,
  assignment: Assignment,
  nomination: Nomination,
  reason: WithdrawalReason,
  note: string,
  at: string,
  actor: { role: 'expert' | 'secretariat' | 'system'; subjectId: string; name: string } = expertActor(
    assignment,
  ),
  /** The expert the secretariat chose instead (a swap); otherwise the next eligible one is assigned. */
  replacement?: Expert,
): Promise<void> {
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  let withdrawn = assignment.withdrawn ?? { at, reason, note, by: actor };
  // The request that withdraws mails the expert, and notes it sent; a repeat mails only when the
  // first stopped (a crash, a failed send) between its withdrawal and that note.
  let done = false;
  /** Withdrawn by another request at the same moment: that one mails the expert and brings a swap's replacement. */
  let another = false;
  if (!assignment.withdrawn) {
    done = await deps.reviews.withdrawAssignment(campaign.id, nomination.id, assignment.expertId, withdrawn);
    if (!done) {
      const now = (await deps.reviews.assignments(nomination.id)).find(
        (a) => a.expertId === assignment.expertId,
      );
      if (now?.review)
        throw alreadyDecided({
          zh: '该专家已提交评审，不能再调整',
          en: 'This expert has already submitted the review',
        });
      // Withdrawn by another request at the same moment (a second decline, the expert declining
      // while the secretariat swaps them): the trail tells of that withdrawal — its instant,
      // reason, note and maker, the very event its maker writes, so once even if that one died
      // before writing it — not of this request's own. A swap brings no replacement on top of
      // the one the other withdrawal brought: it is refused, to be looked at again.
      if (now?.withdrawn) {
        if (replacement)
          throw alreadyDecided({
            zh: '该专家刚刚已退出本推荐的评审（由其他操作调整），请刷新后查看当前的评审专家',
            en: 'This expert has just left the review of this nomination by another change; reload to see its reviewers now',
          });
        withdrawn = now.withdrawn;
        another = true;
      }
    }
  }
  const text = WITHDRAWAL_TEXT[withdrawn.reason];
  // A withdrawal stored before its maker was noted, met by a request racing it: its maker's own
  // run tells the trail (this one cannot name them).
  const by = withdrawn.by ?? (another ? undefined : actor);
  if (by)
    await deps.store.appendAudit({
      nominationId: nomination.id,
      at: withdrawn.at,
      actor: by,
      action: text.action,
      reason: `${assignment.expertName}：${withdrawn.note}`,
    });
  const mailDue = done || (assignment.withdrawn !== undefined && !assignment.withdrawn.mailedAt);
  const expert = mailDue
    ? (await deps.reviews.listExperts(campaign.id)).find((e) => e.id === assignment.expertId)
    : undefined;
  if (expert) {
    await deps.send(
      noticeMail({
        campaign,
        to: expert.email,
        greeting: expert.name,
        subject: { zh: '评审安排变更', en: 'Review assignment' },
        nominee: {
          name: displayName(nomination),
          category: CATEGORY_NAMES[nomination.category],
          unitName: nomination.unitName,
        },
        message: [
          {
            zh: `${text.zh}：${campaign.name.zh}的上述候选。无需再做任何操作。`,
            en: `${text.en.replace(/:$/, '')}: the candidate above (${campaign.name.en}). Nothing more is needed from you.`,
          },
        ],
        details: [{ label: { zh: '说明', en: 'Note' }, value: withdrawn.note }],
        key: `review-withdrawn/${nomination.id}/${assignment.expertId}`,
      }),
    );
    await deps.reviews.withdrawalMailed(nomination.id, assignment.expertId, deps.clock.now().toISOString());
  }
  // A swap that took this withdrawal brings its own replacement: a request that lost the race to
  // it fills nothing, or the nomination would have one expert too many.
  if (another && withdrawn.reason === 'swapped') return;
  const before = new Set((await deps.reviews.assignments(nomination.id)).map((a) => a.expertId));
  if (replacement && !before.has(replacement.id)) {
    await deps.reviews.createAssignments(campaign.id, [
      { nominationId: nomination.id, expertId: replacement.id, expertName: replacement.name, assignedAt: at },
    ]);
  }
  try {
    const active = await assignExperts(deps, nomination.id);
    for (const a of active.filter((x) => !before.has(x.expertId))) {
      await deps.store.appendAudit({
        nominationId: nomination.id,
        at: a.assignedAt,
        actor: { role: 'system', subjectId: `review/${a.expertId}`, name: 'Laurel' },
        action: 'review-reassigned',
        // One event per replacement, even when two are assigned at the same instant.
        reason: `${a.expertName}（接替 ${assignment.expertName}）`,
      });
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'NOT_ENOUGH_EXPERTS') throw error;
    await deps.store.appendAudit({
      nominationId: nomination.id,
      at: withdrawn.at,
      actor: { role: 'system', subjectId: 'review', name: 'Laurel' },
      action: 'review-awaiting-expert',
      reason: (error as DomainError).messages.zh,
    });
  }
}

/**
 * Records an expert's confirmed review once. When the last of the nomination's reviews is in,
 * the nomination becomes 'scored' — in the same write as the review, from what its request read —
 * and the waiting execution is answered. What it costs the store: the link's one Query, then one
 * transaction (a review not the last checks another still open in it, instead of reading after).
 */
export async function submitReview(
  deps: ReviewDeps,
  token: string,
  input: unknown,
): Promise<{ review: NonNullable<Assignment['review']>; reviewsComplete: boolean }> {
  const { assignment, nomination, assignments } = await openedBy(deps, token);
  const now = deps.clock.now();
  // A link that recorded its review is judged as at that review: the same review sent again after
  // the link's last day is still answered as the first (a different one is refused below).
  const reviewedAt = assignment?.review ? new Date(assignment.review.submittedAt) : now;
  assertLinkUsable(assignment, nomination, reviewedAt);
  const n = nomination as Nomination;
  const campaign = campaignIn(deps.campaigns, n.campaignId);
  // Decided already — perhaps by a request cut short (a crash) after the review was stored, or
  // whose answer was lost: finish what it may have left undone; the same review again is answered
  // as the first was, another is refused (prepareReview).
  if (assignment.review) {
    const complete = await finishReview(deps, assignment, assignment.review.submittedAt, now, {
      nomination: n,
      assignments,
    });
    if (
      sameReview(assignment.review, parseInput(reviewSubmissionSchema(), input, { zh: '评审', en: 'review' }))
    )
      return { review: assignment.review, reviewsComplete: complete };
  }
  const review = prepareReview(campaign, assignment, n, input, now);
  const audit = reviewAudit(assignment, review.submittedAt);
  let read = assignments;
  /** Whether the nomination is scored by a write of its own: the one read was stale. */
  let closeApart = false;
  /** The assignments read open whose check refused a write since: closed for good. */
  const closedSinceRead = new Set<string>();
  for (;;) {
    // The nomination's assignments as read, with this review: the last one scores the nomination
    // from them, in its own transaction. Not the last as read, its write holds only while one of
    // the others it read open still is — so a review stored is not the last, with no read after
    // it. Of reviews at once, a write refused by its check tries another it read open; with none
    // left it may be the last and reads them again (each refusal an assignment closed for good:
    // as many at most as the nomination has).
    const withThis = read.map((a) => (a.expertId === assignment.expertId ? { ...a, review } : a));
    const open = reviewsAllIn(campaign, withThis)
      ? undefined
      : withThis.find((a) => isActive(a) && !a.review && !closedSinceRead.has(a.expertId));
    if (!open && closedSinceRead.size > 0) {
      read = await deps.reviews.assignments(n.id);
      closedSinceRead.clear();
      continue;
    }
    const closing = open || closeApart ? undefined : scoredChange(deps.campaigns, n, withThis, now);
    const recorded = await deps.reviews.recordReview(
      n.id,
      assignment.expertId,
      review,
      audit,
      open?.expertId,
      closing,
    );
    if (recorded === false)
      throw alreadyDecided({
        zh: '您已提交过此评审，不能重复提交',
        en: 'You have already submitted this review',
      });
    if (recorded === true && closing) {
      await deliverIfDecided(deps.workflow, closing.nomination);
      return { review, reviewsComplete: true };
    }
    if (recorded === true)
      return {
        review,
        reviewsComplete:
          !open &&
          (await closeReviewIfComplete(deps, assignment.nominationId, now, {
            nomination: n,
            assignments: withThis,
          })),
      };
    // The nomination changed since the read (its version moved on): the review alone, then the
    // closing reads it again; or the other it checked closed since.
    if (recorded === 'closing-stale') closeApart = true;
    else if (open) closedSinceRead.add(open.expertId);
  }
}

/** Whether a review asked for is the one recorded: its marks, its recommendation and its comment. */
function sameReview(
  recorded: NonNullable<Assignment['review']>,
  asked: { scores: Record<string, number>; recommend: boolean; comment?: string | undefined },
): boolean {
  const keys = new Set([...Object.keys(recorded.scores), ...Object.keys(asked.scores)]);
  return (
    [...keys].every((k) => recorded.scores[k] === asked.scores[k]) &&
    recorded.recommend === asked.recommend &&
    (recorded.comment ?? '') === (asked.comment ?? '')
  );
}

/** The audit event of a review, keyed on the review's own instant (a repeat records none). */
const reviewAudit = (assignment: Assignment, reviewedAt: string): AuditEvent => ({
  nominationId: assignment.nominationId,
  at: reviewedAt,
  actor: { role: 'expert', subjectId: assignment.expertId, name: assignment.expertName },
  action: 'review',
});

/**
 * What follows a stored review: its audit event (keyed on the review's own instant, so a repeat
 * records none) and, with the last review, the nomination scored and its execution answered.
 */
async function finishReview(
  deps: ReviewDeps,
  assignment: Assignment,
  reviewedAt: string,
  now: Date,
  read: ReadByReview,
): Promise<boolean> {
  await deps.store.appendAudit(reviewAudit(assignment, reviewedAt));
  return closeReviewIfComplete(deps, assignment.nominationId, now, read);
}

/** What an expert's request read of the nomination: it and its assignments (with the request's own review once stored). */
interface ReadByReview {
  nomination: Nomination;
  assignments: readonly Assignment[];
}

/** Whether a nomination's reviews are all in: as many active assignments as the round asks, each reviewed. */
function reviewsAllIn(campaign: Campaign, assignments: readonly Assignment[]): boolean {
  const active = assignments.filter(isActive);
  return active.length >= campaign.review.expertsPerNomination && active.every((a) => a.review);
}

/**
 * Moves a nomination to 'scored' once all its reviews are in, by a write of its own: for a review
 * not the last as its request read them (fewer experts active than the round asks), a repeat, or
 * a last review whose nomination changed after its read — the last as read scores it in the
 * review's own transaction (`submitReview`). Safe to call by each expert at once.
 * The first try uses the nomination as the request read it (its version guards the write); a
 * version race reads it again. The assignments as the request read them, with its own review, are
 * the nomination's when they show every review in — a review is stored once and a reviewed
 * assignment is never withdrawn, and no expert is added to a nomination with all its experts — so
 * the last review closes it without reading them again. When they show one missing (fewer experts
 * active than the round asks, or a repeat's read from before others came in), they are read
 * again, after this review was stored. A review whose write held while another stayed open
 * (`submitReview`) does not call this at all. The scores are aggregated here, from the assignments read,
 * and kept with the status change — the score on the nomination, the entry on its ranking row —
 * so the selection step's task finds them and reads the reviews no more (its aggregation stays
 * for a nomination scored without them: by code before this, or on reviews the round's rubric
 * no longer scores).
 */
async function closeReviewIfComplete(
  deps: ReviewDeps,
  nominationId: string,
  now: Date,
  read: ReadByReview,
): Promise<boolean> {
  let known: ReadByReview | undefined = read;
  return retryOnVersionConflict(async () => {
    const nomination = known?.nomination ?? (await deps.store.get(nominationId));
    const readBefore = known?.assignments;
    known = undefined;
    if (!nomination) return false;
    if (nomination.status === 'scored') {
      // Scored by a request that may have been cut short before it answered the execution.
      await deliverIfDecided(deps.workflow, nomination);
      return true;
    }
    const campaign = campaignIn(deps.campaigns, nomination.campaignId);
    const assignments =
      readBefore && reviewsAllIn(campaign, readBefore)
        ? readBefore
        : await deps.reviews.assignments(nominationId);
    const change = scoredChange(deps.campaigns, nomination, assignments, now);
    if (!change) return false;
    await deps.store.changeStatus(change);
    await deliverIfDecided(deps.workflow, change.nomination);
    return true;
  });
}

/**
 * The nomination scored from its complete reviews: the status change, with the score on the
 * nomination and the entry on its ranking row, and the event that records it; undefined while a
 * review is missing or when the nomination is no longer in review.
 */
function scoredChange(
  campaigns: ReviewDeps['campaigns'],
  nomination: Nomination,
  assignments: readonly Assignment[],
  now: Date,
): StatusChange | undefined {
  const campaign = campaignIn(campaigns, nomination.campaignId);
  if (!reviewsAllIn(campaign, assignments) || nomination.status !== 'in-review') return undefined;
  const at = now.toISOString();
  const reviewed = reviewedNominationOf(nomination, reviewsIn(assignments));
  const score = scoreOrNone(campaign, reviewed);
  return {
    nomination: {
      ...nomination,
      status: transition(nomination, 'scored', 'system'),
      version: nomination.version + 1,
      updatedAt: at,
      ...(score ? { score } : {}),
    },
    expectedVersion: nomination.version,
    audit: {
      nominationId: nomination.id,
      at,
      actor: { role: 'system', subjectId: 'review', name: 'Laurel' },
      action: 'reviews-complete',
    },
    ...(score ? { rankingEntry: rankingEntryOf(reviewed) } : {}),
  };
}

/**
 * The score of a nomination's complete reviews, or none when the round's rubric no longer scores
 * them (its criteria changed since): the status change goes through, and the selection step's
 * aggregation meets the same refusal where a task's failure is seen and retried, not an expert.
 */
function scoreOrNone(campaign: Campaign, reviewed: ReviewedNomination): Nomination['score'] {
  try {
    const [scored] = scoreNominations(campaign, [reviewed]);
    return scored && keptScore(scored);
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

export function newReviewLink(
  secrets: Secrets,
  clock: Clock,
  nominationId: string,
): { token: string; hash: string; expiresAt: string } {
  const token = reviewToken(nominationId, secrets.token());
  return {
    token,
    hash: secrets.hash(token),
    expiresAt: new Date(clock.now().getTime() + REVIEW_LINK_DAYS * 86_400_000).toISOString(),
  };
}

/**
 * The ReviewDay task of an execution started on the definition before the campaign-wide review
 * clock (AWS runs it to its end on that definition): one day of the review clock has passed for
 * this nomination (AwaitReviews timed out after its day). `day` is its own clock before this tick;
 * it is returned plus one. A nomination whose execution waits on the campaign's clock is left to
 * that clock (the two count days from different origins).
 */
export async function reviewDay(
  deps: ReviewDeps,
  nominationId: string,
  day: number,
): Promise<{ day: number }> {
  const today = day + 1;
  const nomination = await deps.store.get(nominationId);
  if (nomination?.status !== 'in-review' || nomination.awaiting?.reviewClock === 'campaign')
    return { day: today };
  await countReviewDay(deps, nomination, { today, dueDayIfNew: day }, () =>
    expertsOf(deps, nomination.campaignId),
  );
  return { day: today };
}

/** The experts of a campaign by id: read once per run of the clock that needs them. */
export type ExpertsById = () => Promise<ReadonlyMap<string, Expert>>;

const expertsOf = async (deps: ReviewDeps, campaignId: string) =>
  new Map((await deps.reviews.listExperts(campaignId)).map((e) => [e.id, e]));

/** The experts of each campaign, read at most once however many nominations a run counts. */
export function expertsOnce(deps: ReviewDeps): (campaignId: string) => ExpertsById {
  const read = new Map<string, Promise<ReadonlyMap<string, Expert>>>();
  return (campaignId) => () => {
    let pending = read.get(campaignId);
    if (!pending) {
      pending = expertsOf(deps, campaignId);
      read.set(campaignId, pending);
      // A failed read is not kept: the retry reads again.
      pending.catch(() => read.delete(campaignId));
    }
    return pending;
  };
}

/**
 * One day of the campaign-wide review clock for a nomination in review whose execution waits on
 * it: `today` is the campaign's review-clock day (functions/rules/review-clock.ts). An open review
 * first counted today is due `dueDays` after today — so an expert has at least the campaign's
 * days, however late in the day it was assigned. Nominations on an older execution's own clock
 * are left to it. Safe to run twice for a day, or again after a crash: what was noted is not sent
 * or recorded again, and a day missed is caught up by the next (reminders and the due day are
 * compared, not matched).
 */
export async function campaignReviewDay(
  deps: ReviewDeps,
  nominationId: string,
  today: number,
  experts: ExpertsById,
): Promise<boolean> {
  const nomination = await deps.store.get(nominationId);
  if (nomination?.status !== 'in-review' || nomination.awaiting?.reviewClock !== 'campaign') return false;
  await countReviewDay(deps, nomination, { today, dueDayIfNew: today }, experts);
  return true;
}

/**
 * A day of a nomination's review clock: each open review gets its due day when first counted
 * (`dueDayIfNew` plus the campaign's `dueDays`); a reminder goes out once at each of the
 * campaign's offsets before it; at the due date the review is marked overdue in the audit (the
 * secretariat sees it on the expert panel) and, when the campaign says so, handed to the next
 * eligible expert. Days are the clock's, never the wall clock's, so a scaled local run behaves as
 * AWS does. Idempotent: what was noted is not sent or recorded again.
 */
async function countReviewDay(
  deps: ReviewDeps,
  nomination: Nomination,
  { today, dueDayIfNew }: { today: number; dueDayIfNew: number },
  experts: ExpertsById,
): Promise<void> {
  const nominationId = nomination.id;
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  const { dueDays, reminderDaysBefore, reassignOverdue, expertsPerNomination } = campaign.review;
  const assignments = await deps.reviews.assignments(nominationId);
  // A reassignment of an earlier day cut short — its mail to the expert failed or the run died
  // before it, or before the next expert was brought on — is finished first: no person repeats
  // what the clock did, and the withdrawn review is no longer open to be counted again.
  const short = assignments.filter(isActive).length < expertsPerNomination;
  for (const cut of assignments.filter(
    (a) => a.withdrawn?.reason === 'overdue' && (!a.withdrawn.mailedAt || short),
  ))
    await withdraw(
      deps,
      cut,
      nomination,
      'overdue',
      cut.withdrawn?.note ?? '',
      cut.withdrawn?.at ?? '',
      clockActorOf(cut),
    );
  const open = assignments.filter((a) => isActive(a) && !a.review);
  if (open.length === 0) return;
  const pool = await experts();
  const nominee = {
    name: displayName(nomination),
    category: CATEGORY_NAMES[nomination.category],
    unitName: nomination.unitName,
  };
  for (const assignment of open) {
    const dueDay = assignment.dueDay ?? dueDayIfNew + dueDays;
    if (assignment.dueDay === undefined)
      await deps.reviews.updateReviewTimer(nominationId, assignment.expertId, { dueDay });
    const extraDays = assignment.extraDays ?? 0;
    const daysLeft = dueDay + extraDays - today;
    const expert = pool.get(assignment.expertId);
    const sent = assignment.remindersSent ?? [];
    const due = reminderDaysBefore.filter((d) => daysLeft > 0 && daysLeft <= d && !sent.includes(d));
    // An extension counts reminders afresh to the new date: its own mails, told apart by the days added.
    const extended = extraDays > 0 ? `/+${extraDays}` : '';
    if (due.length > 0 && expert) {
      const offset = Math.min(...due);
      await deps.send(
        noticeMail({
          campaign,
          to: expert.email,
          greeting: expert.name,
          subject: { zh: `评审提醒（还有 ${daysLeft} 天）`, en: `Review reminder (${daysLeft} day(s) left)` },
          nominee,
          message: [
            {
              zh: `您评审的上述候选还有 ${daysLeft} 天到期。请使用评审邀请邮件中的链接完成评审；不能评审时可在该页面谢绝。`,
              en: `Your review of the candidate above is due in ${daysLeft} day(s). Please use the link in your review invitation; you may decline there if you cannot review.`,
            },
          ],
          key: `review-reminder/${nominationId}/${assignment.expertId}/${offset}${extended}`,
        }),
      );
      await deps.reviews.updateReviewTimer(nominationId, assignment.expertId, {
        remindersSent: [...sent, ...due],
      });
    }
    if (daysLeft > 0) continue;
    const at = assignment.overdueAt ?? deps.clock.now().toISOString();
    const allowed = dueDays + extraDays;
    if (!assignment.overdueAt) {
      // The audit first: a retry after a crash between the two may note it twice, never lose it.
      await deps.store.appendAudit({
        nominationId,
        at,
        actor: { role: 'system', subjectId: `review/${assignment.expertId}`, name: 'Laurel' },
        action: 'review-overdue',
        reason: `${assignment.expertName}：已过评审期限（${allowed} 天）`,
      });
      await tellSecretariatOverdue(deps, campaign, nominee, assignment, allowed, reassignOverdue, extended);
      await deps.reviews.updateReviewTimer(nominationId, assignment.expertId, { overdueAt: at });
    }
    if (reassignOverdue)
      await withdraw(
        deps,
        assignment,
        nomination,
        'overdue',
        `评审期限（${allowed} 天）已过，系统改派`,
        at,
        clockActorOf(assignment),
      );
  }
}

/** Who the review clock's reassignment of an overdue review is recorded as: no person. */
const clockActorOf = (assignment: Pick<Assignment, 'expertId'>) => ({
  role: 'system' as const,
  subjectId: `review/${assignment.expertId}`,
  name: 'Laurel',
});

/**
 * The secretariat's mailbox for notices about the review: the organiser's office's e-mail in the
 * campaign's contacts, else the first contact with one; none when the campaign lists none.
 */
export function secretariatMailbox(campaign: Campaign): string | undefined {
  const own = campaign.contacts.find((c) => c.office.zh === campaign.organizer.office.zh && c.email);
  return (own ?? campaign.contacts.find((c) => c.email))?.email;
}

/** Mails the secretariat once that a review went past its due date, and what happens now. */
async function tellSecretariatOverdue(
  deps: ReviewDeps,
  campaign: Campaign,
  nominee: { name: string; category: Bilingual; unitName: string },
  assignment: Assignment,
  allowed: number,
  reassigned: boolean,
  extended: string,
): Promise<void> {
  const to = secretariatMailbox(campaign);
  if (!to) return;
  await deps.send(
    noticeMail({
      campaign,
      to,
      greeting: campaign.organizer.office.zh,
      subject: { zh: '评审逾期', en: 'Review overdue' },
      nominee,
      message: [
        {
          zh: `${assignment.expertName}对上述候选的评审已过期限（${allowed} 天）。${
            reassigned
              ? '按活动设置，系统已改派下一位符合条件的专家。'
              : '请在“评审专家”页为其延长期限，或换一位专家。'
          }`,
          en: `${assignment.expertName}'s review of the candidate above is past its due date (${allowed} days). ${
            reassigned
              ? 'As the campaign says, the next eligible expert has been assigned.'
              : 'On the Experts page you may extend the due date or swap the expert.'
          }`,
        },
      ],
      link: {
        url: appPageLink(deps.webUrl, 'secretariat'),
        label: { zh: '秘书处工作台', en: 'Secretariat console' },
      },
      key: `review-overdue/${assignment.nominationId}/${assignment.expertId}${extended}`,
    }),
  );
}

/** The nomination a secretariat's change of reviewers is about: in review, and in the actor's campaign. */
async function nominationInReview(deps: ReviewDeps, actor: Actor, nominationId: string) {
  const nomination = await deps.store.get(nominationId);
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  requireRole(actor, ['secretariat'], nomination.campaignId);
  if (nomination.status !== 'in-review') throw closedError();
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  return { nomination, campaign, assignments: await deps.reviews.assignments(nominationId) };
}

const secretariatActor = (actor: Actor) =>
  ({ role: 'secretariat', subjectId: actor.subjectId, name: actor.name }) as const;

const expertNotFound = (id: string) => notFound({ zh: '专家', en: 'expert' }, id);

/** The reviewer a request names: on the nomination, still open (neither reviewed nor withdrawn). */
function openAssignment(assignments: readonly Assignment[], expertId: string): Assignment {
  const assignment = assignments.find((a) => a.expertId === expertId);
  if (!assignment) throw notFound({ zh: '评审安排', en: 'review assignment' }, expertId);
  if (assignment.review) {
    throw new DomainError({
      code: 'ALREADY_DECIDED',
      kind: 'conflict',
      message: { zh: '该专家已提交评审，不能再调整', en: 'This expert has already submitted the review' },
    });
  }
  if (assignment.withdrawn) {
    throw new DomainError({
      code: 'ASSIGNMENT_WITHDRAWN',
      kind: 'conflict',
      message: {
        zh: '该专家已不再评审此推荐（已回避、谢绝或调整）',
        en: 'This expert no longer reviews this nomination (recused, declined or reassigned)',
      },
    });
  }
  return assignment;
}

/**
 * The secretariat dismisses an automatic conflict it found false (a namesake organisation, a
 * former affiliation), with a reason: the expert may then be assigned to the nomination. Audited;
 * once per nomination and expert. A nomination short of experts gets them at once.
 */
export async function dismissConflict(deps: ReviewDeps, actor: Actor, nominationId: string, input: unknown) {
  const { nomination, campaign } = await nominationInReview(deps, actor, nominationId);
  const { expertId, reason } = parseInput(dismissConflictSchema(), input, {
    zh: '排除回避误判',
    en: 'conflict dismissal',
  });
  const expert = (await deps.reviews.listExperts(campaign.id)).find((e) => e.id === expertId);
  if (!expert) throw expertNotFound(expertId);
  const facts = conflictFactsOf(
    campaign,
    nomination,
    subjectOf(nomination.category, nomination.form as never),
  );
  const kinds = automaticConflicts(expert, facts);
  const earlier = (await deps.reviews.conflictDismissals(campaign.id, nominationId)).find(
    (d) => d.expertId === expertId,
  );
  if (!earlier && kinds.length === 0) {
    throw new DomainError({
      code: 'NO_AUTOMATIC_CONFLICT',
      kind: 'rule',
      path: ['expertId'],
      message: {
        zh: `系统未发现${expert.name}与此推荐有应回避的情形，无需排除`,
        en: `The automatic check finds no conflict of ${expert.name} with this nomination; nothing to dismiss`,
      },
    });
  }
  const dismissal = earlier ?? {
    nominationId,
    expertId,
    reason,
    at: deps.clock.now().toISOString(),
    by: actor.name,
  };
  if (!earlier) await deps.reviews.dismissConflict(campaign.id, dismissal);
  await deps.store.appendAudit({
    nominationId,
    at: dismissal.at,
    actor: secretariatActor(actor),
    action: 'review-conflict-dismissed',
    reason: `${expert.name}（${kinds.map((k) => CONFLICT_NAMES[k].zh).join('、')}）：${dismissal.reason}`,
  });
  const active = (await deps.reviews.assignments(nominationId)).filter(isActive);
  if (active.length < campaign.review.expertsPerNomination) {
    try {
      await assignExperts(deps, nominationId);
    } catch (error) {
      if ((error as { code?: string }).code !== 'NOT_ENOUGH_EXPERTS') throw error;
    }
  }
  return { dismissal };
}

/**
 * The secretariat gives an expert more days for one review: the days are added to the campaign's
 * due date (set, not added up: a repeated request changes nothing), the overdue mark and the
 * reminders start again towards the new date. Audited, and the expert is mailed once.
 */
export async function extendReview(deps: ReviewDeps, actor: Actor, nominationId: string, input: unknown) {
  const { nomination, campaign, assignments } = await nominationInReview(deps, actor, nominationId);
  const { expertId, days, reason } = parseInput(extendReviewSchema(), input, {
    zh: '延长评审期限',
    en: 'review extension',
  });
  const assignment = openAssignment(assignments, expertId);
  if (assignment.extraDays !== days) {
    await deps.store.appendAudit({
      nominationId,
      at: deps.clock.now().toISOString(),
      actor: secretariatActor(actor),
      action: 'review-extended',
      reason: `${assignment.expertName}：评审期限延长 ${days} 天（共 ${campaign.review.dueDays + days} 天）——${reason}`,
    });
    await deps.reviews.extendReview(nominationId, expertId, days);
  }
  const expert = (await deps.reviews.listExperts(campaign.id)).find((e) => e.id === expertId);
  if (expert) {
    await deps.send(
      noticeMail({
        campaign,
        to: expert.email,
        greeting: expert.name,
        subject: { zh: '评审期限已延长', en: 'Review due date extended' },
        nominee: {
          name: displayName(nomination),
          category: CATEGORY_NAMES[nomination.category],
          unitName: nomination.unitName,
        },
        message: [
          {
            zh: `秘书处已将您对上述候选的评审期限延长 ${days} 天。请继续使用评审邀请邮件中的链接。`,
            en: `The secretariat gave you ${days} more day(s) for your review of the candidate above. Please keep using the link in your review invitation.`,
          },
        ],
        details: [{ label: { zh: '说明', en: 'Note' }, value: reason }],
        key: `review-extended/${nominationId}/${expertId}/${days}`,
      }),
    );
  }
  return { expertId, extraDays: days, dueDays: campaign.review.dueDays + days };
}

/**
 * The secretariat swaps one reviewer of a nomination for an expert of its choosing, with a reason:
 * the replacement must be eligible (never on it before, of its category, within cap, no conflict
 * unless dismissed), else the refusal names why. The expert replaced is told, the replacement
 * mailed their link, each once; a repeat answers the same.
 */
export async function swapReviewer(deps: ReviewDeps, actor: Actor, nominationId: string, input: unknown) {
  const { nomination, campaign, assignments } = await nominationInReview(deps, actor, nominationId);
  const { expertId, replacementId, reason } = parseInput(swapReviewerSchema(), input, {
    zh: '更换评审专家',
    en: 'reviewer swap',
  });
  const leaving = assignments.find((a) => a.expertId === expertId);
  const arrived = assignments.find((a) => a.expertId === replacementId);
  // Done before (an answer lost, or a request cut short before it mailed the replacement): the
  // same answer, once the replacement's link is known mailed — assignExperts mails a link left
  // unmailed and reads nothing more when every link went.
  if (leaving?.withdrawn?.reason === 'swapped' && arrived && isActive(arrived)) {
    await assignExperts(deps, nominationId);
    return { replaced: expertId, by: replacementId };
  }
  // Cut short after the expert was taken off, before the replacement was on (its mail to the
  // expert failed, or it died): the repeat goes on from there, still checking the replacement.
  const resumed =
    leaving?.withdrawn?.reason === 'swapped' &&
    !arrived &&
    assignments.filter(isActive).length < campaign.review.expertsPerNomination;
  const assignment = resumed && leaving ? leaving : openAssignment(assignments, expertId);
  const pool = await deps.reviews.listExperts(campaign.id);
  const replacement = pool.find((e) => e.id === replacementId);
  if (!replacement) throw expertNotFound(replacementId);
  const dismissed = await deps.reviews.conflictDismissals(campaign.id, nominationId);
  const why = ineligibility(
    replacement,
    conflictFactsOf(campaign, nomination, subjectOf(nomination.category, nomination.form as never)),
    {
      exclude: new Set(assignments.map((a) => a.expertId)),
      dismissed: new Set(dismissed.map((d) => d.expertId)),
      category: nomination.category,
      ...(campaign.review.maxLoadPerExpert !== undefined
        ? { defaultMaxLoad: campaign.review.maxLoadPerExpert }
        : {}),
    },
  );
  if (why) throw notEligibleError(replacement.name, why);
  await withdraw(
    deps,
    assignment,
    nomination,
    'swapped',
    reason,
    deps.clock.now().toISOString(),
    secretariatActor(actor),
    replacement,
  );
  return { replaced: expertId, by: replacementId };
}
