import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../../functions/rules/categories.js';
import type { Nomination } from '../../../functions/rules/nomination.js';
import type { NominationStatus } from '../../../functions/rules/nomination-status.js';
import { decodeCursor, encodeCursor, MAX_PAGE } from '../../../functions/rules/paging.js';
import { rankingPage } from '../../../functions/use-cases/campaign-steps.js';
import { listOwnNominations } from '../../../functions/use-cases/nominations.js';
import { listNominations } from '../../../functions/use-cases/secretariat.js';
import { memoryWorld, type World } from '../../support/memory/index.js';
import { secretariatOf } from '../../support/memory/people.js';
import { putSeeded, seededNomination } from '../../support/seeded.js';

/**
 * Paged lists (functions/rules/paging.ts, listNominations and rankingPage): at most 100 a page,
 * rows without forms, filters and search on the server, counts from the store's aggregate, and
 * cursors that are checked — a cursor of another list or of nothing is a 400 on `cursor`.
 */

const cast = secretariatOf('cast-2024');

async function seed(world: World, count: number, status: NominationStatus, category: CategoryId, unit = 'u') {
  const at = world.clock.now().toISOString();
  for (let i = 0; i < count; i += 1) {
    const id = world.ids.nominationId();
    await putSeeded(
      world.deps.store,
      seededNomination({
        id,
        campaignId: 'cast-2024',
        unitId: `${unit}-${i % 3}`,
        unitName: `${unit === 'u' ? '省科协' : '市科协'}${i % 3}`,
        category,
        status,
        at,
      }),
    );
  }
}

type ListAnswer = Awaited<ReturnType<typeof listNominations>>;

