import { describe, expect, it } from 'vitest';
import { keptExtension } from '../../functions/rules/attachments.js';

describe('the extension a stored upload is kept under', () => {
  it('is the last dot of the key’s last segment', () => {
    expect(keptExtension('nominations/n-1/scan/a-1.pdf', 'bin')).toBe('pdf');
    expect(keptExtension('nominations/n-1/word/a-1.tar.docx', 'bin')).toBe('docx');
  });

  it('falls back when the last segment has none, never lending a folder’s dot or the whole key', () => {
    expect(keptExtension('nominations/n-1/scan/a-1', 'bin')).toBe('bin');
    expect(keptExtension('nominations/n.1/scan/a-1', 'bin')).toBe('bin');
    expect(keptExtension('scan', '')).toBe('');
    expect(keptExtension('nominations/n-1/scan/a-1.', 'bin')).toBe('bin');
    expect(keptExtension('nominations/n-1/scan/.pdf', 'bin')).toBe('bin');
  });
});
