import { describe, expect, it } from 'vitest';
import { retryOnVersionConflict } from '../../../functions/use-cases/retry.js';

/** The optimistic write's retry (functions/use-cases/retry.ts): only a lost race is run again, and only so often. */

const conflict = () => Object.assign(new Error('changed meanwhile'), { code: 'VERSION_CONFLICT' });

/** Work that loses the race `losses` times, then returns how many times it ran. */
function racing(losses: number) {
  let runs = 0;
  const work = async () => {
    runs += 1;
    if (runs <= losses) throw conflict();
    return runs;
  };
  return { work, runs: () => runs };
}

describe('retryOnVersionConflict', () => {
  it('runs the work again after each lost race and returns what the first clean run returns', async () => {
    expect(await retryOnVersionConflict(racing(0).work)).toBe(1);
    expect(await retryOnVersionConflict(racing(4).work)).toBe(5);
  });

  it('gives up after five runs by default, throwing the last refusal', async () => {
    const race = racing(5);
    await expect(retryOnVersionConflict(race.work)).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(race.runs()).toBe(5);
  });

  it('runs as many times as asked, no more', async () => {
    const race = racing(10);
    await expect(retryOnVersionConflict(race.work, 2)).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(race.runs()).toBe(2);
    expect(await retryOnVersionConflict(racing(2).work, 3)).toBe(3);
  });

  it('throws any other error at once', async () => {
    let runs = 0;
    const refused = Object.assign(new Error('closed'), { code: 'SUBMISSION_CLOSED' });
    await expect(
      retryOnVersionConflict(async () => {
        runs += 1;
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(runs).toBe(1);
    await expect(
      retryOnVersionConflict(async () => {
        runs += 1;
        throw new Error('no code');
      }),
    ).rejects.toThrow('no code');
    expect(runs).toBe(2);
  });
});
