import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { Miniflare } from 'miniflare';
import { createApp } from '../../workers/app';
import { nodeDeps } from '../../workers/node/deps';
import { freshDatabase } from '../support/app';
import { compareLoad, LOAD, LOAD_TOOL } from './http-load';
import { median, progress, type BenchRow } from './report';

export const WORKER_BUNDLE = 'dist/worker/cloudflare.js';
const STARTS = 5;

export async function benchFoundation(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const bundle = readFileSync(WORKER_BUNDLE);
  const gzipKb = gzipSync(bundle, { level: 9 }).length / 1024;
  rows.push({
    figure: 'Worker bundle (gzip)',
    value: gzipKb,
    unit: 'KB',
    // The budget test/worker/worker-bundle.test.ts asserts (raised from 250 when the sales app's own code passed it; dependencies unchanged).
    budget: { op: '<=', limit: 300 },
    how: `${WORKER_BUNDLE} as built by \`wrangler deploy --dry-run\` (minified): ${(bundle.length / 1024).toFixed(1)} KB raw, gzip level 9.`,
  });
  rows.push({ figure: 'Worker bundle (raw)', value: bundle.length / 1024, unit: 'KB', how: 'Same file, uncompressed.' });

  progress(`Worker start-up: ${STARTS} fresh workerd starts of the bundle and of a hello-world Worker`);
  const ours = await startupTimes(bundle.toString('utf8'));
  const hello = await startupTimes('export default { fetch() { return new Response("hello") } }');
  rows.push({
    figure: 'Worker start-up + first request',
    value: median(ours),
    unit: 'ms',
    baseline: { label: 'hello-world Worker', value: median(hello) },
    ratio: median(ours) / median(hello),
    how: `Median of ${STARTS} fresh Miniflare/workerd instances: construct, wait ready, dispatch GET /login (renders a page, no database). The baseline is the same procedure for a one-line Worker, so the difference is our script's evaluation and first request.`,
  });

  progress(`Local runtime: /healthz vs a bare Hono route, ${LOAD.connections} connections × ${LOAD.seconds} s each`);
  const database = await freshDatabase('bench-health');
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const bare = new Hono().get('/hello', (c) => c.text('hello'));
  const { subject: health, baseline: bareResult, ratio } = await compareLoad({ app, path: '/healthz' }, { app: bare, path: '/hello' });
  database.client.close();
  rows.push({
    figure: 'Local /healthz throughput',
    value: health.rps,
    unit: 'req/s',
    baseline: { label: 'bare Hono route', value: bareResult.rps },
    ratio,
    how: `Node HTTP server in the bench process; a separate load process (${LOAD_TOOL}) with ${LOAD.connections} keep-alive connections for ${LOAD.seconds} s per target; /healthz does a SELECT 1 on an embedded libSQL file and passes the full middleware stack (${health.errors + bareResult.errors} errors).`,
  });
  return rows;
}

async function startupTimes(script: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now();
    const mf = new Miniflare({
      modules: true,
      script,
      compatibilityDate: '2026-04-26',
      bindings: { DATABASE_URL: 'http://127.0.0.1:9', DATABASE_AUTH_TOKEN: '' },
    });
    const res = await mf.dispatchFetch('http://localhost/login');
    await res.text();
    times.push(performance.now() - started);
    await mf.dispose();
  }
  return times;
}
