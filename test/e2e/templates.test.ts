/**
 * Every template, published, as visitors meet it in real Chromium at 1280 and 390 px: no layout
 * shift (CLS 0, read after the load event, fonts and every image) while images arrive late and
 * islands start, every image sized in the HTML, no console error, icons drawn without fonts, button
 * labels whole (islands' buttons too), the no-script chat and ebook landing on their result, the quiz counting the path taken
 * and showing the outcome, the countdown ticking. Screenshots of every page at 390 px go to
 * test-artifacts/templates/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { FUNNEL_TEMPLATES, type FunnelTemplate } from '../../workers/domain/templates';
import { COUNTDOWN_JS } from '../../pages-ui/landing/generated/countdown';
import { createTestApp, type TestApp } from '../support/app';
import { json } from '../support/responses';
import { formatViolations, seriousViolations } from '../support/axe';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';

const ARTIFACTS = 'test-artifacts/templates';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const CONSENT = 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.';

/** Every layout shift of the page from its first paint on (input-driven ones excluded, as CLS does). */
const RECORD_LAYOUT_SHIFTS = `(() => {
  window.__shifts = [];
  const keep = (entries) => {
    for (const entry of entries) {
      if (entry.hadRecentInput) continue;
      window.__shifts.push({
        value: entry.value,
        sources: (entry.sources || []).map((s) => s.node ? s.node.nodeName + (s.node.id ? '#' + s.node.id : '') + (s.node.className ? '.' + String(s.node.className).split(' ').join('.') : '') : '?'),
      });
    }
  };
  const observer = new PerformanceObserver((list) => keep(list.getEntries()));
  observer.observe({ type: 'layout-shift', buffered: true });
  window.__takeShifts = () => { keep(observer.takeRecords()); return window.__shifts; };
})();`;

interface Shift {
  value: number;
  sources: string[];
}

function pagePath(template: FunnelTemplate, index: number): string {
  return index === 0 ? `/p/${template.suggestedSlug}` : `/p/${template.suggestedSlug}/${template.pages[index]!.slug}`;
}

const ALL_PAGES = FUNNEL_TEMPLATES.flatMap((template) => template.pages.map((page, index) => ({ template, page, index })));

