import * as z from 'zod';
import { CATEGORY_IDS } from './categories.js';
import { declarationsSchema } from './declarations.js';
import { NOMINATION_STATUSES } from './nomination-status.js';
import { FUNNEL_STAGES } from './overview.js';

/**
 * What GET /api/campaigns/{campaignId}/overview answers (rules/overview.ts shapes it), described
 * once for the OpenAPI document. A module of its own, which only the route table's schemas
 * (functions/route-schemas.ts, bundled by the openapi function alone) import: no other function bundles it.
 */

const bilingual = z.strictObject({ zh: z.string(), en: z.string() });
const count = z.int().min(0);
const chinaIso = z.string().describe("ISO 8601 in China time, e.g. '2025-02-23T00:00:00+08:00'");

const quotaSchema = z.strictObject({
  scope: z.enum(['per-category', 'total', 'unlimited']),
  limit: z.int().nullable(),
  used: count.describe(
    'slots held, from the quota ledger (a total rule: over all categories; no limit: the unit’s nominations)',
  ),
  remaining: z.int().nullable(),
  rule: bilingual.describe('the rule as the notice states it'),
});

const statsSchema = z.strictObject({
  total: count.describe('every nomination, drafts included'),
  byStatus: z.array(z.strictObject({ status: z.enum(NOMINATION_STATUSES), name: bilingual, count })),
  byCategory: z.array(
    z.strictObject({
      category: z.enum(CATEGORY_IDS),
      total: count,
      submitted: count.describe('submitted at least once'),
      byStatus: z.record(z.enum(NOMINATION_STATUSES), count),
    }),
  ),
  submissionsPerDay: z
    .array(z.strictObject({ date: z.string().describe('YYYY-MM-DD, China calendar'), count }))
    .describe('by the latest (re)submission; days without one are listed with 0'),
  funnel: z.array(z.strictObject({ stage: z.enum(FUNNEL_STAGES), name: bilingual, count })),
});

export const campaignOverviewSchema = z.strictObject({
  campaign: z.strictObject({
    id: z.string(),
    year: z.int(),
    name: bilingual,
    organizer: bilingual,
    round: z
      .enum(['society', 'national'])
      .describe(
        "'society': an internal round that forwards its selection to `forwardsTo`; 'national': the top round",
      ),
    forwardsTo: z.string().nullable(),
  }),
  viewer: z.strictObject({
    role: z.enum(['unit', 'secretariat']),
    unitType: z.string().nullable(),
    unitTypeName: bilingual.nullable(),
  }),
  categories: z.array(
    z.strictObject({
      id: z.enum(CATEGORY_IDS),
      name: bilingual,
      photos: z.strictObject({ min: count, max: count }),
      quota: quotaSchema.nullable().describe("the unit's quota in this category; null for the secretariat"),
    }),
  ),
  deadline: z.strictObject({
    at: chinaIso.describe(
      'submissions are accepted strictly before this instant (the unit’s extension if any)',
    ),
    campaignDeadline: chinaIso,
    extended: z.boolean(),
    open: z.boolean().describe('whether the viewer may still create and submit'),
    closedEarly: z
      .strictObject({ at: chinaIso, reason: z.string() })
      .nullable()
      .describe('set when the secretariat closed submissions before the deadline'),
  }),
  contacts: z
    .array(
      z.strictObject({
        office: bilingual,
        people: z.array(z.string()),
        phones: z.array(z.string()),
        email: z.string().nullable(),
      }),
    )
    .describe("the notice's contacts (联系方式), from the campaign and, for a society's round, its parent"),
  privacy: z
    .strictObject({
      notice: z.strictObject({ version: z.int().min(1), text: bilingual }),
      consentScan: z.boolean().describe("whether each nomination carries the nominee's signed consent scan"),
      retentionDays: z
        .int()
        .describe('days after the release until personal fields and files are deleted (the deletion job)'),
      erasureDueAt: chinaIso
        .nullable()
        .describe(
          "when the deletion job may run: the release plus `retentionDays`, for a society's round no earlier than CAST's round; null before any release",
        ),
    })
    .describe(
      'the privacy notice units show each nominee; a submission confirms this version (`consent.noticeVersion`)',
    ),
  declarations: declarationsSchema().describe(
    'the declarations a unit confirms at submission, per category; a submission names this version and the ids it confirms (`declarations`)',
  ),
  now: chinaIso.describe("the server's campaign clock, for a countdown"),
  stats: statsSchema.nullable().describe('secretariat only; null for a unit'),
});
export type CampaignOverview = z.infer<typeof campaignOverviewSchema>;
