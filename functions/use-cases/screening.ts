import * as z from 'zod';
import { type Actor, requireRole } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { endOfChinaDay, formatDeadline } from '../rules/calendar.js';
import type { Campaign } from '../rules/campaign.js';
import { correctionDateSchema, correctionDeadline, effectiveDeadline } from '../rules/deadline.js';
import { DomainError } from '../rules/errors.js';
import {
  MOVES,
  type Nomination,
  PAST_HONOUREE_OVERRIDE_LENGTH,
  statusName,
  transition,
} from '../rules/nomination.js';
import { pastHonoureeFlag } from '../rules/nomination-view.js';
import { quotaSlotChange } from '../rules/quota.js';
import { freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import { auditBy, deliverIfDecided, getNomination, type NominationDeps } from './nominations.js';
import { tellUnit } from './notices.js';

/**
 * The secretariat's screening (初核): pass to expert review, return for correction with
 * reasons (the unit may resubmit within its correction window, which may run past the deadline), or reject with reasons (the quota slot
 * is freed). The decision is stored first; the waiting execution is answered and the unit told
 * after — and again by a repeat of the request, should the first be cut short in between.
 */

export const screeningDecisionSchema = builtOnFirstUse(() =>
  z.strictObject({
    version: z.int().min(1).meta({ title: '版本', 'x-title-en': 'Version' }),
    decision: z.enum(['pass', 'return', 'reject']).meta({ title: '初核结论', 'x-title-en': 'Decision' }),
    reasons: freeText({ max: 2000, multiLine: true })
      .optional()
      .meta({ title: '理由', 'x-title-en': 'Reasons' }),
    /** Passing a nomination the submission check found to be a past honouree needs this reason. */
    pastHonoureeOverride: freeText({ ...PAST_HONOUREE_OVERRIDE_LENGTH, multiLine: true })
      .optional()
      .meta({ title: '往届入选者放行理由', 'x-title-en': 'Reason to pass a past honouree' }),
    /** With a return: the last day of the correction (default: the campaign's `corrections.days`). */
    correctionDate: correctionDateSchema().optional(),
    /** With a pass: whether the nominee is from the grassroots and the front line (default: as the unit declared). */
    grassroots: z.boolean().optional().meta({
      title: '确认立足基层一线',
      'x-title-en': 'Confirmed: from the grassroots and the front line',
    }),
  }),
);

/**
 * An exact past-honouree match (found when the nomination was submitted) never reaches the
 * experts by a plain "pass": the secretariat may pass it only with a reason, which the audit
 * trail keeps — for the case the check is wrong (a namesake the list's organization misnames).
 */
function assertNotPastHonouree(nomination: Nomination, override: string | undefined): void {
  const flag = pastHonoureeFlag(nomination.eligibility);
  if (flag.match !== 'exact' || override) return;
  const h = flag.honouree;
  throw new DomainError({
    code: 'PAST_HONOUREE',
    kind: 'rule',
    path: ['pastHonoureeOverride'],
    message: {
      zh: `该推荐与 ${h?.year ?? ''} 年度入选者“${h?.name ?? ''}（${h?.organization ?? ''}）”完全一致，往届入选者不再参加申报，不能直接通过；如核实并非同一对象，请填写放行理由`,
      en: `This nomination exactly matches the ${h?.year ?? ''} model "${h?.name ?? ''} (${h?.organization ?? ''})"; past models may not apply again, so it cannot simply pass. If you have checked that it is not the same, give the reason to pass it`,
    },
    details: { honouree: h },
  });
}

/** A screening decision repeated saying otherwise than the one stored: 409, naming what stands. */
function alreadyScreened(stored: Nomination): DomainError {
  const status = statusName(stored.status);
  const until = stored.correctionUntil && formatDeadline(new Date(stored.correctionUntil));
  return new DomainError({
    code: 'ALREADY_DECIDED',
    kind: 'conflict',
    message: {
      zh: `该推荐已初核，现为“${status.zh}”，理由为“${stored.reasons ?? ''}”${until ? `，修改截止 ${until}` : ''}，不能再改`,
      en: `This nomination has already been screened and is ${status.en}, with the reasons "${stored.reasons ?? ''}"${
        until ? ` and a correction deadline of ${until}` : ''
      }; this cannot change`,
    },
  });
}

export async function screen(
  deps: NominationDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<Nomination> {
  const request = parseInput(screeningDecisionSchema(), input, { zh: '初核结论', en: 'screening decision' });
  const current = await getNomination(deps, actor, id);
  requireRole(actor, ['secretariat'], current.campaignId);
  if (request.decision !== 'pass' && !request.reasons) {
    throw new DomainError({
      code: 'REASONS_REQUIRED',
      kind: 'invalid',
      path: ['reasons'],
      message: {
        zh: '理由：退回或不予通过时必须说明理由',
        en: 'Reasons: required when returning or rejecting',
      },
    });
  }
  const campaign = deps.campaigns.get(current.campaignId);
  const now = deps.clock.now();
  const parent = campaign?.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  // Decided from this version already: a repeat of a request whose answer was lost (a crash, a
  // dropped connection) after the decision was stored, or the twin of one sent at the same moment.
  // Finish what it may have left undone — answer the waiting execution, tell the unit — and answer
  // as it would have; one saying otherwise (other reasons, another date) is refused naming what stands.
  const replay = async (stored: Nomination): Promise<Nomination | undefined> => {
    if (stored.status !== MOVES[request.decision].to || request.version >= stored.version) return undefined;
    // The day asked for, compared as it was stored — not checked against today again: a repeat
    // sent after that day (or after the forwarding deadline) is still the same decision.
    const asked =
      request.decision === 'return' && request.correctionDate
        ? endOfChinaDay(request.correctionDate).toISOString()
        : stored.correctionUntil;
    const otherReasons = request.decision !== 'pass' && (request.reasons ?? '') !== (stored.reasons ?? '');
    if (otherReasons || asked !== stored.correctionUntil) throw alreadyScreened(stored);
    const decided = (await deps.store.auditTrail(id))
      .filter((e) => e.action === `screening:${request.decision}`)
      .at(-1);
    await deliverIfDecided(deps.workflow, stored);
    if (decided) await tellUnitOfDecision(deps, campaign, stored, request.decision, decided.at);
    return stored;
  };
  const repeated = await replay(current);
  if (repeated) return repeated;
  const to = transition(current, request.decision, actor);
  const override = request.decision === 'pass' ? request.pastHonoureeOverride : undefined;
  if (request.decision === 'pass') assertNotPastHonouree(current, override);
  const correctionUntil =
    request.decision === 'return' && campaign
      ? correctionDeadline(campaign, now, parent, request.correctionDate).toISOString()
      : undefined;
  const next: Nomination = {
    ...current,
    status: to,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    ...(request.reasons ? { reasons: request.reasons } : {}),
    ...(correctionUntil ? { correctionUntil } : {}),
    ...(request.decision === 'pass'
      ? { grassrootsConfirmed: request.grassroots ?? current.grassroots === true }
      : {}),
  };
  const quota = campaign && quotaSlotChange(campaign, current.unitType, current.category, current.status, to);
  try {
    await deps.store.changeStatus({
      nomination: next,
      expectedVersion: request.version,
      ...(quota ? { quota } : {}),
      audit: auditBy(
        actor,
        id,
        now,
        `screening:${request.decision}`,
        override
          ? `往届入选比对放行 · past-honouree match overridden: ${override}`
          : correctionUntil
            ? `${request.reasons ?? ''}（修改截止 ${formatDeadline(new Date(correctionUntil))}）`
            : request.reasons,
      ),
    });
  } catch (error) {
    // Two of the same decision at once: the one whose write was refused answers as a repeat does.
    const stored =
      error instanceof DomainError && error.code === 'VERSION_CONFLICT'
        ? await deps.store.get(id)
        : undefined;
    const twin = stored && (await replay(stored));
    if (twin) return twin;
    throw error;
  }
  await deliverIfDecided(deps.workflow, next);
  await tellUnitOfDecision(deps, campaign, next, request.decision, now.toISOString());
  return next;
}

/**
 * Tells the unit of a return or a rejection and its reasons, once per decision (`decidedAt`); a
 * return with the time by which to correct and resubmit (the unit's own deadline, extension included).
 */
async function tellUnitOfDecision(
  deps: NominationDeps,
  campaign: Campaign | undefined,
  nomination: Nomination,
  decision: 'pass' | 'return' | 'reject',
  decidedAt: string,
): Promise<void> {
  if (decision === 'pass' || !campaign) return;
  const extension = await deps.store.extensionFor(campaign.id, nomination.unitId);
  await tellUnit(deps, { ...nomination, updatedAt: decidedAt }, decision, {
    details: [{ label: { zh: '理由', en: 'Reasons' }, value: nomination.reasons ?? '' }],
    ...(decision === 'return'
      ? {
          deadline: {
            label: { zh: '修改后重新提交截止时间', en: 'Correct and resubmit by' },
            // The correction deadline set with this return, else the unit's own submission deadline.
            at: nomination.correctionUntil
              ? new Date(nomination.correctionUntil)
              : effectiveDeadline(campaign, extension),
          },
        }
      : {}),
  });
}
