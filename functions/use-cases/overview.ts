import { type Actor, requireRole } from '../rules/access.js';
import { unitTypeOf } from '../rules/campaign.js';
import { notFound } from '../rules/nomination.js';
import { type CampaignOverview, shapeOverview } from '../rules/overview.js';
import type { NominationDeps } from './nominations.js';
import { erasureDueOf } from './retention.js';

/**
 * GET /api/campaigns/{c}/overview — for a unit or the secretariat of that campaign. An unknown
 * campaign is a 404 for anyone (campaigns are public: their notices are); anyone else a 403.
 */
export async function campaignOverview(
  deps: Pick<NominationDeps, 'campaigns' | 'clock' | 'store' | 'campaignStore'>,
  actor: Actor,
  campaignId: string,
): Promise<CampaignOverview> {
  const campaign = deps.campaigns.get(campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
  requireRole(actor, ['unit', 'secretariat'], campaignId);
  const now = deps.clock.now();
  const { submissionsClosed: closure } = await deps.campaignStore.state(campaignId);
  const parent = campaign.forwardTo ? deps.campaigns.get(campaign.forwardTo.campaignId) : undefined;
  const erasureDueAt = await erasureDueOf(deps, campaign);
  const common = {
    ...(closure ? { closure } : {}),
    ...(parent ? { parent } : {}),
    ...(erasureDueAt ? { erasureDueAt } : {}),
  };
  if (actor.role === 'unit') {
    // The ledger is the authority on slots; a unit type without a limit keeps none, so its own
    // nominations count — their category and status alone, projected: never whole nominations.
    const unlimited = unitTypeOf(campaign, actor.unitType ?? '')?.quota.scope === 'unlimited';
    const [extension, ledger, own] = await Promise.all([
      deps.store.extensionFor(campaignId, actor.subjectId),
      deps.store.quotaLedger(campaignId, actor.subjectId),
      unlimited ? deps.store.unitFigures(campaignId, actor.subjectId) : [],
    ]);
    return shapeOverview({
      campaign,
      viewer: actor,
      now,
      ledger,
      own,
      ...common,
      ...(extension ? { extension } : {}),
    });
  }
  // The counts aggregate the store keeps with every change: one read, however large the round.
  const counts = await deps.store.counts(campaignId);
  return shapeOverview({ campaign, viewer: actor, now, counts, ...common });
}
