/**
 * The site's static files the functions write: the public notice and the final list, served and
 * cached by CloudFront from the web bucket (functions/adapters/public-files.ts), so a visitor
 * costs no function and no table read.
 */
export interface PublicFiles {
  /** Writes (replaces) one file under published/; `path` is relative to it. */
  publish(path: string, body: string, contentType: string): Promise<void>;
}
