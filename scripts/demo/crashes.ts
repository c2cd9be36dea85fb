import { seeded } from '../../infra/local/faults.js';
import type { Connection } from '../driver/client.js';
import { type RunningCloud, startCloud } from './cloud.js';

/**
 * Crashes for the crash-recovery test (test/integration/crash-recovery.test.ts): a stand-in for
 * the demo's startCloud that SIGKILLs the local cloud at chosen requests and starts it again on
 * the same data, port and campaign clock, while the people of the demo carry on: a request whose
 * answer was lost waits here until the cloud is back (scripts/driver/client.ts, Connection), then
 * recovers.
 *
 * A kill point names a stage of the campaign and the n-th request of that stage; the kill comes
 * up to 200 ms after that request is sent, so it lands while the request — or the executions it
 * set off — is under way. Without kill points it only counts requests
 * per stage, which is how a run without kills tells where the kills of the next run can go.
 */

export const STAGES = ['submission', 'screening-review', 'selection-publicity'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * The stage a request that changes something belongs to; reads (polling, lists, opening a link)
 * and sign-ins count for none, so each kill follows a change, with its effects under way.
 */
export function stageOf(method: string, path: string): Stage | undefined {
  const route = path.split('?')[0] ?? '';
  if (method === 'GET' || route === '/api/sessions') return undefined;
  if (route === '/api/invitations' || route === '/api/nominations') return 'submission';
  if (/^\/api\/nominations\/[^/]+\/(form|uploads|attachments|submit)/.test(route)) return 'submission';
  if (route.endsWith('/screening') || route === '/api/review') return 'screening-review';
  if (/\/(selection|publicity|objections|resolution|release|package)$/.test(route)) {
    return 'selection-publicity';
  }
  return undefined;
}

export interface KillPoint {
  stage: Stage;
  /** The kill comes with the n-th request of its stage (1-based)… */
  ordinal: number;
  /** …this many milliseconds after that request is sent. */
  delayMs: number;
  /** Kill Node alone and leave DynamoDB Local's Java running, for the next start to find. */
  nodeOnly?: boolean;
}

export interface Kill extends KillPoint {
  /** The request it came with: "POST /api/nominations/…/screening". */
  request: string;
  /** Seconds into the run. */
  at: number;
  /** Milliseconds from the kill until the cloud answered again. */
  downMs: number;
}

/** One kill per stage, at a random request of it (seeded): where, how long after, and how. */
export function planKills(seed: number, counts: Readonly<Record<Stage, number>>): KillPoint[] {
  const random = seeded(seed);
  return STAGES.map((stage, i) => ({
    stage,
    // Not in the last fifth of a stage, so some of the stage is left to run after the restart.
    ordinal: 1 + Math.floor(random() * Math.max(1, Math.floor(counts[stage] * 0.8))),
    // Long enough to land inside a long request (a selection moves every nomination) or just after a
    // short one, while the executions it set off are at work.
    delayMs: Math.floor(random() * 200),
    // The second kill spares Java, as `kill -9` of `npm start` would: the next start must stop it.
    ...(i === 1 ? { nodeOnly: true } : {}),
  }));
}

/** After a restart from a kill, this long before the next kill: each kill should find a cloud at work. */
const MIN_GAP_MS = 5_000;
/** After a restart, requests on connections kept from before the kill fail once more: send them again. */
const STALE_CONNECTIONS_MS = 10_000;

export class CrashingClouds {
  /** Requests per stage so far. */
  readonly counts: Record<Stage, number> = { submission: 0, 'screening-review': 0, 'selection-publicity': 0 };
  readonly kills: Kill[] = [];
  private readonly pending: KillPoint[];
  private readonly started = performance.now();
  private restarting: Promise<void> | undefined;
  private lastUp = 0;
  private port: number | undefined;

  constructor(
    plan: readonly KillPoint[],
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.pending = [...plan];
  }

  /** A startCloud for runDemo's options: the cloud it starts is killed and restarted as planned. */
  readonly start = async (options: {
    dataDir: string;
    port: number;
    clockStart?: string;
  }): Promise<RunningCloud> => {
    // The same port throughout: links already e-mailed (sign-in, review) must keep working.
    let current = await startCloud({ ...options, port: this.port ?? options.port });
    this.port = Number(new URL(current.urls.web).port);
    const connection: Connection = {
      sending: (method, path) => {
        const stage = stageOf(method, path);
        if (!stage || this.restarting) return;
        this.counts[stage] += 1;
        const point = this.pending.find((p) => p.stage === stage && this.counts[stage] >= p.ordinal);
        if (!point || performance.now() - this.lastUp < MIN_GAP_MS) return;
        this.pending.splice(this.pending.indexOf(point), 1);
        const request = `${method} ${path}`;
        // Later than planned when the plan's request came too soon after the last restart.
        const ordinal = this.counts[stage];
        const crash = async () => {
          const at = (performance.now() - this.started) / 1000;
          const killedAt = performance.now();
          await current.kill({ nodeOnly: point.nodeOnly ?? false });
          // The campaign clock runs on across the restart, as it would for a real outage.
          const clockStart = current.now().toISOString();
          current = await startCloud({ dataDir: options.dataDir, port: this.port ?? 0, clockStart });
          this.lastUp = performance.now();
          const kill: Kill = { ...point, ordinal, request, at, downMs: Math.round(this.lastUp - killedAt) };
          this.kills.push(kill);
          this.log(
            `SIGKILL ${point.nodeOnly ? 'to Node alone (Java left running)' : 'to the whole cloud'} with ${point.stage} request #${ordinal} (${request}) + ${point.delayMs} ms; up again after ${(kill.downMs / 1000).toFixed(1)} s`,
          );
        };
        const restarting: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, point.delayMs))
          .then(crash)
          .finally(() => {
            if (this.restarting === restarting) this.restarting = undefined;
          });
        // A failed restart is thrown to whoever waits for the cloud (lost, stop), not left unhandled.
        restarting.catch(() => undefined);
        this.restarting = restarting;
      },
      lost: async (error) => {
        if (this.restarting) return this.restarting;
        if (this.kills.length > 0 && performance.now() - this.lastUp < STALE_CONNECTIONS_MS) return;
        throw error;
      },
    };
    return {
      get urls() {
        return current.urls;
      },
      get signInLinks() {
        return current.signInLinks;
      },
      get clockOffsetMs() {
        return current.clockOffsetMs;
      },
      get pid() {
        return current.pid;
      },
      get javaPid() {
        return current.javaPid;
      },
      now: () => current.now(),
      output: () => current.output(),
      heap: () => current.heap(),
      stop: async () => {
        await this.restarting;
        await current.stop();
      },
      kill: (how) => current.kill(how),
      connection,
    };
  };

  /** Kill points not reached (a run shorter than planned). */
  get missed(): readonly KillPoint[] {
    return this.pending;
  }
}
