import * as z from 'zod';
import { type FieldIssue, ValidationError } from './errors.js';
import type { Bilingual } from './i18n.js';
import { countCharacters, forbiddenCharacter, forbiddenCharacterMessage, normaliseText } from './text.js';

/**
 * Turns zod issues into field issues a person can act on: the field named by its Chinese and
 * English label (read from the schema's metadata, through its generated JSON Schema) and a
 * message in both languages. Used for forms and for every other input the API takes.
 */

export type JsonSchema = Record<string, unknown>;

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** Parses `input` with `schema`, or throws a ValidationError (→ 400) listing every issue by field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: Bilingual): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ValidationError(describeIssues(jsonSchemaOf(schema), parsed.error.issues, input), what);
}

/** The Chinese and English label of the field at `path`, read from the generated JSON Schema. */
export function fieldLabel(schema: JsonSchema, path: readonly PropertyKey[]): Bilingual | undefined {
  const labels: Bilingual[] = [];
  let node: JsonSchema | undefined = schema;
  for (const segment of path) {
    if (!node) break;
    if (typeof segment === 'number') {
      node = node.items as JsonSchema | undefined;
      if (node && labels.length > 0) {
        const parent = labels.pop() as Bilingual;
        labels.push({ zh: `${parent.zh}第 ${segment + 1} 项`, en: `${parent.en} #${segment + 1}` });
        continue;
      }
    } else {
      node = resolveProperty(node, String(segment));
    }
    if (node && typeof node.title === 'string') {
      labels.push({ zh: node.title, en: String(node['x-title-en'] ?? segment) });
    }
  }
  if (labels.length === 0) return undefined;
  return { zh: labels.map((l) => l.zh).join(' › '), en: labels.map((l) => l.en).join(' › ') };
}

function resolveProperty(node: JsonSchema, key: string): JsonSchema | undefined {
  const properties = node.properties as Record<string, JsonSchema> | undefined;
  if (properties?.[key]) return properties[key];
  // A discriminated union (activity categories): look the key up in each branch.
  for (const branch of (node.oneOf ?? node.anyOf ?? []) as JsonSchema[]) {
    const found = resolveProperty(branch, key);
    if (found) return found;
  }
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

export function withFieldLabel(schema: JsonSchema, issue: FieldIssue): FieldIssue {
  const label = fieldLabel(schema, issue.path);
  if (!label) return issue;
  return {
    ...issue,
    message: { zh: `${label.zh}：${issue.message.zh}`, en: `${label.en}: ${issue.message.en}` },
  };
}

const typeNames: Record<string, Bilingual> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'a whole number' },
  boolean: { zh: '是或否', en: 'yes or no' },
  array: { zh: '列表', en: 'a list' },
  object: { zh: '一组字段', en: 'a group of fields' },
  record: { zh: '一组字段', en: 'a group of fields' },
  tuple: { zh: '列表', en: 'a list' },
  date: { zh: '日期', en: 'a date' },
};

/**
 * One FieldIssue per field, naming it; an unknown key becomes an issue on that key. A field two
 * checks refuse (a year-month's pattern and its calendar check, say) is told once, by the first:
 * the person has one thing to correct there, and the count of problems stays true.
 */
export function describeIssues(
  schema: JsonSchema,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): FieldIssue[] {
  const told = new Set<string>();
  return allIssues(schema, issues, input).filter((issue) => {
    const key = JSON.stringify(issue.path);
    if (told.has(key)) return false;
    told.add(key);
    return true;
  });
}

function allIssues(schema: JsonSchema, issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, quoteShort(key)],
        code: 'unknown_field',
        message: {
          zh: `“${quoteShort(key)}”不是本表的字段`,
          en: `"${quoteShort(key)}" is not a field of this form`,
        },
      }));
    }
    return [
      withFieldLabel(schema, { path, ...describe(issue, valueAt(input, path), fieldNode(schema, path)) }),
    ];
  });
}

