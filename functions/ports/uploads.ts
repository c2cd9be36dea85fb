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

/** One version of an object, as S3's versioned bucket keeps it. */
export interface ObjectVersion {
  key: string;
  versionId: string;
}

/**
 * The uploads bucket is versioned: a presigned POST stays usable until it expires and may be
 * posted again, which makes a new version of the same key. So whatever was inspected is
 * pinned by its version id (and its SHA-256), and everything after reads that version.
 */
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
  /**
   * A short-lived download link to exactly this version, saved as `downloadName` (never shown
   * inline) and served as `contentType`, the type found by inspection.
   */
  presignGet(object: ObjectVersion, downloadName: string, contentType: string): Promise<string>;
  /** The key's current object — its bytes and version — or undefined when nothing is there. */
  read(key: string): Promise<(ObjectVersion & { bytes: Uint8Array }) | undefined>;
  /** The bytes of exactly this version, or undefined when that version is gone. */
  readVersion(object: ObjectVersion): Promise<Uint8Array | undefined>;
  /** The key's current version and when it was written, or undefined when nothing is there. */
  currentVersion(key: string): Promise<{ versionId: string; lastModified: Date } | undefined>;
  /** Removes the key (a versioned bucket keeps the earlier versions until they expire). */
  remove(key: string): Promise<void>;
  /** Stores bytes the system made itself, S3 checking their SHA-256. */
  put(key: string, body: Uint8Array, contentType: string): Promise<ObjectVersion>;
  /**
   * Streams bytes the system makes (the forwarding package) into the key by a multipart upload:
   * memory holds a few parts whatever the size. When `body` fails the upload is aborted, so no
   * half-written object is ever stored.
   */
  putStream(
    key: string,
    body: AsyncIterable<Uint8Array>,
    contentType: string,
  ): Promise<ObjectVersion & { bytes: number }>;
}
