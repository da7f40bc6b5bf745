/**
 * One writer at a time, inside this process. The embedded libSQL driver is synchronous and keeps a
 * pool of connections: while ingest's write transaction is open between two awaits, a write on
 * another connection (a capture, a deal move) fails with SQLITE_BUSY at once — and a busy timeout
 * would only freeze the event loop, since the transaction cannot finish while the thread waits.
 * So writes queue here instead, in arrival order; reads (`select …`, read batches and
 * transactions) never wait, as WAL lets them run beside a write.
 */
import type { Client, InArgs, InStatement, Transaction, TransactionMode } from '@libsql/client';
import { hasPositionalArgs, type PreparedConnection } from './prepared-statements';

type Release = () => void;
/** Resolves, in call order, once every earlier holder has released. */
export type WriteLock = () => Promise<Release>;

export function createWriteLock(): WriteLock {
  let tail: Promise<void> = Promise.resolve();
  return async (): Promise<Release> => {
    let release!: Release;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
}

const sqlOf = (stmt: InStatement) => (typeof stmt === 'string' ? stmt : stmt.sql);
const isRead = (stmt: InStatement) => /^\s*select\b/i.test(sqlOf(stmt));
/** A single-statement write with no connection state of its own (unlike a pragma or DDL). */
const isRowWrite = (stmt: InStatement) => /^\s*(insert|update|delete|replace)\b/i.test(sqlOf(stmt));

/** The transaction gives the lock back however it ends: commit, rollback or close. */
export function releasingOnEnd<T extends Pick<Transaction, 'commit' | 'rollback' | 'close'>>(tx: T, release: Release): T {
  return new Proxy(tx, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'commit' || prop === 'rollback') {
        return async () => {
          try {
            return await (value as () => Promise<void>).call(target);
          } finally {
            release();
          }
        };
      }
      if (prop === 'close') {
        return () => {
          try {
            (value as () => void).call(target);
          } finally {
            release();
          }
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

/** Connections with kept statements that single statements outside transactions run on (prepared-statements.ts). */
export interface PreparedRoutes {
  /** Reads: never inside a write transaction, so it always shows the last commit, as the pool's do. */
  reads: PreparedConnection;
  /** Row writes, under the lock; the connection prepared-writes.ts opens its transactions on. */
  writes: PreparedConnection;
}

/**
 * `lock` is shared with any other writer of the same file in this process (prepared-writes.ts);
 * `onClose` runs when the client is closed. With `prepared`, single statements skip the pool's
 * prepare-every-call: the hot path of a capture is a handful of reads and a rate-limit upsert.
 */
export function serializeWrites(
  client: Client,
  lock: WriteLock = createWriteLock(),
  onClose?: () => void,
  prepared?: PreparedRoutes,
): Client {
  const locked = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      switch (prop) {
        case 'execute':
          return (sqlOrStmt: InStatement, args?: InArgs) => {
            const stmt: InStatement = args === undefined ? sqlOrStmt : { sql: sqlOf(sqlOrStmt), args };
            const viaPool = () => target.execute(stmt);
            const onPrepared = prepared !== undefined && hasPositionalArgs(stmt);
            if (isRead(stmt)) return onPrepared ? (async () => prepared.reads.execute(stmt))() : viaPool();
            if (onPrepared && isRowWrite(stmt)) return locked(async () => prepared.writes.execute(stmt));
            return locked(viaPool);
          };
        case 'batch':
          return (stmts: Array<InStatement | string>, mode?: TransactionMode) =>
            mode === 'read' ? target.batch(stmts, mode) : locked(() => target.batch(stmts, mode));
        case 'migrate':
          return (stmts: InStatement[]) => locked(() => target.migrate(stmts));
        case 'executeMultiple':
          return (sql: string) => locked(() => target.executeMultiple(sql));
        case 'close':
          return () => {
            try {
              target.close();
            } finally {
              onClose?.();
            }
          };
        case 'transaction':
          return async (mode: TransactionMode = 'write') => {
            if (mode === 'read') return target.transaction(mode);
            const release = await lock();
            try {
              return releasingOnEnd(await target.transaction(mode), release);
            } catch (err) {
              release();
              throw err;
            }
          };
        default:
          return (value as (...args: unknown[]) => unknown).bind(target);
      }
    },
  });
}
