import { type ParserOptions, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/lib/api-spec.js';
import { FUNCTIONS } from '../../functions/routes.js';

const document = await openApiDocument();
const operations = Object.entries(
  document.paths as Record<string, Record<string, { requestBody?: unknown }>>,
).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await validate(
      structuredClone(document) as unknown as Parameters<typeof validate<never, ParserOptions>>[0],
    );
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it('describes exactly the routes the API serves', () => {
    const routes = FUNCTIONS.flatMap((f) => f.routes.map((r) => r.route as string));
    expect([...operations].sort()).toEqual([...routes].sort());
  });

  it('takes the request bodies from the zod schemas the handlers parse with', () => {
    const paths = document.paths as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>
    >;
    const submit =
      paths['/api/nominations/{id}/screening']?.post?.requestBody?.content['application/json']?.schema;
    expect(submit?.properties).toMatchObject({
      decision: { enum: ['pass', 'return', 'reject'], title: '初核结论' },
    });
    const form = paths['/api/nominations/{id}/form']?.put?.requestBody?.content['application/json']?.schema;
    expect((form?.properties as Record<string, unknown> | undefined)?.form).toEqual({
      oneOf: ['Volunteer', 'Organization', 'Project', 'Site'].map((n) => ({
        $ref: `#/components/schemas/${n}Form`,
      })),
    });
    const schemas = (
      document.components as {
        schemas: Record<string, { properties: Record<string, { maxLength?: number }> }>;
      }
    ).schemas;
    expect(schemas.VolunteerForm?.properties.mainDeeds?.maxLength).toBe(1000);
  });

  it('describes the answers of the read routes the browser UI builds on, from their zod schemas', () => {
    const answer = (path: string) =>
      (
        document.paths as Record<
          string,
          {
            get?: {
              responses: Record<string, { content?: Record<string, { schema: { properties?: object } }> }>;
            };
          }
        >
      )[path]?.get?.responses['200']?.content?.['application/json']?.schema.properties ?? {};
    expect(Object.keys(answer('/api/campaigns/{campaignId}/overview'))).toEqual([
      'campaign',
      'viewer',
      'categories',
      'deadline',
      'contacts',
      'privacy',
      'declarations',
      'now',
      'stats',
    ]);
    expect(Object.keys(answer('/api/campaigns/{campaignId}/experts'))).toContain('experts');
    expect(Object.keys(answer('/api/nominations/{id}'))).toContain('pastHonouree');
    expect(Object.keys(answer('/api/review'))).toContain('recommendations');
    // The rounds the web app reads at every page load, and the console's children of a round.
    expect(Object.keys(answer('/api/campaigns'))).toEqual(['rounds']);
    expect(Object.keys(answer('/api/campaigns/{campaignId}/versions'))).toEqual(['versions']);
    expect(Object.keys(answer('/api/campaigns/{campaignId}/children'))).toEqual(['rounds']);
  });
});
