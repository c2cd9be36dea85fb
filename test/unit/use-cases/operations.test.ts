import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, ExecutionSummary, Executions } from '../../../functions/ports/workflow.js';
import type { Actor } from '../../../functions/rules/access.js';
import type { DomainError } from '../../../functions/rules/errors.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import {
  executionHistory,
  listExecutions,
  nominationOfExecution,
  restartExecution,
} from '../../../functions/use-cases/operations.js';
import { failureMessage } from '../../../functions/use-cases/tasks.js';
import { secretariatOf } from '../../support/memory/people.js';

/**
 * Operations' use cases (functions/use-cases/operations.ts) on hand-made ports, and what a failed
 * chunk leaves for people to read (`failureMessage` in tasks.ts): the edges a mutation pass found
 * reached by no test, or only through a whole pipeline.
 */

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

const arnOf = (name: string) => `arn:aws:states:cn-north-1:1:execution:nomination:${name}`;

/**
 * Executions as given; `started` records each start, and a started one runs from then on. With
 * `takenBy`, a start finds its name taken (as Step Functions' ExecutionAlreadyExists) by an
 * execution that appears at that moment with that status.
 */
function executions(
  summaries: ExecutionSummary[],
  inputs: Record<string, string> = {},
  takenBy?: ExecutionStatus,
) {
  const started: { name: string; input: string }[] = [];
  const all = [...summaries];
  const port: Executions = {
    list: async () => ({ executions: summaries, nextToken: 'next-page' }),
    history: async (name) =>
      all.some((s) => s.name === name)
        ? { events: [{ id: 1, type: 'ExecutionStarted', state: null, error: null }], nextToken: null }
        : undefined,
    describe: async (name) => {
      const found = all.find((s) => s.name === name);
      return found
        ? { executionArn: arnOf(name), status: found.status, input: inputs[name] ?? '' }
        : undefined;
    },
    start: async (name, input) => {
      if (takenBy) {
        all.push(run(name, takenBy));
        return undefined;
      }
      started.push({ name, input });
      all.push(run(name, 'RUNNING'));
      return arnOf(name);
    },
  };
  return { port, started };
}

/** Whom a nomination is about: operations read these beside each execution. */
function about(name: string, unitName: string): Partial<Nomination> {
  return { category: 'volunteer', form: { name }, unitName };
}
/** The same, as a row shows it. */
// The category and unit only: an execution's row never carries the nominee's name (toEqual would see it).
const subject = (unitName: string) => ({ category: 'volunteer', unitName });

const nominations: Record<string, Partial<Nomination>> = {
  'n-1': {
    campaignId: 'cast-2024',
    status: 'submitted',
    awaiting: { step: 'screening' } as Nomination['awaiting'],
    ...about('周丽华', '景德镇陶瓷大学'),
  },
  'n-2': { campaignId: 'cast-2024', status: 'released', ...about('李晓梅', '中国天文学会') },
  'n-3': { campaignId: 'cacs-2024', status: 'submitted', ...about('王海燕', '中国工艺美术学会') },
};
const store = { get: async (id: string) => nominations[id] as Nomination | undefined };
const secretariat: Actor = secretariatOf('cast-2024');

const run = (name: string, status: ExecutionStatus): ExecutionSummary => ({ name, status, startDate: 'a' });

describe('nominationOfExecution', () => {
  it('drops only a trailing restart suffix', () => {
    expect(nominationOfExecution('n-1')).toBe('n-1');
    expect(nominationOfExecution('n-1-r2')).toBe('n-1');
    expect(nominationOfExecution('n-1-r12')).toBe('n-1');
    expect(nominationOfExecution('n-1-r')).toBe('n-1-r');
    expect(nominationOfExecution('n-r2-x')).toBe('n-r2-x');
  });
});

