// Regenerates docs/schemas/ from the zod schemas: `npm run schemas`. A unit test fails when
// the committed files fall behind the code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedJsonSchemas, render } from './json-schemas.js';

const dir = join(import.meta.dirname, '../docs/schemas');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(publishedJsonSchemas())) {
  writeFileSync(join(dir, name), render(schema));
  console.log(`wrote docs/schemas/${name}`);
}
