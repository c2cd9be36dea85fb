import * as z from 'zod';
import { aggregateScores, forward, notifyRelease } from '../../use-cases/campaign-steps.js';
import { assignExperts } from '../../use-cases/reviews.js';
import { wiring } from '../../wiring/compose.js';

const deps = wiring();

const eventSchema = z.object({
  nominationId: z.string(),
  step: z.enum(['assign-experts', 'aggregate-scores', 'forward', 'notify-release']),
});

/**
 * The automatic steps of the nomination state machine after screening. Each is idempotent: a
 * retry keeps existing assignments and mails, recomputes the same scores, finds the same
 * forwarded nomination, and sends a release notice once.
 */
export async function handler(event: unknown): Promise<Record<string, unknown>> {
  const { nominationId, step } = eventSchema.parse(event);
  switch (step) {
    case 'assign-experts': {
      try {
        const assignments = await assignExperts(deps, nominationId);
        return { experts: assignments.map((a) => a.expertId) };
      } catch (error) {
        // A named error, so the state machine's Retry waits for experts to be invited.
        if ((error as { code?: string }).code === 'NOT_ENOUGH_EXPERTS') {
          throw Object.assign(new Error((error as Error).message), { name: 'Laurel.NotEnoughExperts' });
        }
        throw error;
      }
    }
    case 'aggregate-scores':
      return { score: (await aggregateScores(deps, nominationId))?.meanTotal ?? null };
    case 'forward':
      return forward(deps, nominationId);
    case 'notify-release':
      return notifyRelease(deps, nominationId);
  }
}
