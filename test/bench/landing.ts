import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { createApp } from '../../workers/app';
import { nodeDeps } from '../../workers/node/deps';
import { seedDemo } from '../../db/seed';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { freshDatabase } from '../support/app';
import { loadTest, LOAD } from './http-load';
import { progress, type BenchRow } from './report';

const PAGE_BUDGET_BYTES = 14_000;
const ISLAND_JS_BUDGET_BYTES = 8 * 1024;

function inlineScripts(html: string): string {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => !/type="application\/json"/.test(m[0]))
    .map((m) => m[1])
    .join('');
}

export async function benchLanding(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const database = await freshDatabase('bench-landing');
  await seedDemo(database);
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));

  progress('Demo pages: first-response size (HTML with inline CSS and JS, gzip)');
  for (const [index, page] of DEMO_FUNNEL_PAGES.entries()) {
    const path = index === 0 ? '/p/cosmetics-set' : `/p/cosmetics-set/${page.slug}`;
    const html = await (await app.request(`http://localhost${path}`)).text();
    const gzip = gzipSync(html, { level: 9 }).length;
    rows.push({
      figure: `Page ${path} (gzip)`,
      value: gzip,
      unit: 'B',
      budget: { op: '<=', limit: PAGE_BUDGET_BYTES },
      how: `Full HTML response as served (${html.length} B raw, inline CSS+JS included), gzip level 9.`,
    });
    const js = inlineScripts(html);
    const jsGzip = js ? gzipSync(js, { level: 9 }).length : 0;
    const hasIslands = page.content.blocks.some((b) => b.type === 'quiz' || b.type === 'chat_capture');
    rows.push({
      figure: `JS on ${path} (gzip)`,
      value: jsGzip,
      unit: 'B',
      budget: { op: '<=', limit: hasIslands ? ISLAND_JS_BUDGET_BYTES : 0 },
      how: hasIslands ? 'All inline scripts of the page (Preact + islands), gzip level 9.' : 'Forms-only page: must ship no JavaScript.',
    });
  }

  progress(`Published page vs bare Hono route: ${LOAD.connections} connections × ${LOAD.seconds} s each`);
  const bare = new Hono().get('/hello', (c) => c.text('hello'));
  const bareResult = await loadTest(bare, '/hello');
  const pageResult = await loadTest(app, '/p/cosmetics-set/offer');
  database.client.close();
  rows.push({
    figure: 'Serving a published page',
    value: pageResult.rps,
    unit: 'req/s',
    budget: { op: '>=', limit: 0.7, on: 'ratio' },
    baseline: { label: 'bare Hono route', value: bareResult.rps },
    ratio: pageResult.rps / bareResult.rps,
    how: `GET /p/cosmetics-set/offer from the in-memory page cache (fresh signed token per response, full middleware stack) against a route returning "hello", same process and load tool (${pageResult.errors + bareResult.errors} errors).`,
  });
  return rows;
}
