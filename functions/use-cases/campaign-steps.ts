import * as z from 'zod';
import type { CampaignState, CampaignStore, Objection, ObjectionNominee } from '../ports/campaigns.js';
import type { CampaignJob, CampaignJobStep, JobTaskInput, PlannedMove } from '../ports/jobs.js';
import type { Mailer } from '../ports/mail.js';
import type { PublishedSource } from '../ports/nominations.js';
import type { PublicFiles } from '../ports/public-files.js';
import type { RankingRow, ReviewStore } from '../ports/reviews.js';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { formatChinaTime } from '../rules/calendar.js';
import { type Campaign, campaignIn } from '../rules/campaign.js';
import { CATEGORY_IDS, type CategoryId } from '../rules/categories.js';
import { assertSubmissionsEnded } from '../rules/deadline.js';
import {
  type ForwardLimit,
  forwardLimitSchema,
  type NominationDecision,
  type SelectionDiscretion,
  selectionDecisionSchema,
} from '../rules/discretion.js';
import { DomainError, QuotaExceededError, StoreBusyError } from '../rules/errors.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import { type NominationStatus, RANKED_STATUSES } from '../rules/nomination-status.js';
import {
  type ListedNomination,
  listedName,
  listedNomination,
  searchPrefix,
} from '../rules/nomination-view.js';
import {
  decodeCursor,
  encodeCursor,
  invalidCursor,
  MAX_PAGE,
  type Page,
  type PageRequest,
  pageOf,
  pageSchema,
} from '../rules/paging.js';
import {
  type PublicListKind,
  type PublishedList,
  publishedHtml,
  publishedPaths,
} from '../rules/public-notice.js';
import { quotaOverflow } from '../rules/quota.js';
import { type RankedRow, rankingLines, rankingShownOf } from '../rules/ranking-lines.js';
import { PUBLISHED_FORM_FIELDS, PUBLISHED_SUMMARY_LENGTH } from '../rules/retention.js';
import {
  keptScore,
  reviewedNominationOf,
  reviewsIn,
  type SelectionOutcome,
  scoreNominations,
  selectNominations,
} from '../rules/scoring.js';
import { excerpt, freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import {
  applyJobChunk,
  type CampaignJobDeps,
  CHUNK_SIZE,
  move,
  movedAt,
  planCampaignJob,
  startCampaignJob,
} from './campaign-jobs.js';
import { auditBy, deliverIfDecided, executionInput, submit } from './nominations.js';
import { societyContact, tellOfRelease, tellUnit } from './notices.js';
import { retryOnVersionConflict } from './retry.js';

export interface CampaignStepDeps extends CampaignJobDeps {
  reviews: ReviewStore;
  /** The public notice and the final list, published as static files (only the publishing functions may write). */
  publicFiles: PublicFiles;
  campaignStore: CampaignStore;
  ids: CampaignJobDeps['ids'] & { objectionId(): string };
}

const conflict = (code: string, zh: string, en: string, details?: Record<string, unknown>) =>
  new DomainError({ code, kind: 'conflict', message: { zh, en }, ...(details ? { details } : {}) });

/** The AggregateScores task: the experts' totals, their mean and recommendations, kept on the nomination. */
export async function aggregateScores(
  deps: CampaignStepDeps,
  nominationId: string,
  /** The nomination as the caller just read it: the first attempt spares a read; a retry reads afresh. */
  known?: Nomination,
): Promise<Nomination['score']> {
  let first = known;
  return retryOnVersionConflict(async () => {
    const nomination = first ?? (await deps.store.get(nominationId));
    first = undefined;
    if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
    const reviewedNow = reviewedNominationOf(
      nomination,
      reviewsIn(await deps.reviews.assignments(nomination.id)),
    );
    const [scored] = scoreNominations(campaignIn(deps.campaigns, nomination.campaignId), [reviewedNow]);
    if (!scored) return undefined;
    await deps.reviews.putRankingEntry(nomination.campaignId, reviewedNow);
    const score = keptScore(scored);
    await deps.store.save({ ...nomination, score, version: nomination.version + 1 }, nomination.version);
    return score;
  });
}

export const categoriesSchema = builtOnFirstUse(() =>
  z.strictObject({
    categories: z
      .array(z.enum(CATEGORY_IDS))
      .min(1)
      .optional()
      .meta({ title: '类别', 'x-title-en': 'Categories' }),
  }),
);

/** Campaign-wide steps wait for the end of submissions: the deadline, or an early close with a reason. */
async function assertEndOfSubmissions(
  deps: Pick<CampaignStepDeps, 'campaignStore' | 'clock'>,
  campaign: Campaign,
  step: { zh: string; en: string },
): Promise<void> {
  const { submissionsClosed } = await deps.campaignStore.state(campaign.id);
  assertSubmissionsEnded(campaign, deps.clock.now(), submissionsClosed, step);
}

/**
 * The nominations ranked together — awaiting selection (`scored`) or decided at an earlier one,
 * wherever they have gone since (forwarded, on the notice…), so the quota counts over the whole
 * category — from the stored ranking's small rows alone: no nomination, no review is read. With
 * `category` (and a quota that does not rank all categories together) only that category's rows:
 * one query. Rows written before they carried their nomination's status are placed by the status
 * index, as before.
 */
async function rankedTogether(deps: CampaignStepDeps, campaign: Campaign, category?: CategoryId) {
  const campaignId = campaign.id;
  const alone = category && campaign.selection.quota.scope !== 'total' ? category : undefined;
  const rows = await deps.reviews.rankingEntries(campaignId, alone);
  const statusOf = new Map(rows.map((r) => [r.entry.nominationId, r.status]));
  if (rows.some((r) => r.status === undefined)) {
    const known = await Promise.all(
      RANKED_STATUSES.map(async (s) => [s, await deps.store.idsWithStatus(campaignId, s)] as const),
    );
    for (const [status, ids] of known)
      for (const id of ids) if (statusOf.has(id) && statusOf.get(id) === undefined) statusOf.set(id, status);
  }
  const taking = rows.filter((r) => RANKED_STATUSES.includes(statusOf.get(r.entry.nominationId) as never));
  const scored = new Set(
    taking.filter((r) => statusOf.get(r.entry.nominationId) === 'scored').map((r) => r.entry.nominationId),
  );
  return {
    entries: taking.map((r) => r.entry),
    scored,
    /** The rows as a ranking page reads them: status and what is shown (read later, for a page). */
    ranked: taking.map((r) => ({ row: r, status: statusOf.get(r.entry.nominationId) as NominationStatus })),
  };
}

/**
 * What a ranking page shows of each ranked nomination (name, unit, verdict), from its row; a row
 * written before rows carried it is completed from its nomination (once: the next change of the
 * nomination writes it on the row).
 */
async function rankedRows(
  deps: CampaignStepDeps,
  ranked: readonly { row: RankingRow; status: NominationStatus }[],
): Promise<RankedRow[]> {
  return Promise.all(
    ranked.map(async ({ row, status }) => {
      const shown =
        row.shown ??
        (await deps.store.get(row.entry.nominationId).then((n) => (n ? rankingShownOf(n) : undefined)));
      return {
        nominationId: row.entry.nominationId,
        category: row.entry.category,
        grassroots: row.entry.grassroots === true,
        status,
        shown: shown ?? { name: '', nameKey: '', unitId: '', unitName: '' },
      };
    }),
  );
}

/**
 * The ranking and what the selection would be, for the secretariat to look at before confirming:
 * the nominations still waiting for a selection, ranked with those decided before.
 */
export async function previewSelection(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
): Promise<SelectionOutcome[]> {
  requireRole(actor, ['secretariat'], campaignId);
  return (await preview(deps, campaignIn(deps.campaigns, campaignId))).outcomes;
}

/** The preview (of one category, or all) and the secretariat's decisions it was made with. */
async function preview(deps: CampaignStepDeps, campaign: Campaign, category?: CategoryId) {
  const [{ entries, scored, ranked }, discretion] = await Promise.all([
    rankedTogether(deps, campaign, category),
    deps.campaignStore.selectionDiscretion(campaign.id),
  ]);
  const outcomes = selectNominations(campaign, entries, discretion).filter(
    (o) => scored.has(o.nominationId) && (!category || o.category === category),
  );
  return {
    outcomes,
    discretion,
    ranked: ranked.filter((r) => !category || r.row.entry.category === category),
  };
}

/**
 * Records the secretariat's decision on one nomination awaiting selection — include it or leave
 * it out against the score order, or follow the ranking again — with its reason. Refused when
 * the nomination does not compete (its reviews are incomplete, it is excluded…) or when the
 * inclusions would take more places than the quota gives. The decided nomination, and every
 * other whose proposed verdict it turns round, gets an audit event with the reason. The same
 * decision with the same reason again changes nothing.
 */
export async function decideSelection(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  nominationId: string,
  input: unknown,
): Promise<SelectionOutcome> {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const request = parseInput(selectionDecisionSchema(), input, { zh: '择优决定', en: 'selection decision' });
  const nomination = await deps.store.get(nominationId);
  if (!nomination || nomination.campaignId !== campaignId)
    throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  if (nomination.status !== 'scored') {
    throw conflict(
      'NOT_AWAITING_SELECTION',
      '只能对评审已完成、尚未确认择优的推荐作出择优决定',
      'Only a nomination reviewed and not yet confirmed at selection can be decided on',
    );
  }
  const decision: NominationDecision = {
    nominationId,
    category: nomination.category,
    ...request,
    by: { subjectId: actor.subjectId, name: actor.name },
    at: deps.clock.now().toISOString(),
  };
  return changeDiscretion(deps, actor, campaign, {
    change: (d) => ({
      ...d,
      decisions: [...d.decisions.filter((x) => x.nominationId !== nominationId), decision],
    }),
    unchanged: (d) => {
      const stored = d.decisions.find((x) => x.nominationId === nominationId);
      return stored?.decision === decision.decision && stored.reason === decision.reason;
    },
    save: () => deps.campaignStore.saveSelectionDecision(campaignId, decision),
    decided: nominationId,
    action: `selection-decision:${decision.decision}`,
    reason: decision.reason,
    check: (outcome) => {
      if (decision.decision === 'include' && outcome?.rank === null) {
        throw conflict(
          'NOT_COMPETING',
          `该推荐不参加择优，不能选入：${outcome.message.zh}`,
          `This nomination does not compete for selection and cannot be included: ${outcome.message.en}`,
        );
      }
    },
  }).then((outcomes) => outcomes.find((o) => o.nominationId === nominationId) as SelectionOutcome);
}

/** Forwards fewer than the quota in one category (or the full quota again, with null), with a reason. */
export async function limitForwarding(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  category: string,
  input: unknown,
): Promise<SelectionOutcome[]> {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const request = parseInput(forwardLimitSchema(), input, { zh: '报送数量', en: 'number to forward' });
  if (!(CATEGORY_IDS as readonly string[]).includes(category))
    throw notFound({ zh: '类别', en: 'category' }, category);
  const quota = campaign.selection.quota;
  if (request.forward !== null && quota.scope !== 'unlimited' && request.forward > quota.limit) {
    throw new DomainError({
      code: 'MORE_THAN_QUOTA',
      kind: 'rule',
      path: ['forward'],
      message: {
        zh: `拟报送数量不能多于名额（${quota.limit} 个）`,
        en: `The number to forward cannot exceed the quota of ${quota.limit}`,
      },
    });
  }
  const limit: ForwardLimit = {
    category: category as CategoryId,
    ...request,
    by: { subjectId: actor.subjectId, name: actor.name },
    at: deps.clock.now().toISOString(),
  };
  const outcomes = await changeDiscretion(deps, actor, campaign, {
    change: (d) => ({ ...d, limits: [...d.limits.filter((x) => x.category !== category), limit] }),
    unchanged: (d) => {
      const stored = d.limits.find((x) => x.category === category);
      return stored?.forward === limit.forward && stored.reason === limit.reason;
    },
    save: () => deps.campaignStore.saveForwardLimit(campaignId, limit),
    action: `selection-limit:${limit.forward ?? 'quota'}`,
    reason: limit.reason,
  });
  return outcomes.filter((o) => o.category === category);
}

/**
 * Applies one change to the secretariat's decisions: previews the selection with it, refuses it
 * when inclusions would find no place, stores it, and audits it on each nomination awaiting
 * selection whose verdict it turns round (and on the decided one).
 */
async function changeDiscretion(
  deps: CampaignStepDeps,
  actor: Actor,
  campaign: Campaign,
  how: {
    change: (d: SelectionDiscretion) => SelectionDiscretion;
    unchanged: (d: SelectionDiscretion) => boolean;
    save: () => Promise<void>;
    decided?: string;
    action: string;
    reason: string;
    check?: (outcome: SelectionOutcome | undefined) => void;
  },
): Promise<SelectionOutcome[]> {
  const [{ entries, scored }, before] = await Promise.all([
    rankedTogether(deps, campaign),
    deps.campaignStore.selectionDiscretion(campaign.id),
  ]);
  const waiting = (outcomes: SelectionOutcome[]) => outcomes.filter((o) => scored.has(o.nominationId));
  if (how.unchanged(before)) return waiting(selectNominations(campaign, entries, before));
  const previous = selectNominations(campaign, entries, before);
  const next = selectNominations(campaign, entries, how.change(before));
  how.check?.(next.find((o) => o.nominationId === how.decided));
  const overQuota = next.filter((o) => o.reason === 'included-over-quota');
  if (overQuota.length > 0) {
    throw conflict(
      'NO_PLACE_LEFT',
      '名额已满：秘书处决定选入的推荐多于可报送的名额，请先取消一项选入决定',
      'No place left: the secretariat would include more nominations than it may forward; take one inclusion back first',
    );
  }
  await how.save();
  const was = new Map(previous.map((o) => [o.nominationId, o.selected]));
  const now = deps.clock.now();
  const audited = next.filter(
    (o) =>
      scored.has(o.nominationId) &&
      (o.nominationId === how.decided || was.get(o.nominationId) !== o.selected),
  );
  for (const o of audited)
    await deps.store.appendAudit(auditBy(actor, o.nominationId, now, how.action, how.reason));
  return waiting(next);
}

export const rankingQuerySchema = builtOnFirstUse(() =>
  z.strictObject({
    category: z.enum(CATEGORY_IDS).optional().meta({ title: '类别', 'x-title-en': 'Category' }),
    q: z.string().max(50).optional().meta({ title: '名称', 'x-title-en': 'Name' }),
    unit: z.string().max(64).optional().meta({ title: '推荐单位', 'x-title-en': 'Unit' }),
    ...pageSchema().shape,
  }),
);

/**
 * GET …/ranking: one page of the ranking, of one category or all, in ranking order — the preview
 * of the nominations awaiting selection and the confirmed verdicts of those decided at it, each
 * with its name, unit and status — narrowed to names starting with `q` (folded as name search
 * folds them) and to one unit. A category's page costs one query of its ranking rows (which carry
 * what is shown) and one of the secretariat's decisions, whatever the search: the ranks come from
 * the whole category, so the search narrows the ranked rows, never a page. `summary` counts the
 * whole category (or campaign) unsearched: what confirming it would select.
 */
export async function rankingPage(deps: CampaignStepDeps, actor: Actor, campaignId: string, query: unknown) {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const { category, q, unit, ...request } = parseInput(rankingQuerySchema(), query ?? {}, {
    zh: '排名查询',
    en: 'ranking request',
  });
  const { outcomes, discretion, ranked } = await preview(deps, campaign, category);
  const rows = await rankedRows(deps, ranked);
  const all = rankingLines(outcomes, rows);
  const lines = q || unit ? rankingLines(outcomes, rows, { namePrefix: searchPrefix(q), unitId: unit }) : all;
  const page = pageOf(lines, `ranking#${campaignId}#${category ?? ''}#${q ?? ''}#${unit ?? ''}`, request);
  // The categories forwarding fewer than the quota, with who decided, when and why.
  const limits = discretion.limits.filter(
    (l) => l.forward !== null && (!category || l.category === category),
  );
  const awaiting = all.filter((l) => !l.confirmed);
  const summary = {
    selected: awaiting.filter((l) => l.selected).length,
    notSelected: awaiting.filter((l) => !l.selected).length,
    confirmed: all.length - awaiting.length,
    found: lines.length,
    /** The last nomination within the places, in the whole ranking: where the quota line is drawn. */
    quotaLineAfter: all.findLast((l) => l.rank !== null && l.selected)?.nominationId ?? null,
  };
  return { outcomes: page.items, cursor: page.cursor, limits, summary };
}

/**
 * Confirms the selection of the given categories (all by default): the best within the
 * organizer's quota are selected, the rest not; refused while any nomination of those categories
 * is still awaiting screening or reviews, since the ranking would not be final. The ranking is
 * decided here, once, and stored as the job's plan; the job moves the nominations.
 */
export async function confirmSelection(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  input: unknown,
): Promise<CampaignJob | undefined> {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const { categories = [...CATEGORY_IDS] } = parseInput(categoriesSchema(), input, {
    zh: '择优确认',
    en: 'selection',
  });
  await assertEndOfSubmissions(deps, campaign, { zh: '确认择优', en: 'the selection' });
  const counts = await deps.store.counts(campaignId);
  const countOf = (status: NominationStatus) =>
    categories.reduce((sum, c) => sum + (counts[`${status}#${c}`] ?? 0), 0);
  const pending: Record<string, number> = {};
  for (const status of ['submitted', 'in-review', 'returned'] as const)
    if (countOf(status) > 0) pending[status] = countOf(status);
  const pendingTotal = Object.values(pending).reduce((a, b) => a + b, 0);
  if (pendingTotal > 0) {
    throw conflict(
      'SELECTION_PREMATURE',
      `还有 ${pendingTotal} 份推荐未完成初核或评审，暂不能确认择优`,
      `${pendingTotal} nomination(s) have not finished screening or review; the selection cannot be confirmed yet`,
      { pending },
    );
  }
  // A society's selection is checked against its places in the parent round before anything
  // starts, so the secretariat is told at once (its round is a society's, a few hundred).
  if (campaign.forwardTo) await selectionPlan(deps, campaign, categories);
  return startCampaignJob(deps, actor, {
    campaignId,
    jobId: `selection-${[...new Set(categories)].sort().join('.')}`,
    step: 'selection',
    categories,
    pending: countOf('scored') > 0,
  });
}

/**
 * The selection's moves: the ranking with its quota line, decided once by the job. Ranked together
 * with every nomination of the campaign already decided, wherever it has gone since (forwarded,
 * on the notice…), so a selection confirmed for more categories, or again once more were scored,
 * counts the quota over the whole category. Read from the stored ranking's small rows.
 */
async function selectionPlan(
  deps: CampaignStepDeps,
  campaign: Campaign,
  categories: readonly CategoryId[],
): Promise<PlannedMove[]> {
  const [{ entries, scored, ranked }, discretion] = await Promise.all([
    rankedTogether(deps, campaign),
    deps.campaignStore.selectionDiscretion(campaign.id),
  ]);
  // The unit each is told through (a row written before rows named it has none: told alone).
  const unitOf = new Map(ranked.map(({ row }) => [row.entry.nominationId, row.shown?.unitId]));
  const outcomes = selectNominations(campaign, entries, discretion);
  const moves: PlannedMove[] = outcomes
    .filter((o) => scored.has(o.nominationId) && categories.includes(o.category))
    .map((o) => ({
      nominationId: o.nominationId,
      category: o.category,
      ...withUnit(unitOf.get(o.nominationId)),
      action: o.selected ? 'select' : 'not-select',
      selection: {
        rank: o.rank,
        selected: o.selected,
        message: o.message,
        ...(o.againstRanking ? { againstRanking: o.againstRanking } : {}),
      },
    }));
  await assertPlacesInParent(
    deps,
    campaign,
    outcomes,
    new Set(moves.filter((m) => m.action === 'select').map((m) => m.nominationId)),
  );
  return moves;
}

const withUnit = (unitId: string | undefined) => (unitId === undefined ? {} : { unitId });

/** What a job moves, decided by its first task: a page of the status index at a time, or the selection's ranking. */
async function* plannedMoves(
  deps: CampaignStepDeps,
  job: CampaignJob,
): AsyncGenerator<readonly PlannedMove[]> {
  if (job.step === 'selection') {
    yield await selectionPlan(
      deps,
      campaignIn(deps.campaigns, job.campaignId),
      job.categories ?? CATEGORY_IDS,
    );
    return;
  }
  const [status, action] =
    job.step === 'publicity'
      ? (['forwarded', 'open-publicity'] as const)
      : (['in-publicity', 'release'] as const);
  let cursor: string | null = null;
  do {
    const page: Page<ListedNomination> = await deps.store.page(
      job.campaignId,
      { status },
      { limit: MAX_PAGE, ...(cursor ? { cursor } : {}) },
    );
    yield page.items.map((n) => ({ nominationId: n.id, category: n.category, unitId: n.unitId, action }));
    cursor = page.cursor;
  } while (cursor);
}

/**
 * A society forwards its selected nominations into the parent round on its own quota there, which
 * its ledger in that round counts (its own nominations there too): a selection that would forward
 * more than the places left is refused before anything moves, so no Forward fails half-way. The
 * nominations selected earlier and not yet forwarded count too.
 */
async function assertPlacesInParent(
  deps: CampaignStepDeps,
  campaign: Campaign,
  outcomes: readonly SelectionOutcome[],
  selectedNow: ReadonlySet<string>,
): Promise<void> {
  if (!campaign.forwardTo || selectedNow.size === 0) return;
  const parent = campaignIn(deps.campaigns, campaign.forwardTo.campaignId);
  const [ledger, notYetForwarded] = await Promise.all([
    deps.store.quotaLedger(parent.id, campaign.id),
    deps.store.idsWithStatus(campaign.id, 'selected'),
  ]);
  const waiting = new Set(notYetForwarded);
  const forwarding = outcomes.filter((o) => selectedNow.has(o.nominationId) || waiting.has(o.nominationId));
  const over = quotaOverflow(
    parent,
    campaign.forwardTo.asUnitType,
    ledger,
    forwarding.map((o) => o.category),
  );
  if (over) {
    throw conflict(
      'PARENT_QUOTA_FULL',
      `${over.message.zh}。请减少该类别的报送数量，或取消一项选入决定`,
      `${over.message.en}. Forward fewer in this category, or take an inclusion back`,
      { category: over.category, left: over.left, selecting: over.adding },
    );
  }
}

/** What the secretariat sees of a job: its progress, and its outcome once done. */
export const campaignJobViewSchema = builtOnFirstUse(() =>
  z
    .object({
      id: z.string(),
      step: z.enum(['selection', 'publicity', 'release', 'package', 'erasure', 'review-clock']),
      status: z.enum(['running', 'done', 'failed']),
      total: z.number().int().describe('Nominations the job moves (or packs)'),
      moved: z.number().int().describe('Moved (or packed) so far'),
      startedAt: z.string(),
      finishedAt: z.string().optional(),
      error: z.string().optional().describe('Why a failed job stopped; sending the step again goes on'),
    })
    .meta({ title: '批处理', 'x-title-en': 'Campaign-wide job' }),
);
export type CampaignJobView = z.infer<ReturnType<typeof campaignJobViewSchema>>;

export const jobView = (job: CampaignJob): CampaignJobView => ({
  id: job.id,
  step: job.step,
  status: job.status,
  total: job.total,
  moved: job.done ?? Math.min(job.total, job.movedChunks * CHUNK_SIZE),
  startedAt: job.startedAt,
  ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  ...(job.error ? { error: job.error } : {}),
});

/**
 * The answer to a campaign-wide step, the same whether the request that started the job gives it
 * or a later look at the job: its progress, and once done the step's own answer (the publicity
 * window, how many were released). A selection's answer counts its outcomes (`counts`) and lists
 * them a page at a time from its stored plan (`outcomes`, at most 100, and the `cursor` of the
 * next page, read at `GET …/jobs/{jobId}?cursor=…`): a round's selection never answers whole.
 */
export async function jobAnswer(deps: CampaignStepDeps, job: CampaignJob | undefined, query: unknown = {}) {
  if (!job) return { job: null };
  const request = parseInput(jobPageSchema(), query ?? {}, { zh: '批处理结果查询', en: 'job request' });
  if (job.step !== 'selection' || job.status !== 'done') return { job: jobView(job), ...job.summary };
  const [counts, page] = await Promise.all([selectionCounts(deps, job), planPage(deps, job, request)]);
  return {
    job: jobView(job),
    ...job.summary,
    counts,
    outcomes: page.items.map((m) => ({ nominationId: m.nominationId, category: m.category, ...m.selection })),
    cursor: page.cursor,
  };
}

/** The query of a paged list that takes nothing else: `GET …/jobs/{jobId}` (a selection's outcomes), `GET …/objections`. */
export const jobPageSchema = builtOnFirstUse(() => z.strictObject(pageSchema().shape));

/** How many the selection selected and left out: counted as the job planned (read whole from older plans). */
async function selectionCounts(deps: CampaignStepDeps, job: CampaignJob) {
  const tally = job.tally ?? countActions(await planOf(deps, job));
  return { selected: tally.select ?? 0, notSelected: tally['not-select'] ?? 0 };
}

const countActions = (moves: readonly PlannedMove[]) => {
  const tally: NonNullable<CampaignJob['tally']> = {};
  for (const m of moves) tally[m.action] = (tally[m.action] ?? 0) + 1;
  return tally;
};

async function planOf(deps: CampaignStepDeps, job: CampaignJob): Promise<PlannedMove[]> {
  const chunks = await Promise.all(Array.from({ length: job.chunks }, (_, i) => deps.jobs.planChunk(job, i)));
  return chunks.flat();
}

/**
 * One page of a job's stored plan, in plan order: the cursor names the chunk and the place in it,
 * so a page reads one chunk or two (a chunk holds 100 moves) however long the plan. A cursor of
 * another job, or of an earlier plan of this one, is a 400.
 */
async function planPage(
  deps: CampaignStepDeps,
  job: CampaignJob,
  request: PageRequest,
): Promise<Page<PlannedMove>> {
  const list = `job#${job.campaignId}#${job.id}#${job.planId}`;
  const limit = request.limit ?? MAX_PAGE;
  const at = decodeCursor(request.cursor, list);
  let chunk = at?.part ?? 0;
  let offset = at?.offset ?? 0;
  if (chunk >= job.chunks && at) throw invalidCursor();
  const items: PlannedMove[] = [];
  while (items.length < limit && chunk < job.chunks) {
    const moves = await deps.jobs.planChunk(job, chunk);
    const taken = moves.slice(offset, offset + limit - items.length);
    items.push(...taken);
    offset += taken.length;
    if (offset >= moves.length) {
      chunk += 1;
      offset = 0;
    }
  }
  return { items, cursor: chunk < job.chunks ? encodeCursor({ list, part: chunk, offset }) : null };
}

/** A job of the campaign, for the secretariat waiting on it (a finished selection's outcomes a page at a time). */
export async function campaignJob(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  jobId: string,
  query: unknown = {},
) {
  requireRole(actor, ['secretariat'], campaignId);
  const job = await deps.jobs.job(campaignId, jobId);
  if (!job) throw notFound({ zh: '批处理', en: 'job' }, jobId);
  return jobAnswer(deps, job, query);
}

/**
 * How a job whose moves are not status moves is planned, applied and ended — the erasure
 * (functions/use-cases/retention.ts) and a day of the review clock
 * (functions/use-cases/review-clock.ts) — where the job's function holds their grants.
 */
export interface OwnJobSteps {
  plan(job: CampaignJob): AsyncIterable<readonly PlannedMove[]>;
  apply(planned: PlannedMove, job: CampaignJob): Promise<void>;
  finish(job: CampaignJob): Promise<void>;
}

/** The steps with their own moves, by step. */
export type OwnSteps = Partial<Record<CampaignJobStep, OwnJobSteps>>;

const ownStepsOf = (job: CampaignJob, own: OwnSteps | undefined): OwnJobSteps | undefined => {
  if (job.step !== 'erasure' && job.step !== 'review-clock') return undefined;
  const steps = own?.[job.step];
  if (!steps)
    throw new Error(`this function does not run ${job.step} jobs (it is not the campaign-job function)`);
  return steps;
};

/**
 * The job's task: one chunk of its plan; the release job ends by marking the campaign released.
 * An erasure job or a day of the review clock is planned, applied and ended by `own`, which only
 * the job's own function is given.
 */
export function runCampaignJobChunk(deps: CampaignStepDeps, input: JobTaskInput, own?: OwnSteps) {
  return applyJobChunk(
    deps,
    input,
    (job) => finishStep(deps, job, own),
    (job) => {
      const steps = ownStepsOf(job, own);
      return steps ? (planned) => steps.apply(planned, job) : undefined;
    },
  );
}

/** The job's first task: plans the step (see plannedMoves), a page at a time. */
export function planCampaignJobTask(deps: CampaignStepDeps, input: JobTaskInput, own?: OwnSteps) {
  return planCampaignJob(
    deps,
    input,
    (job) => ownStepsOf(job, own)?.plan(job) ?? plannedMoves(deps, job),
    (job) => finishStep(deps, job, own),
  );
}

/** The end of a step's job: the release marks the campaign released; publicity and release publish the lists. */
async function finishStep(deps: CampaignStepDeps, job: CampaignJob, own?: OwnSteps) {
  const steps = ownStepsOf(job, own);
  if (steps) return steps.finish(job);
  if (job.step === 'selection') return;
  if (job.step === 'release') {
    const state = await deps.campaignStore.state(job.campaignId);
    if (!state.releasedAt) await deps.campaignStore.saveState({ ...state, releasedAt: job.startedAt });
  }
  await publishPublicLists(deps, job.campaignId);
}

/**
 * The Forward task. In a round that forwards (a society's), the nomination enters the parent
 * round as a nomination of the organizing society, counted against its quota there, with its own
 * execution; in the top round it is forwarded to publicity.
 */
export async function forward(
  deps: CampaignStepDeps,
  nominationId: string,
  /** The nomination as the caller just read it (spares a read). */
  known?: Nomination,
  /**
   * The publicity step's token, when its task forwards before it waits: forwarded to publicity,
   * the nomination keeps it by the move's own transaction (its item put there with the small
   * item), so arming the step takes no write of its own.
   */
  awaiting?: NonNullable<Nomination['awaiting']>,
): Promise<{ toParent: boolean; armed?: Pick<Nomination, 'status' | 'awaiting'> }> {
  const nomination = known ?? (await deps.store.get(nominationId));
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const campaign = campaignIn(deps.campaigns, nomination.campaignId);
  if (nomination.status === 'forwarded') {
    // Moved by a run cut short before it told the unit: tell it now (once).
    if (nomination.forwardedAs) await tellUnit(deps, nomination, 'forward');
    return { toParent: Boolean(nomination.forwardedAs) };
  }
  if (!campaign.forwardTo) {
    const moved = await move(
      deps,
      nominationId,
      'forward',
      'system',
      awaiting ? { awaiting } : {},
      undefined,
      false,
      nomination,
    );
    return { toParent: false, ...(awaiting ? { armed: moved } : {}) };
  }
  const parent = campaignIn(deps.campaigns, campaign.forwardTo.campaignId);
  // Named after the source nomination, so a retried task finds the same parent nomination.
  const parentId = `${nominationId}-p`;
  const now = deps.clock.now().toISOString();
  const existing = await deps.store.get(parentId);
  if (!existing) {
    // Nothing is written in the parent round without a place there: the selection was checked
    // against the society's places, but its own nominations in the parent round may have taken
    // one since. The submit's transaction below stays the authority.
    const over = quotaOverflow(
      parent,
      campaign.forwardTo.asUnitType,
      await deps.store.quotaLedger(parent.id, campaign.id),
      [nomination.category],
    );
    if (over) {
      throw new QuotaExceededError(over.message, {
        unitType: campaign.forwardTo.asUnitType,
        category: over.category,
        left: over.left,
      });
    }
    // The society round's own verdicts (its score, rank, reasons, waiting step) mean nothing in
    // the parent round, which screens, reviews and ranks the nomination afresh.
    const {
      score: _score,
      selection: _selection,
      awaiting: _awaiting,
      reasons: _reasons,
      correctionUntil: _correctionUntil,
      forwardedAs: _forwardedAs,
      // Submitted in the parent round under the parent's version.
      campaignVersion: _campaignVersion,
      // The society is the recommending unit there: CAST writes to it, not to its member.
      unitEmail: memberEmail,
      ...materials
    } = nomination;
    const societyEmail = societyContact(campaign)?.email;
    await deps.store.create(
      {
        ...materials,
        id: parentId,
        campaignId: parent.id,
        unitId: campaign.id,
        unitType: campaign.forwardTo.asUnitType,
        unitName: campaign.organizer.name.zh,
        ...(societyEmail ? { unitEmail: societyEmail } : {}),
        forwardedFrom: {
          campaignId: campaign.id,
          nominationId,
          unitName: nomination.unitName,
          ...(memberEmail ? { unitEmail: memberEmail } : {}),
        },
        status: 'draft',
        version: 1,
        createdAt: now,
        updatedAt: now,
        eligibility: [],
      } satisfies Nomination,
      {
        nominationId: parentId,
        at: now,
        actor: { role: 'system', subjectId: campaign.id, name: campaign.organizer.name.zh },
        action: `forwarded-from:${nominationId}`,
      },
    );
  }
  const inParent = await deps.store.get(parentId);
  if (inParent?.status === 'draft') {
    await submit(deps, organizerActor(campaign, parent.id, campaign.forwardTo.asUnitType), parentId, {
      version: inParent.version,
      // The society, the recommending unit in the parent round, confirms the parent's notice: its
      // own round's submission confirmed the nominee's consent (its notice tells of forwarding).
      // Never refused here: a task refused for a rule would stop the nomination for good.
      consent: { informed: true, noticeVersion: parent.privacy.notice.version },
      // Likewise its declarations: its member units made its own round's at their submission.
      declarations: {
        version: parent.declarations.version,
        confirmed: parent.declarations.items.map((item) => item.id),
      },
    });
  } else if (inParent?.status === 'submitted') {
    // Submitted by a run cut short before it started the parent's execution: start it now (a
    // repeat with the same input is the same execution).
    await deps.workflow.startExecution(
      parentId,
      executionInput({ id: parentId, campaignId: parent.id }, 'unknown'),
    );
  }
  // The execution runs this very task: no step of it waits to be answered.
  const forwarded = await move(
    deps,
    nominationId,
    'forward',
    'system',
    { forwardedAs: { campaignId: parent.id, nominationId: parentId } },
    undefined,
    false,
  );
  await tellUnit(deps, forwarded, 'forward');
  return { toParent: true };
}

/** Submits a forwarded nomination in the parent round on behalf of the organizing society. */
export function organizerActor(campaign: Campaign, parentCampaignId: string, unitType: string): Actor {
  return {
    role: 'unit',
    campaignId: parentCampaignId,
    subjectId: campaign.id,
    name: campaign.organizer.name.zh,
    email: '',
    unitType,
  };
}

/**
 * Opens publicity: every forwarded nomination of the campaign goes on the public notice for the
 * campaign's period. The period starts with this request; the job puts the nominations on the notice.
 */
export async function openPublicity(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
): Promise<CampaignJob | undefined> {
  requireRole(actor, ['secretariat'], campaignId);
  const campaign = campaignIn(deps.campaigns, campaignId);
  const publicity = campaign.publicity;
  if (!publicity) {
    throw conflict(
      'NO_PUBLICITY',
      '本轮活动不单独公示：入选者在上级活动中公示',
      'This round publishes no notice of its own: its candidates are published in the parent round',
    );
  }
  await assertEndOfSubmissions(deps, campaign, { zh: '公示', en: 'publicity' });
  const [state, counts, job] = await Promise.all([
    deps.campaignStore.state(campaignId),
    deps.store.counts(campaignId),
    deps.jobs.job(campaignId, 'publicity'),
  ]);
  const forwarded = counts.forwarded ?? 0;
  if (job?.status !== 'running' && forwarded === 0) {
    throw state.publicity
      ? conflict('PUBLICITY_OPEN', '公示已经开始', 'Publicity has already been opened')
      : conflict('NOTHING_TO_PUBLISH', '没有可公示的推荐', 'Nothing has been forwarded for publicity');
  }
  const now = deps.clock.now();
  // Opened by an earlier request (perhaps cut short): the rest go on the notice for the period already announced.
  const opened: CampaignState = state.publicity
    ? state
    : await deps.campaignStore.openPublicity({
        ...state,
        publicity: {
          openedAt: now.toISOString(),
          closesAt: new Date(now.getTime() + publicity.days * 86_400_000).toISOString(),
        },
      });
  return startCampaignJob(deps, actor, {
    campaignId,
    jobId: 'publicity',
    step: 'publicity',
    pending: forwarded > 0,
    summary: { state: opened },
  });
}

export interface PublicEntry {
  nominationId: string;
  category: CategoryId;
  name: string;
  unitName: string;
  /** The deeds' start in at most 200 characters, ending "……" when cut: no phone numbers or addresses are ever published. */
  summary: string;
}

/** What the public sees: category, name, recommending unit and a summary of the deeds — nothing personal. */
export function publicEntry(n: Nomination): PublicEntry {
  return publishedEntryOf({
    id: n.id,
    category: n.category,
    // The name as lists show it: a form that does not give one never stops a publication.
    name: listedNomination(n).name,
    unitName: n.unitName,
    deeds: String((n.form as Record<string, unknown>)[PUBLISHED_FORM_FIELDS[n.category].deeds] ?? ''),
  });
}

/** The entry of what the store reads for the public lists (its name as lists show it, its deeds field). */
const publishedEntryOf = (source: PublishedSource): PublicEntry => ({
  nominationId: source.id,
  category: source.category,
  name: source.name,
  unitName: source.unitName,
  summary: excerpt(source.deeds, PUBLISHED_SUMMARY_LENGTH),
});

/** What publishing the public lists reads and writes. */
export type PublishingDeps = Pick<
  CampaignStepDeps,
  'campaigns' | 'campaignStore' | 'store' | 'clock' | 'publicFiles'
>;

export async function publicList(
  deps: Omit<PublishingDeps, 'publicFiles'>,
  campaignId: string,
  which: PublicListKind,
): Promise<PublishedList> {
  campaignIn(deps.campaigns, campaignId);
  const state = await deps.campaignStore.state(campaignId);
  const status = which === 'publicity' ? 'in-publicity' : 'released';
  // A page at a time, each row what the list shows and no more: memory holds the entries (a few
  // hundred bytes each), never the nominations.
  const entries: PublicEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<PublishedSource> = await deps.store.publishedPage(
      campaignId,
      status,
      cursor ? { cursor } : {},
    );
    entries.push(...page.items.map(publishedEntryOf));
    cursor = page.cursor;
  } while (cursor);
  return { state, entries, publishedAt: deps.clock.now().toISOString() };
}

