import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CampaignJob } from '../../../functions/ports/jobs.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import type { ListedNomination } from '../../../functions/rules/nomination-view.js';
import {
  PACKAGE_AVAILABLE_MS,
  type PackageDeps,
  packageStatus,
  startPackage,
} from '../../../functions/use-cases/forwarding-package.js';
import { buildPackage, packageJobTask } from '../../../functions/use-cases/package-build.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { inviteUnit, secretariatOf, submitted } from '../../support/memory/people.js';

/**
 * The forwarding package's request, its answer and its build, from the job as stored: the
 * download named for the organizer and category and offered for 24 hours exactly, a job that
 * ended without saying so built again, the build's paging, progress, summary rows and reads, and
 * the attempts it leaves alone. The whole round through the state machine is forwarding-package.test.ts's.
 */

const CAST = secretariatOf('cast-2024');
const FINISHED = '2025-03-01T02:00:00.000Z';

/** A package job as a request starts it. */
const packageJob = (over: Partial<CampaignJob> = {}): CampaignJob => ({
  id: 'package-volunteer',
  campaignId: 'cast-2024',
  step: 'package',
  attempt: 1,
  planId: '',
  status: 'running',
  total: 0,
  chunks: 0,
  movedChunks: 0,
  done: 0,
  startedAt: '2025-03-01T01:00:00.000Z',
  by: CAST,
  summary: { category: 'volunteer' },
  ...over,
});

/** Stores `job` as the campaign's, then its state as given (done, with a package built). */
async function stored(world: World, job: CampaignJob, then: Partial<CampaignJob> = {}) {
  expect(await world.deps.jobs.startJob({ ...job, attempt: 1 }, 0)).toBe(true);
  for (let attempt = 2; attempt <= job.attempt; attempt += 1)
    expect(await world.deps.jobs.startJob({ ...job, attempt }, attempt - 1)).toBe(true);
  if (Object.keys(then).length > 0) await world.deps.jobs.updateJob({ ...job, ...then });
}

const built = (summary: Record<string, unknown> = {}) => ({
  status: 'done' as const,
  finishedAt: FINISHED,
  summary: {
    category: 'volunteer',
    key: 'packages/cast-2024/package-volunteer-1.zip',
    versionId: 'v1',
    bytes: 2048,
    nominations: 3,
    ...summary,
  },
});

