import * as z from 'zod';
import type { CampaignStore } from '../ports/campaigns.js';
import type { NominationStore } from '../ports/nominations.js';
import type { PublicFiles } from '../ports/public-files.js';
import type { ReviewStore } from '../ports/reviews.js';
import type { Clock } from '../ports/system.js';
import type { Workflow } from '../ports/workflow.js';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { chinaDateAt } from '../rules/calendar.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { DomainError } from '../rules/errors.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import {
  assertErasable,
  correctedForm,
  correctionNote,
  deletionConsequence,
  deletionRequestSchema,
  PERSONAL_FIELDS,
  personalCorrectionSchema,
  personalFieldName,
  statusAfterErasure,
} from '../rules/personal-requests.js';
import { quotaSlotChange } from '../rules/quota.js';
import { parseInput } from '../rules/validation.js';
import { publishPublicLists } from './campaign-steps.js';
import { type ErasureDeps, erasePersonalData } from './erasure.js';
import { auditBy } from './nominations.js';

/**
 * A person's requests, made to the secretariat (PIPL arts. 46–47): correct their personal fields,
 * or delete their data — which takes the nominee out of the campaign. The copy of their data
 * (art. 45) is personal-data-export.ts.
 */

export interface PersonalRequestDeps extends Pick<ErasureDeps, 'erasure' | 'files'> {
  store: NominationStore;
  reviews: Pick<ReviewStore, 'assignments' | 'withdrawAssignment'>;
  campaignStore: CampaignStore;
  workflow: Workflow;
  publicFiles: PublicFiles;
  campaigns: ReadonlyMap<string, Campaign>;
  clock: Clock;
}

/** The nomination in the secretariat's own campaign, or 404 (another campaign's is not shown to exist). */
async function secretariatsOwn(
  deps: Pick<PersonalRequestDeps, 'store'>,
  actor: Actor,
  id: string,
): Promise<Nomination> {
  requireRole(actor, ['secretariat']);
  const n = await deps.store.get(id);
  if (!n || n.campaignId !== actor.campaignId) throw notFound({ zh: '推荐', en: 'nomination' }, id);
  return n;
}

const erasedAlready = () =>
  new DomainError({
    code: 'NOMINATION_ERASED',
    kind: 'gone',
    path: ['status'],
    message: {
      zh: '此人的个人信息已按其请求删除，无法更正',
      en: "This person's data was deleted at their request; there is nothing to correct",
    },
  });

const bilingual = builtOnFirstUse(() => z.strictObject({ zh: z.string(), en: z.string() }));

export const correctionAnswerSchema = builtOnFirstUse(() =>
  z.strictObject({
    nominationId: z.string(),
    version: z.int(),
    corrected: z.array(z.strictObject({ field: z.string(), name: bilingual() })),
  }),
);

/**
 * Corrects a person's fields on a submitted nomination: the form with them in place is checked as
 * at submission (each problem named by field, in both languages), written against the version
 * read, and audited with the fields' names — never their values. The Word form is rendered from
 * the stored form, so it shows the correction at its next download. A repeat finds nothing left
 * to change and answers the same, writing nothing.
 */
