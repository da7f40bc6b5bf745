import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import type { Database } from '../../db/types';
import { tempDbPath } from '../support/app';

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
    await new Promise((resolve) => setTimeout(resolve, 20));
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
      const setting = (name: string) => Promise.all(transactions.map(async (tx) => Number((await tx.execute(`pragma ${name}`)).rows[0]![0])));
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
