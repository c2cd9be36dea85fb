/**
 * The data folder:
 *
 *   <dataDir>/state-machines/<hash>.json   one StateMachineRecord each
 *   <dataDir>/executions/<hash>.json       one ExecutionRecord each (record, history, cursor, tokens)
 *
 * (<hash> is the first 32 hex digits of the ARN's SHA-256: names may hold characters a file
 * name should not.) Every file is replaced whole and atomically: written to a temporary file,
 * flushed to disk, then renamed over the old one, so a kill at any moment leaves either the
 * previous or the next version, never a torn one. Rewriting a whole execution costs a few
 * kilobytes per change for the short histories of human workflows; in exchange the record,
 * history, cursor and tokens of an execution always agree with each other.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type ExecutionRecord,
  type ExecutionState,
  isExecutionRecord,
  isStateMachineRecord,
  type StateMachineRecord,
} from './execution-record.js';
import type { History } from './history.js';

const TEMP_SUFFIX = '.tmp';
let tempCounter = 0;

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  tempCounter += 1;
  const temp = `${file}.${process.pid}.${tempCounter}${TEMP_SUFFIX}`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const noop = (): void => {};

/**
 * Serialises the writes of one document and coalesces bursts: a write takes its snapshot when it
 * starts, and starts no sooner than the next turn of the event loop, so every change made in the
 * same turn — a task's result, the state's exit, the next state's entry, its TaskScheduled — goes
 * to disk in one write; while a write is in flight at most one more waits. `save()` resolves once
 * a write that includes the caller's changes is on disk.
 */
export class CoalescingWriter {
  private current: Promise<void> | undefined;
  /** The next write, its snapshot not taken yet: whoever saves now is in it. */
  private next: Promise<void> | undefined;

  constructor(private readonly write: () => Promise<void>) {}

  save(): Promise<void> {
    if (this.next) return this.next;
    const next = (this.current ?? Promise.resolve())
      .then(noop, noop)
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    this.next = next;
    return next;
  }

  /** Resolves when nothing asked for so far is still waiting to reach the disk. */
  idle(): Promise<void> {
    return (this.next ?? this.current ?? Promise.resolve()).then(noop, noop);
  }

  private start(): Promise<void> {
    const current: Promise<void> = this.write().finally(() => {
      if (this.current === current) this.current = undefined;
    });
    this.current = current;
    return current;
  }
}

/** Each definition's JSON string literal, made once: every execution of a machine stores the same text. */
const quotedDefinitions = new Map<string, string>();

/**
 * An execution's document, the JSON of its ExecutionRecord, built from parts serialised once:
 * the definition it started with (24 KB for the nomination machine, the bulk of every write) and
 * its history's events; only the small rest is serialised at each write.
 */
export function executionDocument(state: ExecutionState, history: History): string {
  const { definition, ...rest } = state;
  let quoted = quotedDefinitions.get(definition);
  if (quoted === undefined) {
    quoted = JSON.stringify(definition);
    quotedDefinitions.set(definition, quoted);
  }
  return `{"definition":${quoted},"history":${history.json()},${JSON.stringify(rest).slice(1)}`;
}

function fileNameFor(arn: string): string {
  return `${createHash('sha256').update(arn).digest('hex').slice(0, 32)}.json`;
}

export class DurableStore {
  private readonly executionsDir: string;
  private readonly stateMachinesDir: string;

  constructor(readonly dataDir: string) {
    this.executionsDir = path.join(dataDir, 'executions');
    this.stateMachinesDir = path.join(dataDir, 'state-machines');
  }

  /** Creates the folders and removes temporary files a kill left behind (never renamed, so never valid). */
  async open(): Promise<void> {
    for (const dir of [this.executionsDir, this.stateMachinesDir]) {
      await mkdir(dir, { recursive: true });
      const leftovers = (await readdir(dir)).filter((file) => file.endsWith(TEMP_SUFFIX));
      await Promise.all(leftovers.map((file) => rm(path.join(dir, file), { force: true })));
    }
  }

  loadStateMachines(): AsyncGenerator<StateMachineRecord> {
    return this.loadEach(this.stateMachinesDir, isStateMachineRecord);
  }

  /**
   * The executions one at a time, each read only once the one before has been taken: a parsed
   * record (its definition's text, its history as objects: 60–100 KB at the end of a nomination's
   * workflow) lives only until the engine has kept what it needs of it. Read all at once, a
   * restart held every execution of a national round parsed together, hundreds of MB.
   */
  loadExecutions(): AsyncGenerator<ExecutionRecord> {
    return this.loadEach(this.executionsDir, isExecutionRecord);
  }

  saveStateMachine(record: StateMachineRecord): Promise<void> {
    return writeFileAtomic(
      path.join(this.stateMachinesDir, fileNameFor(record.stateMachineArn)),
      JSON.stringify(record),
    );
  }

  /** The document is made when each write starts, so the writer always stores the latest state. */
  executionWriter(executionArn: string, document: () => string): CoalescingWriter {
    const file = path.join(this.executionsDir, fileNameFor(executionArn));
    return new CoalescingWriter(() => writeFileAtomic(file, document()));
  }

  private async *loadEach<T>(dir: string, isValid: (value: unknown) => value is T): AsyncGenerator<T> {
    const files = (await readdir(dir)).filter((file) => file.endsWith('.json'));
    for (const file of files) {
      const value: unknown = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
      if (!isValid(value)) throw new Error(`${path.join(dir, file)} is not a record this service wrote`);
      yield value;
    }
  }
}
