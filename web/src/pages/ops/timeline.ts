// Pure: no page modules (i18n reads the document), so it is unit-tested without a browser.

/** One event of GET /api/ops/executions/{name}/history. */
export interface HistoryEvent {
  id: number;
  type: string;
  timestamp: string;
  state: string | null;
  error: string | null;
}

/** A state of the machine as it was entered and left, with its task attempts and failures. */
export interface StateVisit {
  kind: 'state';
  id: number;
  state: string;
  stateType: string;
  enteredAt: string;
  exitedAt?: string;
  /** Task invocations scheduled in this visit: more than one means Step Functions retried. */
  attempts: number;
  failures: { type: string; error: string | null; at: string }[];
  /**
   * A person's decision the waiting task was answered with (Laurel.Outcome.*: returned, rejected,
   * withdrawn…), which Step Functions records as a task failure for the machine to branch on: an
   * outcome, not a failure, so neither counted nor shown as one.
   */
  outcome?: string;
}

const OUTCOME = /^Laurel\.Outcome\.(\w+)/;

/** An event of the execution as a whole: started, succeeded, failed, aborted, timed out. */
export interface ExecutionMark {
  kind: 'execution';
  id: number;
  type: string;
  at: string;
  error: string | null;
}

const isFailure = (type: string) => /Failed$|TimedOut$|Aborted$/.test(type);

/** The history as a timeline: each state visit once, its retries and failures folded into it. */
export function timelineOf(events: readonly HistoryEvent[]): (StateVisit | ExecutionMark)[] {
  const items: (StateVisit | ExecutionMark)[] = [];
  let current: StateVisit | undefined;
  for (const e of events) {
    if (e.type.endsWith('StateEntered')) {
      current = {
        kind: 'state',
        id: e.id,
        state: e.state ?? '?',
        stateType: e.type.slice(0, -'StateEntered'.length),
        enteredAt: e.timestamp,
        attempts: 0,
        failures: [],
      };
      items.push(current);
    } else if (e.type.endsWith('StateExited')) {
      if (current && current.state === e.state) current.exitedAt = e.timestamp;
      current = undefined;
    } else if (e.type.startsWith('Execution')) {
      items.push({ kind: 'execution', id: e.id, type: e.type, at: e.timestamp, error: e.error });
    } else if (current) {
      if (e.type === 'TaskScheduled' || (e.type === 'LambdaFunctionScheduled' && current.attempts === 0)) {
        current.attempts += 1;
      }
      const outcome = OUTCOME.exec(e.error ?? '')?.[1];
      if (isFailure(e.type) && outcome) current.outcome = outcome;
      else if (isFailure(e.type)) current.failures.push({ type: e.type, error: e.error, at: e.timestamp });
    }
  }
  return items;
}
