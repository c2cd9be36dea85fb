import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import { CATEGORY_IDS, categoryOrder } from './categories.js';
import { displayNameOf, type FormDataByCategory } from './forms/index.js';
import type { Nomination } from './nomination.js';
import { NOMINATION_STATUSES, type NominationStatus, PAST_SCREENING } from './nomination-status.js';
import {
  type Assignment,
  automaticConflicts,
  CONFLICT_KINDS,
  type ConflictDismissal,
  type ConflictFacts,
  type Expert,
  WITHDRAWAL_REASONS,
} from './review.js';

/**
 * The secretariat's view of expert review: the pool with each expert's load, and for every
 * nomination in review (or past it) its reviewers and the experts kept off it by a conflict of
 * interest (the automatic check of functions/rules/review.ts), and each reviewer's declaration or
 * withdrawal, and the conflicts the secretariat dismissed. Assignment itself is automatic (the
 * AssignExperts task); the secretariat swaps a reviewer, dismisses a false conflict or extends a
 * due date through functions/use-cases/reviews.ts. This only reads.
 */

/** Only the OpenAPI document and the tests read it: the secretariat function need not build it at import. */
export const expertPanelSchema = builtOnFirstUse(() => {
  const count = z.int().min(0);
  return z.strictObject({
    campaignId: z.string(),
    expertsPerNomination: count,
    experts: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        email: z.string(),
        affiliation: z.string().nullable().describe('the recommending unit the expert belongs to'),
        categories: z.array(z.enum(CATEGORY_IDS)).describe('categories the expert reviews; empty: all'),
        maxLoad: count
          .nullable()
          .describe('the most nominations the expert takes (own cap, else the campaign’s)'),
        assigned: count,
        done: count,
        overdue: count.describe('open reviews past their due date'),
      }),
    ),
    nominations: z.array(
      z.strictObject({
        id: z.string(),
        category: z.enum(CATEGORY_IDS),
        displayName: z.string(),
        unitId: z.string(),
        unitName: z.string(),
        status: z.enum(NOMINATION_STATUSES),
        reviewers: z.array(
          z.strictObject({
            expertId: z.string(),
            name: z.string(),
            assignedAt: z.string(),
            done: z.boolean(),
            submittedAt: z.string().nullable(),
            conflict: z
              .boolean()
              .describe(
                'the automatic check now finds a conflict (the expert’s affiliations changed after assignment)',
              ),
            declared: z.boolean().describe('the expert declared no conflict and may see the materials'),
            overdue: z.boolean().describe('open and past its due date'),
            extraDays: count.describe('days the secretariat added to the due date'),
            withdrawn: z
              .strictObject({ at: z.string(), reason: z.enum(WITHDRAWAL_REASONS), note: z.string() })
              .nullable()
              .describe('set when the assignment ended without a review (declined, recused, reassigned)'),
          }),
        ),
        excludedByConflict: z
          .array(
            z.strictObject({
              expertId: z.string(),
              name: z.string(),
              kinds: z.array(z.enum(CONFLICT_KINDS)),
            }),
          )
          .describe(
            'experts of the pool the automatic check keeps off it (nominating unit, its parent society, the nominee’s organisation, declared collaborators), less those dismissed',
          ),
        dismissedConflicts: z
          .array(
            z.strictObject({ expertId: z.string(), name: z.string(), reason: z.string(), at: z.string() }),
          )
          .describe('automatic conflicts the secretariat found false, with its reason'),
        eligibleExperts: count.describe('experts of the pool who may review it'),
        awaitingExperts: z
          .boolean()
          .describe('in review with fewer reviewers than the campaign needs (the pool is too small)'),
      }),
    ),
  });
});
export type ExpertPanel = z.infer<ReturnType<typeof expertPanelSchema>>;

/** Statuses a nomination may have once it passed screening, when experts are or were assigned. */
export const REVIEW_STATUSES: readonly NominationStatus[] = PAST_SCREENING;

type PanelNomination = Pick<Nomination, 'id' | 'category' | 'form' | 'unitId' | 'unitName' | 'status'> & {
  /** What the conflict check reads; without it only the nominating unit is checked. */
  conflictFacts?: ConflictFacts;
};

