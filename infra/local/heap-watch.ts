import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/**
 * Watches the local cloud's JavaScript heap from its garbage collections. The cloud's process has
 * a capped heap (CLOUD_NODE_FLAGS, `--max-old-space-size`): a national round must fit in it with
 * room to spare, and a round that outgrows it must say so before Node stops it with "JavaScript
 * heap out of memory" — never grow into swap unseen. What is still in use right after a full
 * (mark-compact) collection is the live heap; its highest value is the figure to size the cap by.
 */

/**
 * The old generation's cap, which `--max-old-space-size` sets and what outlives collections fills;
 * V8's own heap_size_limit adds the young generation's room on top, which a live heap never uses.
 */
export function oldSpaceLimitBytes(
  flags: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
): number {
  const flag = flags.map((f) => /^--max-old-space-size=(\d+)$/.exec(f)?.[1]).findLast(Boolean);
  return flag ? Number(flag) * 1024 ** 2 : getHeapStatistics().heap_size_limit;
}

export interface HeapFigures {
  /** The most JavaScript heap found in use right after a full collection (bytes). */
  peakLiveBytes: number;
  /** The old generation's limit (`--max-old-space-size`, else V8's whole heap limit), bytes. */
  limitBytes: number;
  /** Full collections seen. */
  fullCollections: number;
}

/** Past this share of the limit, live after a full collection, the cloud warns (once per step up). */
export const HEAP_WARNING_SHARE = 0.75;

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

export function watchHeap(warn: (message: string) => void = console.warn): {
  figures(): HeapFigures;
  stop(): void;
} {
  const limit = oldSpaceLimitBytes();
  const figures: HeapFigures = { peakLiveBytes: 0, limitBytes: limit, fullCollections: 0 };
  let warnedAt = HEAP_WARNING_SHARE;
  const observer = new PerformanceObserver((list) => {
    const full = list
      .getEntries()
      .some(
        (entry) =>
          (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      );
    if (!full) return;
    figures.fullCollections += 1;
    // Read when the entry is delivered, just after the collection: what survived it, plus the little allocated since.
    const live = getHeapStatistics().used_heap_size;
    figures.peakLiveBytes = Math.max(figures.peakLiveBytes, live);
    if (live > warnedAt * limit) {
      warnedAt = Math.min(1, live / limit + 0.05);
      warn(
        `The local cloud's live JavaScript heap is ${mib(live)} after a full garbage collection, ${Math.round((100 * live) / limit)} % of its ${mib(limit)} limit. ` +
          `If it keeps growing, Node stops the cloud with "JavaScript heap out of memory"; raise --max-old-space-size (LAUREL_CLOUD_NODE_FLAGS) only after finding what grows.`,
      );
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { figures: () => ({ ...figures }), stop: () => observer.disconnect() };
}
