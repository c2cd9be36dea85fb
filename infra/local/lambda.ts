import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../../functions/routes.js';

/**
 * Lambda, locally: the same handler files imported in this process and invoked with the same
 * event shapes. Events and results cross a JSON round trip, as they do in AWS, so a handler
 * that depends on anything JSON cannot carry breaks here first.
 */

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalLambdas {
  /** Invokes by function name or by ARN (…:function:<name>), as the state machine does. */
  invoke(nameOrArn: string, event: unknown): Promise<unknown>;
  specs: readonly FunctionSpec[];
}

export const LOCAL_FUNCTION_PREFIX = 'laurel-';

/** The name a function has in AWS resource names and ARNs ("laurel-health"). */
export const deployedName = (spec: FunctionSpec) => `${LOCAL_FUNCTION_PREFIX}${spec.name}`;

function lambdaContext(functionName: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function localLambdas(
  specs: readonly FunctionSpec[],
  rootDir: string,
  timeoutMs = 30_000,
): LocalLambdas {
  const loaded = new Map<string, Promise<Handler>>();
  const byName = new Map(specs.flatMap((s) => [[s.name, s] as const, [deployedName(s), s] as const]));

  const load = (spec: FunctionSpec): Promise<Handler> => {
    let handler = loaded.get(spec.name);
    if (!handler) {
      handler = import(pathToFileURL(join(rootDir, spec.entry)).href).then(
        (module: { handler?: Handler }) => {
          if (typeof module.handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
          return module.handler;
        },
      );
      loaded.set(spec.name, handler);
    }
    return handler;
  };

  return {
    specs,
    async invoke(nameOrArn, event) {
      const name = nameOrArn.includes(':function:')
        ? (nameOrArn.split(':function:')[1]?.split(':')[0] ?? '')
        : nameOrArn;
      const spec = byName.get(name);
      if (!spec) {
        throw Object.assign(new Error(`Function not found: ${nameOrArn}`), {
          name: 'ResourceNotFoundException',
        });
      }
      const handler = await load(spec);
      const result = await handler(
        JSON.parse(JSON.stringify(event ?? null)),
        lambdaContext(deployedName(spec), timeoutMs),
      );
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    },
  };
}
