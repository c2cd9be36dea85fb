import { describe, expect, it } from 'vitest';
import type { CampaignJob } from '../../../functions/ports/jobs.js';
import {
  applyJobChunk,
  type CampaignJobDeps,
  CHUNK_SIZE,
  chunked,
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

describe('chunked', () => {
  it(`cuts a plan into chunks of ${CHUNK_SIZE}, the last one shorter, none empty`, () => {
    expect(CHUNK_SIZE).toBe(100);
    const items = Array.from({ length: 250 }, (_, i) => i);
    expect(chunked(items).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunked(items).flat()).toEqual(items);
    expect(chunked(items.slice(0, 200)).map((c) => c.length)).toEqual([100, 100]);
    expect(chunked([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(chunked([])).toEqual([]);
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
