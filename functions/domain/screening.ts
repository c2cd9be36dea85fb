import * as z from 'zod';
import { type Actor, requireRole } from './access.js';
import { DomainError } from './errors.js';
import { type Nomination, transition } from './nomination.js';
import { holdsQuotaSlot } from './nomination-status.js';
import { auditBy, deliverIfDecided, getNomination, type NominationDeps } from './nominations.js';
import { quotaLedgerKey } from './quota.js';
import { parseInput } from './validation.js';

/**
 * The secretariat's screening (初核): pass to expert review, return for correction with
 * reasons (the unit may resubmit before its deadline), or reject with reasons (the quota slot
 * is freed). The decision is stored first; the waiting execution is answered after.
 */

export const screeningDecisionSchema = z.strictObject({
  version: z.int().min(1).meta({ title: '版本', 'x-title-en': 'Version' }),
  decision: z.enum(['pass', 'return', 'reject']).meta({ title: '初核结论', 'x-title-en': 'Decision' }),
  reasons: z.string().trim().max(2000).optional().meta({ title: '理由', 'x-title-en': 'Reasons' }),
});

export async function screen(
  deps: NominationDeps,
  actor: Actor,
  id: string,
  input: unknown,
): Promise<Nomination> {
  const request = parseInput(screeningDecisionSchema, input, { zh: '初核结论', en: 'screening decision' });
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
  const to = transition(current, request.decision, actor);
  const campaign = deps.campaigns.get(current.campaignId);
  const unitType = campaign?.unitTypes.find((u) => u.id === current.unitType);
  const now = deps.clock.now();
  const next: Nomination = {
    ...current,
    status: to,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    ...(request.reasons ? { reasons: request.reasons } : {}),
  };
  const freesSlot =
    campaign &&
    unitType &&
    unitType.quota.scope !== 'unlimited' &&
    !holdsQuotaSlot(to, campaign) &&
    holdsQuotaSlot(current.status, campaign);
  await deps.store.changeStatus({
    nomination: next,
    expectedVersion: request.version,
    ...(freesSlot
      ? { quota: { ledgerKey: quotaLedgerKey(unitType.quota, current.category), delta: -1 } }
      : {}),
    audit: auditBy(actor, id, now, `screening:${request.decision}`, request.reasons),
  });
  await deliverIfDecided(deps.workflow, next);
  if (request.decision !== 'pass' && current.unitEmail && deps.send && campaign) {
    const returned = request.decision === 'return';
    await deps.send({
      to: current.unitEmail,
      subject: `【${campaign.name.zh}】推荐${returned ? '被退回修改' : '未通过初核'} · ${returned ? 'Returned for correction' : 'Not accepted at screening'}`,
      text: [
        `${current.unitName}：`,
        '',
        returned
          ? `您的推荐（${current.id}）被退回修改，请在截止时间前修改后重新提交。`
          : `您的推荐（${current.id}）未通过初核。`,
        `理由：${request.reasons ?? ''}`,
        '',
        returned
          ? `Your nomination ${current.id} was returned for correction; correct it and resubmit before the deadline.`
          : `Your nomination ${current.id} was not accepted at screening.`,
        `Reasons: ${request.reasons ?? ''}`,
      ].join('\n'),
    });
  }
  return next;
}
