import { describe, expect, it } from 'vitest';
import { type HistoryEvent, timelineOf } from '../../web/src/pages/ops/timeline.js';

/** The operations page's timeline of an execution (web/src/pages/ops/ops-data.ts). */
describe('the timeline of an execution', () => {
  const event = (
    id: number,
    type: string,
    state: string | null,
    error: string | null = null,
  ): HistoryEvent => ({
    id,
    type,
    timestamp: `2025-02-01T00:00:0${id}.000Z`,
    state,
    error,
  });

  it('shows a person’s decision the task was answered with as an outcome, not a task failure; a real failure stays one', () => {
    const items = timelineOf([
      event(1, 'TaskStateEntered', 'AwaitScreening'),
      event(2, 'TaskScheduled', null),
      event(3, 'TaskFailed', null, 'Laurel.Outcome.Returned'),
      event(4, 'TaskStateExited', 'AwaitScreening'),
      event(5, 'TaskStateEntered', 'AssignExperts'),
      event(6, 'TaskScheduled', null),
      event(7, 'TaskFailed', null, 'Laurel.StoreBusy'),
    ]);
    expect(items[0]).toMatchObject({ state: 'AwaitScreening', outcome: 'Returned', failures: [] });
    expect(items[1]).toMatchObject({ state: 'AssignExperts', failures: [{ error: 'Laurel.StoreBusy' }] });
    expect(items[1]).not.toHaveProperty('outcome');
  });
});