async function everyPage(world: World, query: Record<string, string>) {
  const pages: ListAnswer[] = [];
  let cursor: string | null = null;
  do {
    const page: ListAnswer = await listNominations(world.deps, cast, 'cast-2024', {
      ...query,
      ...(cursor ? { cursor } : {}),
    });
    pages.push(page);
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

describe('paged lists', () => {
  it('pages 250 nominations 100 at a time, each once, without their forms, with counts for the whole campaign', async () => {
    const world = memoryWorld();
    await seed(world, 150, 'submitted', 'volunteer');
    await seed(world, 100, 'in-review', 'project');
    await seed(world, 5, 'draft', 'volunteer');
    const pages = await everyPage(world, {});
    expect(pages.map((p) => p.nominations.length)).toEqual([100, 100, 50]);
    const ids = pages.flatMap((p) => p.nominations.map((n) => n.id));
    expect(new Set(ids).size).toBe(250);
    const first = pages[0]?.nominations[0];
    expect(first).not.toHaveProperty('form');
    expect(first).not.toHaveProperty('attachments');
    expect(first?.name).not.toBe('');
    expect(pages[0]?.counts).toEqual({ submitted: 150, 'in-review': 100 });
  });

  it('filters by status, category and unit, and searches by the start of the name, on the server', async () => {
    const world = memoryWorld();
    await seed(world, 30, 'submitted', 'volunteer');
    await seed(world, 12, 'submitted', 'project', 'city');
    const projects = await everyPage(world, { status: 'submitted', category: 'project', limit: '5' });
    expect(projects.map((p) => p.nominations.length)).toEqual([5, 5, 2]);
    expect(projects.flatMap((p) => p.nominations).every((n) => n.category === 'project')).toBe(true);
    expect(projects[0]?.counts).toEqual({ submitted: 12 });
    const unit = await everyPage(world, { unit: 'city-1' });
    expect(unit.flatMap((p) => p.nominations.map((n) => n.unitId))).toEqual([
      'city-1',
      'city-1',
      'city-1',
      'city-1',
    ]);
    const name = (await everyPage(world, { category: 'volunteer' }))[0]?.nominations[0]?.name ?? '';
    const byName = await everyPage(world, { q: name.slice(0, 2), limit: '7' });
    expect(byName.map((p) => p.nominations.length)).toEqual([7, 7, 7, 7, 2]);
    expect(new Set(byName.flatMap((p) => p.nominations.map((n) => n.id))).size).toBe(30);
    // The start of the name, typed with a space and in full width, within one unit.
    const inUnit = await everyPage(world, {
      q: ` ${name.slice(0, 1)}\u3000${name.slice(1, 2)}`,
      unit: 'u-1',
    });
    expect(inUnit.flatMap((p) => p.nominations.map((n) => n.unitId))).toEqual(Array(10).fill('u-1'));
    // A part of the name that is not its start finds nothing: the search is a prefix.
    expect((await everyPage(world, { q: name.slice(1) })).flatMap((p) => p.nominations)).toEqual([]);
    // The unit's name is no name search: units are chosen by the unit filter.
    expect((await everyPage(world, { q: '市科协2' })).flatMap((p) => p.nominations)).toEqual([]);
  });

  it('refuses a page size over 100 and a cursor that is garbage or belongs to another list with a 400 naming the cursor', async () => {
    const world = memoryWorld();
    await seed(world, 3, 'submitted', 'volunteer');
    await expect(
      listNominations(world.deps, cast, 'cast-2024', { limit: String(MAX_PAGE + 1) }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      kind: 'invalid',
    });
    for (const cursor of ['%%%', 'bm90IGpzb24', encodeCursor({ list: 'ranking#cast-2024#', offset: 1 })]) {
      await expect(listNominations(world.deps, cast, 'cast-2024', { cursor })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: ['cursor'], code: 'invalid_cursor' }] },
      });
    }
  });

  it('decodes only the cursors it wrote, for the list they were written for', () => {
    const cursor = encodeCursor({ list: 'a', part: 2, key: { pk: 'x' } });
    expect(decodeCursor(cursor, 'a')).toEqual({ list: 'a', part: 2, key: { pk: 'x' } });
    expect(() => decodeCursor(cursor, 'b')).toThrow(/cursor/);
    expect(() => decodeCursor(encodeCursor({ list: 'a', offset: -1 }), 'a')).toThrow(/cursor/);
    expect(decodeCursor(undefined, 'a')).toBeUndefined();
  });

  it('pages the ranking of one category and refuses another list’s cursor', async () => {
    const world = memoryWorld();
    const answer = await rankingPage(world.deps, cast, 'cast-2024', { category: 'volunteer', limit: '10' });
    expect(answer).toEqual({
      outcomes: [],
      cursor: null,
      limits: [],
      summary: { selected: 0, notSelected: 0, confirmed: 0, found: 0, quotaLineAfter: null },
    });
    await expect(
      rankingPage(world.deps, cast, 'cast-2024', {
        cursor: encodeCursor({ list: 'ranking#cast-2024#project', offset: 1 }),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe("a unit's own list", () => {
  it('pages its rows, drafts included, with the start of a return’s reasons and its drafts per category', async () => {
    const world = memoryWorld();
    await seed(world, 9, 'submitted', 'volunteer');
    await seed(world, 6, 'draft', 'project');
    const returned = (await world.deps.store.page('cast-2024', { unit: 'u-0' }, {})).items[0];
    const stored = (await world.deps.store.get(returned?.id ?? '')) as Nomination;
    await world.deps.store.save(
      {
        ...stored,
        status: 'returned',
        reasons: `请补充材料。${'说明'.repeat(300)}`,
        version: stored.version + 1,
      },
      stored.version,
    );
    const unit = {
      role: 'unit' as const,
      campaignId: 'cast-2024',
      subjectId: 'u-0',
      name: '省科协0',
      email: 'u0@units.example.cn',
      unitType: 'provincial-association',
    };
    const first = await listOwnNominations(world.deps, unit, { limit: '3' });
    expect(first.nominations).toHaveLength(3);
    const second = await listOwnNominations(world.deps, unit, { limit: '3', cursor: first.cursor ?? '' });
    expect(second.cursor).toBeNull();
    const rows = [...first.nominations, ...second.nominations];
    // Three volunteers and two project drafts of unit u-0, each once, without forms.
    expect(rows.map((n) => n.status).sort()).toEqual([
      'draft',
      'draft',
      'returned',
      'submitted',
      'submitted',
    ]);
    expect(new Set(rows.map((n) => n.id)).size).toBe(5);
    for (const row of rows) expect(row).not.toHaveProperty('form');
    const reasons = rows.find((n) => n.status === 'returned')?.reasons ?? '';
    expect(reasons.startsWith('请补充材料。')).toBe(true);
    expect([...reasons].length).toBeLessThanOrEqual(200);
    expect(first.drafts).toEqual({ project: 2 });
    expect(first.quotas.find((q) => q.category === 'volunteer')).toMatchObject({ used: 3 });
    // Another list's cursor (the secretariat's) is refused on the cursor field.
    const other = (await listNominations(world.deps, cast, 'cast-2024', { limit: '1' })).cursor ?? '';
    await expect(listOwnNominations(world.deps, unit, { cursor: other })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