/**
 * Publishes the campaign's public notice (once publicity is open) and final list (once released)
 * to the web bucket as JSON and as a pre-rendered page: run when a job puts nominations on the
 * notice or releases them, and when an upheld objection takes one off. Visitors read only these
 * files, through CloudFront; writing the same list again is harmless.
 */
export async function publishPublicLists(deps: PublishingDeps, campaignId: string): Promise<void> {
  const campaign = campaignIn(deps.campaigns, campaignId);
  const state = await deps.campaignStore.state(campaignId);
  const kinds: PublicListKind[] = [
    ...(state.publicity ? (['publicity'] as const) : []),
    ...(state.releasedAt ? (['released'] as const) : []),
  ];
  for (const kind of kinds) {
    const list = await publicList(deps, campaignId, kind);
    const paths = publishedPaths(campaignId, kind);
    await deps.publicFiles.publish(paths.json, JSON.stringify(list), 'application/json; charset=utf-8');
    await deps.publicFiles.publish(
      paths.html,
      publishedHtml(campaign.name, kind, list),
      'text/html; charset=utf-8',
    );
  }
}

export const objectionSchema = builtOnFirstUse(() =>
  z.strictObject({
    nominationId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/)
      .meta({ title: '异议对象', 'x-title-en': 'Nomination' }),
    reason: freeText({ max: 2000, min: 10, multiLine: true }).meta({
      title: '异议理由',
      'x-title-en': 'Reason',
    }),
    name: freeText({ max: 50, min: 1 }).meta({ title: '姓名', 'x-title-en': 'Your name' }),
    contact: freeText({ max: 100, min: 3 }).meta({ title: '联系方式', 'x-title-en': 'How to reach you' }),
  }),
);

