/**
 * Issue 13's dashboard budgets: every chart drawn ≤ 300 ms after navigation in Chromium, on the
 * demo data and on a million events (generated in this bench's own database through ingestBatch,
 * as the funnel-report bench of tracking.ts does), and the dashboard view's JS ≤ 40 KB gzip.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { ingestTarget, type Database } from '../../db/types';
import { APP_MANIFEST_FILE, PUBLIC_DIR, type AppManifest } from '../../workers/app-bundle';
import { createApp } from '../../workers/app';
import { nodeDeps } from '../../workers/node/deps';
import { ingestBatch } from '../../workers/services/ingest';
import { freshDatabase } from '../support/app';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_HINT, launchBrowser, serveApp } from '../support/browser';
import { loadavg, availableParallelism } from 'node:os';
import { median, percentile, progress, type BenchRow } from './report';

const loadavgNote = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores after the runs`;
import { chunks, demoFunnel, TrafficGenerator } from './tracking';

const VIEW = 'pages-ui/app/views/dashboard/dashboard.tsx';
const VIEW_JS_BUDGET_KB = 40;
const DRAWN_BUDGET_MS = 300;
/** Set by the dashboard once every card of its first load has drawn its numbers (views/dashboard/dashboard.tsx). */
const READY_MARK = 'lf:dashboard-ready';
const RUNS = 12;
const DAY_MS = 24 * 60 * 60 * 1000;
/** 100,000 visitors × 10 events = 1,000,000 events over the dashboard's default 30 days. */
const MILLION = { visitors: 100_000, eventsPerVisitor: 10, days: 30, batch: 2_000 };

function closure(manifest: AppManifest, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of manifest.chunks.find((c) => c.file === file)?.imports ?? []) closure(manifest, i, seen);
  return seen;
}

function viewJs(): BenchRow {
  const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), 'utf8')) as AppManifest;
  const view = manifest.chunks.find((c) => c.source === VIEW);
  if (!view) throw new Error(`No chunk for ${VIEW} in the app manifest: run npm run build:app.`);
  const entry = closure(manifest, manifest.entry);
  const extra = [...closure(manifest, view.file)].filter((f) => !entry.has(f));
  const gzip = extra.reduce((n, f) => n + (manifest.chunks.find((c) => c.file === f)?.gzipBytes ?? 0), 0);
  const entryGzip = [...entry].reduce((n, f) => n + (manifest.chunks.find((c) => c.file === f)?.gzipBytes ?? 0), 0);
  return {
    figure: 'Dashboard view JS (gzip)',
    value: gzip / 1024,
    unit: 'KB',
    budget: { op: '<=', limit: VIEW_JS_BUDGET_KB },
    baseline: { label: 'app entry (shell)', value: entryGzip / 1024 },
    ratio: gzip / entryGzip,
    how: `The dashboard's lazy chunk and the shared chunks it needs beyond the entry's (${extra.length} files: ${extra.join(', ')}), gzip level 9 as built by scripts/build-app.ts. Every chart is hand-written SVG in Preact: no chart library. Baseline: the entry and its static imports (what every view already loaded).`,
  };
}

