import { renderNominationDocx } from '../documents/form-docx.js';
import { type ForwardingFile, ForwardingZipWriter, forwardingFolders } from '../documents/forwarding-zip.js';
import { renderSummaryXlsx, type SummaryRow } from '../documents/summary-xlsx.js';
import type { CampaignJob, JobTaskInput } from '../ports/jobs.js';
import type { NominationStore } from '../ports/nominations.js';
import { keptExtension } from '../rules/attachments.js';
import type { CategoryId } from '../rules/categories.js';
import { displayNameOf, type FormDataByCategory } from '../rules/forms/index.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import type { ListedNomination } from '../rules/nomination-view.js';
import { failCampaignJob } from './campaign-jobs.js';
import type { BuiltPackage, PackageDeps } from './forwarding-package.js';
import { recordRead } from './personal-information.js';
import { failureMessage, jobEvent } from './tasks.js';
import { auditOverwrites, readRecorded } from './uploads.js';

/**
 * The forwarding package's job task (statemachines/forwarding-package.asl.json): the ZIP written
 * as a stream into a multipart upload, one nomination at a time — see use-cases/forwarding-package.ts.
 */

const FORWARDED: readonly NominationStatus[] = ['forwarded', 'in-publicity', 'released'];
/** Progress is stored after every this many nominations: a live bar, few writes. */
const PROGRESS_EVERY = 20;

/**
 * What building the package reads and writes, and nothing more: a caller outside the function's
 * wiring (the bench builds it in a process of its own) must supply each of them, checked by the
 * compiler rather than cast.
 */
export type PackageBuildDeps = Pick<
  PackageDeps,
  'store' | 'jobs' | 'campaigns' | 'clock' | 'uploads' | 'accessLog'
>;

/**
 * The job's task: streams the package into the bucket and marks the job done. Run again by a
 * retry it builds the package again under the attempt's key (S3 keeps the last complete upload);
 * a stale attempt (a newer build started) or a finished job does nothing.
 */
export async function buildPackage(deps: PackageBuildDeps, input: JobTaskInput): Promise<void> {
  const job = await deps.jobs.job(input.campaignId, input.jobId);
  if (!job || job.attempt !== input.attempt || job.status !== 'running') return;
  const campaign = deps.campaigns.get(job.campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, job.campaignId);
  const category = (job.summary as unknown as BuiltPackage).category ?? undefined;

  const listed = await forwardedOf(deps.store, job.campaignId, category);
  let progress: CampaignJob = { ...job, total: listed.length, done: 0 };
  await deps.jobs.updateJob(progress);
  const folders = forwardingFolders(
    campaign,
    listed.map((n) => ({
      category: n.category,
      rank: n.selection?.rank ?? 0,
      displayName: n.name,
      unitName: n.unitName,
    })),
  );

  const generatedAt = deps.clock.now();
  const writer = new ForwardingZipWriter(campaign, generatedAt);
  const key = `packages/${job.campaignId}/${job.id}-${job.attempt}.zip`;
  const upload = deps.uploads.putStream(key, writer.stream, 'application/zip');
  // A failed upload stops the writer, which would otherwise wait for a reader that is gone.
  upload.catch((error: unknown) => writer.abort(error instanceof Error ? error : new Error(String(error))));
  const packed: string[] = [];
  try {
    const rows: SummaryRow[] = [];
    for (const [i, folder] of folders.entries()) {
      const nomination = await deps.store.get((listed[folder.index] as ListedNomination).id);
      if (!nomination) continue;
      await writer.addEntry(folder.path, await filesOf(deps, campaign, nomination));
      rows.push(summaryRowOf(nomination));
      packed.push(nomination.id);
      if ((i + 1) % PROGRESS_EVERY === 0) {
        progress = { ...progress, done: i + 1 };
        await deps.jobs.updateJob(progress);
      }
    }
    await writer.addSummary(await renderSummaryXlsx({ campaign, rows, generatedAt }));
    writer.finish();
  } catch (error) {
    writer.abort(error instanceof Error ? error : new Error(String(error)));
    await upload.catch(() => undefined);
    throw error;
  }
  const written = await upload;
  // The package holds each nominee's form (as Word, phone and address included) and files: a read
  // by the secretariat who asked for it, recorded once the package is complete.
  for (const id of packed) await recordRead(deps, job.by, id, ['word-form', 'files']);
  const built: BuiltPackage = {
    category: category ?? null,
    key: written.key,
    versionId: written.versionId,
    bytes: written.bytes,
    // What the ZIP holds: a nomination erased while the package was built is not in it.
    nominations: packed.length,
  };
  await deps.jobs.updateJob({
    ...progress,
    status: 'done',
    done: listed.length,
    finishedAt: deps.clock.now().toISOString(),
    summary: { ...built },
  });
}

