import * as z from 'zod';
import { campaignSchema } from './campaign.js';

/**
 * What the campaign catalog's routes answer (GET /api/campaigns/{campaignId}/rounds and the
 * others of use-cases/campaign-catalog.ts), described once for the OpenAPI document. A module of
 * its own, which only the route table's schemas (functions/route-schemas.ts, bundled by the openapi
 * function alone) import: the campaigns function never builds them — twice the whole campaign
 * definition among them, a third of the schemas its cold start built.
 */

const bilingualSchema = z.strictObject({ zh: z.string(), en: z.string() });
const versionNumber = z.int().min(1).describe('1 as created, one more with each correction');

/** A stored version as the API shows it (the answers' schemas, for the OpenAPI document). */
export const roundViewSchema = z.strictObject({
  campaign: campaignSchema(),
  version: versionNumber,
  savedAt: z.string(),
  savedBy: z.strictObject({ role: z.string(), name: z.string() }),
  note: z.string().describe('why the round was created or changed'),
  changed: z.array(z.string()).describe('the fields changed from the previous version'),
});
export const roundListSchema = z.strictObject({
  rounds: z.array(z.strictObject({ campaign: campaignSchema(), version: versionNumber })),
});
export const roundCreatedSchema = z.strictObject({
  round: roundViewSchema,
  secretariat: z
    .strictObject({ sentTo: z.string(), expiresAt: z.string() })
    .describe("the round's secretariat, invited by e-mail"),
});
export const roundCorrectedSchema = z.strictObject({ round: roundViewSchema });
export const roundVersionsSchema = z.strictObject({ versions: z.array(roundViewSchema) });
export const childRoundsSchema = z.strictObject({
  rounds: z.array(
    z.strictObject({
      campaignId: z.string(),
      name: bilingualSchema,
      organizer: bilingualSchema,
      deadline: z.string(),
      version: versionNumber,
      asUnitType: z.string(),
      forwarded: z.int().min(0).describe('nominations forwarded into this round so far'),
    }),
  ),
});
