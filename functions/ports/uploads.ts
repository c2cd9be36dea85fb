/**
 * Files go from the browser straight to S3 through a presigned POST whose policy fixes the
 * object key under the nomination, the size range and the content type — S3 enforces them, so
 * a 0.9 MB photo never lands. After the upload the browser asks the server to record the file;
 * the server reads it back and inspects its content before it counts.
 */

export interface UploadPolicy {
  url: string;
  fields: Record<string, string>;
  key: string;
  attachmentId: string;
  minBytes: number;
  maxBytes: number;
  expiresAt: string;
}

export interface UploadStorage {
  presignPost(args: {
    key: string;
    contentType: string;
    minBytes: number;
    maxBytes: number;
    expiresSeconds: number;
  }): Promise<{
    url: string;
    fields: Record<string, string>;
  }>;
  /** A short-lived download link that saves the file under `downloadName`. */
  presignGet(key: string, downloadName: string): Promise<string>;
  /** The object's bytes, or undefined when nothing was uploaded under the key. */
  read(key: string): Promise<Uint8Array | undefined>;
  remove(key: string): Promise<void>;
  /** Stores bytes the system made itself (the forwarding package). */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
}
