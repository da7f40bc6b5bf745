/**
 * Group commit for units of work that must each be committed before their caller is answered
 * (a capture, a server event), on the embedded file: work that arrives while a transaction is
 * running joins it, each unit in a savepoint of its own, and one commit — one fsync — ends them
 * all. Every caller's promise settles only after that commit, so a resolved unit is on disk.
 *
 * A unit that throws is rolled back to its savepoint and rejected with its error; the others are
 * unaffected. If the commit itself fails, every unit of the transaction is rejected. Units run one
 * after another (SQLite has one writer), so each sees the writes of the units before it.
 *
 * Remote databases (Turso over HTTP) have no such runner: there each unit is a transaction of its
 * own (see `runInWriteTransaction`).
 */
import type { Client, Transaction } from '@libsql/client';

/** What a unit of work may do in the transaction: statements and batches of them, never end it. */
export type UnitTransaction = Pick<Transaction, 'execute' | 'batch'>;

/** Where the runner opens its transactions: @libsql/client's Client, or prepared-writes.ts's connection. */
export interface WriteTransactionSource {
  transaction(mode: 'write'): Promise<UnitTransaction & Pick<Transaction, 'commit' | 'rollback' | 'close'>>;
}

export interface TransactionRunner {
  /** Runs `work` inside a write transaction and resolves with its result once that is committed. */
  run<T>(work: (tx: UnitTransaction) => Promise<T>): Promise<T>;
}

interface Unit {
  work: (tx: UnitTransaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Units per commit: bounds how long one transaction holds the write lock (other writers, event
 * ingest among them, queue behind it) while still sharing the commit under load.
 */
const MAX_UNITS_PER_COMMIT = 16;

export function groupedTransactions(client: WriteTransactionSource, maxUnits = MAX_UNITS_PER_COMMIT): TransactionRunner {
  const queue: Unit[] = [];
  let draining = false;

  const drain = async () => {
    draining = true;
    try {
      while (queue.length) await commitSome();
    } finally {
      draining = false;
    }
  };

  const commitSome = async () => {
    let tx: Awaited<ReturnType<WriteTransactionSource['transaction']>>;
    try {
      tx = await client.transaction('write');
    } catch (err) {
      for (const unit of queue.splice(0)) unit.reject(err);
      return;
    }
    const done: Array<{ unit: Unit; value: unknown }> = [];
    try {
      for (let n = 0; n < maxUnits && queue.length; n++) {
        const unit = queue.shift()!;
        await tx.execute('savepoint unit');
        let value: unknown;
        try {
          value = await unit.work(tx);
        } catch (err) {
          unit.reject(err);
          // Undone alone; if even that fails, the transaction is lost and the whole group with it.
          await tx.execute('rollback to unit');
          await tx.execute('release unit');
          continue;
        }
        await tx.execute('release unit');
        done.push({ unit, value });
      }
      await tx.commit();
    } catch (err) {
      await tx.rollback().catch(() => {});
      for (const { unit } of done) unit.reject(err);
      return;
    } finally {
      tx.close();
    }
    for (const { unit, value } of done) unit.resolve(value);
  };

  return {
    run<T>(work: (tx: UnitTransaction) => Promise<T>) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}

/** One write transaction for `work`, committed before this resolves (databases without a grouped runner). */
export async function runInWriteTransaction<T>(client: Pick<Client, 'transaction'>, work: (tx: UnitTransaction) => Promise<T>): Promise<T> {
  const tx = await client.transaction('write');
  try {
    const value = await work(tx);
    await tx.commit();
    return value;
  } catch (err) {
    await tx.rollback().catch(() => {});
    throw err;
  } finally {
    tx.close();
  }
}
