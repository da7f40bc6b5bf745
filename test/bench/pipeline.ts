/**
 * Issue 5 budgets for the sales pipeline, with 10,000 deals in one pipeline (plus their stage
 * history and a second, smaller pipeline beside it): the board API and the stats API ≤ 50 ms, a deal
 * move ≤ 5 ms p95 — all through the real app (createApp(nodeDeps), signed-in session cookie, libSQL
 * file), each against a baseline measured in the same run.
 */
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import type { Client, InStatement } from '@libsql/client';
import { Hono } from 'hono';
import { createApp } from '../../workers/app';
import { newId } from '../../workers/domain/ids';
import { nodeDeps } from '../../workers/node/deps';
import { freshDatabase, TestClient } from '../support/app';
import { boardTotalsQuery, DEFAULT_BOARD_LIMIT, MAX_BOARD_LIMIT } from '../../workers/services/board';
import { loadPipelineStages } from '../../workers/services/deals';
import { median, percentile, progress, type BenchRow } from './report';
import { prng } from '../support/prng';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATA = { deals: 10_000, otherPipelineDeals: 2_000, days: 120, rowsPerInsert: 500 };
const RUNS = { warmUp: 5, board: 60, stats: 60, moves: 1_000, baseline: 60 };
const LOST_REASONS = ['Unsubscribed', 'Too expensive', 'Chose a competitor', 'No response', 'Out of stock'];

interface StageRow {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  winProbability: number;
}
interface PipelineBody {
  id: string;
  stages: StageRow[];
}

