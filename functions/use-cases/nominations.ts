import * as z from 'zod';
import type { CampaignStore } from '../ports/campaigns.js';
import { isRefusedForGood, type Mail, type Mailer } from '../ports/mail.js';
import type { AuditEvent, NominationStore, NoticeOutcome, NoticeSettlement } from '../ports/nominations.js';
import type { Clock } from '../ports/system.js';
import type { Workflow } from '../ports/workflow.js';
import { type Actor, requireRole } from '../rules/access.js';
import { assertAttachmentsComplete } from '../rules/attachments.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { chinaDateAt } from '../rules/calendar.js';
import { assertCategoryInCampaign, type Campaign, campaignIn } from '../rules/campaign.js';
import { CATEGORY_IDS, type CategoryId } from '../rules/categories.js';
import { consentConfirmationSchema, consentRecord } from '../rules/consent.js';
import { assertResubmissionOpen, assertSubmissionOpen } from '../rules/deadline.js';
import { declarationConfirmationSchema, declarationRecord } from '../rules/declarations.js';
import { DomainError, StoreBusyError } from '../rules/errors.js';
import { checkNomination, type FormCheck } from '../rules/form-check.js';
import { parseDraft, parseForm } from '../rules/forms/index.js';
import { buildHonoureeIndex, type Honouree } from '../rules/honourees.js';
import { assertCanRead, type Nomination, notFound, transition } from '../rules/nomination.js';
import type { ListedNomination } from '../rules/nomination-view.js';
import { pageSchema } from '../rules/paging.js';
import { type QuotaDecision, quotaDecision, quotaSlotChange } from '../rules/quota.js';
import { outcomeFromStatus, stepAnswer } from '../rules/steps.js';
import { parseInput } from '../rules/validation.js';

/**
 * Answers the waiting step with `outcome`, the way its state asked to be answered (rules/steps.ts
 * stepAnswer): the way on succeeds the task, a detour fails it under the detour's name — or, on a
 * definition before that, every outcome succeeds.
 */
export async function answerStep(
  workflow: Workflow,
  awaiting: NonNullable<Nomination['awaiting']>,
  outcome: string,
): Promise<'delivered' | 'closed'> {
  const answer = stepAnswer(awaiting.step, outcome, awaiting.answer);
  return answer.kind === 'success'
    ? workflow.deliver(awaiting.taskToken, answer.output)
    : workflow.fail(awaiting.taskToken, answer.error, answer.cause);
}

/** Sends the outcome of the step the nomination waits in, if its status already holds one. */
export async function deliverIfDecided(
  workflow: Workflow,
  nomination: Pick<Nomination, 'awaiting' | 'status'>,
): Promise<boolean> {
  const awaiting = nomination.awaiting;
  if (!awaiting) return false;
  const outcome = outcomeFromStatus(awaiting.step, nomination.status);
  if (!outcome) return false;
  await answerStep(workflow, awaiting, outcome);
  return true;
}

/**
 * How long a claimed notice stays its claimant's. The claim spans one send begun within the send
 * window (NOTICE_SEND_WINDOW_MS) and its record, not a whole function's run: a living sender
 * settles it within that window and one send's timeouts (SES's request, the SMTP transport's), so
 * a claim older than that has a dead holder — a task killed mid-send — and
 * the retry of that very task must outlive it: the lease is shorter than the Laurel.StoreBusy
 * retries of every state that mails (the shortest, 2 + 4 + 8 + 16 s), or the retry would fail the
 * step on its own dead attempt's claim. A send slower than the lease may be sent twice: a notice
 * sent twice beats one never sent.
 */
export const NOTICE_CLAIM_LEASE_MS = 25_000;

/**
 * How long after its claims a list of a campaign job's chunk may still be sent: the chunk's
 * notices are claimed together, then sent a few at once and settled a batch at a time, so the last send
 * must start early enough to end (one send's timeouts: SES's 3 s to connect and 10 s a request)
 * and be settled within the lease. A list not started by then lets its claims go and the step is
 * retried (Laurel.StoreBusy), claiming them afresh.
 */
export const NOTICE_SEND_WINDOW_MS = 10_000;

