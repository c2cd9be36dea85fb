import type { ReviewStore } from '../ports/reviews.js';
import { type Actor, requireRole } from '../rules/access.js';
import { type ExpertPanel, REVIEW_STATUSES, shapeExpertPanel } from '../rules/expert-panel.js';
import { subjectOf } from '../rules/forms/index.js';
import { type Nomination, notFound } from '../rules/nomination.js';
import { conflictFactsOf } from '../rules/review.js';
import type { NominationDeps } from './nominations.js';

/** GET /api/campaigns/{c}/experts — the secretariat of that campaign only. Index queries, never a scan. */
export async function expertPanel(
  deps: Pick<NominationDeps, 'campaigns' | 'store'> & {
    reviews: Pick<ReviewStore, 'listExperts' | 'assignmentsOfExpert' | 'conflictDismissals'>;
  },
  actor: Actor,
  campaignId: string,
): Promise<ExpertPanel> {
  const campaign = deps.campaigns.get(campaignId);
  if (!campaign) throw notFound({ zh: '活动', en: 'campaign' }, campaignId);
  requireRole(actor, ['secretariat'], campaignId);
  const pool = await deps.reviews.listExperts(campaignId);
  const [assignments, listed, dismissals] = await Promise.all([
    Promise.all(pool.map((e) => deps.reviews.assignmentsOfExpert(campaignId, e.id))).then((a) => a.flat()),
    Promise.all(REVIEW_STATUSES.map((s) => deps.store.listByStatus(campaignId, s))).then((n) => n.flat()),
    deps.reviews.conflictDismissals(campaignId),
  ]);
  // An assignment whose nomination left these statuses (none should) is still shown.
  const known = new Set(listed.map((n) => n.id));
  const missing = [...new Set(assignments.map((a) => a.nominationId))].filter((id) => !known.has(id));
  const extra = (await Promise.all(missing.map((id) => deps.store.get(id)))).filter(
    (n): n is Nomination => n !== undefined,
  );
  return shapeExpertPanel({
    campaignId,
    expertsPerNomination: campaign.review.expertsPerNomination,
    pool,
    assignments,
    dismissals,
    ...(campaign.review.maxLoadPerExpert !== undefined
      ? { defaultMaxLoad: campaign.review.maxLoadPerExpert }
      : {}),
    nominations: [...listed, ...extra].map((n) => ({
      ...n,
      conflictFacts: conflictFactsOf(campaign, n, subjectOf(n.category, n.form as never)),
    })),
  });
}
