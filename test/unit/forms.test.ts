import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../functions/rules/categories.js';
import { ValidationError } from '../../functions/rules/errors.js';
import {
  FORMS,
  formHints,
  formJsonSchema,
  parseForm,
  validateForm,
  withCurrentForm,
} from '../../functions/rules/forms/index.js';
import { hoursPerPersonAgrees } from '../../functions/rules/forms/organization.js';
import { organization, project, site, TODAY, validForms, volunteer } from '../fixtures/forms.js';

const issuesOf = (category: (typeof CATEGORY_IDS)[number], input: unknown) => {
  const result = validateForm(category, input, TODAY);
  return result.ok ? [] : result.issues;
};

describe('the four official forms', () => {
  it.each(CATEGORY_IDS)('accepts a complete %s form', (category) => {
    expect(validateForm(category, validForms[category], TODAY)).toMatchObject({ ok: true });
  });

  it('keeps the official field order of the volunteer table', () => {
    expect(Object.keys(formJsonSchema('volunteer').properties as object)).toEqual([
      'name',
      'gender',
      'birthYearMonth',
      'politicalStatus',
      'postalAddress',
      'contact',
      'volunteerOrganization',
      'mainServiceProject',
      'volunteeringSince',
      'activitiesTakenPart',
      'mainDeeds',
      'registeredOnDaMei',
    ]);
  });

  it.each(CATEGORY_IDS)(
    'gives every field of the %s form a Chinese label and an English name',
    (category) => {
      const walk = (node: Record<string, unknown>, path: string): string[] => {
        const props = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
        return Object.entries(props).flatMap(([key, child]) => {
          const here = `${path}.${key}`;
          const missing =
            typeof child.title === 'string' && typeof child['x-title-en'] === 'string' ? [] : [here];
          const items = child.items as Record<string, unknown> | undefined;
          return [...missing, ...walk(child, here), ...(items ? walk(items, `${here}[]`) : [])];
        });
      };
      expect(walk(formJsonSchema(category), category)).toEqual([]);
      expect(formJsonSchema(category).title).toBe(FORMS[category].title.zh);
    },
  );
});

describe('the 1,000-character limit, counted in Unicode code points', () => {
  // 998 CJK characters + 2 emoji (each one code point but two UTF-16 units) = 1,000 characters.
  const thousand = `${'志'.repeat(998)}🌾🔬`;

  it('accepts exactly 1,000 characters with CJK and emoji', () => {
    expect(thousand.length).toBe(1002); // UTF-16 units: a naive .length would refuse it
    expect(issuesOf('volunteer', volunteer({ mainDeeds: thousand }))).toEqual([]);
    expect(issuesOf('project', project({ overview: thousand }))).toEqual([]);
  });

  it('refuses 1,001 characters, naming the field in Chinese and English', () => {
    const issues = issuesOf('volunteer', volunteer({ mainDeeds: `${thousand}好` }));
    expect(issues).toEqual([
      {
        path: ['mainDeeds'],
        code: 'too_long',
        message: { zh: '主要事迹：不能超过 1000 字', en: 'Main deeds: must be at most 1000 characters' },
      },
    ]);
  });

  it('counts a Windows line break as one character', () => {
    const text = `${'a'.repeat(499)}\r\n${'b'.repeat(500)}`;
    expect(issuesOf('site', site({ mainDeeds: text }))).toEqual([]);
  });

  it('refuses control characters but keeps line breaks in the deeds', () => {
    expect(issuesOf('volunteer', volunteer({ mainDeeds: '第一段\n第二段\t完' }))).toEqual([]);
    const issues = issuesOf('volunteer', volunteer({ mainDeeds: 'bad\u0007bell', name: '李\n梅' }));
    expect(issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['name', 'invisible_character'],
      ['mainDeeds', 'invisible_character'],
    ]);
  });
});

