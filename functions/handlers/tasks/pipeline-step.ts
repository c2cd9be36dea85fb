import { z } from 'zod';
import { aggregateScores, forward } from '../../domain/campaign-steps.js';
import { assignExperts } from '../../domain/review-flow.js';
import { createAwsClients } from '../../lib/aws.js';
import { loadConfig } from '../../lib/config.js';
import { pipelineDeps } from '../../lib/nomination-deps.js';

const config = loadConfig();
const clients = createAwsClients(config);
const deps = pipelineDeps(clients, config);

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
      const assignments = await assignExperts(deps, nominationId);
      return { experts: assignments.map((a) => a.expertId) };
    }
    case 'aggregate-scores':
      return { score: (await aggregateScores(deps, nominationId))?.meanTotal ?? null };
    case 'forward':
      return forward(deps, nominationId);
    default: {
      const nomination = await deps.store.get(nominationId);
      const first = !(await deps.store.auditTrail(nominationId)).some((e) => e.action === 'release-notice');
      if (nomination && first) {
        await deps.store.appendAudit({
          nominationId,
          at: deps.clock.now().toISOString(),
          actor: { role: 'system', subjectId: 'system', name: 'Laurel' },
          action: 'release-notice',
        });
      }
      return { notified: Boolean(nomination && first) };
    }
  }
}
