import * as z from 'zod';
import { type Actor, requireRole } from '../rules/access.js';
import { CATEGORY_IDS, categoryOrder } from '../rules/categories.js';
import { checkExtension, type DeadlineExtension } from '../rules/deadline.js';
import { parseHonoureeCsv } from '../rules/honourees.js';
import { notFound } from '../rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from '../rules/nomination-status.js';
import { withoutTaskToken } from '../rules/nomination-view.js';
import { parseInput } from '../rules/validation.js';
import type { CampaignStepDeps } from './campaign-steps.js';

/** What the secretariat's lists, honouree import and extensions use. */
type SecretariatDeps = Pick<CampaignStepDeps, 'campaigns' | 'store' | 'campaignStore' | 'clock'>;

/**
 * The secretariat's campaign console: lists, the past-honouree list, extensions. The forwarding
 * package is in forwarding-package.ts, apart from these: it needs the document libraries.
 */

export const listFilterSchema = z.strictObject({
  status: z.enum(NOMINATION_STATUSES).optional().meta({ title: '状态', 'x-title-en': 'Status' }),
  category: z.enum(CATEGORY_IDS).optional().meta({ title: '类别', 'x-title-en': 'Category' }),
  unit: z.string().max(64).optional().meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
});

/** The campaign a secretariat member acts on: theirs, or a 403; a 404 for an unknown one. */
export const campaignFor = (deps: Pick<CampaignStepDeps, 'campaigns'>, actor: Actor, campaignId: string) => {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = deps.campaigns.get(campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
  return campaign;
};

/** Nominations of the campaign by status (index queries, never a scan), filtered, with counts per status. */
export async function listNominations(
  deps: SecretariatDeps,
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
  return { nominations: nominations.map(withoutTaskToken), counts };
}

export const honoureeImportSchema = z.strictObject({
  // Every cell is checked for invisible characters by the import itself, row by row.
  csv: z
    .string()
    .min(1)
    .max(350_000)
    .meta({ title: '往届名单 CSV', 'x-title-en': 'Past honourees CSV', 'x-free-text': 'csv' }),
});

/** Replaces the campaign's 2019–2023 honouree list; every bad row is reported and nothing is kept then. */
export async function importHonourees(
  deps: SecretariatDeps,
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
  deps: SecretariatDeps,
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
