/**
 * Funnels from templates in workerd: the whole funnel is one batch to libSQL over HTTP (as with
 * Turso), published pages are served from it, and a taken slug leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { TEMPLATES_FILE } from '../../workers/app-bundle';
import { signUpOnWorker, startWorker, WORKER_BUNDLE, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let cookie: string;
beforeAll(async () => {
  w = await startWorker();
  ({ cookie } = await signUpOnWorker(w, { email: 'gallery@example.com', name: 'Gale', workspaceName: 'Gallery' }));
});
afterAll(() => w?.close());

const create = (templateId: string, body: Record<string, unknown>) =>
  w.fetch(`/api/templates/${templateId}/funnels`, {
    method: 'POST',
    cookie,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const count = async (table: string) =>
  Number((await w.database.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${table}`)))[0]!.n);

describe('templates in the Worker bundle', () => {
  it('lists the gallery and renders a thumbnail with the landing CSP', async () => {
    const list = (await (await w.fetch('/api/templates', { cookie })).json()) as { templates: Array<{ id: string; thumbnailUrl: string }> };
    expect(list.templates.length).toBeGreaterThanOrEqual(6);
    const thumbnail = await w.fetch(list.templates[0]!.thumbnailUrl, { cookie });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await thumbnail.text()).toContain('<!doctype html>');
  });

  it('creates and publishes a funnel in one batch over HTTP, then serves its pages', async () => {
    const res = await create('waitlist', { name: 'Quillnote', slug: 'edge-waitlist', publish: true });
    expect(res.status).toBe(201);
    const page = await w.fetch('/p/edge-waitlist');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Meeting notes that write the follow-up for you</h1>');
    expect((await w.fetch('/p/edge-waitlist/priority')).status).toBe(200);
  });

  it('reads the templates from its static assets, not from its script, and never serves that file', async () => {
    const headline = 'Meeting notes that write the follow-up for you';
    const detail = await (await w.fetch('/api/templates/waitlist', { cookie })).text();
    expect(detail).toContain(headline);
    expect(readFileSync(WORKER_BUNDLE, 'utf8')).not.toContain(headline);
    expect((await w.fetch(`/${TEMPLATES_FILE}`)).status).toBe(404);
  });

  it('answers 409 on a taken slug and leaves nothing behind, not even the pipeline it would have added', async () => {
    const before = await Promise.all(['funnels', 'funnel_pages', 'pipelines', 'qualification_rules'].map(count));
    // The workspace has a B2B pipeline now (from the waitlist), but no B2C one: this batch would add one.
    const res = await create('product-upsell', { name: 'Daypack', slug: 'edge-waitlist' });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; fields: Array<{ path: string }> } };
    expect(body.error.code).toBe('already_exists');
    expect(body.error.fields.map((f) => f.path)).toEqual(['slug']);
    expect(await Promise.all(['funnels', 'funnel_pages', 'pipelines', 'qualification_rules'].map(count))).toEqual(before);
  });
});
