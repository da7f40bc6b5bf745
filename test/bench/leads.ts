/**
 * Issue 12: the leads table over 100,000 leads — `GET /api/leads` with search, filters, each sort
 * and a page deep in the list, p95 through the real app, against the old unfiltered newest-first
 * page as the same-run baseline; and the CSV export of a filtered list.
 */
import { rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/types';
import { createApp } from '../../workers/app';
import type { LeadListPage } from '../../workers/contract';
import { nodeDeps } from '../../workers/node/deps';
import { leadCountQuery, leadFewMatchesQuery, leadPageQuery } from '../../workers/services/leads';
import { freshDatabase, TestClient } from '../support/app';
import { median, percentile, progress, type BenchRow } from './report';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATA = { leads: 100_000, otherLeads: 20_000, days: 365, funnels: 3 };
const RUNS = { warmUp: 3, perQuery: 20, baseline: 40 };
const SOURCES = ['instagram', 'google', 'newsletter', 'tiktok', 'facebook', ''];
const MEDIUMS = ['social', 'cpc', 'email', 'social', 'paid_social', ''];
const NAMES = ['Ava Smith', 'Liam Garcia', 'Mia Chen', 'Noah Patel', 'Emma Kowalski', 'Lucas Dubois', 'Olivia Rossi', 'Ethan Novak'];
/** Furthest stage by weight: 10 % never seen on a page (imports), then fewer at each later stage. */
const STAGES: Array<number | null> = [null, 0, 0, 0, 1, 1, 2, 2, 2, 3, 4, 5];

const hashSql = (expr: string, salt: number, m: number) =>
  `(((${expr}) * ${2654435761 + salt * 7919} + ${salt * 104729}) % 1000003) % ${m}`;
const pickSql = (expr: string, items: ReadonlyArray<string | number | null>) =>
  `case ${expr} ${items.map((s, i) => `when ${i} then ${s === null ? 'null' : typeof s === 'number' ? s : `'${s}'`}`).join(' ')} end`;

/**
 * Leads for one workspace, made inside SQLite with a recursive CTE: created evenly over a year (in
 * creation order, as production writes them), a hash of the row number picking name, company,
 * funnel, stage, source, qualification (30 %), score and a last activity after creation (80 %).
 */
export async function generateLeads(
  database: Database,
  workspaceId: string,
  prefix: string,
  count: number,
  end: number,
): Promise<string[]> {
  const { client } = database;
  const funnelIds = Array.from({ length: DATA.funnels }, (_, i) => `${prefix}-funnel-${i}`);
  for (const [i, id] of funnelIds.entries()) {
    await client.execute({
      sql: `insert into funnels (id, workspace_id, name, slug, settings, created_at, updated_at) values (?, ?, ?, ?, '{}', ?, ?)`,
      args: [id, workspaceId, `Funnel ${i + 1}`, `${prefix}-leads-funnel-${i}`, end, end],
    });
  }
  const start = end - DATA.days * DAY_MS;
  const step = Math.floor((DATA.days * DAY_MS) / count);
  await client.execute({
    sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ? - 1)
          insert into leads (id, workspace_id, email, name, company, fields, score, first_touch, last_touch, source, source_funnel_id,
                             qualified_at, furthest_stage, last_activity_at, created_at, updated_at)
          select printf('%s%013d%07d', ?, c, i), ?, printf('lead%d@%s.bench', i, ?),
                 ${pickSql(hashSql('i', 11, NAMES.length), NAMES)} || ' ' || i,
                 case when ${hashSql('i', 12, 5)} = 0 then 'Glow Labs ' || ${hashSql('i', 13, 50)} end,
                 '{}', ${hashSql('i', 5, 150)},
                 json_object('source', ${pickSql(hashSql('i', 1, SOURCES.length), SOURCES)}, 'medium', ${pickSql(hashSql('i', 1, MEDIUMS.length), MEDIUMS)}, 'campaign', 'spring'),
                 '{}',
                 ${pickSql(hashSql('i', 1, SOURCES.length), SOURCES)},
                 ${pickSql(hashSql('i', 2, DATA.funnels + 1), [...funnelIds, null])},
                 case when ${hashSql('i', 3, 10)} < 3 then c + ${hashSql('i', 4, 10_000)} * ${(7 * DAY_MS) / 10_000} end,
                 ${pickSql(hashSql('i', 6, STAGES.length), STAGES)},
                 case when ${hashSql('i', 7, 5)} > 0 then c + ${hashSql('i', 8, 10_000)} * ${(20 * DAY_MS) / 10_000} end,
                 c, c
          from (select i, ? + i * ? as c from n)`,
    args: [count, prefix, workspaceId, prefix, start, step],
  });
  return funnelIds;
}

/** Wall times of `runs` calls; `cpu` collects this process's CPU time per call (what other processes on a shared machine do not inflate). */
async function timed(runs: number, fn: () => Promise<unknown>, cpu: number[] = []): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
  }
  return times;
}

const summary = (ms: number[]) =>
  `p50 ${median(ms).toFixed(2)} ms, p95 ${percentile(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms`;

export async function benchLeads(): Promise<BenchRow[]> {
  const database = await freshDatabase('bench-leads');
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const client = new TestClient(app, 'http://localhost');
  const { workspaceId } = await client.signup('bench@leads.test', 'correct horse battery', 'Bench', { workspaceName: 'Bench shop' });
  const other = new TestClient(app, 'http://localhost');
  const { workspaceId: otherWorkspaceId } = await other.signup('other@leads.test', 'correct horse battery', 'Other', {
    workspaceName: 'Other',
  });
  const end = Date.UTC(2026, 10, 27);
  progress(
    `Leads table data: ${DATA.leads.toLocaleString('en')} leads over ${DATA.days} days (+ ${DATA.otherLeads.toLocaleString('en')} in another workspace)`,
  );
  const started = performance.now();
  const funnelIds = await generateLeads(database, workspaceId, 'a', DATA.leads, end);
  await generateLeads(database, otherWorkspaceId, 'b', DATA.otherLeads, end);
  const seedMs = performance.now() - started;
  progress(`generated in ${(seedMs / 1000).toFixed(1)} s`);

  const get = async (path: string) => {
    const res = await client.get(path);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };
  const list = async (query: string) => JSON.parse(await get(`/api/leads?${query}`)) as LeadListPage;

  // A cursor 20 pages (1,000 leads) into the list sorted by score.
  let deep: string | null = null;
  for (let i = 0; i < 20; i++) deep = (await list(`sort=score&dir=desc${deep ? `&cursor=${deep}` : ''}`)).nextCursor;
  const month = (days: number) => new Date(end - days * DAY_MS).toISOString().slice(0, 10);

  const queries: Array<{ label: string; query: string }> = [
    { label: 'no filter, newest first', query: '' },
    { label: 'search "lead4242"', query: 'q=lead4242' },
    { label: 'search "smith"', query: 'q=smith&sort=activity' },
    { label: 'funnel + furthest stage, by score', query: `funnel=${funnelIds[0]}&stage=evaluation&sort=score` },
    { label: 'qualified + source, by last activity', query: 'qualified=yes&source=google&sort=activity' },
    { label: 'created in the last 30 days, by email', query: `from=${month(30)}&to=${month(1)}&sort=email&dir=asc` },
    { label: 'reached desire, not qualified, oldest first', query: 'reached=desire&qualified=no&dir=asc' },
    {
      label: 'rare: funnel + retention + tiktok + qualified',
      query: `funnel=${funnelIds[2]}&stage=retention&source=tiktok&qualified=yes&sort=activity`,
    },
    { label: 'rare without the funnel: retention + tiktok + qualified', query: 'stage=retention&source=tiktok&qualified=yes&sort=email' },
    { label: 'search "bench" (every lead: the count stops at 10,000)', query: 'q=bench&sort=score' },
    { label: 'page 21 by score (cursor)', query: `sort=score&dir=desc&cursor=${deep}` },
  ];
  // Each way of reading a page must use its index (checked before timing, as the figures depend on it).
  const base = { sort: 'created', dir: 'desc', limit: 50 } as const;
  const plans: Array<[string, SQL, RegExp]> = [
    [
      'a search page',
      leadPageQuery(workspaceId, { ...base, q: 'lead4242' }, 'search'),
      /^SCAN leads_search VIRTUAL TABLE.*\/ SEARCH leads USING INTEGER PRIMARY KEY/,
    ],
    [
      'a search count',
      leadCountQuery(workspaceId, { q: 'smith' }),
      /SCAN leads_search VIRTUAL TABLE.*SEARCH leads USING INTEGER PRIMARY KEY/,
    ],
    [
      'a few matches',
      leadFewMatchesQuery(workspaceId, { stage: 'retention', qualified: true }),
      /USING COVERING INDEX leads_ws_filter_idx/,
    ],
    [
      'a later page of few matches',
      leadPageQuery(workspaceId, { ...base, stage: 'retention' }, 'filter', { value: end, id: 'x' }),
      /USING COVERING INDEX leads_ws_filter_idx/,
    ],
    [
      'a later page by last activity',
      leadPageQuery(workspaceId, { ...base, sort: 'activity' }, 'sort', { value: end, id: 'x' }),
      /leads_ws_activity_idx \(workspace_id=\? AND <expr><\?\)/,
    ],
    [
      'a later page by score',
      leadPageQuery(workspaceId, { ...base, sort: 'score' }, 'sort', { value: 50, id: 'x' }),
      /leads_ws_score_idx \(workspace_id=\? AND \(score,id\)<\(\?,\?\)\)/,
    ],
  ];
  const planNotes: string[] = [];
  for (const [what, query, expected] of plans) {
    const plan = (await database.db.all<{ detail: string }>(sql`explain query plan ${query}`)).map((r) => r.detail).join(' / ');
    if (!expected.test(plan)) throw new Error(`The plan of ${what} is not the one the leads table relies on: ${plan}`);
    planNotes.push(`${what}: ${plan}`);
  }

  progress(`GET /api/leads: ${queries.length} queries × ${RUNS.perQuery} runs after ${RUNS.warmUp} warm-up each`);
  const all: number[] = [];
  const cpu: number[] = [];
  const lines: string[] = [];
  for (const { label, query } of queries) {
    const first = await list(query);
    await timed(RUNS.warmUp, () => list(query));
    const ms = await timed(RUNS.perQuery, () => list(query), cpu);
    all.push(...ms);
    const matching =
      first.total === null ? 'later page' : `${first.totalIsAtLeast ? '≥ ' : ''}${first.total.toLocaleString('en')} matching`;
    lines.push(`${label} (${matching}): ${summary(ms)}`);
  }

  // The export of a filtered list: every matching row, streamed.
  const exportQuery = 'qualified=yes&sort=activity';
  const expected = (await list(exportQuery)).total!;
  const exportMs = await timed(3, async () => {
    const rows = (await get(`/api/leads/export.csv?${exportQuery}`)).split('\r\n').length - 2;
    if (rows !== expected) throw new Error(`export had ${rows} rows, expected ${expected}`);
  });

  // Baseline: the old list's query (newest first, no filter, no count) on the raw client.
  const baselineSql = {
    sql: 'select * from leads where workspace_id = ? order by created_at desc, id desc limit 51',
    args: [workspaceId],
  };
  await timed(RUNS.warmUp, () => database.client.execute(baselineSql));
  const baselineMs = await timed(RUNS.baseline, () => database.client.execute(baselineSql));
  const load = `load average ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`;
  database.client.close();
  rmSync(dirname(database.path), { recursive: true, force: true });

  const p95 = percentile(all, 95);
  const baseline = { label: 'unfiltered newest-first page, raw SQL', value: median(baselineMs) };
  const dataset = `${DATA.leads.toLocaleString('en')} leads created evenly over ${DATA.days} days in a fresh migrated libSQL file (recursive-CTE inserts in ${(seedMs / 1000).toFixed(1)} s, no ANALYZE, as in production): 3 funnels + none, 6 sources, furthest stage 10 % none then falling by stage, 30 % qualified, scores 0–149, 80 % with a last activity; plus ${DATA.otherLeads.toLocaleString('en')} leads in a second workspace`;
  return [
    {
      figure: 'Leads table API (100k leads, filters, sorts, search, deep page), p95',
      value: p95,
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      baseline,
      ratio: p95 / baseline.value,
      how: `GET /api/leads through the real app (createApp(nodeDeps), app.request with a session cookie: session, workspace scope, validation, the page query and — on a first page — the count, JSON; body read), ${queries.length} queries × ${RUNS.perQuery} runs after ${RUNS.warmUp} warm-up each, p95 over all ${all.length} requests (p50 ${median(all).toFixed(2)} ms; this process's CPU time per request p50 ${median(cpu).toFixed(1)} ms, p95 ${percentile(cpu, 95).toFixed(1)} ms). Per query: ${lines.join('; ')}. ${dataset}. Baseline: the raw libSQL client running \`select * from leads where workspace_id = ? order by created_at desc, id desc limit 51\` (the list before filters), ${RUNS.baseline} runs: ${summary(baselineMs)}. ${load} after the runs. EXPLAIN QUERY PLAN (checked before timing) — ${planNotes.join('; ')}.`,
    },
    {
      figure: 'Leads CSV export (qualified, by last activity, 100k leads)',
      value: median(exportMs),
      unit: 'ms',
      how: `GET /api/leads/export.csv?${exportQuery}: ${expected.toLocaleString('en')} rows streamed in pages of 1,000 (the list's own keyset query), body read whole; median of 3 runs (${exportMs.map((m) => m.toFixed(0)).join(', ')} ms). Same data as above. Info only.`,
    },
  ];
}
