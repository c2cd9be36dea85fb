import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_CREDENTIALS } from '../../infra/local/iam.js';
import { type ApiClient, unexpected } from '../driver/client.js';
import { waitForEach } from '../driver/poll.js';

/**
 * Waiting for the nominations' executions (one per nomination, named after it) the way
 * operations watch them: Laurel's ops API, signed in with the operations link. Every wait
 * (scripts/driver/poll.ts) polls briefly, ends as soon as the state is reached, fails at once when
 * an execution ends elsewhere, and gives up after a timeout naming the executions still behind.
 */

const POLL_MS = 100;
/**
 * Long enough for a task Lambda throttled twice (the fault switch throttles up to twice in a row):
 * its retrier waits up to 30 s, then up to a minute, before trying again (statemachines/).
 */
export const DEFAULT_WAIT_MS = 120_000;

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionView {
  name: string;
  status: Status;
  /** The states entered, in order. */
  entered: string[];
  /**
   * The states settled in, in order: a Task state once its task was submitted (a callback task's
   * function stored the token, after any work it does first) or the state was left; any other
   * state once left. Entering is not enough: AwaitSelection aggregates the scores and AwaitPublicity
   * forwards in their task before they wait, and a task that failed and waits for its retry has
   * done neither.
   */
  settled: string[];
  /** The error names the history records, when something failed. */
  errors: string[];
}

const CLOSING: Record<string, Status> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
};

interface HistoryEvent {
  type: string;
  state: string | null;
  error: string | null;
}

export class Executions {
  constructor(
    /** Operations of each campaign: each sees its own campaign's executions only. */
    private readonly ops: readonly ApiClient[],
    /** How long a wait may take before it fails (longer when the cloud may be killed and restarted meanwhile). */
    private readonly timeoutMs = DEFAULT_WAIT_MS,
  ) {}

  async view(name: string): Promise<ExecutionView> {
    const path = `/api/ops/executions/${name}/history`;
    // The execution's campaign is not known here: the operations of the other campaigns answer 403.
    let refused: { status: number; body: unknown } | undefined;
    let events: HistoryEvent[] | undefined;
    for (const ops of this.ops) {
      const answer = await ops.call<{ events: HistoryEvent[] }>('GET', path);
      if (answer.status === 200) {
        events = answer.body.events;
        break;
      }
      if (answer.status !== 403) throw unexpected(ops.who, 'GET', path, 200, answer);
      refused = answer;
    }
    if (!events)
      throw unexpected(
        this.ops.map((o) => o.who).join(', '),
        'GET',
        path,
        200,
        refused ?? { status: 0, body: null },
      );
    const closing = events.find((e) => e.type in CLOSING);
    return {
      name,
      status: closing ? (CLOSING[closing.type] ?? 'RUNNING') : 'RUNNING',
      entered: events.flatMap((e) => (e.type.endsWith('StateEntered') && e.state ? [e.state] : [])),
      settled: settledStates(events),
      errors: [...new Set(events.flatMap((e) => (e.error ? [e.error] : [])))],
    };
  }

  /**
   * Waits until each execution has settled in `state` (at least `times` times: a return for
   * correction brings a nomination back to AwaitScreening a second time) — see ExecutionView.settled.
   */
  async reach(names: readonly string[], state: string, times = 1, timeoutMs = this.timeoutMs): Promise<void> {
    await this.until(
      names,
      (v) => v.settled.filter((s) => s === state).length >= times,
      `to reach ${state}${times > 1 ? ` (${times}×)` : ''}`,
      timeoutMs,
    );
  }

  /** Waits until each execution has succeeded; answers each one's last state. Any other end fails. */
  async finish(names: readonly string[], timeoutMs = this.timeoutMs): Promise<Map<string, string>> {
    const views = await this.until(names, (v) => v.status === 'SUCCEEDED', 'to finish', timeoutMs);
    return new Map(views.map((v) => [v.name, v.entered.at(-1) ?? '']));
  }

  private async until(
    names: readonly string[],
    done: (view: ExecutionView) => boolean,
    what: string,
    timeoutMs: number,
  ): Promise<ExecutionView[]> {
    const views = await waitForEach(names, {
      what,
      timeoutMs,
      pollMs: POLL_MS,
      concurrency: names.length,
      look: (name) => this.view(name),
      done,
      failure: (name, view) =>
        view.status === 'RUNNING'
          ? undefined
          : new Error(
              `execution ${name} ended ${view.status} in ${view.entered.at(-1) ?? '?'} while the demo waited for it ${what}` +
                `${view.errors.length > 0 ? ` (errors: ${view.errors.join(', ')})` : ''}; see GET /api/ops/executions/${name}/history`,
            ),
      where: (view) => view.entered.at(-1) ?? '?',
    });
    return [...views.values()];
  }

  /** The names of every execution with the given status (all pages), in every campaign. */
  async listed(status: Status): Promise<string[]> {
    const names: string[] = [];
    for (const ops of this.ops) names.push(...(await this.listedBy(ops, status)));
    return names;
  }

  private async listedBy(ops: ApiClient, status: Status): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | null = null;
    do {
      const path: string = `/api/ops/executions?status=${status}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
      const page = await ops.must<{ executions: { name: string }[]; nextToken: string | null }>(
        200,
        'GET',
        path,
      );
      names.push(...page.executions.map((e) => e.name));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }
}

/** The campaign-wide jobs' machines of the local cloud (infra/local/cloud.ts names them so). */
const JOB_MACHINES = ['campaign-job', 'forwarding-package'].map(
  (name) => `arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-${name}`,
);

/**
 * Waits until no execution of the campaign-wide jobs' machines (a selection, publicity, a release,
 * a forwarding package) is running. A job's record says `done` as soon as its task stored it, but
 * when that task's answer is lost (a timeout, a dead runtime) the execution retries after its
 * backoff, finds the job done and only then succeeds: stopping the cloud before would leave it
 * RUNNING on disk. Operations' API sees nomination executions only, so this asks the local Step
 * Functions itself. Fails after `timeoutMs`, naming what still runs.
 */
export async function untilJobsEnded(stepfunctionsUrl: string, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const sfn = new SFNClient({
    region: 'cn-north-1',
    credentials: LOCAL_CREDENTIALS,
    endpoint: stepfunctionsUrl,
  });
  try {
    let still: string[] = [];
    for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
      const answers = await Promise.all(
        JOB_MACHINES.map((stateMachineArn) =>
          sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' })),
        ),
      );
      still = answers.flatMap((a) => (a.executions ?? []).map((e) => e.name ?? '?'));
      if (still.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS * 2));
    }
    throw new Error(`job executions still running after ${timeoutMs / 1000} s: ${still.join(', ')}`);
  } finally {
    sfn.destroy();
  }
}

/** The states an execution's history has settled in (ExecutionView.settled), in order. */
export function settledStates(events: readonly { type: string; state?: string | null }[]): string[] {
  const settled: string[] = [];
  let current: string | undefined;
  for (const e of events) {
    if (e.type.endsWith('StateEntered')) current = e.state ?? undefined;
    else if (current && (e.type === 'TaskSubmitted' || e.type.endsWith('StateExited'))) {
      settled.push(current);
      current = undefined;
    }
  }
  return settled;
}
