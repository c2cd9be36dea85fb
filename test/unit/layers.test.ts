import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncUses, importsOf, impurities } from '../support/purity.js';

/**
 * The dependency rule, held by reading the imports: handlers → use cases → ports ← adapters, the
 * rules pure and synchronous. A rule is found in functions/rules/, an operation in
 * functions/use-cases/, and nothing below a handler reaches AWS but through a port.
 */

const FUNCTIONS = join(import.meta.dirname, '../../functions');

const sourcesIn = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesIn(join(dir, entry.name))
      : /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Every file of a layer with its source, named from functions/. */
const layer = (folder: string) =>
  sourcesIn(join(FUNCTIONS, folder)).map((file) => ({
    name: relative(FUNCTIONS, file),
    source: readFileSync(file, 'utf8'),
  }));

/** Imports of a layer's files that match `pattern`, as "file imports specifier". */
const importsMatching = (folder: string, pattern: RegExp) =>
  layer(folder).flatMap(({ name, source }) =>
    importsOf(name, source)
      .filter(({ specifier }) => pattern.test(specifier))
      .map(({ specifier }) => `${name} imports ${specifier}`),
  );

describe('the layers of functions/', () => {
  it.each(['rules', 'use-cases', 'ports', 'adapters', 'handlers', 'lib', 'documents', 'wiring'])(
    'has source files in %s',
    (folder) => {
      expect(layer(folder).length).toBeGreaterThan(0);
    },
  );

  it('keeps the rules pure: no I/O, no environment, no clock, no randomness', () => {
    const violations = layer('rules').flatMap(({ name, source }) => impurities(name, source));
    expect(violations).toEqual([]);
  });

  it('keeps the rules synchronous: no async function and no await', () => {
    expect(layer('rules').flatMap(({ name, source }) => asyncUses(name, source))).toEqual([]);
  });

  it('keeps the rules apart from ports, use cases, documents and everything outside', () => {
    expect(importsMatching('rules', /\/(ports|use-cases|documents|adapters|handlers|lib|wiring)\//)).toEqual(
      [],
    );
  });

  it('lets use cases talk to the world only through ports', () => {
    const violations = layer('use-cases').flatMap(({ name, source }) => impurities(name, source));
    expect(violations).toEqual([]);
  });

  it('keeps ports to types: every import of a port file is type-only', () => {
    const valued = layer('ports').flatMap(({ name, source }) =>
      importsOf(name, source)
        .filter(({ typeOnly }) => !typeOnly)
        .map(({ specifier }) => `${name} imports ${specifier}`),
    );
    expect(valued).toEqual([]);
  });

  it('keeps lib/ free of adapters and of the composition', () => {
    expect(importsMatching('lib', /\/(adapters|wiring)\//)).toEqual([]);
  });

  it('keeps AWS SDK packages out of the handlers (they compose adapters instead)', () => {
    expect(importsMatching('handlers', /^@aws-sdk\//)).toEqual([]);
  });

  it('catches each kind of violation (the checkers themselves work)', () => {
    const source = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import type { Store } from '../ports/nominations.js';",
      "import { wire } from '../wiring/compose.js';",
      'export async function f() { await g(); }',
      'const now = Date.now();',
    ].join('\n');
    expect(impurities('bad.ts', source)).toEqual([
      'bad.ts:1 imports @aws-sdk/client-dynamodb',
      'bad.ts:3 imports ../wiring/compose.js',
      'bad.ts:5 uses Date.now',
    ]);
    expect(asyncUses('bad.ts', source)).toEqual(['bad.ts:4 is async', 'bad.ts:4 awaits']);
    expect(importsOf('bad.ts', source).map((i) => [i.specifier, i.typeOnly])).toEqual([
      ['@aws-sdk/client-dynamodb', false],
      ['../ports/nominations.js', true],
      ['../wiring/compose.js', false],
    ]);
  });
});
