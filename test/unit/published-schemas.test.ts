import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedJsonSchemas, render } from '../../scripts/json-schemas.js';

describe('docs/schemas/', () => {
  it.each(Object.entries(publishedJsonSchemas()))(
    '%s is the schema generated from the code (run `npm run schemas`)',
    (name, schema) => {
      const committed = readFileSync(join(import.meta.dirname, '../../docs/schemas', name), 'utf8');
      expect(committed).toBe(render(schema));
    },
  );
});
