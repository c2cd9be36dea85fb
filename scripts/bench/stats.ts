/** Small helpers of the benchmark: latency samples and their percentiles (the worker pool is scripts/driver/poll.ts). */

/** The q-quantile (0–1) of `values`, nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Latencies in milliseconds, by name ("POST /api/nominations/{id}/submit"). */
export class Latencies {
  private readonly samples = new Map<string, number[]>();

  add(name: string, ms: number): void {
    let list = this.samples.get(name);
    if (!list) {
      list = [];
      this.samples.set(name, list);
    }
    list.push(ms);
  }

  /** Times `call` under `name`. */
  async time<T>(name: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  of(name: string): readonly number[] {
    return this.samples.get(name) ?? [];
  }

  names(): string[] {
    return [...this.samples.keys()].sort();
  }

  count(): number {
    let total = 0;
    for (const list of this.samples.values()) total += list.length;
    return total;
  }
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const millis = (ms: number): string =>
  Number.isNaN(ms) ? '–' : ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
export const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MiB`;