describe('field types', () => {
  it.each([
    '13800138000',
    '+86 138 0013 8000',
    '19912345678',
    '010-68396405',
    '(0755)82345678',
    '（021）62379323',
    '0512 6532123',
    '0755-8234-5678',
    '010-68396405-801',
    '010-68396405转801',
  ])('accepts the phone number %s', (contact) => {
    expect(issuesOf('volunteer', volunteer({ contact }))).toEqual([]);
  });

  it.each([
    '12345',
    '12800138000',
    '1380013800',
    '138001380001',
    '68396405',
    '010-1234567',
    'tel:13800138000',
    '',
  ])('refuses the phone number "%s"', (contact) => {
    const issues = issuesOf('volunteer', volunteer({ contact }));
    expect(issues.map((i) => i.path)).toEqual([['contact']]);
    expect(issues[0]?.message.zh).toMatch(/^联系方式：/);
  });

  it('takes shares from 0 to 100 per cent inclusive', () => {
    expect(issuesOf('project', project({ partyMemberShare: 0 }))).toEqual([]);
    expect(issuesOf('project', project({ partyMemberShare: 100 }))).toEqual([]);
    expect(issuesOf('project', project({ partyMemberShare: 100.1 }))[0]).toMatchObject({
      path: ['partyMemberShare'],
      code: 'too_big',
      message: { zh: '参与项目的党员比例：不能大于 100' },
    });
    expect(issuesOf('project', project({ partyMemberShare: -1 }))[0]?.code).toBe('too_small');
  });

  it('refuses negative and fractional counts', () => {
    expect(issuesOf('site', site({ activitiesPerYear: -1 }))[0]).toMatchObject({
      path: ['activitiesPerYear'],
      code: 'too_small',
    });
    expect(issuesOf('site', site({ activitiesPerYear: 2.5 }))[0]).toMatchObject({
      path: ['activitiesPerYear'],
      code: 'invalid_type',
    });
  });

  it('checks year-months for real calendar values', () => {
    expect(issuesOf('volunteer', volunteer({ birthYearMonth: '1978-13' }))[0]).toMatchObject({
      path: ['birthYearMonth'],
      code: 'invalid_format',
      message: { zh: '出生年月：格式不正确（应为年-月，如 2021-03）' },
    });
    expect(issuesOf('organization', organization({ foundedOn: '2020-13' }))[0]).toMatchObject({
      path: ['foundedOn'],
      code: 'invalid_format',
      message: { zh: '成立时间：格式不正确（应为年-月，如 2021-03）' },
    });
    expect(issuesOf('organization', organization({ foundedOn: '2020-02' }))).toEqual([]);
  });

  it("asks an organization's founding as a year and month, in both languages", () => {
    const issue = issuesOf('organization', organization({ foundedOn: '2018-06-01' }))[0];
    expect(issue).toMatchObject({ path: ['foundedOn'], code: 'invalid_format' });
    expect(issue?.message.en).toContain('Founded in (year and month)');
    const properties = formJsonSchema('organization').properties as Record<string, object>;
    expect(properties.foundedOn).toMatchObject({
      format: 'year-month',
      title: '成立时间',
    });
  });

  it('reads an organization stored with a full founding date as its year and month, and leaves others alone', () => {
    const stored = {
      id: 'n1',
      category: 'organization' as const,
      form: { ...organization(), foundedOn: '2018-06-15' },
    };
    const read = withCurrentForm(stored);
    expect(read.form.foundedOn).toBe('2018-06');
    expect(read.id).toBe('n1');
    expect(validateForm('organization', read.form, TODAY)).toMatchObject({ ok: true });
    const current = { category: 'organization' as const, form: organization() as Record<string, unknown> };
    expect(withCurrentForm(current)).toBe(current);
    const person = {
      category: 'volunteer' as const,
      form: { birthYearMonth: '1978-05', foundedOn: '2018-06-15' },
    };
    expect(withCurrentForm(person)).toBe(person);
  });

  it('takes "other" activity categories with their own text, and refuses unlisted ones', () => {
    expect(issuesOf('site', site({ activityCategories: [{ category: 'other', text: '非遗传承' }] }))).toEqual(
      [],
    );
    const unlisted = issuesOf('site', { ...site(), activityCategories: [{ category: 'karaoke' }] });
    expect(unlisted[0]?.path).toEqual(['activityCategories', 0, 'category']);
    const otherWithoutText = issuesOf('site', { ...site(), activityCategories: [{ category: 'other' }] });
    expect(otherWithoutText[0]).toMatchObject({ path: ['activityCategories', 0, 'text'], code: 'required' });
  });

  it('names nested fields of the address hierarchy', () => {
    const issues = issuesOf('site', site({ site: { ...site().site, city: ' ' } }));
    expect(issues).toEqual([
      {
        path: ['site', 'city'],
        code: 'required',
        message: { zh: '服务点名称 › 市：不能为空', en: 'Service site › City: cannot be empty' },
      },
    ]);
  });

  it('reports missing and unknown fields by name', () => {
    const { name: _omitted, ...withoutName } = volunteer();
    const issues = issuesOf('volunteer', { ...withoutName, nickname: 'Mei' });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['name'], code: 'required', message: { zh: '姓名：必填', en: 'Name: is required' } },
        {
          path: ['nickname'],
          code: 'unknown_field',
          message: { zh: '“nickname”不是本表的字段', en: '"nickname" is not a field of this form' },
        },
      ]),
    );
  });

  it('refuses a value of the wrong type', () => {
    expect(issuesOf('organization', { ...organization(), registeredVolunteers: '80' })[0]).toMatchObject({
      path: ['registeredVolunteers'],
      code: 'invalid_type',
      message: { zh: '注册科技志愿者人数：应为数字', en: 'Registered S&T volunteers: must be a number' },
    });
  });
});

