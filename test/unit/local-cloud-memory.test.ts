import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeapFigures } from '../../infra/local/heap-watch.js';
import {
  CoalescingWriter,
  DurableStore,
  executionDocument,
} from '../../infra/local/stepfunctions/durable-store.js';
import type { ExecutionRecord } from '../../infra/local/stepfunctions/execution-record.js';
import {
  executionStarted,
  History,
  stateEntered,
  taskStarted,
} from '../../infra/local/stepfunctions/history.js';

const record: ExecutionRecord = {
  format: 1,
  executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:laurel-nomination:n-1',
  stateMachineArn: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:laurel-nomination',
  name: 'n-1',
  definition: JSON.stringify({ Comment: '提交 → 形式审查 "quoted"', StartAt: 'A', States: {} }),
  roleArn: 'arn:aws-cn:iam::000000000000:role/laurel-local-stepfunctions',
  status: 'RUNNING',
  input: '{"nominationId":"n-1"}',
  startDate: 1_700_000_000_000,
  cursor: { state: 'A', input: { nominationId: 'n-1', 名称: '李晓梅' }, token: 't' },
  tokens: [{ token: 't', state: 'A', issuedAt: 1_700_000_000_001, invoked: true }],
  history: [],
};

describe("the local Step Functions service's execution documents", () => {
  it('are the JSON of the whole record, built from the definition and events serialised once', () => {
    const history = new History();
    history.append(executionStarted(record.input, record.roleArn), 1_700_000_000_000);
    history.append(stateEntered('Task', 'A', '{"名称":"李晓梅"}'), 1_700_000_000_002);
    history.append(taskStarted({ resourceType: 'lambda', resource: 'invoke' }), 1_700_000_000_003);
    const { history: _none, ...state } = record;

    const stored = JSON.parse(executionDocument(state, history)) as ExecutionRecord;

    expect(stored).toEqual({
      ...record,
      history: [
        {
          id: 1,
          previousEventId: 0,
          timestamp: 1_700_000_000_000,
          ...executionStarted(record.input, record.roleArn),
        },
        {
          id: 2,
          previousEventId: 1,
          timestamp: 1_700_000_000_002,
          ...stateEntered('Task', 'A', '{"名称":"李晓梅"}'),
        },
        {
          id: 3,
          previousEventId: 2,
          timestamp: 1_700_000_000_003,
          ...taskStarted({ resourceType: 'lambda', resource: 'invoke' }),
        },
      ],
    });
    // A later write carries the state as it is then: only definition and events are kept serialised.
    state.status = 'SUCCEEDED';
    expect((JSON.parse(executionDocument(state, history)) as ExecutionRecord).status).toBe('SUCCEEDED');
  });

  it('load a stored history event by event, and refuse one whose ids do not run 1, 2, 3…', () => {
    const events = [
      { id: 1, previousEventId: 0, timestamp: 1, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 1, timestamp: 2, type: 'PassStateEntered', details: { name: '甲' } },
    ];
    const history = History.of(events);
    expect(history.length).toBe(2);
    expect(history.event(2)).toEqual(events[1]);
    expect(JSON.parse(history.json())).toEqual(events);
    expect(() => history.event(3)).toThrow(RangeError);
    expect(() => History.of([events[0], { ...events[1], id: 3 }] as typeof events)).toThrow(/has id 3/);
  });
});

