import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { startWorker, type WorkerHarness } from '../support/worker';
import { waitFor } from '../support/wait';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
  await seedDemo(w.database, { clock: w.now /* the Worker's clock */ });
});
afterAll(() => w?.close());

describe('tracking in workerd: page view and beacon → queue → consumer → libSQL', () => {
  it('records the page view and the beacon’s events through the queue, once each', async () => {
    const page = await w.fetch('/p/cosmetics-set/offer?utm_source=newsletter', { headers: { 'user-agent': UA } });
    expect(page.status).toBe(200);
    await page.text();
    const cookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('lf_vid='))!
      .split(';')[0]!;
    const visitor = cookie.split('=')[1]!;

    const events = [
      { id: 'edge-engaged-0000000001', type: 'engaged', at: w.now(), path: '/p/cosmetics-set/offer' },
      { id: 'edge-checkout-000000001', type: 'checkout_start', at: w.now(), path: '/p/cosmetics-set/offer' },
    ];
    const send = (batch: typeof events) =>
      w.fetch('/e', {
        method: 'POST',
        cookie,
        headers: { 'content-type': 'application/json', 'user-agent': UA, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ events: batch }),
      });
    expect((await send(events)).status).toBe(202);
    expect((await send(events)).status).toBe(202); // a retried beacon: the consumer stores it once
    // The queue hands batches to the consumer in order, one at a time: once a later beacon's event
    // is stored, the retried one has been consumed too.
    const marker = { id: 'edge-marker-00000000001', type: 'cta_click', at: w.now(), path: '/p/cosmetics-set/offer' };
    expect((await send([marker])).status).toBe(202);

    const stored = await waitFor(
      () => w.database.db.all<{ id: string; type: string }>(sql`select id, type from events where visitor_id = ${visitor} order by type`),
      (rows) => rows.some((r) => r.id === marker.id) && rows.some((r) => r.type === 'page_view'),
      { what: 'the page view and the later beacon to be stored' },
    );
    expect(stored.filter((r) => r.id !== marker.id).map((r) => r.type)).toEqual(['checkout_start', 'engaged', 'page_view']);
    const [progress] = await w.database.db.all<{ furthest_stage: number; source: string }>(
      sql`select furthest_stage, source from visitor_stages where visitor_id = ${visitor}`,
    );
    expect(progress).toEqual({ furthest_stage: 3, source: 'newsletter' });
  });

  it('refuses a malformed beacon with the JSON error shape', async () => {
    const res = await w.fetch('/e', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': UA },
      body: '{"events":[{"type":"nope"}]}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', status: 400 } });
  });
});
