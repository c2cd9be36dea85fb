import { describe, expect, it } from 'vitest';
import type { CampaignJob } from '../../../functions/ports/jobs.js';
import {
  applyJobChunk,
  type CampaignJobDeps,
  CHUNK_SIZE,
  chunkedByUnit,
  executionNameOf,
  failCampaignJob,
} from '../../../functions/use-cases/campaign-jobs.js';
import { memoryJobStore } from '../../support/memory/jobs.js';
import { secretariatOf } from '../../support/memory/people.js';
import { memoryClock } from '../../support/memory/system.js';

/**
 * The edges of the campaign job (functions/use-cases/campaign-jobs.ts) that the selection tests
 * cross only in the middle: chunk sizes at their bounds, the execution name's length, and a
 * stale or finished attempt's task or failure changing nothing.
 */

const running = (over: Partial<CampaignJob> = {}): CampaignJob => ({
  id: 'select-all',
  campaignId: 'cast-2024',
  step: 'selection',
  attempt: 2,
  planId: 'p-1',
  status: 'running',
  total: 250,
  chunks: 3,
  movedChunks: 0,
  startedAt: '2025-03-01T00:00:00.000Z',
  by: secretariatOf('cast-2024'),
  summary: {},
  ...over,
});

async function jobWorld(job: CampaignJob) {
  const jobs = memoryJobStore();
  await jobs.startJob(job, 0);
  const clock = memoryClock('2025-03-01T08:00:00+08:00');
  return { jobs, clock, deps: { jobs, clock } as unknown as CampaignJobDeps };
}

describe('chunkedByUnit', () => {
  const moves = (unitId: string | undefined, count: number, from = 0) =>
    Array.from({ length: count }, (_, i) => ({
      nominationId: `${unitId ?? 'n'}-${from + i}`,
      action: 'release' as const,
      ...(unitId === undefined ? {} : { unitId }),
    }));
  const unitsOf = (chunk: readonly { unitId?: string }[]) => [...new Set(chunk.map((m) => m.unitId))];

  it(`packs whole units into chunks of at most ${CHUNK_SIZE}, each unit in one chunk, none empty`, () => {
    expect(CHUNK_SIZE).toBe(100);
    // 250 moves of 100 units, two or three each, met in rank order (a unit's moves far apart).
    const units = Array.from({ length: 100 }, (_, u) => `u${u}`);
    const plan = [0, 1, 2].flatMap((round) =>
      units.flatMap((u, i) => (round < 2 || i % 2 === 0 ? moves(u, 1, round) : [])),
    );
    expect(plan).toHaveLength(250);
    const chunks = chunkedByUnit(plan);
    expect(chunks.every((c) => c.length > 0 && c.length <= CHUNK_SIZE)).toBe(true);
    expect(chunks.flat()).toHaveLength(250);
    expect(new Set(chunks.flat().map((m) => m.nominationId)).size).toBe(250);
    const chunkOf = new Map<string, number>();
    for (const [i, chunk] of chunks.entries())
      for (const u of unitsOf(chunk)) {
        expect(chunkOf.has(u as string)).toBe(false);
        chunkOf.set(u as string, i);
      }
    expect(chunkOf.size).toBe(100);
    // A unit's moves side by side, in the order the plan met them.
    expect(chunks[0]?.slice(0, 3).map((m) => m.nominationId)).toEqual(['u0-0', 'u0-1', 'u0-2']);
  });

  it('starts a new chunk rather than split a unit, gives a unit larger than a chunk chunks of its own no larger than any, and keeps moves of no unit apart', () => {
    const chunks = chunkedByUnit(
      [...moves('a', 3), ...moves('b', 3), ...moves('c', 12), ...moves(undefined, 2)],
      5,
    );
    // A chunk stays within a task's time and Step Functions' 256 KB whatever a unit's quota.
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 5, 5, 2, 2]);
    expect(chunks.map(unitsOf)).toEqual([['a'], ['b'], ['c'], ['c'], ['c'], [undefined]]);
    expect(
      chunks
        .slice(2, 5)
        .flat()
        .map((m) => m.nominationId),
    ).toEqual(moves('c', 12).map((m) => m.nominationId));
    expect(chunkedByUnit([...moves('a', 2), ...moves('b', 3)], 5).map((c) => c.length)).toEqual([5]);
    expect(chunkedByUnit([])).toEqual([]);
  });
});

describe('executionNameOf', () => {
  it("names the attempt's execution by campaign, job and attempt, within Step Functions' 80 characters", () => {
    expect(executionNameOf({ campaignId: 'cast-2024', id: 'release', attempt: 3 })).toBe(
      'cast-2024-release-3',
    );
    const long = executionNameOf({ campaignId: 'cast-2024', id: 'select-'.repeat(20), attempt: 1 });
    expect(long).toHaveLength(80);
    expect(long.startsWith('cast-2024-select-select-')).toBe(true);
  });
});

describe('a stale or finished attempt', () => {
  it('applies nothing and ends its own execution', async () => {
    const { jobs, deps } = await jobWorld(running());
    let finished = 0;
    const finish = async () => {
      finished += 1;
    };
    const input = { campaignId: 'cast-2024', jobId: 'select-all', attempt: 1, chunk: 0 };
    expect(await applyJobChunk(deps, input, finish)).toEqual({ ...input, done: true });
    expect(await applyJobChunk(deps, { ...input, jobId: 'none' }, finish)).toEqual({
      ...input,
      jobId: 'none',
      done: true,
    });
    expect(finished).toBe(0);
    expect(await jobs.job('cast-2024', 'select-all')).toEqual(running());
  });

  it('past the last chunk finishes the job once, dated; in the middle it counts the progress', async () => {
    const { jobs, clock, deps } = await jobWorld(running({ chunks: 0, total: 0 }));
    let finished = 0;
    const finish = async () => {
      finished += 1;
    };
    const input = { campaignId: 'cast-2024', jobId: 'select-all', attempt: 2, chunk: 0 };
    expect(await applyJobChunk(deps, input, finish)).toEqual({ ...input, chunk: 1, done: true });
    expect(await jobs.job('cast-2024', 'select-all')).toEqual(
      running({ chunks: 0, total: 0, status: 'done', finishedAt: clock.now().toISOString() }),
    );
    expect(await applyJobChunk(deps, input, finish)).toEqual({ ...input, done: true });
    expect(finished).toBe(1);
  });

  it('records a failure only on the running attempt, cut to 1,000 characters', async () => {
    const { jobs, deps } = await jobWorld(running());
    await failCampaignJob(
      deps,
      { campaignId: 'cast-2024', jobId: 'select-all', attempt: 1, chunk: 0 },
      'old',
    );
    expect((await jobs.job('cast-2024', 'select-all'))?.status).toBe('running');
    await failCampaignJob(deps, { campaignId: 'cast-2024', jobId: 'nothing', attempt: 2, chunk: 0 }, 'none');
    await failCampaignJob(
      deps,
      { campaignId: 'cast-2024', jobId: 'select-all', attempt: 2, chunk: 1 },
      'x'.repeat(1200),
    );
    const failed = await jobs.job('cast-2024', 'select-all');
    expect(failed).toMatchObject({ status: 'failed', attempt: 2 });
    expect(failed?.error).toBe('x'.repeat(1000));
    await failCampaignJob(
      deps,
      { campaignId: 'cast-2024', jobId: 'select-all', attempt: 2, chunk: 1 },
      'again',
    );
    expect((await jobs.job('cast-2024', 'select-all'))?.error).toBe('x'.repeat(1000));
  });
});
