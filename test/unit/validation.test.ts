import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../functions/rules/errors.js';
import {
  checkDraft,
  describeIssues,
  fieldLabel,
  jsonSchemaOf,
  parseInput,
  quoteShort,
} from '../../functions/rules/validation.js';

/**
 * How input the API refuses is worded (functions/rules/validation.ts): each zod issue becomes a
 * field issue naming the field by its Chinese and English label, in both languages; a draft is
 * refused only what even a draft may not hold. The schemas are built inside each test, so the
 * code under test runs there.
 */

const label = (zh: string, en: string, extra: Record<string, unknown> = {}) => ({
  title: zh,
  'x-title-en': en,
  ...extra,
});

/** A small form: a name, a code, an age, a role with its options, members, an e-mail. */
function sampleForm() {
  return z.strictObject({
    name: z.string().min(1).max(5).meta(label('姓名', 'Name')),
    code: z.string().min(3).meta(label('代码', 'Code')),
    pin: z.string().min(2).optional().meta(label('口令', 'PIN')),
    age: z.int().min(18).max(70).optional().meta(label('年龄', 'Age')),
    step: z.number().multipleOf(5).optional().meta(label('步长', 'Step')),
    active: z.boolean().optional().meta(label('在岗', 'Active')),
    role: z
      .enum(['lead', 'member'])
      .optional()
      .meta(
        label('角色', 'Role', {
          'x-options': [
            { zh: '负责人', en: 'Lead' },
            { zh: '成员', en: 'Member' },
          ],
        }),
      ),
    mail: z
      .email()
      .optional()
      .meta(label('邮箱', 'E-mail', { 'x-hint-zh': '如 a@b.cn', 'x-hint-en': 'e.g. a@b.cn' })),
    members: z
      .array(z.strictObject({ person: z.string().max(4).meta(label('姓名', 'Name')) }))
      .min(1)
      .max(3)
      .optional()
      .meta(label('成员', 'Members')),
  });
}

const valid = { name: '李梅', code: 'abc' };

/** The issues zod finds in `input`, worded. */
function issuesOf(schema: z.ZodType, input: unknown) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return describeIssues(jsonSchemaOf(schema), parsed.error.issues, input);
}

function only(schema: z.ZodType, input: unknown) {
  const issues = issuesOf(schema, input);
  expect(issues).toHaveLength(1);
  return issues[0];
}

