/**
 * The visitor tracker in real Chromium, on the demo funnel served over real HTTP: what it sends,
 * when, in which batches, what it keeps for the next page when a beacon is refused, and what it
 * never does (page views, storage in cookieless mode, anything at all under a privacy signal).
 *
 * Beacons are caught by a sink in front of the app rather than with `page.route`: Chromium sends
 * a beacon queued on `pagehide` after the page is gone, and Playwright never sees that request.
 * The sink answers 202 itself, so these tests do not depend on the server's `/e` endpoint.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { waitFor } from '../support/wait';

const FUNNEL = '/p/cosmetics-set';
const OUTBOX_KEY = 'lf_outbox';
const EVENT_ID = /^[A-Za-z0-9_-]{16,40}$/;
/** Init script: while the `refuse_beacons` cookie is set, `navigator.sendBeacon` refuses every batch. */
const REFUSE_BEACONS = `if (document.cookie.includes('refuse_beacons=1')) {
  Object.defineProperty(Navigator.prototype, 'sendBeacon', { configurable: true, value: () => false });
}`;
/**
 * Init script: tells the test (the `__lfBeaconMade` binding) of every beacon the browser accepted,
 * the moment the page hands it over: the sink is then known to be complete when it holds as many
 * beacons as were made, with no waiting for one that might still come.
 */
const COUNT_BEACONS = `{
  const send = Navigator.prototype.sendBeacon;
  Navigator.prototype.sendBeacon = function (url, data) {
    const accepted = send.call(this, url, data);
    if (accepted) window.__lfBeaconMade();
    return accepted;
  };
}`;
/** Init script: counts every localStorage/sessionStorage call made in the page. */
const COUNT_STORAGE = `window.__storageCalls = 0;
for (const name of ['getItem', 'setItem', 'removeItem', 'clear', 'key']) {
  const original = Storage.prototype[name];
  Storage.prototype[name] = function (...args) { window.__storageCalls++; return original.apply(this, args); };
}`;

interface SentEvent {
  id: string;
  type: string;
  at: number;
  path: string;
  props?: Record<string, unknown>;
}

interface Beacon {
  method: string;
  contentType: string | null;
  bytes: number;
  events: SentEvent[];
}

