import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import type { Campaign } from './campaign.js';
import type { CategoryId } from './categories.js';
import { DomainError, type FieldIssue, ValidationError } from './errors.js';
import { FORMS, formJsonSchema, validateForm } from './forms/index.js';
import type { Bilingual } from './i18n.js';
import type { Nomination } from './nomination.js';
import { type NominationStatus, PAST_SCREENING } from './nomination-status.js';
import { quotaSlotChange } from './quota.js';
import { freeText } from './text.js';
import { fieldLabel } from './validation.js';

/**
 * A person's requests to correct or delete their data before the retention period ends (PIPL arts.
 * 46–47), made to the secretariat. A correction changes only the fields that describe or reach the
 * person — the nominee of the volunteer form, the leader of an organisation, project or site — and
 * is checked by the form's own schema. A deletion takes the nominee out of the campaign and erases
 * their data; what it does is worked out here, before it is done, so the page says it in words.
 */

/** The fields of each form that are a person's own information: what the secretariat may correct. */
export const PERSONAL_FIELDS: { readonly [C in CategoryId]: readonly string[] } = {
  volunteer: ['name', 'gender', 'birthYearMonth', 'politicalStatus', 'postalAddress', 'contact'],
  organization: ['teamLeader', 'contact'],
  project: ['projectLeader', 'contact'],
  site: ['leaderName', 'contact'],
};

const versionSchema = builtOnFirstUse(() => z.int().min(1).meta({ title: '版本', 'x-title-en': 'Version' }));

/**
 * A correction: the version read, and the personal fields with their corrected values. Which
 * fields a form has, and what each accepts, is the form's schema (checked once the nomination's
 * category is known): one schema for the unit's form and the secretariat's correction.
 */
export const personalCorrectionSchema = builtOnFirstUse(() =>
  z.strictObject({
    version: versionSchema(),
    fields: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), z.unknown())
      .refine((fields) => Object.keys(fields).length > 0, { message: 'at least one field' })
      .meta({ title: '更正的个人信息', 'x-title-en': 'Corrected personal fields' }),
  }),
);

/** A deletion: the version the consequence was read from, and the secretariat's written reason. */
export const DELETION_REASON_LENGTH = { min: 5, max: 500 } as const;
export const deletionRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    version: versionSchema(),
    reason: freeText({
      min: DELETION_REASON_LENGTH.min,
      max: DELETION_REASON_LENGTH.max,
      multiLine: true,
    }).meta({
      title: '删除理由',
      'x-title-en': 'Reason for the deletion',
    }),
  }),
);

/** The field's name on the official form, in both languages (its schema's title). */
export const personalFieldName = (category: CategoryId, field: string): Bilingual =>
  fieldLabel(formJsonSchema(category), [field]) ?? { zh: field, en: field };

/**
 * The form with the corrected fields in place, checked as the form is checked at submission; a
 * field that is not the person's own (the deeds, the counts) is refused by name — the unit
 * corrects those through a return. Answers the new form and the fields whose value changed.
 */
export function correctedForm(
  category: CategoryId,
  form: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, unknown>>,
  today: string,
): { form: Record<string, unknown>; changed: string[] } {
  const allowed = PERSONAL_FIELDS[category];
  const foreign: FieldIssue[] = Object.keys(fields)
    .filter((field) => !allowed.includes(field))
    .map((field) => {
      const name = personalFieldName(category, field);
      return {
        path: ['fields', field],
        code: 'not_personal_field',
        message: {
          zh: `“${name.zh}”不是可由秘书处更正的个人信息；可更正：${allowed.map((f) => personalFieldName(category, f).zh).join('、')}`,
          en: `"${name.en}" is not personal information the secretariat corrects; these are: ${allowed.map((f) => personalFieldName(category, f).en).join(', ')}`,
        },
      };
    });
  if (foreign.length > 0) throw new ValidationError(foreign, { zh: '个人信息更正', en: 'correction' });
  const result = validateForm(category, { ...form, ...fields }, { today });
  if (!result.ok) throw new ValidationError(result.issues, FORMS[category].title);
  const checked = result.data as Record<string, unknown>;
  const changed = allowed.filter(
    (field) => field in fields && JSON.stringify(checked[field]) !== JSON.stringify(form[field]),
  );
  return { form: checked, changed };
}

/** The audit's note of a correction: which fields, by name — never their values. */
export function correctionNote(category: CategoryId, changed: readonly string[]): string {
  const names = changed.map((field) => personalFieldName(category, field));
  return `更正：${names.map((n) => n.zh).join('、')} / Corrected: ${names.map((n) => n.en).join(', ')}`;
}

/** Statuses in which the nominee is out of the campaign already: a deletion changes no status. */
const ENDED: readonly NominationStatus[] = [
  'withdrawn',
  'rejected',
  'not-selected',
  'withdrawn-after-objection',
];

