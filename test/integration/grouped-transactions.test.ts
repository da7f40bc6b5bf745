import type { TransactionMode } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupedTransactions } from '../../db/grouped-transactions';
import { freshDatabase } from '../support/app';

let database: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  database = await freshDatabase('grouped');
  await database.client.execute('create table items (name text primary key)');
});
afterAll(() => database.client.close());

const names = async () => (await database.client.execute('select name from items order by name')).rows.map((r) => String(r.name));

describe('grouped write transactions (group commit for captures)', () => {
  it('commits concurrent units together, rolls back a failing one alone, and settles each only once committed', async () => {
    let transactions = 0;
    const runner = groupedTransactions({
      transaction: (mode?: TransactionMode) => {
        transactions++;
        return database.client.transaction(mode);
      },
    });
    const insert = (name: string) =>
      runner.run(async (tx) => {
        await tx.execute({ sql: 'insert into items (name) values (?)', args: [name] });
        return name;
      });
    const failing = runner.run(async (tx) => {
      await tx.execute("insert into items (name) values ('half-done')");
      throw new Error('this unit fails');
    });
    const [a, b, c] = await Promise.all([
      // Resolved means committed: another connection (a plain read) already sees the row.
      insert('a').then(async (name) => ({ name, visible: (await names()).includes(name) })),
      insert('b'),
      insert('c'),
      expect(failing).rejects.toThrow('this unit fails'),
    ]);
    expect([a, b, c]).toEqual([{ name: 'a', visible: true }, 'b', 'c']);
    expect(await names()).toEqual(['a', 'b', 'c']);
    expect(transactions).toBe(1); // one commit for all four

    // A unit that breaks a constraint is undone alone too; later units get a transaction of their own.
    const [duplicate, d] = await Promise.allSettled([insert('a'), insert('d')]);
    expect(duplicate.status).toBe('rejected');
    expect(d).toEqual({ status: 'fulfilled', value: 'd' });
    expect(await names()).toEqual(['a', 'b', 'c', 'd']);
    expect(transactions).toBe(2);
  });
});
