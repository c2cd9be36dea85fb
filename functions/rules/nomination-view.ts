import * as z from 'zod';
import type { Actor, Role } from './access.js';
import { ATTACHMENT_KINDS } from './attachments.js';
import { CATEGORY_IDS } from './categories.js';
import type { CriterionResult } from './eligibility.js';
import type { FormCheck } from './form-check.js';
import { displayNameOf, type FormDataByCategory } from './forms/index.js';
import { type Nomination, statusName } from './nomination.js';
import { NOMINATION_STATUSES } from './nomination-status.js';
import { CONFLICT_KINDS } from './review.js';
import { excerpt, normaliseName } from './text.js';

/**
 * What GET /api/nominations/{id} and GET /api/review answer, described once (the OpenAPI
 * document shows these schemas) and shaped here: who gets download links, who sees the
 * past-honouree check, and that a task token is never shown.
 */

const bilingual = z.strictObject({ zh: z.string(), en: z.string() });

const attachmentSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(ATTACHMENT_KINDS),
  key: z.string(),
  versionId: z.string().describe('the object version inspected and recorded; downloads serve this version'),
  sha256: z.string().describe('SHA-256 of the recorded file, base64'),
  size: z.int().min(0).describe('bytes'),
  mime: z.string().describe('the content type found by inspecting the file'),
  fileName: z.string(),
  uploadedAt: z.string(),
});

