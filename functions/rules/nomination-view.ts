import type { Actor, Role } from './access.js';
import type { CriterionResult } from './eligibility.js';
import type { FormCheck } from './form-check.js';
import { displayNameOf, type FormDataByCategory } from './forms/index.js';
import { type Nomination, statusName } from './nomination.js';
import type { NominationDetail } from './nomination-view-schemas.js';
import { excerpt, normaliseName } from './text.js';

/**
 * What GET /api/nominations/{id} and GET /api/review answer is described in
 * rules/nomination-view-schemas.ts; shaped here: who gets download links, who sees the
 * past-honouree check, and that a task token is never shown.
 */
export type { NominationDetail } from './nomination-view-schemas.js';

/** Who receives download links for a nomination's files: its own unit and the campaign's secretariat. */
const FILE_READERS: readonly Role[] = ['unit', 'secretariat'];
export const mayDownloadFiles = (actor: Pick<Actor, 'role'>): boolean => FILE_READERS.includes(actor.role);

/** The past-honouree criterion as stored at submission, for the secretariat's screening view. */
export function pastHonoureeFlag(
  eligibility: readonly CriterionResult[] | undefined,
): NonNullable<NominationDetail['pastHonouree']> {
  const criterion = eligibility?.find((c) => c.id === 'all.not-past-honouree');
  if (!criterion) return { checked: false, match: null, needsReview: false, message: null, honouree: null };
  const f = criterion.figures;
  const match = !criterion.passed ? 'exact' : criterion.needsReview ? 'near' : 'none';
  const name = f.matchedName ?? f.candidateName;
  return {
    checked: true,
    match,
    needsReview: Boolean(criterion.needsReview),
    message: criterion.message,
    honouree:
      match === 'none' || name === undefined
        ? null
        : {
            name: String(name),
            organization: String(f.matchedOrganization ?? f.candidateOrganization ?? ''),
            year: Number(f.matchedYear ?? f.candidateYear) || null,
          },
  };
}

/**
 * One nomination as its reader sees it: the task token never; download links only for the
 * owning unit and the secretariat (who alone may be answered here); the past-honouree check
 * only for the secretariat.
 */
export function nominationDetail(
  actor: Pick<Actor, 'role'>,
  nomination: Nomination,
  statusText: { zh: string; en: string },
  check: FormCheck | null,
  downloads: Record<string, string>,
): NominationDetail {
  return {
    nomination: withoutTaskToken(nomination),
    status: statusText,
    check,
    downloads: mayDownloadFiles(actor) ? downloads : {},
    ...(actor.role === 'secretariat' ? { pastHonouree: pastHonoureeFlag(nomination.eligibility) } : {}),
  };
}

/**
 * A nomination as the API shows it: which step it awaits and since when, but never the Step
 * Functions task token, which stays between the store and the workflow.
 */
export function withoutTaskToken(nomination: Nomination) {
  const { awaiting, ...rest } = nomination;
  return { ...rest, ...(awaiting ? { awaiting: { step: awaiting.step, since: awaiting.since } } : {}) };
}

/** The answer of every route that changes a nomination: the nomination and its status in words. */
export const nominationView = (nomination: Nomination) => ({
  nomination: withoutTaskToken(nomination),
  status: statusName(nomination.status),
});

/**
 * A nomination as a list shows it: everything a row needs (its name, status, flags, score,
 * selection) but neither the form nor the attachments, nor the unit's confirmations at submission
 * (the declarations' texts and the consent: the nomination's page shows them), so a page of 100
 * stays a few tens of KB whatever the forms hold. The store keeps these apart from the small item
 * a list reads.
 */
export type ListedNomination = Omit<
  Nomination,
  'form' | 'attachments' | 'awaiting' | 'reasons' | 'declarations' | 'consent' | 'eligibility'
