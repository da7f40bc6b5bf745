/**
 * The leads table (`GET /api/leads`, `/api/leads/export.csv`, `/api/leads/facets`) against a
 * seeded set of 6,000 leads, every answer compared with the same filter and sort computed here.
 * The set is big enough for each way a page is read: walking the sort order (many matches), the
 * filter index (≤ 1,000), the trigram search (≤ 5,000) and a search walked by LIKE (more).
 */
import type { InferRequestType } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNNEL_STAGES, type FunnelStage } from '../../workers/domain/stages';
import { newId } from '../../workers/domain/ids';
import { parseCsv } from '../../workers/domain/csv';
import type { LeadListItem } from '../../workers/contract';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { prng } from '../support/prng';

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let stranger: TestClient;
let workspaceId: string;
let funnelA: string;
let funnelB: string;

type Query = NonNullable<InferRequestType<TestClient['rpc']['api']['leads']['$get']>['query']>;

interface Seeded {
  id: string;
  email: string;
  name: string | null;
  company: string | null;
  score: number;
  funnelId: string | null;
  stage: number | null;
  qualifiedAt: number | null;
  source: string;
  createdAt: number;
  lastActivityAt: number | null;
}

const DAY = 24 * 60 * 60 * 1000;
const BASE = Date.UTC(2026, 0, 1);
const COUNT = 6_000;
const FIRST = ['Ava', 'Liam', 'Mia', 'Noah', 'Emma', 'Olivia', 'Zoë', 'Kai'];
const LAST = ['Smith', 'Garcia', 'Chen', 'Patel', 'Novak'];
const COMPANIES = ['Glow Labs', 'Acme_Co', 'Percent 100% Ltd', null, null, null, null, null];
const SOURCES = ['google', 'instagram', 'newsletter', ''];
let seeded: Seeded[] = [];

function generate(funnels: Array<string | null>): Seeded[] {
  const rand = prng(12);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  let createdAt = BASE;
  return Array.from({ length: COUNT }, (_, i) => {
    // Every seventh lead shares its predecessor's time: ties are broken by id.
    if (i % 7 !== 0) createdAt += 1 + Math.floor(rand() * 2 * 60 * 60 * 1000);
    const first = pick(FIRST);
    const last = pick(LAST);
    const domain = rand() < 0.15 ? 'glow.test' : 'example.com';
    return {
      id: newId(createdAt),
      email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@${domain}`,
      name: rand() < 0.1 ? null : `${first} ${last}`,
      company: pick(COMPANIES),
      score: Math.floor(rand() * 60),
      funnelId: pick(funnels),
      stage: rand() < 0.15 ? null : Math.floor(rand() * rand() * 6),
      qualifiedAt: rand() < 0.3 ? createdAt + 1000 : null,
      source: pick(SOURCES),
      createdAt,
      lastActivityAt: rand() < 0.3 ? null : createdAt + Math.floor(rand() * 40 * DAY),
    };
  });
}

async function insert(rows: Seeded[], ws: string) {
  for (let i = 0; i < rows.length; i += 500) {
    await t.database.client.batch(
      rows.slice(i, i + 500).map((l) => ({
        sql: `insert into leads (id, workspace_id, email, name, company, score, source_funnel_id, furthest_stage, qualified_at, source,
                first_touch, last_activity_at, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          l.id,
          ws,
          l.email,
          l.name,
          l.company,
          l.score,
          l.funnelId,
          l.stage,
          l.qualifiedAt,
          l.source,
          JSON.stringify(l.source ? { source: l.source, medium: 'cpc', campaign: 'spring' } : {}),
          l.lastActivityAt,
          l.createdAt,
          l.createdAt,
        ],
      })),
      'write',
    );
  }
}

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({ workspaceId } = await owner.signup('owner.table@example.com'));
  funnelA = (await (await owner.rpc.api.funnels.$post({ json: { name: 'Ebook', slug: 'table-ebook' } })).json()).id;
  funnelB = (await (await owner.rpc.api.funnels.$post({ json: { name: 'Quiz', slug: 'table-quiz' } })).json()).id;
  seeded = generate([funnelA, funnelA, funnelB, null]);
  await insert(seeded, workspaceId);
  const { token } = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } })).json();
  viewer = t.client();
  await viewer.signup('viewer.table@example.com', 'correct horse battery', 'Vic', { inviteToken: token });
  stranger = t.client();
  const other = await stranger.signup('stranger.table@example.com');
  // The stranger's leads share names and addresses with ours: neither list nor search may mix them.
  await insert(
    generate([null])
      .slice(0, 300)
      .map((l) => ({ ...l, id: newId(l.createdAt) })),
    other.workspaceId,
  );
});
afterAll(() => t.close());