const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`);
const machine = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

async function api<T>(client: TestClient, path: string, init: RequestInit & { json?: unknown } = {}, status = 200): Promise<T> {
  const res = await client.request(path, init);
  const text = await res.text();
  if (res.status !== status) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * `count` deals spread over the B2C stages as a live shop's pipeline looks (most early, some won
 * or lost), created over the last DATA.days days, each with the history of how it got to its stage
 * (one row per stage passed, with the time spent in the previous one). Written with multi-row
 * INSERTs through the raw client: the point is the data, not the write path.
 */
async function seedDeals(
  client: Client,
  workspaceId: string,
  ownerId: string,
  pipeline: PipelineBody,
  count: number,
  now: number,
  seed: number,
) {
  const rand = prng(seed);
  const open = pipeline.stages.filter((s) => s.kind === 'open');
  const byName = (name: string) => pipeline.stages.find((s) => s.name === name)!;
  // Where deals are now: weights per stage (open stages first, in order).
  const targets: Array<[StageRow, number]> = [
    [open[0]!, 0.25],
    [open[1]!, 0.2],
    [open[2]!, 0.12],
    [open[3]!, 0.08],
    [byName('Closed won'), 0.12],
    [byName('Post-purchase'), 0.08],
    [byName('Closed lost'), 0.15],
  ];
  const pick = () => {
    let r = rand();
    for (const [stage, w] of targets) if ((r -= w) < 0) return stage;
    return targets[0]![0];
  };
  const dealRows: unknown[][] = [];
  const historyRows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const stage = pick();
    const createdAt = now - Math.floor(rand() * DATA.days * DAY_MS);
    const id = newId(createdAt);
    // The path: through some open stages, then (if closed) the closing stage, then maybe post-purchase.
    const path: StageRow[] = [];
    const lastOpen = stage.kind === 'open' ? open.indexOf(stage) : Math.floor(rand() * open.length);
    for (let k = 0; k <= lastOpen; k++) if (k === 0 || rand() < 0.8) path.push(open[k]!);
    if (stage.name === 'Post-purchase') path.push(byName('Closed won'));
    if (stage.kind !== 'open') path.push(stage);
    let at = createdAt;
    const span = now - createdAt;
    let closedAt: number | null = null;
    path.forEach((s, k) => {
      const enteredAt = k === 0 ? createdAt : at + Math.floor((rand() * span) / (path.length + 1));
      historyRows.push([
        newId(enteredAt),
        workspaceId,
        id,
        pipeline.id,
        k === 0 ? null : path[k - 1]!.id,
        s.id,
        k === 0 ? null : enteredAt - at,
        ownerId,
        enteredAt,
      ]);
      if (s.kind !== 'open' && closedAt === null) closedAt = enteredAt;
      at = enteredAt;
    });
    const currency = rand() < 0.95 ? 'USD' : 'EUR';
    const valueMinor = 1_000 + Math.floor(rand() * 200) * 500;
    const lostReason = stage.kind === 'lost' ? LOST_REASONS[Math.floor(rand() * LOST_REASONS.length)]! : null;
    const expectedCloseAt = stage.kind === 'open' ? now + Math.floor(rand() * 60 * DAY_MS) : null;
    dealRows.push([
      id,
      workspaceId,
      pipeline.id,
      stage.id,
      i * 1024,
      `Cosmetics set - Customer ${i}`,
      valueMinor,
      currency,
      ownerId,
      expectedCloseAt,
      lostReason,
      at,
      closedAt,
      createdAt,
      at,
    ]);
  }
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    const statements: InStatement[] = [];
    for (let i = 0; i < rows.length; i += DATA.rowsPerInsert) {
      const chunk = rows.slice(i, i + DATA.rowsPerInsert);
      const one = `(${columns.map(() => '?').join(',')})`;
      statements.push({
        sql: `insert into ${table} (${columns.join(',')}) values ${chunk.map(() => one).join(',')}`,
        args: chunk.flat() as never,
      });
    }
    await client.batch(statements, 'write');
  };
  await insert(
    'deals',
    [
      'id',
      'workspace_id',
      'pipeline_id',
      'stage_id',
      'position',
      'name',
      'value_minor',
      'currency',
      'owner_id',
      'expected_close_at',
      'lost_reason',
      'stage_entered_at',
      'closed_at',
      'created_at',
      'updated_at',
    ],
    dealRows,
  );
  await insert(
    'deal_stage_history',
    ['id', 'workspace_id', 'deal_id', 'pipeline_id', 'from_stage_id', 'to_stage_id', 'ms_in_from_stage', 'moved_by', 'moved_at'],
    historyRows,
  );
  return { deals: dealRows.map((r) => String(r[0])), history: historyRows.length };
}

/** Wall times of `runs` sequential calls; the array also carries the process CPU time per call (on a shared box, wall time includes waiting for a core). */
async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[] & { cpuMs?: number }> {
  const times: number[] & { cpuMs?: number } = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const used = process.cpuUsage(cpu);
  times.cpuMs = (used.user + used.system) / 1000 / runs;
  return times;
}

const summary = (ms: number[] & { cpuMs?: number }) =>
  `p50 ${median(ms).toFixed(2)} ms, p95 ${percentile(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms${ms.cpuMs === undefined ? '' : `, ${ms.cpuMs.toFixed(2)} ms of process CPU per call`}`;

/** The measured data set behind the real app; exported so the data can be explored outside the bench. */
export async function pipelineBenchSetup() {
  const database = await freshDatabase('bench-pipeline');
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const client = new TestClient(app, 'http://localhost');
  const { user, workspaceId } = await client.signup('bench@pipeline.test', 'correct horse battery', 'Bench', {
    workspaceName: 'Bench shop',
  });
  const pipeline = await api<PipelineBody>(
    client,
    '/api/pipelines',
    { method: 'POST', json: { name: 'Demo B2C e-commerce pipeline - 1', template: 'b2c' } },
    201,
  );
  const side = await api<PipelineBody>(client, '/api/pipelines', { method: 'POST', json: { name: 'Wholesale', template: 'b2b' } }, 201);

  const now = Date.now();
  progress(
    `Pipeline data: ${DATA.deals.toLocaleString('en')} deals in one B2C pipeline and ${DATA.otherPipelineDeals.toLocaleString('en')} in a B2B one beside it, with stage history, over ${DATA.days} days`,
  );
  const seedStarted = performance.now();
  const main = await seedDeals(database.client, workspaceId, user.id, pipeline, DATA.deals, now, 5);
  const other = await seedDeals(
    database.client,
    workspaceId,
    user.id,
    { ...side, stages: side.stages.filter((s) => s.name !== 'Proposal') },
    DATA.otherPipelineDeals,
    now,
    6,
  );
  progress(
    `  seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${main.history.toLocaleString('en')} + ${other.history.toLocaleString('en')} history rows`,
  );
  return { database, app, client, workspaceId, pipeline, main, other, now };
}

interface BoardResponse {
  count: number;
  columns: Array<{ count: number; truncated: boolean; next: string | null; deals: Array<{ id: string }> }>;
}

export async function benchPipeline(): Promise<BenchRow[]> {
  const { database, client, workspaceId, pipeline, main, other, now } = await pipelineBenchSetup();
  const load = machine();

  // ── Board ──
  progress(
    `Board: GET /api/pipelines/:id/board (default page of ${DEFAULT_BOARD_LIMIT} cards per column) and ?limit=${MAX_BOARD_LIMIT} × ${RUNS.board} each (after ${RUNS.warmUp} warm-up), one column's next page, baselines grouped totals and select * from deals × ${RUNS.baseline}`,
  );
  const boardPath = `/api/pipelines/${pipeline.id}/board`;
  const fullPath = `${boardPath}?limit=${MAX_BOARD_LIMIT}`;
  const bytes = new Map<string, number>();
  // Bodies are read as bytes, as a socket would take them: undici's res.text() alone spends ~25 ms
  // decoding a few MB of UTF-8 into a JS string, client-side work no server figure should include.
  const getBytes = async (path: string) => {
    const res = await client.request(path);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
    bytes.set(path, body.byteLength);
    return body;
  };
  const readBoard = async (path: string, perColumn: number) => {
    const board = JSON.parse(new TextDecoder().decode(await getBytes(path))) as BoardResponse;
    const counted = board.columns.reduce((n, c) => n + c.count, 0);
    const cards = board.columns.reduce((n, c) => n + c.deals.length, 0);
    const expected = board.columns.reduce((n, c) => n + Math.min(perColumn, c.count), 0);
    if (board.count !== DATA.deals || counted !== DATA.deals || cards !== expected)
      throw new Error(`${path} counts ${board.count} / ${counted} deals with ${cards} cards, expected ${DATA.deals} with ${expected}`);
    for (const c of board.columns)
      if (c.truncated !== c.count > perColumn || (c.next === null) === c.truncated)
        throw new Error(`${path}: a column's truncated / next is wrong`);
    return { board, cards };
  };
  const paged = await readBoard(boardPath, DEFAULT_BOARD_LIMIT);
  const full = await readBoard(fullPath, MAX_BOARD_LIMIT);
  // "Load more" continues the column exactly where the page ended.
  const biggest = paged.board.columns.reduce((a, b) => (b.count > a.count ? b : a));
  const nextPath = biggest.next!;
  const nextPage = JSON.parse(new TextDecoder().decode(await getBytes(nextPath))) as { deals: Array<{ id: string }> };
  const fullColumn = full.board.columns[paged.board.columns.indexOf(biggest)]!.deals.map((d) => d.id);
  if (nextPage.deals.map((d) => d.id).join() !== fullColumn.slice(DEFAULT_BOARD_LIMIT, 2 * DEFAULT_BOARD_LIMIT).join())
    throw new Error('The next page of a column does not continue it');

  // The totals' query plan: one pass over an index alone when deals has the covering index.
  const { stages } = await loadPipelineStages(database.db, workspaceId, pipeline.id);
  const totals = boardTotalsQuery(database.db, pipeline.id, stages, now).toSQL();
  const totalsPlan = (await database.client.execute({ sql: `explain query plan ${totals.sql}`, args: totals.params as never })).rows
    .map((r) => String(r.detail))
    .join('; ');

  const selectAll = () => database.client.execute({ sql: 'select * from deals where pipeline_id = ?', args: [pipeline.id] });
  const groupedTotals = () =>
    database.client.execute({
      sql: 'select stage_id, currency, count(*), sum(value_minor) from deals where pipeline_id = ? group by stage_id, currency',
      args: [pipeline.id],
    });
  const getBoard = () => getBytes(boardPath);
  const getFull = () => getBytes(fullPath);
  const getNext = () => getBytes(nextPath);
  await timed(RUNS.warmUp, getBoard);
  await timed(RUNS.warmUp, getFull);
  await timed(RUNS.warmUp, selectAll);
  await timed(RUNS.warmUp, groupedTotals);
  const boardMs = await timed(RUNS.board, getBoard);
  const groupedTotalsMs = await timed(RUNS.baseline, groupedTotals);
  const fullMs = await timed(RUNS.board, getFull);
  const selectAllMs = await timed(RUNS.baseline, selectAll);
  const nextMs = await timed(RUNS.board, getNext);

  // ── Stats ──
  progress(`Stats: GET /api/pipelines/:id/stats (last 30 days and last 120 days) × ${RUNS.stats} each, baseline a grouped count and sum`);
  const statsPath = `/api/pipelines/${pipeline.id}/stats`;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const longPath = `${statsPath}?from=${day(now - DATA.days * DAY_MS)}&to=${day(now)}`;
  const stats = await api<{ won: { count: number }; lost: { count: number }; stages: Array<{ timeInStage: { moves: number } }> }>(
    client,
    statsPath,
  );
  const longStats = await api<{ won: { count: number }; lost: { count: number }; stages: Array<{ timeInStage: { moves: number } }> }>(
    client,
    longPath,
  );
  const movesIn = (s: typeof stats) => s.stages.reduce((n, x) => n + x.timeInStage.moves, 0);
  await timed(RUNS.warmUp, () => client.request(statsPath).then((r) => r.arrayBuffer()));
  const grouped = () =>
    database.client.execute({
      sql: 'select stage_id, count(*), sum(value_minor) from deals where pipeline_id = ? group by stage_id',
      args: [pipeline.id],
    });
  await timed(RUNS.warmUp, grouped);
  const statsMs = await timed(RUNS.stats, () => client.request(statsPath).then((r) => r.arrayBuffer()));
  const longStatsMs = await timed(RUNS.stats, () => client.request(longPath).then((r) => r.arrayBuffer()));
  const groupedMs = await timed(RUNS.baseline, grouped);

  // ── Moves ──
  progress(`Deal moves: ${RUNS.moves} POST /api/deals/:id/move between random stages and positions, baseline a bare Hono POST`);
  const rand = prng(7);
  const moveOnce = async () => {
    const dealId = main.deals[Math.floor(rand() * main.deals.length)]!;
    const stage = pipeline.stages[Math.floor(rand() * pipeline.stages.length)]!;
    const body: Record<string, unknown> = { stageId: stage.id };
    if (rand() < 0.7) body.position = Math.floor(rand() * 40);
    if (stage.kind === 'lost') body.lostReason = LOST_REASONS[Math.floor(rand() * LOST_REASONS.length)];
    const res = await client.request(`/api/deals/${dealId}/move`, { method: 'POST', json: body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`move: ${res.status} ${text.slice(0, 200)}`);
  };
  const historyBefore = Number((await database.client.execute('select count(*) from deal_stage_history')).rows[0]![0]);
  await timed(20, moveOnce);
  const moveMs = await timed(RUNS.moves, moveOnce);
  const historyAfter = Number((await database.client.execute('select count(*) from deal_stage_history')).rows[0]![0]);
  // Where the tail comes from: the same moves with the commit's WAL fsync relaxed (synchronous=NORMAL) on this connection.
  const synchronous = Number((await database.client.execute('pragma synchronous')).rows[0]![0]);
  await database.client.execute('pragma synchronous = NORMAL');
  const relaxedMs = await timed(RUNS.moves / 2, moveOnce);
  await database.client.execute(`pragma synchronous = ${synchronous}`);
  const bare = new Hono().post('/api/deals/:id/move', async (c) => c.json({ id: c.req.param('id'), ...(await c.req.json<object>()) }));
  const bareClient = new TestClient(bare as never, 'http://localhost');
  const bareMove = () =>
    bareClient
      .request(`/api/deals/${main.deals[0]}/move`, { method: 'POST', json: { stageId: pipeline.stages[1]!.id, position: 3 } })
      .then((r) => r.text());
  await timed(20, bareMove);
  const bareMs = await timed(RUNS.moves, bareMove);

  const dataset = `${DATA.deals.toLocaleString('en')} deals in the measured pipeline (95 % USD, 5 % EUR; 65 % open over four stages, 20 % won, 15 % lost) and ${main.history.toLocaleString('en')} history rows, plus ${DATA.otherPipelineDeals.toLocaleString('en')} deals / ${other.history.toLocaleString('en')} history rows in a second pipeline of the workspace, on a fresh migrated libSQL file`;
  const client_ =
    'through the real app (createApp(nodeDeps), app.request with a signed-in session cookie: session lookup, workspace scope, validation, service, JSON) in the bench process';
  database.client.close();
  rmSync(dirname(database.path), { recursive: true, force: true });

  const rows: BenchRow[] = [
    {
      figure: 'Pipeline board API (10k deals), median',
      value: median(boardMs),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      baseline: { label: 'grouped count/sum per stage and currency', value: median(groupedTotalsMs) },
      ratio: median(boardMs) / median(groupedTotalsMs),
      how: `GET /api/pipelines/:id/board with its defaults ${client_}, ${RUNS.board} runs after ${RUNS.warmUp} warm-up. As on Pipedrive's and HubSpot's boards, each column carries its first ${DEFAULT_BOARD_LIMIT} cards (by position; ${paged.cards} cards, ${kb(bytes.get(boardPath)!)} of JSON, body read as bytes) and a \`next\` link for the rest, while every column's count, per-currency totals, weighted values and rotting count cover all ${DATA.deals.toLocaleString('en')} deals (checked: they add up to ${DATA.deals.toLocaleString('en')}, and a column's next page continues it exactly): ${summary(boardMs)}. Totals query plan: ${totalsPlan}. ${dataset}. Baseline: the raw libSQL client running \`select stage_id, currency, count(*), sum(value_minor) from deals where pipeline_id = ? group by stage_id, currency\` (the totals alone: no cards, rotting, HTTP or JSON), ${RUNS.baseline} runs: ${summary(groupedTotalsMs)}. The next ${DEFAULT_BOARD_LIMIT} cards of the largest column (${biggest.count.toLocaleString('en')} deals) through its \`next\` link, GET /api/pipelines/:id/board/stages/:stageId?after=…: ${summary(nextMs)}. ${load} before the runs.`,
    },
    {
      figure: 'Pipeline board API (10k deals), p95',
      value: percentile(boardMs, 95),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      how: 'Same runs as the row above (the default board), 95th percentile.',
    },
    {
      figure: `Pipeline board API ?limit=${MAX_BOARD_LIMIT} (10k deals), median`,
      value: median(fullMs),
      unit: 'ms',
      baseline: { label: 'select * from deals where pipeline_id', value: median(selectAllMs) },
      ratio: median(fullMs) / median(selectAllMs),
      how: `The largest board one call returns: GET /api/pipelines/:id/board?limit=${MAX_BOARD_LIMIT} (the maximum page) ${client_}, ${RUNS.board} runs after ${RUNS.warmUp} warm-up: ${full.cards.toLocaleString('en')} of the ${DATA.deals.toLocaleString('en')} cards (up to ${MAX_BOARD_LIMIT} per column; ${kb(bytes.get(fullPath)!)} of JSON), counts and totals over every deal: ${summary(fullMs)}. Baseline: the raw libSQL client running \`select * from deals where pipeline_id = ?\` (all ${DATA.deals.toLocaleString('en')} rows, all columns, no JSON, no HTTP), ${RUNS.baseline} runs: ${summary(selectAllMs)}.`,
    },
    {
      figure: 'Pipeline stats API (10k deals), median',
      value: median(statsMs),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      baseline: { label: 'grouped count/sum per stage', value: median(groupedMs) },
      ratio: median(statsMs) / median(groupedMs),
      how: `GET /api/pipelines/:id/stats (default period: last 30 days; ${stats.won.count} won, ${stats.lost.count} lost and ${movesIn(stats).toLocaleString('en')} stage moves in it) ${client_}, ${RUNS.stats} runs after ${RUNS.warmUp} warm-up: ${summary(statsMs)}. Over all ${DATA.days} days (${longStats.won.count.toLocaleString('en')} won, ${longStats.lost.count.toLocaleString('en')} lost, ${movesIn(longStats).toLocaleString('en')} moves): ${summary(longStatsMs)}. ${dataset}. Baseline: the raw client running one \`select stage_id, count(*), sum(value_minor) … group by stage_id\` over the same pipeline: ${summary(groupedMs)}.`,
    },
    {
      figure: 'Pipeline stats API (10k deals), p95',
      value: percentile(statsMs, 95),
      unit: 'ms',
      budget: { op: '<=', limit: 50 },
      how: `Same runs as the row above, 95th percentile (the ${DATA.days}-day period: p95 ${percentile(longStatsMs, 95).toFixed(2)} ms).`,
    },
    {
      figure: 'Deal move API (10k deals), p95',
      value: percentile(moveMs, 95),
      unit: 'ms',
      budget: { op: '<=', limit: 5 },
      baseline: { label: 'bare Hono POST, same body', value: percentile(bareMs, 95) },
      ratio: percentile(moveMs, 95) / percentile(bareMs, 95),
      how: `${RUNS.moves} sequential POST /api/deals/:id/move ${client_}, after 20 warm-up moves: a random deal of the 10k to a random stage of the 7 (a lost reason when it is a lost stage), 70 % with a random position 0–39 in the target column — each two statements after the session and workspace checks: one read (the deal with its pipeline's stages, its neighbours at the target index and the workspace's enabled webhook endpoints) and one write (a single UPDATE for a reorder within the column, else one atomic batch: deal update, history row, outbox rows). ${summary(moveMs)}, p99 ${percentile(moveMs, 99).toFixed(2)} ms; ${(historyAfter - historyBefore).toLocaleString('en')} history rows written (moves within the same column write none). ${dataset}. Baseline: a bare Hono app answering the same POST with its parsed JSON, through the same client: ${summary(bareMs)}.`,
    },
    {
      figure: 'Deal move API (10k deals), median',
      value: median(moveMs),
      unit: 'ms',
      baseline: { label: 'bare Hono POST, same body', value: median(bareMs) },
      ratio: median(moveMs) / median(bareMs),
      how: 'Same runs as the row above, median.',
    },
    {
      figure: 'Deal move API p95, synchronous=NORMAL',
      value: percentile(relaxedMs, 95),
      unit: 'ms',
      how: `Not the app's configuration — what the move costs without an fsync per commit: ${RUNS.moves / 2} more moves of the same kind after \`PRAGMA synchronous = NORMAL\` on the bench's connection (the app's database runs with synchronous = ${synchronous}, i.e. ${synchronous === 2 ? 'FULL: the WAL is fsynced on every commit' : 'as configured'}). ${summary(relaxedMs)}. WAL with NORMAL stays corruption-safe; a power cut can lose the last commits.`,
    },
  ];
  return rows;
}