/** Shapes the panel from the pool, every assignment, and the nominations concerned. Pure. */
export function shapeExpertPanel(input: {
  campaignId: string;
  expertsPerNomination: number;
  pool: readonly Expert[];
  assignments: readonly Assignment[];
  nominations: readonly PanelNomination[];
  dismissals?: readonly ConflictDismissal[];
  /** The campaign's cap for experts without their own. */
  defaultMaxLoad?: number;
}): ExpertPanel {
  const { pool, assignments } = input;
  const dismissed = new Set((input.dismissals ?? []).map((d) => `${d.nominationId}#${d.expertId}`));
  const byNomination = new Map<string, Assignment[]>();
  for (const a of assignments)
    byNomination.set(a.nominationId, [...(byNomination.get(a.nominationId) ?? []), a]);
  const experts = [...pool]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => {
      const own = assignments.filter((a) => a.expertId === e.id);
      return {
        id: e.id,
        name: e.name,
        email: e.email,
        affiliation: e.affiliation ?? null,
        categories: e.categories ?? [],
        maxLoad: e.maxLoad ?? input.defaultMaxLoad ?? null,
        assigned: own.filter((a) => !a.withdrawn).length,
        done: own.filter((a) => a.review).length,
        overdue: own.filter((a) => a.overdueAt && !a.review && !a.withdrawn).length,
      };
    });
  const byId = new Map(pool.map((e) => [e.id, e]));
  const nominations = input.nominations
    .filter((n) => byNomination.has(n.id) || n.status === 'in-review')
    .map((n) => {
      const facts: ConflictFacts = n.conflictFacts ?? {
        unitId: n.unitId,
        unitName: n.unitName,
        // Stryker disable next-line StringLiteral: the nominee is not known here; a placeholder name matches only an expert who declared that very text (equivalent in practice)
        nomineeName: '',
        // Stryker disable next-line StringLiteral: as above
        nomineeOrganisation: '',
      };
      const kindsOf = (e: Expert | undefined) =>
        e && !dismissed.has(`${n.id}#${e.id}`) ? automaticConflicts(e, facts) : [];
      const conflicted = (e: Expert | undefined) => kindsOf(e).length > 0;
      const reviewers = (byNomination.get(n.id) ?? [])
        .map((a) => ({
          expertId: a.expertId,
          name: a.expertName,
          assignedAt: a.assignedAt,
          done: Boolean(a.review),
          submittedAt: a.review?.submittedAt ?? null,
          conflict: conflicted(byId.get(a.expertId)),
          declared: a.declaration?.conflict === null,
          overdue: Boolean(a.overdueAt && !a.review && !a.withdrawn),
          extraDays: a.extraDays ?? 0,
          withdrawn: a.withdrawn
            ? { at: a.withdrawn.at, reason: a.withdrawn.reason, note: a.withdrawn.note }
            : null,
        }))
        .sort((a, b) => (a.expertId < b.expertId ? -1 : 1));
      const excluded = pool.filter((e) => conflicted(e));
      return {
        id: n.id,
        category: n.category,
        displayName: displayNameOf(n.category, n.form as unknown as FormDataByCategory[typeof n.category]),
        unitId: n.unitId,
        unitName: n.unitName,
        status: n.status,
        reviewers,
        excludedByConflict: excluded.map((e) => ({ expertId: e.id, name: e.name, kinds: kindsOf(e) })),
        dismissedConflicts: (input.dismissals ?? [])
          .filter((d) => d.nominationId === n.id)
          .map((d) => ({
            expertId: d.expertId,
            name: byId.get(d.expertId)?.name ?? d.expertId,
            reason: d.reason,
            at: d.at,
          })),
        eligibleExperts: pool.length - excluded.length,
        awaitingExperts:
          n.status === 'in-review' &&
          reviewers.filter((r) => !r.withdrawn).length < input.expertsPerNomination,
      };
    })
    .sort((a, b) => categoryOrder(a.category) - categoryOrder(b.category) || (a.id < b.id ? -1 : 1));
  return {
    campaignId: input.campaignId,
    expertsPerNomination: input.expertsPerNomination,
    experts,
    nominations,
  };
}
