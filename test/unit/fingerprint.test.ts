import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../support/fingerprint.js';

const item = () => ({
  pk: 'nomination#n1',
  sk: 'nomination',
  data: { status: 'draft', version: 2, form: { name: '张三', awards: [{ year: 2020, title: 'A' }] } },
});

describe("the table fingerprint of the bad-input catalogue's 'writes nothing'", () => {
  it('notices a change however deep: a nested form field, an array element, a status', () => {
    const before = fingerprint([item()]);
    const renamed = item();
    renamed.data.form.name = '李四';
    const award = item();
    (award.data.form.awards[0] as { year: number }).year = 2021;
    const submitted = item();
    submitted.data.status = 'submitted';
    const extraKey = item() as ReturnType<typeof item> & { data: { note?: string } };
    extraKey.data.note = 'x';
    for (const changed of [renamed, award, submitted, extraKey]) {
      expect(fingerprint([changed])).not.toBe(before);
    }
  });

  it('does not depend on key order or item order', () => {
    const a = item();
    const reordered = { data: { form: a.data.form, version: 2, status: 'draft' }, sk: a.sk, pk: a.pk };
    const other = { pk: 'campaign#c', sk: 'state' };
    expect(fingerprint([a, other])).toBe(fingerprint([other, reordered]));
    expect(canonicalJson(reordered)).toBe(canonicalJson(a));
  });

  it('differs from the flat key list it replaces, which drops nested keys', () => {
    const a = item();
    const flat = JSON.stringify(a, Object.keys(a).sort());
    expect(flat).not.toContain('张三');
    expect(canonicalJson(a)).toContain('张三');
    expect(canonicalJson([1, { b: 1, a: [{ d: 1, c: 2 }] }])).toBe('[1,{"a":[{"c":2,"d":1}],"b":1}]');
  });
});
