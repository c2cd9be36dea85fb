import * as z from 'zod';
import { logger } from '../../lib/logger.js';
import { AWAITED_STEPS } from '../../rules/steps.js';
import { deliverIfDecided } from '../../use-cases/nominations.js';
import { retryOnVersionConflict } from '../../use-cases/retry.js';
import { wiring } from '../../wiring/compose.js';

const deps = wiring();

const eventSchema = z.object({
  nominationId: z.string(),
  step: z.enum(AWAITED_STEPS),
  taskToken: z.string().min(1),
});

/**
 * The Lambda of every `.waitForTaskToken` human step: stores the token on the nomination, then
 * answers at once if the person has already decided (their decision may have come first).
 * Idempotent: a retry stores the newer token and delivers the same outcome.
 */
export async function handler(event: unknown): Promise<{ stored: boolean; delivered: boolean }> {
  const { nominationId, step, taskToken } = eventSchema.parse(event);
  return retryOnVersionConflict(async () => {
    const nomination = await deps.store.get(nominationId);
    if (!nomination) throw new Error(`nomination ${nominationId} not found`);
    const next = {
      ...nomination,
      awaiting: { step, taskToken, since: deps.clock.now().toISOString() },
      version: nomination.version + 1,
    };
    await deps.store.save(next, nomination.version);
    const delivered = await deliverIfDecided(deps.workflow, next);
    logger.info('awaiting', { nominationId, step, delivered });
    return { stored: true, delivered };
  });
}
