import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { TransactionRunner } from './grouped-transactions';
import type { WriteTransactions } from './prepared-writes';
import type * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema>;

/** A database handle as both runtimes build it: drizzle for queries, the raw client for batches and health checks. */
export interface Database {
  db: Db;
  client: Client;
  /**
   * The embedded file only: write transactions whose statements stay prepared (prepared-writes.ts),
   * for event ingest. Use `ingestTarget(database)`.
   */
  preparedWrites?: WriteTransactions;
  /**
   * The embedded file only: write transactions shared by concurrent units of work, each committed
   * before it resolves (grouped-transactions.ts), for captures.
   */
  groupedWrites?: TransactionRunner;
}

/** Where bulk event writes go: the prepared writer where there is one, else the client. */
export const ingestTarget = (database: Database): WriteTransactions => database.preparedWrites ?? database.client;
