import { describe, expect, it } from 'vitest';
import { AWAITED_STEPS, criteriaDue, stepAnswer } from '../../../functions/rules/steps.js';
import { withdraw } from '../../../functions/use-cases/nominations.js';
import { screen } from '../../../functions/use-cases/screening.js';
import { awaitStep } from '../../../functions/use-cases/tasks.js';
import nominationMachine from '../../../statemachines/nomination.asl.json' with { type: 'json' };
import nominationBeforeDetours from '../../fixtures/nomination-before-detours.asl.json' with { type: 'json' };
import { memoryWorld, NOMINATION_MACHINE, type World } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, stored, submitted } from '../../support/memory/people.js';
import type { AslDefinition } from '../../support/memory/state-machines.js';
import { nominationTasks } from '../../support/memory/tasks.js';

/**
 * How a waiting step is answered (rules/steps.ts stepAnswer): the way on by SendTaskSuccess,
 * every detour by SendTaskFailure under its own name — on the definition that says so. An
 * execution started on the definition before it (AWS runs it to its end on that definition) is
 * answered as that definition reads: SendTaskSuccess with `{outcome}` for a Choice state.
 */

describe('stepAnswer: the one table of how an outcome is sent', () => {
  it('succeeds the task for the way on and fails it under the detour’s own name, the cause the outcome’s JSON', () => {
    expect(stepAnswer('screening', 'pass', 'detours-fail')).toEqual({
      kind: 'success',
      output: { outcome: 'pass' },
    });
    expect(stepAnswer('screening', 'return', 'detours-fail')).toEqual({
      kind: 'failure',
      error: 'Laurel.Outcome.Returned',
      cause: '{"outcome":"return"}',
    });
    const detours = AWAITED_STEPS.flatMap((step) =>
      [
        'pass',
        'return',
        'reject',
        'withdrawn',
        'resubmitted',
        'scored',
        'selected',
        'not-selected',
        'released',
        'forwarded-to-parent',
      ].flatMap((outcome) => {
        try {
          const answer = stepAnswer(step, outcome, 'detours-fail');
          return [[step, outcome, answer.kind === 'success' ? 'success' : answer.error]];
        } catch {
          return [];
        }
      }),
    );
    expect(detours).toEqual([
      ['screening', 'pass', 'success'],
      ['screening', 'return', 'Laurel.Outcome.Returned'],
      ['screening', 'reject', 'Laurel.Outcome.Rejected'],
      ['screening', 'withdrawn', 'Laurel.Outcome.Withdrawn'],
      ['resubmission', 'withdrawn', 'Laurel.Outcome.Withdrawn'],
      ['resubmission', 'resubmitted', 'success'],
      ['reviews', 'scored', 'success'],
      ['selection', 'selected', 'success'],
      ['selection', 'not-selected', 'Laurel.Outcome.NotSelected'],
      ['publicity', 'withdrawn', 'Laurel.Outcome.WithdrawnAfterObjection'],
      ['publicity', 'released', 'success'],
      ['publicity', 'forwarded-to-parent', 'Laurel.Outcome.ForwardedToParent'],
    ]);
  });

  it('answers every outcome by success for a step that did not say how (the definition before it)', () => {
    for (const outcome of ['return', 'reject', 'withdrawn'])
      expect(stepAnswer('screening', outcome, undefined)).toEqual({ kind: 'success', output: { outcome } });
    expect(stepAnswer('publicity', 'forwarded-to-parent', undefined)).toEqual({
      kind: 'success',
      output: { outcome: 'forwarded-to-parent' },
    });
  });

  it('refuses an outcome the step does not have, rather than send what no state routes', () => {
    expect(() => stepAnswer('reviews', 'return', 'detours-fail')).toThrow(/no outcome return/);
  });
});

/** The nomination machine as deployed before or after the update (`register` again is UpdateStateMachine). */
const deploy = (world: World, definition: unknown) =>
  world.machines.register(NOMINATION_MACHINE, definition as AslDefinition, nominationTasks(world.deps));

