/**
 * Node-side database: an embedded libSQL file (`file:` URL) by default, or any libSQL URL
 * (`libsql://` Turso, `http(s)://` sqld) with an auth token. The Worker uses `client-web.ts`,
 * because this entry pulls in libSQL's native driver, which cannot be bundled for workerd.
 */
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema';
import { groupedTransactions } from './grouped-transactions';
import { preparedConnection } from './prepared-statements';
import { preparedWrites } from './prepared-writes';
import { createWriteLock, serializeWrites } from './serialized-writes';
import type { Database } from './types';

export const DEFAULT_DATABASE_URL = 'file:./.data/leadflare.db';

/**
 * Connections the driver keeps to an embedded file. Capped so that every one of them gets the
 * settings below (SQLite keeps them per connection): only a write transaction holds a connection
 * for a while; every other call borrows one for a single synchronous statement. The two prepared
 * connections (below) are besides these, with the same settings.
 */
const FILE_POOL_SIZE = 4;

/** Per-connection settings of the embedded file. */
const CONNECTION_PRAGMAS = [
  // Another process (`npm run db:seed` beside the server) waits for a lock instead of failing.
  'PRAGMA busy_timeout = 5000',
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the process
  // being killed (the OS has the WAL), and the file stays consistent after a power cut, which can
  // lose the last commits. FULL would make every capture wait for the disk.
  'PRAGMA synchronous = NORMAL',
];

export async function createDb(url: string = DEFAULT_DATABASE_URL, authToken?: string): Promise<Database> {
  if (!url.startsWith('file:')) {
    const client = createClient({ url, authToken: authToken || undefined });
    return { db: drizzle(client, { schema }), client };
  }
  const path = url.slice('file:'.length);
  mkdirSync(dirname(path), { recursive: true });
  const driver = createClient({ url, concurrency: FILE_POOL_SIZE });
  // WAL lets readers run while a write commits; the setting is stored in the file itself.
  await driver.execute('PRAGMA journal_mode = WAL');
  await configureEachConnection(driver);
  // A remote server orders concurrent writes itself; the embedded file needs them queued here.
  const lock = createWriteLock();
  // Two connections keep their statements prepared: one writer (transactions of ingest and
  // captures, and single row writes) and one reader for single reads outside transactions. The
  // pool keeps batches, transactions and everything else.
  const writer = preparedConnection(path, CONNECTION_PRAGMAS);
  const reader = preparedConnection(path, CONNECTION_PRAGMAS);
  const writes = preparedWrites(writer, lock);
  const client = serializeWrites(driver, lock, () => (writes.close(), reader.close()), { reads: reader, writes: writer });
  return { db: drizzle(client, { schema }), client, preparedWrites: writes, groupedWrites: groupedTransactions(writes) };
}

/**
 * The pool borrows a connection at the moment a call is made (a new one while below the cap, else
 * an idle one) and returns it when the statement ends, so calls made together each hold a
 * connection of their own: as many as the pool allows reach every connection there will be. (Not
 * through open transactions: the sync level may not change inside one.)
 */
async function configureEachConnection(driver: Client): Promise<void> {
  for (const pragma of CONNECTION_PRAGMAS) {
    await Promise.all(Array.from({ length: FILE_POOL_SIZE }, () => driver.execute(pragma)));
  }
}
