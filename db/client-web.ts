/** Worker-side database: libSQL over HTTP (Turso in production). No Node built-ins reach the bundle. */
import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from './schema';
import type { Database } from './types';

export function createWebDb(url: string, authToken?: string): Database {
  const client = createClient({ url, authToken: authToken || undefined });
  return { db: drizzle(client, { schema }), client };
}