describe('executions keep the definition they started with', () => {
  it('answers a return and a withdrawal by success on the old definition and by failure on the new, each reaching its state', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    deploy(world, nominationBeforeDetours);
    const older = await submitted(world, unit, 'volunteer');
    deploy(world, nominationMachine);
    const newer = await submitted(world, unit, 'project');
    for (const n of [older, newer])
      await screen(world.deps, secretariatOf('cast-2024'), n.id, {
        version: n.version,
        decision: 'return',
        reasons: '请补充服务时长证明',
      });
    await world.settle();
    for (const n of [older, newer]) {
      const returned = await stored(world, n.id);
      await withdraw(world.deps, unit, n.id, { version: returned.version });
    }
    await world.settle();

    const sent = (id: string) =>
      world.workflow.answers(id).map((a) => (a.action === 'SendTaskSuccess' ? a.output : a.error));
    expect(sent(older.id)).toEqual([{ outcome: 'return' }, { outcome: 'withdrawn' }]);
    expect(world.workflow.execution(older.id)).toMatchObject({
      status: 'SUCCEEDED',
      states: [
        'ValidateSubmission',
        'AwaitScreening',
        'ScreeningOutcome',
        'AwaitResubmission',
        'ResubmissionOutcome',
        'Withdrawn',
      ],
    });
    expect(sent(newer.id)).toEqual([
      { Error: 'Laurel.Outcome.Returned', Cause: '{"outcome":"return"}' },
      { Error: 'Laurel.Outcome.Withdrawn', Cause: '{"outcome":"withdrawn"}' },
    ]);
    expect(world.workflow.execution(newer.id)).toMatchObject({
      status: 'SUCCEEDED',
      states: ['AwaitScreening', 'AwaitResubmission', 'Withdrawn'],
    });
  });
});

describe('the screening wait evaluates the [auto] criteria the submission did not keep (ValidateSubmission folded in)', () => {
  it('takes the flag of the submission that led there: after a return the resubmission’s answer, never the first submit’s', () => {
    expect(criteriaDue({})).toBe(true);
    expect(criteriaDue({ eligibilityKept: true })).toBe(false);
    // An old flag: the first submit kept them, the resubmission's answer does not say it did.
    expect(criteriaDue({ eligibilityKept: true, resubmission: {} })).toBe(true);
    expect(criteriaDue({ resubmission: { eligibilityKept: true } })).toBe(false);
    expect(stepAnswer('resubmission', 'resubmitted', 'detours-fail')).toEqual({
      kind: 'success',
      output: { outcome: 'resubmitted', eligibilityKept: true },
    });
  });

  it('reads and writes only the token when kept; evaluates and stores them first when due, and not once screening was decided', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    const calls: string[] = [];
    const deps = {
      ...world.deps,
      store: new Proxy(world.deps.store, {
        get: (inner, name) => {
          const member = inner[name as keyof typeof inner];
          if (typeof member !== 'function') return member;
          return (...args: unknown[]) => {
            calls.push(String(name));
            return (member as (...a: unknown[]) => unknown).apply(inner, args);
          };
        },
      }),
    };
    const arm = (reached: Record<string, unknown>, taskToken: string) =>
      awaitStep(deps, { nominationId: n.id, step: 'screening', answer: 'detours-fail', reached, taskToken });

    await arm({ nominationId: n.id, eligibilityKept: true }, 't-kept');
    expect(calls).toEqual(['storeAwaiting']);

    calls.length = 0;
    const before = await stored(world, n.id);
    // The execution's own token: the secretariat's decision below answers it.
    const token = world.machines.tokensOf('laurel-nomination', n.id)[0]?.token ?? '';
    await arm({ nominationId: n.id, eligibilityKept: true, resubmission: { outcome: 'resubmitted' } }, token);
    expect(calls).toEqual(['get', 'save', 'storeAwaiting']);
    const after = await stored(world, n.id);
    expect(after.eligibility).toEqual(before.eligibility);
    expect(after.awaiting).toMatchObject({ step: 'screening', taskToken: token, answer: 'detours-fail' });

    // The secretariat passed it; the task retried after its token was stored evaluates nothing.
    await screen(world.deps, secretariatOf('cast-2024'), n.id, { version: after.version, decision: 'pass' });
    calls.length = 0;
    await arm({ nominationId: n.id }, token);
    expect(calls.filter((c) => c === 'save')).toEqual([]);
  });

  it('evaluates nothing on the definition before it, whose ValidateSubmission state did (no `reached` in its Payload)', async () => {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    const { eligibility: _kept, ...withoutCriteria } = await stored(world, n.id);
    await world.deps.store.save({ ...withoutCriteria, version: n.version + 1 }, n.version);
    await awaitStep(world.deps, { nominationId: n.id, step: 'screening', taskToken: 't-old' });
    expect((await stored(world, n.id)).eligibility).toBeUndefined();
  });
});
