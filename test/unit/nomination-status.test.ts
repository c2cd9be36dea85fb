import { describe, expect, it } from 'vitest';
import { rankingRowFollows } from '../../functions/rules/nomination-status.js';

describe('a stored ranking row follows a status change', () => {
  it('while the nomination is past screening', () => {
    expect(rankingRowFollows('in-review')).toBe(true);
    expect(rankingRowFollows('scored', 'in-review')).toBe(true);
    expect(rankingRowFollows('selected', 'scored')).toBe(true);
  });

  it('on the change that takes it out of review, and on no change before screening', () => {
    expect(rankingRowFollows('withdrawn', 'in-review')).toBe(true);
    expect(rankingRowFollows('withdrawn', 'submitted')).toBe(false);
    expect(rankingRowFollows('submitted', 'draft')).toBe(false);
    expect(rankingRowFollows('returned')).toBe(false);
  });
});
