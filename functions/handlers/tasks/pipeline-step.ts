import * as z from 'zod';
import { createAwsClients } from '../../lib/aws.js';
import { loadConfig } from '../../lib/config.js';
import { pipelineDeps } from '../../lib/nomination-deps.js';
import { displayNameOf, type FormDataByCategory } from '../../rules/forms/index.js';
import { aggregateScores, forward } from '../../use-cases/campaign-steps.js';
import { mailOnce } from '../../use-cases/nominations.js';
import { assignExperts } from '../../use-cases/reviews.js';

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
    default: {
      const nomination = await deps.store.get(nominationId);
      if (!nomination) return { notified: false };
      // Keyed on the release instant: a retried task finds the notice recorded and mails no one again (mailOnce).
      const notice = {
        nominationId,
        at: nomination.updatedAt,
        actor: { role: 'system' as const, subjectId: 'system', name: 'Laurel' },
        action: 'release-notice',
      };
      const campaign = deps.campaigns.get(nomination.campaignId);
      if (!nomination.unitEmail || !campaign) return { notified: await deps.store.appendAudit(notice) };
      const notified = await mailOnce(deps, notice, {
        to: nomination.unitEmail,
        subject: `【${campaign.name.zh}】正式发布 · Released`,
        text: `${nomination.unitName}：\n\n您推荐的“${displayNameOf(nomination.category, nomination.form as unknown as FormDataByCategory[typeof nomination.category])}”已列入${campaign.name.zh}正式发布名单。\n\nYour nomination ${nomination.id} is on the final list of ${campaign.name.en}.`,
      });
      return { notified };
    }
  }
}
