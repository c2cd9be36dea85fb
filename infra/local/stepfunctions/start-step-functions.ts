/**
 * The local AWS Step Functions service: `@aws-sdk/client-sfn` talks to `endpoint` unchanged
 * (`AWS_ENDPOINT_URL_SFN` or the client's `endpoint`). See README.md in this folder.
 */
import type { AddressInfo } from 'node:net';
import { accessKeyOf } from '../iam.js';
import { DurableStore } from './durable-store.js';
import { StepFunctionsEngine, type TimerLimits } from './engine.js';
import type { InvokeFunction } from './invoke-function.js';
import { createJsonProtocolServer } from './json-protocol.js';

export type { InvokeFunction } from './invoke-function.js';

export interface StepFunctionsOptions {
  /** Everything durable lives here (created if missing). */
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How a `lambda:invoke` Task reaches its handler. */
  invokeFunction: InvokeFunction;
  /** Registered at start, `${Placeholder}`s already substituted; a changed definition replaces the stored one. */
  stateMachines?: { name: string; definition: string; roleArn?: string }[];
  /** Multiplies Wait states, TimeoutSeconds and HeartbeatSeconds (0.001: one hour takes 3.6 s). Default 1. */
  timeScale?: number;
  region?: string;
  accountId?: string;
  /**
   * IAM: the refusal's message when the access key may not do `action` on `resource`, else
   * undefined. Unset: every caller may do anything.
   */
  authorize?: (accessKeyId: string | undefined, action: string, resource: string) => string | undefined;
  /** For tests of the long-wait machinery only; see TimerLimits. */
  timerLimits?: TimerLimits;
}

export interface StepFunctionsService {
  endpoint: string;
  /** Stops serving and stops every run; RUNNING executions stay RUNNING and resume at the next start. */
  stop(): Promise<void>;
}

/** `LAUREL_TIME_SCALE`: a positive number; unset or empty means 1. */
export function timeScaleFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new Error(`LAUREL_TIME_SCALE must be a positive number, not '${value}'`);
  return scale;
}

function log(message: string, error?: unknown): void {
  console.error(`stepfunctions: ${message}`, ...(error === undefined ? [] : [error]));
}

export async function startStepFunctions(options: StepFunctionsOptions): Promise<StepFunctionsService> {
  const timeScale = options.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new Error(`timeScale must be positive, not ${timeScale}`);
  const limits = options.timerLimits;
  if (limits && limits.recycleAfterMs >= limits.interpreterTimeoutSeconds * 1000) {
    throw new Error('timerLimits.recycleAfterMs must be shorter than interpreterTimeoutSeconds');
  }
  const engine = await StepFunctionsEngine.open({
    store: new DurableStore(options.dataDir),
    account: { region: options.region ?? 'cn-north-1', accountId: options.accountId ?? '000000000000' },
    timeScale,
    invokeFunction: options.invokeFunction,
    timerLimits: limits,
    log,
  });
  for (const machine of options.stateMachines ?? []) {
    await engine.registerStateMachine(machine.name, machine.definition, machine.roleArn);
  }
  const authorize = options.authorize;
  const server = createJsonProtocolServer(
    engine.operations,
    log,
    authorize &&
      ((authorization, operation, body) => {
        const resource = engine.resourceOf(operation, body);
        if (resource === undefined) return undefined;
        return authorize(accessKeyOf(authorization), `states:${operation}`, resource);
      }),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Resumed executions may call back at once (a Lambda sending SendTaskSuccess): listen first.
  engine.resume();
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await engine.close();
        await closed;
      })();
      return stopping;
    },
  };
}
