import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sha256Of } from '../../../functions/documents/checksum.js';
import { confirmSelection } from '../../../functions/use-cases/campaign-steps.js';
import {
  endorseForwarded,
  recordSocietyScan,
  requestSocietyScanUpload,
} from '../../../functions/use-cases/endorsement.js';
import {
  PACKAGE_AVAILABLE_MS,
  packageStatus,
  startPackage,
} from '../../../functions/use-cases/forwarding-package.js';
import { pdf } from '../../fixtures/files.js';
import { memoryWorld, PACKAGE_JOB_MACHINE, type World } from '../../support/memory/index.js';
import {
  endSubmissions,
  inviteExperts,
  inviteUnit,
  passAll,
  reviewEverything,
  secretariatOf,
  submitted,
} from '../../support/memory/people.js';

/**
 * The forwarding package as a job (functions/use-cases/forwarding-package.ts over
 * statemachines/forwarding-package.asl.json): the request starts it and answers at once, a repeat
 * while it runs is the same job, the job's read gives the progress and, once done and for 24
 * hours, a download; a build whose retries are spent says so and the next request builds again.
 */

const cacs = secretariatOf('cacs-2024');

/** Member units of the society nominate a volunteer each and one a team; all reviewed; the selection forwards them. */
async function forwardedRound(world: World) {
  await inviteExperts(world, 'cacs-2024', [{ id: 'x1' }, { id: 'x2' }, { id: 'x3' }]);
  const ids: string[] = [];
  for (let i = 1; i <= 2; i += 1) {
    const unit = await inviteUnit(world, 'cacs-2024', `member-${i}`, 'member', `会员单位${i}`);
    ids.push((await submitted(world, unit, 'volunteer')).id);
  }
  await passAll(world, ids);
  await reviewEverything(world, ['x1', 'x2', 'x3'], (id) => 10 - ids.indexOf(id));
  await endSubmissions(world, 'cacs-2024');
  await confirmSelection(world.deps, cacs, 'cacs-2024', {});
  await world.settle();
  return ids;
}

const zipNames = (world: World, url: string) =>
  Object.keys(unzipSync(world.deps.uploads.download(url) ?? new Uint8Array()));