describe.skipIf(!chromiumAvailable)('the visitor tracker in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let beacons: Beacon[] = [];
  /** Beacons this test's pages handed to the browser (COUNT_BEACONS). */
  let beaconsMade = 0;
  /** Numbers each test; its contexts carry it in a cookie, so the sink keeps only this test's beacons. */
  let testRun = 0;
  let contexts: BrowserContext[] = [];
  /** Uncaught errors and console errors (a CSP refusal of the tracker or of its beacon shows here). */
  let pageProblems: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    await seedDemo(t.database, { clock: t.deps.clock }); // on the app's clock, which is real time here, as the browser's
    server = await serveApp({
      fetch: async (request: Request, ...rest: unknown[]) => {
        const { pathname } = new URL(request.url);
        if (pathname !== '/e')
          return (t.app.fetch as (request: Request, ...rest: unknown[]) => Response | Promise<Response>)(request, ...rest);
        const body = new Uint8Array(await request.arrayBuffer());
        // A page of an earlier test, closed after its test ended, may still send its last beacon.
        if (!request.headers.get('cookie')?.includes(`lf_test_run=${testRun}`)) return new Response(null, { status: 202 });
        beacons.push({
          method: request.method,
          contentType: request.headers.get('content-type'),
          bytes: body.byteLength,
          events: JSON.parse(new TextDecoder().decode(body)).events,
        });
        return new Response(null, { status: 202 });
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  beforeEach(() => {
    testRun++;
    beacons = [];
    beaconsMade = 0;
    pageProblems = [];
  });

  afterEach(async () => {
    // Closing a page fires its pagehide beacon; the sink leaves it out of the next test's beacons.
    await Promise.all(contexts.map((context) => context.close()));
    contexts = [];
  });

  const url = (path: string) => `${server.base}${path}`;
  const sent = () => beacons.flatMap((beacon) => beacon.events);
  const ofType = (type: string) => sent().filter((event) => event.type === type);

  /** A fresh context (its own cookies and localStorage) and page. */
  async function openPage(options: BrowserContextOptions = {}, initScripts: string[] = []): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    const run = testRun;
    await context.addCookies([{ name: 'lf_test_run', value: String(run), url: server.base, httpOnly: true }]);
    await context.exposeBinding('__lfBeaconMade', () => void (run === testRun && beaconsMade++));
    await context.addInitScript({ content: COUNT_BEACONS });
    for (const content of initScripts) await context.addInitScript({ content });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The pages declare no icon, so Chromium's own /favicon.ico request is a 404.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
        pageProblems.push(`console error: ${message.text()}`);
    });
    return page;
  }

  /** Serves every funnel page with these attributes on `<html>`, as the server adds them for a workspace. */
  async function withHtmlAttributes(page: Page, attributes: string): Promise<void> {
    await page.context().route(`${server.base}${FUNNEL}**`, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      await route.fulfill({ response, body: html.replace('<html', `<html ${attributes}`) });
    });
  }

  /** Waits until the sink holds at least `count` events and every beacon made so far. */
  async function received(count: number): Promise<SentEvent[]> {
    await waitFor(() => sent().length >= count && beacons.length >= beaconsMade, Boolean, {
      what: `${count} events and ${beaconsMade} beacons`,
    });
    return sent();
  }

  /** Waits until every beacon made so far has reached the sink: a beacon that should not come was not made. */
  const settle = () => waitFor(() => beacons.length >= beaconsMade, Boolean, { what: `${beaconsMade} beacons` });

  /** Lets scroll and intersection callbacks run (they follow the next frames). */
  const frames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  /** Switches the tab to the background (or back), as the browser does, firing `visibilitychange`. */
  async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
    await page.evaluate((state) => {
      if (state === 'hidden') Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      else delete (document as { visibilityState?: string }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  }

  async function scrollToFraction(page: Page, fraction: number): Promise<void> {
    await page.evaluate((fraction) => scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * fraction), fraction);
    await frames(page);
  }

  const outboxOf = (page: Page) =>
    page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as SentEvent[] | null, OUTBOX_KEY);

  it('sends `engaged` once the visitor has seen half the page, when they leave it, as a JSON beacon to /e and never a page view', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 600 } });
    await page.goto(url(FUNNEL));
    // A small scroll is not engagement: hiding the tab sends nothing.
    await scrollToFraction(page, 0.1);
    await setVisibility(page, 'hidden');
    await settle();
    expect(beacons).toEqual([]);
    await setVisibility(page, 'visible');

    const before = Date.now();
    await scrollToFraction(page, 0.6);
    await scrollToFraction(page, 0.2);
    await scrollToFraction(page, 1);
    // Leaving the page (pagehide) sends the queue.
    await page.goto(url(`${FUNNEL}/thanks`));
    const events = await received(1);

    expect(events).toHaveLength(1);
    const [engaged] = events;
    expect(Object.keys(engaged!).sort()).toEqual(['at', 'id', 'path', 'type']);
    expect(engaged).toMatchObject({ type: 'engaged', path: FUNNEL });
    expect(engaged!.id).toMatch(EVENT_ID);
    expect(engaged!.at).toBeGreaterThanOrEqual(before);
    expect(engaged!.at).toBeLessThanOrEqual(Date.now());
    expect(beacons).toHaveLength(1);
    expect(beacons[0]).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(pageProblems).toEqual([]);
  });

  it('counts only visible time toward the 15 seconds that make a visit engaged', async () => {
    const page = await openPage();
    await page.clock.install();
    await page.goto(url(`${FUNNEL}/thanks`));
    await page.clock.pauseAt(Date.now() + 60_000);

    await page.clock.runFor(10_000);
    await setVisibility(page, 'hidden');
    await page.clock.runFor(60_000); // in the background: not counted
    await setVisibility(page, 'visible');
    await page.clock.runFor(4_000);
    await setVisibility(page, 'hidden'); // 14 s visible so far: nothing to send
    await setVisibility(page, 'visible');
    await page.clock.runFor(1_000);
    await page.clock.runFor(60_000); // once only
    await setVisibility(page, 'hidden');

    const events = await received(1);
    expect(events.map((event) => event.type)).toEqual(['engaged']);
    expect(beacons).toHaveLength(1);
    expect(pageProblems).toEqual([]);
  });

  it('reports the offer once when half of it is in view, its buy button as checkout_start, and other CTAs as cta_click', async () => {
    // A phone-sized window: the offer starts below the fold, less than half of it showing.
    const page = await openPage({ viewport: { width: 390, height: 600 } });
    await page.goto(url(`${FUNNEL}/offer`));
    await frames(page);
    await setVisibility(page, 'hidden');
    await settle();
    expect(ofType('offer_view')).toEqual([]);
    await setVisibility(page, 'visible');

    await page.locator('[data-lf-offer]').evaluate((offer) => offer.scrollIntoView({ block: 'center' }));
    await frames(page);
    await scrollToFraction(page, 0);
    await page.locator('[data-lf-offer]').evaluate((offer) => offer.scrollIntoView({ block: 'center' }));
    await frames(page);
    await Promise.all([page.waitForURL(/\/thanks$/), page.getByRole('link', { name: 'Buy the set for $250' }).click()]);
    await Promise.all([page.waitForURL(new RegExp(`${FUNNEL}$`)), page.getByRole('link', { name: 'Back to the shop' }).click()]);
    await received(3);

    const offer = `${FUNNEL}/offer`;
    expect(ofType('offer_view')).toEqual([expect.objectContaining({ path: offer, props: { block: 'set' } })]);
    expect(ofType('checkout_start')).toEqual([expect.objectContaining({ path: offer, props: { block: 'set' } })]);
    // The buy button is a checkout start, not also a click; the thanks page's button is a click.
    expect(ofType('cta_click')).toEqual([expect.objectContaining({ path: `${FUNNEL}/thanks`, props: { block: 'back' } })]);
    expect(sent().filter((event) => event.type !== 'engaged')).toHaveLength(3);
    expect(pageProblems).toEqual([]);
  });

  it('sends form_start once per capture form, on the first focus or input in it', async () => {
    const page = await openPage();
    await page.goto(url(`${FUNNEL}/guide`));
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByLabel('First name').fill('Ada L.');
    // The chat on the landing page: its island replaced the form, the mark on its root stays.
    await page.goto(url(FUNNEL));
    await page.getByRole('button', { name: 'Dryness' }).click();
    await page.getByRole('button', { name: 'Dryness' }).waitFor({ state: 'detached' });
    await page.goto(url(`${FUNNEL}/thanks`));
    await received(2);

    expect(ofType('form_start')).toEqual([
      expect.objectContaining({ path: `${FUNNEL}/guide`, props: { block: 'ebook' } }),
      expect.objectContaining({ path: FUNNEL, props: { block: 'chat' } }),
    ]);
    expect(pageProblems).toEqual([]);
  });

  it('reports the quiz: start on the first choice, each answer with its question, complete after the last — in one batch with unique ids', async () => {
    const page = await openPage();
    await page.goto(url(`${FUNNEL}/quiz`));
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByLabel('Comfortable').check();
    await page.getByLabel('Tight or flaky').check();
    await next.click();
    await page.getByLabel('Barely visible').check();
    await next.click();
    await page.getByLabel('Rarely').check(); // skips the shine question
    await next.click();
    await page.getByLabel('Cleanser').check();
    await page.getByLabel('Sunscreen').check();
    await next.click();
    await page.locator('p.prog', { hasText: 'Last step' }).waitFor();
    await page.close({ runBeforeUnload: true });
    await received(6);

    const quiz = sent().filter((event) => event.type.startsWith('quiz_'));
    const block = 'skin-quiz';
    expect(quiz.map(({ type, props }) => ({ type, props }))).toEqual([
      { type: 'quiz_start', props: { block } },
      { type: 'quiz_answer', props: { block, question: 'midday', answers: 'tight' } },
      { type: 'quiz_answer', props: { block, question: 'pores', answers: 'barely' } },
      { type: 'quiz_answer', props: { block, question: 'breakouts', answers: 'rarely' } },
      { type: 'quiz_answer', props: { block, question: 'products', answers: 'cleanser,sunscreen' } },
      { type: 'quiz_complete', props: { block } },
    ]);
    expect(beacons).toHaveLength(1);
    const ids = sent().map((event) => event.id);
    for (const id of ids) expect(id).toMatch(EVENT_ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(quiz.every((event) => event.path === `${FUNNEL}/quiz`)).toBe(true);
    expect(pageProblems).toEqual([]);
  });

  it('splits a long queue into beacons of at most 50 events and 16 KB, in order, and drops types the server would refuse', async () => {
    const page = await openPage();
    await page.goto(url(`${FUNNEL}/thanks`));
    await page.evaluate(() => {
      const track = (type: string, props: Record<string, unknown>) =>
        document.dispatchEvent(new CustomEvent('lf:track', { detail: { type, props } }));
      track('page_view', {}); // the server records page views, never the tracker
      for (let n = 0; n < 120; n++) track('quiz_answer', { n });
      track('purchase', { amount: 1 });
    });
    await setVisibility(page, 'hidden');
    await received(120);
    expect(beacons.map((beacon) => beacon.events.length)).toEqual([50, 50, 20]);
    expect(sent().map((event) => event.props?.n)).toEqual([...Array(120).keys()]);

    beacons = []; // every beacon made so far has arrived: counting starts again from here
    beaconsMade = 0;
    await setVisibility(page, 'visible');
    await page.evaluate(() => {
      // About 1.1 KB each (the ø is two bytes in UTF-8): the byte limit splits these, not the count.
      for (let n = 0; n < 30; n++) {
        document.dispatchEvent(new CustomEvent('lf:track', { detail: { type: 'quiz_answer', props: { n, text: 'ø'.repeat(500) } } }));
      }
    });
    await setVisibility(page, 'hidden');
    await received(30);
    expect(beacons.length).toBeGreaterThan(1);
    for (const beacon of beacons) {
      expect(beacon.bytes).toBeLessThanOrEqual(16 * 1024);
      expect(beacon.events.length).toBeLessThanOrEqual(50);
    }
    expect(sent().map((event) => event.props?.n)).toEqual([...Array(30).keys()]);

    const ids = sent().map((event) => event.id);
    expect(new Set(ids).size).toBe(30);
    expect(pageProblems).toEqual([]);
  });

  it('keeps a refused batch in the outbox and sends it first on the next page, under the same ids', async () => {
    const page = await openPage({}, [REFUSE_BEACONS]);
    await page.context().addCookies([{ name: 'refuse_beacons', value: '1', url: server.base }]);
    await page.goto(url(`${FUNNEL}/thanks`));
    await Promise.all([page.waitForURL(new RegExp(`${FUNNEL}$`)), page.getByRole('link', { name: 'Back to the shop' }).click()]);

    // Refused on leaving /thanks, refused again when retried on this page: still in the outbox.
    // (Playwright scrolls the short page to reach the button: that may have engaged the visit.)
    const fromThanks = (await outboxOf(page))!;
    expect(fromThanks.filter((event) => event.type !== 'engaged')).toEqual([
      expect.objectContaining({ type: 'cta_click', path: `${FUNNEL}/thanks`, props: { block: 'back' } }),
    ]);
    await scrollToFraction(page, 1);
    await setVisibility(page, 'hidden');
    const outbox = (await outboxOf(page))!;
    expect(outbox.slice(0, -1)).toEqual(fromThanks);
    expect(outbox.at(-1)).toMatchObject({ type: 'engaged', path: FUNNEL });
    expect(beacons).toEqual([]);

    // The browser takes beacons again: the next page sends the outbox at once and empties it.
    await page.context().clearCookies({ name: 'refuse_beacons' });
    await page.reload();
    const events = await received(outbox.length);
    expect(events).toEqual(outbox);
    expect(beacons).toHaveLength(1);
    expect(await outboxOf(page)).toBeNull();
    expect(pageProblems).toEqual([]);
  });

  it('stores nothing on the device in cookieless mode: a refused beacon is lost, an old outbox is left alone', async () => {
    const page = await openPage({}, [REFUSE_BEACONS, COUNT_STORAGE]);
    await withHtmlAttributes(page, 'data-lf-cookieless');
    await page.context().addCookies([{ name: 'refuse_beacons', value: '1', url: server.base }]);
    await page.goto(url(`${FUNNEL}/thanks`));
    await Promise.all([page.waitForURL(new RegExp(`${FUNNEL}$`)), page.getByRole('link', { name: 'Back to the shop' }).click()]);
    await scrollToFraction(page, 1);
    await setVisibility(page, 'hidden');
    expect(await page.evaluate(() => (window as unknown as { __storageCalls: number }).__storageCalls)).toBe(0);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);

    // An outbox from before the workspace went cookieless is neither sent nor touched.
    const old: SentEvent = { id: 'old-event-from-before-0001', type: 'engaged', at: Date.now() - 1000, path: FUNNEL };
    await page.evaluate(([key, value]) => localStorage.setItem(key!, value!), [OUTBOX_KEY, JSON.stringify([old])]);
    await page.context().clearCookies({ name: 'refuse_beacons' });
    await page.reload();
    await scrollToFraction(page, 1);
    await setVisibility(page, 'hidden');
    const events = await received(1);
    expect(events.map((event) => event.type)).toEqual(['engaged']);
    expect(events[0]!.id).not.toBe(old.id);
    expect(await page.evaluate(() => (window as unknown as { __storageCalls: number }).__storageCalls)).toBe(0);
    expect(await outboxOf(page)).toEqual([old]);
    expect(pageProblems).toEqual([]);
  });

  for (const [signal, script] of [
    ['Global Privacy Control', `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });`],
    ['Do Not Track', `Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });`],
  ] as const) {
    it(`sends nothing under ${signal} when the page says privacy signals count, and ignores the signal otherwise`, async () => {
      const honoured = await openPage({}, [script]);
      await withHtmlAttributes(honoured, 'data-lf-privacy');
      await honoured.goto(url(FUNNEL));
      await scrollToFraction(honoured, 1);
      await Promise.all([honoured.waitForURL(/\/quiz$/), honoured.getByRole('link', { name: 'Find my skin type' }).click()]);
      await honoured.getByLabel('Comfortable').check();
      await setVisibility(honoured, 'hidden');
      await settle();
      expect(beacons).toEqual([]);
      expect(await honoured.evaluate(() => localStorage.length)).toBe(0);

      const ignored = await openPage({}, [script]);
      await ignored.goto(url(FUNNEL));
      await Promise.all([ignored.waitForURL(/\/quiz$/), ignored.getByRole('link', { name: 'Find my skin type' }).click()]);
      await received(1);
      expect(ofType('cta_click')).toEqual([expect.objectContaining({ path: FUNNEL, props: { block: 'hero' } })]);
      expect(pageProblems).toEqual([]);
    });
  }
});
