/**
 * Node-side database: an embedded libSQL file (`file:` URL) by default, or any libSQL URL
 * (`libsql://` Turso, `http(s)://` sqld) with an auth token. The Worker uses `client-web.ts`,
 * because this entry pulls in libSQL's native driver, which cannot be bundled for workerd.
 */
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';
import { serializeWrites } from './serialized-writes';
import type { Database } from './types';

export const DEFAULT_DATABASE_URL = 'file:./.data/leadflare.db';

export async function createDb(url: string = DEFAULT_DATABASE_URL, authToken?: string): Promise<Database> {
  const isFile = url.startsWith('file:');
  if (isFile) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  const driver = createClient({ url, authToken: authToken || undefined });
  // A remote server orders concurrent writes itself; the embedded file needs them queued here.
  const client = isFile ? serializeWrites(driver) : driver;
  if (isFile) {
    // WAL lets readers run while a write commits; the setting is stored in the file itself.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  return { db: drizzle(client, { schema }), client };
}
