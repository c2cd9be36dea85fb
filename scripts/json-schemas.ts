import { campaignJsonSchema } from '../functions/rules/campaign.js';
import { FORM_IDS, formJsonSchema } from '../functions/rules/forms/index.js';

/** The generated JSON Schemas published under docs/schemas/, keyed by file name. */
export function publishedJsonSchemas(): Record<string, unknown> {
  return {
    'campaign.schema.json': campaignJsonSchema(),
    ...Object.fromEntries(FORM_IDS.map((id) => [`${id}.form.schema.json`, formJsonSchema(id)])),
  };
}

export const render = (schema: unknown) => `${JSON.stringify(schema, null, 2)}\n`;