/**
 * Sends `mail` once per `event` (the notice's audit event, keyed on the change it tells of):
 * the send first claims the event's key with a conditional write, so two senders at the same
 * moment (a retried chunk and a task of an older execution, say) cannot both send — the one
 * that finds the key taken sends nothing. Sent, the event is recorded in the trail. A send that
 * failed lets the claim go and throws, so the caller's retry sends it; a claimant that died
 * before either leaves a claim that a retry takes over once it is older than the lease (never
 * recorded as sent meanwhile, and a sender that meets a live claim fails to be retried, never
 * answering for a notice it does not know went). One that died between its send and the record
 * is sent a second time then, under the same Message-ID: a notice sent twice beats one never
 * sent. A notice the relay refused for
 * good is recorded as not delivered (`<action>-refused`, naming the address) under the same key
 * and not thrown: sent again it would be refused again, so nothing stops on it and no later run
 * tries it again. True when this call sent the mail.
 */
export async function mailOnce(
  deps: { store: NominationStore; send: Mailer; clock: Clock },
  event: AuditEvent,
  mail: Mail,
): Promise<boolean> {
  // The audit key names the send: a retry carries the same Message-ID.
  const key = `${event.nominationId}/${event.action}/${event.at}`;
  const [sent] = await mailListsOnce(deps, [{ events: [event], compose: () => ({ key, ...mail }) }]);
  return (sent ?? []).length > 0;
}

/**
 * One mail telling of several nominations at once (a unit's nominations a campaign job moved):
 * the events it may list, each its own nomination's notice, and the mail listing the ones
 * claimed (`compose`).
 */
export interface NoticeList {
  events: readonly AuditEvent[];
  compose: (claimed: readonly AuditEvent[]) => Mail & { key: string };
}

/**
 * Sends lists of notices (a campaign job's chunk: one per unit and kind), each nomination still
 * told once, as mailOnce tells one: every listed nomination's notice event is claimed — all the
 * lists' claims together, in one request for a chunk (`claimNotices`) — each mail lists only the
 * ones this call claimed, and each is then recorded in its own nomination's trail, as sent or as
 * not delivered when the relay refused the mail for good — a batch at a time (`settleNotices`).
 * A notice recorded before (a repeated job, or an older execution's own task that told it) is
 * left out; a list with none left is not sent. A live claim of another sender on any of them
 * fails the call before anything is sent (Laurel.StoreBusy, to be retried), holding none: the
 * claims are all or nothing, so two senders never each hold a part and wait on the other. A send
 * that failed lets its list's claims go and is thrown once the other lists are sent and settled;
 * so is a list the send window passed (NOTICE_SEND_WINDOW_MS). The sent lists are settled a batch
 * at a time as they go (NOTICES_SETTLED_A_REQUEST): a crash leaves at most the batch being filled
 * and the sends in flight claimed, and their retry after the lease sends them again, under the
 * same Message-ID. Answers, per list, the events this call told.
 */
