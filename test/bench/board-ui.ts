/**
 * Issue 13 budgets for the pipeline board in Chromium, with 10,000 deals in one pipeline (the
 * pipeline bench's data set: test/bench/pipeline.ts): first render ≤ 500 ms after navigation, a
 * drag-and-drop move persisted and shown p95 ≤ 100 ms, and scrolling a 2,000-card column, with its
 * long tasks (PerformanceObserver 'longtask') and frames reported.
 */
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, INSTALL_HINT, launchBrowser, serveApp } from '../support/browser';
import { pipelineBenchSetup } from './pipeline';
import { median, percentile, progress, type BenchRow } from './report';

const FIRST_RENDER_BUDGET_MS = 500;
const MOVE_BUDGET_MS = 100;
const RUNS = { render: 15, moves: 40 };
/** Set by the board when its columns are rendered (views/pipelines/board.tsx). */
const READY_MARK = 'lf:board-ready';
/** Measured by the board from a drop to the saved move on screen (views/pipelines/board.tsx). */
const MOVE_MEASURE = 'lf:board-move';
const SCROLL_CARDS = 2_000;

interface ScrollReport {
  ms: number;
  frames: number;
  /** Frames that took longer than 2 × 16.7 ms (at least one dropped at 60 Hz). */
  slowFrames: number;
  worstFrameMs: number;
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
  cards: number;
}

/** Scrolls the first column 120 px a frame until `until` cards are loaded and its end is reached (or back to the top), watching frames and long tasks. */
async function scrollColumn(page: Page, direction: 'down' | 'up', until: number): Promise<ScrollReport> {
  // tsx compiles with esbuild's keepNames: the page needs its `__name` helper for the named closures below.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(
    ([direction, until]) =>
      new Promise<ScrollReport>((resolve) => {
        const list = document.querySelector<HTMLElement>('.board-cards')!;
        const tasks: number[] = [];
        const observer = new PerformanceObserver((entries) => entries.getEntries().forEach((e) => tasks.push(e.duration)));
        observer.observe({ type: 'longtask' });
        const frames: number[] = [];
        const start = performance.now();
        let last = start;
        const step = (t: number) => {
          frames.push(t - last);
          last = t;
          list.scrollTop += direction === 'down' ? 120 : -120;
          const cards = list.querySelectorAll('.deal-card').length;
          const done =
            direction === 'down' ? cards >= until && list.scrollTop + list.clientHeight >= list.scrollHeight - 2 : list.scrollTop === 0;
          if (!done && t - start < 120_000) return requestAnimationFrame(step);
          // Long tasks are reported after they end: one more frame lets the last one arrive.
          requestAnimationFrame(() => {
            observer.disconnect();
            const measured = frames.slice(1);
            resolve({
              ms: performance.now() - start,
              frames: measured.length,
              slowFrames: measured.filter((f) => f > 33.4).length,
              worstFrameMs: Math.max(0, ...measured),
              longTasks: tasks.length,
              longTaskMs: tasks.reduce((a, b) => a + b, 0),
              longestTaskMs: Math.max(0, ...tasks),
              cards,
            });
          });
        };
        requestAnimationFrame(step);
      }),
    [direction, until] as const,
  );
}

