import type { Actor } from './access.js';

/** What this rule reads of an audit event (the store's AuditEvent, functions/ports/nominations.ts). */
interface AuditStep {
  action: string;
  actor: { role: string; subjectId: string; name: string };
  reason?: string;
}

/**
 * The audit trail as each reader may see it. Who reviews a nomination is the secretariat's to
 * know, never the nominating unit's nor the nominee's (CAMPAIGN.md, expert review; 回避 and the
 * random draw only protect the experts while their names stay inside the secretariat): outside
 * the secretariat, an expert acting reads as "an expert", and the review stage keeps its steps but
 * not their reasons — those name the experts (a decline, a reassignment, a draw), their conflicts
 * and dismissals, due dates extended per expert. Everything else, the screening reasons above all,
 * reads as stored.
 */

/** What an expert is called outside the secretariat: no name, no id. */
export const AN_EXPERT = { role: 'expert', subjectId: 'expert', name: '一位评审专家 · an expert' } as const;

/** The review stage's steps: the experts' own, and the secretariat's and the system's about them. */
export const isReviewStep = (action: string): boolean =>
  action === 'review' || action === 'reviews-complete' || action.startsWith('review-');

/** One event with the reviewers taken out: the step stays, who and why go. */
export function withoutReviewers<E extends AuditStep>(event: E): E {
  if (event.actor.role !== 'expert' && !isReviewStep(event.action)) return event;
  const { reason: _reason, ...step } = event;
  return (event.actor.role === 'expert' ? { ...step, actor: { ...AN_EXPERT } } : step) as E;
}

/** The trail for the reader: the secretariat's whole, anyone else's without the reviewers. */
export function auditFor<E extends AuditStep>(reader: Pick<Actor, 'role'>, events: readonly E[]): E[] {
  return reader.role === 'secretariat' ? [...events] : events.map(withoutReviewers);
}
