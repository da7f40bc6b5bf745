/**
 * Drizzle on an open libSQL transaction: every query and batch runs inside it (so services written
 * against `Db` — qualification, deals, the webhook outbox — can take part in a caller's
 * transaction), and nothing commits until the caller commits. Works for both runtimes' clients
 * (embedded file and HTTP).
 *
 * Inside the transaction `batch` runs its statements one after another: it is no longer atomic on
 * its own; the enclosing transaction (or a savepoint) is.
 */
import type { InStatement, Transaction } from '@libsql/client';
import type { Client } from '@libsql/client/web';
// The web entry only wraps a client it is given: it opens no connection and loads no native driver.
import { drizzle } from 'drizzle-orm/libsql/web';
import type { Db } from './types';

export function transactionDb(tx: Pick<Transaction, 'execute' | 'batch'>): Db {
  const client = {
    execute: (stmt: InStatement) => tx.execute(stmt),
    batch: (stmts: InStatement[]) => tx.batch(stmts),
  };
  // Without the schema: building drizzle's relational config costs more than a short transaction's
  // statements, and the query builders need none. So `db.query.*` is not available here.
  return drizzle({ client: client as unknown as Client }) as unknown as Db;
}
