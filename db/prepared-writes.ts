/**
 * Write transactions on a prepared connection of their own (prepared-statements.ts), for the
 * embedded file's hottest writers: event ingest, which runs the same few statements every batch,
 * each bound to a JSON text of up to 250 rows, and group-committed captures.
 *
 * These transactions take the process's write lock (serialized-writes.ts) like any other write.
 */
import type { ResultSet, Transaction } from '@libsql/client';
import type { PreparedConnection } from './prepared-statements';
import { releasingOnEnd, type WriteLock } from './serialized-writes';

/** What a bulk writer needs of a database: a write transaction. @libsql/client's Client is one. */
export interface WriteTransactions {
  transaction(mode: 'write'): Promise<WriteTransaction>;
}
export type WriteTransaction = Pick<Transaction, 'execute' | 'batch' | 'commit' | 'rollback' | 'close'>;

export function preparedWrites(connection: PreparedConnection, lock: WriteLock): WriteTransactions & { close(): void } {
  return {
    async transaction() {
      const release = await lock();
      try {
        connection.exec('BEGIN IMMEDIATE');
      } catch (err) {
        release();
        throw err;
      }
      const end = (sql: 'COMMIT' | 'ROLLBACK') => {
        if (connection.inTransaction) connection.exec(sql);
      };
      const execute: WriteTransaction['execute'] = async (stmt) => connection.execute(stmt);
      const tx: WriteTransaction = {
        execute,
        // Inside the transaction a batch is its statements in order (atomic with the transaction).
        batch: async (stmts) => {
          const results: ResultSet[] = [];
          for (const stmt of stmts) results.push(connection.execute(stmt));
          return results;
        },
        commit: async () => end('COMMIT'),
        rollback: async () => end('ROLLBACK'),
        // Closing without a commit gives the transaction up, as @libsql/client's does.
        close: () => end('ROLLBACK'),
      };
      return releasingOnEnd(tx, release);
    },
    close: () => connection.close(),
  };
}
