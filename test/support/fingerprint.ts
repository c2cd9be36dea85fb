import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/**
 * JSON with every object's keys sorted, at every depth: two values that differ anywhere — a
 * nested form field, a status inside `data` — give different text, and key order never matters.
 * (`JSON.stringify(value, keys)` is no substitute: its key list applies at every level, so nested
 * keys not in the top-level list silently drop out.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** One digest of a set of items, whatever their order. */
export function fingerprint(items: readonly unknown[]): string {
  const lines = items.map(canonicalJson).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * A digest of every item of the local table (a test may scan; request paths never do), read
 * consistently. Rate-limit counters (RATE#…) count requests, refused ones included, and the
 * records of who read a nomination's personal data (read#…) are written by the reads themselves:
 * neither is data a request changes, and both are left out.
 */
export async function storedDataDigest(documents: DynamoDBDocumentClient): Promise<string> {
  const items: unknown[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: 'laurel', ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  // A digest of nothing would prove nothing.
  if (items.length === 0) throw new Error('the table is empty');
  return fingerprint(
    items.filter((item) => {
      const { pk, sk } = item as { pk?: unknown; sk?: unknown };
      return !String(pk).startsWith('RATE#') && !String(sk).startsWith('read#');
    }),
  );
}
