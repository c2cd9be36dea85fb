import { describe, expect, it } from 'vitest';
import { NAME_KEY_LENGTH, nameSearchKey, searchPrefix } from '../../functions/rules/nomination-view.js';

/** A name found by the search the secretariat types: a prefix of the name's folded key. */
const finds = (typed: string, name: string) => {
  const prefix = searchPrefix(typed);
  return prefix !== undefined && nameSearchKey(name).startsWith(prefix);
};

describe('the name search key', () => {
  it('folds width, case and spaces of any kind', () => {
    expect(nameSearchKey('ＺＨＡＮＧ　Ｗｅｉ')).toBe('zhangwei');
    expect(nameSearchKey(' Zhang\u3000 Wei ')).toBe('zhangwei');
    expect(finds('zhang w', 'ZHANG Wei')).toBe(true);
  });

  it('finds a name typed in traditional characters, and the other way round', () => {
    expect(nameSearchKey('張偉')).toBe(nameSearchKey('张伟'));
    expect(finds('張', '张伟')).toBe(true);
    expect(finds('张', '張偉')).toBe(true);
  });

  it('treats every middle dot of a minority or foreign name as one', () => {
    expect(finds('阿依古丽·', '阿依古丽・买买提')).toBe(true);
    expect(finds('阿依古丽.买', '阿依古丽•买买提')).toBe(true);
  });

  it('matches the start of the name, not any part of it', () => {
    expect(finds('张', '张伟')).toBe(true);
    expect(finds('伟', '张伟')).toBe(false);
    expect(finds('志愿服务队', '青年志愿服务队')).toBe(false);
    expect(finds('青年志愿', '青年志愿服务队')).toBe(true);
  });

  it('has nothing to search for when only spaces or invisible characters were typed', () => {
    expect(searchPrefix(undefined)).toBeUndefined();
    expect(searchPrefix('')).toBeUndefined();
    expect(searchPrefix('  \u3000 ')).toBeUndefined();
    expect(searchPrefix('\u200b')).toBeUndefined();
    expect(searchPrefix(' 李 ')).toBe('李');
  });

  it('stays short enough for an index sort key whatever the form holds', () => {
    const key = nameSearchKey('龘'.repeat(1000));
    expect([...key]).toHaveLength(NAME_KEY_LENGTH);
    // With the id after it, still below DynamoDB's 1,024 bytes for a sort key.
    expect(Buffer.byteLength(`${key}#n-${'x'.repeat(40)}`)).toBeLessThan(1024);
  });
});