describe('an issue zod finds, worded for the person who typed it', () => {
  it.each([
    ['a missing text', 'name', undefined, '姓名', 'Name'],
    ['a null text', 'name', null, '姓名', 'Name'],
    ['an empty text where a number goes', 'age', '', '年龄', 'Age'],
  ])('calls %s required, naming the field', (_what, field, value, zh, en) => {
    expect(only(sampleForm(), { ...valid, [field]: value })).toEqual({
      path: [field],
      code: 'required',
      message: { zh: `${zh}：必填`, en: `${en}: is required` },
    });
  });

  it.each([
    ['age', 'x', '应为数字', 'must be a number'],
    ['name', 12, '应为文字', 'must be text'],
    ['active', 'yes', '应为是或否', 'must be yes or no'],
    ['members', 'Li', '应为列表', 'must be a list'],
  ])('names the type %s must have', (field, value, zh, en) => {
    const issue = only(sampleForm(), { ...valid, [field]: value });
    expect(issue?.code).toBe('invalid_type');
    expect(issue?.message.zh.endsWith(`：${zh}`)).toBe(true);
    expect(issue?.message.en.endsWith(`: ${en}`)).toBe(true);
  });

  it('tells a field two checks refuse once (a year-month past December), and a choice left empty as one to make', () => {
    const schema = z.strictObject({
      born: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .refine((v) => !v.endsWith('-13')),
      gender: z.enum(['男', '女']),
    });
    const issues = describeIssues(
      jsonSchemaOf(schema),
      schema.safeParse({ born: '2015-13', gender: '' }).error?.issues ?? [],
      {
        born: '2015-13',
        gender: '',
      },
    );
    expect(issues.map((i) => i.path)).toEqual([['born'], ['gender']]);
    expect(issues[1]).toMatchObject({ code: 'required', message: { zh: '请选择一项', en: 'choose one' } });
  });

  it('names a group of fields (an object or a record), a date, and a type it has no word for plainly — never by zod’s own name', () => {
    expect(only(z.strictObject({ a: z.strictObject({}) }), { a: 1 })).toEqual({
      path: ['a'],
      code: 'invalid_type',
      message: { zh: '应为一组字段', en: 'must be a group of fields' },
    });
    expect(only(z.strictObject({ form: z.record(z.string(), z.unknown()) }), { form: [] })?.message).toEqual({
      zh: '应为一组字段',
      en: 'must be a group of fields',
    });
    expect(only(z.strictObject({ at: z.date() }), { at: 3 })?.message).toEqual({
      zh: '应为日期',
      en: 'must be a date',
    });
    expect(only(z.strictObject({ n: z.bigint() }), { n: 'x' })?.message).toEqual({
      zh: '格式不对',
      en: 'is not in the form expected',
    });
  });

  it('calls a text under one character empty, and counts from two', () => {
    expect(only(sampleForm(), { ...valid, pin: 'x' })).toEqual({
      path: ['pin'],
      code: 'too_short',
      message: { zh: '口令：至少 2 字', en: 'PIN: must be at least 2 characters' },
    });
    expect(only(z.strictObject({ a: z.string().min(1) }), { a: '' })).toEqual({
      path: ['a'],
      code: 'required',
      message: { zh: '不能为空', en: 'cannot be empty' },
    });
  });

  it('words the bounds of a text, a list and a number', () => {
    expect(only(sampleForm(), { ...valid, code: 'ab' })?.message).toEqual({
      zh: '代码：至少 3 字',
      en: 'Code: must be at least 3 characters',
    });
    expect(only(sampleForm(), { ...valid, name: '李晓梅李晓梅' })).toEqual({
      path: ['name'],
      code: 'too_long',
      message: { zh: '姓名：不能超过 5 字', en: 'Name: must be at most 5 characters' },
    });
    expect(only(sampleForm(), { ...valid, members: [] })).toEqual({
      path: ['members'],
      code: 'too_few',
      message: { zh: '成员：至少填写 1 项', en: 'Members: needs at least 1 entries' },
    });
    const four = Array.from({ length: 4 }, () => ({ person: '李' }));
    expect(only(sampleForm(), { ...valid, members: four })).toEqual({
      path: ['members'],
      code: 'too_many',
      message: { zh: '成员：最多填写 3 项', en: 'Members: takes at most 3 entries' },
    });
    expect(only(sampleForm(), { ...valid, age: 17 })).toEqual({
      path: ['age'],
      code: 'too_small',
      message: { zh: '年龄：不能小于 18', en: 'Age: must be at least 18' },
    });
    expect(only(sampleForm(), { ...valid, age: 71 })).toEqual({
      path: ['age'],
      code: 'too_big',
      message: { zh: '年龄：不能大于 70', en: 'Age: must be at most 70' },
    });
    expect(issuesOf(sampleForm(), { ...valid, age: 18, members: four.slice(1) })).toEqual([]);
  });

  it('names an entry of a list by its place, counted from one', () => {
    expect(only(sampleForm(), { ...valid, members: [{ person: '李' }, { person: '欧阳晓梅娜' }] })).toEqual({
      path: ['members', 1, 'person'],
      code: 'too_long',
      message: {
        zh: '成员第 2 项 › 姓名：不能超过 4 字',
        en: 'Members #2 › Name: must be at most 4 characters',
      },
    });
  });

  it('words a wrong format with the hint the field gives, and without when it gives none', () => {
    expect(only(sampleForm(), { ...valid, mail: 'nope' })).toEqual({
      path: ['mail'],
      code: 'invalid_format',
      message: {
        zh: '邮箱：格式不正确（应为如 a@b.cn）',
        en: 'E-mail: has the wrong format (expected e.g. a@b.cn)',
      },
    });
    expect(only(z.strictObject({ mail: z.email() }), { mail: 'nope' })?.message).toEqual({
      zh: '格式不正确',
      en: 'has the wrong format',
    });
  });

  it('lists the options of a field when a value is not one of them', () => {
    expect(only(sampleForm(), { ...valid, role: 'boss' })).toEqual({
      path: ['role'],
      code: 'invalid_option',
      message: {
        zh: '角色：不是可选项之一：负责人、成员',
        en: 'Role: is not one of the options: Lead, Member',
      },
    });
    const union = z.strictObject({ size: z.union([z.literal('s'), z.literal('m')]) });
    expect(only(union, { size: 'xl' })).toEqual({
      path: ['size'],
      code: 'invalid_option',
      message: { zh: '不是可选项之一', en: 'is not one of the options' },
    });
  });

  it('refuses a number that is not an allowed step', () => {
    expect(only(sampleForm(), { ...valid, step: 7 })).toEqual({
      path: ['step'],
      code: 'invalid_number',
      message: { zh: '步长：数值不符合要求', en: 'Step: is not an allowed number' },
    });
  });

  it("words a rule's own refusal in its own words, with its code or as invalid", () => {
    const worded = (params: Record<string, unknown>) =>
      z.strictObject({ a: z.string().refine(() => false, { params }) });
    expect(only(worded({ code: 'too_late', zh: '太晚了', en: 'is too late' }), { a: 'x' })).toEqual({
      path: ['a'],
      code: 'too_late',
      message: { zh: '太晚了', en: 'is too late' },
    });
    expect(only(worded({ zh: '太晚了', en: 'is too late' }), { a: 'x' })?.code).toBe('invalid');
    // Words in one language only are not enough: the field is said to be not valid.
    expect(only(worded({ zh: '太晚了' }), { a: 'x' })).toEqual({
      path: ['a'],
      code: 'invalid_format',
      message: { zh: '格式不正确', en: 'is not valid' },
    });
    const hinted = z.strictObject({
      a: z
        .string()
        .refine(() => false)
        .meta({ 'x-hint-zh': '年-月', 'x-hint-en': 'year-month' }),
    });
    expect(only(hinted, { a: 'x' })?.message).toEqual({
      zh: '格式不正确（应为年-月）',
      en: 'is not valid (expected year-month)',
    });
  });

  it("quotes zod's own words for an issue it has no wording of its own for", () => {
    const record = z.strictObject({ scores: z.record(z.string().regex(/^k/), z.number()) });
    const issue = only(record, { scores: { x: 1 } });
    expect(issue?.code).toBe('invalid_key');
    expect(issue?.path).toEqual(['scores', 'x']);
    expect(issue?.message).toEqual({
      zh: '无效（Invalid key in record）',
      en: 'is invalid (Invalid key in record)',
    });
  });

  it('makes each unknown key an issue on that key, quoted short', () => {
    const long = 'k'.repeat(45);
    expect(issuesOf(sampleForm(), { ...valid, extra: 1, [long]: 2 })).toEqual([
      {
        path: ['extra'],
        code: 'unknown_field',
        message: { zh: '“extra”不是本表的字段', en: '"extra" is not a field of this form' },
      },
      {
        path: [`${'k'.repeat(40)}…`],
        code: 'unknown_field',
        message: {
          zh: `“${'k'.repeat(40)}…”不是本表的字段`,
          en: `"${'k'.repeat(40)}…" is not a field of this form`,
        },
      },
    ]);
    expect(
      issuesOf(sampleForm(), { ...valid, members: [{ person: '李', age: 3 }] }).map((i) => i.path),
    ).toEqual([['members', 0, 'age']]);
  });
});

