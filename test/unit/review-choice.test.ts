import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/rules/errors.js';
import { chooseExperts, type Expert } from '../../functions/rules/review.js';

const expert = (id: string, load: number, affiliation?: string): Expert => ({
  id,
  campaignId: 'cacs-2024',
  name: `专家 ${id}`,
  email: `${id}@example.org`,
  load,
  ...(affiliation ? { affiliation } : {}),
});
const nomination = { id: 'n1', unitId: 'unit-a' };
const ids = (experts: Expert[]) => experts.map((e) => e.id);

describe('chooseExperts', () => {
  it('never chooses an expert affiliated with the nominating unit, however idle', () => {
    const pool = [expert('e1', 0, 'unit-a'), expert('e2', 5, 'unit-b'), expert('e3', 7)];
    expect(ids(chooseExperts(pool, nomination, 2))).toEqual(['e2', 'e3']);
  });

  it('takes the least loaded first, ties by id, and exactly as many as asked', () => {
    const pool = [expert('e4', 2), expert('e2', 1), expert('e3', 1), expert('e1', 3), expert('e5', 0)];
    expect(ids(chooseExperts(pool, nomination, 3))).toEqual(['e5', 'e2', 'e3']);
    expect(ids(chooseExperts(pool, nomination, 1))).toEqual(['e5']);
    expect(ids(chooseExperts([expert('b', 0), expert('a', 0)], nomination, 2))).toEqual(['a', 'b']);
  });

  it('does not reorder or change the pool it was given', () => {
    const pool = [expert('e2', 1), expert('e1', 0)];
    chooseExperts(pool, nomination, 2);
    expect(ids(pool)).toEqual(['e2', 'e1']);
  });

  it('accepts a pool of exactly the number needed and refuses one short, counting only the eligible', () => {
    const pool = [expert('e1', 0), expert('e2', 0), expert('e3', 0, 'unit-a')];
    expect(ids(chooseExperts(pool, nomination, 2))).toEqual(['e1', 'e2']);
    try {
      chooseExperts(pool, nomination, 3);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const e = error as DomainError;
      expect(e.code).toBe('NOT_ENOUGH_EXPERTS');
      expect(e.kind).toBe('rule');
      expect(e.details).toEqual({ available: 2, needed: 3 });
      expect(e.messages.en).toMatch(/^Only 2 expert\(s\) may review this nomination, 3 needed/);
      expect(e.messages.zh).toContain('只有 2 位，需要 3 位');
    }
  });
});
