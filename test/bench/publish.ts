/**
 * Issue 12 budget for the editor: publishing a 30-block page, p95 ≤ 200 ms, through the real app
 * (createApp(nodeDeps), signed-in session, libSQL file): POST /api/pages/:id/publish renders the
 * draft with the landing renderer, stores the version and repoints the page in one batch, and
 * purges the funnel's cached pages. Baseline in the same run: the renderer alone on the same page.
 */
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createApp } from '../../workers/app';
import { BLOCK_EXAMPLES } from '../../workers/domain/block-schema';
import type { PageContent } from '../../workers/domain/blocks';
import { nodeDeps } from '../../workers/node/deps';
import { renderPublishedHtml } from '../../pages-ui/landing/funnel-page';
import { freshDatabase, TestClient } from '../support/app';
import { median, percentile, progress, type BenchRow } from './report';

const BLOCKS = 30;
const RUNS = { warmUp: 10, publishes: 200 };
const BUDGET_MS = 200;

/** 30 blocks, every type in turn (two or three of each), as a long sales page is built. */
function thirtyBlockPage(): PageContent {
  const examples = Object.values(BLOCK_EXAMPLES);
  const blocks = Array.from({ length: BLOCKS }, (_, i) => ({ ...examples[i % examples.length]!, id: `block-${i}` }));
  return {
    settings: {
      title: 'A long sales page',
      noindex: false,
      theme: { primary: '#1f4fd1', background: '#ffffff', text: '#111111', fontStack: 'system' },
    },
    blocks,
  };
}

async function timed(runs: number, fn: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

const summary = (ms: number[]) =>
  `p50 ${median(ms).toFixed(2)} ms, p95 ${percentile(ms, 95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(1)} ms`;

export async function benchPublish(): Promise<BenchRow[]> {
  const database = await freshDatabase('bench-publish');
  const app = createApp(nodeDeps(database, 'bench-secret-0123456789'));
  const client = new TestClient(app, 'http://localhost');
  await client.signup('bench@publish.test', 'correct horse battery', 'Bench', { workspaceName: 'Bench shop' });
  const post = async <T>(path: string, json: unknown, status: number): Promise<T> => {
    const res = await client.post(path, json);
    const text = await res.text();
    if (res.status !== status) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const funnel = await post<{ id: string; slug: string }>('/api/funnels', { name: 'Bench funnel', slug: 'bench-publish' }, 201);
  const content = thirtyBlockPage();
  // Four pages around it, so publishing also works out the funnel's links.
  const pages: Array<{ id: string; slug: string }> = [];
  for (const slug of ['intro', 'sales', 'checkout', 'thanks', 'upsell']) {
    pages.push(
      await post(`/api/funnels/${funnel.id}/pages`, { slug, name: slug, content: slug === 'sales' ? content : thirtyBlockPage() }, 201),
    );
  }
  const page = pages[1]!;
  const siblings = pages.map((p, position) => ({ slug: p.slug, position }));

  progress(
    `Publish: POST /api/pages/:id/publish of a ${BLOCKS}-block page × ${RUNS.publishes} (after ${RUNS.warmUp} warm-up), baseline the renderer alone`,
  );
  const publish = () => post(`/api/pages/${page.id}/publish`, undefined, 201);
  await timed(RUNS.warmUp, publish);
  const publishMs = await timed(RUNS.publishes, publish);
  const html = renderPublishedHtml(content, funnel.slug, page.slug, siblings);
  await timed(RUNS.warmUp, () => renderPublishedHtml(content, funnel.slug, page.slug, siblings));
  const renderMs = await timed(RUNS.publishes, () => renderPublishedHtml(content, funnel.slug, page.slug, siblings));
  const versions = await database.client.execute({ sql: 'select count(*) from page_versions where page_id = ?', args: [page.id] });
  database.client.close();

  const p95 = percentile(publishMs, 95);
  return [
    {
      figure: `Publish a ${BLOCKS}-block page, p95`,
      value: p95,
      unit: 'ms',
      budget: { op: '<=', limit: BUDGET_MS },
      baseline: { label: 'the renderer alone, same page', value: percentile(renderMs, 95) },
      ratio: p95 / percentile(renderMs, 95),
      how: `${RUNS.publishes} sequential POST /api/pages/:id/publish through the real app (signed-in session, workspace check, libSQL file with synchronous = FULL) after ${RUNS.warmUp} warm-up: a ${BLOCKS}-block page (every block type in turn: quizzes, chats, forms, offers, FAQ…; ${Math.round(html.length / 1024)} KB of HTML, ${(gzipSync(html).length / 1024).toFixed(1)} KB gzip) in a funnel of ${pages.length} pages. Each publish reads the page and its siblings, renders, writes the version and the pointer in one batch and purges the funnel's cached pages (${String(versions.rows[0]![0])} versions stored by the end). ${summary(publishMs)}. Baseline: renderPublishedHtml on the same content and siblings, in process: ${summary(renderMs)}. Load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores.`,
    },
  ];
}
