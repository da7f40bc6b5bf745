/**
 * Issue 4 budgets: event ingest through the service and over HTTP (POST /e), and the funnel
 * report over a million events — each against a baseline measured in the same run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { createClient, type Client } from '@libsql/client';
import { Hono } from 'hono';
import { seedDemo } from '../../db/seed';
import { ingestTarget } from '../../db/types';
import {
  DEFAULT_STAGE_RULES,
  FUNNEL_STAGES,
  STAGE_INDEX,
  stageForEvent,
  type EventType,
  type StageOverrides,
} from '../../workers/domain/stages';
import { createApp } from '../../workers/app';
import { newId } from '../../workers/domain/ids';
import { nodeDeps } from '../../workers/node/deps';
import { memoryRateLimiter } from '../../workers/node/rate-limiter';
import { groupCommitSink } from '../../workers/node/event-sink';
import { ingestBatch, type IngestEvent, type Touch } from '../../workers/services/ingest';
import { funnelReport } from '../../workers/services/funnel-report';
import { freshDatabase } from '../support/app';
import { LOAD_TOOL } from './http-load';
import { median, percentile, progress, type BenchRow } from './report';
import { prng } from '../support/prng';

const run = promisify(execFile);
const DAY_MS = 24 * 60 * 60 * 1000;
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Every generated visitor has exactly this many events, so visitors × this = events. */
const EVENTS_PER_VISITOR = 10;
/** Budget 1: events through `ingestBatch` in batches of this size (the group-commit sink's default maxBatch). */
const SERVICE = { visitors: 5_000, batch: 1_000, singleRowInserts: 1_000, rounds: 3 };
const SINK = { visitors: 4_000 };
/** Budget 2: POST /e under wrk. */
const HTTP = { connections: 32, seconds: 5, eventsPerRequest: 15, visitors: 200 };
/** Budget 3: the report's data set. */
const REPORT = { visitors: 100_000, days: 30, batch: 2_000, runs: 25, rawRuns: 2 };

// ── Synthetic traffic for the demo funnel ────────────────────────────────────

export interface DemoFunnel {
  workspaceId: string;
  funnelId: string;
  pageIds: Map<string, string>;
}

export async function demoFunnel(client: Client): Promise<DemoFunnel> {
  const rs = await client.execute(
    `select f.workspace_id, f.id as funnel_id, p.slug, p.id as page_id from funnels f join funnel_pages p on p.funnel_id = f.id where f.slug = 'cosmetics-set'`,
  );
  if (!rs.rows.length) throw new Error('Demo funnel not found: seedDemo did not run?');
  return {
    workspaceId: String(rs.rows[0]!.workspace_id),
    funnelId: String(rs.rows[0]!.funnel_id),
    pageIds: new Map(rs.rows.map((r) => [String(r.slug), String(r.page_id)])),
  };
}

const SOURCES: Array<Omit<Touch, 'landingPage'> | null> = [
  { source: 'instagram', medium: 'social', campaign: 'spring' },
  { source: 'google', medium: 'cpc', campaign: 'brand' },
  { source: 'google', medium: 'cpc', campaign: 'skincare' },
  { source: 'newsletter', medium: 'email', campaign: 'may' },
  { source: 'facebook', medium: 'paid_social', campaign: 'retarget' },
  { source: 'tiktok', medium: 'social', campaign: 'spring' },
  { source: 'blog.example.com', medium: 'referral', referrer: 'https://blog.example.com/skincare' },
  null, // direct
];
/** How far visitors get: 0 awareness … 5 retention (a repeat purchase days later). */
const DEPTH_WEIGHTS = [0.45, 0.25, 0.15, 0.08, 0.05, 0.02];

/**
 * One visitor's journey on the demo funnel, exactly EVENTS_PER_VISITOR events between `start` and
 * `end`: a page view with a UTM touch, then — as deep as the visitor gets — engagement, the quiz or
 * the ebook, the offer, a purchase, a repeat purchase; the remaining events are return visits and
 * events that move no stage (quiz answers, form starts, more clicks).
 */
export class TrafficGenerator {
  private readonly rand: () => number;
  constructor(
    private readonly funnel: DemoFunnel,
    seed: number,
  ) {
    this.rand = prng(seed);
  }

