import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { waitFor } from '../support/wait';

// Headless Chromium says "HeadlessChrome" and is (rightly) not counted; this visit poses as a person.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CONSENT = 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.';

describe.skipIf(!chromiumAvailable)('a real visit moves the visitor through the funnel stages, in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now, captureLimits: { minFillMs: 0 } });
    await seedDemo(t.database, { clock: t.deps.clock }); // on the app's clock, which is real time here, as the browser's
    server = await serveApp(t.app);
    browser = await launchBrowser({ userAgent: USER_AGENT });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  async function stored(visitor: string) {
    await t.deps.events.flush();
    const events = await t.database.db.all<{ type: string }>(
      sql`select type from events where visitor_id = ${visitor} order by occurred_at`,
    );
    const [stage] = await t.database.db.all<{ furthest_stage: number; source: string }>(
      sql`select furthest_stage, source from visitor_stages where visitor_id = ${visitor}`,
    );
    return { types: events.map((e) => e.type), stage };
  }

  /** Lets scroll and intersection callbacks run (they follow the next frames). */
  const frames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  it('land, scroll, take the quiz, open the offer: the beacon fires on leaving and the visitor reaches desire', async () => {
    const context = await browser.newContext({ userAgent: USER_AGENT });
    const page = await context.newPage();
    await page.goto(`${server.base}/p/cosmetics-set?utm_source=instagram&utm_medium=social`);
    const visitor = (await context.cookies()).find((c) => c.name === 'lf_vid')!.value;
    expect((await stored(visitor)).stage).toEqual({ furthest_stage: 0, source: 'instagram' }); // the server saw the view

    // Scroll the whole landing page (engaged), then follow the CTA to the quiz: leaving fires the beacon.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await frames(page);
    await Promise.all([page.waitForURL(/\/quiz$/), page.getByRole('link', { name: 'Take the 1-minute skin quiz' }).click()]);
    const afterLanding = await waitFor(
      () => stored(visitor),
      (s) => s.types.includes('engaged'),
    );
    expect(afterLanding.types).toEqual(expect.arrayContaining(['page_view', 'engaged', 'cta_click']));
    expect(afterLanding.stage!.furthest_stage).toBe(1); // interest

    for (const answer of ['Comfortable', 'Visible on the nose', 'Now and then']) {
      await page.getByLabel(answer).check();
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await page.getByLabel('Sometimes').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Moisturiser').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Email address').fill('stage.walker@example.com');
    await page.getByLabel(CONSENT).check();
    await Promise.all([page.waitForURL(/\?result=/), page.getByRole('button', { name: 'See my result' }).click()]);
    const afterQuiz = await waitFor(
      () => stored(visitor),
      (s) => s.stage!.furthest_stage >= 2,
    );
    expect(afterQuiz.types).toEqual(expect.arrayContaining(['quiz_start', 'quiz_answer', 'form_submit']));
    expect(afterQuiz.stage!.furthest_stage).toBe(2); // evaluation

    await page.goto(`${server.base}/p/cosmetics-set/offer`);
    await page.locator('[data-lf-offer]').scrollIntoViewIfNeeded();
    await frames(page);
    await page.close({ runBeforeUnload: true }); // pagehide: the beacon with offer_view goes now
    const afterOffer = await waitFor(
      () => stored(visitor),
      (s) => s.types.includes('offer_view'),
    );
    expect(afterOffer.stage!.furthest_stage).toBe(3); // desire
    // The lead knows where the visitor came from.
    const [lead] = await t.database.db.all<{ first_touch: string }>(
      sql`select first_touch from leads where email = 'stage.walker@example.com'`,
    );
    expect(JSON.parse(lead!.first_touch)).toMatchObject({ source: 'instagram', medium: 'social' });
    await context.close();
  });
});
