import fc from 'fast-check';
import { INVISIBLE_CLASSES } from '../fixtures/invisible-characters.js';

/**
 * fast-check arbitraries from the JSON Schemas of the served OpenAPI document (itself generated
 * from the route table's zod schemas): values of the schema's shape, and mutations of them that
 * the schema refuses — a wrong type, a string past its maximum, an invisible character, a
 * required field missing, a field the schema does not know.
 */

export type Schema = Record<string, unknown>;

/** Follows `#/components/schemas/…` references (the four forms) within one document. */
export function resolver(document: { components?: { schemas?: Record<string, Schema> } }) {
  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${ref}`);
    return resolve(target);
  };
  return resolve;
}

const CJK = fc.constantFrom(...'张王李赵志愿服务科技协会学会北京上海中国社区青年·（）-'.split(''));
const textArb = (minLength: number, maxLength: number) =>
  fc.oneof(
    fc.string({ unit: CJK, minLength, maxLength }),
    fc.string({ unit: 'grapheme-ascii', minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength }),
  );

/** A value of the schema's shape (not always valid: patterns, cross-field rules and ids are the server's to check). */
export function shapedValue(
  schema: Schema,
  resolve: (s: Schema) => Schema,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => shapedValue(a, resolve, depth)));
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.length > 1) return fc.oneof(...type.map((t) => shapedValue({ ...s, type: t }, resolve, depth)));
  switch (type[0]) {
    case 'string': {
      const minLength = Number(s.minLength ?? 0);
      const maxLength = Math.min(Number(s.maxLength ?? 40), 40);
      if (s.format === 'email')
        return fc.emailAddress().filter((e) => e.length <= Number(s.maxLength ?? 254));
      if (s.format === 'date')
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (typeof s.pattern === 'string')
        return fc.stringMatching(new RegExp(s.pattern)).map((t) => t.slice(0, 200));
      return textArb(minLength, Math.max(minLength, maxLength));
    }
    case 'integer':
      return fc.integer({
        min: Math.max(Number(s.minimum ?? -1000), -1_000_000),
        max: Math.min(Number(s.maximum ?? 1000), 1_000_000),
      });
    case 'number':
      return fc.double({ min: Number(s.minimum ?? -1000), max: Number(s.maximum ?? 1000), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const items = (s.items as Schema | undefined) ?? {};
      const minLength = Number(s.minItems ?? 0);
      return fc.array(shapedValue(items, resolve, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(Number(s.maxItems ?? 3), 3)),
      });
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      if (Object.keys(properties).length > 0) {
        const required = (s.required ?? []) as string[];
        return fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([key, value]) => [key, shapedValue(value, resolve, depth + 1)]),
          ),
          { requiredKeys: required.filter((key) => key in properties) },
        );
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        const names = (s.propertyNames as Schema | undefined) ?? { type: 'string', maxLength: 20 };
        return fc.dictionary(
          shapedValue(names, resolve, depth + 1).map(String),
          shapedValue(s.additionalProperties as Schema, resolve, depth + 1),
          { maxKeys: 3 },
        );
      }
      return fc.constant({});
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Where a value can be changed: a path into it and the schema that holds there. */
interface Site {
  path: (string | number)[];
  schema: Schema;
  value: unknown;
}

function sites(
  value: unknown,
  schema: Schema,
  resolve: (s: Schema) => Schema,
  path: Site['path'] = [],
): Site[] {
  const s = resolve(schema);
  const here: Site = { path, schema: s, value };
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alternatives) {
    // The alternative the value is of is unknown; mutations inside it are judged by the server.
    return [here];
  }
  if (Array.isArray(value) && s.items) {
    return [here, ...value.flatMap((item, i) => sites(item, s.items as Schema, resolve, [...path, i]))];
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const additional =
      typeof s.additionalProperties === 'object' ? (s.additionalProperties as Schema) : undefined;
    return [
      here,
      ...Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
        const innerSchema = properties[key] ?? additional;
        return innerSchema ? sites(inner, innerSchema, resolve, [...path, key]) : [];
      }),
    ];
  }
  return [here];
}

function withAt(value: unknown, path: Site['path'], change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? withAt(item, rest, change) : item));
  const object = value as Record<string, unknown>;
  // JSON.parse keeps a key named __proto__ as an own property, which a spread would lose.
  const copy = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
  copy[head as string] = withAt(object[head as string], rest, change);
  return copy;
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const WRONG_TYPED: unknown[] = [0, -1, 1.5, 1e308, true, null, 'x', '', [], [1, 'a'], {}, { a: 1 }];
const ODD = [
  ...INVISIBLE_CLASSES.map((c) => c.insert),
  '\uFFFF',
  '\uD83D', // half an emoji
];

export interface Mutation {
  kind: 'wrong-type' | 'huge-string' | 'odd-unicode' | 'missing-field' | 'extra-field' | 'not-an-object';
  at: string;
  body: unknown;
}

/** A change of a valid-shaped value that its schema refuses (the kind and where, for the report). */
export function mutationOf(
  value: unknown,
  schema: Schema,
  resolve: (s: Schema) => Schema,
): fc.Arbitrary<Mutation> {
  const all = sites(value, schema, resolve);
  const at = (path: Site['path']) => `/${path.join('/')}`;
  const options: fc.Arbitrary<Mutation>[] = [
    fc.constantFrom<unknown>([], 'text', 42, null, true, [value]).map((body) => ({
      kind: 'not-an-object' as const,
      at: '/',
      body,
    })),
  ];
  const typed = all.filter((site) => site.schema.type !== undefined || site.schema.enum || site.schema.const);
  if (typed.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...typed), fc.constantFrom(...WRONG_TYPED))
        .filter(([site, replacement]) => typeOf(replacement) !== typeOf(site.value))
        .map(([site, replacement]) => ({
          kind: 'wrong-type' as const,
          at: at(site.path),
          body: withAt(value, site.path, () => replacement),
        })),
    );
  }
  const strings = all.filter((site) => typeof site.value === 'string');
  if (strings.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...strings), fc.integer({ min: 1, max: 150_000 }), CJK)
        .map(([site, extra, ch]) => ({
          kind: 'huge-string' as const,
          at: at(site.path),
          body: withAt(value, site.path, () =>
            ch.repeat(Math.max(Number(site.schema.maxLength ?? 5_000) + 1, extra)),
          ),
        })),
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom(...ODD), fc.nat())
        .map(([site, odd, position]) => ({
          kind: 'odd-unicode' as const,
          at: at(site.path),
          body: withAt(value, site.path, (old) => {
            const text = `${String(old)}名`;
            const i = position % (text.length + 1);
            return `${text.slice(0, i)}${odd}${text.slice(i)}`;
          }),
        })),
    );
  }
  const withRequired = all.filter(
    (site) =>
      site.value &&
      typeof site.value === 'object' &&
      !Array.isArray(site.value) &&
      ((site.schema.required ?? []) as string[]).length > 0,
  );
  if (withRequired.length > 0) {
    options.push(
      fc
        .constantFrom(...withRequired)
        .chain((site) => fc.tuple(fc.constant(site), fc.constantFrom(...(site.schema.required as string[]))))
        .map(([site, key]) => ({
          kind: 'missing-field' as const,
          at: at([...site.path, key]),
          body: withAt(value, site.path, (old) => {
            const { [key]: _gone, ...rest } = old as Record<string, unknown>;
            return rest;
          }),
        })),
    );
  }
  const closed = all.filter(
    (site) =>
      site.value &&
      typeof site.value === 'object' &&
      !Array.isArray(site.value) &&
      site.schema.additionalProperties === false,
  );
  if (closed.length > 0) {
    options.push(
      fc
        .tuple(
          fc.constantFrom(...closed),
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'status', 'pk', 'admin'),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          fc.jsonValue({ maxDepth: 1 }),
        )
        .filter(
          ([site, key]) => !(key in (site.value as object)) || key === '__proto__' || key === 'constructor',
        )
        .map(([site, key, extra]) => ({
          kind: 'extra-field' as const,
          at: at([...site.path, key]),
          body: withAt(value, site.path, (old) =>
            JSON.parse(
              `{${JSON.stringify(key)}:${JSON.stringify(extra)},${JSON.stringify(old).slice(1)}`.replace(
                /,}$/,
                '}',
              ),
            ),
          ),
        })),
    );
  }
  return fc.oneof(...options);
}
