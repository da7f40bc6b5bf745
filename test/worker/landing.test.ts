import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { servedEarlier, startWorker, BRIDGE_URL, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
  await seedDemo(w.database, { clock: w.now /* the Worker's clock */ });
});
afterAll(() => w?.close());

const dbRequests = () => w.outbound.filter((u) => u.startsWith(BRIDGE_URL)).length;
const field = (html: string, name: string) =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html)?.[1];

describe('landing pages from the Worker bundle', () => {
  it('serves a published page, then serves it again from the Cache API without the database', async () => {
    const first = await w.fetch('/p/cosmetics-set');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await first.text();
    expect(html).toContain('<!doctype html>');
    expect(html).not.toContain('__LF_SUBMISSION_TOKEN__');

    const before = dbRequests();
    const again = await w.fetch('/p/cosmetics-set');
    expect(again.status).toBe(200);
    const html2 = await again.text();
    expect(dbRequests()).toBe(before);
    expect(field(html2, '_token')).not.toBe(field(html, '_token'));
  });

  it('answers 404 for unknown pages', async () => {
    expect((await w.fetch('/p/cosmetics-set/nope')).status).toBe(404);
  });

  it('captures a lead through the ebook gate and delivers the file from static assets', async () => {
    const page = await (await w.fetch('/p/cosmetics-set/guide')).text();
    const token = await servedEarlier(field(page, '_token')!); // past the minimum fill time
    const block = field(page, '_block')!;
    expect(token).toBeTruthy();
    const res = await w.fetch('/p/cosmetics-set/guide', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ _token: token, _block: block, email: 'edge-reader@example.com', consent: 'yes' }).toString(),
    });
    expect(res.status).toBe(303);
    const rows = await w.database.db.all<{ email: string }>(sql`select email from leads`);
    expect(rows).toEqual([{ email: 'edge-reader@example.com' }]);

    const result = await (await w.fetch(res.headers.get('location')!)).text();
    const link = /href="(\/d\/[^"]+)"/.exec(result)?.[1];
    expect(link).toBeTruthy();
    const file = await w.fetch(link!.replace(/&amp;/g, '&'));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await file.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
  });

  it('serves the embed script', async () => {
    const res = await w.fetch('/embed.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('attachShadow');
  });
});