/** Anyone may object to a nomination on the public notice while publicity is open. */
export async function submitObjection(
  deps: CampaignStepDeps,
  campaignId: string,
  input: unknown,
): Promise<{ id: string }> {
  const request = parseInput(objectionSchema(), input, { zh: '异议', en: 'objection' });
  const state = await deps.campaignStore.state(campaignId);
  const now = deps.clock.now();
  if (!state.publicity || now.toISOString() >= state.publicity.closesAt) {
    throw conflict(
      'PUBLICITY_CLOSED',
      '当前不在公示期内，不能提出异议',
      'Publicity is not open; objections are not accepted now',
    );
  }
  const nomination = await deps.store.get(request.nominationId);
  if (!nomination || nomination.campaignId !== campaignId || nomination.status !== 'in-publicity') {
    throw notFound({ zh: '公示对象', en: 'nomination on the notice' }, request.nominationId);
  }
  const objection: Objection = {
    id: deps.ids.objectionId(),
    campaignId,
    ...request,
    submittedAt: now.toISOString(),
    nominee: nomineeOf(nomination),
  };
  await deps.campaignStore.addObjection(objection);
  return { id: objection.id };
}

export const resolutionSchema = builtOnFirstUse(() =>
  z.strictObject({
    decision: z.enum(['uphold', 'dismiss']).meta({ title: '处理结论', 'x-title-en': 'Decision' }),
    note: freeText({ max: 2000, min: 1, multiLine: true }).meta({ title: '处理说明', 'x-title-en': 'Note' }),
  }),
);