  private hexId(): string {
    let id = '';
    for (let i = 0; i < 4; i++)
      id += Math.floor(this.rand() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return id;
  }

  /**
   * An event id made where production makes it: the server's page views are time-ordered (newId),
   * so are form, quiz and ebook submissions (`sub_` + the submission's newId); the tracker's are 12
   * hex digits of time, 4 counting the page's ids (here the journey's), 16 random
   * (pages-ui/tracker/tracker.ts); the server events API's purchases are `api_` + 32 hex digits of
   * a hash of the order — random.
   */
  private eventId(type: EventType, at: number, made: number): string {
    if (type === 'page_view') return newId(at);
    if (type === 'lead_magnet_download') return `sub_${newId(at)}`;
    if (type === 'purchase' || type === 'repeat_purchase') return `api_${this.hexId()}`;
    return at.toString(16).padStart(12, '0') + ((made & 65535) | 65536).toString(16).slice(1) + this.hexId().slice(16);
  }

  journey(start: number, end: number): IngestEvent[] {
    const rand = this.rand;
    const visitorId = `v${newId(start)}`; // as the lf_vid cookie is made: time-ordered, on the first page view
    let t = start;
    const events: IngestEvent[] = [];
    const add = (type: EventType, slug: string, at: number, touch?: Touch) =>
      events.push({
        id: this.eventId(type, Math.min(at, end - 1), events.length),
        workspaceId: this.funnel.workspaceId,
        visitorId,
        type,
        occurredAt: Math.min(at, end - 1),
        funnelId: this.funnel.funnelId,
        pageId: this.funnel.pageIds.get(slug) ?? null,
        pageSlug: slug,
        touch: touch ?? null,
        props: {},
      });
    const step = () => (t += 1_000 + Math.floor(rand() * 120_000));
    const touch = (slug: string): Touch => ({
      ...(SOURCES[Math.floor(rand() * SOURCES.length)] ?? {}),
      landingPage: `/p/cosmetics-set${slug === 'landing' ? '' : `/${slug}`}`,
    });
    let depth = 0;
    for (let r = rand(), acc = 0; depth < DEPTH_WEIGHTS.length - 1; depth++) if (r < (acc += DEPTH_WEIGHTS[depth]!)) break;

    add('page_view', 'landing', t, touch('landing'));
    if (depth >= 1) add('engaged', 'landing', step());
    if (depth >= 2) {
      if (rand() < 0.6) {
        add('page_view', 'quiz', step());
        add('quiz_start', 'quiz', step());
        add('quiz_complete', 'quiz', step());
      } else {
        add('page_view', 'guide', step());
        add('lead_magnet_download', 'guide', step());
      }
    }
    if (depth >= 3) {
      add('page_view', 'offer', step());
      add('offer_view', 'offer', step());
    }
    if (depth >= 4) {
      add('purchase', 'offer', step());
      add('page_view', 'thanks', step());
    }
    if (depth >= 5) add('repeat_purchase', 'offer', t + DAY_MS + Math.floor(rand() * 2 * DAY_MS));
    while (events.length < EVENTS_PER_VISITOR) {
      const r = rand();
      if (r < 0.3)
        add('page_view', 'landing', t + Math.floor(rand() * 5 * DAY_MS), touch('landing')); // a return visit
      else if (r < 0.55) add('quiz_answer', 'quiz', step());
      else if (r < 0.7) add('form_start', 'guide', step());
      else if (depth >= 1) add(depth >= 3 && r < 0.8 ? 'checkout_start' : 'cta_click', 'landing', step());
      else add('page_view', 'offer', step());
    }
    return events;
  }

  /**
   * `visitors` journeys starting uniformly in [from, from + spanMs), their events sorted by time
   * (arrival order) and decoded from JSON, as ingest receives them: the sink gets them from a
   * parsed beacon, the queue consumer from a message. Built above by concatenation, the ids would
   * otherwise be V8 rope strings that ingest's JSON.stringify has to flatten first.
   */
  traffic(visitors: number, from: number, spanMs: number, end: number): IngestEvent[] {
    const events: IngestEvent[] = [];
    for (let i = 0; i < visitors; i++) events.push(...this.journey(from + Math.floor(this.rand() * spanMs), end));
    return JSON.parse(JSON.stringify(events.sort((a, b) => a.occurredAt - b.occurredAt))) as IngestEvent[];
  }
}

export const chunks = <T>(xs: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

async function countRows(client: Client, sql: string, args: Array<string | number> = []): Promise<number> {
  return Number((await client.execute({ sql, args })).rows[0]![0]);
}

/** The demo seed ingests a few hundred journeys of its own "last 30 days": date them long before anything measured here. */
const SEED_CLOCK = Date.UTC(2025, 0, 15);

async function seededDatabase(name: string) {
  const database = await freshDatabase(name);
  await seedDemo(database, { clock: () => SEED_CLOCK });
  return { database, funnel: await demoFunnel(database.client) };
}

/** Closes a bench database and deletes its files (the million-event one is ~400 MB). */
function discard(database: { client: Client; path: string }): void {
  database.client.close();
  rmSync(dirname(database.path), { recursive: true, force: true });
}

// ── 1. Ingest through the service ────────────────────────────────────────────

/** Wall and CPU time of a step, and the machine's load — on a shared 2-core box the load explains much of the spread. */
function stopwatch(): () => { seconds: number; cpuSeconds: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}
const machine = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;

const serialised = (e: IngestEvent) => JSON.stringify({ ...e.props, ...(e.touch ? { touch: e.touch } : {}) });

/**
 * Baseline: the same kind of events, one autocommit INSERT each into `events` — no stages, no
 * rollups — through the stock @libsql/client with its defaults, as a straightforward
 * implementation would write them and as issue 4 set the ≥ 20× budget against: every commit
 * synced to disk. `synchronous: 'NORMAL'` measures it with the durability the app's connections
 * have since (a commit survives the process, not a power cut), where a commit costs no fsync.
 */
async function singleRowRate(now: number, seed: number, synchronous?: 'NORMAL'): Promise<number> {
  const { database, funnel } = await seededDatabase('bench-ingest-single');
  const events = new TrafficGenerator(funnel, seed).traffic(SERVICE.singleRowInserts / EVENTS_PER_VISITOR, now - DAY_MS, DAY_MS, now);
  // One connection, so a setting applies to every insert.
  const stock = createClient({ url: `file:${database.path}`, concurrency: 1 });
  if (synchronous) await stock.execute(`PRAGMA synchronous = ${synchronous}`);
  const time = stopwatch();
  for (const e of events) {
    await stock.execute({
      sql: 'insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at, props) values (?,?,?,?,?,?,?,?,?)',
      args: [e.id, e.workspaceId, e.funnelId ?? null, e.pageId ?? null, e.visitorId, e.type, e.occurredAt, now, serialised(e)],
    });
  }
  const rate = events.length / time().seconds;
  stock.close();
  discard(database);
  return rate;
}

interface ServiceRound {
  rate: number;
  seconds: number;
  cpuSeconds: number;
  batchMs: number[];
  distinctVisitors: number;
  purchases: number;
}

async function serviceRate(now: number, seed: number, total = SERVICE.visitors * EVENTS_PER_VISITOR): Promise<ServiceRound> {
  const { database, funnel } = await seededDatabase('bench-ingest-service');
  const client = database.client;
  const visitors = total / EVENTS_PER_VISITOR;
  const events = new TrafficGenerator(funnel, seed).traffic(visitors, now - DAY_MS, DAY_MS, now);
  const batches = chunks(events, SERVICE.batch);
  const eventsBefore = await countRows(client, 'select count(*) from events');
  const stagesBefore = await countRows(client, 'select count(*) from visitor_stages');
  const batchMs: number[] = [];
  const time = stopwatch();
  for (const batch of batches) {
    const t0 = performance.now();
    await ingestBatch(ingestTarget(database), batch, now);
    batchMs.push(performance.now() - t0);
  }
  const { seconds, cpuSeconds } = time();
  const stored = (await countRows(client, 'select count(*) from events')) - eventsBefore;
  const tracked = (await countRows(client, 'select count(*) from visitor_stages')) - stagesBefore;
  discard(database);
  if (stored !== total || tracked !== visitors)
    throw new Error(`Ingest stored ${stored} events / ${tracked} visitors, expected ${total} / ${visitors}`);
  return {
    rate: total / seconds,
    seconds,
    cpuSeconds,
    batchMs,
    distinctVisitors: median(batches.map((b) => new Set(b.map((e) => e.visitorId)).size)),
    purchases: events.filter((e) => e.type === 'purchase').length,
  };
}

/** Exported so the section can run on its own: `npx tsx -e "import('./test/bench/tracking.ts').then((m) => m.benchServiceIngest())"`. */
export async function benchServiceIngest(): Promise<BenchRow[]> {
  const now = Date.now();
  const total = SERVICE.visitors * EVENTS_PER_VISITOR;
  const load = machine();
  progress('Ingest warm-up (JIT, libSQL), not measured');
  await serviceRate(now, 200, SERVICE.batch * 10);
  const rounds: Array<{ single: number; singleNormal: number; service: ServiceRound }> = [];
  for (let round = 1; round <= SERVICE.rounds; round++) {
    progress(
      `Ingest round ${round}/${SERVICE.rounds}: ${SERVICE.singleRowInserts} single-row INSERTs, then ${total.toLocaleString('en')} events through ingestBatch`,
    );
    const single = await singleRowRate(now, 100 + round);
    const singleNormal = await singleRowRate(now, 300 + round, 'NORMAL');
    const service = await serviceRate(now, 200 + round);
    rounds.push({ single, singleNormal, service });
  }
  const singleNormalMedian = median(rounds.map((r) => r.singleNormal));
  const serviceMedian = median(rounds.map((r) => r.service.rate));
  const singleMedian = median(rounds.map((r) => r.single));
  const ratioMedian = median(rounds.map((r) => r.service.rate / r.single));
  const allBatchMs = rounds.flatMap((r) => r.service.batchMs);
  const perRound = rounds
    .map(
      (r) =>
        `${r.service.rate.toFixed(0)} vs ${r.single.toFixed(0)} events/s (${r.service.seconds.toFixed(1)} s wall, ${r.service.cpuSeconds.toFixed(1)} CPU-s)`,
    )
    .join('; ');

  const sinkTotal = SINK.visitors * EVENTS_PER_VISITOR;
  progress(`Ingest through groupCommitSink: ${sinkTotal.toLocaleString('en')} events enqueued as beacons of 1–10 events`);
  const sinkDb = await seededDatabase('bench-ingest-sink');
  const sinkEvents = new TrafficGenerator(sinkDb.funnel, 3).traffic(SINK.visitors, now - DAY_MS, DAY_MS, now);
  const beacons: IngestEvent[][] = [];
  const sizes = prng(7);
  for (let i = 0; i < sinkEvents.length;) {
    const n = 1 + Math.floor(sizes() * 10);
    beacons.push(sinkEvents.slice(i, i + n));
    i += n;
  }
  const sinkBefore = await countRows(sinkDb.database.client, 'select count(*) from events');
  let sinkErrors = 0;
  const sink = groupCommitSink(ingestTarget(sinkDb.database), { onError: () => void sinkErrors++ });
  const sinkTime = stopwatch();
  for (const beacon of beacons) await sink.enqueue(beacon);
  await sink.flush();
  const sinkElapsed = sinkTime();
  const sinkRate = sinkTotal / sinkElapsed.seconds;
  const sinkStored = (await countRows(sinkDb.database.client, 'select count(*) from events')) - sinkBefore;
  discard(sinkDb.database);
  if (sinkErrors || sinkStored !== sinkTotal)
    throw new Error(`groupCommitSink stored ${sinkStored} of ${sinkTotal} events (${sinkErrors} failed batches)`);

  const data = `${total.toLocaleString('en')} events of ${SERVICE.visitors.toLocaleString('en')} demo-funnel visitors (page views with UTM touches; ids made as in production: time-ordered for page views, submissions and the tracker's engagement, quiz and offer events, random hashes for purchases; ~${rounds[0]!.service.purchases} purchases and a few repeat purchases; every visitor 10 events) sorted by time as they would arrive`;
  const serviceRow = {
    value: serviceMedian,
    unit: 'events/s',
    baseline: { label: 'single-row INSERT', value: singleMedian },
    ratio: ratioMedian,
  };
  return [
    {
      figure: 'Ingest service (ingestBatch)',
      ...serviceRow,
      budget: { op: '>=', limit: 20_000 },
      how: `${data}, in ${total / SERVICE.batch} ingestBatch calls of ${SERVICE.batch} events (median ${rounds[0]!.service.distinctVisitors} distinct visitors per batch) into a fresh migrated libSQL file (WAL, on ${tmpdir()}) — one transaction per call writing events, visitors, visitor_stages, daily_rollups and stage_duration_rollups. After a 10-batch warm-up, ${SERVICE.rounds} rounds, each on fresh files and interleaved with the baseline (value and baseline: medians; ratio: median of the per-round ratios): ${perRound}. Batch p50 ${median(allBatchMs).toFixed(0)} ms, p95 ${percentile(allBatchMs, 95).toFixed(0)} ms. Baseline: ${SERVICE.singleRowInserts} events of the same kind, one autocommit INSERT per event into \`events\` (raw row only) through the stock @libsql/client with its defaults (each commit synced), own fresh file. ${load} at the start.`,
    },
    {
      figure: 'Ingest service vs single-row INSERTs',
      ...serviceRow,
      budget: { op: '>=', limit: 20, on: 'ratio' },
      how: `Same rounds as the row above: median of the per-round ratios (ingestBatch writes stages and rollups too, the baseline only the raw row).`,
    },
    {
      figure: 'Ingest service vs single-row INSERTs, synchronous=NORMAL',
      value: serviceMedian,
      unit: 'events/s',
      baseline: { label: 'single-row INSERT, NORMAL', value: singleNormalMedian },
      ratio: median(rounds.map((r) => r.service.rate / r.singleNormal)),
      how: `Same rounds, the baseline's connection set to synchronous=NORMAL as the app's are: a commit then costs no fsync, so what batching saves is mostly statement overhead (${SERVICE.singleRowInserts} inserts per round, medians).`,
    },
    {
      figure: 'Ingest via groupCommitSink (beacon-sized)',
      value: sinkRate,
      unit: 'events/s',
      baseline: { label: 'single-row INSERT', value: singleMedian },
      ratio: sinkRate / singleMedian,
      how: `${sinkTotal.toLocaleString('en')} events of ${SINK.visitors.toLocaleString('en')} visitors enqueued as ${beacons.length.toLocaleString('en')} beacons of 1–10 events into groupCommitSink with its defaults (maxBatch 1000, 5 ms, maxBuffered 20,000), then flush(); first enqueue to end of flush ${sinkElapsed.seconds.toFixed(1)} s wall, ${sinkElapsed.cpuSeconds.toFixed(1)} CPU-s; all ${sinkStored.toLocaleString('en')} stored. No HTTP. ${machine()}.`,
    },
  ];
}

// ── 2. Ingest over HTTP ──────────────────────────────────────────────────────

const BEACON_TYPES = [
  'engaged',
  'cta_click',
  'quiz_start',
  'quiz_answer',
  'quiz_answer',
  'quiz_answer',
  'quiz_complete',
  'form_start',
  'offer_view',
  'checkout_start',
];
const BEACON_PATHS = ['/p/cosmetics-set', '/p/cosmetics-set/quiz', '/p/cosmetics-set/guide', '/p/cosmetics-set/offer'];

/**
 * A wrk script making every request unique: a per-request counter gives fresh event ids (so nothing
 * is de-duplicated), the visitor cookie and page rotate over real visitors and published pages.
 */
function wrkScript(prefix: string, cookies: string[], at: number): string {
  const lua = (xs: string[]) => `{ ${xs.map((x) => JSON.stringify(x)).join(', ')} }`;
  return `
local cookies = ${lua(cookies)}
local types = ${lua(BEACON_TYPES)}
local paths = ${lua(BEACON_PATHS)}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[counter % #paths + 1]
  local parts = {}
  for i = 1, ${HTTP.eventsPerRequest} do
    parts[i] = string.format('{"id":"${prefix}%010d%02d","type":"%s","at":${at},"path":"%s"}', counter, i, types[(counter + i) % #types + 1], path)
  end
  local body = '{"events":[' .. table.concat(parts, ',') .. ']}'
  return wrk.format("POST", "/e", {
    ["content-type"] = "application/json",
    ["user-agent"] = "${BROWSER_UA}",
    ["sec-fetch-site"] = "same-origin",
    ["cookie"] = "lf_vid=" .. cookies[counter % #cookies + 1],
  }, body)
end
`;
}

/** The same requests from Node, for machines without wrk: keep-alive, fixed concurrency and duration. */
const NODE_LOADER = `
import { Agent, request } from 'node:http';
const [url, prefix, cookies, at, n, connections, seconds] = JSON.parse(process.argv[1]);
const types = ${JSON.stringify(BEACON_TYPES)}, paths = ${JSON.stringify(BEACON_PATHS)};
const agent = new Agent({ keepAlive: true, maxSockets: connections });
let counter = 0, requests = 0, errors = 0;
const started = performance.now(), deadline = started + seconds * 1000;
const one = () => new Promise((resolve) => {
  const c = ++counter, path = paths[c % paths.length];
  const events = Array.from({ length: n }, (_, i) => ({ id: prefix + String(c).padStart(10, '0') + String(i + 1).padStart(2, '0'), type: types[(c + i + 1) % types.length], at, path }));
  const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'user-agent': ${JSON.stringify(BROWSER_UA)}, 'sec-fetch-site': 'same-origin', cookie: 'lf_vid=' + cookies[c % cookies.length] } }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode === 202) requests++; else errors++; resolve(); });
  });
  req.on('error', () => { errors++; resolve(); });
  req.end(JSON.stringify({ events }));
});
await Promise.all(Array.from({ length: connections }, async () => { while (performance.now() < deadline) await one(); }));
const s = (performance.now() - started) / 1000;
console.log(JSON.stringify({ requests, errors, seconds: s, rps: requests / s }));
`;

interface PostLoad {
  rps: number;
  requests: number;
  errors: number;
  seconds: number;
}

async function postLoad(app: Pick<Hono, 'fetch'>, prefix: string, cookies: string[], at: number): Promise<PostLoad> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/e`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    if (LOAD_TOOL === 'wrk') {
      const script = join(dir, 'beacon.lua');
      writeFileSync(script, wrkScript(prefix, cookies, at));
      const { stdout } = await run('wrk', ['-t1', `-c${HTTP.connections}`, `-d${HTTP.seconds}s`, '-s', script, url]);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const socketErrors =
        /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
          .exec(stdout)
          ?.slice(1)
          .reduce((a, b) => a + Number(b), 0) ?? 0;
      const [, amount, unit] = /requests in ([\d.]+)(\w+),/.exec(stdout) ?? [];
      const seconds = Number(amount) * (unit === 'ms' ? 0.001 : unit === 'm' ? 60 : 1);
      return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0), requests, errors: non2xx + socketErrors, seconds };
    }
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      NODE_LOADER,
      JSON.stringify([url, prefix, cookies, at, HTTP.eventsPerRequest, HTTP.connections, HTTP.seconds]),
    ]);
    return JSON.parse(stdout) as PostLoad;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as HttpServer).closeAllConnections();
    });
  }
}

async function benchHttpIngest(): Promise<BenchRow[]> {
  const { database } = await seededDatabase('bench-ingest-http');
  // Every request comes from 127.0.0.1: the beacon's per-IP limit is raised out of reach, but its
  // limiter still runs on every request, so its cost is in the figure.
  const unlimited = memoryRateLimiter({ limit: Number.MAX_SAFE_INTEGER, periodSeconds: 60 }, Date.now);
  const deps = nodeDeps(database, 'bench-secret-0123456789', { rateLimiters: { capture: unlimited, beacon: unlimited } });
  const app = createApp(deps);

  progress(`POST /e: ${HTTP.visitors} visitors get their lf_vid cookie from a page view of /p/cosmetics-set`);
  const cookies: string[] = [];
  for (let i = 0; i < HTTP.visitors; i++) {
    const res = await app.request('http://localhost/p/cosmetics-set?utm_source=bench&utm_medium=load', {
      headers: { 'user-agent': BROWSER_UA },
    });
    await res.arrayBuffer();
    const cookie = /lf_vid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    if (res.status !== 200 || !cookie) throw new Error(`Page view did not set a visitor cookie (${res.status})`);
    cookies.push(cookie);
  }
  await deps.events.flush();
  const before = await countRows(database.client, 'select count(*) from events');

  // Baseline: a bare Hono route that reads the same JSON bodies and answers 202 — the HTTP ceiling.
  const bare = new Hono().post('/e', async (c) => c.json({ accepted: (await c.req.json<{ events: unknown[] }>()).events.length }, 202));
  progress(
    `POST /e vs a bare Hono route: ${LOAD_TOOL}, ${HTTP.connections} connections × ${HTTP.seconds} s each, ${HTTP.eventsPerRequest} events per request`,
  );
  const baseline = await postLoad(bare, 'bare', cookies, Date.now());
  const prefix = `h${Date.now().toString(36)}`;
  const load = machine();
  const time = stopwatch();
  const ours = await postLoad(app, prefix, cookies, Date.now());
  const drainStarted = performance.now();
  await deps.events.flush();
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const { cpuSeconds } = time();
  const stored = (await countRows(database.client, 'select count(*) from events')) - before;
  const accepted = await countRows(database.client, `select count(*) from events where id like ? and type != 'page_view'`, [`${prefix}%`]);
  discard(database);
  // wrk counts completed responses; a few requests in flight when it stops are stored but not counted.
  const expected = ours.requests * HTTP.eventsPerRequest;
  if (ours.errors || accepted !== stored || accepted < expected || accepted > expected + HTTP.connections * HTTP.eventsPerRequest) {
    throw new Error(
      `POST /e: ${ours.errors} errors; stored ${accepted} events for ${ours.requests} answered requests × ${HTTP.eventsPerRequest}`,
    );
  }
  const rate = ours.rps * HTTP.eventsPerRequest;
  const sustained = accepted / (ours.seconds + drainSeconds);
  const baselineRate = baseline.rps * HTTP.eventsPerRequest;
  return [
    {
      figure: 'Ingest over HTTP (POST /e)',
      value: sustained,
      unit: 'events/s',
      budget: { op: '>=', limit: 5_000 },
      baseline: { label: 'bare Hono POST, same bodies', value: baselineRate },
      ratio: sustained / baselineRate,
      how: `${LOAD_TOOL} (${LOAD_TOOL === 'wrk' ? 'Lua request() making every body unique' : 'Node loader'}), ${HTTP.connections} keep-alive connections × ${HTTP.seconds} s against the local runtime (createApp(nodeDeps), group-commit sink, libSQL file) in the bench process: ${ours.requests.toLocaleString('en')} requests, all 202 (${ours.rps.toFixed(0)} req/s), each ${HTTP.eventsPerRequest} beacon events with fresh ids (nothing de-duplicated) for one of ${HTTP.visitors} real visitor cookies on one of ${BEACON_PATHS.length} published pages. Value = events stored / (load time + ${(drainSeconds * 1000).toFixed(0)} ms to flush the buffer afterwards) = ${accepted.toLocaleString('en')} / ${(ours.seconds + drainSeconds).toFixed(2)} s; requests/s × events per request alone is ${rate.toFixed(0)}. Stored count checked. The server process used ${cpuSeconds.toFixed(1)} CPU-s (of ${(ours.seconds + drainSeconds).toFixed(1)} s); ${load} before the load. Baseline: the same load against a bare Hono route that parses the body and answers 202 (no validation, no storage).`,
    },
  ];
}

// ── 3. Funnel report over a million events ───────────────────────────────────

/**
 * An event's stage index as SQL, the way the funnel maps it (`stageForEvent`): its page overrides
 * for page views (the demo funnel's quiz and guide are interest, offer and thanks desire), then its
 * event-type overrides, then the defaults; null for events that reach no stage.
 */
function stageSql(overrides: StageOverrides, pageIds: Map<string, string>): string {
  const pages = Object.entries(overrides.pages ?? {}).flatMap(([slug, stage]) => {
    const id = pageIds.get(slug);
    return id ? [`when type = 'page_view' and page_id = '${id}' then ${STAGE_INDEX[stage]}`] : [];
  });
  const types = (Object.keys(DEFAULT_STAGE_RULES) as EventType[]).flatMap((type) => {
    const stage = stageForEvent(type, null, overrides);
    return stage === null ? [] : [`when type = '${type}' then ${stage}`];
  });
  return `case ${[...pages, ...types].join(' ')} end`;
}

/**
 * The report's stage counts computed the straightforward way, from raw events: per visitor the
 * first time each stage was reached (an event of a later stage reaches the earlier ones too;
 * retention is a repeat purchase or a second purchase) and the attribution of the earliest page
 * view, then per stage and source the visitors whose first reach falls in the period and in the
 * previous one.
 */
function rawReportSql(overrides: StageOverrides, pageIds: Map<string, string>): string {
  const last = FUNNEL_STAGES.length - 1;
  const firsts = FUNNEL_STAGES.map((_, i) => `min(case when stage >= ${i} then occurred_at end) as s${i}`).join(',\n      ');
  const stageCase = FUNNEL_STAGES.map((_, i) => `when ${i} then s${i}`).join(' ');
  const secondPurchase = `(select p.occurred_at from events p where p.visitor_id = r.visitor_id and p.funnel_id = :funnel and p.type = 'purchase' order by p.occurred_at limit 1 offset 1)`;
  return `
    with reached as (
      select visitor_id, ${firsts},
             count(case when type = 'purchase' then 1 end) as purchases,
             min(case when type = 'page_view' then occurred_at end) as first_view_at
      from (select *, ${stageSql(overrides, pageIds)} as stage from events where funnel_id = :funnel and workspace_id = :workspace)
      group by visitor_id
    ),
    attributed as (
      select ${FUNNEL_STAGES.slice(0, last)
        .map((_, i) => `r.s${i}`)
        .join(', ')},
             case when r.purchases < 2 then r.s${last} else min(coalesce(r.s${last}, ${secondPurchase}), ${secondPurchase}) end as s${last},
             coalesce(json_extract(e.props, '$.touch.source'), '') as source,
             coalesce(json_extract(e.props, '$.touch.medium'), '') as medium,
             coalesce(json_extract(e.props, '$.touch.campaign'), '') as campaign
      from reached r left join events e on e.visitor_id = r.visitor_id and e.occurred_at = r.first_view_at and e.type = 'page_view' and e.funnel_id = :funnel
    ),
    per_stage as (
      select st.i as stage, source, medium, campaign, case st.i ${stageCase} end as at
      from attributed cross join (${FUNNEL_STAGES.map((_, i) => `select ${i} as i`).join(' union all ')}) st
    )
    select stage, source, medium, campaign,
           sum(at >= :from and at < :to) as current,
           sum(at >= :prevFrom and at < :from) as prior
    from per_stage where at is not null
    group by stage, source, medium, campaign`;
}

async function benchFunnelReport(): Promise<BenchRow[]> {
  const { database, funnel } = await seededDatabase('bench-report');
  const client = database.client;
  const start = Date.UTC(2026, 4, 1);
  const end = start + REPORT.days * DAY_MS;
  const gen = new TrafficGenerator(funnel, 4);
  const total = REPORT.visitors * EVENTS_PER_VISITOR;
  const perDay = REPORT.visitors / REPORT.days;

  progress(
    `Funnel report data: ${total.toLocaleString('en')} events of ${REPORT.visitors.toLocaleString('en')} visitors over ${REPORT.days} days through ingestBatch (batches of ${REPORT.batch})`,
  );
  const eventsBefore = await countRows(client, 'select count(*) from events');
  const visitorsBefore = await countRows(client, 'select count(*) from visitor_stages');
  const load = machine();
  const genStarted = performance.now();
  let ingestSeconds = 0;
  let done = 0;
  // The last five days' worth, ingested while the database already holds most of the million.
  const tail = { from: REPORT.days - 5, events: 0, seconds: 0, loadedBefore: 0 };
  for (let day = 0; day < REPORT.days; day++) {
    // A day's new visitors at a time, in time order; their return visits and repeat purchases land on later days.
    const visitors = Math.round(perDay * (day + 1)) - Math.round(perDay * day);
    const events = gen.traffic(visitors, start + day * DAY_MS, DAY_MS - 60 * 60 * 1000, end);
    const t0 = performance.now();
    for (const batch of chunks(events, REPORT.batch)) await ingestBatch(ingestTarget(database), batch, end);
    const seconds = (performance.now() - t0) / 1000;
    ingestSeconds += seconds;
    if (day === tail.from) tail.loadedBefore = done;
    if (day >= tail.from) [tail.events, tail.seconds] = [tail.events + events.length, tail.seconds + seconds];
    done += events.length;
    if (day % 5 === 4 || day === REPORT.days - 1)
      progress(
        `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} events ingested (${(done / ingestSeconds).toFixed(0)} events/s)`,
      );
  }
  const genSeconds = (performance.now() - genStarted) / 1000;
  const stored = (await countRows(client, 'select count(*) from events')) - eventsBefore;
  const storedVisitors = (await countRows(client, 'select count(*) from visitor_stages')) - visitorsBefore;
  if (stored !== total || storedVisitors !== REPORT.visitors)
    throw new Error(`Report data: ${stored} events / ${storedVisitors} visitors stored, expected ${total} / ${REPORT.visitors}`);
  const rollupRows = await countRows(client, 'select count(*) from daily_rollups where funnel_id = ?', [funnel.funnelId]);
  await client.execute('analyze');

  const period = { from: new Date(start).toISOString().slice(0, 10), to: new Date(end - DAY_MS).toISOString().slice(0, 10) };
  progress(
    `Funnel report ${period.from}…${period.to}: ${REPORT.runs} runs of funnelReport, ${REPORT.rawRuns} of the raw-events computation`,
  );
  const report = await funnelReport(database.db, funnel.workspaceId, funnel.funnelId, period); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REPORT.runs; i++) {
    const t0 = performance.now();
    await funnelReport(database.db, funnel.workspaceId, funnel.funnelId, period);
    times.push(performance.now() - t0);
  }

  const settings = JSON.parse(
    String((await client.execute({ sql: 'select settings from funnels where id = ?', args: [funnel.funnelId] })).rows[0]?.settings ?? '{}'),
  ) as {
    stages?: StageOverrides;
  };
  const overrides = settings.stages ?? {};
  const rawTimes: number[] = [];
  let raw: Array<{ stage: number; source: string; medium: string; campaign: string; current: number; prior: number }> = [];
  for (let i = 0; i < REPORT.rawRuns; i++) {
    progress(`  raw-events computation ${i + 1}/${REPORT.rawRuns}`);
    const t0 = performance.now();
    const rs = await client.execute({
      sql: rawReportSql(overrides, funnel.pageIds),
      args: { funnel: funnel.funnelId, workspace: funnel.workspaceId, from: start, to: end, prevFrom: start - REPORT.days * DAY_MS },
    });
    raw = rs.rows.map((r) => ({
      stage: Number(r.stage),
      source: String(r.source),
      medium: String(r.medium),
      campaign: String(r.campaign),
      current: Number(r.current),
      prior: Number(r.prior),
    }));
    rawTimes.push(performance.now() - t0);
  }
  discard(database);

  // Both ways must give the same numbers: per stage, and per stage × source/medium/campaign.
  const rawStages = FUNNEL_STAGES.map((_, i) => raw.filter((r) => r.stage === i).reduce((n, r) => n + r.current, 0));
  const rollupStages = report.stages.map((s) => s.visitors);
  const rawSources = new Map<string, number[]>();
  for (const r of raw) {
    if (!r.current) continue;
    const key = `${r.source}/${r.medium}/${r.campaign}`;
    const counts = rawSources.get(key) ?? FUNNEL_STAGES.map(() => 0);
    counts[r.stage] = (counts[r.stage] ?? 0) + r.current;
    rawSources.set(key, counts);
  }
  const rollupSources = new Map(
    report.bySource.map((s) => [`${s.source}/${s.medium}/${s.campaign}`, FUNNEL_STAGES.map((st) => s.stages[st])]),
  );
  const sameSources =
    rawSources.size === rollupSources.size && [...rawSources].every(([k, v]) => JSON.stringify(rollupSources.get(k)) === JSON.stringify(v));
  if (
    JSON.stringify(rawStages) !== JSON.stringify(rollupStages) ||
    rollupStages[0] !== REPORT.visitors ||
    !sameSources ||
    report.stages.some((s) => s.previousPeriodVisitors !== 0)
  ) {
    throw new Error(
      `Funnel report disagrees with the raw-events computation: rollups ${JSON.stringify(rollupStages)} vs raw ${JSON.stringify(rawStages)}; by source ${JSON.stringify([...rollupSources])} vs ${JSON.stringify([...rawSources])}`,
    );
  }

  const value = median(times);
  const rawMs = Math.min(...rawTimes);
  const row = { value, unit: 'ms', baseline: { label: 'SQL over raw events', value: rawMs }, ratio: rawMs / value };
  const data = `${total.toLocaleString('en')} events of ${REPORT.visitors.toLocaleString('en')} visitors over ${REPORT.days} days (demo funnel; stage counts ${rollupStages.join(' → ')}) all ingested through ingestBatch in ${REPORT.batch}-event batches, a day's new visitors at a time in time order (${genSeconds.toFixed(0)} s incl. generation), giving ${rollupRows.toLocaleString('en')} daily_rollups rows`;
  return [
    {
      figure: 'Funnel report, 1M events (rollups)',
      ...row,
      budget: { op: '<=', limit: 20 },
      how: `funnelReport() for the ${REPORT.days}-day period (plus the previous period, by-source breakdown and stage durations, as the API serves it): median of ${REPORT.runs} runs after one warm-up, p95 ${percentile(times, 95).toFixed(2)} ms. ${data}. Baseline: one SQL query over \`events\` (per visitor min(case…) of each stage's event types, group by visitor, attribution from the earliest page view's touch, counts per stage × source for both periods), best of ${REPORT.rawRuns} runs (${rawTimes.map((t) => t.toFixed(0)).join(', ')} ms). Both agree on every stage and source count (checked). Ratio = raw time / report time. ${machine()} after the runs.`,
    },
    {
      figure: 'Funnel report vs raw events',
      ...row,
      budget: { op: '>=', limit: 50, on: 'ratio' },
      how: 'Same measurement as the row above: how many times faster the rollup report is than the raw-events computation.',
    },
    {
      figure: 'Ingest service near 1M stored events',
      value: tail.events / tail.seconds,
      unit: 'events/s',
      baseline: { label: 'whole 0→1M load', value: total / ingestSeconds },
      ratio: tail.events / tail.seconds / (total / ingestSeconds),
      how: `From the report's data load above (ingestBatch time only, generation excluded): the last ${tail.events.toLocaleString('en')} events, ingested in ${REPORT.batch}-event batches while the database already held ${tail.loadedBefore.toLocaleString('en')} (${tail.seconds.toFixed(1)} s); the baseline is the average over the whole load (${ingestSeconds.toFixed(1)} s for ${total.toLocaleString('en')}). Visitors' return visits and repeat purchases on later days arrive out of order. ${load} at the start of the load. Info: the budget row above is measured on fresh files.`,
    },
  ];
}

export async function benchTracking(): Promise<BenchRow[]> {
  const started = performance.now();
  const rows = [...(await benchServiceIngest()), ...(await benchHttpIngest()), ...(await benchFunnelReport())];
  progress(`Tracking bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return rows;
}
