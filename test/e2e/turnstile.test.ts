/**
 * Cloudflare Turnstile in real Chromium: the page's own script renders the widget and adds its
 * token to the post — for a plain form (the ebook gate) and for an island that replaces its form
 * (the chat) — and the server verifies it against the local siteverify stand-in. Cloudflare's
 * api.js is not fetched: requests to challenges.cloudflare.com are answered with a small fake
 * that has the same explicit-render API (render / getResponse / reset, the `onload` callback),
 * handing out tokens the stand-in issued. Without JavaScript the form says why it cannot be sent.
 * Then the funnel's Spam protection panel, with axe at 1280 and 390 px and screenshots.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { startStandInVerifier, STAND_IN_SECRET, STAND_IN_SITE_KEY, type StandInVerifier } from '../support/turnstile-verifier';
import { TURNSTILE_NO_SCRIPT_MESSAGE } from '../../pages-ui/landing/turnstile';

const ARTIFACTS = 'test-artifacts';
const FUNNEL = '/p/cosmetics-set';
const CONSENT_TEXT = 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.';

/** Turnstile's explicit-render API, enough for our page script; `__TOKEN__` is a token the stand-in issued. */
const FAKE_API_JS = `(() => {
  const widgets = new Map();
  window.turnstile = {
    render(el, options) {
      const id = 'w' + widgets.size;
      widgets.set(id, options);
      el.textContent = 'Verified (test widget, site key ' + options.sitekey + ')';
      return id;
    },
    getResponse: (id) => (widgets.has(id) ? '__TOKEN__' : undefined),
    reset() {},
  };
  const onload = new URL(document.currentScript.src).searchParams.get('onload');
  if (onload) window[onload]();
})();`;

describe.skipIf(!chromiumAvailable)('Turnstile in Chromium', { timeout: 120_000 }, () => {
  let t: TestApp;
  let verifier: StandInVerifier;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let problems: string[] = [];

  beforeAll(async () => {
    verifier = await startStandInVerifier();
    t = await createTestApp({
      clock: Date.now,
      captureLimits: { minFillMs: 0, ratePerWindow: 1_000 },
      turnstile: { verifyUrl: verifier.url },
    });
    await seedDemo(t.database, { clock: t.deps.clock });
    const owner = t.client();
    await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
    const [funnel] = await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = 'cosmetics-set'`);
    expect((await owner.rpc.api.workspace['turnstile-secret'].$put({ json: { secretKey: STAND_IN_SECRET } })).status).toBe(200);
    const on = await owner.rpc.api.funnels[':id'].turnstile.$put({
      param: { id: funnel!.id },
      json: { enabled: true, siteKey: STAND_IN_SITE_KEY },
    });
    expect(on.status).toBe(200);
    server = await serveApp(t.app);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
    await verifier?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  const url = (path: string) => `${server.base}${path}`;

  async function newPage(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    await context.route('https://challenges.cloudflare.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: FAKE_API_JS.replace('__TOKEN__', verifier.issue()) }),
    );
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const expected = /status of 400 \(Bad Request\)/.test(message.text()) || message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !expected) problems.push(`console error: ${message.text()}`);
    });
    return page;
  }

  const leadCount = async (email: string) =>
    Number((await t.database.db.all<{ n: number }>(sql`select count(*) as n from leads where email = ${email}`))[0]!.n);

  it('a plain form: the widget renders, its token is posted and verified, the lead is stored', async () => {
    const page = await newPage();
    await page.goto(url(`${FUNNEL}/guide`));
    await page.getByText('Verified (test widget').waitFor();
    await page.getByLabel('First name').fill('Tess');
    await page.getByLabel('Email address').fill('tess@example.com');
    await page.getByLabel(CONSENT_TEXT).check();
    const calls = verifier.calls.length;
    await page.getByRole('button', { name: 'Send me the guide' }).click();
    await page.getByRole('heading', { name: 'Your download is ready' }).waitFor();
    expect(await leadCount('tess@example.com')).toBe(1);
    expect(verifier.calls.length).toBe(calls + 1);
    expect(verifier.calls.at(-1)!.response).toMatch(/^XXXX\.DUMMY\.TOKEN\./);
  });

  it('an island (the chat) replaces its form: the widget is made again beside it and the token still goes with the post', async () => {
    const page = await newPage();
    await page.goto(url(FUNNEL));
    const log = page.getByRole('log');
    await page.getByRole('button', { name: 'Dryness' }).click();
    await log.getByText('How many steps does your routine have today?').waitFor();
    await page.getByRole('button', { name: 'None yet' }).click();
    await log.getByText('Anything you would like to ask our skincare team?').waitFor();
    await page.getByLabel('Anything you would like to ask our skincare team?').fill('Hello');
    await page.keyboard.press('Enter');
    await log.getByText('Thanks! Leave your email').waitFor();
    await page.getByText('Verified (test widget').waitFor();
    await page.getByLabel('Email address').fill('chat.turnstile@example.com');
    await page.getByLabel(CONSENT_TEXT).check();
    await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'Send me tips' }).click()]);
    expect(await leadCount('chat.turnstile@example.com')).toBe(1);
    expect(verifier.calls.at(-1)!.response).toMatch(/^XXXX\.DUMMY\.TOKEN\./);
  });

  it('without JavaScript: the form says the check needs it, and a post is refused with nothing stored', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(url(`${FUNNEL}/guide`));
    // Playwright turns script execution off, not the parser's scripting flag, so Chromium here still
    // treats <noscript> as inert text: the note is checked in the markup, not as rendered.
    expect(await page.locator('form[data-lf-form="ebook"] noscript').textContent()).toContain(TURNSTILE_NO_SCRIPT_MESSAGE);
    await page.getByLabel('First name').fill('Nora');
    await page.getByLabel('Email address').fill('noscript.turnstile@example.com');
    await page.getByLabel(CONSENT_TEXT).check();
    await page.getByRole('button', { name: 'Send me the guide' }).click();
    await page.getByText('Please complete the “I am human” check').waitFor();
    expect(await page.getByLabel('Email address').inputValue()).toBe('noscript.turnstile@example.com');
    expect(await leadCount('noscript.turnstile@example.com')).toBe(0);
  });

  it('the funnel’s Spam protection panel, accessible at 1280 and 390 px', async () => {
    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await newPage({ viewport });
      await page.goto(url('/login'));
      await page.getByLabel('Email').fill(DEMO.email);
      await page.getByLabel('Password').fill(DEMO.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/app\//);
      const [funnel] = await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = 'cosmetics-set'`);
      await page.goto(url(`/app/funnels/${funnel!.id}`));
      const panel = page.getByRole('region', { name: 'Spam protection' });
      await panel.getByLabel('Site key').waitFor();
      expect(await panel.getByLabel('Site key').inputValue()).toBe(STAND_IN_SITE_KEY);
      expect(await panel.getByRole('switch', { name: 'Check forms with Cloudflare Turnstile' }).isChecked()).toBe(true);
      await panel.getByText('Set for this workspace').waitFor();
      expect(await panel.getByRole('link', { name: /Turnstile section of your Cloudflare dashboard/ }).getAttribute('href')).toContain(
        'dash.cloudflare.com',
      );
      await page.waitForFunction(() => !document.querySelector('.skeleton, .route-progress'));
      const violations = await seriousViolations(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      await panel.scrollIntoViewIfNeeded();
      await panel.screenshot({ path: `${ARTIFACTS}/funnel-spam-protection-${name}.png` });
    }
  });
});