/** Resolves an objection once: upheld, the nomination is withdrawn from the list (its slot is not freed unless the campaign allows). */
export async function resolveObjection(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  objectionId: string,
  input: unknown,
): Promise<Objection> {
  requireRole(actor, ['secretariat'], campaignId);
  const request = parseInput(resolutionSchema(), input, { zh: '异议处理', en: 'objection resolution' });
  const objection = await deps.campaignStore.objection(campaignId, objectionId);
  if (!objection) throw notFound({ zh: '异议', en: 'objection' }, objectionId);
  const resolution = { ...request, at: deps.clock.now().toISOString(), by: actor.subjectId };
  if (!(await deps.campaignStore.resolveObjection(campaignId, objectionId, resolution))) {
    // Resolved already — perhaps by this very decision in a request cut short (a crash, a lost
    // answer) before it withdrew the nomination or told the unit: finish that, then answer a
    // repeat of the same request as the first was answered, and refuse a different one.
    const stored =
      objection.resolution ?? (await deps.campaignStore.objection(campaignId, objectionId))?.resolution;
    // The same request again: its decision and note, once what it began is finished. Another's
    // (a colleague's, a changed note) is refused, saying what stands, rather than told it took; it
    // finishes a withdrawal left undone too, but one another run is at (BUSY: the first, sent at
    // the same moment) is left to that run — the answer to this request is a refusal either way.
    const same = stored?.decision === request.decision && stored.note === request.note;
    if (stored?.decision === 'uphold')
      await withdrawAfterObjection(deps, actor, { ...objection, resolution: stored }).catch(
        (error: unknown) => {
          if (same || !(error instanceof StoreBusyError)) throw error;
        },
      );
    if (same) return { ...objection, resolution: stored };
    const was =
      stored?.decision === 'uphold' ? { zh: '成立', en: 'upheld' } : { zh: '不成立', en: 'dismissed' };
    throw conflict(
      'ALREADY_RESOLVED',
      `该异议已处理，结论为“异议${was.zh}”，不能再改`,
      `This objection has already been resolved (${was.en}); its resolution cannot change`,
    );
  }
  if (request.decision === 'uphold') await withdrawAfterObjection(deps, actor, { ...objection, resolution });
  return { ...objection, resolution };
}