function fieldNode(schema: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const segment of path) {
    if (!node) return undefined;
    node =
      typeof segment === 'number' ? (node.items as JsonSchema | undefined) : resolveProperty(node, segment);
  }
  return node;
}

function describe(
  issue: z.core.$ZodIssue,
  value: unknown,
  node: JsonSchema | undefined,
): Omit<FieldIssue, 'path'> {
  const hint =
    node && typeof node['x-hint-zh'] === 'string'
      ? { zh: `（应为${node['x-hint-zh']}）`, en: ` (expected ${String(node['x-hint-en'])})` }
      : { zh: '', en: '' };
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined || value === null || value === '') {
        return { code: 'required', message: { zh: '必填', en: 'is required' } };
      }
      const expected = typeNames[issue.expected];
      // A type the table has no word for is said plainly, never by zod's own name for it.
      if (!expected)
        return { code: 'invalid_type', message: { zh: '格式不对', en: 'is not in the form expected' } };
      return { code: 'invalid_type', message: { zh: `应为${expected.zh}`, en: `must be ${expected.en}` } };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return min <= 1
          ? { code: 'required', message: { zh: '不能为空', en: 'cannot be empty' } }
          : {
              code: 'too_short',
              message: { zh: `至少 ${min} 字`, en: `must be at least ${min} characters` },
            };
      }
      if (issue.origin === 'array') {
        return {
          code: 'too_few',
          message: { zh: `至少填写 ${min} 项`, en: `needs at least ${min} entries` },
        };
      }
      return { code: 'too_small', message: { zh: `不能小于 ${min}`, en: `must be at least ${min}` } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        return {
          code: 'too_long',
          message: { zh: `不能超过 ${max} 字`, en: `must be at most ${max} characters` },
        };
      }
      if (issue.origin === 'array') {
        return {
          code: 'too_many',
          message: { zh: `最多填写 ${max} 项`, en: `takes at most ${max} entries` },
        };
      }
      return { code: 'too_big', message: { zh: `不能大于 ${max}`, en: `must be at most ${max}` } };
    }
    case 'invalid_format':
      return {
        code: 'invalid_format',
        message: { zh: `格式不正确${hint.zh}`, en: `has the wrong format${hint.en}` },
      };
    case 'invalid_value':
    case 'invalid_union': {
      // A choice left empty (a select not touched) is asked for, not called a wrong option.
      if (value === '' || value === null)
        return { code: 'required', message: { zh: '请选择一项', en: 'choose one' } };
      const options = node?.['x-options'] as { zh: string; en: string }[] | undefined;
      const list = options
        ? { zh: `：${options.map((o) => o.zh).join('、')}`, en: `: ${options.map((o) => o.en).join(', ')}` }
        : { zh: '', en: '' };
      return {
        code: 'invalid_option',
        message: { zh: `不是可选项之一${list.zh}`, en: `is not one of the options${list.en}` },
      };
    }
    case 'not_multiple_of':
      return { code: 'invalid_number', message: { zh: '数值不符合要求', en: 'is not an allowed number' } };
    case 'custom': {
      const params = (issue.params ?? {}) as { code?: string; zh?: string; en?: string };
      if (params.zh && params.en)
        return { code: params.code ?? 'invalid', message: { zh: params.zh, en: params.en } };
      return {
        code: 'invalid_format',
        message: { zh: `格式不正确${hint.zh}`, en: `is not valid${hint.en}` },
      };
    }
    default:
      return {
        code: issue.code,
        message: { zh: `无效（${issue.message}）`, en: `is invalid (${issue.message})` },
      };
  }
}

/** Longest text a draft may hold where the form expects no text (a number typed as "12a"). */
const DRAFT_SCALAR_TEXT_MAX = 100;

/**
 * A draft may hold up to twice a field's length: text pasted long is kept while the person
 * shortens it (the live check says by how much), and no draft can grow without bound.
 */
