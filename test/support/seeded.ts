import type { NominationStore } from '../../functions/ports/nominations.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import type { Nomination } from '../../functions/rules/nomination.js';
import type { NominationStatus } from '../../functions/rules/nomination-status.js';
import { validForms } from '../fixtures/forms.js';

/**
 * Nominations put straight into a store — the in-memory world's or a local cloud's — for tests
 * about many nominations (paging, ranking, jobs at campaign scale), not about how each got there.
 */

/** What tells one seeded nomination from another; the rest is a submitted nomination's. */
export interface SeededFields {
  id: string;
  campaignId: string;
  unitId: string;
  unitName: string;
  unitType?: Nomination['unitType'];
  category: CategoryId;
  status: NominationStatus;
  /** Created, updated and submitted at this instant (ISO). */
  at: string;
  /** The fixture's valid form of the category when not given; `name` replaces only its name. */
  form?: Record<string, unknown>;
  name?: string;
}

export function seededNomination(fields: SeededFields): Nomination {
  const form = fields.form ?? (validForms[fields.category] as unknown as Record<string, unknown>);
  return {
    id: fields.id,
    campaignId: fields.campaignId,
    unitId: fields.unitId,
    unitType: fields.unitType ?? 'provincial-association',
    unitName: fields.unitName,
    category: fields.category,
    status: fields.status,
    version: 1,
    form: fields.name === undefined ? form : { ...form, name: fields.name },
    attachments: [],
    noClassifiedContent: true,
    createdAt: fields.at,
    updatedAt: fields.at,
    submittedAt: fields.at,
  };
}

/** Creates the nomination with the audit event every seeded one carries. */
export async function putSeeded(store: NominationStore, nomination: Nomination): Promise<Nomination> {
  await store.create(nomination, {
    nominationId: nomination.id,
    at: nomination.createdAt,
    actor: { role: 'system', subjectId: 'seed', name: 'seed' },
    action: 'seeded',
  });
  return nomination;
}

/** Runs `one(i)` for i below `count`, `batch` at a time: a local cloud seeds faster in parallel. */
export async function inBatches(
  count: number,
  batch: number,
  one: (i: number) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, k) => one(start + k)));
  }
}

/** Three experts' reviews giving `mark` on every criterion: a scored nomination's ranking entry. */
export function uniformReviews(criteria: readonly string[], mark: number, comment?: string) {
  return ['e1', 'e2', 'e3'].map((expertId) => ({
    expertId,
    scores: Object.fromEntries(criteria.map((c) => [c, mark])),
    recommend: true,
    ...(comment === undefined ? {} : { comment }),
  }));
}
