import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { startWorker, type WorkerHarness } from '../support/worker';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
  await seedDemo(w.database, { clock: Date.now /* the Worker runs on the real clock */ });
});
afterAll(() => w?.close());

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tracking in workerd: page view and beacon → queue → consumer → libSQL', () => {
  it('records the page view and the beacon’s events through the queue, once each', async () => {
    const page = await w.fetch('/p/cosmetics-set/offer?utm_source=newsletter', { headers: { 'user-agent': UA } });
    expect(page.status).toBe(200);
    await page.text();
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('lf_vid='))!.split(';')[0]!;
    const visitor = cookie.split('=')[1]!;

    const events = [
      { id: 'edge-engaged-0000000001', type: 'engaged', at: Date.now(), path: '/p/cosmetics-set/offer' },
      { id: 'edge-checkout-000000001', type: 'checkout_start', at: Date.now(), path: '/p/cosmetics-set/offer' },
    ];
    const send = () =>
      w.fetch('/e', { method: 'POST', cookie, headers: { 'content-type': 'application/json', 'user-agent': UA, 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ events }) });
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(202); // a retried beacon: the consumer stores it once

    const stored = await waitFor(
      () => w.database.db.all<{ type: string }>(sql`select type from events where visitor_id = ${visitor} order by type`),
      (rows) => rows.length >= 3,
    );
    await new Promise((r) => setTimeout(r, 1_500)); // let the duplicate delivery land too
    const again = await w.database.db.all<{ type: string }>(sql`select type from events where visitor_id = ${visitor} order by type`);
    expect(stored.map((r) => r.type)).toEqual(['checkout_start', 'engaged', 'page_view']);
    expect(again).toEqual(stored);
    const [progress] = await w.database.db.all<{ furthest_stage: number; source: string }>(sql`select furthest_stage, source from visitor_stages where visitor_id = ${visitor}`);
    expect(progress).toEqual({ furthest_stage: 3, source: 'newsletter' });
  });

  it('refuses a malformed beacon with the JSON error shape', async () => {
    const res = await w.fetch('/e', { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': UA }, body: '{"events":[{"type":"nope"}]}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', status: 400 } });
  });
});