describe('the forwarding package job', () => {
  it('starts once however often it is asked while it runs, then gives the package for 24 hours', async () => {
    const world = memoryWorld();
    await forwardedRound(world);
    const first = await startPackage(world.deps, cacs, 'cacs-2024', { category: 'volunteer' });
    const again = await startPackage(world.deps, cacs, 'cacs-2024', { category: 'volunteer' });
    expect(first).toMatchObject({
      job: { status: 'running', step: 'package' },
      category: 'volunteer',
      download: null,
    });
    expect(again.job).toEqual(first.job);
    expect(world.machines.listExecutions(PACKAGE_JOB_MACHINE)).toHaveLength(1);

    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const done = await packageStatus(world.deps, cacs, 'cacs-2024', first.job.id);
    expect(done.job).toMatchObject({ status: 'done', total: 2, moved: 2 });
    expect(done.download).toMatchObject({ nominations: 2 });
    expect(done.download?.fileName).toContain('最美科技志愿者');
    const names = zipNames(world, done.download?.url ?? '');
    expect(names.filter((n) => n.endsWith('/推荐表.docx'))).toHaveLength(2);
    // Only the chosen category's folder, beside the summary table.
    expect(names.filter((n) => !n.endsWith('/汇总表.xlsx') && !n.includes('/01 最美科技志愿者/'))).toEqual(
      [],
    );

    world.clock.advance(PACKAGE_AVAILABLE_MS);
    expect((await packageStatus(world.deps, cacs, 'cacs-2024', first.job.id)).download).toBeNull();
    // Built again on request: the next attempt, a new execution.
    const rebuilt = await startPackage(world.deps, cacs, 'cacs-2024', { category: 'volunteer' });
    expect(rebuilt.job.status).toBe('running');
    expect(world.machines.listExecutions(PACKAGE_JOB_MACHINE)).toHaveLength(2);
  });

  it("carries, for a nomination the society endorsed, the form as sent to CAST and the society's stamped scan beside the member's", async () => {
    const world = memoryWorld();
    const members = (await forwardedRound(world)) as [string, string];
    const [first] = members;
    const opinion = '该同志长期扎根基层一线，同意推荐。';
    await endorseForwarded(world.deps, cacs, 'cacs-2024', first, { opinion });
    const policy = await requestSocietyScanUpload(world.deps, cacs, 'cacs-2024', first, {
      contentType: 'application/pdf',
      fileName: '学会盖章.pdf',
    });
    const societyScan = pdf(50_000);
    await world.deps.uploads.post(policy.fields, societyScan);
    await recordSocietyScan(world.deps, cacs, 'cacs-2024', first, {
      attachmentId: policy.attachmentId,
      fileName: '学会盖章.pdf',
    });

    const started = await startPackage(world.deps, cacs, 'cacs-2024', {});
    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const done = await packageStatus(world.deps, cacs, 'cacs-2024', started.job.id);
    const files = unzipSync(world.deps.uploads.download(done.download?.url ?? '') ?? new Uint8Array());
    const folder = (suffix: string) => Object.keys(files).filter((name) => name.endsWith(suffix));
    // Only the endorsed nomination carries the society's scan, byte for byte; both keep the member's.
    const [stamped] = folder('/推荐单位盖章扫描件.pdf');
    expect(folder('/推荐单位盖章扫描件.pdf')).toHaveLength(1);
    expect(files[stamped ?? '']).toEqual(societyScan);
    expect(folder('/盖章扫描件.pdf').filter((n) => !n.endsWith('/推荐单位盖章扫描件.pdf'))).toHaveLength(2);
    // Its Word form is the one sent to CAST: the society as recommending unit, its opinion printed.
    const dir = stamped?.slice(0, stamped.lastIndexOf('/'));
    const word = unzipSync(files[`${dir}/推荐表.docx`] ?? new Uint8Array());
    const text = strFromU8(word['word/document.xml'] ?? new Uint8Array());
    expect(text).toContain(opinion);
    expect(text).toContain('推荐单位：中国工艺美术学会（盖章）');
    // Beside it, the Word file each member unit uploaded, byte for byte, under its own extension.
    const uploaded = folder('/推荐表（单位上传）.docx');
    expect(uploaded).toHaveLength(2);
    const recordedWord = async (id: string) =>
      (await world.deps.store.get(id))?.attachments.find((a) => a.kind === 'word')?.sha256;
    expect(uploaded.map((name) => sha256Of(files[name] ?? new Uint8Array())).sort()).toEqual(
      (await Promise.all(members.map(recordedWord))).sort(),
    );
  });

  it('marks a build whose retries are spent as failed, in words, and builds again on the next request', async () => {
    const world = memoryWorld();
    await forwardedRound(world);
    const get = world.deps.store.get.bind(world.deps.store);
    world.deps.store.get = async () => {
      throw new Error('the table is unreachable');
    };
    const started = await startPackage(world.deps, cacs, 'cacs-2024', {});
    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const failed = await packageStatus(world.deps, cacs, 'cacs-2024', started.job.id);
    expect(failed.job).toMatchObject({ status: 'failed', error: 'the table is unreachable' });
    expect(failed.download).toBeNull();
    // Nothing half-written was kept under packages/.
    expect(world.deps.uploads.keys().filter((k) => k.startsWith('packages/'))).toEqual([]);

    world.deps.store.get = get;
    const again = await startPackage(world.deps, cacs, 'cacs-2024', {});
    expect(again.job.status).toBe('running');
    await world.machines.settle({ machine: PACKAGE_JOB_MACHINE });
    const done = await packageStatus(world.deps, cacs, 'cacs-2024', again.job.id);
    expect(done.job.status).toBe('done');
    expect(done.download?.nominations).toBe(2);
  });

  it('refuses an unknown category naming the field, and answers 404 for a job that is not a package', async () => {
    const world = memoryWorld();
    await expect(
      startPackage(world.deps, cacs, 'cacs-2024', { category: 'astronaut' }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['category'] })],
    });
    // A JSON null is a body that is not an object (no body at all means the whole campaign).
    await expect(startPackage(world.deps, cacs, 'cacs-2024', null)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(packageStatus(world.deps, cacs, 'cacs-2024', 'package-all')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(packageStatus(world.deps, cacs, 'cacs-2024', 'selection')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
