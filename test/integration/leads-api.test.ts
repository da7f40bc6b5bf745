import type { InferRequestType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { leads } from '../../db/schema';
import { newId } from '../../workers/domain/ids';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { FUNNEL, fillAndPost, parseCsv, signInDemo } from '../support/landing';

let t: TestApp;
let owner: TestClient;
let workspaceId: string;

const GUIDE = `${FUNNEL}/guide`;
const BASE = Date.UTC(2026, 0, 1);

type LeadQuery = InferRequestType<TestClient['rpc']['api']['leads']['$get']>['query'];

/** 30 leads over 25 distinct times (five share one), to page through. */
const bulk = Array.from({ length: 30 }, (_, i) => ({
  email: `customer${String(i).padStart(2, '0')}@example.com`,
  name: i % 3 === 0 ? `Olivia Number${i}` : `Customer ${i}`,
  company: i % 5 === 0 ? 'Glow Labs' : null,
  createdAt: BASE + Math.min(i, 25) * 1000,
}));

async function capture(values: Record<string, string>) {
  // Each capture in its own rate-limit window: they all come from 127.0.0.1.
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.rateWindowMs);
  const { res } = await fillAndPost(t, t.client(), GUIDE, 'ebook', values);
  expect(res.status).toBe(303);
}

beforeAll(async () => {
  t = await createTestApp();
  ({ workspaceId } = await seedDemo(t.database, { clock: t.clock.now }));
  owner = await signInDemo(t.client());
  await t.database.db.insert(leads).values(
    bulk.map((l) => ({
      id: newId(l.createdAt),
      workspaceId,
      email: l.email,
      name: l.name,
      company: l.company,
      createdAt: l.createdAt,
      updatedAt: l.createdAt,
    })),
  );
  await capture({ name: 'Ava Smith', email: 'ava_smith@example.com', consent: 'yes' });
  await capture({ name: 'Ava Smith', email: 'AVA_SMITH@example.com' });
  await capture({ name: 'Percy', email: 'percy100%@example.com' });
});
afterAll(() => t.close());

async function page(query: LeadQuery) {
  const res = await owner.rpc.api.leads.$get({ query });
  expect(res.status).toBe(200);
  return await res.json();
}

