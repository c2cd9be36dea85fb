import { randomBytes } from 'node:crypto';
import { renderFormDocx } from '../../functions/documents/form-docx.js';
import { buildForwardingZip, type ForwardingEntry } from '../../functions/documents/forwarding-zip.js';
import { renderSummaryXlsx, type SummaryRow } from '../../functions/documents/summary-xlsx.js';
import { builtinCampaign } from '../../functions/rules/campaigns/index.js';
import type { CategoryId } from '../../functions/rules/categories.js';
import { displayNameOf, type FormDataByCategory } from '../../functions/rules/forms/index.js';
import { type BenchNomination, CAMPAIGN_ID } from './plan.js';
import { mean, quantile } from './stats.js';

/**
 * The documents, in process: the Word form of each category rendered again and again, and the
 * forwarding package of 100 nominations as the secretariat's handler builds it (every Word form
 * rendered, the summary XLSX, the ZIP) with files of realistic sizes.
 */

export interface DocumentFigures {
  docx: {
    renders: number;
    meanMs: number;
    p50Ms: number;
    p99Ms: number;
    bytes: number;
    byCategory: Map<CategoryId, number>;
  };
  forwarding: { nominations: number; ms: number; bytes: number; inputBytes: number; entries: number };
}

const RENDERS_PER_CATEGORY = 15;
/** A stamped scan and photos as units send them; bytes that do not compress, as JPEG and scanned PDF do not. */
const SCAN_BYTES = 1_600_000;
const PHOTO_BYTES = 1_650_000;

export async function measureDocuments(
  plan: readonly BenchNomination[],
  packageSize: number,
): Promise<DocumentFigures> {
  const campaign = builtinCampaign(CAMPAIGN_ID);
  const render = (n: BenchNomination) =>
    renderFormDocx({
      campaign,
      category: n.category,
      form: n.form as FormDataByCategory[typeof n.category],
      unitName: n.unit.name,
    });

  const samples: number[] = [];
  const byCategory = new Map<CategoryId, number>();
  let bytes = 0;
  for (const category of ['volunteer', 'organization', 'project', 'site'] as CategoryId[]) {
    const ofCategory = plan.filter((n) => n.category === category).slice(0, RENDERS_PER_CATEGORY);
    if (ofCategory.length === 0) continue;
    await render(ofCategory[0] as BenchNomination); // warm: the first render loads docx's code paths
    const times: number[] = [];
    for (let i = 0; i < RENDERS_PER_CATEGORY; i++) {
      const n = ofCategory[i % ofCategory.length] as BenchNomination;
      const started = performance.now();
      const docx = await render(n);
      times.push(performance.now() - started);
      bytes = Math.max(bytes, docx.byteLength);
    }
    byCategory.set(category, mean(times));
    samples.push(...times);
  }

  // The package: 100 nominations (the plan's first, repeated if the run is smaller).
  const scan = randomBytes(SCAN_BYTES);
  const photo = randomBytes(PHOTO_BYTES);
  const chosen = Array.from({ length: packageSize }, (_, i) => plan[i % plan.length] as BenchNomination);
  const started = performance.now();
  const entries: ForwardingEntry[] = [];
  const rows: SummaryRow[] = [];
  let inputBytes = 0;
  for (const [i, n] of chosen.entries()) {
    const form = n.form as FormDataByCategory[typeof n.category];
    const word = await render(n);
    const files = [
      { kind: 'word' as const, ext: 'docx', bytes: word },
      { kind: 'scan' as const, ext: 'pdf', bytes: scan },
      ...Array.from({ length: n.photos }, () => ({ kind: 'photo' as const, ext: 'jpg', bytes: photo })),
    ];
    inputBytes += files.reduce((s, f) => s + f.bytes.byteLength, 0);
    const rank = i + 1;
    entries.push({
      category: n.category,
      rank,
      displayName: displayNameOf(n.category, form),
      unitName: n.unit.name,
      files,
    });
    rows.push({
      nominationId: `n-${i}`,
      category: n.category,
      displayName: displayNameOf(n.category, form),
      unitName: n.unit.name,
      score: 80,
      rank,
      contactName: '',
      contactPhone: '',
    });
  }
  const generatedAt = new Date('2025-03-10T02:00:00Z');
  const summaryXlsx = await renderSummaryXlsx({ campaign, rows, generatedAt });
  const zip = await buildForwardingZip({ campaign, entries, summaryXlsx, generatedAt });
  const ms = performance.now() - started;

  return {
    docx: {
      renders: samples.length,
      meanMs: mean(samples),
      p50Ms: quantile(samples, 0.5),
      p99Ms: quantile(samples, 0.99),
      bytes,
      byCategory,
    },
    forwarding: {
      nominations: packageSize,
      ms,
      bytes: zip.byteLength,
      inputBytes,
      entries: entries.reduce((s, e) => s + e.files.length, 1),
    },
  };
}
