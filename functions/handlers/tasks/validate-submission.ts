import * as z from 'zod';
import { chinaDateAt } from '../../rules/calendar.js';
import { checkNomination } from '../../rules/form-check.js';
import { buildHonoureeIndex } from '../../rules/honourees.js';
import { retryOnVersionConflict } from '../../use-cases/retry.js';
import { wiring } from '../../wiring/compose.js';

const deps = wiring();

const eventSchema = z.object({ nominationId: z.string() });

/**
 * First state of every execution: evaluates the [auto] criteria of the submitted form and keeps
 * them on the nomination for the screening view. They inform the secretariat; they reject nothing.
 */
export async function handler(event: unknown): Promise<{ nominationId: string; eligible: boolean }> {
  const { nominationId } = eventSchema.parse(event);
  return retryOnVersionConflict(async () => {
    const nomination = await deps.store.get(nominationId);
    if (!nomination) throw new Error(`nomination ${nominationId} not found`);
    const campaign = deps.campaigns.get(nomination.campaignId);
    if (!campaign) throw new Error(`campaign ${nomination.campaignId} not found`);
    // A society round without a list of its own uses its parent round's 2019–2023 list.
    let list = await deps.campaignStore.honourees(campaign.id);
    if (list.length === 0 && campaign.forwardTo)
      list = await deps.campaignStore.honourees(campaign.forwardTo.campaignId);
    const { eligibility } = checkNomination(
      campaign,
      nomination,
      chinaDateAt(nomination.submittedAt ? new Date(nomination.submittedAt) : deps.clock.now()),
      buildHonoureeIndex(list),
    );
    await deps.store.save(
      { ...nomination, eligibility: eligibility ?? [], version: nomination.version + 1 },
      nomination.version,
    );
    return { nominationId, eligible: (eligibility ?? []).every((c) => c.passed) };
  });
}
