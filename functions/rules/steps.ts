import type { NominationStatus } from './nomination-status.js';

/**
 * The human steps a nomination's execution waits in. Whether a step has been answered is read
 * from the nomination's status — never from a separate flag — so the decision and the token can
 * arrive in either order: whoever comes second delivers the outcome.
 */
export const AWAITED_STEPS = ['screening', 'resubmission', 'reviews', 'selection', 'publicity'] as const;
export type AwaitedStep = (typeof AWAITED_STEPS)[number];

export interface Awaiting {
  step: AwaitedStep;
  taskToken: string;
  since: string;
}

const OUTCOMES: Record<AwaitedStep, Partial<Record<NominationStatus, string>>> = {
  screening: { 'in-review': 'pass', returned: 'return', rejected: 'reject', withdrawn: 'withdrawn' },
  resubmission: { submitted: 'resubmitted', withdrawn: 'withdrawn' },
  reviews: { scored: 'scored' },
  selection: { selected: 'selected', 'not-selected': 'not-selected' },
  publicity: { released: 'released', 'withdrawn-after-objection': 'withdrawn' },
};

/** The outcome to send for `step`, or undefined while the step still waits for a person. */
export function outcomeFromStatus(step: AwaitedStep, status: NominationStatus): string | undefined {
  return OUTCOMES[step][status];
}