export const DRAFT_LENGTH_FACTOR = 2;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * What even a draft may not hold, read from the form's JSON Schema: a field the form does not
 * have (at any depth), a group or list where the form has none, more entries than a list takes,
 * text longer than twice what its field takes, an invisible or direction-changing character. Everything
 * else a draft may hold half-typed (missing fields, "12a" for a number, a phone number not yet
 * complete): the live check lists those. Answers the draft with every text in NFC, or the issues.
 */
export function checkDraft(schema: JsonSchema, input: unknown): { value: unknown; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const issue = (path: (string | number)[], code: string, message: Bilingual) =>
    issues.push(withFieldLabel(schema, { path, code, message }));

  const walk = (node: JsonSchema, value: unknown, path: (string | number)[]): unknown => {
    const branches = (node.oneOf ?? node.anyOf ?? []) as JsonSchema[];
    const properties = [node, ...branches].flatMap((n) =>
      Object.keys((n.properties as Record<string, JsonSchema> | undefined) ?? {}),
    );
    if (node.type === 'object' || properties.length > 0) {
      if (!isPlainObject(value)) {
        issue(path, 'invalid_type', {
          zh: `应为${typeNames.object?.zh}`,
          en: `must be ${typeNames.object?.en}`,
        });
        return value;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (!properties.includes(key)) {
          issues.push({
            path: [...path, quoteShort(key)],
            code: 'unknown_field',
            message: {
              zh: `“${quoteShort(key)}”不是本表的字段`,
              en: `"${quoteShort(key)}" is not a field of this form`,
            },
          });
          continue;
        }
        const child = resolveProperty(node, key) as JsonSchema;
        // Defined, never inherited: a key "__proto__" was refused above, as every unknown key is.
        Object.defineProperty(out, key, {
          value: walk(child, value[key], [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (node.type === 'array') {
      if (!Array.isArray(value)) {
        issue(path, 'invalid_type', {
          zh: `应为${typeNames.array?.zh}`,
          en: `must be ${typeNames.array?.en}`,
        });
        return value;
      }
      const max = typeof node.maxItems === 'number' ? node.maxItems : undefined;
      if (max !== undefined && value.length > max) {
        issue(path, 'too_many', { zh: `最多填写 ${max} 项`, en: `takes at most ${max} entries` });
        return value;
      }
      return value.map((item, i) => walk((node.items as JsonSchema) ?? {}, item, [...path, i]));
    }
    if (value !== null && typeof value === 'object') {
      issue(path, 'invalid_type', { zh: '应为单个值', en: 'must be a single value' });
      return value;
    }
    if (typeof value !== 'string') return value;
    const found = forbiddenCharacter(value, node['x-free-text'] === 'multi-line');
    if (found) {
      issue(path, 'invisible_character', forbiddenCharacterMessage(found));
      return value;
    }
    const fieldMax = typeof node.maxLength === 'number' ? node.maxLength : DRAFT_SCALAR_TEXT_MAX;
    const max = fieldMax * DRAFT_LENGTH_FACTOR;
    if (countCharacters(value) > max) {
      issue(path, 'too_long', {
        zh: `草稿中不能超过 ${max} 字（提交时不能超过 ${fieldMax} 字）`,
        en: `must be at most ${max} characters in a draft (${fieldMax} to submit)`,
      });
      return value;
    }
    return normaliseText(value);
  };
  const value = walk(schema, input, []);
  return { value, issues };
}

/**
 * A text quoted back in an error: at most 40 characters, so a huge input is never echoed whole,
 * and each control, format (bidi overrides, zero-width) or lone surrogate character shown as �, so
 * an id sent to fool the reader ("‮…") cannot reorder or hide the message it is quoted in.
 */
export function quoteShort(text: string): string {
  const characters = [...text.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '\uFFFD')];
  return characters.length <= 40 ? characters.join('') : `${characters.slice(0, 40).join('')}…`;
}
