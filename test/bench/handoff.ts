/**
 * Issue 5 budget: the handoff report (`GET /api/handoff`) over 100,000 leads ≤ 50 ms, through the
 * real app, with the cheapest possible query over the same leads as the same-run baseline.
 *
 * Measured twice: with every one of the 100k leads in the period (a whole year: the case the
 * budget names, and the worst one) and with the default last 30 days. The budget is held by the
 * median of 30 runs after 5 warm-up runs; p95 and this process's CPU time are reported beside it.
 */
import { sql } from 'drizzle-orm';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import type { Database } from '../../db/types';
import { pipelineStages, pipelines } from '../../db/schema';
import { createApp } from '../../workers/app';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { FUNNEL_STAGES } from '../../workers/domain/stages';
import { nodeDeps } from '../../workers/node/deps';
import type { HandoffReport } from '../../workers/contract';
import { handoffQueries } from '../../workers/services/handoff';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { freshDatabase, TestClient } from '../support/app';
import { median, percentile, progress, type BenchRow } from './report';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATA = {
  /** In the measured workspace, all inside the report's period. */
  leads: 100_000,
  /** Another workspace in the same file, so the indexes hold more than the measured tenant. */
  otherLeads: 20_000,
  days: 365,
  funnels: 3,
};
const RUNS = { warmUp: 5, report: 30, baseline: 40 };
const SOURCES = ['instagram', 'google', 'newsletter', 'tiktok', 'facebook', ''];

/** A deterministic hash of `expr` into 0..m-1; each `salt` gives an independent-looking pick. */
const hashSql = (expr: string, salt: number, m: number) =>
  `(((${expr}) * ${2654435761 + salt * 7919} + ${salt * 104729}) % 1000003) % ${m}`;
/** `case <expr> when 0 then items[0] … end`: a deterministic pick from a list in SQL. */
const pickSql = (expr: string, items: ReadonlyArray<string | null>) =>
  `case ${expr} ${items.map((s, i) => `when ${i} then ${s === null ? 'null' : `'${s}'`}`).join(' ')} end`;

/**
 * Leads, deals and daily rollups for one workspace, generated inside SQLite with recursive CTEs
 * (multi-row inserts, no round trip per row). Leads are created evenly over the period (rows in
 * creation order, as they are written in production); a multiplicative hash of the row number
 * picks source, funnel, qualification (40 %) and, for 70 % of the qualified, a deal whose stage
 * is open, won (closed won / post-purchase) or lost. Each deal carries what production writes
 * when a qualification rule creates it: the lead's first-touch source in `attribution`, and
 * `deals.source` = `dealSource(lead.source, attribution)` (the lead's source, else the
 * attribution's — here both are the lead's).
 */