// ── The same rules, computed here ───────────────────────────────────────────

const STAGE = Object.fromEntries(FUNNEL_STAGES.map((s, i) => [s, i])) as Record<FunnelStage, number>;
const dayStart = (d: string) => Date.parse(`${d}T00:00:00Z`);
const activity = (l: Seeded) => l.lastActivityAt ?? l.createdAt;

function expected(query: Query): Seeded[] {
  const q = (query.q as string | undefined)?.toLowerCase();
  const rows = seeded.filter(
    (l) =>
      (!q || [l.email, l.name ?? '', l.company ?? ''].some((text) => text.toLowerCase().includes(q))) &&
      (!query.funnel || l.funnelId === query.funnel) &&
      (!query.stage || l.stage === STAGE[query.stage as FunnelStage]) &&
      (!query.reached || (l.stage !== null && l.stage >= STAGE[query.reached as FunnelStage])) &&
      (!query.qualified || (query.qualified === 'yes') === (l.qualifiedAt !== null)) &&
      (query.source === undefined || l.source === (query.source === '(none)' ? '' : query.source)) &&
      (!query.from || l.createdAt >= dayStart(query.from as string)) &&
      (!query.to || l.createdAt < dayStart(query.to as string) + DAY),
  );
  const sort = (query.sort ?? 'created') as string;
  const key = (l: Seeded): number | string =>
    sort === 'email' ? l.email : sort === 'score' ? l.score : sort === 'activity' ? activity(l) : l.createdAt;
  const sign = query.dir === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return sign * (ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** Every page of the list, following the cursor; checks the total on the first. */
async function everyPage(client: TestClient, query: Query, limit: number) {
  const rows: LeadListItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total: number | null = null;
  do {
    const res = await client.rpc.api.leads.$get({ query: { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) } });
    expect(res.status).toBe(200);
    const page = await res.json();
    if (pages === 0) total = page.total;
    else expect(page.total).toBeNull();
    expect(page.leads.length).toBeLessThanOrEqual(limit);
    rows.push(...page.leads);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { rows, total, pages };
}

async function expectListed(query: Query, limit = 200) {
  const want = expected(query);
  const { rows, total, pages } = await everyPage(owner, query, limit);
  expect(
    rows.map((r) => r.id),
    JSON.stringify(query),
  ).toEqual(want.map((l) => l.id));
  expect(total).toBe(want.length);
  expect(pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
  return want;
}

describe('the leads table', () => {
  it('lists every lead once in each sort and direction, page by page', async () => {
    for (const sort of ['created', 'activity', 'score', 'email'] as const) {
      for (const dir of ['desc', 'asc'] as const) await expectListed({ sort, dir }, 200);
    }
  });

  it('sends each row in the table’s shape', async () => {
    const [row] = (await (await owner.rpc.api.leads.$get({ query: { sort: 'score', dir: 'desc', funnel: funnelA, limit: '1' } })).json())
      .leads;
    const lead = expected({ sort: 'score', dir: 'desc', funnel: funnelA })[0]!;
    expect(row).toEqual({
      id: lead.id,
      email: lead.email,
      name: lead.name,
      phone: null,
      company: lead.company,
      score: lead.score,
      quizOutcome: null,
      funnel: { id: funnelA, name: 'Ebook' },
      furthestStage: lead.stage === null ? null : FUNNEL_STAGES[lead.stage],
      qualifiedAt: lead.qualifiedAt,
      source: lead.source,
      medium: lead.source ? 'cpc' : null,
      campaign: lead.source ? 'spring' : null,
      createdAt: lead.createdAt,
      updatedAt: lead.createdAt,
      lastActivityAt: activity(lead),
    });
  });

  it('filters by funnel, stage, stage reached, qualification, source and creation day, alone and together', async () => {
    const month = (m: number) => `2026-${String(m).padStart(2, '0')}-01`;
    const queries: Query[] = [
      { funnel: funnelA },
      { funnel: funnelB, sort: 'score', dir: 'asc' },
      { stage: 'evaluation' },
      { stage: 'retention', sort: 'activity' },
      { reached: 'desire', sort: 'email', dir: 'asc' },
      { qualified: 'yes' },
      { qualified: 'no', sort: 'activity', dir: 'asc' },
      { source: 'google' },
      { source: '(none)', sort: 'score' },
      { from: month(3), to: '2026-03-31' },
      { from: month(4) },
      { to: month(2), sort: 'email' },
      { funnel: funnelA, qualified: 'yes', stage: 'sale', sort: 'score', dir: 'asc' },
      { funnel: funnelB, reached: 'interest', source: 'newsletter', from: month(2), to: month(6), sort: 'activity' },
      { funnel: 'not-a-funnel' },
    ];
    for (const query of queries) {
      const want = await expectListed(query, 150);
      // The filters cover both ways a page is read: the few by the filter index, the many by the sort order.
      if (query.funnel === 'not-a-funnel') expect(want).toEqual([]);
    }
    expect(expected({ funnel: funnelA, qualified: 'yes', stage: 'sale' }).length).toBeLessThan(1_000);
    expect(expected({ qualified: 'yes' }).length).toBeGreaterThan(1_000);
  });

  it('searches email, name and company, case-insensitively, with % and _ taken literally', async () => {
    const queries: Query[] = [
      { q: 'glow' }, // the trigram index: a few thousand matches
      { q: 'example', sort: 'score' }, // more than 5,000: the sort order walked with LIKE
      { q: 'ZOË', sort: 'email', dir: 'asc' },
      { q: 'acme_co' },
      { q: 'acme%co' },
      { q: '100%' },
      { q: 'mi' }, // under three characters: LIKE
      { q: 'mia.chen1', funnel: funnelA, sort: 'activity' },
      { q: 'glow labs', qualified: 'yes', sort: 'score', dir: 'asc' },
      { q: 'nobody-is-called-this' },
    ];
    for (const query of queries) await expectListed(query, 200);
    expect(expected({ q: 'acme%co' })).toEqual([]);
    expect(expected({ q: 'glow' }).length).toBeLessThan(5_000);
    expect(expected({ q: 'example' }).length).toBeGreaterThan(5_000);
  });

  it('keeps the search in step with edits: a renamed lead is found by its new name only', async () => {
    const lead = seeded.find((l) => l.name !== null)!;
    await t.database.client.execute({ sql: `update leads set name = 'Quinn Rename' where id = ?`, args: [lead.id] });
    const found = async (q: string) => (await (await owner.rpc.api.leads.$get({ query: { q } })).json()).leads.map((l) => l.id);
    expect(await found('quinn rename')).toEqual([lead.id]);
    await t.database.client.execute({ sql: `update leads set name = ? where id = ?`, args: [lead.name, lead.id] });
    expect(await found('quinn rename')).toEqual([]);
  });

  it('starts again at the first page for a cursor it did not make or made for another sort', async () => {
    const first = await (await owner.rpc.api.leads.$get({ query: { limit: '5', sort: 'score' } })).json();
    const other = await (await owner.rpc.api.leads.$get({ query: { limit: '5', sort: 'email', cursor: first.nextCursor! } })).json();
    expect(other.leads.map((l) => l.id)).toEqual(
      expected({ sort: 'email' })
        .slice(0, 5)
        .map((l) => l.id),
    );
    expect(other.total).toBe(COUNT);
    const garbage = await (await owner.rpc.api.leads.$get({ query: { limit: '5', cursor: 'not-a-cursor' } })).json();
    expect(garbage.leads).toHaveLength(5);
  });

  it('validates the query in the one error shape', async () => {
    for (const [query, path] of [
      ['stage=lead', 'stage'],
      ['sort=name', 'sort'],
      ['dir=up', 'dir'],
      ['qualified=maybe', 'qualified'],
      ['from=2026-13-01', 'from'],
      ['limit=0', 'limit'],
    ] as const) {
      const res = await owner.get(`/api/leads?${query}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields).toEqual([expect.objectContaining({ path })]);
    }
    const period = await owner.rpc.api.leads.$get({ query: { from: '2026-05-02', to: '2026-05-01' } });
    expect(period.status).toBe(400);
    expect((await errorOf(period)).code).toBe('invalid_period');
  });
});

describe('the CSV export', () => {
  it('holds exactly the filtered list, in its order, with formula cells neutralised', async () => {
    for (const query of [
      { qualified: 'yes', sort: 'activity' },
      { q: 'glow', funnel: funnelB, sort: 'email', dir: 'asc' },
      { funnel: funnelA, qualified: 'yes', stage: 'sale' },
      { q: 'nobody-is-called-this' },
    ] satisfies Query[]) {
      const res = await owner.rpc.api.leads['export.csv'].$get({ query });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
      const { records } = parseCsv(await res.text());
      const [header, ...rows] = records.filter((r) => r.length > 1 || r[0] !== '');
      expect(header).toEqual([
        'id',
        'email',
        'name',
        'phone',
        'company',
        'funnel',
        'furthest_stage',
        'qualified_at',
        'score',
        'quiz_outcome',
        'source',
        'medium',
        'campaign',
        'created_at',
        'last_activity_at',
      ]);
      const want = expected(query);
      expect(rows.map((r) => r[0])).toEqual(want.map((l) => l.id));
      const listed = (await everyPage(owner, query, 200)).rows;
      expect(rows).toEqual(
        listed.map((l) => [
          l.id,
          l.email,
          l.name ?? '',
          '',
          l.company ?? '',
          l.funnel?.name ?? '',
          l.furthestStage ?? '',
          l.qualifiedAt === null ? '' : new Date(l.qualifiedAt).toISOString(),
          String(l.score),
          '',
          l.source,
          l.medium ?? '',
          l.campaign ?? '',
          new Date(l.createdAt).toISOString(),
          new Date(l.lastActivityAt).toISOString(),
        ]),
      );
    }
  });

  it('neutralises cells a spreadsheet would run', async () => {
    const id = newId(BASE - DAY);
    await t.database.client.execute({
      sql: `insert into leads (id, workspace_id, email, name, company, created_at, updated_at) values (?, ?, 'formula@example.net', '=HYPERLINK("x")', '@SUM(A1)', ?, ?)`,
      args: [id, workspaceId, BASE - DAY, BASE - DAY],
    });
    const text = await (await owner.rpc.api.leads['export.csv'].$get({ query: { q: 'formula@example.net' } })).text();
    expect(text).toContain(`${id},formula@example.net,"'=HYPERLINK(""x"")",,'@SUM(A1),`);
    await t.database.client.execute({ sql: 'delete from leads where id = ?', args: [id] });
  });
});

describe('facets, scope and roles', () => {
  it('counts what each filter can be set to', async () => {
    const facets = await (await owner.rpc.api.leads.facets.$get()).json();
    const count = (f: (l: Seeded) => boolean) => seeded.filter(f).length;
    expect(facets.total).toBe(COUNT);
    expect(facets.funnels).toEqual(
      expect.arrayContaining([
        { id: funnelA, name: 'Ebook', leads: count((l) => l.funnelId === funnelA) },
        { id: funnelB, name: 'Quiz', leads: count((l) => l.funnelId === funnelB) },
        { id: null, name: null, leads: count((l) => l.funnelId === null) },
      ]),
    );
    expect(facets.stages).toEqual([
      { stage: null, leads: count((l) => l.stage === null) },
      ...FUNNEL_STAGES.map((stage, i) => ({ stage, leads: count((l) => l.stage === i) })).filter((s) => s.leads > 0),
    ]);
    expect(facets.sources).toEqual(expect.arrayContaining(SOURCES.map((source) => ({ source, leads: count((l) => l.source === source) }))));
    expect(facets.qualified).toEqual({ yes: count((l) => l.qualifiedAt !== null), no: count((l) => l.qualifiedAt === null) });
  });

  it('shows another workspace none of these leads, in the list, the search, the export or the facets', async () => {
    const mine = new Set(seeded.map((l) => l.id));
    const theirs = await everyPage(stranger, {}, 200);
    expect(theirs.total).toBe(300);
    expect((await everyPage(stranger, { q: 'example' }, 200)).rows.some((l) => mine.has(l.id))).toBe(false);
    expect(theirs.rows.some((l) => mine.has(l.id))).toBe(false);
    const csv = parseCsv(await (await stranger.rpc.api.leads['export.csv'].$get({ query: {} })).text()).records;
    expect(csv.slice(1).some((r) => mine.has(r[0]!))).toBe(false);
    expect((await (await stranger.rpc.api.leads.facets.$get()).json()).total).toBe(300);
    // And our search finds none of theirs, though they share addresses.
    const ours = await everyPage(owner, { q: 'ava.smith' }, 200);
    expect(ours.rows.every((l) => mine.has(l.id))).toBe(true);
  });

  it('lets a viewer read the table and download it', async () => {
    expect((await viewer.rpc.api.leads.$get({ query: { qualified: 'yes' } })).status).toBe(200);
    expect((await viewer.rpc.api.leads['export.csv'].$get({ query: {} })).status).toBe(200);
    expect((await viewer.rpc.api.leads.facets.$get()).status).toBe(200);
  });

  it('requires a session', async () => {
    expect((await t.client().rpc.api.leads['export.csv'].$get({ query: {} })).status).toBe(401);
  });
});