/** An upheld objection takes the nomination off the list and answers its execution (again, if need be). */
async function withdrawAfterObjection(
  deps: CampaignStepDeps,
  actor: Actor,
  objection: Objection,
): Promise<void> {
  const current = await deps.store.get(objection.nominationId);
  const note = objection.resolution?.note ?? '';
  const details = [{ label: { zh: '处理说明', en: 'Note' }, value: note }];
  if (current?.status === 'in-publicity') {
    let withdrawn: Nomination;
    try {
      withdrawn = await move(deps, objection.nominationId, 'uphold-objection', actor, {}, note);
    } catch (error) {
      // Another request withdrew it first (a second upheld objection to it, or the repeat of this
      // one): the withdrawal stands, and what follows it is finished below.
      if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      if ((await deps.store.get(objection.nominationId))?.status !== 'withdrawn-after-objection') throw error;
      return withdrawAfterObjection(deps, actor, objection);
    }
    await publishPublicLists(deps, objection.campaignId);
    await tellUnit(deps, withdrawn, 'withdrawn-after-objection', { details });
  } else if (current?.status === 'withdrawn-after-objection') {
    // A request cut short after the move: publish the list without it (again) and answer its execution.
    await publishPublicLists(deps, objection.campaignId);
    await deliverIfDecided(deps.workflow, current);
    await tellUnit(deps, current, 'withdrawn-after-objection', { details });
  }
}

