import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from '../../functions/rules/paging.js';

/** The cursor rules on their own (functions/rules/paging.ts); the lists that use them are in use-cases/lists.test.ts. */
describe('a paging cursor', () => {
  const cursor = encodeCursor({ list: 'a', offset: 2 });

  it('is read as the first page when absent or empty', () => {
    expect(decodeCursor(undefined, 'a')).toBeUndefined();
    expect(decodeCursor('', 'a')).toBeUndefined();
  });

  it('is refused when anything but base64url surrounds what Laurel wrote, though the decoder would skip it', () => {
    expect(decodeCursor(cursor, 'a')).toEqual({ list: 'a', offset: 2 });
    for (const tampered of [
      `!${cursor}`,
      `${cursor}!`,
      `${cursor.slice(0, 4)}+${cursor.slice(4)}`,
      `${cursor}=`,
    ])
      expect(() => decodeCursor(tampered, 'a'), tampered).toThrow(/cursor/);
  });

  it('is refused in the person’s language, naming the cursor field of the page request', () => {
    let refusal: unknown;
    try {
      decodeCursor('bm90IGpzb24', 'a');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: ['cursor'],
      messages: {
        zh: '翻页有 1 处错误：翻页标记无效或已过期，请从第一页重新开始',
        en: 'The page request has 1 error(s): The cursor is not valid for this list; start again from the first page',
      },
    });
  });
});

describe('pageOf', () => {
  const all = ['a', 'b', 'c', 'd'];

  it('gives a next cursor while items remain, and none on a page that ends exactly at the last item', () => {
    const first = pageOf(all, 'l', { limit: 2 });
    expect(first.items).toEqual(['a', 'b']);
    expect(first.cursor).not.toBeNull();
    const second = pageOf(all, 'l', { limit: 2, cursor: first.cursor ?? '' });
    expect(second).toEqual({ items: ['c', 'd'], cursor: null });
    expect(pageOf(all, 'l', { limit: 4 })).toEqual({ items: all, cursor: null });
    expect(pageOf(all, 'l', { limit: 3 }).cursor).toBe(encodeCursor({ list: 'l', offset: 3 }));
  });
});
