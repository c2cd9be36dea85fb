import * as z from 'zod';
import { builtOnFirstUse } from './built-on-first-use.js';
import { ValidationError } from './errors.js';

/**
 * Paged lists. A list answers at most `MAX_PAGE` items and a cursor for the next page; the cursor
 * is opaque to the client (base64url of a small JSON the store wrote) and checked when it comes
 * back: a cursor that does not decode, or was issued for another list, is a 400 naming the
 * `cursor` field — never a 5xx, never a read of another partition.
 */

export const MAX_PAGE = 100;

export const pageSchema = builtOnFirstUse(() =>
  z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .optional()
      .meta({ title: '每页条数', 'x-title-en': 'Page size' }),
    cursor: z.string().max(2048).optional().meta({ title: '翻页标记', 'x-title-en': 'Cursor' }),
  }),
);
export type PageRequest = z.infer<ReturnType<typeof pageSchema>>;

/** One page of a list: the items and, when there is more, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** A position in a list: which list it belongs to (`list`) and where to go on from. */
export const cursorPositionSchema = builtOnFirstUse(() =>
  z.strictObject({
    list: z.string().max(512),
    /** The index of the part (e.g. status) the list has reached, for lists read part by part. */
    part: z.number().int().min(0).max(1000).optional(),
    /** DynamoDB's LastEvaluatedKey (string attributes only), or an offset. */
    key: z.record(z.string().max(128), z.string().max(1024)).optional(),
    offset: z.number().int().min(0).optional(),
  }),
);
export type CursorPosition = z.infer<ReturnType<typeof cursorPositionSchema>>;

export const encodeCursor = (position: CursorPosition): string =>
  // Stryker disable next-line StringLiteral: an empty encoding name is Node's default, utf8 (an equivalent mutant)
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** The 400 for a cursor that is not one of this list's. */
export const invalidCursor = () =>
  new ValidationError(
    [
      {
        path: ['cursor'],
        code: 'invalid_cursor',
        message: {
          zh: '翻页标记无效或已过期，请从第一页重新开始',
          en: 'The cursor is not valid for this list; start again from the first page',
        },
      },
    ],
    { zh: '翻页', en: 'page request' },
  );

/** The position a cursor names, if it was issued for `list`; else a 400 on the cursor field. */
export function decodeCursor(cursor: string | undefined, list: string): CursorPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: unknown;
  // Stryker disable BlockStatement: an emptied catch leaves `parsed` undefined, which the schema below
  // refuses with the same 400 (an equivalent mutant). The emptied try, which any valid cursor kills, goes with it.
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  // Stryker restore BlockStatement
  const position = cursorPositionSchema().safeParse(parsed);
  if (!position.success || position.data.list !== list) throw invalidCursor();
  return position.data;
}

/** A page of an already computed list, by offset (lists the server sorts itself, e.g. a ranking). */
export function pageOf<T>(all: readonly T[], list: string, request: PageRequest): Page<T> {
  const limit = request.limit ?? MAX_PAGE;
  const start = decodeCursor(request.cursor, list)?.offset ?? 0;
  const items = all.slice(start, start + limit);
  const next = start + limit;
  return { items, cursor: next < all.length ? encodeCursor({ list, offset: next }) : null };
}
