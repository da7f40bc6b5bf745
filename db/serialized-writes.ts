/**
 * One writer at a time, inside this process. The embedded libSQL driver is synchronous and keeps a
 * pool of connections: while ingest's write transaction is open between two awaits, a write on
 * another connection (a capture, a deal move) fails with SQLITE_BUSY at once — and a busy timeout
 * would only freeze the event loop, since the transaction cannot finish while the thread waits.
 * So writes queue here instead, in arrival order; reads (`select …`, read batches and
 * transactions) never wait, as WAL lets them run beside a write.
 */
import type { Client, InStatement, Transaction, TransactionMode } from '@libsql/client';

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

const isRead = (stmt: InStatement | string) => /^\s*select\b/i.test(typeof stmt === 'string' ? stmt : stmt.sql);

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

/**
 * `lock` is shared with any other writer of the same file in this process (prepared-writes.ts);
 * `onClose` runs when the client is closed.
 */
export function serializeWrites(client: Client, lock: WriteLock = createWriteLock(), onClose?: () => void): Client {
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
          return (stmt: InStatement | string, args?: unknown) => {
            const run = () => (target.execute as (s: unknown, a?: unknown) => ReturnType<Client['execute']>)(stmt, args);
            return isRead(stmt) ? run() : locked(run);
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
