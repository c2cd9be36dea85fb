import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/routes.js';
import { type AwaitedStep, detourErrors } from '../../functions/rules/steps.js';
import { readAsl } from '../../infra/stacks/workflow.js';
import { STATE_MACHINES } from '../../infra/state-machines.js';
import { HAPPY_PATH_STATES } from '../fixtures/happy-path.js';

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Next?: string;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  Branches?: AslMachine[];
  ItemProcessor?: AslMachine;
  Iterator?: AslMachine;
}
interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}
interface AslMachine {
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

/** Every state of a machine, nested ones (Parallel branches, Map processors) included, with its siblings. */
function allStates(machine: AslMachine): { name: string; state: AslState; siblings: AslMachine }[] {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    { name, state, siblings: machine },
    ...[...(state.Branches ?? []), state.ItemProcessor, state.Iterator]
      .filter((m): m is AslMachine => m !== undefined)
      .flatMap(allStates),
  ]);
}

/** The route table's function a Task invokes, by its `${NameFunctionArn}` placeholder. */
function functionOf(state: AslState) {
  const placeholder = /^\$\{(\w+)FunctionArn\}$/.exec(state.Parameters?.FunctionName ?? '')?.[1];
  return FUNCTIONS.find(
    (f) => placeholder === f.name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
  );
}

