import type { CampaignJobView } from '../../../../functions/use-cases/campaign-steps.js';
import { ApiError, get, post } from '../../api.js';
import { t } from '../../i18n.js';
import { api } from './common.js';

export type { CampaignJobView };

/** Every campaign-wide step answers with its job: null when there was nothing to move. */
export interface JobAnswer {
  job: CampaignJobView | null;
}

const POLL_MS = 1000;

/**
 * Sends a campaign-wide step (selection, publicity, release). A round of thousands outlasts one
 * request: the server answers 202 with the job's progress, and this follows the job until it is
 * done, reporting each look, then gives the step's own answer.
 */
export async function runCampaignStep<T extends JobAnswer>(
  path: string,
  body: unknown,
  onProgress: (job: CampaignJobView) => void,
  /** Where the job is read while it runs (the forwarding package has its own route). */
  followPath: (jobId: string) => string = (jobId) => `/jobs/${encodeURIComponent(jobId)}`,
): Promise<T> {
  let answer = await post<T>(api(path), body);
  while (answer.job?.status === 'running') {
    onProgress(answer.job);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    answer = await get<T>(api(followPath(answer.job.id)));
  }
  if (answer.job?.status === 'failed') {
    throw new ApiError(500, {
      code: 'JOB_FAILED',
      message: {
        zh: `批处理在处理 ${answer.job.moved} / ${answer.job.total} 份后中断，请再次提交以继续`,
        en: `The job stopped after ${answer.job.moved} of ${answer.job.total}; send it again to go on`,
      },
      path: [],
    });
  }
  return answer;
}

/** How far a running job has got, for the dialog that started it. */
export function JobProgress(props: { job: CampaignJobView | null }) {
  const job = props.job;
  if (job?.status !== 'running') return null;
  // Total 0: the job is still deciding what to move (its first task): a bar with no value yet.
  if (job.total === 0)
    return (
      <p role="status" class="job-progress">
        <progress aria-label={t('处理进度', 'Progress')} />{' '}
        {t('正在准备：确定需要处理的推荐……', 'Preparing: finding the nominations to process…')}
      </p>
    );
  return <ProgressLine done={job.moved} total={job.total} />;
}

/** A progress bar with the counts the server reports: n of N nominations done. */
export function ProgressLine(props: { done: number; total: number; label?: string }) {
  return (
    <p role="status" class="job-progress">
      <progress max={props.total} value={props.done} aria-label={props.label ?? t('处理进度', 'Progress')} />{' '}
      {t(
        `正在处理：已完成 ${props.done} / ${props.total} 份`,
        `Working: ${props.done} of ${props.total} done`,
      )}
    </p>
  );
}
