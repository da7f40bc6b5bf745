/**
 * The settings area in real Chromium over real HTTP, on the demo workspace: an owner invites by
 * link (the invitee joins in a second browser context), changes a role and is refused demoting the
 * last owner; creates an API key that is shown once and revokes it; adds a webhook with chosen
 * events, sends a test to a real receiver on loopback, rotates the secret with overlap and
 * redelivers; edits the funnel's scoring and dry-runs its rule; allows an origin and honours
 * privacy signals. A viewer sees every page with its controls off. axe at 1280 and 390 px, and a
 * screenshot of each page in test-artifacts/.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO, DEMO_RULE } from '../../db/seed';
import { fetchWebhookNetwork } from '../../workers/cloudflare/webhooks';
import { verifyWebhookSignature } from '../../workers/domain/webhook-signature';
import type { WebhookNetwork } from '../../workers/services/ports';
import { PHONE, useBrowserApp } from '../support/app-browser';
import { chromiumAvailable } from '../support/browser';
import { waitFor } from '../support/wait';

const DESKTOP = { width: 1280, height: 900 };
const HOOK_HOST = 'hooks.example.com';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe.skipIf(!chromiumAvailable)('settings in Chromium', { timeout: 180_000 }, () => {
  let receiver: Server;
  let receiverPort = 0;
  const received: Received[] = [];

  // The target policy refuses loopback, so the test gives the app the one seam it has for this: a
  // resolver that answers a public address for the hook's name, and a transport that sends what
  // would go to https://hooks.example.com/… to the receiver below over plain http.
  const network: WebhookNetwork = {
    resolve: async (hostname) => {
      if (hostname !== HOOK_HOST) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return ['93.184.216.34'];
    },
    send: fetchWebhookNetwork((url, init) => {
      const target = new URL(url);
      return fetch(`http://127.0.0.1:${receiverPort}${target.pathname}${target.search}`, init);
    }).send,
  };

  // The refusals these tests provoke on purpose: validation (400) and the last owner (400).
  const b = useBrowserApp({ demo: { leads: true }, app: { webhookNetwork: network }, expectedStatuses: [400] });
  const { url, signIn, viewReady, open } = b;
  const newPage = (viewport = DESKTOP) => b.newPage({ viewport });

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverPort = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function confirmDialog(page: Page, button: string) {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  const toast = (page: Page, text: string | RegExp) => page.locator('.toast').filter({ hasText: text }).first().waitFor();

  async function workspaceSettings() {
    const res = await b.owner.rpc.api.workspace.$get();
    return (await res.json()).settings;
  }

  async function invite(role: 'editor' | 'viewer', email: string) {
    const inv = await (await b.owner.rpc.api.workspace.invitations.$post({ json: { role } })).json();
    const client = b.t.client();
    await client.signup(email, 'correct horse battery', role === 'viewer' ? 'Vera Viewer' : 'Eddie Editor', { inviteToken: inv.token });
    return client;
  }

  it('invites by link: the invitee joins in another browser, the owner changes the role and cannot demote the last owner', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/app/settings', 'Settings');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(url('/app/settings/members'));
    await viewReady(page, 'Members');

    await page.getByLabel('Their email (optional)').fill('sam@example.com');
    await page.getByLabel('Role', { exact: true }).selectOption('editor');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const reveal = page.getByRole('region', { name: 'Invitation link' });
    await reveal.waitFor();
    const link = await reveal.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    expect(link).toMatch(new RegExp(`^${url('')}/invite/[A-Za-z0-9_-]{20,}$`));
    await expect(reveal.getByText('the link is shown only once').isVisible()).resolves.toBe(true);
    const openRow = page.getByRole('row', { name: /sam@example.com/ });
    await openRow.waitFor();
    await page.screenshot({ path: `${b.artifacts}/settings-members-invite.png`, fullPage: true });

    // The invitee, in a browser of their own: open the link, create an account, land in the workspace.
    const guest = await newPage();
    await guest.goto(link);
    await guest.getByText(/invited to/).waitFor();
    await guest.getByRole('link', { name: 'Create an account' }).click();
    await guest.getByLabel('Your name').fill('Sam Seller');
    await guest.getByLabel('Email').fill('sam@example.com');
    await guest.getByLabel('Password (10+ characters)').fill('correct horse battery');
    await guest.getByRole('button', { name: 'Create account' }).click();
    await guest.waitForURL(/\/app\//);
    await expect(guest.locator('#workspace-switcher option', { hasText: '(editor)' }).count()).resolves.toBe(1);

    // Back with the owner: Sam is a member, the used invitation is gone; make Sam a viewer.
    await page.reload();
    await viewReady(page, 'Members');
    await page.getByRole('row', { name: /Sam Seller/ }).waitFor();
    expect(await page.getByLabel('Role of Sam Seller').inputValue()).toBe('editor');
    expect(await page.getByText('No open invitations').isVisible()).toBe(true);
    await page.getByLabel('Role of Sam Seller').selectOption('viewer');
    await toast(page, 'Sam Seller is now a viewer');
    const members = (await (await b.owner.rpc.api.workspace.members.$get()).json()).members;
    expect(members.find((m) => m.email === 'sam@example.com')?.role).toBe('viewer');

    // The only owner demoting themself: asked first, then the server's refusal beside the row.
    const me = members.find((m) => m.email === DEMO.email)!;
    await page.getByLabel(`Role of ${me.name}`).selectOption('editor');
    await confirmDialog(page, 'Make me editor');
    const refusal = page.getByRole('row', { name: new RegExp(me.name) }).getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('A workspace needs at least one owner');
    expect(await page.getByLabel(`Role of ${me.name}`).inputValue()).toBe('owner');

    // An open invitation can be revoked.
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await reveal.waitFor();
    await page.getByRole('button', { name: 'Revoke the invitation for anyone with the link' }).click();
    await confirmDialog(page, 'Revoke invitation');
    await toast(page, 'Invitation revoked');
    expect((await (await b.owner.rpc.api.workspace.invitations.$get()).json()).invitations).toEqual([]);
  });

  it('creates an API key shown once with a copy button, lists it by prefix, revokes it', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/app/settings/api-keys', 'API keys');
    // The API's own message next to the field.
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('#key-name-error').waitFor();
    expect(await page.locator('#key-name-error').textContent()).toContain('Name the key');

    await page.getByLabel('Name').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    const reveal = page.getByRole('region', { name: 'Your new API key' });
    await reveal.waitFor();
    const key = await reveal.getByRole('textbox', { name: 'New API key' }).inputValue();
    expect(key).toMatch(/^lf_key_/);
    expect(await reveal.getByText('you will not see it again').isVisible()).toBe(true);
    await reveal.getByRole('button', { name: 'Copy key' }).waitFor();
    const row = page.getByRole('row', { name: /Zapier/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${key.slice(0, 13)}…`);
    expect(await row.textContent()).toContain('Never');
    await page.screenshot({ path: `${b.artifacts}/settings-api-keys.png`, fullPage: true });

    // The key works for /api/v1 until it is revoked; after a reload it is nowhere on the page.
    await page.reload();
    await viewReady(page, 'API keys');
    expect(await page.content()).not.toContain(key);
    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    await confirmDialog(page, 'Revoke key');
    await toast(page, 'Key “Zapier” revoked');
    await row.getByText(/Revoked/).waitFor();
    const keys = (await (await b.owner.rpc.api.workspace['api-keys'].$get()).json()).apiKeys;
    expect(keys.find((k) => k.name === 'Zapier')?.revokedAt).toEqual(expect.any(Number));
  });

  it('adds a webhook with chosen events, sends a test to a real receiver, rotates the secret with overlap, redelivers', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/app/settings/webhooks', 'Webhooks');
    const form = page.getByRole('region', { name: 'Add an endpoint' });
    // The API refuses plain http, next to the field.
    await form.getByLabel('URL').fill('http://hooks.example.com/leadflare');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#webhook-url-error').waitFor();
    expect(await page.locator('#webhook-url-error').textContent()).toContain('https://');

    await form.getByLabel('URL').fill(`https://${HOOK_HOST}/leadflare`);
    await form.getByLabel('Description (optional)').fill('CRM sync');
    await form.getByRole('checkbox', { name: /deal\.won/ }).check();
    await form.getByRole('checkbox', { name: /lead\.created/ }).uncheck();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForURL(/\/app\/settings\/webhooks\/[^/]+$/);
    await viewReady(page, `https://${HOOK_HOST}/leadflare`);
    const endpointId = page.url().split('/').at(-1)!;
    const first = page.getByRole('region', { name: 'New signing secret' });
    await first.waitFor();
    const secret = await first.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    const stored = await (await b.owner.rpc.api.webhooks[':id'].$get({ param: { id: endpointId } })).json();
    expect(stored.events).toEqual(['deal.created', 'deal.won']);
    await first.getByRole('button', { name: 'I have copied it' }).click();
    await first.waitFor({ state: 'detached' });

    // A test: the receiver gets a ping signed with the secret; the page says what it answered.
    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.getByText('Delivered: your endpoint answered 200').waitFor();
    const ping = await waitFor(
      () => received.find((r) => r.body.includes('"ping"')),
      (r): r is Received => r !== undefined,
    );
    expect(await verifyWebhookSignature(secret, String(ping.headers['leadflare-signature']), ping.body, Date.now())).toBe(true);
    const log = page.getByRole('region', { name: 'Delivery log' });
    await log.getByRole('row', { name: /ping/ }).first().waitFor();

    // Rotate with the default overlap: the new secret once, and until when the old one still signs.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await confirmDialog(page, 'Rotate secret');
    const rotated = page.getByRole('region', { name: 'New signing secret' });
    await rotated.waitFor();
    const newSecret = await rotated.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(newSecret).not.toBe(secret);
    expect(await rotated.textContent()).toMatch(/Until .* every delivery is signed with the old secret as well/);
    await page.screenshot({ path: `${b.artifacts}/settings-webhook.png`, fullPage: true });

    // Redeliver the ping: a new log entry, signed with both secrets during the overlap.
    const before = received.length;
    await log
      .getByRole('button', { name: /^Redeliver ping/ })
      .first()
      .click();
    await toast(page, /Redelivered ping: answered 200/);
    const again = await waitFor(
      () => received[before],
      (r): r is Received => r !== undefined,
    );
    const header = String(again.headers['leadflare-signature']);
    expect(await verifyWebhookSignature(newSecret, header, again.body, Date.now())).toBe(true);
    expect(await verifyWebhookSignature(secret, header, again.body, Date.now())).toBe(true);
    await waitFor(async () => (await log.getByRole('row', { name: /ping/ }).count()) === 2);
    // The log was read again in place: the button just used still has the keyboard focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Redeliver ping/);
    const delivered = (await (await b.owner.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: endpointId }, query: {} })).json())
      .deliveries;
    expect(delivered.map((d) => [d.eventType, d.status, d.lastStatusCode])).toEqual([
      ['ping', 'succeeded', 200],
      ['ping', 'succeeded', 200],
    ]);
  });

  it('edits the funnel’s scoring (API messages beside the points) and dry-runs its rule', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/app/settings/scoring', 'Scoring & rules');
    // The bare URL shows the first funnel, by its own address.
    await page.waitForURL(/\/app\/settings\/scoring\/[^/]+$/);
    await viewReady(page, 'Scoring & rules');
    const funnelId = page.url().split('/').at(-1)!;

    await page.getByLabel('Finished the quiz').fill('2000');
    await page.getByRole('button', { name: 'Save scoring' }).click();
    await page.locator('#points-quiz_complete-error').waitFor();
    await page.getByLabel('Finished the quiz').fill('25');
    await page.getByRole('button', { name: 'Save scoring' }).click();
    await toast(page, /Scoring saved; .* rescored/);
    const scoring = await (await b.owner.rpc.api.funnels[':id'].scoring.$get({ param: { id: funnelId } })).json();
    expect(scoring.isDefault).toBe(false);
    expect(scoring.scoring.events.quiz_complete).toBe(25);

    const rule = page.getByRole('article', { name: DEMO_RULE.name });
    await rule.getByRole('button', { name: 'Dry run' }).click();
    const result = rule.getByRole('region', { name: 'Dry run result' });
    await result.waitFor();
    expect(await result.textContent()).toMatch(/\d+ of the \d+ most recent leads/);
    if ((await result.getByRole('row').count()) > 1) {
      expect(await result.getByRole('row').nth(1).textContent()).toContain(`score is at least ${DEMO_RULE.minScore}`);
    }
    await page.screenshot({ path: `${b.artifacts}/settings-scoring.png`, fullPage: true });

    // A new rule: the API's message for a missing name shows beside the field; then it is added.
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Name', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.locator('#rule-new-name-error').waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Big spenders');
    await form.getByLabel('Score', { exact: true }).fill('60');
    await form.getByLabel('Amount', { exact: true }).fill('250');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await toast(page, 'Rule added');
    await page.getByRole('article', { name: 'Big spenders' }).waitFor();
    const { rules } = await (await b.owner.rpc.api.funnels[':id'].rules.$get({ param: { id: funnelId } })).json();
    expect(rules.find((r) => r.name === 'Big spenders')).toMatchObject({
      conditions: [{ kind: 'score_at_least', score: 60 }],
      action: { value: { kind: 'fixed', amountMinor: 25_000 }, currency: 'USD' },
    });

    // Back to the default points.
    await page.getByRole('button', { name: 'Reset to default' }).click();
    await confirmDialog(page, 'Reset to default');
    await toast(page, 'Scoring reset to the default');
    expect((await (await b.owner.rpc.api.funnels[':id'].scoring.$get({ param: { id: funnelId } })).json()).isDefault).toBe(true);
  });

  it('allows an embedding origin (the API’s message beside the field) and honours privacy signals', async () => {
    const page = await newPage();
    await signIn(page);
    await open(page, '/app/settings/embedding', 'Embedded forms');
    await page.getByLabel('Add a site').fill('shop.example.com');
    await page.getByRole('button', { name: 'Allow site' }).click();
    await page.locator('#origin-error').waitFor();
    expect(await page.locator('#origin-error').textContent()).toContain('https origin');
    // A pasted page address is cut to its origin.
    await page.getByLabel('Add a site').fill('https://shop.example.com/products/set');
    await page.getByRole('button', { name: 'Allow site' }).click();
    await toast(page, 'https://shop.example.com may now embed your forms');
    await page.getByRole('list', { name: 'Allowed origins' }).getByText('https://shop.example.com').waitFor();
    expect((await workspaceSettings()).allowedOrigins).toEqual(['https://shop.example.com']);
    await page.screenshot({ path: `${b.artifacts}/settings-embedding.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Privacy' }).click();
    await viewReady(page, 'Privacy');
    const gpc = page.getByRole('switch', { name: 'Honour privacy signals (GPC and Do Not Track)' });
    expect(await gpc.isChecked()).toBe(false);
    await gpc.check();
    await toast(page, 'Privacy signals are honoured');
    expect((await workspaceSettings()).honorPrivacySignals).toBe(true);
    await page.reload();
    await viewReady(page, 'Privacy');
    expect(await page.getByRole('switch', { name: /Honour privacy signals/ }).isChecked()).toBe(true);
    await page.screenshot({ path: `${b.artifacts}/settings-privacy.png`, fullPage: true });
  });

  it('shows a viewer every settings page read-only, with the reason', async () => {
    const viewerClient = await invite('viewer', 'vera@example.com');
    expect(viewerClient).toBeTruthy();
    const page = await newPage();
    await signIn(page, 'vera@example.com', 'correct horse battery');
    const demoWs = (await (await b.owner.rpc.api.workspace.$get()).json()).id;
    await page.locator('#workspace-switcher').selectOption(demoWs);

    await open(page, '/app/settings/members', 'Members');
    await page.getByText('Owners only.').waitFor();
    expect(await page.getByRole('button', { name: 'Create invitation link' }).isDisabled()).toBe(true);
    expect(
      await page
        .getByLabel(/^Role of /)
        .first()
        .isDisabled(),
    ).toBe(true);

    await open(page, '/app/settings/api-keys', 'API keys');
    expect(await page.getByRole('button', { name: 'Create key' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Create key' }).getAttribute('aria-describedby')).toBe('owner-only-note');

    await open(page, '/app/settings/webhooks', 'Webhooks');
    await page.getByRole('link', { name: `https://${HOOK_HOST}/leadflare` }).click();
    await viewReady(page, `https://${HOOK_HOST}/leadflare`);
    expect(await page.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Rotate secret' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Delete endpoint' }).isDisabled()).toBe(true);
    expect(
      await page
        .getByRole('button', { name: /^Redeliver/ })
        .first()
        .isDisabled(),
    ).toBe(true);

    await open(page, '/app/settings/scoring', 'Scoring & rules');
    await page.waitForURL(/\/app\/settings\/scoring\/[^/]+$/);
    await viewReady(page, 'Scoring & rules');
    expect(await page.getByRole('button', { name: 'Save scoring' }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Finished the quiz').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: `Delete ${DEMO_RULE.name}` }).isDisabled()).toBe(true);
    // The dry run writes nothing, but it is a POST, which the API refuses viewers: off too.
    expect(await page.getByRole('button', { name: 'Dry run' }).first().isDisabled()).toBe(true);

    await open(page, '/app/settings/embedding', 'Embedded forms');
    expect(await page.getByLabel('Add a site').isDisabled()).toBe(true);
    await open(page, '/app/settings/privacy', 'Privacy');
    expect(await page.getByRole('switch', { name: 'Cookieless mode' }).isDisabled()).toBe(true);
    await page.getByText('View only.').waitFor();
    await page.screenshot({ path: `${b.artifacts}/settings-viewer-privacy.png`, fullPage: true });
  });

  it('has no serious axe violations and no sideways scrolling on any settings page at 1280 and 390 px', async () => {
    const endpoint = (await (await b.owner.rpc.api.webhooks.$get()).json()).webhooks[0]!;
    const pages: Array<[string, string]> = [
      ['/app/settings', 'Settings'],
      ['/app/settings/members', 'Members'],
      ['/app/settings/api-keys', 'API keys'],
      ['/app/settings/webhooks', 'Webhooks'],
      [`/app/settings/webhooks/${endpoint.id}`, endpoint.url],
      ['/app/settings/scoring', 'Scoring & rules'],
      ['/app/settings/embedding', 'Embedded forms'],
      ['/app/settings/privacy', 'Privacy'],
    ];
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await newPage(viewport);
      await signIn(page);
      for (const [path, heading] of pages) {
        await open(page, path, heading);
        if (path === '/app/settings/scoring') {
          await page.waitForURL(/\/app\/settings\/scoring\/[^/]+$/);
          await viewReady(page, heading);
        }
        await b.expectAccessible(page, `${path} at ${viewport.width} px`);
        expect(await b.overflow(page), `${path} at ${viewport.width} px scrolls sideways`).toBeLessThanOrEqual(0);
        const name = path.replace('/app/', '').replace(/\//g, '-').replace(endpoint.id, 'endpoint');
        await page.screenshot({ path: `${b.artifacts}/${name}-${viewport.width}.png`, fullPage: true });
      }
    }
  });
});
