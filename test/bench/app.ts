/**
 * The team's app (issue 12's budgets): initial JavaScript (the shell and the first view) ≤ 60 KB
 * gzip, every lazily loaded view ≤ 40 KB gzip, and the funnel list on screen ≤ 300 ms after
 * navigation on the demo data, measured in Chromium.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { APP_MANIFEST_FILE, PUBLIC_DIR, type AppManifest } from '../../workers/app-bundle';
import { createApp } from '../../workers/app';
import { nodeDeps } from '../../workers/node/deps';
import { freshDatabase } from '../support/app';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_HINT, launchBrowser, serveApp } from '../support/browser';
import { median, percentile, progress, type BenchRow } from './report';

const INITIAL_JS_BUDGET_KB = 60;
const VIEW_JS_BUDGET_KB = 40;
const FIRST_PAINT_BUDGET_MS = 300;
const FIRST_VIEW = 'pages-ui/app/views/funnels/list.tsx';
/** Set by the funnel list once its rows (or empty state) are rendered (views/funnels/list.tsx). */
const READY_MARK = 'lf:funnels-ready';
const RUNS = 15;

const kb = (bytes: number) => bytes / 1024;

/** A chunk and everything it imports statically, transitively (what loading it fetches). */
function closure(manifest: AppManifest, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of manifest.chunks.find((c) => c.file === file)?.imports ?? []) closure(manifest, i, seen);
  return seen;
}

const gzipOf = (manifest: AppManifest, files: Iterable<string>) =>
  [...files].reduce((sum, f) => sum + (manifest.chunks.find((c) => c.file === f)?.gzipBytes ?? 0), 0);

/** The smallest Preact app (render a paragraph), built the same way: what any Preact SPA starts from. */
async function helloPreactGzip(): Promise<number> {
  const result = await build({
    stdin: { contents: "import { render } from 'preact'; render(<p>hello</p>, document.body);", loader: 'tsx', resolveDir: process.cwd() },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

export async function benchApp(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const manifest = JSON.parse(readFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), 'utf8')) as AppManifest;
  const firstView = manifest.chunks.find((c) => c.source === FIRST_VIEW);
  if (!firstView) throw new Error(`No chunk for ${FIRST_VIEW} in the app manifest: run npm run build:app.`);

  progress('Team app: JavaScript per chunk (dist/public/app-manifest.json)');
  const initial = closure(manifest, manifest.entry);
  closure(manifest, firstView.file, initial);
  const initialGzip = gzipOf(manifest, initial);
  const hello = await helloPreactGzip();
  rows.push({
    figure: 'App initial JS, shell + funnel list (gzip)',
    value: kb(initialGzip),
    unit: 'KB',
    budget: { op: '<=', limit: INITIAL_JS_BUDGET_KB },
    baseline: { label: 'hello-world Preact', value: kb(hello) },
    ratio: initialGzip / hello,
    how: `The entry module, every chunk it imports statically and the funnel list's lazy chunk with its imports (${initial.size} files: what /app/funnels loads), each gzip level 9 as built by scripts/build-app.ts (esbuild, minified, code splitting). Baseline: a Preact render of one paragraph built the same way.`,
  });

  const views = manifest.chunks
    .filter((c) => c.kind === 'view')
    .map((view) => {
      // What opening the view fetches beyond what is already loaded with the entry.
      const extra = [...closure(manifest, view.file)].filter((f) => !closure(manifest, manifest.entry).has(f));
      return { source: view.source!, gzip: gzipOf(manifest, extra) };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const largest = views[0]!;
  rows.push({
    figure: 'App largest lazy view (gzip)',
    value: kb(largest.gzip),
    unit: 'KB',
    budget: { op: '<=', limit: VIEW_JS_BUDGET_KB },
    how: `Per view: its chunk and the shared chunks it needs beyond the entry's, gzip level 9. Largest is ${largest.source}; all ${views.length}: ${views
      .map((v) => `${v.source.replace('pages-ui/app/views/', '')} ${kb(v.gzip).toFixed(1)} KB`)
      .join(', ')}.`,
  });

  rows.push(await firstPaint());
  return rows;
}

async function firstPaint(): Promise<BenchRow> {
  const figure = 'App funnel list on screen after navigation';
  if (!chromiumAvailable) {
    return {
      figure,
      value: Number.NaN,
      unit: 'ms',
      budget: { op: '<=', limit: FIRST_PAINT_BUDGET_MS },
      how: `NOT MEASURED: Chromium is missing at ${CHROMIUM_PATH} (${INSTALL_HINT}).`,
    };
  }
  progress(`Team app: funnel list first paint in Chromium, ${RUNS} cold and ${RUNS} warm navigations on the demo data`);
  const database = await freshDatabase('bench-app');
  await seedDemo(database, { clock: Date.now, leads: true });
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

    const measure = async (path: string, read: (page: Page) => Promise<number>) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await page.goto(`${server.base}${path}`);
        times.push(await read(page));
      }
      return times;
    };
    const funnelsReady = async (p: Page) => {
      await p.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK);
      return p.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, READY_MARK);
    };
    const contentfulPaint = async (p: Page) => {
      await p.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      return p.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]!.startTime);
    };

    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const cold = await measure('/app/funnels', funnelsReady);
    const login = await measure('/login', contentfulPaint);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await page.goto(`${server.base}/app/funnels`); // fills the HTTP cache with the immutable files
    const warm = await measure('/app/funnels', funnelsReady);

    const value = median(cold);
    return {
      figure,
      value,
      unit: 'ms',
      budget: { op: '<=', limit: FIRST_PAINT_BUDGET_MS },
      baseline: { label: 'server-rendered /login FCP', value: median(login) },
      ratio: value / median(login),
      how: `Median of ${RUNS} navigations to /app/funnels in headless Chromium (1280×800) with the HTTP cache off: from navigation start (performance.timeOrigin) to the "${READY_MARK}" mark the list sets once its rows are rendered — shell HTML, JS, CSS and the two API calls (funnels + /api/funnels/stats) over loopback from the local Node server on the demo data (1 funnel, 400 journeys, 129 leads). p95 ${percentile(cold, 95).toFixed(0)} ms; with the immutable files cached: median ${median(warm).toFixed(0)} ms, p95 ${percentile(warm, 95).toFixed(0)} ms. Baseline: first contentful paint of the server-rendered sign-in page, same browser and server.`,
    };
  } finally {
    await browser.close();
    await server.close();
    database.client.close();
  }
}
