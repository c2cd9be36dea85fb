import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics, type HeapSpaceInfo } from 'node:v8';

/**
 * Watches the local cloud's JavaScript heap from its garbage collections. The cloud's process has
 * a capped heap (CLOUD_NODE_FLAGS, `--max-old-space-size`): a national round must fit in it with
 * room to spare, and a round that outgrows it must say so before Node stops it with "JavaScript
 * heap out of memory" — never grow into swap unseen. What is still in use right after a full
 * (mark-compact) collection is the live heap; the old generation's part of it, at its highest, is the
 * figure to size the cap by.
 */

/**
 * What `--max-old-space-size` caps: V8's old generation — the old, code and trusted spaces and
 * the large-object spaces that go with them (a string or array over ~128 KB lives in one), the
 * spaces where whatever outlives two scavenges ends up. The young generation (the new space and
 * its large-object space, up to three semi-spaces: 96 MiB with `--max-semi-space-size=32`) comes on
 * top of it, so V8's whole heap limit (heap_size_limit) is the cap plus that room, and the
 * whole heap in use can pass the cap without the old generation being near it. Read-only space
 * is shared and under neither.
 */
const YOUNG_GENERATION = new Set(['new_space', 'new_large_object_space']);
const UNDER_NO_CAP = new Set(['read_only_space']);

/** Bytes in use in the old generation (see above): the figure `--max-old-space-size` limits. */
export function oldGenerationBytes(
  spaces: readonly Pick<HeapSpaceInfo, 'space_name' | 'space_used_size'>[] = getHeapSpaceStatistics(),
): number {
  return spaces
    .filter((space) => !YOUNG_GENERATION.has(space.space_name) && !UNDER_NO_CAP.has(space.space_name))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

/**
 * The old generation's cap, which `--max-old-space-size` sets; without the flag, V8's whole heap
 * limit (its own default cap plus the young generation's room: a little over the cap).
 */
export function oldSpaceLimitBytes(
  flags: readonly string[] = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)],
): number {
  const flag = flags.map((f) => /^--max-old-space-size=(\d+)$/.exec(f)?.[1]).findLast(Boolean);
  return flag ? Number(flag) * 1024 ** 2 : getHeapStatistics().heap_size_limit;
}

export interface HeapFigures {
  /** The most of the whole JavaScript heap (every space, young generation too) in use right after a full collection, bytes. */
  peakLiveBytes: number;
  /** The most of the old generation in use right after a full collection: what the cap limits, bytes. */
  peakOldGenerationBytes: number;
  /** The old generation's cap (`--max-old-space-size`), bytes. */
  limitBytes: number;
  /** V8's limit of the whole heap (heap_size_limit): the cap plus the young generation's room, bytes. */
  heapLimitBytes: number;
  /** Full collections seen. */
  fullCollections: number;
}

/** Past this share of the cap, the old generation after a full collection, the cloud warns (once per step up). */
export const HEAP_WARNING_SHARE = 0.75;

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

export function watchHeap(warn: (message: string) => void = console.warn): {
  figures(): HeapFigures;
  stop(): void;
} {
  const limit = oldSpaceLimitBytes();
  const figures: HeapFigures = {
    peakLiveBytes: 0,
    peakOldGenerationBytes: 0,
    limitBytes: limit,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    fullCollections: 0,
  };
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
    // Read when the entry is delivered, just after the collection: what survived it, plus what was
    // allocated since — in the young generation mostly, which the whole heap's figure counts and
    // the old generation's does not.
    const live = getHeapStatistics().used_heap_size;
    const old = oldGenerationBytes();
    figures.peakLiveBytes = Math.max(figures.peakLiveBytes, live);
    figures.peakOldGenerationBytes = Math.max(figures.peakOldGenerationBytes, old);
    if (old > warnedAt * limit) {
      warnedAt = Math.min(1, old / limit + 0.05);
      warn(
        `The local cloud's old generation holds ${mib(old)} after a full garbage collection, ${Math.round((100 * old) / limit)} % of its ${mib(limit)} cap (--max-old-space-size). ` +
          `If it keeps growing, Node stops the cloud with "JavaScript heap out of memory"; raise --max-old-space-size (LAUREL_CLOUD_NODE_FLAGS) only after finding what grows.`,
      );
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { figures: () => ({ ...figures }), stop: () => observer.disconnect() };
}
