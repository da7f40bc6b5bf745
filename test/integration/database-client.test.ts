import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import type { Database } from '../../db/types';
import { tempDbPath } from '../support/app';
import { nextTurn } from '../support/wait';

let database: Database;
beforeAll(async () => {
  database = await createDb(`file:${tempDbPath('client')}`);
  await database.client.execute('create table t (x integer)');
});
afterAll(() => database.client.close());

const values = async () => (await database.client.execute('select x from t order by x')).rows.map((r) => Number(r.x));

describe('the embedded libSQL client', () => {
  it('queues writes behind an open write transaction instead of failing with SQLITE_BUSY', async () => {
    const tx = await database.client.transaction('write');
    await tx.execute('insert into t values (1)');
    // Reads do not wait: WAL shows them the last committed state.
    expect(await values()).toEqual([]);
    const order: string[] = [];
    const batch = database.client.batch(['insert into t values (2)'], 'write').then(() => order.push('batch'));
    const single = database.client.execute({ sql: 'insert into t values (?)', args: [3] }).then(() => order.push('execute'));
    await nextTurn(); // the queued writes had their chance to run: they wait on the lock, not on time
    order.push('commit');
    await tx.commit();
    tx.close();
    await Promise.all([batch, single]);
    expect(order).toEqual(['commit', 'batch', 'execute']);
    expect(await values()).toEqual([1, 2, 3]);
  });

  it('gives every pooled connection its settings, not just the first', async () => {
    // Each open transaction holds a connection of its own: four at once are the whole pool.
    const transactions = await Promise.all(Array.from({ length: 4 }, () => database.client.transaction('read')));
    try {
      const setting = (name: string) =>
        Promise.all(transactions.map(async (tx) => Number((await tx.execute(`pragma ${name}`)).rows[0]![0])));
      expect(await setting('busy_timeout')).toEqual([5000, 5000, 5000, 5000]);
    } finally {
      for (const tx of transactions) tx.close();
    }
  });

  it('lets the next writer in after a rollback or a failed batch', async () => {
    const tx = await database.client.transaction('write');
    await tx.execute('insert into t values (10)');
    await tx.rollback();
    tx.close();
    await expect(database.client.batch(['insert into t values (11)', 'insert into nowhere values (1)'], 'write')).rejects.toThrow();
    await database.client.execute('insert into t values (12)');
    expect(await values()).toEqual([1, 2, 3, 12]);
  });
});

describe('prepared writes (the ingest connection of the embedded file)', () => {
  const writes = () => database.preparedWrites!;

  it('answers rows by index and by column name, and counts what it wrote', async () => {
    const tx = await writes().transaction('write');
    try {
      const inserted = await tx.execute({ sql: 'insert into t select value from json_each(?)', args: ['[20, 21]'] });
      expect(inserted.rowsAffected).toBe(2);
      const rs = await tx.execute({ sql: 'select count(*) as n, max(x) as top from t where x >= ?', args: [20] });
      expect([rs.rows[0]![0], rs.rows[0]!.n, rs.rows[0]!.top]).toEqual([2, 2, 21]);
      expect(rs.columns).toEqual(['n', 'top']);
      // The same statement again, with other arguments: it is reused, not confused.
      const again = await tx.execute({ sql: 'select count(*) as n, max(x) as top from t where x >= ?', args: [21] });
      expect(again.rows[0]!.n).toBe(1);
    } finally {
      await tx.rollback();
    }
    expect(await values()).toEqual([1, 2, 3, 12]);
  });

  it('shares the write queue with the client: neither waits on SQLITE_BUSY, both keep arrival order', async () => {
    const tx = await writes().transaction('write');
    await tx.execute({ sql: 'insert into t values (?)', args: [30] });
    const order: string[] = [];
    const clientWrite = database.client.execute('insert into t values (31)').then(() => order.push('client'));
    const nextPrepared = writes()
      .transaction('write')
      .then(async (next) => {
        await next.execute({ sql: 'insert into t values (?)', args: [32] });
        await next.commit();
        order.push('prepared');
      });
    await nextTurn(); // the queued writes had their chance to run: they wait on the lock, not on time
    order.push('commit');
    await tx.commit();
    await Promise.all([clientWrite, nextPrepared]);
    expect(order).toEqual(['commit', 'client', 'prepared']);
    expect(await values()).toEqual([1, 2, 3, 12, 30, 31, 32]);
  });

  it('gives the lock back when a transaction is closed without a commit, and writes nothing', async () => {
    const tx = await writes().transaction('write');
    await tx.execute({ sql: 'insert into t values (?)', args: [40] });
    tx.close();
    await database.client.execute('insert into t values (41)');
    expect(await values()).toEqual([1, 2, 3, 12, 30, 31, 32, 41]);
  });

  it('is closed with the client', async () => {
    const other = await createDb(`file:${tempDbPath('client-close')}`);
    await other.client.execute('create table t (x integer)');
    const tx = await other.preparedWrites!.transaction('write');
    await tx.execute('insert into t values (1)');
    await tx.commit();
    other.client.close();
    await expect(other.preparedWrites!.transaction('write')).rejects.toThrow(/closed/);
  });
});

