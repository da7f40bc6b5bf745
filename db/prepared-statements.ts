/**
 * A connection to the embedded file whose statements stay prepared: the statement text is parsed
 * and planned once, then bound and stepped on every later call.
 *
 * Through @libsql/client every execute prepares a new native statement (~0.1 ms, plus reading its
 * columns). The new statement also copies its bound text into fresh memory, only given back when V8
 * collects the statement, so ingest's JSON batches (tens of KB each) kept writing into
 * never-touched pages. A kept statement reuses its binding's buffer.
 *
 * Rows and result sets come back as @libsql/client gives them, so drizzle and raw callers cannot
 * tell the two apart. Positional arguments only (drizzle binds positionally).
 */
import type { InStatement, ResultSet, Row } from '@libsql/client';
import Libsql from 'libsql';

/** Distinct statement texts kept per connection, least recently used dropped first. */
const MAX_STATEMENTS = 256;

export interface PreparedConnection {
  /** Runs one statement in the connection's current transaction (autocommit outside one). */
  execute(stmt: InStatement): ResultSet;
  /** Runs SQL without preparing it for reuse: BEGIN, COMMIT, savepoints, pragmas. */
  exec(sql: string): void;
  readonly inTransaction: boolean;
  close(): void;
}

interface Prepared {
  statement: Libsql.Statement;
  /** Column names, for statements that return rows. */
  columns: string[] | null;
}

/** Whether a statement can run on a prepared connection: no arguments, or positional ones. */
export const hasPositionalArgs = (stmt: InStatement): boolean =>
  typeof stmt === 'string' || stmt.args === undefined || Array.isArray(stmt.args);

export function preparedConnection(path: string, pragmas: string[]): PreparedConnection {
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

  const prepared = (sql: string): Prepared => {
    let entry = statements.get(sql);
    if (entry) {
      // Most recently used last, so the first key is the one to drop.
      statements.delete(sql);
      statements.set(sql, entry);
      return entry;
    }
    const statement = open().prepare(sql);
    const columns = statement.reader ? statement.columns().map((c) => c.name) : null;
    if (columns) statement.raw(true);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
    statements.set(sql, (entry = { statement, columns }));
    return entry;
  };

  return {
    execute(stmt) {
      const { sql, args = [] } = typeof stmt === 'string' ? { sql: stmt } : stmt;
      if (!Array.isArray(args)) throw new TypeError('Prepared statements take positional arguments only');
      const values = args.map(toSqlValue);
      const { statement, columns } = prepared(sql);
      if (!columns) {
        const info = statement.run(values);
        return resultSet([], [], info.changes, BigInt(info.lastInsertRowid));
      }
      // `all` steps to the end, which also ends the statement's implicit read transaction.
      const rows = (statement.all(values) as unknown[][]).map((row) => asRow(row, columns));
      return resultSet(columns, rows, 0, undefined);
    },
    exec(sql) {
      open().exec(sql);
    },
    get inTransaction() {
      return connection?.inTransaction ?? false;
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
