import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { impurities } from '../support/purity.js';

/**
 * The dependency rule (docs/architecture.md): functions/rules/ is pure. It imports only its own
 * modules and a few pure libraries, and never touches the environment, the clock or randomness —
 * those are passed in by the handlers.
 */

const DOMAIN = join(import.meta.dirname, '../../functions/domain');

const domainFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? domainFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('the domain core stays pure', () => {
  it('has source files to check', () => {
    expect(domainFiles(DOMAIN).length).toBeGreaterThan(10);
  });

  it('imports no AWS SDK, middy, adapter or I/O module, and reads neither process.env nor the clock', () => {
    const violations = domainFiles(DOMAIN).flatMap((file) =>
      impurities(relative(DOMAIN, file), readFileSync(file, 'utf8')),
    );
    expect(violations).toEqual([]);
  });

  it('catches each kind of violation (the checker itself works)', () => {
    const source = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import middy from '@middy/core';",
      "import { repo } from '../adapters/dynamo.js';",
      "import { readFileSync } from 'node:fs';",
      "export * from '../lib/config.js';",
      'const table = process.env.TABLE;',
      'const now = Date.now();',
      'const today = new Date();',
      'const fine = new Date("2025-02-13T00:00:00+08:00");',
      'const id = crypto.randomUUID();',
      "const lazy = await import('@aws-sdk/client-s3');",
    ].join('\n');
    expect(impurities('bad.ts', source)).toEqual([
      'bad.ts:1 imports @aws-sdk/client-dynamodb',
      'bad.ts:2 imports @middy/core',
      'bad.ts:3 imports ../adapters/dynamo.js',
      'bad.ts:4 imports node:fs',
      'bad.ts:5 imports ../lib/config.js',
      'bad.ts:6 uses process',
      'bad.ts:7 uses Date.now',
      'bad.ts:8 reads the clock with new Date()',
      'bad.ts:10 uses crypto.randomUUID',
      'bad.ts:11 imports @aws-sdk/client-s3',
    ]);
  });
});