// Reads the ASL files themselves: the rules hold for AWS and local mode alike.
describe.each(STATE_MACHINES)('the $name state machine ($file)', (spec) => {
  const machine = JSON.parse(readAsl(spec)) as AslMachine;
  const states = allStates(machine);
  const tasks = states.filter((s) => s.state.Type === 'Task');
  const callbacks = tasks.filter((s) => s.state.Resource?.endsWith('.waitForTaskToken'));

  it('has tasks to check (the machine was read); only the nomination machine waits for people', () => {
    expect(tasks.length).toBeGreaterThan(0);
    expect(callbacks.length > 0).toBe(spec.name === 'nomination');
  });

  it('gives every Task a Retry and a Catch that leads to a named state', () => {
    const lacking = tasks
      .filter(
        (t) =>
          !t.state.Retry?.length ||
          !t.state.Catch?.length ||
          t.state.Catch.some((c) => t.siblings.States[c.Next] === undefined),
      )
      .map((t) => t.name);
    expect(lacking).toEqual([]);
  });

  /**
   * What AWS throws at a Lambda task, beside the function's own answers: Lambda's service errors,
   * the function's timeout (Sandbox.Timedout) and a crash (Lambda.Unknown), a table that stays
   * busy (Laurel.StoreBusy, throttles), and the state's own timeout where it is not a reminder.
   */
  it('retries on every Task what AWS can throw, Lambda timeouts included', () => {
    const transient = [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Lambda.ClientExecutionTimeoutException',
      'Sandbox.Timedout',
      'Lambda.Unknown',
      'Laurel.StoreBusy',
      'ThrottlingException',
      'ProvisionedThroughputExceededException',
    ];
    const lacking = tasks.flatMap((t) => {
      const retried = new Set(t.state.Retry?.flatMap((r) => r.ErrorEquals));
      const covered = (name: string) => retried.has(name) || retried.has('States.ALL');
      const missing = transient.filter((name) => !covered(name));
      // A person's step waits as long as the execution: its timeout is the execution's own, which
      // ends the execution (TimedOut) rather than the state — nothing to retry.
      const waitsForTheExecution =
        t.state.Resource?.endsWith('.waitForTaskToken') &&
        Number(t.state.TimeoutSeconds) >= Number(machine.TimeoutSeconds);
      if (!waitsForTheExecution && !covered('States.Timeout')) missing.push('States.Timeout');
      return missing.map((name) => `${t.name}: ${name}`);
    });
    expect(lacking).toEqual([]);
  });

  /**
   * A throttled invocation (reserved concurrency reached, or the account's pool) did not run: the
   * task waits and tries again until there is room. Its own retrier comes first, with jitter so
   * that many throttled executions do not all come back at the same instant, a delay capped at a
   * minute, and attempts for at least half an hour of waiting (a burst of a whole round's
   * assignments drains at ten at a time) — not the four quick attempts of the other errors.
   */
  it('waits out throttling with jittered, capped backoff for at least 30 minutes on every Lambda task', () => {
    const THROTTLE = 'Lambda.TooManyRequestsException';
    /** The longest a retrier waits in all, at its worst draw: Step Functions' documented formula. */
    const longestWaitS = (r: Retrier) =>
      Array.from({ length: r.MaxAttempts ?? 3 }, (_, attempt) =>
        Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** attempt, r.MaxDelaySeconds ?? Infinity),
      ).reduce((sum, wait) => sum + wait, 0);
    const lambdaTasks = tasks.filter((t) => t.state.Resource?.startsWith('arn:aws:states:::lambda:invoke'));
    expect(lambdaTasks.length).toBeGreaterThan(0);
    const lacking = lambdaTasks.flatMap((t) => {
      const first = t.state.Retry?.find(
        (r) => r.ErrorEquals.includes(THROTTLE) || r.ErrorEquals.includes('States.ALL'),
      );
      if (!first || first.ErrorEquals.join() !== THROTTLE) return [`${t.name}: no retrier of its own`];
      return [
        ...(first.JitterStrategy === 'FULL' ? [] : [`${t.name}: no jitter`]),
        ...((first.MaxDelaySeconds ?? Infinity) <= 60 ? [] : [`${t.name}: delay not capped at 60 s`]),
        ...(longestWaitS(first) >= 30 * 60 ? [] : [`${t.name}: waits ${longestWaitS(first)} s at most`]),
      ];
    });
    expect(lacking).toEqual([]);
  });

  /**
   * Each throttled attempt is a state transition AWS bills, and a task knocks once per retry. A
   * burst of N invocations of a function that runs C at once, s seconds each, drains in N·s/C: the
   * k-th waits about k·s/C, and with FULL jitter each retry waits half its backoff on average. From
   * a first delay of 1 s the backoff climbs 1, 2, 4 … 32 s before the cap, so even a short wait
   * costs six knocks, and the cap's ~30 s apiece the rest (8.6 on average for the burst below;
   * the bench counted 8.19 at 3,000). A first delay near the cap waits instead of knocking: what
   * is left is the drain itself, N·s/(C·cap/2) on average. The burst: a whole round's expert
   * assignments at once — 3,000 on pipeline-step's reserved concurrency, 0.65 s each (the bench).
   */
  it('keeps the knocks of a throttled burst few: a first delay near the cap, not a climb from one second', () => {
    const THROTTLE = 'Lambda.TooManyRequestsException';
    const capacity = FUNCTIONS.find((f) => f.name === 'pipeline-step')?.limits.reservedConcurrency ?? 0;
    expect(capacity).toBeGreaterThan(0);
    const [burst, serviceS] = [3000, 0.65];
    /** Retries until the mean delays (half the backoff, FULL jitter) add up to the wait. */
    const knocks = (r: Retrier, waitS: number) => {
      let [count, waited] = [0, 0];
      while (waited < waitS) {
        waited +=
          Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** count, r.MaxDelaySeconds ?? 60) / 2;
        count += 1;
      }
      return count;
    };
    const meanKnocks = (r: Retrier) =>
      Array.from({ length: burst }, (_, k) => knocks(r, (k * serviceS) / capacity)).reduce(
        (a, b) => a + b,
        0,
      ) / burst;
    // The formula against the retrier this replaced (first delay 1 s): the bench's figure.
    const climbing: Retrier = {
      ErrorEquals: [THROTTLE],
      IntervalSeconds: 1,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
    };
    expect(meanKnocks(climbing)).toBeGreaterThan(8);
    const lambdaTasks = tasks.filter((t) => t.state.Resource?.startsWith('arn:aws:states:::lambda:invoke'));
    const tooMany = lambdaTasks.flatMap((t) => {
      const own = t.state.Retry?.find((r) => r.ErrorEquals.join() === THROTTLE);
      const mean = own ? meanKnocks(own) : Number.POSITIVE_INFINITY;
      return mean < 5 ? [] : [`${t.name}: ${mean.toFixed(2)} knocks per task`];
    });
    expect(tooMany).toEqual([]);
  });

  /**
   * A function that mails throws Laurel.MailFailed when SES or the SMTP relay refuses or throttles
   * a send (functions/adapters/mailer.ts); every state that runs it tries again, since the mails
   * it sends are recorded once sent and a repeat sends only what is missing.
   */
  it('retries a refused or throttled mail (Laurel.MailFailed) on every Task whose function sends mail', () => {
    const mailing = tasks.filter((t) => functionOf(t.state)?.grants.sendsMail);
    expect(mailing.length > 0).toBe(spec.name !== 'forwarding-package');
    const lacking = mailing.filter((t) => {
      const retried = new Set(t.state.Retry?.flatMap((r) => r.ErrorEquals));
      return !['Laurel.MailFailed', 'States.TaskFailed', 'States.ALL'].some((name) => retried.has(name));
    });
    expect(lacking.map((t) => t.name)).toEqual([]);
  });

  it('gives each function a timeout that ends before its state’s TimeoutSeconds, so Step Functions sees Sandbox.Timedout', () => {
    const tooLong = tasks.flatMap((t) => {
      const spec = functionOf(t.state);
      if (!spec) return [`${t.name}: no function of the route table`];
      return spec.limits.timeoutSeconds < Number(t.state.TimeoutSeconds)
        ? []
        : [
            `${t.name}: ${spec.name} runs ${spec.limits.timeoutSeconds} s, the state allows ${t.state.TimeoutSeconds} s`,
          ];
    });
    expect(tooLong).toEqual([]);
  });

  it('gives every Task a TimeoutSeconds', () => {
    expect(tasks.filter((t) => !(Number(t.state.TimeoutSeconds) > 0)).map((t) => t.name)).toEqual([]);
  });

  /**
   * A person's step waits as long as a campaign can last (the execution's year): a re-arm on a
   * timer only refreshed a token that stays valid while the state waits, and cost a transition, an
   * invocation and a write each time. What days bring — reminders, due dates, overdue reviews — is
   * the campaign's daily review clock's (functions/use-cases/review-clock.ts), not a timer per
   * nomination.
   */
  it('has every .waitForTaskToken step wait with the execution’s own timeout, with no timer loop', () => {
    const timed = callbacks
      .filter(
        (t) =>
          Number(t.state.TimeoutSeconds) !== Number(machine.TimeoutSeconds) ||
          t.state.Catch?.some((c) => c.ErrorEquals.includes('States.Timeout')),
      )
      .map((t) => t.name);
    expect(timed).toEqual([]);
  });

  it('has the campaign’s review clock count the days of review: AwaitReviews says so, and no state counts them', () => {
    if (spec.name !== 'nomination') return;
    const reviews = callbacks.filter((t) => t.state.Parameters?.Payload?.step === 'reviews');
    expect(reviews.map((t) => [t.name, t.state.Parameters?.Payload?.reviewClock])).toEqual([
      ['AwaitReviews', 'campaign'],
    ]);
    expect(
      tasks.filter((t) => t.state.Parameters?.Payload?.step === 'review-day').map((t) => t.name),
    ).toEqual([]);
  });

  /**
   * A waiting step's way on is its task's success and every other outcome a task failure named
   * after it (rules/steps.ts stepAnswer): each of those names needs a Catch entry of its own,
   * before any that would catch it first, and the Choice states that branched on `{outcome}` —
   * each a billed transition — are gone.
   */
  /** Where each detour leads: a return waits for the resubmission, every other ends the execution by its name. */
  const DETOUR_ENDS: Record<string, string> = {
    'Laurel.Outcome.Returned': 'AwaitResubmission',
    'Laurel.Outcome.Rejected': 'Rejected',
    'Laurel.Outcome.Withdrawn': 'Withdrawn',
    'Laurel.Outcome.NotSelected': 'NotSelected',
    'Laurel.Outcome.WithdrawnAfterObjection': 'WithdrawnAfterObjection',
    'Laurel.Outcome.ForwardedToParent': 'ForwardedToParent',
  };
  it('routes every detour of a waiting step by a Catch of its own name, and has no Choice state', () => {
    if (spec.name !== 'nomination') return;
    expect(states.filter((s) => s.state.Type === 'Choice').map((s) => s.name)).toEqual([]);
    for (const { name, state } of callbacks) {
      const payload = state.Parameters?.Payload ?? {};
      expect([name, payload.answer]).toEqual([name, 'detours-fail']);
      const catches = state.Catch ?? [];
      const first = (error: string) =>
        catches.find((c) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes('States.ALL'));
      for (const error of detourErrors(payload.step as AwaitedStep)) {
        const catcher = first(error);
        expect([name, error, catcher?.ErrorEquals]).toEqual([name, error, [error]]);
        // What later states read is kept: the outcome goes where the task's result would.
        expect([name, error, catcher?.ResultPath]).toEqual([name, error, `$.${payload.step}`]);
        expect([name, error, catcher?.Next]).toEqual([name, error, DETOUR_ENDS[error]]);
      }
    }
  });

  it('goes straight on from each waiting step on the happy path: no state between them', () => {
    if (spec.name !== 'nomination') return;
    const path: string[] = [];
    let name: string | undefined = (machine as AslMachine & { StartAt: string }).StartAt;
    while (name) {
      path.push(name);
      name = machine.States[name]?.Next;
    }
    expect(path).toEqual([...HAPPY_PATH_STATES]);
  });
});