export async function mailListsOnce(
  deps: { store: NominationStore; send: Mailer; clock: Clock },
  lists: readonly NoticeList[],
  /** Runs the sends, a few at once (a chunk's units are many). */
  each: <T>(items: readonly T[], work: (item: T) => Promise<void>) => Promise<void> = async (items, work) => {
    for (const item of items) await work(item);
  },
): Promise<AuditEvent[][]> {
  const claimedAt = deps.clock.now();
  const staleBefore = new Date(claimedAt.getTime() - NOTICE_CLAIM_LEASE_MS).toISOString();
  const { claimed, held } = await deps.store.claimNotices(
    lists.flatMap((list) => list.events),
    claimedAt.toISOString(),
    staleBefore,
  );
  const [busy] = held;
  if (busy) {
    // Another sender is at it (or died at it): never answer "done" for a notice not known to have
    // gone. The step is retried (Laurel.StoreBusy) and then finds it sent, or the claim stale.
    // A request is told to come back in a few seconds: a living sender is done by then, and a
    // dead one's claim is taken over once its lease ends (a few such waits at most).
    throw new StoreBusyError(`${busy.nominationId}: the ${busy.action} is being sent by another run`, {
      retryAfterSeconds: 5,
    });
  }
  const unsent = new Set(claimed.map(noticeKey));
  const released = { released: { claimedAt: claimedAt.toISOString() } };
  // Settled as the sends go, in full batches of the store's writes a request, not all after the
  // last send: a crash mid-chunk leaves unrecorded (and so sent again after the lease) at most the
  // batch being filled and the sends in flight, not every list the chunk had sent; and exact
  // batches take no more requests than settling at the end did.
  const settled: NoticeSettlement[] = [];
  const settle = async (batch: NoticeSettlement[]) => {
    try {
      await deps.store.settleNotices(batch);
    } catch (error) {
      settled.unshift(...batch); // tried once more when the sends stop
      throw error;
    }
  };
  const settleFullBatches = async () => {
    while (settled.length >= NOTICES_SETTLED_A_REQUEST)
      await settle(settled.splice(0, NOTICES_SETTLED_A_REQUEST));
  };
  const told: AuditEvent[][] = lists.map(() => []);
  let failure: { error: unknown } | undefined;
  const sendList = async (list: NoticeList, index: number) => {
    // Each claimed event in the first list naming it, in the list's order.
    const listed = list.events.filter((e) => unsent.delete(noticeKey(e)));
    if (listed.length === 0) return;
    const record = (outcome: (event: AuditEvent) => NoticeOutcome) =>
      settled.push(...listed.map((event) => ({ event, outcome: outcome(event) })));
    if (deps.clock.now().getTime() - claimedAt.getTime() > NOTICE_SEND_WINDOW_MS) {
      record(() => released);
      failure ??= {
        error: new StoreBusyError('The notices took longer than their send window: sent on retry'),
      };
      return;
    }
    const mail = list.compose(listed);
    try {
      await deps.send(mail);
    } catch (error) {
      if (isRefusedForGood(error)) {
        record((event) => ({ refused: { ...event, action: `${event.action}-refused`, reason: mail.to } }));
        return;
      }
      record(() => released);
      failure ??= { error };
      return;
    }
    record(() => ({ sent: true }));
    told[index] = listed;
  };
  try {
    await each(
      lists.map((list, index) => ({ list, index })),
      async ({ list, index }) => {
        await sendList(list, index);
        await settleFullBatches();
      },
    );
  } finally {
    // However the sends stopped (a settle that failed stops them), what went is recorded and the
    // claims of lists never started are let go at once, for the retry to take without the lease.
    for (const event of claimed)
      if (unsent.delete(noticeKey(event))) settled.push({ event, outcome: released });
    if (settled.length > 0) await deps.store.settleNotices(settled.splice(0));
  }
  if (failure) throw failure.error;
  return told;
}

/** A BatchWriteItem's worth (25): the sends are settled that many at a time. */
export const NOTICES_SETTLED_A_REQUEST = 25;

const noticeKey = (e: AuditEvent) => `${e.nominationId}#${e.at}#${e.action}`;

export interface NominationDeps {
  store: NominationStore;
  /** The campaign's state: whether the secretariat closed submissions early. */
  campaignStore: Pick<CampaignStore, 'state' | 'submissionWindow' | 'submissionContext' | 'honourees'>;
  workflow: Workflow;
  campaigns: ReadonlyMap<string, Campaign>;
  /**
   * The stored version of a round's current definition, recorded on a nomination as it is first
   * submitted; absent where the rounds are fixed (some test worlds), which record none.
   */
  roundVersion?: (campaignId: string) => number | undefined;
  clock: Clock;
  ids: { nominationId(): string };
  /** Tells people by e-mail (a unit of a return or a rejection); absent where nothing is sent. */
  send?: Mailer;
  /** The web app's address, for the links in notices. */
  webUrl: string;
}

export const createDraftSchema = builtOnFirstUse(() =>
  z.strictObject({
    category: z.enum(CATEGORY_IDS).meta({ title: '类别', 'x-title-en': 'Category' }),
  }),
);

const versionSchema = builtOnFirstUse(() => z.int().min(1).meta({ title: '版本', 'x-title-en': 'Version' }));

export const saveFormSchema = builtOnFirstUse(() =>
  z.strictObject({
    version: versionSchema(),
    // Keys and values are checked against the nomination's own form once it is read (parseDraft).
    form: z
      // Field names are camelCase words: '__proto__' or 'constructor!' can name none.
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), z.unknown())
      .meta({ title: '推荐表', 'x-title-en': 'Form' }),
    noClassifiedContent: z
      .boolean()
      .optional()
      .meta({ title: '不含涉密内容声明', 'x-title-en': 'No classified content' }),
    grassroots: z.boolean().optional().meta({
      title: '被推荐对象立足基层一线',
      'x-title-en': 'The nominee is from the grassroots and the front line',
      description: '推荐单位声明；秘书处初核时确认 / declared by the unit, confirmed at screening',
    }),
  }),
);

