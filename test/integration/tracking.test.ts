import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { formBody, formOf } from '../support/landing';

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let t: TestApp;
let owner: TestClient;
let funnelId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  funnelId = ((await (await owner.get('/api/funnels')).json()) as { funnels: Array<{ id: string }> }).funnels[0]!.id;
});
afterAll(() => t.close());

const rows = <T>(query: ReturnType<typeof sql>) => t.database.db.all<T>(query);
const count = async (query: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(query))[0]!.n);
let seq = 0;
const eventId = () => `evt${String(++seq).padStart(16, '0')}`;

async function visit(client: TestClient, path: string, headers: Record<string, string> = {}) {
  const res = await client.get(path, { 'user-agent': BROWSER_UA, ...headers });
  expect(res.status).toBe(200);
  const html = await res.text();
  await t.deps.events.flush();
  return html;
}

function beacon(client: TestClient, events: unknown[], headers: Record<string, string> = {}) {
  return client.request('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify({ events }),
  });
}

describe('server-side page views', () => {
  it('sets a first-party visitor cookie and records the view with its UTM touch as awareness', async () => {
    const client = t.client();
    await visit(client, '/p/cosmetics-set?utm_source=instagram&utm_medium=social&utm_campaign=spring');
    const visitor = client.cookies.get('lf_vid');
    expect(visitor).toMatch(/^v[A-Za-z0-9_-]{15,}$/);
    expect(client.lastSetCookie.find((c) => c.startsWith('lf_vid='))).toMatch(/HttpOnly/);
    const [stage] = await rows<{ furthest_stage: number; source: string; medium: string; campaign: string }>(
      sql`select furthest_stage, source, medium, campaign from visitor_stages where visitor_id = ${visitor}`,
    );
    expect(stage).toEqual({ furthest_stage: 0, source: 'instagram', medium: 'social', campaign: 'spring' });
    // A return visit keeps the same visitor.
    await visit(client, '/p/cosmetics-set/offer');
    expect(client.cookies.get('lf_vid')).toBe(visitor);
    expect(await count(sql`select count(*) as n from events where visitor_id = ${visitor} and type = 'page_view'`)).toBe(2);
    // Ids are time-ordered, so a later first visit sorts after (its rows go to the end of the indexes).
    t.clock.advance(1_000);
    const later = t.client();
    await visit(later, '/p/cosmetics-set');
    expect(later.cookies.get('lf_vid')! > visitor!).toBe(true);
  });

  it('does not count bots or prefetches', async () => {
    const before = await count(sql`select count(*) as n from events`);
    const bot = t.client();
    await bot.get('/p/cosmetics-set', { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await bot.get('/p/cosmetics-set', { 'user-agent': BROWSER_UA, 'sec-purpose': 'prefetch' });
    await t.deps.events.flush();
    expect(bot.cookies.has('lf_vid')).toBe(false);
    expect(await count(sql`select count(*) as n from events`)).toBe(before);
  });
});

describe('POST /e beacon', () => {
  it('accepts engagement events, advances the stage, and stores a retried event once', async () => {
    const client = t.client();
    await visit(client, '/p/cosmetics-set/offer');
    const visitor = client.cookies.get('lf_vid')!;
    const events = [
      { id: eventId(), type: 'engaged', at: t.clock.now(), path: '/p/cosmetics-set/offer' },
      { id: eventId(), type: 'offer_view', at: t.clock.now(), path: '/p/cosmetics-set/offer' },
    ];
    const res = await beacon(client, events);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2 });
    expect((await beacon(client, events)).status).toBe(202); // the outbox retried it
    await t.deps.events.flush();
    expect(await count(sql`select count(*) as n from events where visitor_id = ${visitor} and type in ('engaged','offer_view')`)).toBe(2);
    const [stage] = await rows<{ furthest_stage: number }>(sql`select furthest_stage from visitor_stages where visitor_id = ${visitor}`);
    expect(stage!.furthest_stage).toBe(3); // desire
  });

  it('refuses bad batches whole, with clear 4xx errors and nothing stored', async () => {
    const client = t.client();
    await visit(client, '/p/cosmetics-set');
    const before = await count(sql`select count(*) as n from events`);
    const ok = { id: eventId(), type: 'engaged', at: t.clock.now(), path: '/p/cosmetics-set' };
    const cases: Array<[string, Response, number]> = [
      [
        'malformed',
        await client.request('/e', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[' }),
        400,
      ],
      ['unknown type', await beacon(client, [ok, { ...ok, id: eventId(), type: 'purchase' }]), 400],
      [
        'too many',
        await beacon(
          client,
          Array.from({ length: 51 }, () => ({ ...ok, id: eventId() })),
        ),
        400,
      ],
      ['future', await beacon(client, [ok, { ...ok, id: eventId(), at: t.clock.now() + 60 * 60 * 1000 }]), 400],
      ['too old', await beacon(client, [{ ...ok, id: eventId(), at: t.clock.now() - 3 * 24 * 60 * 60 * 1000 }]), 400],
      ['unknown page', await beacon(client, [ok, { ...ok, id: eventId(), path: '/p/nope' }]), 400],
      ['bad id', await beacon(client, [{ ...ok, id: 'x' }]), 400],
      [
        'oversized',
        await beacon(client, [
          { ...ok, props: { big: 'x'.repeat(200) } },
          ...Array.from({ length: 49 }, () => ({ ...ok, id: eventId(), path: `/p/cosmetics-set/${'a'.repeat(280)}` })),
        ]),
        413,
      ],
      ['cross-site', await beacon(client, [ok], { 'sec-fetch-site': 'cross-site' }), 403],
    ];
    for (const [label, res, status] of cases) {
      expect(res.status, label).toBe(status);
      await errorOf(res);
    }
    await t.deps.events.flush();
    expect(await count(sql`select count(*) as n from events`)).toBe(before);
  });
});

describe('privacy settings', () => {
  it('honours Global Privacy Control when the workspace says so, and counts cookieless visitors without a cookie', async () => {
    const settings = await owner.request('/api/workspace/settings', {
      method: 'PATCH',
      json: { honorPrivacySignals: true, cookieless: true },
    });
    expect(settings.status).toBe(200);
    const before = await count(sql`select count(*) as n from events where type = 'page_view'`);
    const gpc = t.client();
    await visit(gpc, '/p/cosmetics-set/guide', { 'sec-gpc': '1' });
    expect(await count(sql`select count(*) as n from events where type = 'page_view'`)).toBe(before);

    const anonymous = t.client();
    const html = await visit(anonymous, '/p/cosmetics-set/guide');
    expect(anonymous.cookies.has('lf_vid')).toBe(false);
    expect(html).toContain('data-lf-cookieless');
    expect(await count(sql`select count(*) as n from events where type = 'page_view'`)).toBe(before + 1);
    // The daily id starts with its day, so one day's visitors sit together in the indexes.
    const [{ visitor_id: cookieless }] = (await rows<{ visitor_id: string }>(
      sql`select visitor_id from events where type = 'page_view' order by rowid desc limit 1`,
    )) as [{ visitor_id: string }];
    const day = new Date(t.clock.now()).toISOString().slice(0, 10).replaceAll('-', '');
    expect(cookieless).toMatch(new RegExp(`^c${day}[0-9a-f]{24}$`));
    await owner.request('/api/workspace/settings', { method: 'PATCH', json: { honorPrivacySignals: false, cookieless: false } });
  });
});

describe('funnel report API', () => {
  it('reports the stages from the rollups, scoped to the workspace', async () => {
    const day = new Date(t.clock.now()).toISOString().slice(0, 10);
    const res = await owner.get(`/api/funnels/${funnelId}/report?from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      stages: Array<{ stage: string; visitors: number }>;
      sections: Record<string, number>;
      bySource: Array<{ source: string }>;
    };
    expect(report.stages.map((s) => s.stage)).toEqual(['awareness', 'interest', 'evaluation', 'desire', 'sale', 'retention']);
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    const awareness = await count(
      sql`select count(*) as n from visitor_stages where funnel_id = ${funnelId} and awareness_at >= ${dayStart} and awareness_at < ${dayStart + 86_400_000}`,
    );
    expect(report.stages[0]!.visitors).toBe(awareness);
    expect(report.stages[3]!.visitors).toBeGreaterThanOrEqual(1);
    expect(
      report.bySource.map((s) => s.source),
      JSON.stringify(report.bySource),
    ).toContain('instagram');

    const stranger = t.client();
    await stranger.signup('stranger@report.test');
    expect((await stranger.get(`/api/funnels/${funnelId}/report`)).status).toBe(404);
    expect((await owner.get(`/api/funnels/${funnelId}/report?from=2026-12-01&to=2026-11-01`)).status).toBe(400);
    expect((await owner.get(`/api/funnels/${funnelId}/report?from=yesterday`)).status).toBe(400);
  });
});

describe('tracking on a custom domain', () => {
  it('records page views and beacons for a funnel served on its own host', async () => {
    expect(
      (await owner.request(`/api/funnels/${funnelId}`, { method: 'PATCH', json: { customDomain: 'beauty.example.com' } })).status,
    ).toBe(200);
    const client = t.client('http://beauty.example.com');
    await visit(client, '/offer');
    const visitor = client.cookies.get('lf_vid')!;
    expect(visitor).toBeTruthy();
    const res = await beacon(client, [{ id: eventId(), type: 'offer_view', at: t.clock.now(), path: '/offer' }]);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });
    await t.deps.events.flush();
    expect(await count(sql`select count(*) as n from events where visitor_id = ${visitor}`)).toBe(2);
    await owner.request(`/api/funnels/${funnelId}`, { method: 'PATCH', json: { customDomain: null } });
  });
});

describe('per-funnel stage rules', () => {
  it('lets a funnel count views of its offer page as desire, and validates the rules', async () => {
    const bad = await owner.request(`/api/funnels/${funnelId}`, {
      method: 'PATCH',
      json: { settings: { stages: { pages: { offer: 'wishlist' } } } },
    });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields![0]!.path).toMatch(/^settings\.stages\.pages/);
    const ok = await owner.request(`/api/funnels/${funnelId}`, {
      method: 'PATCH',
      json: { settings: { stages: { pages: { offer: 'desire' } } } },
    });
    expect(ok.status).toBe(200);
    const client = t.client();
    await visit(client, '/p/cosmetics-set/offer');
    const [stage] = await rows<{ furthest_stage: number }>(
      sql`select furthest_stage from visitor_stages where visitor_id = ${client.cookies.get('lf_vid')!}`,
    );
    expect(stage!.furthest_stage).toBe(3); // desire, from a page view alone
    await owner.request(`/api/funnels/${funnelId}`, { method: 'PATCH', json: { settings: { stages: {} } } });
  });
});

describe('a capture after a UTM-tagged visit', () => {
  it('gives the lead the first touch and its source at once, and the deal the capture made that source too, in one transaction', async () => {
    const client = t.client();
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs);
    const form = formOf(await visit(client, '/p/cosmetics-set/quiz?utm_source=instagram&utm_medium=social'), 'skin-quiz');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const answers = { q_midday: 'shiny', q_pores: 'everywhere', q_breakouts: 'often', q_shine: 'daily', q_products: 'cleanser' };
    const init = formBody({ _block: form.block, _token: form.token, website: '', ...answers, email: 'tagged@example.com' });
    const headers = { ...(init.headers as Record<string, string>), 'user-agent': BROWSER_UA };
    expect((await client.request('/p/cosmetics-set/quiz', { ...init, headers })).status).toBe(303);
    // Nothing was left for ingest (whose after-batch work would qualify the lead a second time): the
    // submission's funnel event was stored with it, before the redirect.
    expect((t.deps.events as unknown as { buffered: number }).buffered).toBe(0);
    const [event] = await rows<{ id: string; type: string }>(
      sql`select id, type from events where visitor_id = ${client.cookies.get('lf_vid')!} and type <> 'page_view'`,
    );
    expect(event).toMatchObject({ id: expect.stringMatching(/^sub_/), type: 'form_submit' });
    const [lead] = await rows<{ id: string; source: string; first_touch: string }>(
      sql`select id, source, first_touch from leads where email = 'tagged@example.com'`,
    );
    expect(lead!.source).toBe('instagram');
    expect(JSON.parse(lead!.first_touch)).toMatchObject({ source: 'instagram', medium: 'social' });
    // The high-score quiz qualified the lead (a demo deal) after the touch was attached: the deal is filed under the same source.
    expect(await rows<{ source: string }>(sql`select source from deals where lead_id = ${lead!.id}`)).toEqual([{ source: 'instagram' }]);
  });
});
