import * as z from 'zod';
import type { UploadPolicy } from '../ports/uploads.js';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { DomainError } from '../rules/errors.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import { freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { auditBy } from './nominations.js';
import { retryOnVersionConflict } from './retry.js';
import {
  downloadLinks,
  inspectUploaded,
  presignAttachment,
  recordAttachmentSchema,
  type UploadDeps,
  uploadRequestSchema,
} from './uploads.js';

/**
 * A society forwards to CAST as the recommending unit: for each forwarded nomination its
 * secretariat writes the society's own opinion (推荐意见), which the nomination's copy in the
 * parent round carries and its Word form prints above the society's stamp; then it downloads that
 * form, stamps it, and uploads the scan, which the copy carries beside the member unit's files.
 */
export const endorsementSchema = builtOnFirstUse(() =>
  z.strictObject({
    opinion: freeText({ max: 500, min: 2, multiLine: true }).meta({
      title: '推荐意见',
      'x-title-en': "The society's opinion",
    }),
  }),
);

/** The society's stamped scan is a PDF, like a unit's (the same inspection, the same size bounds). */
export const societyScanRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    contentType: z.literal('application/pdf').meta({ title: '文件类型', 'x-title-en': 'Content type' }),
    fileName: uploadRequestSchema().shape.fileName,
  }),
);

export const societyScanRecordSchema = builtOnFirstUse(() =>
  recordAttachmentSchema().pick({ attachmentId: true, fileName: true }),
);

type ForwardedDeps = Pick<CampaignStepDeps, 'campaigns' | 'store'>;

/**
 * The copy in the parent round of a nomination this society forwarded, for the society's
 * secretariat, with the parent round it lives in.
 */
export async function forwardedCopy(
  deps: ForwardedDeps,
  actor: Actor,
  campaignId: string,
  nominationId: string,
): Promise<{ copy: Nomination; parent: Campaign }> {
  requireRole(actor, ['secretariat'], campaignId);
  campaignIn(deps.campaigns, campaignId);
  const source = await deps.store.get(nominationId);
  if (!source || source.campaignId !== campaignId)
    throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const forwardedAs = source.forwardedAs;
  if (!forwardedAs) {
    throw new DomainError({
      code: 'NOT_FORWARDED',
      kind: 'conflict',
      message: {
        zh: '只能为已报送上级活动的推荐填写推荐意见、上传学会盖章扫描件',
        en: "An opinion and the society's stamped scan are only for a nomination forwarded to the parent round",
      },
    });
  }
  const copy = await deps.store.get(forwardedAs.nominationId);
  if (!copy) throw notFound({ zh: '推荐', en: 'nomination' }, forwardedAs.nominationId);
  return { copy, parent: campaignIn(deps.campaigns, forwardedAs.campaignId) };
}

export async function endorseForwarded(
  deps: Pick<CampaignStepDeps, 'campaigns' | 'store' | 'clock'>,
  actor: Actor,
  campaignId: string,
  nominationId: string,
  input: unknown,
): Promise<Nomination> {
  const { opinion } = parseInput(endorsementSchema(), input, { zh: '推荐意见', en: 'opinion' });
  return retryOnVersionConflict(async () => {
    const { copy: inParent } = await forwardedCopy(deps, actor, campaignId, nominationId);
    // The same opinion again changes nothing.
    if (inParent.endorsement?.opinion === opinion) return inParent;
    assertEndorsementOpen(inParent);
    const now = deps.clock.now();
    const endorsed: Nomination = {
      ...inParent,
      // A new opinion drops the stamped scan: the stamped page no longer shows what the society says.
      endorsement: { opinion, by: { subjectId: actor.subjectId, name: actor.name }, at: now.toISOString() },
      version: inParent.version + 1,
      updatedAt: now.toISOString(),
    };
    await deps.store.save(
      endorsed,
      inParent.version,
      auditBy(actor, inParent.id, now, 'endorsement', opinion),
    );
    return endorsed;
  });
}

/**
 * The society's opinion and stamped scan are what CAST screens: once CAST's secretariat has
 * screened the copy (passed it into review, rejected it, or anything later) they stay as screened.
 * Before that — still waiting to be screened, or returned to the society for correction — the
 * society may write them again.
 */
