import { describe, expect, it } from 'vitest';
import { AWAITED_STEPS, stepAnswer } from '../../../functions/rules/steps.js';
import { withdraw } from '../../../functions/use-cases/nominations.js';
import { screen } from '../../../functions/use-cases/screening.js';
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
      states: ['ValidateSubmission', 'AwaitScreening', 'AwaitResubmission', 'Withdrawn'],
    });
  });
});