export const versionOnlySchema = builtOnFirstUse(() => z.strictObject({ version: versionSchema() }));

/**
 * A (re)submission: the version read, the unit's confirmation that the nominee was informed
 * under the campaign's current privacy notice and consented, and its declarations for the
 * category (materials accurate; no bad record). Optional in shape so that an absence is refused
 * as the rule it is (422, naming the field), not as a malformed request.
 */
export const submitSchema = builtOnFirstUse(() =>
  z.strictObject({
    version: versionSchema(),
    consent: consentConfirmationSchema().optional(),
    declarations: declarationConfirmationSchema().optional(),
  }),
);

export const auditBy = (
  actor: Actor,
  nominationId: string,
  at: Date,
  action: string,
  reason?: string,
): AuditEvent => ({
  nominationId,
  at: at.toISOString(),
  actor: { role: actor.role, subjectId: actor.subjectId, name: actor.name },
  action,
  ...(reason ? { reason } : {}),
});

export async function createDraft(deps: NominationDeps, actor: Actor, input: unknown): Promise<Nomination> {
  requireRole(actor, ['unit']);
  const { category } = parseInput(createDraftSchema(), input, { zh: '新建推荐', en: 'new nomination' });
  const campaign = campaignIn(deps.campaigns, actor.campaignId);
  assertCategoryInCampaign(campaign, category);
  const now = deps.clock.now();
  // No new draft once the unit could not submit it: its deadline passed, or submissions closed early.
  const { extension, state } = await deps.campaignStore.submissionWindow(campaign.id, actor.subjectId);
  assertSubmissionOpen(campaign, now, extension, state.submissionsClosed);
  const nomination: Nomination = {
    id: deps.ids.nominationId(),
    campaignId: campaign.id,
    unitId: actor.subjectId,
    unitType: actor.unitType ?? '',
    unitName: actor.name,
    unitEmail: actor.email,
    category,
    status: 'draft',
    version: 1,
    form: {},
    attachments: [],
    noClassifiedContent: false,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.store.create(nomination, auditBy(actor, nomination.id, now, 'create'));
  return nomination;
}

export async function getNomination(deps: NominationDeps, actor: Actor, id: string): Promise<Nomination> {
  const nomination = await deps.store.get(id);
  if (!nomination) throw notFound({ zh: '推荐', en: 'nomination' }, id);
  assertCanRead(actor, nomination);
  return nomination;
}

const EDITABLE = new Set(['draft', 'returned']);

/** Saves the form as typed (incomplete is fine in a draft) and answers with the live check. */
export async function saveForm(
  deps: NominationDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<{ nomination: Nomination; check: FormCheck }> {
  const request = parseInput(saveFormSchema(), input, { zh: '保存推荐表', en: 'form save' });
  const current = await getNomination(deps, actor, id);
  requireRole(actor, ['unit']);
  if (!EDITABLE.has(current.status)) {
    throw new DomainError({
      code: 'NOT_EDITABLE',
      kind: 'conflict',
      path: ['status'],
      message: {
        zh: '已提交的推荐不能修改；如需修改，请等待秘书处退回',
        en: 'A submitted nomination cannot be edited; wait until the secretariat returns it',
      },
    });
  }
  const form = parseDraft(current.category, request.form);
  const now = deps.clock.now();
  const next: Nomination = {
    ...current,
    form,
    noClassifiedContent: request.noClassifiedContent ?? current.noClassifiedContent,
    ...(request.grassroots !== undefined ? { grassroots: request.grassroots } : {}),
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  await deps.store.save(next, request.version);
  return {
    nomination: next,
    check: checkNomination(campaignIn(deps.campaigns, next.campaignId), next, chinaDateAt(now)),
  };
}

/**
 * GET /api/nominations: the unit's nominations a page at a time (at most 100, in the order they
 * were created) as list rows — no form, no files — with the quota each category has left and its
 * drafts per category, counted from the category and status of each of its nominations (a
 * projected query of the unit's index: never whole nominations).
 */
export async function listOwnNominations(
  deps: NominationDeps,
  actor: Actor,
  query: unknown = {},
): Promise<{
  nominations: ListedNomination[];
  cursor: string | null;
  quotas: QuotaDecision[];
  drafts: Partial<Record<CategoryId, number>>;
}> {
  requireRole(actor, ['unit']);
  const campaign = campaignIn(deps.campaigns, actor.campaignId);
  const request = parseInput(ownListQuerySchema(), query ?? {}, { zh: '翻页', en: 'page request' });
  const [page, figures] = await Promise.all([
    deps.store.page(campaign.id, { unit: actor.subjectId, drafts: true }, request),
    deps.store.unitFigures(campaign.id, actor.subjectId),
  ]);
  const quotas = campaign.categories.map((c) => quotaDecision(campaign, actor.unitType ?? '', c.id, figures));
  const drafts: Partial<Record<CategoryId, number>> = {};
  for (const f of figures) if (f.status === 'draft') drafts[f.category] = (drafts[f.category] ?? 0) + 1;
  return { nominations: page.items, cursor: page.cursor, quotas, drafts };
}

/** The query of the unit's own list: the page. */
export const ownListQuerySchema = builtOnFirstUse(() => z.strictObject(pageSchema().shape));

/**
 * Submits (or resubmits after a return): the form complete and valid, the attachments complete,
 * the declaration made, before the unit's deadline, within its quota — decided together, and
 * the quota slot taken in the same transaction as the status. Then the nomination's execution
 * starts, named after it. A repeated submit (a double click, a retried request) changes nothing
 * and makes sure the execution exists.
 */
export async function submit(
  deps: NominationDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<Nomination> {
  const { version, consent, declarations } = parseInput(submitSchema(), input, {
    zh: '提交',
    en: 'submission',
  });
  // The submitter's deadline extension and its round's past-honouree list are read alongside the
  // nomination: only the unit that owns a nomination may submit it, so the unit and the round are
  // the actor's (checked again below).
  const [current, { extension: actorsExtension, state, honourees: actorsHonourees }] = await Promise.all([
    getNomination(deps, actor, id),
    deps.campaignStore.submissionContext(actor.campaignId, actor.subjectId),
  ]);
  const campaign = campaignIn(deps.campaigns, current.campaignId);
  // Already submitted from this version (a double click, a retried request): the same answer again,
  // after finishing what a request cut short may have left undone — starting the execution, or
  // answering the one that waits for a resubmission.
  if (current.status === 'submitted' && version < current.version) {
    // Not known to have kept its criteria: the submit may have been made before submits did.
    await deps.workflow.startExecution(current.id, executionInput(current, 'unknown'));
    await deliverIfDecided(deps.workflow, current);
    return current;
  }
  const action = current.status === 'returned' ? 'resubmit' : 'submit';
  const to = transition(current, action, actor);
  const now = deps.clock.now();
  const extension =
    actor.campaignId === campaign.id && actor.subjectId === current.unitId
      ? actorsExtension
      : await deps.store.extensionFor(campaign.id, current.unitId);
  // An early close stops the round's own units. A society round forwarding into it is bound by
  // the round's deadline only: its own deadline, and its corrections, already end before it.
  const forwardedByChildRound = deps.campaigns.get(actor.subjectId)?.forwardTo?.campaignId === campaign.id;
  const closure =
    actor.campaignId === campaign.id && !forwardedByChildRound ? state.submissionsClosed : undefined;
  // A returned nomination answers within its correction window, which may run past the deadline.
  if (action === 'resubmit')
    assertResubmissionOpen(campaign, now, current.correctionUntil, extension, closure);
  else assertSubmissionOpen(campaign, now, extension, closure);
  parseForm(current.category, current.form, { today: chinaDateAt(now) });
  assertAttachmentsComplete(campaign, current.category, current.attachments);
  if (!current.noClassifiedContent) {
    throw new DomainError({
      code: 'DECLARATION_MISSING',
      kind: 'rule',
      path: ['noClassifiedContent'],
      message: {
        zh: '请先声明上传材料不含涉密内容',
        en: 'Declare first that the uploaded material holds no classified content',
      },
    });
  }
  // A resubmission keeps the version of the first submission: the form's rules cannot have
  // changed since for a submitted category.
  const campaignVersion = current.campaignVersion ?? deps.roundVersion?.(campaign.id);
  const consentGiven = consentRecord(campaign.privacy.notice, consent, actor, now);
  const declared = declarationRecord(campaign.declarations, current.category, declarations, actor, now);
  const submitted: Nomination = {
    ...current,
    consent: consentGiven,
    declarations: declared,
    status: to,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    submittedAt: now.toISOString(),
    ...(campaignVersion === undefined ? {} : { campaignVersion }),
  };
  // The [auto] criteria for screening, kept by the submission's own write (the execution's first
  // task then has nothing to read or write: see validateSubmission).
  const next: Nomination = {
    ...submitted,
    eligibility: await eligibilityOf(
      deps,
      campaign,
      submitted,
      actor.campaignId === campaign.id ? actorsHonourees : undefined,
    ),
  };
  // A returned nomination kept its slot; only a first submission takes one. The ledger, updated
  // in the submit's own transaction, is the authority: no count of the unit's nominations first
  // (a Query per submit), only the rule and its limit.
  const quota = quotaSlotChange(campaign, current.unitType, current.category, current.status, to);
  // What to say if the ledger, the authority under concurrent submits, turns out to be full (and
  // a unit type the round lacks is refused here).
  const quotaRefusal: QuotaDecision | undefined =
    action === 'submit'
      ? quotaDecision(campaign, current.unitType, current.category, { used: quota?.limit ?? 0 })
      : undefined;
  await deps.store.changeStatus({
    nomination: next,
    expectedVersion: version,
    ...(quota ? { quota } : {}),
    ...(quotaRefusal ? { quotaRefusal } : {}),
    audit: auditBy(actor, id, now, action),
  });
  if (action === 'resubmit') await deliverIfDecided(deps.workflow, next);
  else await deps.workflow.startExecution(next.id, executionInput(next, 'kept'));
  return next;
}

/**
 * A nomination's execution input. `eligibilityKept` when the submit that starts it kept the [auto]
 * criteria by its own write ('kept'), so its screening wait evaluates nothing before storing its token. A start
 * that repeats one a request cut short does not know which code made that submit — one made
 * before submits kept the criteria stored none ('unknown'): it starts without the flag and the
 * task evaluates them, as an execution started before always did. Where the flagged execution was
 * started already, the repeat's other input is ExecutionAlreadyExists, which a repeat expects.
 */
export const executionInput = (n: Pick<Nomination, 'id' | 'campaignId'>, criteria: 'kept' | 'unknown') => ({
  nominationId: n.id,
  campaignId: n.campaignId,
  ...(criteria === 'kept' ? { eligibilityKept: true as const } : {}),
});

/**
 * The [auto] criteria of a submitted nomination as screening sees them (never a reason to refuse
 * it), against the round's past-honouree list — `own` when it was read already; a society round
 * without a list of its own uses its parent round's — on the day of its submission.
 */
export async function eligibilityOf(
  deps: Pick<NominationDeps, 'campaignStore' | 'clock'>,
  campaign: Campaign,
  nomination: Nomination,
  own?: Honouree[],
): Promise<NonNullable<Nomination['eligibility']>> {
  let list = own ?? (await deps.campaignStore.honourees(campaign.id));
  if (list.length === 0 && campaign.forwardTo)
    list = await deps.campaignStore.honourees(campaign.forwardTo.campaignId);
  const day = chinaDateAt(nomination.submittedAt ? new Date(nomination.submittedAt) : deps.clock.now());
  return checkNomination(campaign, nomination, day, buildHonoureeIndex(list)).eligibility ?? [];
}

/** Withdraws a draft or a submission not yet screened; a submitted one frees its quota slot. */
export async function withdraw(
  deps: NominationDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<Nomination> {
  const { version } = parseInput(versionOnlySchema(), input, { zh: '撤回', en: 'withdrawal' });
  const current = await getNomination(deps, actor, id);
  const campaign = campaignIn(deps.campaigns, current.campaignId);
  // Withdrawn from this version already (a retried request): answer the waiting execution, which a
  // request cut short may not have done, and give the same answer again.
  if (current.status === 'withdrawn' && version < current.version) {
    await deliverIfDecided(deps.workflow, current);
    return current;
  }
  const to = transition(current, 'withdraw', actor);
  const now = deps.clock.now();
  const next: Nomination = {
    ...current,
    status: to,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
  const quota = quotaSlotChange(campaign, current.unitType, current.category, current.status, to);
  await deps.store.changeStatus({
    nomination: next,
    expectedVersion: version,
    ...(quota ? { quota } : {}),
    audit: auditBy(actor, id, now, 'withdraw'),
  });
  await deliverIfDecided(deps.workflow, next);
  return next;
}
