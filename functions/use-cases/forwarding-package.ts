import { renderNominationDocx } from '../documents/form-docx.js';
import { buildForwardingZip, type ForwardingEntry } from '../documents/forwarding-zip.js';
import { renderSummaryXlsx, type SummaryRow } from '../documents/summary-xlsx.js';
import type { BuiltPackage } from '../ports/campaigns.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { Actor } from '../rules/access.js';
import { DomainError } from '../rules/errors.js';
import { displayNameOf, type FormDataByCategory } from '../rules/forms/index.js';
import type { Nomination } from '../rules/nomination.js';
import type { NominationStatus } from '../rules/nomination-status.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { type AccessRecordDeps, recordRead } from './personal-information.js';
import { campaignFor } from './secretariat.js';
import { auditOverwrites, readRecorded } from './uploads.js';

const FORWARDED: readonly NominationStatus[] = ['forwarded', 'in-publicity', 'released'];

/**
 * The forwarding package: for every forwarded nomination its Word form (rendered now), stamped
 * scan and photos under readable Chinese names, and the summary table, as one ZIP in the bucket.
 */
export async function buildPackage(
  deps: CampaignStepDeps &
    AccessRecordDeps & {
      uploads: UploadStorage;
    },
  actor: Actor,
  campaignId: string,
): Promise<{ url: string; nominations: number; bytes: number; builtAt: string; availableUntil: string }> {
  const campaign = campaignFor(deps, actor, campaignId);
  const forwarded = (await Promise.all(FORWARDED.map((s) => deps.store.listByStatus(campaignId, s)))).flat();
  const entries: ForwardingEntry[] = [];
  const rows: SummaryRow[] = [];
  // The page waiting for a big package shows these counts (GET …/package/progress).
  const progress = { startedAt: deps.clock.now().toISOString(), done: 0, total: forwarded.length };
  await deps.campaignStore.savePackageProgress(campaignId, progress);
  for (const n of forwarded) {
    await auditOverwrites(deps, n);
    const form = n.form as unknown as FormDataByCategory[typeof n.category];
    const files = await Promise.all(
      n.attachments
        .filter((a) => a.kind !== 'word')
        .map(async (a) => ({
          kind: a.kind,
          ext: a.key.split('.').pop() ?? 'bin',
          bytes: await readRecorded(deps.uploads, a),
        })),
    );
    const word = await renderNominationDocx(campaign, n);
    const rank = n.selection?.rank ?? 0;
    entries.push({
      category: n.category,
      rank,
      displayName: displayNameOf(n.category, form),
      unitName: n.unitName,
      files: [{ kind: 'word', ext: 'docx', bytes: word }, ...files],
    });
    rows.push({
      nominationId: n.id,
      category: n.category,
      displayName: displayNameOf(n.category, form),
      unitName: n.unitName,
      score: n.score?.meanTotal ?? 0,
      rank,
      ...contactOf(n),
      ...selectionNoteOf(n),
    });
    progress.done += 1;
    await deps.campaignStore.savePackageProgress(campaignId, progress);
  }
  const now = deps.clock.now();
  const summaryXlsx = await renderSummaryXlsx({ campaign, rows, generatedAt: now });
  const zip = buildForwardingZip({ campaign, entries, summaryXlsx, generatedAt: now });
  const key = `packages/${campaignId}/${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  const written = await deps.uploads.put(key, zip, 'application/zip');
  // The package holds each nominee's form (as Word, phone and address included) and files: a read.
  for (const n of forwarded) await recordRead(deps, actor, n.id, ['word-form', 'files']);
  const built = {
    key: written.key,
    versionId: written.versionId,
    builtAt: now.toISOString(),
    nominations: entries.length,
    bytes: zip.byteLength,
  };
  await deps.campaignStore.savePackage(campaignId, built);
  return packageAnswer(deps, campaign, built);
}

/**
 * A day to fetch the package: a signed S3 link cannot last that long (it dies with the function's
 * own credentials, within hours), so the page asks for a fresh one each time (GET …/package)
 * while the package is younger than this; the bucket keeps packages for days (expire-packages).
 */
export const PACKAGE_LINK_HOURS = 24;

async function packageAnswer(
  deps: { uploads: UploadStorage },
  campaign: { organizer: { name: { zh: string } } },
  built: BuiltPackage,
) {
  return {
    url: await deps.uploads.presignGet(
      built,
      `${campaign.organizer.name.zh}-推荐材料.zip`,
      'application/zip',
    ),
    nominations: built.nominations,
    bytes: built.bytes,
    builtAt: built.builtAt,
    availableUntil: new Date(Date.parse(built.builtAt) + PACKAGE_LINK_HOURS * 3_600_000).toISOString(),
  };
}

/**
 * GET …/package: a fresh download link of the package last built, for a day after it was built;
 * after that (or before any build) a 404 that says to build it again.
 */
export async function packageDownload(
  deps: Pick<CampaignStepDeps, 'campaigns' | 'campaignStore' | 'clock'> & { uploads: UploadStorage },
  actor: Actor,
  campaignId: string,
) {
  const campaign = campaignFor(deps, actor, campaignId);
  const built = await deps.campaignStore.latestPackage(campaignId);
  const fresh =
    built && deps.clock.now().getTime() < Date.parse(built.builtAt) + PACKAGE_LINK_HOURS * 3_600_000;
  if (!built || !fresh) {
    throw new DomainError({
      code: 'NO_PACKAGE',
      kind: 'not-found',
      message: built
        ? {
            zh: `材料包生成已超过 ${PACKAGE_LINK_HOURS} 小时，请重新生成后下载`,
            en: `The package was built over ${PACKAGE_LINK_HOURS} hours ago: build it again to download it`,
          }
        : { zh: '尚未生成材料包，请先生成', en: 'No package has been built yet: build it first' },
    });
  }
  return packageAnswer(deps, campaign, built);
}

/** A forwarded nomination the secretariat chose against the score order: its rank by score and the reason. */
function selectionNoteOf(n: Nomination): { selectionNote?: string } {
  const against = n.selection?.againstRanking;
  if (!against) return {};
  return {
    selectionNote: `秘书处择优决定，未按名次（评分排名第 ${n.selection?.rank ?? '—'} 名）。理由：${against.reason}`,
  };
}

function contactOf(n: Nomination): { contactName: string; contactPhone: string } {
  const f = n.form as Record<string, unknown>;
  const name = f.name ?? f.teamLeader ?? f.projectLeader ?? f.leaderName ?? '';
  return { contactName: String(name), contactPhone: String(f.contact ?? '') };
}
