import { S3Error } from './s3-error.js';

/**
 * The POST policy of a browser upload, read and enforced as S3 does:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * Field names compare case-insensitively; values exactly.
 */

export type PolicyCondition =
  | { kind: 'eq'; field: string; value: string; shown: string }
  | { kind: 'starts-with'; field: string; prefix: string; shown: string }
  | { kind: 'content-length-range'; min: number; max: number };

export interface PostPolicy {
  expiration: Date;
  conditions: PolicyCondition[];
}

/** Form fields the policy need not mention (S3's list). */
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy']);
const isExempt = (field: string) => EXEMPT_FIELDS.has(field) || field.startsWith('x-ignore-');

const invalidPolicy = (message: string) => new S3Error('InvalidPolicyDocument', `Invalid Policy: ${message}`);

const show = (op: string, field: string, value: string) => `["${op}", "$${field}", ${JSON.stringify(value)}]`;

/** Sizes arrive as JSON numbers from the SDK, but S3 also takes numeric strings. */
function byteCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function readCondition(raw: unknown): PolicyCondition[] {
  const invalid = () => invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  if (Array.isArray(raw)) {
    const [op, a, b] = raw as unknown[];
    if (raw.length !== 3 || typeof op !== 'string') throw invalid();
    if (op.toLowerCase() === 'content-length-range') {
      const min = byteCount(a);
      const max = byteCount(b);
      if (min === undefined || max === undefined) throw invalid();
      return [{ kind: 'content-length-range', min, max }];
    }
    if (typeof a !== 'string' || !a.startsWith('$') || a.length < 2 || typeof b !== 'string') throw invalid();
    const name = a.slice(1);
    const field = name.toLowerCase();
    switch (op.toLowerCase()) {
      case 'eq':
        return [{ kind: 'eq', field, value: b, shown: show('eq', name, b) }];
      case 'starts-with':
        return [{ kind: 'starts-with', field, prefix: b, shown: show('starts-with', name, b) }];
      default:
        throw invalid();
    }
  }
  // `{"key": "x"}` is an exact match, like ["eq", "$key", "x"].
  if (raw !== null && typeof raw === 'object') {
    const entries = Object.entries(raw);
    if (entries.length === 0) throw invalid();
    return entries.map(([name, value]) => {
      if (typeof value !== 'string') throw invalid();
      return { kind: 'eq', field: name.toLowerCase(), value, shown: show('eq', name, value) };
    });
  }
  throw invalid();
}

/** Decodes the base64 `policy` field; anything S3 could not read is InvalidPolicyDocument (400). */
export function parsePolicy(base64: string): PostPolicy {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw invalidPolicy('Invalid Simple-Policy.');
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw invalidPolicy('Invalid JSON.');
  }
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expires =
    typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(expiration)
      ? new Date(expiration)
      : undefined;
  if (!expires || Number.isNaN(expires.getTime())) {
    throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  }
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(conditions)) throw invalidPolicy('Invalid JSON.');
  return { expiration: expires, conditions: conditions.flatMap(readCondition) };
}

const denied = (reason: string) => new S3Error('AccessDenied', `Invalid according to Policy: ${reason}`);

/**
 * Enforces expiry and every field condition against the form as posted (the key before
 * `${filename}` is replaced, as the policy was written for the form). Also refuses form fields
 * no condition mentions. Sizes are left to {@link sizeRange}: they are known only as the file streams.
 *
 * @param fields form fields before the file, names lower-cased
 * @param bucket the bucket of the request URL, which is what `{"bucket": ...}` is held against
 */
export function checkPolicy(
  policy: PostPolicy,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  now: Date,
): void {
  if (now.getTime() > policy.expiration.getTime()) throw denied('Policy expired.');

  const fieldValue = (field: string) => (field === 'bucket' ? bucket : (fields.get(field) ?? ''));
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') continue;
    const actual = fieldValue(condition.field);
    const holds =
      condition.kind === 'eq'
        ? actual === condition.value
        : // S3 checks each of several comma-separated Content-Type values against the prefix.
          (condition.field === 'content-type' ? actual.split(',').map((v) => v.trim()) : [actual]).every(
            (v) => v.startsWith(condition.prefix),
          );
    if (!holds) throw denied(`Policy Condition failed: ${condition.shown}`);
  }

  const mentioned = new Set(
    policy.conditions.flatMap((c) => (c.kind === 'content-length-range' ? [] : [c.field])),
  );
  const extra = [...fields.keys()].filter((field) => !isExempt(field) && !mentioned.has(field));
  if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

/** The sizes every content-length-range allows together; without one, S3's 5 GiB single-upload ceiling. */
export function sizeRange(policy: PostPolicy): { min: number; max: number } {
  let min = 0;
  let max = 5 * 1024 ** 3;
  for (const condition of policy.conditions) {
    if (condition.kind !== 'content-length-range') continue;
    min = Math.max(min, condition.min);
    max = Math.min(max, condition.max);
  }
  return { min, max };
}
