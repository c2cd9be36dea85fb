/**
 * The local Step Functions service as a process of its own:
 *
 *   LAUREL_SFN_DATA_DIR=.laurel/stepfunctions LAUREL_SFN_PORT=8083 LAUREL_TIME_SCALE=0.001 \
 *   LAUREL_SFN_HANDLERS=./path/to/handlers.ts npx tsx infra/local/stepfunctions/main.ts
 *
 * LAUREL_SFN_HANDLERS names a module whose exports are the Lambda handlers, keyed by
 * FunctionName. Prints `stepfunctions listening on <endpoint>` once ready; SIGINT/SIGTERM
 * stop it cleanly, and RUNNING executions resume at the next start.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type InvokeFunction, startStepFunctions, timeScaleFromEnv } from './start-step-functions.js';

type Handler = (payload: unknown) => unknown;

function isHandler(value: unknown): value is Handler {
  return typeof value === 'function';
}

async function loadHandlers(modulePath: string | undefined): Promise<InvokeFunction> {
  const exports: Record<string, unknown> = modulePath
    ? await import(pathToFileURL(path.resolve(modulePath)).href)
    : {};
  return async (functionName, payload) => {
    const handler = Object.hasOwn(exports, functionName) ? exports[functionName] : undefined;
    if (!isHandler(handler)) {
      throw Object.assign(new Error(`Function not found: ${functionName}`), {
        name: 'Lambda.ResourceNotFoundException',
      });
    }
    return handler(payload);
  };
}

function portFromEnv(value: string | undefined): number {
  const port = Number(value ?? '8083');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`LAUREL_SFN_PORT is not a port: '${value}'`);
  return port;
}

const service = await startStepFunctions({
  dataDir: process.env.LAUREL_SFN_DATA_DIR || path.join('.laurel', 'stepfunctions'),
  port: portFromEnv(process.env.LAUREL_SFN_PORT),
  host: process.env.LAUREL_SFN_HOST || '127.0.0.1',
  timeScale: timeScaleFromEnv(process.env.LAUREL_TIME_SCALE),
  invokeFunction: await loadHandlers(process.env.LAUREL_SFN_HANDLERS),
});
console.log(`stepfunctions listening on ${service.endpoint}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
