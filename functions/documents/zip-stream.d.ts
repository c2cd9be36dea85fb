// zip-stream ships no types: the part of its API the forwarding package uses.
declare module 'zip-stream' {
  import { Transform } from 'node:stream';

  interface EntryData {
    name: string;
    date?: Date;
    /** Stored, not deflated. */
    store?: boolean;
  }

  export default class ZipStream extends Transform {
    constructor(options?: { store?: boolean; forceZip64?: boolean; comment?: string });
    entry(
      source: Buffer | NodeJS.ReadableStream | string,
      data: EntryData,
      callback: (error?: Error | null) => void,
    ): this;
    finalize(): void;
  }
}