describe('listExecutions', () => {
  it("shows only the actor's campaign, with the step a running one waits in", async () => {
    const { port } = executions([
      run('n-1', 'FAILED'),
      run('n-1-r1', 'RUNNING'),
      run('n-2', 'SUCCEEDED'),
      run('n-2-r1', 'RUNNING'),
      run('n-3', 'RUNNING'),
      run('n-9', 'RUNNING'),
    ]);
    const page = await listExecutions({ executions: port, store }, secretariat, { status: 'RUNNING' });
    expect(page.nextToken).toBe('next-page');
    expect(page.executions).toEqual([
      {
        name: 'n-1',
        status: 'FAILED',
        startDate: 'a',
        stopDate: undefined,
        ...subject('景德镇陶瓷大学'),
        nominationStatus: 'submitted',
        waitingIn: null,
      },
      {
        name: 'n-1-r1',
        status: 'RUNNING',
        startDate: 'a',
        stopDate: undefined,
        ...subject('景德镇陶瓷大学'),
        nominationStatus: 'submitted',
        waitingIn: 'screening',
      },
      {
        name: 'n-2',
        status: 'SUCCEEDED',
        startDate: 'a',
        stopDate: undefined,
        ...subject('中国天文学会'),
        nominationStatus: 'released',
        waitingIn: null,
      },
      {
        name: 'n-2-r1',
        status: 'RUNNING',
        startDate: 'a',
        stopDate: undefined,
        ...subject('中国天文学会'),
        nominationStatus: 'released',
        waitingIn: null,
      },
    ]);
  });

  it('takes no filter, and refuses an unknown status by name', async () => {
    const { port } = executions([]);
    expect(await listExecutions({ executions: port, store }, secretariat, undefined)).toEqual({
      executions: [],
      nextToken: 'next-page',
    });
    const e = await refusal(listExecutions({ executions: port, store }, secretariat, { status: 'LOST' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.messages.zh).toMatch(/^筛选条件/);
    expect(e.messages.en).toMatch(/^The filter/);
  });
});

describe('executionHistory and restartExecution', () => {
  it('gives the events of an execution, and a clear not-found for an unknown one', async () => {
    const { port } = executions([run('n-1', 'FAILED')]);
    const history = await executionHistory({ executions: port, store }, secretariat, 'n-1', undefined);
    expect(history.events).toHaveLength(1);
    expect(history.nextToken).toBeNull();
    const e = await refusal(executionHistory({ executions: port, store }, secretariat, 'n-7', {}));
    expect(e).toMatchObject({ code: 'NOT_FOUND', kind: 'not-found' });
    expect(e.messages).toEqual({ zh: '流程“n-7”不存在', en: 'No execution "n-7"' });
  });

  it('restarts a failed, timed-out or aborted execution under the next name, with its input', async () => {
    const { port, started } = executions(
      [
        run('n-1', 'FAILED'),
        run('n-1-r1', 'TIMED_OUT'),
        run('n-2', 'ABORTED'),
        run('n-3-r9', 'FAILED'),
        run('n-3-r12', 'FAILED'),
      ],
      { 'n-2': '{"nominationId":"n-2","campaignId":"cast-2024"}' },
    );
    const deps = { executions: port, store };
    // n-1 was restarted before (n-1-r1): that restart is the answer, nothing starts.
    expect(await restartExecution(deps, 'n-1')).toEqual({ executionArn: arnOf('n-1-r1'), restarted: false });
    expect(await restartExecution(deps, 'n-2')).toEqual({ executionArn: arnOf('n-2-r1'), restarted: true });
    await restartExecution(deps, 'n-1-r1');
    await restartExecution(deps, 'n-3-r9');
    await restartExecution(deps, 'n-3-r12');
    expect(started).toEqual([
      { name: 'n-2-r1', input: '{"nominationId":"n-2","campaignId":"cast-2024"}' },
      { name: 'n-1-r2', input: '{"nominationId":"n-1"}' },
      { name: 'n-3-r10', input: '{"nominationId":"n-3"}' },
      { name: 'n-3-r13', input: '{"nominationId":"n-3"}' },
    ]);
  });

  it('refuses to restart one that runs, succeeded or is unknown, starting nothing', async () => {
    const { port, started } = executions([
      run('n-1', 'RUNNING'),
      run('n-2', 'SUCCEEDED'),
      run('n-3', 'PENDING_REDRIVE'),
    ]);
    const deps = { executions: port, store };
    for (const [name, status] of [
      ['n-1', 'RUNNING'],
      ['n-2', 'SUCCEEDED'],
      ['n-3', 'PENDING_REDRIVE'],
    ] as const) {
      const e = await refusal(restartExecution(deps, name));
      expect(e).toMatchObject({ code: 'NOT_RESTARTABLE', kind: 'conflict' });
      expect(e.messages).toEqual({
        zh: `该流程状态为 ${status}，只能重启失败、超时或中止的流程`,
        en: `The execution is ${status}; only failed, timed-out or aborted ones restart`,
      });
    }
    expect((await refusal(restartExecution(deps, 'n-8'))).code).toBe('NOT_FOUND');
    expect(started).toEqual([]);
  });

  it('restarted twice, answers the first restart again and starts nothing more', async () => {
    const { port, started } = executions([run('n-1', 'FAILED')]);
    const deps = { executions: port, store };
    expect(await restartExecution(deps, 'n-1')).toEqual({ executionArn: arnOf('n-1-r1'), restarted: true });
    expect(await restartExecution(deps, 'n-1')).toEqual({ executionArn: arnOf('n-1-r1'), restarted: false });
    expect(started.map((s) => s.name)).toEqual(['n-1-r1']);
  });

  it('answers the restart another request started a moment before, even one that has ended', async () => {
    const { port, started } = executions([run('n-1', 'ABORTED')], {}, 'SUCCEEDED');
    expect(await restartExecution({ executions: port, store }, 'n-1')).toEqual({
      executionArn: arnOf('n-1-r1'),
      restarted: false,
    });
    expect(started).toEqual([]);
  });
});

describe('failureMessage', () => {
  it("reads the first line of a Lambda error's message, never its type or trace", () => {
    const cause = JSON.stringify({
      errorType: 'Error',
      errorMessage: '  表格生成失败\n    at build (summary.ts:1)',
      trace: ['Error: x', '    at y'],
    });
    expect(failureMessage({ Error: 'Error', Cause: cause })).toBe('表格生成失败');
  });

  it("takes Step Functions' own sentence as it is, or the JSON whole when it carries no message", () => {
    expect(failureMessage({ Error: 'States.Timeout', Cause: 'Task timed out after 900 seconds\nmore' })).toBe(
      'Task timed out after 900 seconds',
    );
    expect(failureMessage({ Cause: '{"errorType":"Error"}' })).toBe('{"errorType":"Error"}');
    expect(failureMessage({ Cause: '{"errorMessage":42}' })).toBe('{"errorMessage":42}');
    expect(failureMessage({ Cause: 'null' })).toBe('null');
  });

  it('falls back to the error name, then to a sentence; at most 500 characters', () => {
    expect(failureMessage({ Error: 'States.TaskFailed', Cause: '' })).toBe('States.TaskFailed');
    expect(failureMessage({ Error: 'States.TaskFailed', Cause: '{"errorMessage":"  \\nsecond"}' })).toBe(
      'States.TaskFailed',
    );
    expect(failureMessage({})).toBe('The step did not complete');
    expect(failureMessage({ Cause: 'x'.repeat(600) })).toBe('x'.repeat(500));
  });
});
