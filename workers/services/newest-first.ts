/**
 * Keyset paging for lists shown newest first: the cursor is `<createdAt>.<id>` of the last row
 * seen, which stays stable while rows are added (an offset would skip or repeat them).
 */
import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

export interface Cursor {
  at: number;
  id: string;
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  const [at, id] = cursor.split('.');
  return at && id && /^\d+$/.test(at) ? { at: Number(at), id } : null;
}

/** The rows after `cursor` in (createdAt desc, id desc) order; nothing to add without a cursor. */
export function olderThan(createdAt: SQLiteColumn, id: SQLiteColumn, cursor: Cursor | null): SQL | undefined {
  return cursor ? or(lt(createdAt, cursor.at), and(eq(createdAt, cursor.at), lt(id, cursor.id))) : undefined;
}

/** Rows were read with `limit + 1`: the extra one only says whether there is a next page. */
export function nextCursor(rowCount: number, limit: number, last: { createdAt: number; id: string } | undefined): string | null {
  return rowCount > limit && last ? `${last.createdAt}.${last.id}` : null;
}
