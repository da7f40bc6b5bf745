/**
 * The dashboard in real Chromium on the demo data: the numbers in each chart's table view equal
 * the API's for the same range, sections are people, a range change goes to the URL and redraws
 * the charts, every figure is compared with the previous period, axe finds nothing serious at
 * 1280 and 390 px, nothing overflows a phone. Screenshots in test-artifacts/ (docs/dashboard.jpg with UPDATE_README_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable, readmeScreenshot } from '../support/browser';

const STAGES = ['awareness', 'interest', 'evaluation', 'desire', 'sale', 'retention'];

describe.skipIf(!chromiumAvailable)('the dashboard in Chromium', { timeout: 180_000 }, () => {
  const b = useBrowserApp({ demo: { leads: true } });
  let funnelId: string;

  beforeAll(async () => {
    funnelId = (await (await b.owner.rpc.api.funnels.$get()).json()).funnels[0]!.id;
    mkdirSync('docs', { recursive: true });
  });

  async function signedInPage(viewport = DESKTOP): Promise<Page> {
    const page = await b.newPage({ viewport });
    await b.signIn(page);
    return page;
  }

  /** Every chart drawn (the view's ready mark) and no skeleton left. */
  async function dashboardReady(page: Page) {
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.waitForFunction(
      () => !document.querySelector('.skeleton, .route-progress') && document.querySelectorAll('svg.chart').length >= 5,
      undefined,
      {
        timeout: 90_000,
      },
    );
  }

  async function tableOf(page: Page, chart: string) {
    const card = page.locator(`[data-chart="${chart}"]`);
    const toggle = card.getByRole('button', { name: 'Table view' });
    if (await toggle.count()) await toggle.click();
    await card.locator(`[data-table="${chart}"]`).waitFor();
    return card;
  }

  const numbersIn = (card: ReturnType<Page['locator']>, selector: string, attribute = 'data-value') =>
    card.locator(selector).evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attribute);

  it('shows the same numbers as the API for the range, sections as people, with the previous period', async () => {
    const page = await signedInPage();
    await page.goto(b.url('/app/dashboard'));
    await dashboardReady(page);

    // Each chart is an image with a title and a description that says the numbers.
    const charts = page.locator('svg.chart[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(5);
    const funnelDesc = await page.locator('[data-chart="funnel"] svg desc').textContent();
    const report = await (await b.owner.rpc.api.funnels[':id'].report.$get({ param: { id: funnelId }, query: {} })).json();
    expect(funnelDesc).toContain(`Awareness: ${report.stages[0]!.visitors.toLocaleString('en-US')} visitors`);
    await page.screenshot({ path: `${b.artifacts}/dashboard-1280.png`, fullPage: true });
    await readmeScreenshot(page, 'dashboard', { fullPage: true });

    // The funnel's table view: visitors per stage equal the report's for the same (default) range.
    const funnel = await tableOf(page, 'funnel');
    expect(await numbersIn(funnel, '[data-table="funnel"] tbody td[data-value]')).toEqual(report.stages.map((s) => s.visitors));
    expect(
      await funnel.locator('[data-table="funnel"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stage'))),
    ).toEqual(STAGES);
    // Medians are labelled approximate (≈) in the header, never a bare 0.
    await expect(funnel.getByRole('columnheader', { name: /Median time from previous \(≈/ }).isVisible()).resolves.toBe(true);
    expect(await funnel.locator('[data-table="funnel"] tbody td').allTextContents()).not.toContain('0 s');

    // Sections are people: the same as the API, MOFU never above TOFU, "now in" adding up to TOFU.
    const sections = await (await b.owner.rpc.api.funnels[':id'].sections.$get({ param: { id: funnelId }, query: {} })).json();
    const reached = await numbersIn(funnel, '[data-section] .tile-number');
    const current = await numbersIn(funnel, '[data-section] [data-current]', 'data-current');
    expect(reached).toEqual(sections.sections.map((s) => s.reached));
    expect(current).toEqual(sections.sections.map((s) => s.current));
    expect(reached[0]).toBe(400);
    expect(reached[1]!).toBeLessThanOrEqual(reached[0]!);
    expect(current.reduce((a, b) => a + b, 0)).toBe(reached[0]);

    // The handoff's table view, with the previous period's counts beside each step.
    const handoff = await (await b.owner.rpc.api.handoff.$get({ query: { compare: 'previous' } })).json();
    const handoffCard = await tableOf(page, 'handoff');
    expect(await numbersIn(handoffCard, '[data-table="handoff"] tbody td[data-value]')).toEqual(handoff.totals.steps.map((s) => s.count));
    expect(handoff.previous).not.toBeNull();

    // Visitors / leads / deals per day: totals equal the API's daily series.
    const daily = await (await b.owner.rpc.api.handoff.daily.$get({ query: {} })).json();
    const dailyCard = await tableOf(page, 'daily');
    const totals = await dailyCard.locator('[data-total]').evaluateAll((els) => els.map((e) => Number(e.textContent.replace(/,/g, ''))));
    expect(totals).toEqual(['visitors', 'leads', 'deals'].map((k) => daily.days.reduce((n, d) => n + d[k as 'visitors'], 0)));
    expect(await dailyCard.locator('[data-table="daily"] tbody tr').count()).toBe(30);

    // Comparison everywhere: deltas with words for screen readers.
    const deltas = page.locator('.delta');
    expect(await deltas.count()).toBeGreaterThan(5);
    expect(await page.locator('.delta .visually-hidden').first().textContent()).toMatch(/previous period/);

    await page.screenshot({ path: `${b.artifacts}/dashboard-tables-1280.png`, fullPage: true });
    await b.expectAccessible(page, page.url());
  });

  it('puts the range in the URL and redraws the charts for it; a custom range too', async () => {
    const page = await signedInPage();
    await page.goto(b.url('/app/dashboard'));
    await dashboardReady(page);
    const before = await page.locator('[data-chart="daily"] svg desc').textContent();

    await page.getByLabel('Period', { exact: true }).selectOption('7d');
    await page.waitForURL(/\/app\/dashboard\?range=7d$/);
    await page.waitForFunction((old) => document.querySelector('[data-chart="daily"] svg desc')?.textContent !== old, before);
    await dashboardReady(page);
    const dailyCard = await tableOf(page, 'daily');
    expect(await dailyCard.locator('[data-table="daily"] tbody tr').count()).toBe(7);
    const from7 = await dailyCard.locator('[data-table="daily"] tbody th').first().textContent();
    const week = await (await b.owner.rpc.api.funnels[':id'].report.$get({ param: { id: funnelId }, query: { from: from7! } })).json();
    const funnel = await tableOf(page, 'funnel');
    expect(await numbersIn(funnel, '[data-table="funnel"] tbody td[data-value]')).toEqual(week.stages.map((s) => s.visitors));

    // Reload keeps it; Back returns to the default range.
    await page.reload();
    await dashboardReady(page);
    await expect(page.getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('7d');

    await page.getByLabel('Period', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(week.period.from);
    await page.getByLabel('To', { exact: true }).fill(week.period.from);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`range=custom&from=${week.period.from}&to=${week.period.from}`));
    await dashboardReady(page);
    const oneDay = await tableOf(page, 'daily');
    expect(await oneDay.locator('[data-table="daily"] tbody tr').count()).toBe(1);

    // One source: the funnel's numbers are that source's.
    await page.getByLabel('Source', { exact: true }).selectOption('instagram');
    await page.waitForURL(/source=instagram/);
    await dashboardReady(page);
    const insta = await (
      await b.owner.rpc.api.funnels[':id'].report.$get({
        param: { id: funnelId },
        query: { from: week.period.from, to: week.period.from, source: 'instagram' },
      })
    ).json();
    const funnelInsta = await tableOf(page, 'funnel');
    expect(await numbersIn(funnelInsta, '[data-table="funnel"] tbody td[data-value]')).toEqual(insta.stages.map((s) => s.visitors));
  });

  it('fits a phone: no horizontal overflow, charts scale, axe clean at 390 px', async () => {
    const page = await signedInPage(PHONE);
    await page.goto(b.url('/app/dashboard'));
    await dashboardReady(page);
    expect(await b.overflow(page)).toBe(0);
    const widest = await page.locator('svg.chart').evaluateAll((svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${b.artifacts}/dashboard-390.png`, fullPage: true });
    await b.expectAccessible(page, page.url());
    await tableOf(page, 'funnel');
    await tableOf(page, 'handoff');
    expect(await b.overflow(page)).toBe(0);
    await b.expectAccessible(page, page.url());
  });
});
