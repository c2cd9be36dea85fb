import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../functions/routes.js';
import { ValidationError } from '../../functions/rules/errors.js';
import { FORM_IDS, formJsonSchema, parseDraft, validateForm } from '../../functions/rules/forms/index.js';
import { forbiddenCharacter, freeText, normaliseName } from '../../functions/rules/text.js';
import { jsonSchemaOf } from '../../functions/rules/validation.js';
import { TODAY, volunteer } from '../fixtures/forms.js';
import { INVISIBLE_CLASSES } from '../fixtures/invisible-characters.js';

/**
 * Text hygiene, in one place (functions/rules/text.ts): every free-text field refuses invisible
 * and direction-changing characters with a field error naming the character and its position,
 * stores NFC, and has a maximum length — drafts included; unknown fields are refused on save.
 */

describe('invisible and direction-changing characters', () => {
  it.each(INVISIBLE_CLASSES)(
    'refuses a $label in a one-line text, naming it and its position',
    ({ insert, kind }) => {
      const found = forbiddenCharacter(`李晓${insert}梅`);
      expect(found).toMatchObject({ kind, position: 3 });
      const issues = validateForm('volunteer', volunteer({ name: `李晓${insert}梅` }), TODAY);
      expect(issues.ok).toBe(false);
      const issue = issues.issues.find((i) => i.path.join('.') === 'name');
      expect(issue?.code).toBe('invisible_character');
      expect(issue?.message.zh).toMatch(/^姓名：第 3 个字符是.+（U\+[0-9A-F]{4}），请删除后重新输入/);
      expect(issue?.message.en).toMatch(/^Name: character 3 is .+ \(U\+[0-9A-F]{4}\); delete it/);
    },
  );

  it('keeps emoji sequences whole: a family (ZWJ), a flag of tags, skin tones, a keycap', () => {
    for (const text of ['王👨‍👩‍👧', '🏴󠁧󠁢󠁳󠁣󠁴󠁿队', '👍🏽', '1️⃣号', '🧑‍🔬科普']) {
      expect(forbiddenCharacter(text)).toBeUndefined();
    }
    // A joiner that joins no emoji is a zero-width character like any other.
    expect(forbiddenCharacter('👨\u200D李')).toMatchObject({ kind: 'zero-width' });
  });

  it('allows tabs and line breaks in multi-line text only', () => {
    expect(forbiddenCharacter('第一段\r\n第二段\t完', true)).toBeUndefined();
    expect(forbiddenCharacter('第一段\n第二段')).toMatchObject({ kind: 'line-break', position: 4 });
    expect(forbiddenCharacter('第一段\u202E', true)).toMatchObject({ kind: 'bidi' });
  });

  it('stores NFC: a letter and its combining accent become one character', () => {
    const parsed = freeText({ max: 5 }).parse(' Jose\u0301 ');
    expect(parsed).toBe('José');
    expect(parsed.length).toBe(4);
  });

  it('counts length after NFC and in code points', () => {
    expect(freeText({ max: 4 }).safeParse('Jose\u0301').success).toBe(true);
    expect(freeText({ max: 2 }).safeParse('😀😀').success).toBe(true);
    expect(freeText({ max: 2 }).safeParse('😀😀😀').success).toBe(false);
  });
});

describe('drafts', () => {
  it('may be incomplete and half-typed', () => {
    expect(parseDraft('volunteer', {})).toEqual({});
    expect(parseDraft('volunteer', { name: '李', activitiesTakenPart: '12a', contact: '138' })).toEqual({
      name: '李',
      activitiesTakenPart: '12a',
      contact: '138',
    });
  });

  it.each([
    ['an unknown field', { constructor: 1 }, 'constructor', 'unknown_field'],
    ['an own __proto__ key', JSON.parse('{"__proto__":{"admin":true}}'), '__proto__', 'unknown_field'],
    ['deeds of 150,000 characters', { mainDeeds: '事'.repeat(150_000) }, 'mainDeeds', 'too_long'],
    [
      'a name of 101 characters (twice the 50 the field takes, and one)',
      { name: '李'.repeat(101) },
      'name',
      'too_long',
    ],
    ['a group where text goes', { name: { first: '李' } }, 'name', 'invalid_type'],
    ['a zero-width space in the name', { name: '李\u200B梅' }, 'name', 'invisible_character'],
    [
      'a text of 201 characters where a number goes',
      { activitiesTakenPart: '1'.repeat(201) },
      'activitiesTakenPart',
      'too_long',
    ],
  ])('refuse %s', (_, draft, path, code) => {
    try {
      parseDraft('volunteer', draft);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const issue = (error as ValidationError).issues[0];
      expect([issue?.path.join('.'), issue?.code]).toEqual([path, code]);
    }
  });

  it('refuses unknown fields inside groups and lists, and lists longer than the form takes', () => {
    let error: ValidationError | undefined;
    try {
      parseDraft('site', { site: { province: '浙江', x: 1 }, extra: true });
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error?.issues.map((i) => i.path.join('.'))).toEqual(['site.x', 'extra']);
  });

  it('quotes a huge unknown key back shortened', () => {
    try {
      parseDraft('volunteer', { ['k'.repeat(5000)]: 1 });
      expect.unreachable();
    } catch (error) {
      const issue = (error as ValidationError).issues[0];
      expect(String(issue?.path[0]).length).toBeLessThanOrEqual(41);
      expect(JSON.stringify(issue).length).toBeLessThan(400);
    }
  });

  it('keeps a text up to twice its field while it is shortened', () => {
    expect(parseDraft('volunteer', { name: '李'.repeat(100) })).toEqual({ name: '李'.repeat(100) });
  });

  it('stores the draft in NFC', () => {
    expect(parseDraft('volunteer', { name: 'Jose\u0301' })).toEqual({ name: 'José' });
  });
});

