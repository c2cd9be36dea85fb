import * as z from 'zod';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { CATEGORY_IDS } from '../rules/categories.js';
import {
  checkClosure,
  checkExtension,
  type DeadlineExtension,
  type SubmissionClosure,
} from '../rules/deadline.js';
import { parseHonoureeCsv } from '../rules/honourees.js';
import { notFound } from '../rules/nomination.js';
import { NOMINATION_STATUSES, type NominationStatus } from '../rules/nomination-status.js';
import { pageSchema } from '../rules/paging.js';
import { parseInput } from '../rules/validation.js';
import type { CampaignStepDeps } from './campaign-steps.js';

/** What the secretariat's lists, honouree import and extensions use. */
type SecretariatDeps = Pick<CampaignStepDeps, 'campaigns' | 'store' | 'campaignStore' | 'clock'>;

/**
 * The secretariat's campaign console: lists, the past-honouree list, extensions. The forwarding
 * package is in forwarding-package.ts, apart from these: it needs the document libraries.
 */

export const listFilterSchema = builtOnFirstUse(() =>
  z.strictObject({
    status: z.enum(NOMINATION_STATUSES).optional().meta({ title: '状态', 'x-title-en': 'Status' }),
    category: z.enum(CATEGORY_IDS).optional().meta({ title: '类别', 'x-title-en': 'Category' }),
    unit: z.string().max(64).optional().meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
    q: z
      .string()
      .trim()
      .max(50)
      .optional()
      .meta({ title: '按名称搜索（名称开头）', 'x-title-en': 'Search by the start of the name' }),
    ...pageSchema().shape,
  }),
);

/** The campaign a secretariat member acts on: theirs, or a 403; a 404 for an unknown one. */
export const campaignFor = (deps: Pick<CampaignStepDeps, 'campaigns'>, actor: Actor, campaignId: string) => {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = deps.campaigns.get(campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
  return campaign;
};

/**
 * One page (at most 100) of the campaign's nominations, filtered and ordered by the table's
 * indexes (never a scan), with the campaign's counts per status from the maintained aggregate
 * (per status within the category when a category is chosen) and the cursor of the next page.
 */
export async function listNominations(
  deps: SecretariatDeps,
  actor: Actor,
  campaignId: string,
  query: unknown,
) {
  campaignFor(deps, actor, campaignId);
  const { limit, cursor, q, ...filter } = parseInput(listFilterSchema(), query ?? {}, {
    zh: '筛选条件',
    en: 'filter',
  });
  const [page, aggregate] = await Promise.all([
    deps.store.page(
      campaignId,
      { ...filter, ...(q ? { q } : {}) },
      { ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) },
    ),
    deps.store.counts(campaignId),
  ]);
  const counts: Partial<Record<NominationStatus, number>> = {};
  for (const status of NOMINATION_STATUSES) {
    const count = aggregate[filter.category ? `${status}#${filter.category}` : status] ?? 0;
    if (count > 0 && status !== 'draft') counts[status] = count;
  }
  return { nominations: page.items, cursor: page.cursor, counts };
}

export const honoureeImportSchema = builtOnFirstUse(() =>
  z.strictObject({
    // Every cell is checked for invisible characters by the import itself, row by row.
    csv: z
      .string()
      .min(1)
      .max(350_000)
      .meta({ title: '往届名单 CSV', 'x-title-en': 'Past honourees CSV', 'x-free-text': 'csv' }),
  }),
);

/** Replaces the campaign's 2019–2023 honouree list; every bad row is reported and nothing is kept then. */
export async function importHonourees(
  deps: SecretariatDeps,
  actor: Actor,
  campaignId: string,
  input: unknown,
) {
  const campaign = campaignFor(deps, actor, campaignId);
  const { csv } = parseInput(honoureeImportSchema(), input, { zh: '往届名单', en: 'past-honouree list' });
  const honourees = parseHonoureeCsv(csv, campaign.eligibility.pastHonourYears);
  await deps.campaignStore.saveHonourees(campaignId, honourees);
  return { imported: honourees.length };
}

/** The units invited to the campaign, by name: officers pick a unit by its name, never by its id. */
export async function listUnits(deps: SecretariatDeps, actor: Actor, campaignId: string) {
  campaignFor(deps, actor, campaignId);
  return deps.campaignStore.units(campaignId);
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

/**
 * Ends submissions before the deadline, for every unit, with a reason (who, when and why are kept
 * on the campaign and shown to units); selection may then start. Returned nominations keep their
 * correction windows.
 */
export async function closeSubmissions(
  deps: SecretariatDeps,
  actor: Actor,
  campaignId: string,
  input: unknown,
): Promise<SubmissionClosure> {
  const campaign = campaignFor(deps, actor, campaignId);
  const state = await deps.campaignStore.state(campaignId);
  const closure = checkClosure(
    campaign,
    deps.clock.now(),
    input,
    { subjectId: actor.subjectId, name: actor.name },
    state.submissionsClosed,
  );
  if (closure !== state.submissionsClosed)
    await deps.campaignStore.saveState({ ...state, submissionsClosed: closure });
  return closure;
}