const criterionSchema = z.strictObject({
  id: z.string(),
  passed: z.boolean(),
  needsReview: z.boolean().optional(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  message: bilingual,
});

const fieldIssueSchema = z.strictObject({
  path: z.array(z.union([z.string(), z.number()])),
  code: z.string(),
  message: bilingual,
});

const downloadsSchema = z
  .record(z.string(), z.string())
  .describe('attachment id → a presigned GET URL, valid for 15 minutes');

const formSchema = z
  .record(z.string(), z.unknown())
  .describe(
    "the form as saved: a VolunteerForm, OrganizationForm, ProjectForm or SiteForm by the category's form",
  );

export const nominationDetailSchema = z.strictObject({
  nomination: z.looseObject({
    id: z.string(),
    campaignId: z.string(),
    unitId: z.string(),
    unitType: z.string(),
    unitName: z.string(),
    category: z.enum(CATEGORY_IDS),
    status: z.enum(NOMINATION_STATUSES),
    version: z.int().min(1),
    form: formSchema,
    attachments: z.array(attachmentSchema),
    noClassifiedContent: z.boolean(),
    consent: z
      .strictObject({
        noticeVersion: z.int().min(1),
        confirmedAt: z.string(),
        by: z.strictObject({ role: z.string(), subjectId: z.string(), name: z.string() }),
      })
      .optional()
      .describe(
        "the unit's confirmation at the last (re)submission that the nominee was informed under that version of the campaign's privacy notice and consented",
      ),
    deletedOnRequest: z
      .strictObject({ at: z.string(), statusBefore: z.enum(NOMINATION_STATUSES) })
      .optional()
      .describe(
        "the secretariat deleted the nominee's data at their request: when, and the status the nomination left (it is withdrawn; its form and files are erased)",
      ),
    declarations: z
      .strictObject({
        version: z.int().min(1),
        items: z.array(z.strictObject({ id: z.string(), text: bilingual })),
        confirmedAt: z.string(),
        by: z.strictObject({ role: z.string(), subjectId: z.string(), name: z.string() }),
      })
      .optional()
      .describe(
        "the unit's declarations at the last (re)submission: the version and the very texts it confirmed, who and when",
      ),
    grassroots: z
      .boolean()
      .optional()
      .describe('declared by the unit: the nominee is from the grassroots and the front line (立足基层一线)'),
    grassrootsConfirmed: z
      .boolean()
      .optional()
      .describe('set when the secretariat passes the screening: whether it confirms the grassroots mark'),
    eligibility: z
      .array(criterionSchema)
      .optional()
      .describe('the [auto] criteria as evaluated when last (re)submitted'),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.string().optional(),
    campaignVersion: z
      .int()
      .min(1)
      .optional()
      .describe("the version of the round's definition it was first submitted under"),
    reasons: z.string().optional().describe('the reasons of the last return or rejection'),
    correctionUntil: z
      .string()
      .optional()
      .describe('after a return: resubmission is accepted strictly before this instant'),
    awaiting: z
      .strictObject({ step: z.string(), since: z.string() })
      .optional()
      .describe('the human step the workflow waits in'),
    forwardedFrom: z
      .strictObject({ campaignId: z.string(), nominationId: z.string(), unitName: z.string() })
      .optional()
      .describe("in CAST's round, a nomination a society forwarded: the society round and the member unit"),
    endorsement: z
      .strictObject({
        opinion: z.string(),
        by: z.strictObject({ subjectId: z.string(), name: z.string() }),
        at: z.string(),
        scan: attachmentSchema
          .optional()
          .describe("the society's stamped scan; its download is in `downloads`"),
      })
      .optional()
      .describe("a nomination a society forwarded: the society's opinion (推荐意见) and its stamped scan"),
  }),
  status: bilingual,
  check: z
    .strictObject({
      issues: z.array(fieldIssueSchema),
      eligibility: z
        .array(criterionSchema)
        .nullable()
        .describe('the [auto] criteria, once the form is valid'),
      attachmentIssues: z.array(fieldIssueSchema),
      hints: z.array(fieldIssueSchema).describe('consistency hints that never block the submission'),
    })
    .nullable()
    .describe('the live check, as of now'),
  downloads: downloadsSchema.describe(
    'attachment id → a presigned GET URL (15 minutes); for the owning unit and the secretariat only',
  ),
  pastHonouree: z
    .strictObject({
      checked: z.boolean().describe('whether the check ran (it runs at each submission)'),
      match: z.enum(['exact', 'near', 'none']).nullable(),
      needsReview: z.boolean(),
      message: bilingual.nullable(),
      honouree: z
        .strictObject({ name: z.string(), organization: z.string(), year: z.number().nullable() })
        .nullable(),
    })
    .optional()
    .describe('secretariat only: the match against the imported 2019–2023 list, as stored at submission'),
});
export type NominationDetail = z.infer<typeof nominationDetailSchema>;

export const reviewViewSchema = z.strictObject({
  nomination: z.strictObject({
    id: z.string(),
    category: z.enum(CATEGORY_IDS),
    categoryName: bilingual,
    displayName: z.string(),
    unitName: z.string(),
    form: formSchema
      .nullable()
      .describe(
        'null until the expert declared no conflict of interest; never the fields named in `withheld`',
      ),
    withheld: z
      .array(z.string())
      .describe("the form's fields an expert never receives: phone, postal address, birth month"),
    attachments: z
      .array(attachmentSchema)
      .nullable()
      .describe(
        'null until the expert declared no conflict of interest; the photos only (the Word form and the scan print the withheld fields)',
      ),
    status: z.enum(NOMINATION_STATUSES),
  }),
  rubric: z.array(
    z.strictObject({
      id: z.string(),
      name: bilingual,
      weight: z.number().describe('percent; the weights add up to 100'),
      maxScore: z.int().describe('each criterion is scored 0…maxScore'),
    }),
  ),
  recommendations: z
    .array(z.strictObject({ value: z.boolean(), name: bilingual }))
    .describe('the values `recommend` takes in POST /api/review'),
  conflictKinds: z
    .array(z.strictObject({ id: z.enum(CONFLICT_KINDS), name: bilingual }))
    .describe('the values `kind` takes in POST /api/review/declaration'),
  expert: z.strictObject({ id: z.string(), name: z.string(), linkExpiresAt: z.string().nullable() }),
  declaration: z
    .strictObject({
      at: z.string(),
      conflict: z.enum(CONFLICT_KINDS).nullable(),
      note: z.string().optional(),
    })
    .nullable()
    .describe("the expert's declaration; the materials show only after one of no conflict"),
  decided: z.looseObject({ total: z.number(), submittedAt: z.string() }).nullable(),
  peers: z
    .array(z.strictObject({ total: z.number(), recommend: z.boolean() }))
    .nullable()
    .describe("other experts' totals: only after one's own review, and only when the campaign allows"),
  open: z.boolean().describe('whether a review may still be posted through this link'),
  downloads: downloadsSchema,
});

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
  'form' | 'attachments' | 'awaiting' | 'reasons' | 'declarations' | 'consent'
> & {
  /** The nominee's name as the form gives it ('' while a draft has none). */
  name: string;
  attachmentCount: number;
  awaiting?: { step: string; since: string };
  /** The start of the last return's or rejection's reasons (the unit's list shows what to correct). */
  reasons?: string;
};

/** How much of the reasons a row shows: the nomination's own page shows them whole. */
export const LISTED_REASONS_LENGTH = 200;

export function listedNomination(n: Nomination): ListedNomination {
  return listedFrom(n, { name: listedName(n), attachmentCount: n.attachments.length });
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
  noted: { name: string; attachmentCount: number },
): ListedNomination {
  const {
    form: _form,
    attachments: _attachments,
    declarations: _declarations,
    consent: _consent,
    awaiting,
    reasons,
    ...rest
  } = n;
  return {
    ...rest,
    name: noted.name,
    attachmentCount: noted.attachmentCount,
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