describe('packageStatus', () => {
  it('offers the built package under the organizer and category names, until 24 hours after it was built', async () => {
    const world = memoryWorld({ now: FINISHED });
    await stored(world, packageJob(), built());
    world.clock.set(new Date(Date.parse(FINISHED) + PACKAGE_AVAILABLE_MS - 1).toISOString());
    const answer = await packageStatus(world.deps, CAST, 'cast-2024', 'package-volunteer');
    const fileName = '中国科协-推荐材料-最美科技志愿者.zip';
    expect(answer.download).toEqual({
      url: expect.any(String),
      fileName,
      bytes: 2048,
      nominations: 3,
      availableUntil: '2025-03-02T02:00:00.000Z',
    });
    const url = new URL(answer.download?.url ?? '');
    expect(url.pathname.endsWith('packages/cast-2024/package-volunteer-1.zip')).toBe(true);
    expect(url.searchParams.get('versionId')).toBe('v1');
    expect(url.searchParams.get('response-content-type')).toBe('application/zip');
    expect(url.searchParams.get('response-content-disposition')).toContain(encodeURIComponent(fileName));
    world.clock.set('2025-03-02T02:00:00.000Z');
    expect((await packageStatus(world.deps, CAST, 'cast-2024', 'package-volunteer')).download).toBeNull();
  });

  it('names the package of every category without one, and counts nothing it was not told', async () => {
    const world = memoryWorld({ now: FINISHED });
    await stored(
      world,
      packageJob({ id: 'package-all', summary: { category: null } }),
      built({ category: null, bytes: undefined, nominations: undefined }),
    );
    const answer = await packageStatus(world.deps, CAST, 'cast-2024', 'package-all');
    expect(answer.category).toBeNull();
    expect(answer.download).toMatchObject({ fileName: '中国科协-推荐材料.zip', bytes: 0, nominations: 0 });
  });

  it('offers no download until the job is done with its package stored', async () => {
    for (const [then, what] of [
      [{ summary: built().summary }, 'running'],
      [built({ key: undefined }), 'no key'],
      [built({ versionId: undefined }), 'no version'],
      [{ ...built(), finishedAt: undefined }, 'no end'],
    ] as const) {
      const world = memoryWorld({ now: FINISHED });
      await stored(world, packageJob(), then as Partial<CampaignJob>);
      const answer = await packageStatus(world.deps, CAST, 'cast-2024', 'package-volunteer');
      expect(answer.download, what).toBeNull();
      expect(answer.category, what).toBe('volunteer');
    }
  });

  it("is a 404 naming the package for a job that is no package, and the campaign's secretariat's alone", async () => {
    const world = memoryWorld();
    for (const id of ['package-site', 'selection'])
      await expect(packageStatus(world.deps, CAST, 'cast-2024', id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        messages: { zh: `材料包“${id}”不存在`, en: `No package "${id}"` },
      });
    await expect(
      packageStatus(world.deps, secretariatOf('cacs-2024'), 'cast-2024', 'package-all'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('startPackage', () => {
  it('builds the whole campaign as package-all without a category, and refuses another round’s secretariat', async () => {
    const world = memoryWorld();
    const started = await startPackage(world.deps, CAST, 'cast-2024', {});
    expect(started.job).toMatchObject({ id: 'package-all', status: 'running', moved: 0 });
    expect(started.category).toBeNull();
    const stored = await world.deps.jobs.job('cast-2024', 'package-all');
    expect(stored).toMatchObject({ attempt: 1, planId: '', step: 'package', summary: { category: null } });
    await expect(startPackage(world.deps, secretariatOf('cacs-2024'), 'cast-2024', {})).rejects.toMatchObject(
      {
        code: 'FORBIDDEN',
      },
    );
    await expect(
      startPackage(world.deps, CAST, 'cast-2024', { category: 'astronaut' }),
    ).rejects.toMatchObject({
      messages: {
        zh: expect.stringMatching(/^材料包有 1 处错误/),
        en: expect.stringMatching(/^The package has 1 error\(s\)/),
      },
    });
  });

  it('starts the next attempt when the running job’s execution ended without saying so', async () => {
    const world = memoryWorld();
    await stored(world, packageJob({ attempt: 1 }));
    const names: string[] = [];
    const deps: PackageDeps = {
      ...world.deps,
      packageRunner: {
        start: async (name, input) => {
          names.push(name);
          return input.attempt === 1 ? 'ended' : 'started';
        },
      },
    };
    const answer = await startPackage(deps, CAST, 'cast-2024', { category: 'volunteer' });
    expect(answer.job.status).toBe('running');
    expect((await world.deps.jobs.job('cast-2024', 'package-volunteer'))?.attempt).toBe(2);
    expect(names).toHaveLength(2);
  });

  it('answers the attempt another request started meanwhile, without starting a third', async () => {
    const world = memoryWorld();
    await stored(world, packageJob({ attempt: 1 }));
    const deps: PackageDeps = {
      ...world.deps,
      packageRunner: {
        start: async (_name, input) => {
          if (input.attempt !== 1) return 'running';
          // Meanwhile another request saw the same and started attempt 2.
          await world.deps.jobs.startJob(packageJob({ attempt: 2 }), 1);
          return 'ended';
        },
      },
    };
    await startPackage(deps, CAST, 'cast-2024', { category: 'volunteer' });
    expect((await world.deps.jobs.job('cast-2024', 'package-volunteer'))?.attempt).toBe(2);
  });

  it('gives up after four lost races with a 404 when no job is there to answer', async () => {
    const world = memoryWorld();
    let tries = 0;
    const deps: PackageDeps = {
      ...world.deps,
      jobs: {
        ...world.deps.jobs,
        job: async () => undefined,
        startJob: async () => {
          tries += 1;
          return false;
        },
      },
    };
    await expect(startPackage(deps, CAST, 'cast-2024', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { zh: '材料包“package-all”不存在', en: 'No package "package-all"' },
    });
    expect(tries).toBe(4);
  });
});

describe('buildPackage', () => {
  /**
   * A world whose forwarded list is made up: `count` copies of one submitted nomination (without
   * files), listed in pages of `pageSize`; the ids in `gone` read as deleted.
   */
  async function madeUp(count: number, pageSize: number, gone: string[] = []) {
    const world = memoryWorld();
    const unit = await inviteUnit(world, 'cast-2024', 'cas-astro', 'national-society', '中国天文学会');
    const n = await submitted(world, unit, 'volunteer');
    const ids = Array.from({ length: count }, (_, i) => `n-${String(i + 1).padStart(2, '0')}`);
    // Each copy its own nominee, contact and score; the third forwarded against the score order.
    const copyOf = (id: string, i: number): Nomination => ({
      ...n,
      id,
      attachments: [],
      form: { ...n.form, name: `被推荐人${i + 1}`, contact: `010-6839640${i + 1}` },
      score: { meanTotal: 90 - i } as Nomination['score'],
      selection: {
        // Ranked the other way round from the ids, so the table's order is the ranking's.
        rank: count - i,
        selected: true,
        message: { zh: '', en: '' },
        ...(i === 2
          ? { againstRanking: { reason: '长期扎根基层', by: { role: 'secretariat' }, at: FINISHED } }
          : {}),
      } as Nomination['selection'],
    });
    const pages: unknown[] = [];
    const updates: Pick<CampaignJob, 'status' | 'total' | 'done'>[] = [];
    const deps: PackageDeps = {
      ...world.deps,
      store: {
        ...world.deps.store,
        page: async (campaignId, filter, request) => {
          pages.push({ campaignId, filter, request });
          if (filter.status !== 'forwarded') return { items: [], cursor: null };
          const start = Number(request.cursor ?? 0);
          const items = ids.slice(start, start + pageSize).map((id, i) => ({
            ...n,
            id,
            name: `被推荐人${id}`,
            attachmentCount: 0,
            selection: { rank: count - start - i },
          }));
          const next = start + pageSize < ids.length ? String(start + pageSize) : null;
          return { items: items as unknown as ListedNomination[], cursor: next };
        },
        get: async (id) => {
          const i = ids.indexOf(id);
          return i < 0 || gone.includes(id) ? world.deps.store.get(id) : copyOf(id, i);
        },
      },
      jobs: {
        ...world.deps.jobs,
        updateJob: async (job) => {
          updates.push({ status: job.status, total: job.total, done: job.done });
          return world.deps.jobs.updateJob(job);
        },
      },
    };
    return { world, deps, ids, pages, updates };
  }

  it('reads every page of the forwarded list, stores its progress every 20, and ends done', async () => {
    const { world, deps, ids, pages, updates } = await madeUp(21, 8);
    await stored(world, packageJob({ id: 'package-all', summary: { category: null } }));
    await buildPackage(deps, { campaignId: 'cast-2024', jobId: 'package-all', attempt: 1, chunk: 0 });
    expect(pages).toEqual([
      { campaignId: 'cast-2024', filter: { status: 'forwarded' }, request: { limit: 100 } },
      { campaignId: 'cast-2024', filter: { status: 'forwarded' }, request: { limit: 100, cursor: '8' } },
      { campaignId: 'cast-2024', filter: { status: 'forwarded' }, request: { limit: 100, cursor: '16' } },
      { campaignId: 'cast-2024', filter: { status: 'in-publicity' }, request: { limit: 100 } },
      { campaignId: 'cast-2024', filter: { status: 'released' }, request: { limit: 100 } },
    ]);
    expect(updates).toEqual([
      { status: 'running', total: 21, done: 0 },
      { status: 'running', total: 21, done: 20 },
      { status: 'done', total: 21, done: 21 },
    ]);
    const job = await world.deps.jobs.job('cast-2024', 'package-all');
    expect(job?.summary).toMatchObject({
      category: null,
      key: 'packages/cast-2024/package-all-1.zip',
      versionId: expect.any(String),
      bytes: expect.any(Number),
      nominations: 21,
    });
    expect(world.deps.uploads.contentType('packages/cast-2024/package-all-1.zip')).toBe('application/zip');
    // Each nominee's form and files were read by the secretariat who asked for the package.
    for (const id of [ids[0], ids[20]])
      expect((await world.deps.accessLog.reads(id ?? '')).map((r) => [r.reader.subjectId, r.read])).toEqual([
        [CAST.subjectId, ['word-form', 'files']],
      ]);
  });

  it('asks for the category of a category’s package, and leaves a nomination deleted since out of the table', async () => {
    const { world, deps, ids, pages } = await madeUp(3, 100, ['n-02']);
    await stored(world, packageJob());
    await packageJobTask(deps, { campaignId: 'cast-2024', jobId: 'package-volunteer', attempt: 1, chunk: 0 });
    expect(pages[0]).toEqual({
      campaignId: 'cast-2024',
      filter: { status: 'forwarded', category: 'volunteer' },
      request: { limit: 100 },
    });
    const job = await world.deps.jobs.job('cast-2024', 'package-volunteer');
    expect(job?.status).toBe('done');
    const zip = unzipSync(
      (await world.deps.uploads.readVersion({
        key: 'packages/cast-2024/package-volunteer-1.zip',
        versionId: String((job?.summary as { versionId?: string } | undefined)?.versionId),
      })) ?? new Uint8Array(),
    );
    const summaryName = Object.keys(zip).find((name) => name.endsWith('汇总表.xlsx')) ?? '';
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((zip[summaryName] ?? new Uint8Array()).slice().buffer);
    const rows = ((book.worksheets[0]?.getSheetValues() ?? []) as unknown[])
      .filter((row): row is unknown[] => Array.isArray(row) && typeof row[1] === 'number')
      .map((row) => row.slice(2));
    // Category, name, unit, score, rank, contact, phone, the selection's note: n-02 is left out.
    expect(rows).toEqual([
      [
        '最美科技志愿者',
        '被推荐人3',
        '中国天文学会',
        88,
        1,
        '被推荐人3',
        '010-68396403',
        '秘书处择优决定，未按名次（评分排名第 1 名）。理由：长期扎根基层',
      ],
      ['最美科技志愿者', '被推荐人1', '中国天文学会', 90, 2, '被推荐人1', '010-68396401', ''],
    ]);
    expect((await world.deps.accessLog.reads('n-02')).length).toBe(0);
    expect((await world.deps.accessLog.reads(ids[0] ?? '')).length).toBe(1);
    // The download says how many nominations the ZIP holds: two, not the three listed.
    expect(job?.summary).toMatchObject({ nominations: 2 });
  });

  it('leaves a stale attempt, a finished job and a missing one alone', async () => {
    const { world, deps, updates } = await madeUp(1, 100);
    await stored(world, packageJob({ attempt: 2 }));
    await buildPackage(deps, { campaignId: 'cast-2024', jobId: 'package-volunteer', attempt: 1, chunk: 0 });
    await buildPackage(deps, { campaignId: 'cast-2024', jobId: 'package-site', attempt: 1, chunk: 0 });
    expect(updates).toEqual([]);
    await buildPackage(deps, { campaignId: 'cast-2024', jobId: 'package-volunteer', attempt: 2, chunk: 0 });
    expect(updates.at(-1)?.status).toBe('done');
    const count = updates.length;
    await buildPackage(deps, { campaignId: 'cast-2024', jobId: 'package-volunteer', attempt: 2, chunk: 0 });
    expect(updates.length).toBe(count);
    expect(world.deps.uploads.keys().filter((k) => k.startsWith('packages/'))).toEqual([
      'packages/cast-2024/package-volunteer-2.zip',
    ]);
  });

  it('refuses a job of a round it does not know', async () => {
    const world = memoryWorld();
    await world.deps.jobs.startJob(packageJob({ campaignId: 'nowhere' }), 0);
    await expect(
      buildPackage(world.deps, { campaignId: 'nowhere', jobId: 'package-volunteer', attempt: 1, chunk: 0 }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      messages: { zh: '活动“nowhere”不存在', en: 'No campaign "nowhere"' },
    });
  });

  it('answers the state machine that the task is done', async () => {
    const world = memoryWorld();
    const input = { campaignId: 'cast-2024', jobId: 'package-volunteer', attempt: 1, chunk: 0 };
    expect(await packageJobTask(world.deps, input)).toEqual({ ...input, done: true });
  });
});