/**
 * An upheld objection whose request stopped after storing its resolution (a crash, a failure of
 * the store, Step Functions or the mail) may have left its nomination on the notice, its
 * execution unanswered or its unit untold: each is finished now, before the release would put it
 * on the final list — withdrawAfterObjection does only what is left (an execution answered
 * before is closed, a notice sent before is not sent again). Upheld objections are few.
 */
async function finishWithdrawals(deps: CampaignStepDeps, actor: Actor, objections: readonly Objection[]) {
  for (const objection of objections)
    if (objection.resolution?.decision === 'uphold') await withdrawAfterObjection(deps, actor, objection);
}

/**
 * Release, after the publicity period with every objection resolved: each nomination still on
 * the notice is released and its execution answered; the job ends by publishing the campaign's
 * final list.
 */
export async function release(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
): Promise<CampaignJob | undefined> {
  requireRole(actor, ['secretariat'], campaignId);
  const state = await deps.campaignStore.state(campaignId);
  const now = deps.clock.now().toISOString();
  if (!state.publicity)
    throw conflict('PUBLICITY_NOT_OPENED', '尚未公示，不能发布', 'Publicity has not been opened');
  await assertEndOfSubmissions(deps, campaignIn(deps.campaigns, campaignId), {
    zh: '正式发布',
    en: 'release',
  });
  if (state.releasedAt) throw conflict('ALREADY_RELEASED', '已正式发布', 'Already released');
  if (now < state.publicity.closesAt) {
    throw conflict(
      'PUBLICITY_RUNNING',
      `公示期至 ${formatChinaTime(new Date(state.publicity.closesAt))} 结束，届时方可发布`,
      `Publicity runs until ${formatChinaTime(new Date(state.publicity.closesAt))}; release after that`,
    );
  }
  const objections = await deps.campaignStore.objections(campaignId);
  const open = objections.filter((o) => !o.resolution);
  if (open.length > 0) {
    throw conflict(
      'OBJECTIONS_OPEN',
      `还有 ${open.length} 条异议未处理`,
      `${open.length} objection(s) are not resolved yet`,
    );
  }
  await finishWithdrawals(deps, actor, objections);
  // What the final list will hold, from the counts aggregate: those on the notice and any released by a run cut short.
  const counts = await deps.store.counts(campaignId);
  const onList = (c?: CategoryId) =>
    (['in-publicity', 'released'] as const).reduce((sum, s) => sum + (counts[c ? `${s}#${c}` : s] ?? 0), 0);
  const job = await startCampaignJob(deps, actor, {
    campaignId,
    jobId: 'release',
    step: 'release',
    pending: (counts['in-publicity'] ?? 0) > 0,
    summary: { released: onList(), categories: CATEGORY_IDS.filter((c) => onList(c) > 0).length },
  });
  if (!job) {
    // Nothing on the notice (every nomination withdrawn after objections): released, with an empty list.
    await deps.campaignStore.saveState({ ...state, releasedAt: now });
    await publishPublicLists(deps, campaignId);
  }
  return job;
}