describe('cross-field checks', () => {
  it('allows as many Party members as registered volunteers, not one more', () => {
    expect(issuesOf('organization', organization({ partyMembers: 80 }))).toEqual([]);
    expect(issuesOf('organization', organization({ partyMembers: 81 }))).toEqual([
      {
        path: ['partyMembers'],
        code: 'party_members_exceed_volunteers',
        message: {
          zh: '科技志愿者中党员人数：党员人数（81）不能多于注册科技志愿者人数（80）',
          en: 'Party members among the volunteers: Party members (81) cannot exceed registered volunteers (80)',
        },
      },
    ]);
    expect(issuesOf('site', site({ partyMembers: 211 }))[0]?.code).toBe('party_members_exceed_volunteers');
  });

  it('hints, never refuses, when hours per person differ from cumulative ÷ registered beyond ±0.5 h or 2 %', () => {
    expect(hoursPerPersonAgrees(1000, 3, 333)).toBe(true); // 333.33, rounded down
    expect(hoursPerPersonAgrees(1000, 3, 339)).toBe(true); // within 2 % (6.67 h) of 333.33
    expect(hoursPerPersonAgrees(1000, 3, 341)).toBe(false);
    expect(hoursPerPersonAgrees(10, 4, 3)).toBe(true); // 2.5, within half an hour
    expect(hoursPerPersonAgrees(10, 4, 3.01)).toBe(false);
    // The notice gives no formula: the form stays valid and can be submitted …
    const differing = organization({ serviceHoursPerPerson: 200 });
    expect(issuesOf('organization', differing)).toEqual([]);
    expect(() => parseForm('organization', differing, TODAY)).not.toThrow();
    // … with a hint naming the quotient.
    const hints = formHints('organization', parseForm('organization', differing, TODAY));
    expect(hints[0]).toMatchObject({ path: ['serviceHoursPerPerson'], code: 'hours_per_person_mismatch' });
    expect(hints[0]?.message.zh).toContain('120');
    expect(formHints('organization', parseForm('organization', organization(), TODAY))).toEqual([]);
  });

  it('refuses dates in the future, today included as the limit', () => {
    expect(issuesOf('organization', organization({ foundedOn: TODAY.today.slice(0, 7) }))).toEqual([]);
    expect(issuesOf('organization', organization({ foundedOn: '2025-03' }))[0]).toMatchObject({
      path: ['foundedOn'],
      code: 'future_date',
      message: { zh: '成立时间：成立时间不能晚于今天' },
    });
    expect(issuesOf('volunteer', volunteer({ volunteeringSince: '2025-03' }))[0]?.code).toBe('future_date');
    expect(
      issuesOf('volunteer', volunteer({ birthYearMonth: '2025-03', volunteeringSince: '2025-03' }))[0],
    ).toMatchObject({
      path: ['birthYearMonth'],
      code: 'future_date',
    });
    expect(issuesOf('project', project({ startedOn: '2025-03' }))[0]?.code).toBe('future_date');
  });

  it('refuses volunteering before birth', () => {
    expect(
      issuesOf('volunteer', volunteer({ birthYearMonth: '2000-01', volunteeringSince: '1999-12' }))[0]?.code,
    ).toBe('before_birth');
  });

  it('refuses the same activity category twice', () => {
    const twice = site({ activityCategories: [{ category: 'st-training' }, { category: 'st-training' }] });
    expect(issuesOf('site', twice)).toMatchObject([{ path: ['activityCategories', 1], code: 'duplicate' }]);
  });

  it('throws one ValidationError listing every issue from parseForm', () => {
    const bad = { ...organization(), partyMembers: -3, contact: 'none' };
    expect(() => parseForm('organization', bad, TODAY)).toThrow(ValidationError);
    try {
      parseForm('organization', bad, TODAY);
    } catch (error) {
      const e = error as ValidationError;
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.kind).toBe('invalid');
      expect(e.issues.map((i) => i.path[0])).toEqual(['partyMembers', 'contact']);
      expect(e.messages.zh).toMatch(/^“科技志愿服务组织”先进典型推荐表有 2 处错误/);
    }
  });
});

describe('the generated JSON Schema, as the browser uses it', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addFormat('year-month', /^\d{4}-(0[1-9]|1[0-2])$/);

  it.each(CATEGORY_IDS)('accepts the valid %s form', (category) => {
    const validate = ajv.compile(formJsonSchema(category));
    expect(validate(validForms[category]), JSON.stringify(validate.errors)).toBe(true);
  });

  it('agrees with the server on the 1,000-character limit in code points', () => {
    const validate = ajv.compile(formJsonSchema('volunteer'));
    expect(validate(volunteer({ mainDeeds: `${'志'.repeat(998)}🌾🔬` }))).toBe(true);
    expect(validate(volunteer({ mainDeeds: `${'志'.repeat(999)}🌾🔬` }))).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/mainDeeds');
  });

  it('agrees with the server on phone numbers, shares and unknown fields', () => {
    const validate = ajv.compile(formJsonSchema('project'));
    expect(validate(project({ contact: '010-68396405转801' }))).toBe(true);
    expect(validate(project({ contact: '12345' }))).toBe(false);
    expect(validate(project({ partyMemberShare: 101 }))).toBe(false);
    expect(validate({ ...project(), extra: 1 })).toBe(false);
  });

  it('lists the options of a choice with their labels', () => {
    const gender = (formJsonSchema('volunteer').properties as Record<string, Record<string, unknown>>).gender;
    expect(gender?.enum).toEqual(['male', 'female']);
    expect(gender?.['x-options']).toEqual([
      { value: 'male', zh: '男', en: 'Male' },
      { value: 'female', zh: '女', en: 'Female' },
    ]);
  });
});