/** Every string a request body or form takes, with its JSON Schema node. */
function strings(node: Record<string, unknown>, path: string, out: [string, Record<string, unknown>][]) {
  if (node.type === 'string') out.push([path, node]);
  for (const [key, child] of Object.entries(
    (node.properties ?? {}) as Record<string, Record<string, unknown>>,
  ))
    strings(child, `${path}.${key}`, out);
  for (const branch of (node.oneOf ?? node.anyOf ?? []) as Record<string, unknown>[])
    strings(branch, path, out);
  if (node.items) strings(node.items as Record<string, unknown>, `${path}[]`, out);
  if (node.propertyNames) strings(node.propertyNames as Record<string, unknown>, `${path}{key}`, out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    strings(node.additionalProperties as Record<string, unknown>, `${path}{}`, out);
  return out;
}

function objects(node: Record<string, unknown>, path: string, out: [string, Record<string, unknown>][]) {
  if (node.type === 'object') out.push([path, node]);
  for (const [key, child] of Object.entries(
    (node.properties ?? {}) as Record<string, Record<string, unknown>>,
  ))
    objects(child, `${path}.${key}`, out);
  for (const branch of (node.oneOf ?? node.anyOf ?? []) as Record<string, unknown>[])
    objects(branch, path, out);
  if (node.items) objects(node.items as Record<string, unknown>, `${path}[]`, out);
  return out;
}

const routeSchemas = await import('../../functions/route-schemas.js');
const BODIES = [
  ...allRoutes()
    .map(({ route }) => [route.route, route.body?.(routeSchemas)] as const)
    .flatMap(([key, body]) => (body ? [[key, jsonSchemaOf(body)] as const] : [])),
  ...FORM_IDS.map((id) => [`${id} form`, formJsonSchema(id)] as const),
];

describe('every string of every request body and form', () => {
  it.each(BODIES)(
    '%s: every text is free text with a maximum, or an enum, a pattern or a format',
    (_, schema) => {
      const loose = strings(schema, '', []).filter(
        ([, node]) =>
          !(node['x-free-text'] && typeof node.maxLength === 'number') &&
          !node.enum &&
          node.const === undefined &&
          typeof node.pattern !== 'string' &&
          typeof node.format !== 'string',
      );
      expect(loose.map(([path]) => path)).toEqual([]);
    },
  );

  it.each(BODIES)('%s: every group refuses unknown fields', (name, schema) => {
    const open = objects(schema, '', []).filter(
      ([path, node]) =>
        node.additionalProperties !== false &&
        // The one record of the API: scores per criterion, keys by pattern, values numbers.
        !(path === '.scores' && (node.propertyNames as { pattern?: string } | undefined)?.pattern) &&
        // The save's form is checked against the nomination's own form (parseDraft).
        !(name === 'PUT /api/nominations/{id}/form' && path === '.form') &&
        // So is a correction's: only the person's own fields of it, each refused by name otherwise.
        !(name === 'PUT /api/nominations/{id}/personal-fields' && path === '.fields'),
    );
    expect(open.map(([path]) => path)).toEqual([]);
  });
});

describe('past-honouree matching ignores what hides a match', () => {
  it('folds width, case, spaces, traditional characters and invisible characters alike', () => {
    const key = normaliseName('李晓梅');
    for (const variant of [
      '李曉梅',
      ' 李 晓梅 ',
      '李\u200B晓梅',
      '\uFEFF李晓梅',
      '李\u2060晓梅',
      '李晓\u00AD梅',
    ])
      expect(normaliseName(variant)).toBe(key);
    expect(normaliseName('ＡＢＣ 科协')).toBe(normaliseName('abc科协'));
  });
});