describe('listing leads', () => {
  it('pages through every lead once, newest first, with a cursor', async () => {
    const seen: Awaited<ReturnType<typeof page>>['leads'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await page({ limit: '7', ...(cursor ? { cursor } : {}) });
      expect(body.leads.length).toBeLessThanOrEqual(7);
      seen.push(...body.leads);
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(5); // 32 leads (30 + Ava, who came twice, + Percy) in pages of 7
    expect(seen).toHaveLength(32);
    expect(new Set(seen.map((l) => l.id)).size).toBe(32);
    const order = seen.map((l) => [l.createdAt, l.id] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(order).toEqual(sorted);
    // The last page says so.
    expect(cursor).toBeNull();
  });

  it('answers a page that is exactly full without a cursor to an empty page', async () => {
    const all = await page({ limit: '32' });
    expect(all.leads).toHaveLength(32);
    expect(all.nextCursor).toBeNull();
  });

  it('searches by email, name and company, case-insensitively and with wildcards taken literally', async () => {
    const emails = async (q: string) => (await page({ q, limit: '200' })).leads.map((l) => l.email).sort();
    expect(await emails('CUSTOMER07')).toEqual(['customer07@example.com']);
    expect(await emails('olivia')).toEqual(
      bulk
        .filter((l) => l.name.startsWith('Olivia'))
        .map((l) => l.email)
        .sort(),
    );
    expect(await emails('glow labs')).toEqual(
      bulk
        .filter((l) => l.company)
        .map((l) => l.email)
        .sort(),
    );
    expect(await emails('ava smith')).toEqual(['ava_smith@example.com']);
    expect(await emails('ava_')).toEqual(['ava_smith@example.com']);
    expect(await emails('100%')).toEqual(['percy100%@example.com']);
    // "_" and "%" match only themselves, not any character.
    expect(await emails('customer_7')).toEqual([]);
    expect(await emails('r%e')).toEqual([]);

    // Search and paging together.
    const first = await page({ q: 'olivia', limit: '4' });
    expect(first.leads).toHaveLength(4);
    const rest = await page({ q: 'olivia', limit: '200', cursor: first.nextCursor! });
    expect(rest.leads.length + first.leads.length).toBe(bulk.filter((l) => l.name.startsWith('Olivia')).length);
    expect(rest.leads.every((l) => l.name!.startsWith('Olivia'))).toBe(true);
  });

  it('validates the query in the one error shape', async () => {
    for (const query of ['?limit=0', '?limit=201', '?limit=ten']) {
      const res = await owner.get(`/api/leads${query}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields).toEqual([expect.objectContaining({ path: 'limit' })]);
    }
    // A cursor we did not make is treated as no cursor rather than an error.
    expect((await page({ cursor: 'garbage', limit: '1' })).leads).toHaveLength(1);
  });

  it('requires a session', async () => {
    const res = await t.client().rpc.api.leads.$get({ query: {} });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });
});

describe('one lead', () => {
  it('shows the lead with its submissions and consent records', async () => {
    const [ava] = (await page({ q: 'ava_smith' })).leads;
    const res = await owner.rpc.api.leads[':id'].$get({ param: { id: ava!.id } });
    expect(res.status).toBe(200);
    const lead = await res.json();
    expect(lead).toMatchObject({ email: 'ava_smith@example.com', name: 'Ava Smith' });
    expect(lead.submissions).toHaveLength(2);
    expect(lead.submissions.every((s) => s.formId === 'ebook')).toBe(true);
    expect(lead.consents).toEqual([
      expect.objectContaining({ wording: expect.stringContaining('Demo Shop'), ipHash: expect.stringMatching(/^[0-9a-f]{32}$/) }),
    ]);
  });

  it('answers an unknown id with 404', async () => {
    const res = await owner.rpc.api.leads[':id'].$get({ param: { id: '01ABCDEFGHJKMNPQRSTVWXYZ00' } });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
  });
});

describe('submissions', () => {
  it('lists submissions with their lead, paged and searchable by email', async () => {
    const all = await (await owner.rpc.api.submissions.$get({ query: { limit: '2' } })).json();
    expect(all.submissions).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const next = await (await owner.rpc.api.submissions.$get({ query: { limit: '2', cursor: all.nextCursor! } })).json();
    expect(next.submissions).toHaveLength(1);
    expect(next.nextCursor).toBeNull();

    const search = async (q: string) =>
      (await (await owner.rpc.api.submissions.$get({ query: { q } })).json()).submissions.map((s) => s.leadEmail);
    expect(await search('ava_smith')).toEqual(['ava_smith@example.com', 'ava_smith@example.com']);
    expect(await search('PERCY100%')).toEqual(['percy100%@example.com']);
    expect(await search('ava%smith')).toEqual([]);
  });

  it('filters by funnel', async () => {
    const [funnel] = await t.database.db.all<{ id: string }>(sql`select id from funnels`);
    const mine = await (await owner.rpc.api.submissions.$get({ query: { funnel: funnel!.id } })).json();
    expect(mine.submissions).toHaveLength(3);
    const none = await (await owner.rpc.api.submissions.$get({ query: { funnel: 'nope' } })).json();
    expect(none.submissions).toEqual([]);
  });
});

describe('CSV export', () => {
  const dangerous = [
    "=cmd|' /C calc'!A0",
    '+1 555 0100',
    '-1+1',
    '@SUM(A1)',
    '\tTabbed',
    '\rCarriage',
    'Comma, Inc.',
    'Two\nlines',
    'Say "hi"',
  ];

  it('neutralises formula-leading cells and quotes commas, quotes and line breaks', async () => {
    await t.database.db.insert(leads).values(
      dangerous.map((name, i) => ({
        id: newId(BASE - 1000 - i),
        workspaceId,
        email: `csv${i}@example.com`,
        name,
        company: i === 0 ? '=HYPERLINK("http://evil.example")' : null,
        createdAt: BASE - 1000 - i,
        updatedAt: BASE,
      })),
    );
    // And one that came in through a real form.
    await capture({ name: '=IMPORTXML(A1)', email: 'formula@example.com' });

    const res = await owner.rpc.api.exports.leads.$get({ query: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const rows = parseCsv(text);
    const [header, ...body] = rows;
    expect(header).toEqual(['id', 'email', 'name', 'phone', 'company', 'quiz_outcome', 'score', 'fields', 'created_at', 'updated_at']);
    expect(body.every((r) => r.length === header!.length)).toBe(true);
    const byEmail = new Map(body.map((r) => [r[1], r]));

    const expected = [
      "'=cmd|' /C calc'!A0",
      "'+1 555 0100",
      "'-1+1",
      "'@SUM(A1)",
      "'\tTabbed",
      "'\rCarriage",
      'Comma, Inc.',
      'Two\nlines',
      'Say "hi"',
    ];
    expected.forEach((name, i) => expect(byEmail.get(`csv${i}@example.com`)![2], dangerous[i]).toBe(name));
    expect(byEmail.get('csv0@example.com')![4]).toBe('\'=HYPERLINK("http://evil.example")');
    expect(byEmail.get('formula@example.com')![2]).toBe("'=IMPORTXML(A1)");

    // The raw text: every dangerous cell starts with the apostrophe, the others are quoted.
    expect(text).toContain(',"\'\rCarriage",');
    expect(text).toContain(",'\tTabbed,");
    expect(text).toContain(',"Comma, Inc.",');
    expect(text).toContain(',"Two\nlines",');
    expect(text).toContain(',"Say ""hi""",');
    expect(text.endsWith('\r\n')).toBe(true);
    // Every lead of the workspace, and only those.
    expect(body).toHaveLength(32 + dangerous.length + 1);
  });

  it('exports only what the search matches', async () => {
    const rows = parseCsv(await (await owner.rpc.api.exports.leads.$get({ query: { q: 'glow' } })).text());
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(
      bulk
        .filter((l) => l.company)
        .map((l) => l.email)
        .sort(),
    );
  });

  it('exports nothing of another workspace', async () => {
    const stranger = t.client();
    await stranger.signup('csv-stranger@else.test');
    const rows = parseCsv(await (await stranger.rpc.api.exports.leads.$get({ query: {} })).text());
    expect(rows).toHaveLength(1); // the header only
  });
});
