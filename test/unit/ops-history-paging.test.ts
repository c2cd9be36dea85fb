import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { HISTORY_PAGE, stepFunctionsExecutions } from '../../functions/adapters/workflow.js';
import type { DomainError } from '../../functions/rules/errors.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { executionHistory } from '../../functions/use-cases/operations.js';
import { secretariatOf } from '../support/memory/people.js';

/**
 * An execution's history past GetExecutionHistory's 1,000 events a call, through the real adapter
 * and use case: a client that answers as Step Functions does (at most maxResults events, an opaque
 * nextToken, InvalidToken for one it did not give) holds 2,345 events; operations read them all,
 * page by page, each page small.
 */

const EVENTS = 2_345;
const ARN = 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-nomination';

function stepFunctionsWithLongHistory() {
  const calls: { maxResults?: number; nextToken?: string }[] = [];
  const events: HistoryEvent[] = Array.from({ length: EVENTS }, (_, i) => ({
    id: i + 1,
    type: i === 0 ? 'ExecutionStarted' : i % 2 ? 'TaskStateEntered' : 'TaskStateExited',
    timestamp: new Date(Date.UTC(2025, 1, 1, 0, 0, i)),
    ...(i % 2 ? { stateEnteredEventDetails: { name: 'AwaitResubmission' } } : {}),
  }));
  const send = async (command: unknown) => {
    if (command instanceof GetExecutionHistoryCommand) {
      const { maxResults = 100, nextToken } = command.input;
      calls.push({ maxResults, ...(nextToken ? { nextToken } : {}) });
      const from = nextToken ? Number(nextToken.replace(/^page-/, '')) : 0;
      if (nextToken && !/^page-\d+$/.test(nextToken))
        throw new InvalidToken({ message: 'Invalid Token', $metadata: {} });
      const size = Math.min(maxResults, 1000);
      return {
        events: events.slice(from, from + size),
        ...(from + size < events.length ? { nextToken: `page-${from + size}` } : {}),
      };
    }
    if (command instanceof DescribeExecutionCommand) return { status: 'RUNNING', input: '{}' };
    throw new Error('not expected here');
  };
  return { client: { send } as unknown as SFNClient, calls };
}

const store = {
  get: async () => ({ campaignId: 'cast-2024', category: 'volunteer', unitName: '江西省科协' }) as Nomination,
};

describe('an execution history past 1,000 events', () => {
  it('is read page by page to its end: every event once, in order, no page over the page size', async () => {
    const { client, calls } = stepFunctionsWithLongHistory();
    const deps = { executions: stepFunctionsExecutions(client, ARN), store };
    const ids: number[] = [];
    let nextToken: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof executionHistory>> = await executionHistory(
        deps,
        secretariatOf('cast-2024'),
        'n-long',
        nextToken ? { nextToken } : {},
      );
      expect(page.events.length).toBeLessThanOrEqual(HISTORY_PAGE);
      expect(page.subject).toEqual({ category: 'volunteer', unitName: '江西省科协' });
      ids.push(...page.events.map((e) => e.id));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(ids).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    expect(calls).toHaveLength(Math.ceil(EVENTS / HISTORY_PAGE));
    expect(calls.every((c) => c.maxResults === HISTORY_PAGE)).toBe(true);
  });

  it('refuses a cursor Step Functions did not give, in both languages, naming the field', async () => {
    const { client } = stepFunctionsWithLongHistory();
    const deps = { executions: stepFunctionsExecutions(client, ARN), store };
    const refused = await executionHistory(deps, secretariatOf('cast-2024'), 'n-long', {
      nextToken: 'forged',
    }).catch((error: DomainError) => error);
    expect(refused).toMatchObject({ code: 'INVALID_CURSOR', kind: 'invalid', path: ['nextToken'] });
    expect((refused as DomainError).messages.zh).toMatch(/翻页标记无效/);
    const tooLong = await executionHistory(deps, secretariatOf('cast-2024'), 'n-long', {
      nextToken: 'x'.repeat(2000),
    }).catch((error: DomainError) => error);
    expect(tooLong).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
