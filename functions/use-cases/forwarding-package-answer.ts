import * as z from 'zod';
import { builtOnFirstUse } from '../rules/built-on-first-use.js';
import { CATEGORY_IDS } from '../rules/categories.js';
import { campaignJobViewSchema } from './campaign-steps.js';

/**
 * The forwarding package's request and answer: apart from the use case, which bundles docx,
 * exceljs and zip-stream, because the route table (in every function) and the web page need them.
 */

export const packageRequestSchema = builtOnFirstUse(() =>
  z
    .strictObject({
      category: z
        .enum(CATEGORY_IDS)
        .optional()
        .meta({ title: '类别（不填为全部）', 'x-title-en': 'Category (all when absent)' }),
    })
    .meta({ title: '生成材料包', 'x-title-en': 'Build the forwarding package' }),
);

export const packageAnswerSchema = builtOnFirstUse(() =>
  z
    .object({
      job: campaignJobViewSchema(),
      category: z.enum(CATEGORY_IDS).nullable(),
      download: z
        .object({
          url: z.string().describe('A signed link, valid 15 minutes; read the job again for a fresh one'),
          fileName: z.string(),
          bytes: z.number().int(),
          nominations: z.number().int(),
          availableUntil: z
            .string()
            .describe('The package can be downloaded until then (24 hours after it was built)'),
        })
        .nullable()
        .describe('Once the job is done, within 24 hours'),
    })
    .meta({ title: '材料包', 'x-title-en': 'Forwarding package' }),
);
export type PackageAnswer = z.infer<ReturnType<typeof packageAnswerSchema>>;
