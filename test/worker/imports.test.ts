/**
 * The spreadsheet import and export in workerd: the import's single batch goes to libSQL over
 * HTTP (the raw client, not drizzle's builder), and the export reads it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { parseCsv } from '../../workers/domain/csv';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let cookie: string;
beforeAll(async () => {
  w = await startWorker();
  ({ cookie } = await signUpOnWorker(w, { email: 'sheets@example.com', name: 'Sheets', workspaceName: 'Sheet Shop' }));
});
afterAll(() => w?.close());

describe('spreadsheets in the Worker bundle', () => {
  it('imports deals from text/csv in one batch over HTTP and exports them again', async () => {
    const created = await w.fetch('/api/pipelines', {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Demo B2C e-commerce pipeline - 1', template: 'b2c' }),
    });
    expect(created.status).toBe(201);
    const csv =
      'Deal name,Amount,Stage,Email,Lost reason\r\nCosmetics set - Ava Smith,$250,Lead generation,ava@example.com,\r\nLost one,10,Closed lost,,Unsubscribed\r\n';
    const res = await w.fetch('/api/imports/deals', { method: 'POST', cookie, headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ valid: true, counts: { deals: 2, leadsCreated: 1, leadsLinked: 0 } });

    const rows = await w.database.db.all<{ name: string; value_minor: number; moved_by: string }>(
      sql`select d.name, d.value_minor, h.moved_by from deals d join deal_stage_history h on h.deal_id = d.id order by d.name`,
    );
    expect(rows).toEqual([
      { name: 'Cosmetics set - Ava Smith', value_minor: 25000, moved_by: 'import' },
      { name: 'Lost one', value_minor: 1000, moved_by: 'import' },
    ]);

    const exported = await w.fetch('/api/exports/deals', { cookie });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('cache-control')).toBe('no-store');
    const records = parseCsv(await exported.text()).records;
    expect(records.slice(1).map((r) => [r[0], r[2], r[3], r[5], r[11]])).toEqual([
      ['Cosmetics set - Ava Smith', 'Lead generation', '250.00', 'ava@example.com', ''],
      ['Lost one', 'Closed lost', '10.00', '', 'Unsubscribed'],
    ]);
  });
});
