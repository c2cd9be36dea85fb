import { CATEGORY_IDS, CATEGORY_NAMES, type CategoryId } from '../../functions/rules/categories.js';
import { displayNameOf, type FormDataByCategory } from '../../functions/rules/forms/index.js';
import type { Bilingual } from '../../functions/rules/i18n.js';
import { statusName } from '../../functions/rules/nomination.js';
import type { NominationView, Tracked } from './steps.js';

/** The demo's printed summary: aligned columns that count a Chinese character as two. */

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(1, width - displayWidth(text)));
}

export const both = (b: Bilingual): string => `${b.zh} · ${b.en}`;

/** The nominee's name: a list row carries it (`name`); a nomination read whole has its form. */
export const nameOf = (n: Pick<NominationView, 'category'> & { form?: unknown; name?: string }): string =>
  n.name ?? displayNameOf(n.category, n.form as unknown as FormDataByCategory[CategoryId]);

/**
 * One round's nominations per category: rank, name, recommending unit, score and final
 * status, with what happened on the way (returns, eligibility flags, objections).
 */
export function roundLines(
  nominations: readonly NominationView[],
  tracked: ReadonlyMap<string, Tracked>,
): string[] {
  const nameWidth = Math.max(...nominations.map((n) => displayWidth(nameOf(n)))) + 2;
  const unitWidth = Math.max(...nominations.map((n) => displayWidth(n.unitName))) + 2;
  const lines: string[] = [];
  for (const category of CATEGORY_IDS) {
    const inCategory = nominations
      .filter((n) => n.category === category)
      .sort((a, b) => (a.selection?.rank ?? 99) - (b.selection?.rank ?? 99));
    if (inCategory.length === 0) continue;
    lines.push(`  ${both(CATEGORY_NAMES[category])} — ${inCategory.length}`);
    for (const n of inCategory) {
      const t = tracked.get(n.id);
      const rank = n.selection?.rank ? `#${n.selection.rank}` : ' –';
      const score = n.score ? n.score.meanTotal.toFixed(1).padStart(5) : '    –';
      lines.push(
        `    ${pad(rank, 4)}${pad(nameOf(n), nameWidth)}${pad(n.unitName, unitWidth)}${score}  ${both(statusName(n.status))}`,
      );
      for (const note of t?.notes ?? []) lines.push(`        ${note}`);
      for (const flag of t?.flags ?? []) lines.push(`        ⚠ ${flag.zh} · ${flag.en}`);
    }
  }
  return lines;
}

/** Counts per status, in words: "8 已推荐上报 · forwarded, 3 未入选 · not selected, …". */
export function statusCounts(nominations: readonly NominationView[]): string {
  const counts = new Map<string, number>();
  for (const n of nominations) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  return [...counts]
    .map(([status, count]) => `${count} ${both(statusName(status as NominationView['status']))}`)
    .join(', ');
}

export const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`;
