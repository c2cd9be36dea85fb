import type * as z from 'zod';
import type { CategoryId } from '../categories.js';
import { type FieldIssue, ValidationError } from '../errors.js';
import type { Bilingual } from '../i18n.js';
import { checkDraft, describeIssues, type JsonSchema, jsonSchemaOf, withFieldLabel } from '../validation.js';
import type { FormContext, Subject } from './form.js';
import {
  currentOrganizationForm,
  type OrganizationForm,
  organizationChecks,
  organizationForm,
  organizationHints,
  organizationSubject,
} from './organization.js';
import { type ProjectForm, projectChecks, projectForm, projectSubject } from './project.js';
import { type SiteForm, siteChecks, siteForm, siteSubject } from './site.js';
import { type VolunteerForm, volunteerChecks, volunteerForm, volunteerSubject } from './volunteer.js';

export type { FormContext, Subject } from './form.js';

export interface FormDataByCategory {
  volunteer: VolunteerForm;
  organization: OrganizationForm;
  project: ProjectForm;
  site: SiteForm;
}

interface FormDefinition<T> {
  title: Bilingual;
  schema: z.ZodType<T>;
  checks: (form: T, context: FormContext) => FieldIssue[];
  subject: (form: T) => Subject;
  /** The field a public list may quote as the nomination's headline. */
  displayName: (form: T) => string;
}

/**
 * One entry per official form. A campaign names the form of each category by this id; a new
 * year's form with other fields would be added here as a new id, leaving past campaigns intact.
 */
export const FORMS: { [C in CategoryId]: FormDefinition<FormDataByCategory[C]> } = {
  volunteer: {
    title: { zh: '“科技志愿者”先进典型推荐表', en: 'Nomination form: S&T volunteer' },
    get schema() {
      return volunteerForm();
    },
    checks: volunteerChecks,
    subject: volunteerSubject,
    displayName: (f) => f.name,
  },
  organization: {
    title: {
      zh: '“科技志愿服务组织”先进典型推荐表',
      en: 'Nomination form: S&T volunteer service organization',
    },
    get schema() {
      return organizationForm();
    },
    checks: organizationChecks,
    subject: organizationSubject,
    displayName: (f) => f.organizationName,
  },
  project: {
    title: { zh: '“科技志愿服务项目”先进典型推荐表', en: 'Nomination form: S&T volunteer service project' },
    get schema() {
      return projectForm();
    },
    checks: projectChecks,
    subject: projectSubject,
    displayName: (f) => f.projectName,
  },
  site: {
    title: {
      zh: '“科技志愿服务点（社区或村）”典型事迹推荐表',
      en: 'Nomination form: S&T volunteer service site (community or village)',
    },
    get schema() {
      return siteForm();
    },
    checks: siteChecks,
    subject: siteSubject,
    displayName: (f) =>
      `${f.site.community}（${f.site.province}${f.site.city}${f.site.county}${f.site.township}）`,
  },
};

export type FormId = keyof typeof FORMS;
export const FORM_IDS = Object.keys(FORMS) as FormId[];

/**
 * The JSON Schema (draft 2020-12) of a form, generated from its zod schema — never written by
 * hand. It is what the browser validates against and what the OpenAPI document embeds. Limits
 * the zod schema checks by code (1,000 characters counted in code points) appear as
 * `maxLength`, which JSON Schema also counts in code points.
 */
export function formJsonSchema(id: FormId): JsonSchema {
  const definition = FORMS[id];
  return {
    ...jsonSchemaOf(definition.schema),
    title: definition.title.zh,
    'x-title-en': definition.title.en,
  };
}

export type FormResult<C extends CategoryId> =
  | { ok: true; data: FormDataByCategory[C]; issues: [] }
  | { ok: false; issues: FieldIssue[] };

/**
 * Validates a form: its shape (every field, in one pass) and then the cross-field checks
 * (Party members ≤ volunteers, hours per person, no future dates). Returns every issue with
 * its field path and a message in Chinese and English naming the field.
 */
export function validateForm<C extends CategoryId>(
  category: C,
  input: unknown,
  context: FormContext,
): FormResult<C> {
  const definition = FORMS[category] as unknown as FormDefinition<FormDataByCategory[C]>;
  const parsed = definition.schema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: describeIssues(formJsonSchema(category), parsed.error.issues, input) };
  }
  const crossField = definition
    .checks(parsed.data, context)
    .map((issue) => withFieldLabel(formJsonSchema(category), issue));
  if (crossField.length > 0) return { ok: false, issues: crossField };
  return { ok: true, data: parsed.data, issues: [] };
}

/** Like validateForm, but throws a ValidationError (→ 400) listing every issue. */
export function parseForm<C extends CategoryId>(
  category: C,
  input: unknown,
  context: FormContext,
): FormDataByCategory[C] {
  const result = validateForm(category, input, context);
  if (!result.ok) throw new ValidationError(result.issues, FORMS[category].title);
  return result.data;
}

/** Hints on a valid form that never block it (the organization's hours per person). */
export function formHints<C extends CategoryId>(category: C, form: FormDataByCategory[C]): FieldIssue[] {
  return category === 'organization' ? organizationHints(form as OrganizationForm) : [];
}

export function subjectOf<C extends CategoryId>(category: C, form: FormDataByCategory[C]): Subject {
  return (FORMS[category] as unknown as FormDefinition<FormDataByCategory[C]>).subject(form);
}

export function displayNameOf<C extends CategoryId>(category: C, form: FormDataByCategory[C]): string {
  return (FORMS[category] as unknown as FormDefinition<FormDataByCategory[C]>).displayName(form);
}

/** The nominee's name (or the team's, the organisation's) of a stored nomination, whose form is kept untyped. */
export const nomineeNameOf = (n: { category: CategoryId; form: Record<string, unknown> }): string =>
  displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]);

/**
 * A draft as it may be stored: incomplete is fine, but no field the form lacks, no text over its
 * field's length, no invisible characters (checkDraft); throws a ValidationError (→ 400) listing
 * every issue, or answers the draft with its texts in NFC.
 */
export function parseDraft(category: CategoryId, input: unknown): Record<string, unknown> {
  const { value, issues } = checkDraft(formJsonSchema(category), input);
  if (issues.length > 0) throw new ValidationError(issues, FORMS[category].title);
  return value as Record<string, unknown>;
}

/**
 * A stored nomination with its form in today's shape (fields whose format changed since it was
 * saved, read as the form now asks them). Applied where nominations are read from the store.
 */
export function withCurrentForm<N extends { category: CategoryId; form: Record<string, unknown> }>(n: N): N {
  if (n.category !== 'organization') return n;
  const form = currentOrganizationForm(n.form);
  return form === n.form ? n : { ...n, form };
}
