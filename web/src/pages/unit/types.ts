import type { AuditEvent } from '../../../../functions/ports/nominations.js';
import type { UploadPolicy } from '../../../../functions/ports/uploads.js';
import type { AttachmentKind } from '../../../../functions/rules/attachments.js';
import type { CategoryId } from '../../../../functions/rules/categories.js';
import type { CriterionResult } from '../../../../functions/rules/eligibility.js';
import type { FieldIssue } from '../../../../functions/rules/errors.js';
import type { AttachmentRecord, Nomination } from '../../../../functions/rules/nomination.js';
import type { ListedNomination, NominationDetail } from '../../../../functions/rules/nomination-view.js';
import type { CampaignOverview } from '../../../../functions/rules/overview.js';
import type { QuotaDecision } from '../../../../functions/rules/quota.js';
import type { Bilingual } from '../../i18n.js';

/**
 * The answers of the API the unit portal reads, typed from the domain's own types (type-only
 * imports: nothing of the server is bundled by them).
 */

export type { AttachmentKind, AttachmentRecord, AuditEvent, CampaignOverview, CategoryId, Nomination };

/** A nomination as the unit's pages hold it (GET /api/nominations/{id} without the task token). */
export type UnitNomination = NominationDetail['nomination'];

export interface NominationView {
  nomination: UnitNomination;
  status: Bilingual;
}

/** GET /api/nominations: one page of the unit's nominations as list rows (no form, no files). */
export interface NominationList {
  nominations: ListedNomination[];
  /** The next page's cursor; null on the last page. */
  cursor: string | null;
  quotas: QuotaDecision[];
  /** The unit's drafts per category (every page: not only this page's). */
  drafts: Partial<Record<CategoryId, number>>;
}

export type { NominationDetail };

export interface SaveAnswer extends NominationView {
  check: { issues: FieldIssue[]; eligibility: CriterionResult[] | null; attachmentIssues: FieldIssue[] };
}

/** POST /api/nominations/{id}/attachments: the file as recorded and the nomination's version now. */
export type { RecordedAttachment } from '../../../../functions/use-cases/uploads.js';
export type { UploadPolicy };
