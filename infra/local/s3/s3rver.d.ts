// s3rver 3.7 ships no types: only what start-s3.ts uses, as its source defines it.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }

  class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }

  export = S3rver;
}

// The registry of access keys s3rver accepts (by default only S3RVER).
declare module 's3rver/lib/models/account.js' {
  class AWSAccount {
    static DUMMY_ACCOUNT: AWSAccount;
    static registry: Map<string, AWSAccount>;
    createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  }

  export = AWSAccount;
}
