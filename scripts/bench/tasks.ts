import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The Task states of a state machine, read from its ASL (the same file the CDK app and the local
 * cloud deploy): which function each runs, and whether it waits for a task token — a step the
 * execution waits in, whose token the function stores until a person answers it.
 */
export interface TaskState {
  machine: string;
  state: string;
  /** The function it invokes (functions/routes.ts's name), from its `${…FunctionArn}` substitution. */
  functionName: string;
  waitsForToken: boolean;
}

interface AslState {
  Type?: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
}
interface AslMachine {
  States?: Record<string, AslState>;
}

/** `${AwaitStepFunctionArn}` → `await-step` (infra/state-machines.ts substitutes each function's ARN so). */
function functionOf(name: string | undefined): string {
  const pascal = /^\$\{(\w+)FunctionArn\}$/.exec(name ?? '')?.[1];
  return pascal ? pascal.replace(/[A-Z]/g, (c, at: number) => `${at > 0 ? '-' : ''}${c.toLowerCase()}`) : '?';
}

export function taskStatesOf(machine: string, asl: AslMachine): TaskState[] {
  const out: TaskState[] = [];
  for (const [state, spec] of Object.entries(asl.States ?? {})) {
    if (spec.Type === 'Task')
      out.push({
        machine,
        state,
        functionName: functionOf(spec.Parameters?.FunctionName),
        waitsForToken: spec.Resource?.endsWith('.waitForTaskToken') ?? false,
      });
    for (const inner of [...(spec.Branches ?? []), spec.Iterator, spec.ItemProcessor])
      if (inner) out.push(...taskStatesOf(machine, inner));
  }
  return out;
}

const STATE_MACHINES = resolve(import.meta.dirname, '../../statemachines');

/** The Task states of `statemachines/<machine>.asl.json`. */
export const taskStatesOfMachine = (machine: string): TaskState[] =>
  taskStatesOf(
    machine,
    JSON.parse(readFileSync(resolve(STATE_MACHINES, `${machine}.asl.json`), 'utf8')) as AslMachine,
  );
