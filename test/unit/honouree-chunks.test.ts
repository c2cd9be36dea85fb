import { describe, expect, it } from 'vitest';
import { HONOUREE_CHUNK_BYTES, honoureeChunks } from '../../functions/adapters/campaign-store.js';
import type { Honouree } from '../../functions/rules/honourees.js';

/** The past-honouree list is stored in chunks: each under its byte budget, together the list in order. */

const honouree = (i: number): Honouree => ({
  name: `科技志愿者第${i}号`,
  organization: `某某省某某市科学技术协会第${i}分队`,
  year: 2019 + (i % 5),
  category: 'volunteer',
});

describe('past-honouree chunks', () => {
  it('cuts a list of any length into chunks under the budget, the rows in order', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => honouree(i));
    const chunks = honoureeChunks(list);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks)
      expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThanOrEqual(HONOUREE_CHUNK_BYTES);
    expect(chunks.flat()).toEqual(list);
  });

  it('keeps a short list in one chunk and an empty list in none', () => {
    expect(honoureeChunks([honouree(1), honouree(2)])).toEqual([[honouree(1), honouree(2)]]);
    expect(honoureeChunks([])).toEqual([]);
  });

  it('fills each chunk up to the budget before starting the next', () => {
    const one = Buffer.byteLength(JSON.stringify(honouree(1))) + 1;
    expect(honoureeChunks([honouree(1), honouree(1), honouree(1)], 2 * one).map((c) => c.length)).toEqual([
      2, 1,
    ]);
  });
});