export async function benchBoardUi(): Promise<BenchRow[]> {
  const figures = [
    'Board UI first render, 10,000 deals',
    'Board UI drag-and-drop move, saved and shown (p95)',
    'Board UI scroll 2,000-card column',
  ];
  if (!chromiumAvailable) {
    return figures.map((figure) => ({
      figure,
      value: Number.NaN,
      unit: 'ms',
      how: `NOT MEASURED: Chromium is missing at ${CHROMIUM_PATH} (${INSTALL_HINT}).`,
    }));
  }
  const { database, app, client, pipeline, main } = await pipelineBenchSetup();
  const empty = (await (
    await client.request('/api/pipelines', { method: 'POST', json: { name: 'Empty board', template: 'b2c' } })
  ).json()) as {
    id: string;
  };
  const server = await serveApp(app);
  const browser = await launchBrowser();
  const rows: BenchRow[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill('bench@pipeline.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\//);

    const ready = async (path: string) => {
      await page.goto(`${server.base}${path}`);
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, READY_MARK);
      await page.locator('.board-col').first().waitFor();
      return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, READY_MARK);
    };
    progress(`Board UI: first render of the 10,000-deal board, ${RUNS.render} navigations (and of an empty board as the baseline)`);
    await ready(`/app/pipelines/${pipeline.id}`); // warms the HTTP cache and the server's prepared statements
    const full: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS.render; i++) {
      full.push(await ready(`/app/pipelines/${pipeline.id}`));
      bare.push(await ready(`/app/pipelines/${empty.id}`));
    }
    const cards = await (async () => {
      await ready(`/app/pipelines/${pipeline.id}`);
      return page.locator('.deal-card').count();
    })();
    rows.push({
      figure: figures[0]!,
      value: median(full),
      unit: 'ms',
      budget: { op: '<=', limit: FIRST_RENDER_BUDGET_MS },
      baseline: { label: 'empty board', value: median(bare) },
      ratio: median(full) / median(bare),
      how: `Median of ${RUNS.render} navigations to /app/pipelines/:id in headless Chromium (1280×860), HTTP cache warm (immutable hashed files): navigation start to the "${READY_MARK}" mark the board sets once its columns are rendered — shell, view chunk, the board API (${main.deals.length.toLocaleString('en')} deals, ${cards} cards on the first pages), the pipeline list and the members. p95 ${percentile(full, 95).toFixed(0)} ms. Baseline: the same view on an empty B2C pipeline, interleaved.`,
    });

    progress(`Board UI: ${RUNS.moves} real mouse drags between two columns, drop → move saved and shown`);
    const lastMove = () => page.evaluate((name) => performance.getEntriesByName(name).length, MOVE_MEASURE);
    const columns = page.locator('.board-col');
    const api: number[] = [];
    for (let i = 0; i < RUNS.moves; i++) {
      const [from, to] = i % 2 === 0 ? [columns.nth(0), columns.nth(1)] : [columns.nth(1), columns.nth(0)];
      const before = await lastMove();
      const source = from.locator('.deal-card').first();
      const a = (await source.boundingBox())!;
      const b = (await to.locator('.board-cards').boundingBox())!;
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(a.x + a.width / 2 + 8, a.y + a.height / 2 + 8, { steps: 3 });
      await page.mouse.move(b.x + b.width / 2, b.y + 30, { steps: 6 });
      await page.mouse.up();
      await page.waitForFunction(([name, n]) => performance.getEntriesByName(name).length > n, [MOVE_MEASURE, before] as const);
    }
    const moves = await page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), MOVE_MEASURE);
    // Baseline: the same request from the same page without the UI (fetch of POST /api/deals/:id/move).
    const dealId = await columns.nth(0).locator('.deal-card').first().getAttribute('data-deal-id');
    const stageIds = await columns.evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-stage-id')!));
    for (let i = 0; i < RUNS.moves; i++) {
      api.push(
        await page.evaluate(
          async ([id, stageId]) => {
            const started = performance.now();
            const res = await fetch(`/api/deals/${id}/move`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ stageId, position: 0 }),
            });
            await res.arrayBuffer();
            return performance.now() - started;
          },
          [dealId, stageIds[i % 2]] as const,
        ),
      );
    }
    const p95 = percentile(moves, 95);
    rows.push({
      figure: figures[1]!,
      value: p95,
      unit: 'ms',
      budget: { op: '<=', limit: MOVE_BUDGET_MS },
      baseline: { label: 'fetch POST /move p95', value: percentile(api, 95) },
      ratio: p95 / percentile(api, 95),
      how: `${moves.length} real mouse drags (page.mouse, Chromium's native drag and drop through pragmatic-drag-and-drop) of the top card between the first two columns of the 10,000-deal board, alternating: from the drop event to the answer of POST /api/deals/:id/move (the card is drawn in its new place first, rendered in a microtask after the drop, before the request leaves). Median ${median(moves).toFixed(1)} ms, max ${Math.max(...moves).toFixed(1)} ms. Baseline: the same POST from the page by fetch alone, ${RUNS.moves} times.`,
    });

    progress(`Board UI: scrolling the first column until ${SCROLL_CARDS.toLocaleString('en')} cards are loaded, then back up`);
    await ready(`/app/pipelines/${pipeline.id}`);
    const down = await scrollColumn(page, 'down', SCROLL_CARDS);
    const up = await scrollColumn(page, 'up', SCROLL_CARDS);
    rows.push({
      figure: `${figures[2]!}: long tasks, loading as it scrolls`,
      value: down.longTasks,
      unit: 'tasks',
      how: `The first column (Lead generation, ${down.cards.toLocaleString('en')} cards loaded by the end) scrolled 120 px per animation frame from the top to its end in headless Chromium, its pages of 100 cards loaded by the IntersectionObserver on the way: ${down.frames} frames in ${(down.ms / 1000).toFixed(1)} s (${((down.frames / down.ms) * 1000).toFixed(0)} fps), ${down.slowFrames} frames over 33 ms (worst ${down.worstFrameMs.toFixed(0)} ms); long tasks (PerformanceObserver 'longtask', > 50 ms): ${down.longTasks}, ${down.longTaskMs.toFixed(0)} ms in all, longest ${down.longestTaskMs.toFixed(0)} ms.`,
    });
    rows.push({
      figure: `${figures[2]!}: slow frames, all cards loaded`,
      value: up.slowFrames,
      unit: 'frames',
      baseline: { label: 'frames', value: up.frames },
      ratio: up.slowFrames / Math.max(1, up.frames),
      how: `The same column, all ${up.cards.toLocaleString('en')} cards in the DOM, scrolled back up 120 px per frame: ${up.frames} frames in ${(up.ms / 1000).toFixed(1)} s (${((up.frames / up.ms) * 1000).toFixed(0)} fps), ${up.slowFrames} over 33 ms (worst ${up.worstFrameMs.toFixed(0)} ms); long tasks: ${up.longTasks} (${up.longTaskMs.toFixed(0)} ms, longest ${up.longestTaskMs.toFixed(0)} ms). Ratio: share of slow frames.`,
    });
    return rows;
  } finally {
    await browser.close();
    await server.close();
    database.client.close();
  }
}
