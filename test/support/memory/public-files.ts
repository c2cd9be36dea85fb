import type { PublicFiles } from '../../../functions/ports/public-files.js';

/** The web bucket's published/ files, in memory: path → body and content type, as last written. */
export interface MemoryPublicFiles extends PublicFiles {
  readonly files: ReadonlyMap<string, { body: string; contentType: string }>;
  /** How many times anything was published. */
  readonly writes: number;
}

export function memoryPublicFiles(): MemoryPublicFiles {
  const files = new Map<string, { body: string; contentType: string }>();
  let writes = 0;
  return {
    files,
    get writes() {
      return writes;
    },
    async publish(path, body, contentType) {
      writes += 1;
      files.set(path, { body, contentType });
    },
  };
}