export async function correctPersonalData(
  deps: Pick<PersonalRequestDeps, 'store' | 'campaignStore' | 'publicFiles' | 'campaigns' | 'clock'>,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<z.infer<ReturnType<typeof correctionAnswerSchema>>> {
  const request = parseInput(personalCorrectionSchema(), input, { zh: '个人信息更正', en: 'correction' });
  const current = await secretariatsOwn(deps, actor, id);
  if (current.deletedOnRequest) throw erasedAlready();
  if (current.status === 'draft')
    throw new DomainError({
      code: 'CORRECTION_DRAFT',
      kind: 'conflict',
      path: ['status'],
      message: {
        zh: '这是推荐单位尚未提交的草稿，由推荐单位自行修改',
        en: 'This is a draft the unit has not submitted; the unit edits it itself',
      },
    });
  const now = deps.clock.now();
  const { form, changed } = correctedForm(current.category, current.form, request.fields, chinaDateAt(now));
  const answer = (n: Nomination, fields: readonly string[]) => ({
    nominationId: n.id,
    version: n.version,
    corrected: fields.map((field) => ({ field, name: personalFieldName(n.category, field) })),
  });
  // Nothing differs from what is stored (a repeat, or the same values): nothing is written.
  if (changed.length === 0) return answer(current, Object.keys(request.fields));
  const next: Nomination = { ...current, form, version: current.version + 1, updatedAt: now.toISOString() };
  await deps.store.save(
    next,
    request.version,
    auditBy(actor, id, now, 'correct-personal-data', correctionNote(current.category, changed)),
  );
  // A corrected name on the public notice or the final list is published there too.
  if (next.status === 'in-publicity' || next.status === 'released')
    await publishPublicLists(deps, next.campaignId);
  return answer(next, changed);
}

export const deletionViewSchema = builtOnFirstUse(() =>
  z.strictObject({
    nominationId: z.string(),
    version: z.int(),
    erased: z.boolean(),
    effects: z.array(z.strictObject({ id: z.string(), text: bilingual() })),
    /** Where the deletion is refused: why, in words (the page shows it instead of the button). */
    refusal: bilingual().nullable(),
    correctable: z.array(z.strictObject({ field: z.string(), name: bilingual() })),
  }),
);

/** The parent round's copy of a forwarded nomination, as the deletion rule needs it. */
async function parentCopyOf(deps: Pick<PersonalRequestDeps, 'store' | 'campaigns'>, n: Nomination) {
  if (!n.forwardedAs) return undefined;
  const parent = await deps.store.get(n.forwardedAs.nominationId);
  const campaign = deps.campaigns.get(n.forwardedAs.campaignId);
  return {
    erased: parent === undefined || parent.deletedOnRequest !== undefined,
    campaignName: campaign?.name ?? { zh: '上级活动', en: 'the parent round' },
  };
}

/**
 * What deleting this nominee's data would do, for the page to show before the secretariat
 * confirms — or why it may not be done here — and which fields a correction may change.
 */
export async function deletionView(
  deps: Pick<PersonalRequestDeps, 'store' | 'campaigns'>,
  actor: Actor,
  id: string,
): Promise<z.infer<ReturnType<typeof deletionViewSchema>>> {
  const n = await secretariatsOwn(deps, actor, id);
  const campaign = campaignIn(deps.campaigns, n.campaignId);
  let refusal: { zh: string; en: string } | null = null;
  try {
    if (!n.deletedOnRequest) assertErasable(n, await parentCopyOf(deps, n));
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refusal = error.messages;
  }
  return {
    nominationId: n.id,
    version: n.version,
    erased: n.deletedOnRequest !== undefined,
    effects: n.deletedOnRequest ? [] : deletionConsequence(campaign, n),
    refusal,
    correctable: PERSONAL_FIELDS[n.category].map((field) => ({
      field,
      name: personalFieldName(n.category, field),
    })),
  };
}

export const deletionAnswerSchema = builtOnFirstUse(() =>
  z.strictObject({
    nominationId: z.string(),
    status: z.string(),
    erasedAt: z.string(),
    done: z.array(z.strictObject({ id: z.string(), text: bilingual() })),
  }),
);

/**
 * Deletes one nominee's data at their request. First, in one transaction, the nomination leaves
 * the campaign — withdrawn, its quota slot freed, the deletion marked and audited with the
 * secretariat's reason — so nothing later moves it on; then each consequence, every one safe to
 * run again: the execution stopped, the personal fields and every file version erased (the
 * retention job's routine), the public lists published again without the person. A repeat, or a
 * request after one cut short, finishes what is left and answers the same.
 */
export async function deleteNomineeData(
  deps: PersonalRequestDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<z.infer<ReturnType<typeof deletionAnswerSchema>>> {
  const request = parseInput(deletionRequestSchema(), input, { zh: '删除个人信息', en: 'deletion' });
  let n = await secretariatsOwn(deps, actor, id);
  const campaign = campaignIn(deps.campaigns, n.campaignId);
  if (!n.deletedOnRequest) {
    assertErasable(n, await parentCopyOf(deps, n));
    const now = deps.clock.now();
    const after = statusAfterErasure(n.status);
    const { awaiting: _closedWithTheExecution, ...rest } = n;
    const next: Nomination = {
      ...rest,
      status: after,
      version: n.version + 1,
      updatedAt: now.toISOString(),
      deletedOnRequest: { at: now.toISOString(), statusBefore: n.status },
    };
    const quota = quotaSlotChange(campaign, n.unitType, n.category, n.status, after);
    await deps.store.changeStatus({
      nomination: next,
      expectedVersion: request.version,
      ...(quota ? { quota } : {}),
      // No reason here: the erasure strips reasons from the trail (they may quote the form); the
      // secretariat's reason is recorded once the data is gone, below.
      audit: auditBy(actor, id, now, 'deletion-requested'),
    });
    n = next;
  }
  const mark = n.deletedOnRequest as NonNullable<Nomination['deletedOnRequest']>;
  const effects = deletionConsequence(campaign, { ...n, status: mark.statusBefore });
  await deps.workflow.stopExecution(
    n.id,
    'PersonalDataErased',
    'The secretariat deleted the nominee’s data at their request; the nomination left the campaign',
  );
  // Its open reviews end and leave their experts' loads, so no expert keeps a place for it.
  for (const assignment of await deps.reviews.assignments(n.id))
    if (!assignment.review && !assignment.withdrawn)
      await deps.reviews.withdrawAssignment(n.campaignId, n.id, assignment.expertId, {
        at: mark.at,
        reason: 'nominee-left',
        note: '',
      });
  // The retention job's routine, for this one person: every file version, the personal parts of
  // every record about the nomination, the nomination itself; recorded on it and in its trail.
  const erased = await erasePersonalData(deps, n.id, {
    cause: 'request',
    by: { role: actor.role, subjectId: actor.subjectId },
    trailDays: campaign.privacy.retentionDays,
  });
  if (mark.statusBefore === 'in-publicity' || mark.statusBefore === 'released')
    await publishPublicLists(deps, n.campaignId);
  // The secretariat's reason, after the erasure (which strips reasons from the trail, as they may
  // quote the form): keyed on the erasure's instant, recorded once — a repeat adds nothing.
  const erasedAt = erased?.at ?? mark.at;
  await deps.store.appendAudit(auditBy(actor, id, new Date(erasedAt), 'erasure-reason', request.reason));
  return { nominationId: n.id, status: n.status, erasedAt, done: effects };
}
