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
  /**
   * How the waiting step wants to be answered, as its state's Payload says: 'detours-fail' when
   * the outcome that goes on is a SendTaskSuccess and every other a SendTaskFailure named after it
   * (caught into its own state: no Choice state, no transition of its own); absent for an
   * execution on the definition before it (AWS runs an execution on the definition it started
   * with), whose Choice state reads `{outcome}` from a SendTaskSuccess whatever the outcome.
   */
  answer?: StepAnswerMode;
}

export const STEP_ANSWER_MODES = ['detours-fail'] as const;
export type StepAnswerMode = (typeof STEP_ANSWER_MODES)[number];

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

/** The error name of each outcome that leaves a step's way on, caught by its Task's Catch into its own state. */
const CONTINUE = 'continue';
const ANSWERS: Record<AwaitedStep, Record<string, typeof CONTINUE | `Laurel.Outcome.${string}`>> = {
  screening: {
    pass: CONTINUE,
    return: 'Laurel.Outcome.Returned',
    reject: 'Laurel.Outcome.Rejected',
    withdrawn: 'Laurel.Outcome.Withdrawn',
  },
  resubmission: { resubmitted: CONTINUE, withdrawn: 'Laurel.Outcome.Withdrawn' },
  reviews: { scored: CONTINUE },
  selection: { selected: CONTINUE, 'not-selected': 'Laurel.Outcome.NotSelected' },
  publicity: {
    released: CONTINUE,
    withdrawn: 'Laurel.Outcome.WithdrawnAfterObjection',
    'forwarded-to-parent': 'Laurel.Outcome.ForwardedToParent',
  },
};

/** What answers a waiting step's token: SendTaskSuccess with this output, or SendTaskFailure. */
export type StepAnswer =
  | { kind: 'success'; output: { outcome: string; eligibilityKept?: true } }
  | { kind: 'failure'; error: string; cause: string };

/**
 * A resubmission is a submit of its own, which keeps the [auto] criteria by its own transaction
 * (use-cases/nominations.ts submit): its answer says so, for the screening wait it goes on to.
 */
const outputOf = (step: AwaitedStep, outcome: string): { outcome: string; eligibilityKept?: true } =>
  step === 'resubmission' && outcome === 'resubmitted' ? { outcome, eligibilityKept: true } : { outcome };

/**
 * The one table of how a step's outcome is sent. On a definition whose step says 'detours-fail',
 * the outcome that goes on succeeds the task (its `Next` is the way on) and every other fails it
 * with an error of its own name, its cause the outcome's JSON — the Catch entry of that name
 * routes it, before the one that sends any other error to SystemFailure. On the definition
 * before it, every outcome succeeds and a Choice state branches on it.
 */
export function stepAnswer(step: AwaitedStep, outcome: string, mode: StepAnswerMode | undefined): StepAnswer {
  const output = outputOf(step, outcome);
  const answer = ANSWERS[step][outcome];
  if (!answer) throw new Error(`the ${step} step has no outcome ${outcome}`);
  if (mode !== 'detours-fail' || answer === CONTINUE) return { kind: 'success', output };
  return { kind: 'failure', error: answer, cause: JSON.stringify({ outcome }) };
}

/** Every detour's error name, by step: what the state machine's Catch entries must route. */
export const detourErrors = (step: AwaitedStep): string[] =>
  Object.values(ANSWERS[step]).filter((answer) => answer !== CONTINUE);

/**
 * What the screening wait is passed of its state's input (the whole of it: a path to a field an
 * input lacks would fail the state): the execution's input, and after a return the resubmission's
 * answer.
 */
export interface ScreeningReached {
  /** The fresh submit that started the execution kept the [auto] criteria (its input says so). */
  eligibilityKept?: true;
  /** After a return: the latest resubmission's answer (its step's ResultPath). */
  resubmission?: { eligibilityKept?: true };
}

/**
 * Whether the [auto] criteria must be evaluated before the nomination waits for screening: not
 * when the submission that led there kept them. After a return that is the resubmission, whose
 * answer says so — the execution's input speaks of the first submit only and must not stand for
 * a later one; without a return, the input. Not said, they are evaluated (an execution started
 * for a submit cut short, by code that may have kept none).
 */
export const criteriaDue = (reached: ScreeningReached): boolean =>
  (reached.resubmission ? reached.resubmission.eligibilityKept : reached.eligibilityKept) !== true;
