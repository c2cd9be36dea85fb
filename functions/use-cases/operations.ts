import * as z from 'zod';
import type { NominationStore } from '../ports/nominations.js';
import type { ExecutionStatus, Executions } from '../ports/workflow.js';
import type { Actor } from '../rules/access.js';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { DomainError } from '../rules/errors.js';
import type { Nomination } from '../rules/nomination.js';
import { parseInput } from '../rules/validation.js';

/**
 * Operations: the nomination executions of the actor's campaign by status, with the human step
 * each waits in; one execution's history; a restart of one that failed. A restart runs the
 * machine again from the start under a new name ("<nomination>-r<n>"); every step reads the
 * nomination's status, so it moves straight on to where the nomination stood.
 */

export interface OperationsDeps {
  executions: Executions;
  store: Pick<NominationStore, 'get'>;
}

// Step Functions' cursors are at most 1,024 characters of base64 and separators.
const pageCursor = builtOnFirstUse(() =>
  z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9+/=_.:-]+$/)
    .optional()
    .meta({ title: '翻页标记', 'x-title-en': 'Cursor' }),
);

export const executionListSchema = builtOnFirstUse(() =>
  z.strictObject({
    status: z
      .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'])
      .optional()
      .meta({ title: '运行状态', 'x-title-en': 'Status' }),
    nextToken: pageCursor(),
  }),
);

/** A history is read a page at a time, to its end: a long-running execution's may hold thousands of events. */
export const executionHistorySchema = builtOnFirstUse(() => z.strictObject({ nextToken: pageCursor() }));

/** Execution names are the nomination's id, or it with "-r<n>" for a restart. */
export const nominationOfExecution = (name: string) => name.replace(/-r\d+$/, '');

const noExecution = (name: string) =>
  new DomainError({
    code: 'NOT_FOUND',
    kind: 'not-found',
    message: { zh: `流程“${name}”不存在`, en: `No execution "${name}"` },
  });

/**
 * What an execution is about, as operations read it beside the execution's name: never only an
 * id, and never the nominee's personal information (PIPL's minimum necessary: operations mend
 * runs, they do not need to know whose) — the category and the recommending unit.
 */
const subjectOf = (nomination: Nomination) => ({
  category: nomination.category,
  unitName: nomination.unitName,
});

/** Executions by status; only those of nominations in the actor's own campaign are shown. */
export async function listExecutions(deps: OperationsDeps, actor: Actor, query: unknown) {
  const filter = parseInput(executionListSchema(), query ?? {}, { zh: '筛选条件', en: 'filter' });
  const page = await deps.executions.list(filter);
  const rows = await Promise.all(
    page.executions.map(async (e) => {
      const nomination = await deps.store.get(nominationOfExecution(e.name));
      if (nomination?.campaignId !== actor.campaignId) return undefined;
      return {
        name: e.name,
        status: e.status,
        startDate: e.startDate,
        stopDate: e.stopDate,
        ...subjectOf(nomination),
        nominationStatus: nomination.status,
        waitingIn: e.status === 'RUNNING' ? (nomination.awaiting?.step ?? null) : null,
      };
    }),
  );
  return { executions: rows.filter((row) => row !== undefined), nextToken: page.nextToken };
}

/**
 * One page of an execution's events (oldest first; `nextToken` reads the next, null at the end),
 * with what it is about when the nomination is in the actor's campaign.
 */
export async function executionHistory(deps: OperationsDeps, actor: Actor, name: string, query: unknown) {
  const { nextToken } = parseInput(executionHistorySchema(), query ?? {}, { zh: '翻页', en: 'page' });
  const [page, nomination] = await Promise.all([
    deps.executions.history(name, nextToken),
    deps.store.get(nominationOfExecution(name)),
  ]);
  if (!page) throw noExecution(name);
  return {
    events: page.events,
    nextToken: page.nextToken,
    subject: nomination?.campaignId === actor.campaignId ? subjectOf(nomination) : null,
  };
}

const RESTARTABLE: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * Restarts a failed, timed-out or aborted execution as "<nomination>-r<n+1>". Restarting it again
 * (a double click, a retried request, two people at once) finds that restart and answers with it
 * (`restarted: false`) instead of starting another; to restart the restart, restart it by its name.
 */
export async function restartExecution(
  deps: OperationsDeps,
  name: string,
): Promise<{ executionArn: string; restarted: boolean }> {
  const current = await deps.executions.describe(name);
  if (!current) throw noExecution(name);
  if (!RESTARTABLE.includes(current.status)) {
    throw new DomainError({
      code: 'NOT_RESTARTABLE',
      kind: 'conflict',
      message: {
        zh: `该流程状态为 ${current.status}，只能重启失败、超时或中止的流程`,
        en: `The execution is ${current.status}; only failed, timed-out or aborted ones restart`,
      },
    });
  }
  const nominationId = nominationOfExecution(name);
  const attempt = Number(/-r(\d+)$/.exec(name)?.[1] ?? 0) + 1;
  const restartName = `${nominationId}-r${attempt}`;
  const earlier = await deps.executions.describe(restartName);
  if (earlier) return { executionArn: earlier.executionArn, restarted: false };
  const executionArn = await deps.executions.start(
    restartName,
    current.input || JSON.stringify({ nominationId }),
  );
  if (executionArn) return { executionArn, restarted: true };
  // Started and ended between the look and the start (another restart at the same moment).
  const raced = await deps.executions.describe(restartName);
  if (!raced) throw noExecution(restartName);
  return { executionArn: raced.executionArn, restarted: false };
}