export async function generateHandoffData(
  database: Database,
  workspaceId: string,
  prefix: string,
  count: number,
  end: number,
): Promise<{ deals: number; rollups: number }> {
  const { client, db } = database;
  const funnelIds = Array.from({ length: DATA.funnels }, (_, i) => `${prefix}-funnel-${i}`);
  for (const [i, id] of funnelIds.entries()) {
    await client.execute({
      sql: `insert into funnels (id, workspace_id, name, slug, settings, created_at, updated_at) values (?, ?, ?, ?, '{}', ?, ?)`,
      args: [id, workspaceId, `Funnel ${i + 1}`, `${prefix}-funnel-${i}`, end, end],
    });
  }
  let n = 0;
  const { pipeline, stages } = pipelineFromTemplate(
    { db, clock: () => end, newId: () => `${prefix}-p-${n++}` },
    workspaceId,
    PIPELINE_TEMPLATES.b2c,
  );
  await db.batch([db.insert(pipelines).values(pipeline), db.insert(pipelineStages).values(stages)]);
  const start = end - DATA.days * DAY_MS;
  const step = Math.floor((DATA.days * DAY_MS) / count);

  await client.execute({
    sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ? - 1)
          insert into leads (id, workspace_id, email, fields, score, first_touch, last_touch, source, source_funnel_id, qualified_at, created_at, updated_at)
          select printf('%s%013d%07d', ?, c, i), ?, printf('lead%d@%s.bench', i, ?), '{}', ${hashSql('i', 5, 120)}, '{}', '{}',
                 ${pickSql(hashSql('i', 1, SOURCES.length), SOURCES)},
                 ${pickSql(hashSql('i', 2, DATA.funnels + 1), [...funnelIds, null])},
                 case when ${hashSql('i', 3, 10)} < 4 then c + ${hashSql('i', 4, 10_000)} * ${(7 * DAY_MS) / 10_000} end,
                 c, c
          from (select i, ? + i * ? as c from n)`,
    args: [count, prefix, workspaceId, prefix, start, step],
  });

  const won = stages.filter((s) => s.kind === 'won').map((s) => s.id);
  const lost = stages.find((s) => s.kind === 'lost')!.id;
  const open = stages.filter((s) => s.kind === 'open').map((s) => s.id);
  // Half open, 30 % won (closed won or post-purchase), 20 % lost.
  const stageSlots = [open[0]!, open[1]!, open[2]!, open[3]!, open[1]!, won[0]!, won[0]!, won[1]!, lost, lost];
  const kindOf = new Map(stages.map((s) => [s.id, s.kind]));
  await client.execute({
    sql: `insert into deals (id, workspace_id, pipeline_id, stage_id, position, name, value_minor, currency, lead_id, source_funnel_id, attribution, source, lost_reason, stage_entered_at, closed_at, created_at, updated_at)
          select 'd' || l.id, l.workspace_id, ?, s.stage_id, 0, 'Deal ' || l.email, ${hashSql('l.rowid', 6, 50_000)}, case when ${hashSql('l.rowid', 7, 20)} = 0 then 'EUR' else 'USD' end,
                 l.id, l.source_funnel_id, case when l.source <> '' then json_object('source', l.source) else '{}' end, substr(l.source, 1, 100),
                 case when s.kind = 'lost' then 'Too expensive' end,
                 l.qualified_at + 3600000, case when s.kind <> 'open' then l.qualified_at + 3600000 + ${hashSql('l.rowid', 8, 10_000)} * ${(10 * DAY_MS) / 10_000} end,
                 l.qualified_at + 3600000, l.qualified_at + 3600000
          from leads l join (${stageSlots.map((id, i) => `select ${i} as slot, '${id}' as stage_id, '${kindOf.get(id)}' as kind`).join(' union all ')}) s on s.slot = ${hashSql('l.rowid', 9, 10)}
          where l.workspace_id = ? and l.qualified_at is not null and ${hashSql('l.rowid', 10, 10)} < 7`,
    args: [pipeline.id, workspaceId],
  });
  const deals = Number(
    (await client.execute({ sql: 'select count(*) from deals where workspace_id = ?', args: [workspaceId] })).rows[0]![0],
  );

  // Rollups: every funnel × day × source × stage, visitors falling off stage by stage.
  await client.execute({
    sql: `with recursive d(k) as (select 0 union all select k + 1 from d where k < ?),
               f(funnel_id) as (select id from funnels where workspace_id = ?),
               s(source, si) as (values ${SOURCES.map((src, i) => `('${src}', ${i})`).join(', ')}),
               st(stage, sti) as (values ${FUNNEL_STAGES.map((stage, i) => `('${stage}', ${i})`).join(', ')})
          insert into daily_rollups (workspace_id, funnel_id, day, stage, source, medium, campaign, visitors)
          select ?, f.funnel_id, strftime('%Y-%m-%d', (? + d.k * ${DAY_MS}) / 1000, 'unixepoch'), st.stage, s.source, '', '',
                 max(1, (40 + (d.k * 31 + s.si * 17) % 60) >> st.sti)
          from d, f, s, st`,
    args: [DATA.days, workspaceId, workspaceId, start],
  });
  const rollups = Number(
    (await client.execute({ sql: `select count(*) from daily_rollups where workspace_id = ?`, args: [workspaceId] })).rows[0]![0],
  );
  return { deals, rollups };
}

/** Wall times of `runs` calls; `cpu` collects this process's CPU time per call (what the call costs on an idle machine). */
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

export async function benchHandoff(): Promise<BenchRow[]> {
  const database = await freshDatabase('bench-handoff');
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const client = new TestClient(app, 'http://localhost');
  const { workspaceId } = await client.signup('bench@handoff.test', 'correct horse battery', 'Bench', { workspaceName: 'Bench shop' });
  const other = new TestClient(app, 'http://localhost');
  const { workspaceId: otherWorkspaceId } = await other.signup('other@handoff.test', 'correct horse battery', 'Other', {
    workspaceName: 'Other shop',
  });

  const end = Date.UTC(2026, 10, 27);
  progress(
    `Handoff data: ${DATA.leads.toLocaleString('en')} leads over ${DATA.days} days (+ ${DATA.otherLeads.toLocaleString('en')} in another workspace), deals for 28 % of them, daily rollups`,
  );
  const started = performance.now();
  const data = await generateHandoffData(database, workspaceId, 'a', DATA.leads, end);
  await generateHandoffData(database, otherWorkspaceId, 'b', DATA.otherLeads, end);
  await database.client.execute('analyze');
  const seedMs = performance.now() - started;
  progress(
    `generated in ${(seedMs / 1000).toFixed(1)} s: ${data.deals.toLocaleString('en')} deals, ${data.rollups.toLocaleString('en')} rollup rows`,
  );

  // The leads and deals steps must read only their covering index, in grouping order (no sort).
  const plans: string[] = [];
  for (const [name, query] of Object.entries(handoffQueries(workspaceId, end - DATA.days * DAY_MS, end))) {
    const plan = (await database.db.all<{ detail: string }>(sql`explain query plan ${query}`)).map((r) => r.detail);
    if (!plan[0]?.includes('USING COVERING INDEX') || plan.some((d) => d.includes('TEMP B-TREE')))
      throw new Error(`The handoff ${name} query is not an index-only scan without sorting: ${plan.join(' / ')}`);
    plans.push(`${name}: ${plan.join(' / ')}`);
  }

  const to = new Date(end - DAY_MS).toISOString().slice(0, 10);
  const yearFrom = new Date(end - DATA.days * DAY_MS).toISOString().slice(0, 10);
  const monthFrom = new Date(end - 30 * DAY_MS).toISOString().slice(0, 10);
  const fetchReport = async (url: string) => {
    const res = await client.get(url);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as HandoffReport;
  };
  const stepsOf = (r: HandoffReport) => r.totals.steps.map((s) => `${s.step} ${s.count.toLocaleString('en')}`).join(' → ');
  const load = `load average ${loadavg()[0]!.toFixed(2)}`;

  /** Wall and CPU times of one report URL, after a warm-up; checks what it counted. */
  const measure = async (path: string, expectLeads?: number) => {
    const body = await fetchReport(path);
    const leads = body.totals.steps.find((s) => s.step === 'leads')!.count;
    if (expectLeads !== undefined && leads !== expectLeads) throw new Error(`${path} counted ${leads} leads, expected ${expectLeads}`);
    await timed(RUNS.warmUp, () => fetchReport(path));
    const cpu: number[] = [];
    const wall = await timed(RUNS.report, () => fetchReport(path), cpu);
    return { path, wall, cpu, steps: stepsOf(body), leads };
  };
  progress('GET /api/handoff: all 100k leads in the period, then the default last 30 days');
  const year = await measure(`/api/handoff?from=${yearFrom}&to=${to}`, DATA.leads);
  const yearFunnel = await measure(`/api/handoff?from=${yearFrom}&to=${to}&funnel=a-funnel-0`);
  const month = await measure(`/api/handoff?from=${monthFrom}&to=${to}`);
  const count = { sql: 'select count(*) from leads where workspace_id = ?', args: [workspaceId] };
  await timed(RUNS.warmUp, () => database.client.execute(count));
  const baselineMs = await timed(RUNS.baseline, () => database.client.execute(count));
  database.client.close();
  rmSync(dirname(database.path), { recursive: true, force: true });

  const client_ =
    'through the real app (createApp(nodeDeps), app.request with a signed-in session cookie: session lookup, workspace scope, validation, three queries: the rollups by funnel and day, one index-only pass each over the leads and the deals, JSON; body read)';
  const planNote = `EXPLAIN QUERY PLAN (checked before timing; no TEMP B-TREE) — ${plans.join('; ')}`;
  const dataset = `Data generated in ${(seedMs / 1000).toFixed(1)} s with recursive-CTE multi-row inserts into a fresh migrated libSQL file: ${DATA.leads.toLocaleString('en')} leads created evenly over ${DATA.days} days (6 sources, 3 funnels + none, 40 % qualified), ${data.deals.toLocaleString('en')} deals (half open, 30 % won, 20 % lost; 5 % EUR), ${data.rollups.toLocaleString('en')} rollup rows, plus ${DATA.otherLeads.toLocaleString('en')} leads with their deals in a second workspace`;
  const cpuNote = (cpu: number[]) =>
    `CPU time of this process per request (what other processes on the machine do not inflate): p50 ${median(cpu).toFixed(1)} ms`;
  const baseline = { label: 'count(*) of the leads', value: median(baselineMs) };
  const baselineHow = `Baseline: the raw libSQL client running \`select count(*) from leads where workspace_id = ?\` (index only), ${RUNS.baseline} runs: ${summary(baselineMs)}. ${load} before the runs.`;
  return [
    {
      figure: 'Handoff report API, all 100k leads in the period, median (the budget row)',
      value: median(year.wall),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      baseline,
      ratio: median(year.wall) / baseline.value,
      how: `GET ${year.path} (every one of the ${DATA.leads.toLocaleString('en')} leads is in the period) ${client_}, ${RUNS.report} runs after ${RUNS.warmUp} warm-up: ${summary(year.wall)}; ${cpuNote(year.cpu)}. The report: ${year.steps}. One funnel (&funnel=): ${summary(yearFunnel.wall)}. ${dataset}. ${baselineHow} ${planNote}.`,
    },
    {
      figure: 'Handoff report API, all 100k leads in the period, p95',
      value: percentile(year.wall, 95),
      unit: 'ms',
      how: 'Same runs as the row above, 95th percentile (reported; the budget is held by the median row).',
    },
    {
      figure: 'Handoff report API, last 30 days of 100k leads, median',
      value: median(month.wall),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      baseline,
      ratio: median(month.wall) / baseline.value,
      how: `GET ${month.path} (the default period: the last 30 days of the same workspace, ${month.leads.toLocaleString('en')} of its leads created in it) ${client_}, ${RUNS.report} runs after ${RUNS.warmUp} warm-up: ${summary(month.wall)}; ${cpuNote(month.cpu)}. The report: ${month.steps}. Same data and baseline as above.`,
    },
    {
      figure: 'Handoff report API, last 30 days of 100k leads, p95',
      value: percentile(month.wall, 95),
      unit: 'ms',
      how: 'Same runs as the row above, 95th percentile (reported; the budget is held by the median row).',
    },
  ];
}
