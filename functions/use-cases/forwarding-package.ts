import type { CampaignJob, JobTaskInput } from '../ports/jobs.js';
import type { UploadStorage } from '../ports/uploads.js';
import type { JobRunner } from '../ports/workflow.js';
import type { Actor } from '../rules/access.js';
import { CATEGORY_NAMES, type CategoryId } from '../rules/categories.js';
import { notFound } from '../rules/nomination.js';
import { parseInput } from '../rules/validation.js';
import { executionNameOf } from './campaign-jobs.js';
import { type CampaignStepDeps, jobView } from './campaign-steps.js';
import { type PackageAnswer, packageRequestSchema } from './forwarding-package-answer.js';
import type { AccessRecordDeps } from './personal-information.js';
import { campaignFor } from './secretariat.js';

/**
 * The forwarding package (择优推荐): for every forwarded nomination its Word form (rendered now),
 * stamped scan and photos under readable Chinese names, and the summary table, as one ZIP in the
 * bucket — of the whole round or of one category.
 *
 * At a national round's size the package is many gigabytes and takes minutes: no API request can
 * build it (30 s, 6 MB, a function's memory). So the request starts a job — an execution of
 * statemachines/forwarding-package.asl.json — and answers at once with its progress; the job's
 * task streams the ZIP into S3 by a multipart upload, one nomination at a time, so its memory
 * stays bounded whatever the size (use-cases/package-build.ts, the only part that bundles the
 * document libraries); the page polls the job and, once done, offers the download.
 */

/** The package can be downloaded this long after it was built; a newer build replaces it. */
export const PACKAGE_AVAILABLE_MS = 24 * 60 * 60 * 1000;

export interface PackageDeps extends CampaignStepDeps, AccessRecordDeps {
  uploads: UploadStorage;
  /** Starts executions of the package machine. */
  packageRunner: JobRunner;
}

const jobIdOf = (category: CategoryId | undefined) => `package-${category ?? 'all'}`;
const taskInputOf = (job: CampaignJob): JobTaskInput => ({
  campaignId: job.campaignId,
  jobId: job.id,
  attempt: job.attempt,
  chunk: 0,
});

/**
 * Starts building the package (of one category, or of all), or finds the build under way: a
 * double click, or a repeat while it runs, is the same job. A build that ended — done, failed, or
 * its execution gone without saying — is started again as the next attempt (the forwarded
 * nominations may have changed since).
 */
export async function startPackage(
  deps: PackageDeps,
  actor: Actor,
  campaignId: string,
  body: unknown,
): Promise<PackageAnswer> {
  campaignFor(deps, actor, campaignId);
  // No body (given as `{}` by the HTTP layer) means the whole campaign; a JSON null is refused.
  const { category } = parseInput(packageRequestSchema(), body, { zh: '材料包', en: 'package' });
  const jobId = jobIdOf(category);
  for (let race = 0; race < 4; race += 1) {
    const existing = await deps.jobs.job(campaignId, jobId);
    if (existing?.status === 'running') {
      const run = await deps.packageRunner.start(executionNameOf(existing), taskInputOf(existing));
      if (run !== 'ended') return packageAnswer(deps, existing);
      // Ended without the job saying so: finished just now, or stopped short of MarkFailed.
      const now = await deps.jobs.job(campaignId, jobId);
      if (now?.status !== 'running' || now.attempt !== existing.attempt) continue;
    }
    const job: CampaignJob = {
      id: jobId,
      campaignId,
      step: 'package',
      attempt: (existing?.attempt ?? 0) + 1,
      planId: '',
      status: 'running',
      total: 0,
      chunks: 0,
      movedChunks: 0,
      done: 0,
      startedAt: deps.clock.now().toISOString(),
      by: actor,
      summary: { category: category ?? null },
    };
    // Another request (a double click) started this attempt first: that one is the job.
    if (!(await deps.jobs.startJob(job, existing?.attempt ?? 0))) continue;
    await deps.packageRunner.start(executionNameOf(job), taskInputOf(job));
    return packageAnswer(deps, job);
  }
  const job = await deps.jobs.job(campaignId, jobId);
  if (!job) throw notFound({ zh: '材料包', en: 'package' }, jobId);
  return packageAnswer(deps, job);
}

/** The package job's progress and, once done and for 24 hours, a fresh download link. */
export async function packageStatus(
  deps: PackageDeps,
  actor: Actor,
  campaignId: string,
  jobId: string,
): Promise<PackageAnswer> {
  campaignFor(deps, actor, campaignId);
  const job = jobId.startsWith('package-') ? await deps.jobs.job(campaignId, jobId) : undefined;
  if (!job) throw notFound({ zh: '材料包', en: 'package' }, jobId);
  return packageAnswer(deps, job);
}

export interface BuiltPackage {
  category: CategoryId | null;
  key?: string;
  versionId?: string;
  bytes?: number;
  nominations?: number;
}

async function packageAnswer(deps: PackageDeps, job: CampaignJob): Promise<PackageAnswer> {
  const built = job.summary as unknown as BuiltPackage;
  const category = built.category ?? null;
  const answer = { job: jobView(job), category, download: null };
  if (job.status !== 'done' || !built.key || !built.versionId || !job.finishedAt) return answer;
  const availableUntil = new Date(Date.parse(job.finishedAt) + PACKAGE_AVAILABLE_MS);
  if (deps.clock.now() >= availableUntil) return answer;
  const campaign = deps.campaigns.get(job.campaignId);
  const fileName = `${campaign?.organizer.name.zh ?? job.campaignId}-推荐材料${category ? `-${CATEGORY_NAMES[category].zh}` : ''}.zip`;
  // A link signed with the function's role lasts no longer than the role's session (S3's rule for
  // temporary credentials), so a 24-hour link cannot be signed once: each read signs a short one.
  const url = await deps.uploads.presignGet(
    { key: built.key, versionId: built.versionId },
    fileName,
    'application/zip',
  );
  return {
    ...answer,
    download: {
      url,
      fileName,
      bytes: built.bytes ?? 0,
      nominations: built.nominations ?? 0,
      availableUntil: availableUntil.toISOString(),
    },
  };
}