/** Statuses whose execution still runs: deleting the person ends it. */
const RUNNING: readonly NominationStatus[] = [
  'submitted',
  'returned',
  'in-review',
  'scored',
  'selected',
  'forwarded',
  'in-publicity',
];

/** The status a nomination is left in once its nominee's data is deleted. */
export const statusAfterErasure = (status: NominationStatus): NominationStatus =>
  ENDED.includes(status) ? status : 'withdrawn';

/** One thing a deletion does, in words; `applies` false where it does nothing of the kind. */
export interface ErasureEffect {
  id:
    | 'withdrawn'
    | 'slot-freed'
    | 'execution-ended'
    | 'reviews-removed'
    | 'public-lists'
    | 'files-erased'
    | 'final';
  text: Bilingual;
}

/** What deleting this nominee's data does, in the words the secretariat's page shows before it is done. */
export function deletionConsequence(
  campaign: Campaign,
  n: Pick<Nomination, 'status' | 'unitType' | 'unitName' | 'category'>,
): ErasureEffect[] {
  const effects: ErasureEffect[] = [];
  const after = statusAfterErasure(n.status);
  if (after !== n.status)
    effects.push({
      id: 'withdrawn',
      text: {
        zh: '被推荐人退出本次活动：此推荐撤回，不再参加评审、择优、公示和发布',
        en: 'The nominee leaves the campaign: the nomination is withdrawn from review, selection, publicity and release',
      },
    });
  if (quotaSlotChange(campaign, n.unitType, n.category, n.status, after)?.delta === -1)
    effects.push({
      id: 'slot-freed',
      text: {
        zh: `${n.unitName}的推荐名额空出一个，可另行推荐`,
        en: `${n.unitName} gets its place back and may nominate someone else`,
      },
    });
  if (RUNNING.includes(n.status))
    effects.push({
      id: 'execution-ended',
      text: {
        zh: '此推荐的办理流程立即终止，发给评审专家的评审链接随即失效',
        en: 'Its workflow stops at once, and the review links sent to experts stop working',
      },
    });
  if ((PAST_SCREENING as readonly NominationStatus[]).includes(n.status))
    effects.push({
      id: 'reviews-removed',
      text: {
        zh: '专家的评审意见和评分从排名中移除',
        en: "The experts' reviews and scores are taken out of the ranking",
      },
    });
  if (n.status === 'in-publicity' || n.status === 'released')
    effects.push({
      id: 'public-lists',
      text: {
        zh: n.status === 'released' ? '从已发布的名单中移除，名单重新发布' : '从公示名单中移除，名单重新发布',
        en:
          n.status === 'released'
            ? 'Taken off the published final list, which is published again'
            : 'Taken off the public notice, which is published again',
      },
    });
  effects.push({
    id: 'files-erased',
    text: {
      zh: '推荐表中的个人信息，以及 Word 版、盖章扫描件、照片等全部附件（含所有历史版本）被永久删除',
      en: 'The personal fields of the form and every file — Word form, stamped scan, photos, all their stored versions — are erased for good',
    },
  });
  effects.push({
    id: 'final',
    text: { zh: '删除后无法恢复', en: 'This cannot be undone' },
  });
  return effects;
}

/**
 * Whether the secretariat may delete this nominee's data here. After a society forwarded the
 * nomination, CAST holds its own copy, which the society cannot delete: CAST's secretariat deletes
 * that one first (the copy's status tells), and only then the society its own — else the person
 * would still be in CAST's campaign while the society's page said they had left it.
 */
export function assertErasable(
  n: Pick<Nomination, 'status' | 'forwardedAs'>,
  parentCopy: { erased: boolean; campaignName: Bilingual } | undefined,
): void {
  if (n.status === 'draft')
    throw new DomainError({
      code: 'ERASURE_DRAFT',
      kind: 'conflict',
      path: ['status'],
      message: {
        zh: '这是推荐单位尚未提交的草稿，由推荐单位自行修改或放弃',
        en: 'This is a draft the unit has not submitted; the unit edits or abandons it itself',
      },
    });
  if (n.forwardedAs && parentCopy && !parentCopy.erased)
    throw new DomainError({
      code: 'ERASURE_FORWARDED',
      kind: 'conflict',
      path: ['status'],
      message: {
        zh: `此推荐已报送${parentCopy.campaignName.zh}，对方保存着自己的一份材料，本单位无法删除。请先请${parentCopy.campaignName.zh}秘书处删除其材料，再在此删除本单位保存的信息`,
        en: `This nomination was forwarded to ${parentCopy.campaignName.en}, which keeps its own copy that you cannot delete. Ask its secretariat to delete theirs first, then delete yours here`,
      },
    });
}
