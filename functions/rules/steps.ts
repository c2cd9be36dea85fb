import { DECIDED_AT_SELECTION, type NominationStatus, PAST_SCREENING } from './nomination-status.js';

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
  /**
   * Whose clock counts the review's days: 'campaign' when the execution waits in AwaitReviews
   * without a daily timeout and the campaign-wide review clock (functions/use-cases/review-clock.ts)
   * counts them; absent for an execution on the definition before it, whose own ReviewDay does.
   */
  reviewClock?: 'campaign';
}

/** Every status in `statuses` answers the step with `outcome`. */
const all = (statuses: readonly NominationStatus[], outcome: string) =>
  Object.fromEntries(statuses.map((status) => [status, outcome]));

/**
 * A status past a step answers it as the step was decided then, so an execution started again
 * (an operations restart runs the machine from its first state) moves straight on to where the
 * nomination stands instead of waiting in a step that was decided long ago.
 */
const OUTCOMES: Record<AwaitedStep, Partial<Record<NominationStatus, string>>> = {
  screening: {
    ...all(PAST_SCREENING, 'pass'),
    returned: 'return',
    rejected: 'reject',
    withdrawn: 'withdrawn',
  },
  resubmission: { submitted: 'resubmitted', withdrawn: 'withdrawn' },
  reviews: all(
    PAST_SCREENING.filter((status) => status !== 'in-review'),
    'scored',
  ),
  selection: {
    ...all(
      DECIDED_AT_SELECTION.filter((status) => status !== 'not-selected'),
      'selected',
    ),
    'not-selected': 'not-selected',
  },
  publicity: { released: 'released', 'withdrawn-after-objection': 'withdrawn' },
};

/** The statuses that answer `step`: any other leaves it waiting for a person. */
export const statusesAnswering = (step: AwaitedStep): NominationStatus[] =>
  Object.keys(OUTCOMES[step]) as NominationStatus[];

/** The outcome to send for `step`, or undefined while the step still waits for a person. */
export function outcomeFromStatus(step: AwaitedStep, status: NominationStatus): string | undefined {
  return OUTCOMES[step][status];
}