/** Demo data, plus (for the million) 100k generated journeys over the last 30 days. */
async function dashboardDatabase(name: string, million: boolean): Promise<{ database: Database & { path: string }; note: string }> {
  const database = await freshDatabase(name);
  await seedDemo(database, { clock: Date.now, leads: true });
  if (!million) return { database, note: 'the demo data (1 funnel, 400 journeys, 129 leads, 2 pipelines)' };
  const funnel = await demoFunnel(database.client);
  const gen = new TrafficGenerator(funnel, 13);
  const end = Date.now() - 60 * 60 * 1000;
  const start = end - MILLION.days * DAY_MS;
  const perDay = MILLION.visitors / MILLION.days;
  const started = performance.now();
  let done = 0;
  for (let day = 0; day < MILLION.days; day++) {
    const visitors = Math.round(perDay * (day + 1)) - Math.round(perDay * day);
    const events = gen.traffic(visitors, start + day * DAY_MS, DAY_MS - 60 * 60 * 1000, end);
    for (const batch of chunks(events, MILLION.batch)) await ingestBatch(ingestTarget(database), batch, end);
    done += events.length;
    if (day % 5 === 4) progress(`  ${done.toLocaleString('en')} events ingested (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const stored = Number((await database.client.execute('select count(*) from events')).rows[0]![0]);
  await database.client.execute('analyze');
  return {
    database,
    note: `the demo data plus ${done.toLocaleString('en')} generated events of ${MILLION.visitors.toLocaleString('en')} visitors over the last ${MILLION.days} days, ingested through ingestBatch in ${MILLION.batch}-event batches (${stored.toLocaleString('en')} events stored in all, ${((performance.now() - started) / 1000).toFixed(0)} s to generate and ingest)`,
  };
}

interface Drawn {
  times: number[];
  /** Per navigation, the slowest /api response (request start → response end) the view waited for. */
  slowestApi: number[];
  /** Per API path (ids replaced by :id), its response times over the navigations. */
  perApi: Map<string, number[]>;
  /** The funnel list's own ready mark, same browser and server (the app's other ≤ 300 ms view). */
  funnelList: number[];
  note: string;
}

async function measureDrawn(million: boolean): Promise<Drawn> {
  const { database, note } = await dashboardDatabase(million ? 'bench-dashboard-1m' : 'bench-dashboard', million);
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const server = await serveApp(app);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.base}/app/funnels`);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const drawn = async (p: Page) => {
      await p.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK, { timeout: 60_000 });
      return p.evaluate((mark) => {
        const api = performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
          .map((e) => (e as PerformanceResourceTiming).responseEnd - (e as PerformanceResourceTiming).requestStart);
        const calls = performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
          .map((e) => {
            const u = new URL(e.name);
            const t = e as PerformanceResourceTiming;
            return [
              `${u.pathname.replace(/\/[0-9A-Za-z]{20,}/g, '/:id')}${u.searchParams.has('compare') ? '?compare' : ''}`,
              t.responseEnd - t.requestStart,
            ] as const;
          });
        return { at: performance.getEntriesByName(mark)[0]!.startTime, api: Math.max(0, ...api), calls };
      }, READY_MARK);
    };
    const funnelsReady = async (p: Page) => {
      await p.waitForFunction(() => performance.getEntriesByName('lf:funnels-ready').length > 0);
      return p.evaluate(() => performance.getEntriesByName('lf:funnels-ready')[0]!.startTime);
    };
    await page.goto(`${server.base}/app/dashboard`);
    await drawn(page); // warm-up: the server's statement cache and SQLite's page cache
    const charts = await page.locator('svg.chart').count();
    if (charts < 5) throw new Error(`The dashboard drew ${charts} charts, expected at least 5.`);
    const times: number[] = [];
    const slowestApi: number[] = [];
    const funnelList: number[] = [];
    const perApi = new Map<string, number[]>();
    // Alternated with the funnel list, so both see the same machine load.
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${server.base}/app/dashboard`);
      const r = await drawn(page);
      times.push(r.at);
      slowestApi.push(r.api);
      for (const [path, ms] of r.calls) perApi.set(path, [...(perApi.get(path) ?? []), ms]);
      await page.goto(`${server.base}/app/funnels`);
      funnelList.push(await funnelsReady(page));
    }
    return { times, slowestApi, perApi, funnelList, note };
  } finally {
    await browser.close();
    await server.close();
    database.client.close();
    rmSync(dirname(database.path), { recursive: true, force: true });
  }
}

export async function benchDashboard(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [viewJs()];
  const figure = (what: string) => `Dashboard charts drawn after navigation, ${what}`;
  if (!chromiumAvailable) {
    for (const what of ['demo data', '1M events'])
      rows.push({
        figure: figure(what),
        value: Number.NaN,
        unit: 'ms',
        budget: { op: '<=', limit: DRAWN_BUDGET_MS },
        how: `NOT MEASURED: Chromium is missing at ${CHROMIUM_PATH} (${INSTALL_HINT}).`,
      });
    return rows;
  }
  progress(`Dashboard: charts drawn in Chromium, ${RUNS} navigations on the demo data`);
  const demo = await measureDrawn(false);
  progress(`Dashboard: generating 1,000,000 events, then ${RUNS} navigations`);
  const big = await measureDrawn(true);
  const how = (d: Drawn) =>
    `Median of ${RUNS} navigations (after one warm-up) to /app/dashboard in headless Chromium 1280×800 with the HTTP cache off: from navigation start to the "${READY_MARK}" mark the view sets in the first animation frame after every chart (funnel, per day, sources, handoff, pipeline, tiles) is rendered — shell HTML, JS, CSS and the 7 API calls, all started as the view first renders (funnels, pipelines, funnel report, sections, handoff with compare, daily, pipeline stats with compare; the first funnel's and pipeline's ids are the ones the warm-up navigation's lists put first, remembered in localStorage and checked against the lists of each navigation — a browser's very first visit waits for the lists instead), each card drawn as its answer arrives, over loopback from the local Node server, on ${d.note}. p95 ${percentile(d.times, 95).toFixed(0)} ms; slowest API response per navigation: median ${median(d.slowestApi).toFixed(0)} ms, p95 ${percentile(d.slowestApi, 95).toFixed(0)} ms; per API, median: ${[
      ...d.perApi,
    ]
      .map(([path, ms]) => `${path} ${median(ms).toFixed(0)} ms`)
      .join(', ')}. ${loadavgNote()}.`;
  rows.push({
    figure: figure('demo data'),
    value: median(demo.times),
    unit: 'ms',
    budget: { op: '<=', limit: DRAWN_BUDGET_MS },
    baseline: { label: 'funnel list ready, same run', value: median(demo.funnelList) },
    ratio: median(demo.times) / median(demo.funnelList),
    how: `${how(demo)} Baseline: the funnel list's "lf:funnels-ready" mark (2 API calls), navigations alternated with the dashboard's in the same browser.`,
  });
  rows.push({
    figure: figure('1M events'),
    value: median(big.times),
    unit: 'ms',
    budget: { op: '<=', limit: DRAWN_BUDGET_MS },
    baseline: { label: 'demo data', value: median(demo.times) },
    ratio: median(big.times) / median(demo.times),
    how: `${how(big)} Baseline: the demo-data row above (ratio = 1M ÷ demo).`,
  });
  return rows;
}
