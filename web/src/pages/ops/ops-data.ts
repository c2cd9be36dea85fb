import type { CategoryId } from '../../../../functions/rules/categories.js';
import type { NominationStatus } from '../../../../functions/rules/nomination-status.js';
import type { AwaitedStep } from '../../../../functions/rules/steps.js';
import { type Bilingual, lang } from '../../i18n.js';
import type { HistoryEvent } from './timeline.js';

/** The statuses Step Functions gives an execution; the problems first, as operations read them. */
export const EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED', 'RUNNING', 'SUCCEEDED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const STATUS_NAMES: Record<ExecutionStatus, Bilingual> = {
  FAILED: { zh: '失败', en: 'Failed' },
  TIMED_OUT: { zh: '超时', en: 'Timed out' },
  ABORTED: { zh: '已中止', en: 'Aborted' },
  RUNNING: { zh: '运行中', en: 'Running' },
  SUCCEEDED: { zh: '已完成', en: 'Succeeded' },
};

/** Only these may be restarted (the API refuses the others with 409 NOT_RESTARTABLE). */
export const RESTARTABLE: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export const STEP_NAMES: Record<AwaitedStep, Bilingual> = {
  screening: { zh: '等待初核', en: 'Awaiting screening' },
  resubmission: { zh: '等待补正后重新提交', en: 'Awaiting resubmission' },
  reviews: { zh: '等待专家评审', en: 'Awaiting expert reviews' },
  selection: { zh: '等待择优确认', en: 'Awaiting selection' },
  publicity: { zh: '公示中，等待发布', en: 'In publicity, awaiting release' },
};

/** What an execution is about: the category and the unit (no personal information), beside its name. */
export interface ExecutionSubject {
  category: CategoryId;
  unitName: string;
}

/** One row of GET /api/ops/executions. */
export interface ExecutionRow extends ExecutionSubject {
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string | null;
  nominationStatus: NominationStatus | null;
  waitingIn: AwaitedStep | null;
}

// The timeline is pure (timeline.ts): tested without a browser, re-exported for the pages.
export type { ExecutionMark, HistoryEvent, StateVisit } from './timeline.js';
export { timelineOf } from './timeline.js';

/** A moment to the second, in China time: a history needs the seconds. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang.value === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The execution's status as its history ends. */
export function statusOfHistory(events: readonly HistoryEvent[]): ExecutionStatus {
  const last = [...events]
    .reverse()
    .find((e) => e.type.startsWith('Execution') && e.type !== 'ExecutionStarted');
  switch (last?.type) {
    case 'ExecutionSucceeded':
      return 'SUCCEEDED';
    case 'ExecutionFailed':
      return 'FAILED';
    case 'ExecutionAborted':
      return 'ABORTED';
    case 'ExecutionTimedOut':
      return 'TIMED_OUT';
    default:
      return 'RUNNING';
  }
}

export const EXECUTION_EVENT_NAMES: Record<string, Bilingual> = {
  ExecutionStarted: { zh: '流程开始', en: 'Execution started' },
  ExecutionSucceeded: { zh: '流程完成', en: 'Execution succeeded' },
  ExecutionFailed: { zh: '流程失败', en: 'Execution failed' },
  ExecutionAborted: { zh: '流程被中止', en: 'Execution aborted' },
  ExecutionTimedOut: { zh: '流程超时', en: 'Execution timed out' },
};

/** The new execution's name, from the ARN POST …/restart answers with. */
export const nameOfArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

/** The states of statemachines/nomination.asl.json as people call them (the name is shown too). */
export const STATE_NAMES: Record<string, Bilingual> = {
  ValidateSubmission: { zh: '校验提交', en: 'Validate submission' },
  AwaitScreening: { zh: '等待初核', en: 'Await screening' },
  ScreeningOutcome: { zh: '初核结果', en: 'Screening outcome' },
  AwaitResubmission: { zh: '等待补正', en: 'Await resubmission' },
  ResubmissionOutcome: { zh: '补正结果', en: 'Resubmission outcome' },
  AssignExperts: { zh: '分配专家', en: 'Assign experts' },
  AwaitReviews: { zh: '等待专家评审', en: 'Await reviews' },
  AggregateScores: { zh: '汇总评分', en: 'Aggregate scores' },
  AwaitSelection: { zh: '等待择优', en: 'Await selection' },
  SelectionOutcome: { zh: '择优结果', en: 'Selection outcome' },
  Forward: { zh: '报送', en: 'Forward' },
  ForwardOutcome: { zh: '报送结果', en: 'Forwarding outcome' },
  AwaitPublicity: { zh: '公示', en: 'Await publicity' },
  PublicityOutcome: { zh: '公示结果', en: 'Publicity outcome' },
  Release: { zh: '正式发布', en: 'Release' },
  Released: { zh: '已发布', en: 'Released' },
  NotSelected: { zh: '未入选', en: 'Not selected' },
  ForwardedToParent: { zh: '已报送上级', en: 'Forwarded to the parent round' },
  WithdrawnAfterObjection: { zh: '异议成立，撤销', en: 'Withdrawn after objection' },
  Rejected: { zh: '未通过初核', en: 'Rejected' },
  Withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  SystemFailure: { zh: '系统故障', en: 'System failure' },
};