describe('single statements outside transactions (on the prepared reader and writer)', () => {
  const select = { sql: "select y, y * 2 as twice, null as empty, 'a' as y from u where y >= ? order by y", args: [1] };
  const plain = (row: Record<string | number, unknown> & { length: number }) => ({
    byIndex: Array.from({ length: row.length }, (_, i) => row[i]),
    byName: { ...row },
  });

  beforeAll(async () => {
    await database.client.execute('create table u (y integer)');
    await database.client.execute({ sql: 'insert into u select value from json_each(?)', args: ['[1, 2, 3]'] });
  });

  it('answers a read exactly as the pool does: columns, values by index and by name (first same-named column wins)', async () => {
    const direct = await database.client.execute(select);
    const tx = await database.client.transaction('read'); // a pooled connection
    const pooled = await tx.execute(select);
    tx.close();
    expect(direct.columns).toEqual(['y', 'twice', 'empty', 'y']);
    expect(direct.columns).toEqual(pooled.columns);
    expect(direct.rows.map(plain)).toEqual(pooled.rows.map(plain));
    expect(plain(direct.rows[0]!)).toEqual({ byIndex: [1, 2, null, 'a'], byName: { y: 1, twice: 2, empty: null } });
    const blob = (await database.client.execute("select x'0102ff' as b")).rows[0]!.b as ArrayBuffer;
    expect([...new Uint8Array(blob)]).toEqual([1, 2, 255]);
  });

  it('never shows an open write transaction’s rows, and shows them once committed', async () => {
    const count = async () => Number((await database.client.execute('select count(*) as n from u')).rows[0]!.n);
    const tx = await database.preparedWrites!.transaction('write');
    await tx.execute({ sql: 'insert into u values (?)', args: [4] });
    expect(await count()).toBe(3);
    await tx.commit();
    expect(await count()).toBe(4);
  });

  it('reports what a row write changed, and runs named arguments through the pool', async () => {
    const updated = await database.client.execute({ sql: 'update u set y = y + ? where y > ?', args: [10, 2] });
    expect(updated.rowsAffected).toBe(2);
    const inserted = await database.client.execute({ sql: 'insert into u values (:y)', args: { y: 50 } });
    expect(inserted.rowsAffected).toBe(1);
    const named = await database.client.execute({ sql: 'select y from u where y >= :from order by y', args: { from: 13 } });
    expect(named.rows.map((r) => r.y)).toEqual([13, 14, 50]);
    await expect(database.client.execute({ sql: 'insert into nowhere values (?)', args: [1] })).rejects.toThrow(/no such table/);
  });

  it('stays correct past the number of statements it keeps prepared', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 300; i++)
      answers.push(Number((await database.client.execute({ sql: `select ? + ${i} as n`, args: [1] })).rows[0]!.n));
    for (let i = 0; i < 300; i += 7)
      answers.push(Number((await database.client.execute({ sql: `select ? + ${i} as n`, args: [2] })).rows[0]!.n));
    expect(answers.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(answers.slice(300)).toEqual(Array.from({ length: 43 }, (_, k) => k * 7 + 2));
  });
});
