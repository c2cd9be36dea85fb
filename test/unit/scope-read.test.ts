import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../functions/ports/nominations.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import { scopeReadHandedOn } from '../../functions/wiring/scope-read.js';
import { memoryNominationStore } from '../support/memory/nominations.js';

const at = '2025-02-01T01:00:00.000Z';
const nomination = (id: string): Nomination => ({
  id,
  campaignId: 'cast-2024',
  unitId: 'cas-astro',
  unitType: 'national-society',
  unitName: '中国天文学会',
  category: 'volunteer',
  status: 'draft',
  version: 1,
  form: { name: '李晓梅' },
  attachments: [],
  noClassifiedContent: false,
  createdAt: at,
  updatedAt: at,
});
const created = (nominationId: string): AuditEvent => ({
  nominationId,
  at,
  actor: { role: 'unit', subjectId: 'cas-astro', name: '中国天文学会' },
  action: 'create',
});

async function world() {
  const table = memoryNominationStore();
  let reads = 0;
  const counted = {
    ...table,
    get: (id: string) => {
      reads += 1;
      return table.get(id);
    },
  };
  for (const id of ['n-1', 'n-2']) await table.create(nomination(id), created(id));
  return { reads: () => reads, table, ...scopeReadHandedOn(counted) };
}

describe("a request's route check and its use case read a nomination once", () => {
  it('hands the route check’s read to the first read of the nomination in the request, and only that one', async () => {
    const w = await world();
    await w.request(async () => {
      expect(await w.scope('n-1')).toEqual({ campaignId: 'cast-2024', unitId: 'cas-astro' });
      expect((await w.store.get('n-1'))?.version).toBe(1);
      expect(w.reads()).toBe(1);
      // A second read (a retry after a version conflict) goes to the table.
      await w.store.get('n-1');
      expect(w.reads()).toBe(2);
    });
  });

  it('drops what was handed when the request writes the nomination: the next read is fresh', async () => {
    const w = await world();
    await w.request(async () => {
      await w.scope('n-1');
      const read = (await w.table.get('n-1')) as Nomination;
      await w.store.save({ ...read, status: 'submitted', version: 2 }, 1);
      expect((await w.store.get('n-1'))?.status).toBe('submitted');
      expect(w.reads()).toBe(2);
    });
  });

  it('hands on only within its own request, and nothing outside one (the tasks)', async () => {
    const w = await world();
    let release: () => void = () => {};
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = w.request(async () => {
      await w.scope('n-1');
      await paused;
      return w.store.get('n-1');
    });
    // Another request meanwhile, on the same nomination, reads it itself.
    await w.request(async () => {
      await w.store.get('n-1');
    });
    expect(w.reads()).toBe(2);
    release();
    await first;
    expect(w.reads()).toBe(2);
    await w.scope('n-2');
    await w.store.get('n-2');
    expect(w.reads()).toBe(4);
  });

  it('makes a route check’s read with what its use case reads beside the nomination: one read, each part taken once', async () => {
    const w = await world();
    let combined = 0;
    const read = (id: string) => ({
      key: 'submission-context#cast-2024#cas-astro',
      read: async () => {
        combined += 1;
        return { nomination: await w.table.get(id), window: 'open' };
      },
    });
    await w.request(async () => {
      expect(await w.scopeBy('n-1', read('n-1'))).toEqual({ campaignId: 'cast-2024', unitId: 'cas-astro' });
      // The use case's two reads: the nomination and what was read beside it, neither read again.
      expect((await w.store.get('n-1'))?.version).toBe(1);
      expect(w.take('submission-context#cast-2024#cas-astro')).toMatchObject({ window: 'open' });
      expect([combined, w.reads()]).toEqual([1, 0]);
      // Once: a second look reads again.
      expect(w.take('submission-context#cast-2024#cas-astro')).toBeUndefined();
      await w.store.get('n-1');
      expect(w.reads()).toBe(1);
    });
  });

  it('drops what the combined read kept when the request writes its nomination, and keeps nothing of one not there', async () => {
    const w = await world();
    const read = (id: string) => ({
      key: `context#${id}`,
      read: async () => ({ nomination: await w.table.get(id) }),
    });
    await w.request(async () => {
      await w.scopeBy('n-1', read('n-1'));
      const stored = (await w.table.get('n-1')) as Nomination;
      await w.store.save({ ...stored, version: 2 }, 1);
      expect(w.take('context#n-1')).toBeUndefined();
      expect(await w.scopeBy('n-404', read('n-404'))).toBeUndefined();
      expect(w.take('context#n-404')).toBeUndefined();
    });
    // Outside a request nothing is kept.
    await w.scopeBy('n-2', read('n-2'));
    expect(w.take('context#n-2')).toBeUndefined();
  });

  it('answers no scope for a nomination that is not there', async () => {
    const w = await world();
    await w.request(async () => {
      expect(await w.scope('n-404')).toBeUndefined();
    });
  });
});
