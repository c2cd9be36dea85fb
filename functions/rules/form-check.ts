import { attachmentSetIssues } from './attachments.js';
import type { CalendarDate } from './calendar.js';
import type { Campaign } from './campaign.js';
import { type CriterionResult, evaluateEligibility } from './eligibility.js';
import type { FieldIssue } from './errors.js';
import { type FormDataByCategory, formHints, subjectOf, validateForm } from './forms/index.js';
import { type HonoureeIndex, matchHonouree } from './honourees.js';
import type { Nomination } from './nomination.js';

export interface FormCheck {
  /** Every problem the form has now (empty when it can be submitted as far as the form goes). */
  issues: FieldIssue[];
  /** The [auto] criteria, once the form is valid. */
  eligibility: CriterionResult[] | null;
  /** What is still missing among the attachments. */
  attachmentIssues: FieldIssue[];
  /** Consistency hints on a valid form, which never block the submission. */
  hints: FieldIssue[];
}

/** The live result shown while a unit types: form issues, eligibility, attachments still missing. */
export function checkNomination(
  campaign: Campaign,
  nomination: Nomination,
  today: CalendarDate,
  honourees?: HonoureeIndex,
): FormCheck {
  const result = validateForm(nomination.category, nomination.form, { today });
  const form = result.ok ? (result.data as FormDataByCategory[typeof nomination.category]) : undefined;
  return {
    issues: result.issues,
    eligibility: form
      ? evaluateEligibility(
          campaign,
          nomination.category,
          form,
          honourees ? matchHonouree(honourees, subjectOf(nomination.category, form)) : undefined,
        )
      : null,
    attachmentIssues: attachmentSetIssues(campaign, nomination.category, nomination.attachments),
    hints: form ? formHints(nomination.category, form) : [],
  };
}