/** The forwarded nominations as lists show them (no form, no files): small, however many, paged from the index. */
async function forwardedOf(
  store: NominationStore,
  campaignId: string,
  category: CategoryId | undefined,
): Promise<ListedNomination[]> {
  const all: ListedNomination[] = [];
  for (const status of FORWARDED) {
    let cursor: string | undefined;
    do {
      const page = await store.page(
        campaignId,
        { status, ...(category ? { category } : {}) },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      );
      all.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
  }
  return all;
}

/**
 * The Word form rendered now, then the society's stamped scan where there is one, the unit's
 * own Word file (under its own extension), stamped scan and photos as recorded (their
 * overwrites audited). What a society forwarded
 * it sends as the recommending unit: the form of the nomination's copy in the parent round (the
 * society's name and opinion above its stamp) and the society's scan of it, beside the member
 * unit's files.
 */
async function filesOf(
  deps: PackageBuildDeps,
  campaign: NonNullable<ReturnType<PackageBuildDeps['campaigns']['get']>>,
  n: Nomination,
): Promise<ForwardingFile[]> {
  const copy = n.forwardedAs ? await deps.store.get(n.forwardedAs.nominationId) : undefined;
  const asSent = copy ?? n;
  await auditOverwrites(deps, n);
  // The society's scan is recorded on the copy: an overwrite of it goes to the copy's trail.
  if (copy) await auditOverwrites(deps, { id: copy.id, attachments: [], endorsement: copy.endorsement });
  const word = await renderNominationDocx(deps.campaigns.get(asSent.campaignId) ?? campaign, asSent);
  const files: ForwardingFile[] = [{ kind: 'word', ext: 'docx', bytes: word }];
  const societyScan = asSent.endorsement?.scan;
  if (societyScan) {
    files.push({ kind: 'society-scan', ext: 'pdf', bytes: await readRecorded(deps.uploads, societyScan) });
  }
  for (const a of n.attachments) {
    files.push({
      // The unit's own Word file, as uploaded (.docx, .doc or .wps), beside the form rendered above.
      kind: a.kind === 'word' ? 'unit-word' : a.kind,
      ext: keptExtension(a.key, 'bin'),
      bytes: await readRecorded(deps.uploads, a),
    });
  }
  return files;
}

function summaryRowOf(n: Nomination): SummaryRow {
  const form = n.form as unknown as FormDataByCategory[typeof n.category];
  const f = n.form as Record<string, unknown>;
  const contactName = f.name ?? f.teamLeader ?? f.projectLeader ?? f.leaderName ?? '';
  return {
    nominationId: n.id,
    category: n.category,
    displayName: displayNameOf(n.category, form),
    unitName: n.unitName,
    score: n.score?.meanTotal ?? 0,
    rank: n.selection?.rank ?? 0,
    contactName: String(contactName),
    contactPhone: String(f.contact ?? ''),
    ...selectionNoteOf(n),
  };
}

/** A forwarded nomination the secretariat chose against the score order: its rank by score and the reason. */
function selectionNoteOf(n: Nomination): { selectionNote?: string } {
  const against = n.selection?.againstRanking;
  if (!against) return {};
  return {
    selectionNote: `秘书处择优决定，未按名次（评分排名第 ${n.selection?.rank ?? '—'} 名）。理由：${against.reason}`,
  };
}

/** The task of statemachines/forwarding-package.asl.json: builds the package, or notes that its retries are spent. */
export async function packageJobTask(deps: PackageDeps, event: unknown) {
  const { failure, ...input } = jobEvent().parse(event);
  if (failure) await failCampaignJob(deps, input, failureMessage(failure));
  else await buildPackage(deps, input);
  return { ...input, done: true };
}