describe.skipIf(!chromiumAvailable)('template pages in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A real clock (the browser takes real time) without the 2 s bot threshold; every post comes from 127.0.0.1.
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0, ratePerWindow: 1_000 } });
    const owner = t.client();
    await owner.signup('owner@templates.test', 'correct horse battery', 'Olivia', { workspaceName: 'Templates' });
    for (const template of FUNNEL_TEMPLATES) {
      const res = await owner.rpc.api.templates[':id'].funnels.$post({
        param: { id: template.id },
        json: { name: template.suggestedName, slug: template.suggestedSlug, publish: true },
      });
      await json(res, 201);
    }
    server = await serveApp(t.app);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  /** One context per kind (viewport, scripts on or off), reused: a fresh page per test. */
  async function openPage(viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<Page> {
    const key = `${viewport.width}x${viewport.height}:${javaScriptEnabled}`;
    let context = contexts.get(key);
    if (!context) {
      context = await browser.newContext({ viewport, javaScriptEnabled, reducedMotion: 'reduce' });
      await context.addInitScript({ content: RECORD_LAYOUT_SHIFTS });
      contexts.set(key, context);
    }
    await context.clearCookies();
    return context.newPage();
  }

  const url = (path: string) => `${server.base}${path}`;
  const frames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  /** Without JavaScript the page runs no animation frames: wait for the browser's scroll to the fragment by polling. */
  const scrolled = (page: Page) => page.waitForFunction(() => scrollY > 0, undefined, { polling: 50 });

  /**
   * Opens a page with its images held back until it has painted, so every image arrives late,
   * in view — the worst case for layout shift — then brings each image into view until loaded.
   */
  async function openWithLateImages(page: Page, path: string): Promise<void> {
    const held: Route[] = [];
    let release = false;
    await page.route('**/assets/**', (route) => (release ? route.continue() : void held.push(route)));
    await page.goto(url(path), { waitUntil: 'domcontentloaded' });
    await frames(page);
    release = true;
    await Promise.all(held.map((route) => route.continue()));
    for (const image of await page.locator('img').all()) {
      await image.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
        await image.elementHandle(),
      );
    }
    // Everything a late shift could come from has arrived: the load event, web fonts (none are
    // shipped: the stacks are local, so this resolves at once), every image.
    await page.waitForLoadState('load');
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page);
  }

  /** Words of button labels that the browser split over two lines (which a phone must never show). */
  function brokenButtonWords(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const broken: string[] = [];
      for (const button of document.querySelectorAll<HTMLElement>('.btn, button')) {
        if (!button.offsetParent) continue;
        const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? '';
          for (const match of text.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            if (tops.size > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    });
  }

  describe.each([
    ['390 px', PHONE],
    ['1280 px', DESKTOP],
  ] as const)('at %s', (label, viewport) => {
    it.each(ALL_PAGES.map(({ template, page, index }) => [`${template.id} /${page.slug}`, template, index] as const))(
      '%s does not shift, draws its icons as SVG, keeps button words whole and passes axe',
      async (_name, template, index) => {
        const page = await openPage(viewport);
        const problems: string[] = [];
        page.on('pageerror', (error) => problems.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(message.text());
        });
        const path = pagePath(template, index);
        await openWithLateImages(page, path);
        // Islands have started and countdowns ticked before the shifts are read.
        if (await page.locator('[data-island]').count()) await page.locator('[data-island] > div').first().waitFor();
        if (await page.locator('[data-lf-cd]').count()) await page.locator('.cdc .u').first().waitFor();
        await frames(page);

        const shifts = await page.evaluate(() => (window as unknown as { __takeShifts(): Shift[] }).__takeShifts());
        expect(shifts, `layout shifts on ${path} at ${label}: ${JSON.stringify(shifts)}`).toEqual([]);
        // Every image reserves its space before it arrives: its intrinsic width and height are in the HTML.
        const unsized = await page
          .locator('img')
          .evaluateAll((images) =>
            images
              .filter((img) => !/^\d+$/.test(img.getAttribute('width') ?? '') || !/^\d+$/.test(img.getAttribute('height') ?? ''))
              .map((img) => img.outerHTML),
          );
        expect(unsized, path).toEqual([]);

        const icons = await page.locator('.ic').evaluateAll((els) =>
          els.map((el) => ({
            text: el.textContent?.trim() ?? '',
            svg: el.querySelector('svg path') ? el.querySelector('svg')!.getBoundingClientRect().width : 0,
          })),
        );
        for (const icon of icons) expect(icon).toEqual({ text: '', svg: 24 });

        expect(await brokenButtonWords(page), path).toEqual([]);
        // Nothing wider than the screen.
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), path).toBe(true);

        if (viewport === PHONE) {
          const violations = await seriousViolations(page);
          expect(violations.length, `${path}: serious or critical axe violations\n${formatViolations(violations)}`).toBe(0);
        }
        if (viewport === PHONE || index === 0) {
          const file = `${ARTIFACTS}/${template.id}-${index + 1}-${template.pages[index]!.slug}-${viewport.width}.png`;
          await page.screenshot({ path: file, fullPage: true });
        }
        expect(problems).toEqual([]);
        await page.close();
      },
    );
  });

  describe('without JavaScript, a posted form lands on its result', () => {
    it('brings the chat visitor to the thank-you line, far down the page on a phone', async () => {
      const page = await openPage(PHONE, false);
      await page.goto(url('/p/cosmetics-set'));
      await page.getByLabel('Shine and breakouts').check();
      await page.getByLabel('None yet').check();
      await page.getByLabel('Anything you would like to ask our skincare team?').fill('Is the SPF reef-safe?');
      await page.getByLabel('Email address').fill('phone.chat@example.com');
      await page.getByLabel(CONSENT).check();
      await Promise.all([page.waitForURL(/\?result=.*#chat\.result$/), page.getByRole('button', { name: 'Send me tips' }).click()]);
      await scrolled(page);
      const landing = await page.evaluate(() => {
        const target = document.querySelector(':target');
        const box = target?.getBoundingClientRect();
        return { id: target?.id, top: box?.top, bottom: box?.bottom, scrollY, innerHeight, text: target?.textContent };
      });
      expect(landing.id).toBe('chat.result');
      expect(landing.text).toBe('Thank you! Your tips and your 10% code are on their way to your inbox.');
      // The page opened scrolled down to it (not at the top), with the whole line in view.
      expect(landing.scrollY).toBeGreaterThan(1000);
      expect(landing.top).toBeGreaterThanOrEqual(0);
      expect(landing.bottom).toBeLessThanOrEqual(landing.innerHeight);
      await page.screenshot({ path: `${ARTIFACTS}/result-chat-no-js-390.png` });
      await page.close();
    });

    it('puts the ebook’s download button in view, its label unbroken', async () => {
      const page = await openPage(PHONE, false);
      await page.goto(url('/p/cosmetics-set/guide'));
      await page.getByLabel('Email address').fill('phone.guide@example.com');
      await Promise.all([page.waitForURL(/#ebook\.result$/), page.getByRole('button', { name: 'Send me the guide' }).click()]);
      await scrolled(page);
      const button = page.getByRole('link', { name: 'Download The 5-minute skincare routine (PDF)' });
      const box = (await button.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      expect(await brokenButtonWords(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/result-ebook-no-js-390.png` });
      await page.close();
    });

    it('focuses the first error of a refused form, wherever it is on the page', async () => {
      const page = await openPage(PHONE, false);
      await page.goto(url('/p/forecasting-workshop'));
      await page.getByLabel('First name').fill('Elena');
      // Passes the browser's own type=email check, fails the server's (no dot in the domain).
      await page.getByLabel('Work email').fill('elena@northwind');
      await page.getByLabel('Company').fill('Northwind');
      await page.getByLabel('Your role').selectOption('Sales manager');
      await page.getByLabel('Size of your sales team').selectOption('6–20 reps');
      await page.getByRole('button', { name: 'Save my seat' }).click();
      await page.getByRole('alert').waitFor();
      await scrolled(page);
      const summary = await page.evaluate(() => {
        const box = document.activeElement?.getBoundingClientRect();
        return { className: document.activeElement?.className, top: box?.top, scrollY };
      });
      expect(summary.className).toBe('sum');
      expect(summary.scrollY).toBeGreaterThan(0);
      expect(summary.top).toBeGreaterThanOrEqual(0);
      expect(summary.top).toBeLessThan(PHONE.height);
      await page.close();
    });
  });

  describe('the quiz counts the path taken and shows the outcome', () => {
    it('with JavaScript: "of 4 or 5" until the branch, then "of 4" on the short branch; the outcome, no score', async () => {
      const page = await openPage(PHONE);
      await page.goto(url('/p/coffee-quiz/quiz'));
      const progress = page.locator('p.prog');
      expect(await progress.innerText()).toBe('Question 1 of 4 or 5');
      await page.getByLabel('Espresso machine').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('p.prog', { hasText: /^Question 2 of 4 or 5$/ }).waitFor();
      // Latte drinkers skip the acidity question: four questions in all.
      await page.getByLabel('Mostly milk: lattes and flat whites').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('p.prog', { hasText: /^Question 3 of 4$/ }).waitFor();
      expect(await page.locator('form legend').innerText()).toBe('How strong do you like it?');
      await page.getByLabel('Strong enough to wake the neighbours').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('p.prog', { hasText: /^Question 4 of 4$/ }).waitFor();
      await page.getByLabel('Two or three').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('p.prog', { hasText: /^Last step$/ }).waitFor();
      await page.getByLabel('Email address').fill('latte.quiz@example.com');
      await Promise.all([page.waitForURL(/#coffee-quiz\.result$/), page.getByRole('button', { name: 'Show my coffee' }).click()]);
      const result = page.getByRole('status');
      // 3 + 3 + 3 = 9 points: the medium roast, by name; the points stay the marketer's.
      expect(await result.getByRole('heading').innerText()).toBe('Smooth & sweet: Hearth medium roast');
      expect(await result.innerText()).not.toMatch(/score|\b9\b/i);
      await page.screenshot({ path: `${ARTIFACTS}/result-quiz-390.png` });
      await page.close();
    });

    it('without JavaScript: the second post shows the four questions of the path, numbered, focused on the first new one', async () => {
      const page = await openPage(PHONE, false);
      await page.goto(url('/p/coffee-quiz/quiz'));
      expect(await page.locator('p.prog').innerText()).toBe('4 or 5 questions, depending on your answers');
      expect(await page.locator('legend').allInnerTexts()).toEqual(['1. How do you usually make your coffee?', '2. How do you take it?']);
      await page.getByLabel('French press').check();
      await page.getByLabel('Mostly milk: lattes and flat whites').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Email address').waitFor();
      expect(await page.locator('p.prog').innerText()).toBe('4 questions');
      expect(await page.locator('legend').allInnerTexts()).toEqual([
        '1. How do you usually make your coffee?',
        '2. How do you take it?',
        '3. How strong do you like it?',
        '4. How many cups do you drink on a normal day?',
      ]);
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id)).toBe('coffee-quiz.q_strength');
      await page.getByLabel('Gentle and easy-going').check();
      await page.getByLabel('One, and I savour it').check();
      await page.getByLabel('Email address').fill('press.quiz@example.com');
      await Promise.all([page.waitForURL(/#coffee-quiz\.result$/), page.getByRole('button', { name: 'Show my coffee' }).click()]);
      // 2 + 3 + 1 = 6: the light roast.
      expect(await page.getByRole('status').getByRole('heading').innerText()).toBe('Bright & fruity: Sunrise light roast');
      expect(await page.getByRole('status').innerText()).not.toMatch(/score/i);
      await page.close();
    });
  });

  describe('the countdown', () => {
    it('ticks with JavaScript, in days, hours, minutes and seconds, and keeps the date for screen readers', async () => {
      const page = await openPage(DESKTOP);
      await page.goto(url('/p/forecasting-workshop'));
      const clock = page.locator('.cdc');
      await clock.locator('.u').first().waitFor();
      expect(await clock.getAttribute('role')).toBe('timer');
      const units = () => clock.locator('.u').allInnerTexts();
      const first = await units();
      expect(first.map((unit) => unit.split('\n')[1])).toEqual([
        expect.stringMatching(/^days?$/),
        expect.stringMatching(/^hours?$/),
        expect.stringMatching(/^minutes?$/),
        expect.stringMatching(/^seconds?$/),
      ]);
      // The seconds move on: it is a clock, not a date.
      await page.waitForFunction((before) => document.querySelectorAll('.cdc .u b')[3]?.textContent !== before, first[3]!.split('\n')[0]);
      expect(await clock.locator('.sr').innerText()).toMatch(/^left, until \w+ \d+, \d{4} at \d+:\d{2} [AP]M UTC$/);
      await page.close();
    });

    it.each([
      ['390 px', PHONE],
      ['1280 px', DESKTOP],
    ] as const)('takes over from the date without moving anything, even after the first paint (%s)', async (_label, viewport) => {
      const page = await openPage(viewport);
      // The worst case: the page paints its date first and the ticker starts only afterwards.
      await page.route('**/p/forecasting-workshop', async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(`<script>${COUNTDOWN_JS}</script>`, '');
        await route.fulfill({ response, body: html });
      });
      await page.goto(url('/p/forecasting-workshop'));
      await frames(page);
      expect(await page.locator('.cdc .u').count()).toBe(0);
      await page.evaluate(COUNTDOWN_JS);
      await page.locator('.cdc .u').first().waitFor();
      await frames(page);
      const shifts = await page.evaluate(() => (window as unknown as { __takeShifts(): Shift[] }).__takeShifts());
      expect(shifts, JSON.stringify(shifts)).toEqual([]);
      await page.close();
    });

    it('shows the fixed date without JavaScript', async () => {
      const page = await openPage(PHONE, false);
      await page.goto(url('/p/forecasting-workshop'));
      expect(await page.locator('.cdc').innerText()).toMatch(/^\w+ \d+, \d{4} at \d+:\d{2} [AP]M UTC$/);
      expect(await page.locator('.cdc .u').count()).toBe(0);
      await page.close();
    });
  });
});
