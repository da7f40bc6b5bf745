/**
 * Write transactions on a connection of their own whose statements stay prepared, for the
 * embedded file's hottest writer: event ingest, which runs the same few statements every batch,
 * each bound to a JSON text of up to 250 rows (tens of KB; a batch's events alone are ~200 KB).
 *
 * Through @libsql/client every execute prepares a new native statement. The new statement copies
 * its bound text into fresh memory, which is only given back when V8 collects the statement, so
 * each batch wrote its JSON into never-touched pages (a page fault per 4 KB) and prepared every
 * statement again. A statement kept here reuses its binding's buffer from batch to batch.
 *
 * These transactions take the process's write lock (serialized-writes.ts) like any other write.
 */
import type { InStatement, ResultSet, Row, Transaction } from '@libsql/client';
import Libsql from 'libsql';
import { releasingOnEnd, type WriteLock } from './serialized-writes';

/** What a bulk writer needs of a database: a write transaction. @libsql/client's Client is one. */
export interface WriteTransactions {
  transaction(mode: 'write'): Promise<WriteTransaction>;
}
export type WriteTransaction = Pick<Transaction, 'execute' | 'batch' | 'commit' | 'rollback' | 'close'>;

/** Distinct statement texts kept prepared; past this the cache starts over (ingest uses about ten). */
const MAX_STATEMENTS = 64;

interface Prepared {
  statement: Libsql.Statement;
  /** Column names, for statements that return rows. */
  columns: string[] | null;
}

export function preparedWrites(path: string, lock: WriteLock, pragmas: string[]): WriteTransactions & { close(): void } {
  let connection: Libsql.Database | undefined;
  let closed = false;
  const statements = new Map<string, Prepared>();

  const open = (): Libsql.Database => {
    if (closed) throw new Error('The database is closed');
    if (!connection) {
      connection = new Libsql(path);
      for (const pragma of pragmas) connection.exec(pragma);
    }
    return connection;
  };

  const prepared = (db: Libsql.Database, sql: string): Prepared => {
    let entry = statements.get(sql);
    if (!entry) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      const statement = db.prepare(sql);
      const columns = statement.reader ? statement.columns().map((c) => c.name) : null;
      if (columns) statement.raw(true);
      statements.set(sql, (entry = { statement, columns }));
    }
    return entry;
  };

  const execute = async (stmt: InStatement | string): Promise<ResultSet> => {
    const db = open();
    const { sql, args = [] } = typeof stmt === 'string' ? { sql: stmt } : stmt;
    if (!Array.isArray(args)) throw new TypeError('Prepared writes take positional arguments only');
    const values = args.map(toSqlValue);
    const { statement, columns } = prepared(db, sql);
    if (!columns) {
      const info = statement.run(values);
      return resultSet([], [], info.changes, BigInt(info.lastInsertRowid));
    }
    const rows = (statement.all(values) as unknown[][]).map((row) => asRow(row, columns));
    return resultSet(columns, rows, 0, undefined);
  };

  return {
    async transaction() {
      const release = await lock();
      try {
        open().exec('BEGIN IMMEDIATE');
      } catch (err) {
        release();
        throw err;
      }
      const db = connection!;
      const end = (sql: 'COMMIT' | 'ROLLBACK') => {
        if (db.inTransaction) db.exec(sql);
      };
      const tx: WriteTransaction = {
        execute,
        // Inside the transaction a batch is its statements in order (atomic with the transaction).
        batch: async (stmts) => {
          const results: ResultSet[] = [];
          for (const stmt of stmts) results.push(await execute(stmt));
          return results;
        },
        commit: async () => end('COMMIT'),
        rollback: async () => end('ROLLBACK'),
        // Closing without a commit gives the transaction up, as @libsql/client's does.
        close: () => end('ROLLBACK'),
      };
      return releasingOnEnd(tx, release);
    },
    close() {
      closed = true;
      statements.clear();
      connection?.close();
      connection = undefined;
    },
  };
}

/** Binds what @libsql/client binds: booleans as 0/1, dates as epoch ms, array buffers as bytes. */
function toSqlValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value === undefined) throw new TypeError('undefined cannot be bound to a statement');
  return value;
}

/**
 * A row as @libsql/client gives it: values by index (with a hidden `length`), and by column name,
 * the first of two same-named columns winning; blobs as ArrayBuffer.
 */
function asRow(values: unknown[], columns: string[]): Row {
  const row = {} as Row;
  Object.defineProperty(row, 'length', { value: values.length });
  values.forEach((raw, i) => {
    const value = Buffer.isBuffer(raw) ? raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) : raw;
    Object.defineProperty(row, i, { value });
    const name = columns[i]!;
    if (!Object.hasOwn(row, name)) Object.defineProperty(row, name, { value, enumerable: true, configurable: true, writable: true });
  });
  return row;
}

function resultSet(columns: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes: columns.map(() => ''),
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, rows, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() }),
  };
}