const ENDORSEMENT_OPEN: readonly NominationStatus[] = ['draft', 'submitted', 'returned'];

function assertEndorsementOpen(copy: Nomination): void {
  if (ENDORSEMENT_OPEN.includes(copy.status)) return;
  throw new DomainError({
    code: 'ENDORSEMENT_SCREENED',
    kind: 'conflict',
    message: {
      zh: '中国科协已完成初核，学会的推荐意见和盖章扫描件不能再修改',
      en: "CAST has already screened this nomination: the society's opinion and stamped scan can no longer be changed",
    },
  });
}

/** The opinion comes first: the scan is of the form that prints it. */
function endorsementOf(copy: Nomination): NonNullable<Nomination['endorsement']> {
  if (copy.endorsement) return copy.endorsement;
  throw new DomainError({
    code: 'OPINION_FIRST',
    kind: 'conflict',
    path: ['opinion'],
    message: {
      zh: '请先填写推荐意见，再下载印有该意见的推荐表，盖章扫描后上传',
      en: 'Write the opinion first, then download the form that prints it, stamp it, scan it and upload the scan',
    },
  });
}

/** A presigned POST for the society's stamped scan, stored among the parent copy's objects. */
export async function requestSocietyScanUpload(
  deps: Pick<UploadDeps, 'campaigns' | 'store' | 'uploads' | 'ids' | 'clock'>,
  actor: Actor,
  campaignId: string,
  nominationId: string,
  input: unknown,
): Promise<UploadPolicy> {
  const request = parseInput(societyScanRequestSchema(), input, { zh: '上传请求', en: 'upload request' });
  const { copy, parent } = await forwardedCopy(deps, actor, campaignId, nominationId);
  endorsementOf(copy);
  assertEndorsementOpen(copy);
  return presignAttachment(deps, parent, copy.id, 'scan', request.contentType);
}

/**
 * Records the society's stamped scan on the parent copy after inspecting it like a unit's scan;
 * a later scan replaces it (audited). The same upload recorded again changes nothing.
 */
export async function recordSocietyScan(
  deps: Pick<UploadDeps, 'campaigns' | 'store' | 'uploads' | 'inspect' | 'clock'>,
  actor: Actor,
  campaignId: string,
  nominationId: string,
  input: unknown,
): Promise<Nomination> {
  const request = parseInput(societyScanRecordSchema(), input, { zh: '登记附件', en: 'attachment record' });
  const { copy } = await forwardedCopy(deps, actor, campaignId, nominationId);
  if (endorsementOf(copy).scan?.id === request.attachmentId) return copy;
  assertEndorsementOpen(copy);
  const scan = await inspectUploaded(deps, copy.id, { ...request, kind: 'scan' });
  return retryOnVersionConflict(async () => {
    const { copy: current } = await forwardedCopy(deps, actor, campaignId, nominationId);
    const endorsement = endorsementOf(current);
    if (endorsement.scan?.id === scan.id) return current;
    assertEndorsementOpen(current);
    const now = deps.clock.now();
    const stamped: Nomination = {
      ...current,
      endorsement: { ...endorsement, scan },
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    await deps.store.save(
      stamped,
      current.version,
      auditBy(actor, current.id, now, 'endorsement-scan', scan.fileName),
    );
    return stamped;
  });
}

/** What the society recorded on a nomination it forwarded, with a download of its scan (15 minutes). */
export async function societyEndorsement(
  deps: Pick<UploadDeps, 'campaigns' | 'store' | 'uploads'>,
  actor: Actor,
  campaignId: string,
  nominationId: string,
): Promise<{ endorsement: Nomination['endorsement'] | null; scanUrl: string | null }> {
  const { copy } = await forwardedCopy(deps, actor, campaignId, nominationId);
  const scan = copy.endorsement?.scan;
  const links = scan
    ? await downloadLinks(deps, { id: copy.id, attachments: [], endorsement: copy.endorsement })
    : {};
  return { endorsement: copy.endorsement ?? null, scanUrl: (scan && links[scan.id]) || null };
}
