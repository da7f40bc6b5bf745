import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema>;

/** A database handle as both runtimes build it: drizzle for queries, the raw client for batches and health checks. */
export interface Database {
  db: Db;
  client: Client;
}
