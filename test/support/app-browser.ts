/**
 * The harness every Chromium suite of the team's app shares: a real app on a fresh libSQL file
 * served over real HTTP, one browser, pages that collect uncaught errors and console errors (a
 * test fails on any it did not provoke on purpose), sign-in through the real form, "the view is
 * ready" and the axe check. A suite calls `useBrowserApp()` inside its `describe` and adds its own
 * `beforeAll` for what only it needs; hooks run in the order they were registered.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import type { AppDeps } from '../../workers/deps';
import { createTestApp, type TestApp, type TestClient } from './app';
import { formatViolations, seriousViolations } from './axe';
import { launchBrowser, serveApp } from './browser';

export const ARTIFACTS = 'test-artifacts';
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserAppOptions {
  /** Real time by default: the browser's clock is real, and so are the session and capture times it sees. */
  app?: Partial<AppDeps>;
  /** Seed the demo workspace on the app's clock (with its leads when `leads`), and sign `owner` in to it. */
  demo?: { leads: boolean };
  /**
   * HTTP statuses the suite provokes on purpose (a refused save, a missing deal): Chromium logs
   * each failed fetch as a console error, which would otherwise fail the test.
   */
  expectedStatuses?: readonly number[];
  /** Browser-wide user agent (beacons sent while a page unloads included). */
  userAgent?: string;
  /** Extra folder under test-artifacts/ for this suite's screenshots. */
  artifacts?: string;
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  userAgent?: string;
  /** Console errors this page may show on top of the suite's expected statuses. */
  allow?: RegExp;
  /** Prepares the page's browser context before the page opens (routes, default timeouts). */
  prepare?: (context: BrowserContext) => Promise<void> | void;
}

export interface BrowserApp {
  readonly t: TestApp;
  readonly browser: Browser;
  /** An API client signed in as the demo owner (only with `demo`). */
  readonly owner: TestClient;
  /** Where this suite's screenshots go. */
  readonly artifacts: string;
  /** Uncaught errors and unexpected console errors of the current test's pages; checked after each test. */
  readonly problems: string[];
  url(path: string): string;
  newPage(options?: PageOptions): Promise<Page>;
  /** Signs in through the sign-in form and waits for where it lands (the funnels list by default). */
  signIn(page: Page, email?: string, password?: string, landsOn?: string): Promise<void>;
  /** Fills the sign-up form (at `path`: an invitation's too) and submits it; the caller waits for where it lands. */
  signUp(page: Page, who: { name: string; email: string; workspace?: string }, path?: string): Promise<void>;
  /** The view is shown: its heading is there and nothing is loading any more. */
  viewReady(page: Page, heading: string | RegExp): Promise<void>;
  open(page: Page, path: string, heading: string | RegExp): Promise<void>;
  /** axe finds nothing serious or critical; `what` names the view in the failure message. */
  expectAccessible(page: Page, what: string): Promise<void>;
  /** How many pixels the document is wider than the viewport (0 when nothing overflows). */
  overflow(page: Page): Promise<number>;
}

export function useBrowserApp(options: BrowserAppOptions = {}): BrowserApp {
  let t: TestApp | undefined;
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let browser: Browser | undefined;
  let owner: TestClient | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const artifacts = options.artifacts ? `${ARTIFACTS}/${options.artifacts}` : ARTIFACTS;
  const expectedStatus = options.expectedStatuses?.length ? new RegExp(`status of (${options.expectedStatuses.join('|')})`) : undefined;

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is used before the suite's beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, ...options.app });
    if (options.demo) {
      await seedDemo(t.database, { clock: t.deps.clock, leads: options.demo.leads });
      owner = t.client();
      await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    }
    server = await serveApp(t.app);
    browser = await launchBrowser({ userAgent: options.userAgent });
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    // Retry timers of mail and webhooks the suite caused; the rows stay (the database goes anyway).
    t?.deps.emails.stop?.();
    t?.deps.webhooks.stop?.();
    t?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems.splice(0);
    expect(seen).toEqual([]);
  });

  const url = (path: string) => `${ready(server, 'the server').base}${path}`;

  async function viewReady(page: Page, heading: string | RegExp) {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    // Generous: in the full suite, Chromium shares two cores with every other test file.
    await page
      .waitForFunction(() => !document.querySelector('.skeleton, .route-progress'), undefined, { timeout: 90_000 })
      .catch(async (error: unknown) => {
        // Say what was still loading: a timeout alone does not tell which part of which view hung.
        const loading = await page.evaluate(() =>
          [...document.querySelectorAll('.skeleton-block, .route-progress')].map((n) => n.textContent?.trim() || n.className),
        );
        throw new Error(`${page.url()} still loading ${JSON.stringify(loading)} (console: ${JSON.stringify(problems)}): ${String(error)}`);
      });
  }

  return {
    get t() {
      return ready(t, 'the app');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get owner() {
      return ready(owner, 'the owner client (pass `demo`)');
    },
    artifacts,
    problems,
    url,
    async newPage({ viewport = DESKTOP, userAgent, allow, prepare }: PageOptions = {}) {
      const context = await ready(browser, 'the browser').newContext({ viewport, ...(userAgent ? { userAgent } : {}) });
      contexts.push(context);
      await prepare?.(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        // The sign-in pages have no icon; that 404 is not the app's.
        const expected =
          message.location().url.endsWith('/favicon.ico') || expectedStatus?.test(text) === true || allow?.test(text) === true;
        if (!expected) problems.push(`console error: ${text} (${message.location().url})`);
      });
      return page;
    },
    async signIn(page, email = DEMO.email, password = DEMO.password, landsOn = '/app/funnels') {
      await page.goto(url('/login'));
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(url(landsOn));
    },
    async signUp(page, who, path = '/signup') {
      await page.goto(url(path));
      await page.getByLabel('Your name').fill(who.name);
      await page.getByLabel('Email').fill(who.email);
      await page.getByLabel('Password (10+ characters)').fill('correct horse battery');
      if (who.workspace) await page.getByLabel('Company or workspace name').fill(who.workspace);
      await page.getByRole('button', { name: 'Create account' }).click();
    },
    viewReady,
    async open(page, path, heading) {
      await page.goto(url(path));
      await viewReady(page, heading);
    },
    async expectAccessible(page, what) {
      const violations = await seriousViolations(page);
      expect(violations, `${what}\n${formatViolations(violations)}`).toEqual([]);
    },
    overflow: (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  };
}