describe("the local Step Functions service's data folder at a restart", () => {
  it('hands over the stored executions one at a time, each read only once the one before was taken', async () => {
    // Read all at once, a restart held every execution of a round parsed together (its
    // definition's text, its history as objects): 3,000 of them took the heap from 15 to 195 MiB.
    const dataDir = await mkdtemp(join(tmpdir(), 'laurel-sfn-load-'));
    try {
      const store = new DurableStore(dataDir);
      await store.open();
      for (const name of ['n-1', 'n-2']) {
        const executionArn = record.executionArn.replace(/n-1$/, name);
        const history = new History();
        history.append(executionStarted(record.input, record.roleArn), record.startDate);
        const writer = store.executionWriter(executionArn, () =>
          executionDocument({ ...record, executionArn, name }, history),
        );
        await writer.save();
      }
      const files = (await readdir(join(dataDir, 'executions'))).map((f) => join(dataDir, 'executions', f));

      const loaded: string[] = [];
      for await (const stored of store.loadExecutions()) {
        loaded.push(`${stored.name} ${stored.status}`);
        // While the first is taken, every other file changes: a store that read ahead hands over the old text.
        if (loaded.length === 1) {
          for (const file of files) {
            const text = await readFile(file, 'utf8');
            if (!text.includes(`"name":"${stored.name}"`))
              await writeFile(file, text.replace('"status":"RUNNING"', '"status":"SUCCEEDED"'));
          }
        }
      }
      expect(loaded).toHaveLength(2);
      expect(loaded[1]).toMatch(/ SUCCEEDED$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the local Step Functions service's writer of one execution's document", () => {
  it('writes the changes of one turn of the event loop once, snapshot taken when the write starts', async () => {
    let state = 0;
    const written: number[] = [];
    let finishWrite: () => void = () => {};
    const writer = new CoalescingWriter(() => {
      written.push(state);
      return new Promise<void>((resolve) => {
        finishWrite = resolve;
      });
    });
    // A task's result, the state's exit, the next state's entry: three changes, three saves, one turn.
    const saves = [1, 2, 3].map((change) => {
      state = change;
      return writer.save();
    });
    expect(written).toEqual([]); // not before the turn is over
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([3]);

    // While that write is in flight, changes wait for one more write, which carries them all.
    state = 4;
    const during = writer.save();
    state = 5;
    expect(writer.save()).toBe(during);
    let settled = false;
    void Promise.all(saves).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false); // on disk only once the write is done
    finishWrite();
    await Promise.all(saves);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([3, 5]);
    finishWrite();
    await during;
    await writer.idle();
    expect(written).toEqual([3, 5]);
  });
});

describe("the local cloud's heap watch", () => {
  it('warns, naming the limit, when what survives full collections nears the capped heap — before Node gives up', () => {
    const watch = resolve(import.meta.dirname, '../../infra/local/heap-watch.ts');
    // A process with a 64 MB heap keeps 1 MB more every 10 ms until the watch speaks.
    const script = `
      const { watchHeap } = await import(${JSON.stringify(watch)});
      watchHeap((message) => { console.error(message); process.exit(0); });
      const kept = [];
      setInterval(() => kept.push(new Array(128 * 1024).fill(kept.length)), 10);
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--max-old-space-size=64', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).not.toMatch(/FATAL ERROR|Last few GCs/);
    expect(child.stderr).toMatch(
      /old generation holds \d+ MiB after a full garbage collection, (7[5-9]|[89]\d) % of its 64 MiB cap \(--max-old-space-size\)/,
    );
    expect(child.status).toBe(0);
  });

  it('reports the old generation against --max-old-space-size, which caps it alone, and the whole heap against V8’s limit', () => {
    const watch = resolve(import.meta.dirname, '../../infra/local/heap-watch.ts');
    // 20 arrays of 1 MiB (128 Ki elements of 8 bytes) kept through a full collection.
    const script = `
      const { watchHeap } = await import(${JSON.stringify(watch)});
      const heap = watchHeap(() => {});
      const kept = Array.from({ length: 20 }, (_, i) => new Array(128 * 1024).fill(i));
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log(JSON.stringify({ ...heap.figures(), kept: kept.length }));
    `;
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--expose-gc',
        '--max-old-space-size=64',
        '--max-semi-space-size=16',
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    const figures = JSON.parse(child.stdout) as HeapFigures;
    const MIB = 1024 ** 2;
    expect(figures.limitBytes).toBe(64 * MIB);
    // V8's whole-heap limit is the cap plus the young generation's room: three semi-spaces.
    expect(figures.heapLimitBytes).toBe((64 + 3 * 16) * MIB);
    expect(figures.fullCollections).toBeGreaterThan(0);
    // Arrays that large live in the old generation's large-object space, under the cap.
    expect(figures.peakOldGenerationBytes).toBeGreaterThanOrEqual(20 * MIB);
    expect(figures.peakLiveBytes).toBeGreaterThanOrEqual(figures.peakOldGenerationBytes);
  });
});