> & {
  /** The nominee's name as the form gives it ('' while a draft has none). */
  name: string;
  attachmentCount: number;
  awaiting?: { step: string; since: string };
  /** The start of the last return's or rejection's reasons (the unit's list shows what to correct). */
  reasons?: string;
  /**
   * Once the submission's check ran: the criteria that failed or want a person's look, by id and
   * verdict — what a row flags (the nomination's page shows each criterion with its message).
   */
  eligibility?: ListedCriterion[];
};

export type ListedCriterion = Pick<CriterionResult, 'id' | 'passed' | 'needsReview'>;

/** What a list row keeps of the eligibility results: the criteria that failed or need a look. */
export function listedEligibility(eligibility: readonly CriterionResult[]): ListedCriterion[] {
  return eligibility
    .filter((c) => !c.passed || c.needsReview)
    .map((c) => ({ id: c.id, passed: c.passed, ...(c.needsReview ? { needsReview: true } : {}) }));
}

/** What a list shows of the parts kept apart from the nomination's small item. */
export interface NotedParts {
  name: string;
  attachmentCount: number;
  /** listedEligibility of the results, once the check ran. */
  eligibility?: ListedCriterion[];
}

/** The parts' share of a list row, from the whole nomination. */
export const notedPartsOf = (n: Nomination): NotedParts => ({
  name: listedName(n),
  attachmentCount: n.attachments.length,
  ...(n.eligibility ? { eligibility: listedEligibility(n.eligibility) } : {}),
});

/** How much of the reasons a row shows: the nomination's own page shows them whole. */
export const LISTED_REASONS_LENGTH = 200;

export function listedNomination(n: Nomination): ListedNomination {
  return listedFrom(n, notedPartsOf(n));
}

/** The nominee's name as lists show it ('' while a draft has none). */
export function listedName(n: Pick<Nomination, 'category' | 'form'>): string {
  try {
    const shown = displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);
    return shown && !shown.includes('undefined') ? shown : '';
  } catch {
    return '';
  }
}

/**
 * The row a list shows, from a nomination without its form and attachments (as the store keeps
 * its small item) and what it notes of them: the name and how many files.
 */
export function listedFrom(
  n: Omit<Nomination, 'form' | 'attachments'> & Partial<Pick<Nomination, 'form' | 'attachments'>>,
  noted: NotedParts,
): ListedNomination {
  const {
    form: _form,
    attachments: _attachments,
    declarations: _declarations,
    consent: _consent,
    eligibility,
    awaiting,
    reasons,
    ...rest
  } = n;
  // The criteria's messages are the nomination page's: a row flags what failed or wants a look.
  // (A nomination stored before its results were apart still holds them whole.)
  const flagged = noted.eligibility ?? (eligibility ? listedEligibility(eligibility) : undefined);
  return {
    ...rest,
    name: noted.name,
    attachmentCount: noted.attachmentCount,
    ...(flagged ? { eligibility: flagged } : {}),
    ...(awaiting ? { awaiting: { step: awaiting.step, since: awaiting.since } } : {}),
    ...(reasons ? { reasons: excerpt(reasons, LISTED_REASONS_LENGTH) } : {}),
  };
}

/**
 * Search by name matches the START of the nominee's name, folded as people compare names
 * (`normaliseName`: full- and half-width, case, spaces, traditional and simplified characters,
 * middle-dot variants are all one), so 「张」, 「張」 and 「 ＺＨＡＮＧ」 find what a person expects. A
 * prefix, not "contains": the store answers it from an index sorted by this key (a range of one
 * category's partition), never by reading every nomination. The key is cut to 200 code points so
 * it stays far below DynamoDB's 1,024-byte limit on an index's sort key.
 */
export const NAME_KEY_LENGTH = 200;
export const nameSearchKey = (name: string): string =>
  [...normaliseName(name)].slice(0, NAME_KEY_LENGTH).join('');

/** The prefix a typed search stands for, or undefined when nothing searchable is left (only spaces…). */
export function searchPrefix(query: string | undefined): string | undefined {
  const key = query === undefined ? '' : nameSearchKey(query);
  return key === '' ? undefined : key;
}