describe('parsing input', () => {
  it('answers the parsed value when the input fits', () => {
    const schema = z.strictObject({ name: z.string().trim() });
    expect(parseInput(schema, { name: ' 李梅 ' }, { zh: '申请', en: 'request' })).toEqual({ name: '李梅' });
  });

  it('refuses with every issue, naming what was sent and the first issue', () => {
    let error: unknown;
    try {
      parseInput(sampleForm(), { code: 'ab' }, { zh: '申请', en: 'request' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const refusal = error as ValidationError;
    expect(refusal.issues.map((i) => i.path)).toEqual([['name'], ['code']]);
    expect(refusal.messages).toEqual({
      zh: '申请有 2 处错误：姓名：必填',
      en: 'The request has 2 error(s): Name: is required',
    });
  });

  it('keeps one JSON Schema per schema', () => {
    const schema = sampleForm();
    expect(jsonSchemaOf(schema)).toBe(jsonSchemaOf(schema));
    expect(jsonSchemaOf(schema)).not.toBe(jsonSchemaOf(sampleForm()));
  });
});

describe('the label of a field', () => {
  it('joins the labels along the path, and uses the key where no English name is given', () => {
    const schema = z.strictObject({
      site: z.strictObject({ town: z.string().meta({ title: '乡镇' }) }).meta(label('服务点', 'Site')),
    });
    expect(fieldLabel(jsonSchemaOf(schema), ['site', 'town'])).toEqual({
      zh: '服务点 › 乡镇',
      en: 'Site › town',
    });
  });

  it('skips a group without a label, and has none for a path no field has', () => {
    const schema = z.strictObject({
      group: z.strictObject({ town: z.string().meta(label('乡镇', 'Town')) }),
    });
    const json = jsonSchemaOf(schema);
    expect(fieldLabel(json, ['group', 'town'])).toEqual({ zh: '乡镇', en: 'Town' });
    expect(fieldLabel(json, ['group'])).toBeUndefined();
    expect(fieldLabel(json, ['nothing', 'town'])).toBeUndefined();
  });

  it('finds a field in any branch of a discriminated union', () => {
    const schema = z.strictObject({
      activity: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('a'), hours: z.number().meta(label('时长', 'Hours')) }),
        z.strictObject({ kind: z.literal('b'), place: z.string().meta(label('地点', 'Place')) }),
      ]),
    });
    const json = jsonSchemaOf(schema);
    expect(fieldLabel(json, ['activity', 'place'])).toEqual({ zh: '地点', en: 'Place' });
    expect(fieldLabel(json, ['activity', 'hours'])).toEqual({ zh: '时长', en: 'Hours' });
  });

  it("labels a list's entry by its own label when the list has none", () => {
    const schema = z.strictObject({ rows: z.array(z.string().meta(label('行', 'Row'))) });
    expect(fieldLabel(jsonSchemaOf(schema), ['rows', 0])).toEqual({ zh: '行', en: 'Row' });
  });
});

