import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { publishLeadFormFunnel } from '../support/fixtures';

const SHOP = 'https://shop.example.com';
let t: TestApp;
let owner: TestClient;
let formId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  const { pageId } = await publishLeadFormFunnel(owner);
  formId = `${pageId}.signup`;
  expect((await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [SHOP] } })).status).toBe(200);
});
afterAll(() => t.close());

async function definition(origin = SHOP) {
  const res = await t.client().get(`/embed/forms/${formId}`, { origin });
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as { token: string; fields: Array<{ name: string }>; consent: { text: string } } };
}

function post(body: unknown, origin = SHOP) {
  return t.client().request(`/embed/forms/${formId}`, {
    method: 'POST',
    headers: { origin, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const leadCount = async () => Number((await t.database.db.all<{ n: number }>(sql`select count(*) as n from leads`))[0]!.n);

describe('embeddable form', () => {
  it('serves the embed script', async () => {
    const res = await t.client().get('/embed.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const js = await res.text();
    expect(js).toContain('attachShadow');
    expect(js).toContain('/embed/forms/');
  });

  it('describes the form with a fresh token and CORS for allowed origins only', async () => {
    const { res, body } = await definition();
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(body.fields.map((f) => f.name)).toEqual(['email', 'name', 'source']);
    expect(body.consent.text).toContain('Email me offers');
    const other = await t.client().get(`/embed/forms/${formId}`, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await t.client().get('/embed/forms/nope.signup')).status).toBe(404);
  });

  it('answers the CORS preflight for allowed origins and refuses others', async () => {
    const ok = await t.client().request(`/embed/forms/${formId}`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    const no = await t.client().request(`/embed/forms/${formId}`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(no.status).toBe(403);
  });

  it('refuses posts from origins the workspace did not allow, storing nothing', async () => {
    const { body } = await definition();
    t.clock.advance(5_000);
    const res = await post({ token: body.token, values: { email: 'x@example.com', consent: 'yes' } }, 'https://evil.example');
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('origin_not_allowed');
    expect(await leadCount()).toBe(0);
  });

  it('validates against the form definition with the one error shape', async () => {
    const { body } = await definition();
    t.clock.advance(5_000);
    const res = await post({ token: body.token, values: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['consent', 'email']);
    expect(await leadCount()).toBe(0);
    const malformed = await post({ values: 'nope' });
    expect(malformed.status).toBe(400);
  });

  it('stores the lead with consent from an allowed origin, once per token', async () => {
    const { body } = await definition();
    t.clock.advance(5_000);
    const payload = { token: body.token, values: { email: 'Embed@Example.com', name: 'Ivy', source: 'shopify', consent: 'yes' } };
    const first = await post(payload);
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect((await post(payload)).status).toBe(201); // retried: same result, stored once
    const leads = await t.database.db.all<{ email: string; name: string; fields: string }>(sql`select email, name, fields from leads`);
    expect(leads).toEqual([{ email: 'embed@example.com', name: 'Ivy', fields: JSON.stringify({ source: 'shopify' }) }]);
    const subs = await t.database.db.all<{ n: number }>(sql`select count(*) as n from form_submissions`);
    expect(Number(subs[0]!.n)).toBe(1);
    const consent = await t.database.db.all<{ wording: string }>(sql`select wording from consent_records`);
    expect(consent).toEqual([{ wording: 'Email me offers from Demo Shop. I can unsubscribe at any time.' }]);
  });
});
