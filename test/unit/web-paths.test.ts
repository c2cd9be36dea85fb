import { describe, expect, it } from 'vitest';
import { decoded, fragmentToken, match } from '../../web/src/paths.js';

/** The page's reading of its own address (web/src/paths.ts): a mangled link is no link, never a crash. */
describe('links as the page reads them', () => {
  it('takes the token from the fragment, and none from one that is not valid percent-encoding', () => {
    expect(fragmentToken('#abc_DEF-123')).toBe('abc_DEF-123');
    expect(fragmentToken('#abc%2Bdef')).toBe('abc+def');
    for (const mangled of ['#%ff', '#%', '#abc%E0%A4%A']) expect(fragmentToken(mangled)).toBe('');
    expect(decoded('%zz')).toBeUndefined();
  });

  it('matches a path whose parts decode, and a part that does not names no page', () => {
    expect(match('/unit/nominations/:id', '/unit/nominations/n-1%2B2')).toEqual({ id: 'n-1+2' });
    expect(match('/unit/nominations/:id', '/unit/nominations/%ff')).toBeNull();
  });
});