describe('a quoted text', () => {
  it('is kept whole up to 40 characters and cut after, counting characters, not code units', () => {
    expect(quoteShort('字'.repeat(40))).toBe('字'.repeat(40));
    expect(quoteShort('字'.repeat(41))).toBe(`${'字'.repeat(40)}…`);
    // Invisible and reordering characters are shown, never let act on the message.
    expect(quoteShort('n-1\u0000\u202Eabc\u200B\uD800')).toBe('n-1\uFFFD\uFFFDabc\uFFFD\uFFFD');
    expect(quoteShort('😀'.repeat(40))).toBe('😀'.repeat(40));
    expect(quoteShort('😀'.repeat(41))).toBe(`${'😀'.repeat(40)}…`);
  });
});

describe('a draft', () => {
  function draftForm() {
    return jsonSchemaOf(
      z.strictObject({
        name: z
          .string()
          .max(5)
          .meta(label('姓名', 'Name', { maxLength: 5 })),
        note: z.string().meta({ ...label('备注', 'Note'), 'x-free-text': 'multi-line' }),
        count: z.int().meta(label('人数', 'Count')),
        site: z.strictObject({ town: z.string() }).meta(label('服务点', 'Site')),
        members: z.array(z.string()).max(3).meta(label('成员', 'Members')),
        photos: z.array(z.strictObject({ caption: z.string() })).meta(label('照片', 'Photos')),
      }),
    );
  }

  it('may hold what the form will refuse later, and comes back in NFC', () => {
    const draft = { name: 'Jose\u0301', count: '12a', site: {}, members: ['李', '王', '张'], photos: [] };
    expect(checkDraft(draftForm(), draft)).toEqual({
      value: { name: 'José', count: '12a', site: {}, members: ['李', '王', '张'], photos: [] },
      issues: [],
    });
    expect(checkDraft(draftForm(), { count: 12, note: null, photos: [{ caption: true }] })).toEqual({
      value: { count: 12, note: null, photos: [{ caption: true }] },
      issues: [],
    });
  });

  it.each([
    ['text', 'site', '服务点：应为一组字段', 'Site: must be a group of fields'],
    ['a list', 'site', '服务点：应为一组字段', 'Site: must be a group of fields'],
    ['nothing', 'site', '服务点：应为一组字段', 'Site: must be a group of fields'],
    ['text', 'members', '成员：应为列表', 'Members: must be a list'],
    ['a group', 'members', '成员：应为列表', 'Members: must be a list'],
  ])('refuses %s where the form has a %s', (what, field, zh, en) => {
    const value = { text: '李', 'a list': ['李'], nothing: null, 'a group': { a: 1 } }[what];
    expect(checkDraft(draftForm(), { [field]: value }).issues).toEqual([
      { path: [field], code: 'invalid_type', message: { zh, en } },
    ]);
  });

  it('refuses a whole draft that is not a group of fields', () => {
    expect(checkDraft(draftForm(), ['李']).issues).toEqual([
      { path: [], code: 'invalid_type', message: { zh: '应为一组字段', en: 'must be a group of fields' } },
    ]);
  });

  it('refuses a group or a list where the form has a single value', () => {
    expect(checkDraft(draftForm(), { name: ['李'], count: { n: 1 } }).issues).toEqual([
      {
        path: ['name'],
        code: 'invalid_type',
        message: { zh: '姓名：应为单个值', en: 'Name: must be a single value' },
      },
      {
        path: ['count'],
        code: 'invalid_type',
        message: { zh: '人数：应为单个值', en: 'Count: must be a single value' },
      },
    ]);
  });

  it('takes as many entries as the list takes, and refuses one more', () => {
    expect(checkDraft(draftForm(), { members: ['1', '2', '3'] }).issues).toEqual([]);
    expect(checkDraft(draftForm(), { members: ['1', '2', '3', '4'] }).issues).toEqual([
      {
        path: ['members'],
        code: 'too_many',
        message: { zh: '成员：最多填写 3 项', en: 'Members: takes at most 3 entries' },
      },
    ]);
    const many = Array.from({ length: 50 }, () => ({ caption: '' }));
    expect(checkDraft(draftForm(), { photos: many }).issues).toEqual([]);
  });

  it("looks inside each list's entries", () => {
    expect(checkDraft(draftForm(), { photos: [{ caption: '' }, { caption: '', x: 1 }] }).issues).toEqual([
      {
        path: ['photos', 1, 'x'],
        code: 'unknown_field',
        message: { zh: '“x”不是本表的字段', en: '"x" is not a field of this form' },
      },
    ]);
  });

  it('keeps a text up to twice its field and refuses one character more, saying both lengths', () => {
    expect(checkDraft(draftForm(), { name: '李'.repeat(10) }).issues).toEqual([]);
    expect(checkDraft(draftForm(), { name: '李'.repeat(11) }).issues).toEqual([
      {
        path: ['name'],
        code: 'too_long',
        message: {
          zh: '姓名：草稿中不能超过 10 字（提交时不能超过 5 字）',
          en: 'Name: must be at most 10 characters in a draft (5 to submit)',
        },
      },
    ]);
  });

  it('keeps at most 200 characters where the form expects no text', () => {
    expect(checkDraft(draftForm(), { count: '1'.repeat(200) }).issues).toEqual([]);
    expect(checkDraft(draftForm(), { count: '1'.repeat(201) }).issues).toEqual([
      {
        path: ['count'],
        code: 'too_long',
        message: {
          zh: '人数：草稿中不能超过 200 字（提交时不能超过 100 字）',
          en: 'Count: must be at most 200 characters in a draft (100 to submit)',
        },
      },
    ]);
  });

  it('allows a tab in multi-line text only', () => {
    expect(checkDraft(draftForm(), { note: '第一行\n\t第二行' }).issues).toEqual([]);
    const [issue] = checkDraft(draftForm(), { name: '李\t梅' }).issues;
    expect([issue?.path, issue?.code]).toEqual([['name'], 'invisible_character']);
    expect(issue?.message.zh.startsWith('姓名：第 2 个字符是')).toBe(true);
  });

  it('keeps a key named like an inherited property as its own, and refuses it when the form has none', () => {
    const form = jsonSchemaOf(z.strictObject({ constructor: z.string() }));
    const { value } = checkDraft(form, JSON.parse('{"constructor":"x"}'));
    expect(Object.keys(value as object)).toEqual(['constructor']);
    expect((value as { constructor: unknown }).constructor).toBe('x');
    expect(
      checkDraft(draftForm(), JSON.parse('{"__proto__":{"admin":true}}')).issues.map((i) => i.path),
    ).toEqual([['__proto__']]);
  });

  it('answers every issue at once, in the order of the draft', () => {
    const { issues } = checkDraft(draftForm(), { extra: 1, members: '李', site: { town: '某镇', x: 2 } });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      [['extra'], 'unknown_field'],
      [['members'], 'invalid_type'],
      [['site', 'x'], 'unknown_field'],
    ]);
  });
});
