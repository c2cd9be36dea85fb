import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import type { CategoryId } from './categories.js';
import { freeText } from './text.js';

/**
 * 择优推荐 is the secretariat's decision: the ranking proposes, the secretariat may include or
 * leave out a nomination against the score order, or forward fewer than its quota — each with a
 * written reason, kept with who decided and when, and shown wherever the selection is.
 */

const reason = (zh: string, en: string) =>
  freeText({ max: 1000, min: 2, multiLine: true }).meta({ title: zh, 'x-title-en': en });

/** PUT …/selection-decisions/{nominationId}: include, leave out, or follow the ranking again. */
export const selectionDecisionSchema = builtOnFirstUse(() =>
  z.strictObject({
    decision: z
      .enum(['include', 'leave-out', 'follow-ranking'])
      .meta({ title: '择优决定', 'x-title-en': 'Decision' }),
    reason: reason('理由', 'Reason'),
  }),
);

/** PUT …/selection-limits/{category}: forward fewer than the quota in one category (null: the full quota). */
export const forwardLimitSchema = builtOnFirstUse(() =>
  z.strictObject({
    forward: z
      .int()
      .min(0)
      .max(1000)
      .nullable()
      .meta({ title: '拟报送数量', 'x-title-en': 'Number to forward' }),
    reason: reason('理由', 'Reason'),
  }),
);

export interface DecidedBy {
  subjectId: string;
  name: string;
}

/** The secretariat's decision about one nomination; 'follow-ranking' takes an earlier one back. */
export interface NominationDecision {
  nominationId: string;
  category: CategoryId;
  decision: z.infer<ReturnType<typeof selectionDecisionSchema>>['decision'];
  reason: string;
  by: DecidedBy;
  at: string;
}

/** How many of a category the secretariat forwards when fewer than the quota; null: the full quota. */
export interface ForwardLimit {
  category: CategoryId;
  forward: number | null;
  reason: string;
  by: DecidedBy;
  at: string;
}

export interface SelectionDiscretion {
  decisions: readonly NominationDecision[];
  limits: readonly ForwardLimit[];
}

export const NO_DISCRETION: SelectionDiscretion = { decisions: [], limits: [] };

/** The decision in force for a nomination: include or leave out (a taken-back one is none). */
export function decisionFor(
  discretion: SelectionDiscretion,
  nominationId: string,
): (NominationDecision & { decision: 'include' | 'leave-out' }) | undefined {
  const found = discretion.decisions.find((d) => d.nominationId === nominationId);
  return found && found.decision !== 'follow-ranking'
    ? (found as NominationDecision & { decision: 'include' | 'leave-out' })
    : undefined;
}

/** The fewer-than-quota limit in force for a category, if any. */
export function limitFor(
  discretion: SelectionDiscretion,
  category: CategoryId,
): (ForwardLimit & { forward: number }) | undefined {
  const found = discretion.limits.find((l) => l.category === category);
  return found && found.forward !== null ? (found as ForwardLimit & { forward: number }) : undefined;
}

/** The record kept on a nomination once the selection is confirmed: rank, verdict, reason, and any departure from the ranking. */
export interface SelectionRecord {
  rank: number | null;
  selected: boolean;
  message: { zh: string; en: string };
  /** Set when the secretariat's decision made the verdict differ from what the ranking proposed. */
  againstRanking?: { reason: string; by: DecidedBy; at: string };
}
