import { renderNominationDocx } from '../documents/form-docx.js';
import { buildForwardingZip, type ForwardingEntry } from '../documents/forwarding-zip.js';
import { renderSummaryXlsx, type SummaryRow } from '../documents/summary-xlsx.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { Actor } from '../rules/access.js';
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
): Promise<{ url: string; nominations: number; bytes: number }> {
  const campaign = campaignFor(deps, actor, campaignId);
  const forwarded = (await Promise.all(FORWARDED.map((s) => deps.store.listByStatus(campaignId, s)))).flat();
  const entries: ForwardingEntry[] = [];
  const rows: SummaryRow[] = [];
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
  }
  const now = deps.clock.now();
  const summaryXlsx = await renderSummaryXlsx({ campaign, rows, generatedAt: now });
  const zip = buildForwardingZip({ campaign, entries, summaryXlsx, generatedAt: now });
  const key = `packages/${campaignId}/${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  const written = await deps.uploads.put(key, zip, 'application/zip');
  // The package holds each nominee's form (as Word, phone and address included) and files: a read.
  for (const n of forwarded) await recordRead(deps, actor, n.id, ['word-form', 'files']);
  return {
    url: await deps.uploads.presignGet(
      written,
      `${campaign.organizer.name.zh}-推荐材料.zip`,
      'application/zip',
    ),
    nominations: entries.length,
    bytes: zip.byteLength,
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

function contactOf(n: Nomination): { contactName: string; contactPhone: string } {
  const f = n.form as Record<string, unknown>;
  const name = f.name ?? f.teamLeader ?? f.projectLeader ?? f.leaderName ?? '';
  return { contactName: String(name), contactPhone: String(f.contact ?? '') };
}
