import * as z from 'zod';
import { type Actor, requireRole } from '../rules/access.js';
import { campaignIn } from '../rules/campaign.js';
import { DomainError } from '../rules/errors.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import { freeText } from '../rules/text.js';
import { parseInput } from '../rules/validation.js';
import type { CampaignStepDeps } from './campaign-steps.js';
import { auditBy } from './nominations.js';
import { retryOnVersionConflict } from './retry.js';

/**
 * A society forwards to CAST as the recommending unit: for each forwarded nomination its
 * secretariat writes the society's own opinion (推荐意见), which the nomination's copy in the
 * parent round carries and its Word form prints above the society's stamp.
 */
export const endorsementSchema = z.strictObject({
  opinion: freeText({ max: 500, min: 2, multiLine: true }).meta({
    title: '推荐意见',
    'x-title-en': "The society's opinion",
  }),
});

export async function endorseForwarded(
  deps: Pick<CampaignStepDeps, 'campaigns' | 'store' | 'clock'>,
  actor: Actor,
  campaignId: string,
  nominationId: string,
  input: unknown,
): Promise<Nomination> {
  requireRole(actor, ['secretariat'], campaignId);
  campaignIn(deps.campaigns, campaignId);
  const { opinion } = parseInput(endorsementSchema, input, { zh: '推荐意见', en: 'opinion' });
  const source = await deps.store.get(nominationId);
  if (!source || source.campaignId !== campaignId)
    throw notFound({ zh: '推荐', en: 'nomination' }, nominationId);
  const copy = source.forwardedAs;
  if (!copy) {
    throw new DomainError({
      code: 'NOT_FORWARDED',
      kind: 'conflict',
      message: {
        zh: '只能为已报送上级活动的推荐填写推荐意见',
        en: 'An opinion is written only for a nomination forwarded to the parent round',
      },
    });
  }
  return retryOnVersionConflict(async () => {
    const inParent = await deps.store.get(copy.nominationId);
    if (!inParent) throw notFound({ zh: '推荐', en: 'nomination' }, copy.nominationId);
    // The same opinion again changes nothing.
    if (inParent.endorsement?.opinion === opinion) return inParent;
    const now = deps.clock.now();
    const endorsed: Nomination = {
      ...inParent,
      endorsement: { opinion, by: { subjectId: actor.subjectId, name: actor.name }, at: now.toISOString() },
      version: inParent.version + 1,
      updatedAt: now.toISOString(),
    };
    await deps.store.save(
      endorsed,
      inParent.version,
      auditBy(actor, inParent.id, now, 'endorsement', opinion),
    );
    return endorsed;
  });
}
