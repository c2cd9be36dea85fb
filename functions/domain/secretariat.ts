import * as z from 'zod';
import { type Actor, requireRole } from './access.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { CATEGORY_IDS, categoryOrder } from './categories.js';
import { checkExtension, type DeadlineExtension } from './deadline.js';
import { renderFormDocx } from './documents/form-docx.js';
import { buildForwardingZip, type ForwardingEntry } from './documents/forwarding-zip.js';
import { renderSummaryXlsx, type SummaryRow } from './documents/summary-xlsx.js';
import { displayNameOf, type FormDataByCategory } from './forms/index.js';
import { parseHonoureeCsv } from './honourees.js';
import { type Nomination, notFound } from './nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from './nomination-status.js';
import type { UploadStorage } from './uploads.js';
import { parseInput } from './validation.js';

/** The secretariat's campaign console: lists, the past-honouree list, extensions, the forwarding package. */

export const listFilterSchema = z.strictObject({
  status: z.enum(NOMINATION_STATUSES).optional().meta({ title: '状态', 'x-title-en': 'Status' }),
  category: z.enum(CATEGORY_IDS).optional().meta({ title: '类别', 'x-title-en': 'Category' }),
  unit: z.string().max(64).optional().meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
});

const campaignFor = (deps: CampaignStepDeps, actor: Actor, campaignId: string) => {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = deps.campaigns.get(campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
  return campaign;
};

/** Nominations of the campaign by status (index queries, never a scan), filtered, with counts per status. */
export async function listNominations(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  query: unknown,
) {
  campaignFor(deps, actor, campaignId);
  const filter = parseInput(listFilterSchema, query ?? {}, { zh: '筛选条件', en: 'filter' });
  const statuses: readonly NominationStatus[] = filter.status
    ? [filter.status]
    : NOMINATION_STATUSES.filter((s) => s !== 'draft');
  const all = (await Promise.all(statuses.map((s) => deps.store.listByStatus(campaignId, s)))).flat();
  const nominations = all
    .filter(
      (n) =>
        (!filter.category || n.category === filter.category) && (!filter.unit || n.unitId === filter.unit),
    )
    .sort(
      (a, b) =>
        categoryOrder(a.category) - categoryOrder(b.category) ||
        (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''),
    );
  const counts: Partial<Record<NominationStatus, number>> = {};
  for (const n of nominations) counts[n.status] = (counts[n.status] ?? 0) + 1;
  return { nominations, counts };
}

export const honoureeImportSchema = z.strictObject({
  csv: z.string().min(1).max(350_000).meta({ title: '往届名单 CSV', 'x-title-en': 'Past honourees CSV' }),
});

/** Replaces the campaign's 2019–2023 honouree list; every bad row is reported and nothing is kept then. */
export async function importHonourees(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  input: unknown,
) {
  const campaign = campaignFor(deps, actor, campaignId);
  const { csv } = parseInput(honoureeImportSchema, input, { zh: '往届名单', en: 'past-honouree list' });
  const honourees = parseHonoureeCsv(csv, campaign.eligibility.pastHonourYears);
  await deps.campaignStore.saveHonourees(campaignId, honourees);
  return { imported: honourees.length };
}

/** Gives one unit a later deadline, with a reason. */
export async function grantExtension(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  input: unknown,
): Promise<DeadlineExtension> {
  const campaign = campaignFor(deps, actor, campaignId);
  const parent = campaign.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  const extension = checkExtension(campaign, input, parent);
  await deps.campaignStore.saveExtension(campaignId, extension);
  return extension;
}

const FORWARDED: readonly NominationStatus[] = ['forwarded', 'in-publicity', 'released'];

/**
 * The forwarding package: for every forwarded nomination its Word form (rendered now), stamped
 * scan and photos under readable Chinese names, and the summary table, as one ZIP in the bucket.
 */
export async function buildPackage(
  deps: CampaignStepDeps & {
    uploads: UploadStorage & { put(key: string, body: Uint8Array, type: string): Promise<void> };
  },
  actor: Actor,
  campaignId: string,
): Promise<{ url: string; nominations: number; bytes: number }> {
  const campaign = campaignFor(deps, actor, campaignId);
  const forwarded = (await Promise.all(FORWARDED.map((s) => deps.store.listByStatus(campaignId, s)))).flat();
  const entries: ForwardingEntry[] = [];
  const rows: SummaryRow[] = [];
  for (const n of forwarded) {
    const form = n.form as unknown as FormDataByCategory[typeof n.category];
    const files = await Promise.all(
      n.attachments
        .filter((a) => a.kind !== 'word')
        .map(async (a) => ({
          kind: a.kind,
          ext: a.key.split('.').pop() ?? 'bin',
          bytes: (await deps.uploads.read(a.key)) ?? new Uint8Array(),
        })),
    );
    const word = await renderFormDocx({ campaign, category: n.category, form, unitName: n.unitName });
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
    });
  }
  const now = deps.clock.now();
  const summaryXlsx = await renderSummaryXlsx({ campaign, rows, generatedAt: now });
  const zip = buildForwardingZip({ campaign, entries, summaryXlsx, generatedAt: now });
  const key = `packages/${campaignId}/${now.toISOString().replace(/[:.]/g, '-')}.zip`;
  await deps.uploads.put(key, zip, 'application/zip');
  return {
    url: await deps.uploads.presignGet(key, `${campaign.organizer.name.zh}-推荐材料.zip`),
    nominations: entries.length,
    bytes: zip.byteLength,
  };
}

function contactOf(n: Nomination): { contactName: string; contactPhone: string } {
  const f = n.form as Record<string, unknown>;
  const name = f.name ?? f.teamLeader ?? f.projectLeader ?? f.leaderName ?? '';
  return { contactName: String(name), contactPhone: String(f.contact ?? '') };
}
