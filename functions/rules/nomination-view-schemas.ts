import * as z from 'zod';
import { ATTACHMENT_KINDS } from './attachments.js';
import { CATEGORY_IDS } from './categories.js';
import { NOMINATION_STATUSES } from './nomination-status.js';
import { CONFLICT_KINDS } from './review.js';

/**
 * What GET /api/nominations/{id} and GET /api/review answer, described once: the OpenAPI
 * document shows these schemas, and rules/nomination-view.ts shapes the answers they describe.
 * A module of their own, which only the route table's schemas (functions/route-schemas.ts, bundled
 * by the openapi function alone) import: no function that shows a nomination bundles or builds them.
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

/** The answer to recording a file (POST /api/nominations/{id}/attachments). */
export const attachmentRecordedSchema = z.strictObject({
  attachment: attachmentSchema.describe('the file as recorded'),
  version: z.int().min(1).describe("the nomination's version with the file recorded"),
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

/** An expert's declaration as recorded: when, and the conflict's kind (null for none). */
const declarationRecordSchema = z.strictObject({
  at: z.string(),
  conflict: z.enum(CONFLICT_KINDS).nullable(),
  note: z.string().optional(),
});

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
  declaration: declarationRecordSchema
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

/** What POST /api/review/declaration answers: the declaration, and the page the expert sees next. */
export const declarationAnswerSchema = z.strictObject({
  declaration: declarationRecordSchema,
  recused: z.boolean().describe('a conflict was declared: the expert no longer reviews this nomination'),
  page: reviewViewSchema
    .nullable()
    .describe(
      'after a declaration of no conflict, the review page as GET /api/review now shows it (the materials, their read recorded with the declaration), so the page needs no second request; null after a conflict',
    ),
});