/**
 * The Release task of executions started before the release job told the units itself (Step
 * Functions runs an execution to its end on the definition it started with). It still mails, and
 * does not merely answer: a release made by the job's code of before this change told no one, and
 * only this task will. It races the job's own notice (the job answers the execution just before it
 * tells the unit), so both go through mailOnce, keyed on the release's audit event: the send
 * claims that key with a conditional write first, and of two senders at the same moment one sends
 * and the other finds it sent or retries — never both.
 */
export async function notifyRelease(deps: CampaignStepDeps & { send: Mailer }, nominationId: string) {
  const nomination = await deps.store.get(nominationId);
  if (!nomination) return { notified: false };
  const releasedAt = await movedAt(deps, nomination, 'release');
  return { notified: await tellOfRelease(deps, nomination, releasedAt as string) };
}

/** The objections to the campaign's public notice, for its secretariat. */
const nomineeOf = (n: Nomination): ObjectionNominee => ({
  name: listedName(n),
  category: n.category,
  unitName: n.unitName,
});

/**
 * One page of the campaign's objections (at most 100: each may hold 2,000 characters, so the
 * whole list could pass what one answer carries) and the next page's cursor, each naming whom it
 * is about (recorded with it; an objection kept before it was, or one whose record the erasure
 * emptied, names them from the nomination).
 */
export async function listObjections(
  deps: CampaignStepDeps,
  actor: Actor,
  campaignId: string,
  query: unknown,
): Promise<{
  objections: (Omit<Objection, 'nominee'> & { nominee: ObjectionNominee | null })[];
  cursor: string | null;
}> {
  requireRole(actor, ['secretariat'], campaignId);
  const request = parseInput(jobPageSchema(), query ?? {}, { zh: '异议列表', en: 'objections request' });
  const page = await deps.campaignStore.objectionsPage(campaignId, request);
  const objections = await Promise.all(
    page.items.map(async (o) => {
      if (o.nominee) return { ...o, nominee: o.nominee };
      const nomination = await deps.store.get(o.nominationId);
      return { ...o, nominee: nomination ? nomineeOf(nomination) : null };
    }),
  );
  return { objections, cursor: page.cursor };
}
