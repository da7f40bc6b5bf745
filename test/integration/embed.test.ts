import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { publishLeadFormFunnel } from '../support/fixtures';
import { formBody, formOf } from '../support/landing';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';

const SHOP = 'https://shop.example.com';
let t: TestApp;
let owner: TestClient;
let formId: string;
let funnelId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  const published = await publishLeadFormFunnel(owner);
  funnelId = published.funnelId;
  formId = `${published.pageId}.signup`;
  expect((await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [SHOP] } })).status).toBe(200);
});
afterAll(() => t.close());

async function definition(origin = SHOP) {
  const res = await t.client().get(`/embed/forms/${formId}`, { origin });
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as { token: string; fields: Array<{ name: string }>; consent: { text: string } } };
}

function post(body: unknown, origin = SHOP, headers: Record<string, string> = {}) {
  return t.client().request(`/embed/forms/${formId}`, {
    method: 'POST',
    headers: { origin, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', ...headers },
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
    const ok = await t
      .client()
      .request(`/embed/forms/${formId}`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
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

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** The funnel report's visitors per stage for today. */
async function reportStages(): Promise<Record<string, number>> {
  const day = new Date(t.clock.now()).toISOString().slice(0, 10);
  const res = await owner.get(`/api/funnels/${funnelId}/report?from=${day}&to=${day}`);
  expect(res.status).toBe(200);
  const report = (await res.json()) as { stages: Array<{ stage: string; visitors: number }> };
  return Object.fromEntries(report.stages.map((s) => [s.stage, s.visitors]));
}

const visitorsOf = (email: string) =>
  t.database.db.all<{ id: string; furthest_stage: number | null; evaluation_at: number | null }>(sql`
    select v.id, s.furthest_stage, s.evaluation_at from visitors v
    join leads l on l.id = v.lead_id
    left join visitor_stages s on s.visitor_id = v.id and s.funnel_id = ${funnelId}
    where l.email = ${email}`);

describe('an embedded submission in the funnel', () => {
  it('links its visitor and moves the funnel report as a submission on the landing page does, stored before the answer', async () => {
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs); // a fresh rate-limit window for this address
    const start = await reportStages();

    // On the landing page: the page view gives the visitor a cookie; the submission links it.
    const browser = t.client();
    const page = await browser.get('/p/spring/join', { 'user-agent': BROWSER_UA });
    expect(page.status).toBe(200);
    const form = formOf(await page.text(), 'signup');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const init = formBody({ _block: form.block, _token: form.token, website: '', email: 'page@example.com', consent: 'yes' });
    const landed = await browser.request('/p/spring/join', {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'user-agent': BROWSER_UA },
    });
    expect(landed.status).toBe(303);
    expect(await visitorsOf('page@example.com')).toEqual([
      { id: browser.cookies.get('lf_vid'), furthest_stage: 2, evaluation_at: t.clock.now() },
    ]);
    await t.deps.events.flush(); // the page view (acknowledged before it is stored, unlike the capture)
    const afterLanding = await reportStages();
    expect(afterLanding.evaluation).toBe(start.evaluation! + 1);

    // Embedded on the shop: no cookie reaches us, so the lead gets a visitor of its own; same stage, same report.
    const { body } = await definition();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const payload = { token: body.token, values: { email: 'shop@example.com', consent: 'yes' } };
    const embedded = await post(payload, SHOP, { 'user-agent': BROWSER_UA });
    expect(embedded.status).toBe(201);
    const [visitor, ...others] = await visitorsOf('shop@example.com');
    expect(others).toEqual([]);
    expect(visitor).toMatchObject({ furthest_stage: 2, evaluation_at: t.clock.now() });
    const events = await t.database.db.all<{ type: string; funnel_id: string }>(
      sql`select type, funnel_id from events where visitor_id = ${visitor!.id}`,
    );
    expect(events).toEqual([{ type: 'form_submit', funnel_id: funnelId }]);
    const afterEmbed = await reportStages();
    expect(afterEmbed.evaluation).toBe(afterLanding.evaluation! + 1);

    // A retried post (same token) is the same submission: nothing moves.
    expect((await post(payload, SHOP, { 'user-agent': BROWSER_UA })).status).toBe(201);
    expect(await reportStages()).toEqual(afterEmbed);
    expect(await visitorsOf('shop@example.com')).toHaveLength(1);
  });
});
