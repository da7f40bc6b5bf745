/**
 * Outbound webhooks through the real app: endpoints API, the target policy on save and on send,
 * signed deliveries to a real HTTP receiver on loopback, retries against the test clock, the
 * delivery log, roles and tenancy.
 *
 * Loopback is refused by the target policy, so the test injects the one seam production code never
 * gets from env or config: `webhookNetwork`. Its resolver answers for a few made-up public names
 * (and for "rebound" ones pointing at internal addresses); its transport sends what the app would
 * send to https://<name>/<path> to the receiver on 127.0.0.1 over plain http instead, through the
 * same fetch-based sender Workers use (redirect: 'manual', 10 s timeout, body snippet).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { pipelineStages, pipelines, WEBHOOK_EVENTS, webhookDeliveries } from '../../db/schema';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { verifyWebhookSignature } from '../../workers/domain/webhook-signature';
import { nodeWebhookNetwork } from '../../workers/node/webhook-dispatcher';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { fetchWebhookNetwork } from '../../workers/cloudflare/webhooks';
import type { WebhookNetwork } from '../../workers/services/ports';
import { deliverDelivery, deliverDue, MAX_ATTEMPTS } from '../../workers/services/webhook-delivery';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';

interface Received {
  method: string;
  path: string;
  host: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// ── A real receiver on loopback ──────────────────────────────────────────────

let server: Server;
let port = 0;
const received: Received[] = [];
/** Responses the receiver gives, in order; 200 "ok" when empty. */
const script: Array<{ status: number; body?: string; headers?: Record<string, string> }> = [];

// The made-up DNS: public-looking answers for the names the tests use.
const dns: Record<string, string[]> = {};
/** Names whose DNS server never answers (the lookup stays pending). */
const silent = new Set<string>();
const sentTo: string[] = [];
const network: WebhookNetwork = {
  resolve: async (hostname) => {
    if (silent.has(hostname)) return new Promise<never>(() => {});
    const addresses = dns[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  },
  send: fetchWebhookNetwork((url, init) => {
    const target = new URL(url);
    sentTo.push(target.host);
    const headers = new Headers(init.headers);
    headers.set('x-original-host', target.host);
    return fetch(`http://127.0.0.1:${port}${target.pathname}${target.search}`, { ...init, headers });
  }).send,
};

let t: TestApp;
const background: Promise<unknown>[] = [];
let owner: TestClient;
let ws: string;
let pipelineId: string;

async function settle() {
  while (background.length) await Promise.allSettled(background.splice(0));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        path: req.url!,
        host: String(req.headers['x-original-host']),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = script.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  t = await createTestApp({ webhookNetwork: network, waitUntil: (work) => void background.push(work) });
  owner = t.client();
  const signup = await owner.signup('owner@hooks.test');
  ws = signup.workspaceId;
  const { pipeline, stages } = pipelineFromTemplate(
    { db: t.database.db, clock: t.clock.now, newId: t.deps.newId },
    ws,
    PIPELINE_TEMPLATES.b2c,
    'Demo B2C e-commerce pipeline - 1',
  );
  await t.database.db.batch([t.database.db.insert(pipelines).values(pipeline), t.database.db.insert(pipelineStages).values(stages)]);
  pipelineId = pipeline.id;
});

afterAll(async () => {
  t?.deps.webhooks.stop?.();
  await settle();
  t?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(async () => {
  await settle();
  received.length = 0;
  sentTo.length = 0;
  script.length = 0;
  for (const key of Object.keys(dns)) delete dns[key];
  dns['hooks.example.com'] = ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'];
  // Earlier tests' endpoints must not receive this test's events.
  await t.database.db.run(sql`delete from webhook_endpoints where workspace_id = ${ws}`);
});

type Webhooks = TestClient['rpc']['api']['webhooks'];
type NewEndpoint = InferRequestType<Webhooks['$post']>['json'];
type DeliveryQuery = InferRequestType<Webhooks[':id']['deliveries']['$get']>['query'];
/** What a rotation answers; the tests that rotate without any body (the defaults) read it off the untyped client. */
type Rotated = InferResponseType<Webhooks[':id']['rotate-secret']['$post'], 200>;

async function createEndpoint(body: Partial<NewEndpoint> = {}, client = owner) {
  const res = await client.rpc.api.webhooks.$post({
    json: { url: 'https://hooks.example.com/leadflare', events: ['deal.created'], ...body },
  });
  expect(res.status).toBe(201);
  return await res.json();
}

let dealCounter = 0;
/** A deal through POST /api/deals; its deliveries go out after the response, which `settle` waits for. */
async function newDeal(name = `Cosmetics set - Ava Smith ${++dealCounter}`) {
  const res = await owner.rpc.api.deals.$post({ json: { pipelineId, name, valueMinor: 25_000, currency: 'USD' } });
  expect(res.status).toBe(201);
  await settle();
  return await res.json();
}

async function deliveries(endpointId: string, query: DeliveryQuery = {}) {
  const res = await owner.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: endpointId }, query });
  expect(res.status).toBe(200);
  return (await res.json()).deliveries;
}

/** Moves the test clock to the delivery's next attempt and runs the sweep the scheduler runs. */
async function runRetry(endpointId: string) {
  const [pending] = await deliveries(endpointId, { status: 'pending' });
  t.clock.set(pending!.nextAttemptAt!);
  return deliverDue(t.deps);
}

describe('endpoints API', () => {
  it('creates an endpoint and shows its whsec_ secret once; lists and reads never include it', async () => {
    const created = await createEndpoint({ description: 'HubSpot via Zapier', events: ['deal.created', 'deal.won', 'deal.created'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      url: 'https://hooks.example.com/leadflare',
      description: 'HubSpot via Zapier',
      events: ['deal.created', 'deal.won'],
      enabled: true,
    });
    expect(created.secretHint).toBe(`whsec_…${created.secret.slice(-4)}`);

    const list = await (await owner.rpc.api.webhooks.$get()).json();
    expect(list.webhooks).toHaveLength(1);
    expect(list.webhooks[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const one = await owner.rpc.api.webhooks[':id'].$get({ param: { id: created.id } });
    expect(await one.json()).toMatchObject({ id: created.id, secretHint: created.secretHint });
  });

  it('updates url, events, description and enabled; rotates the secret (shown once again)', async () => {
    const ep = await createEndpoint();
    dns['crm.example.org'] = ['198.41.0.4'];
    const patched = await owner.rpc.api.webhooks[':id'].$patch({
      param: { id: ep.id },
      json: { url: 'https://crm.example.org/in', events: ['lead.created', 'deal.lost'], description: 'CRM', enabled: false },
    });
    expect(patched.status).toBe(200);
    const updated = await patched.json();
    expect(updated).toMatchObject({
      url: 'https://crm.example.org/in',
      events: ['lead.created', 'deal.lost'],
      description: 'CRM',
      enabled: false,
    });
    expect(updated).not.toHaveProperty('secret');

    const { secret } = await json<Rotated>(await owner.post(`/api/webhooks/${ep.id}/rotate-secret`), 200);
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(ep.secret);

    const empty = await owner.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: {} });
    expect(empty.status).toBe(400);
  });

  it('deletes an endpoint with its delivery log', async () => {
    const ep = await createEndpoint();
    await newDeal();
    expect(await deliveries(ep.id)).toHaveLength(1);
    expect((await owner.rpc.api.webhooks[':id'].$delete({ param: { id: ep.id } })).status).toBe(204);
    expect((await owner.rpc.api.webhooks[':id'].$get({ param: { id: ep.id } })).status).toBe(404);
    expect((await owner.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: ep.id }, query: {} })).status).toBe(404);
    const left = await t.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, ep.id));
    expect(left).toEqual([]);
    expect((await owner.rpc.api.webhooks[':id'].$delete({ param: { id: ep.id } })).status).toBe(404);
  });

  it('allows at most 20 endpoints per workspace', async () => {
    for (let i = 0; i < 20; i++) await createEndpoint({ url: `https://hooks.example.com/${i}` });
    const res = await owner.rpc.api.webhooks.$post({ json: { url: 'https://hooks.example.com/21', events: ['deal.created'] } });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('too_many_endpoints');
  });

  it('validates events: at least one, only subscribable types (ping is not one)', async () => {
    for (const events of [[], ['ping'], ['deal.updated'], 'deal.created']) {
      const res = await owner.post('/api/webhooks', { url: 'https://hooks.example.com/x', events });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields?.[0]?.path).toMatch(/^events/);
    }
    const noJson = await owner.request('/api/webhooks', {
      method: 'POST',
      body: 'url=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noJson.status).toBe(400);
  });
});

describe('target policy on save: 400 with field url', () => {
  it.each([
    ['http://hooks.example.com/x', 'https'],
    ['https://user:secret@hooks.example.com/x', 'user name and password'],
    ['https://localhost/x', 'internal'],
    ['https://app.localhost/x', 'internal'],
    ['https://127.0.0.1/x', 'loopback'],
    ['https://0x7f000001/x', 'loopback'],
    ['https://2130706433/x', 'loopback'],
    ['https://[::1]/x', 'loopback'],
    ['https://[::ffff:127.0.0.1]/x', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'internal'],
    ['https://10.1.2.3/x', 'private'],
    ['https://192.168.0.10/x', 'private'],
    ['https://100.64.0.1/x', 'carrier-grade NAT'],
    ['not a url', 'https'],
  ])('%s (%s)', async (url, why) => {
    const res = await owner.rpc.api.webhooks.$post({ json: { url, events: ['deal.created'] } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.fields?.[0]?.path).toBe('url');
    expect(error.fields?.[0]?.message).toContain(why);
  });

  it('refuses names that resolve to an internal address, even one among public ones, and names that do not resolve', async () => {
    dns['rebind.example.com'] = ['10.0.0.1'];
    dns['mixed.example.com'] = ['93.184.216.34', '127.0.0.1'];
    dns['meta.example.com'] = ['::ffff:169.254.169.254'];
    for (const [host, why] of <Array<[string, string]>>[
      ['rebind.example.com', '10.0.0.1'],
      ['mixed.example.com', '127.0.0.1'],
      ['meta.example.com', 'metadata'],
      ['nowhere.example.com', 'could not be resolved'],
    ]) {
      const res = await owner.rpc.api.webhooks.$post({ json: { url: `https://${host}/hook`, events: ['deal.created'] } });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.fields).toEqual([{ path: 'url', message: expect.stringContaining(why) }]);
    }
  });

  it('answers within 2 seconds with a message at `url` when DNS does not answer, and stores nothing', async () => {
    silent.add('hooks.silent.example');
    const count = async () => (await t.database.db.all<{ n: number }>(sql`select count(*) as n from webhook_endpoints`))[0]!.n;
    const before = await count();
    const started = performance.now();
    const res = await owner.rpc.api.webhooks.$post({ json: { url: 'https://hooks.silent.example/hook', events: ['deal.created'] } });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    expect(error.fields).toEqual([
      { path: 'url', message: expect.stringMatching(/^hooks\.silent\.example could not be resolved within 2 seconds/) },
    ]);
    expect(elapsed).toBeLessThan(2500);
    expect(await count()).toBe(before);

    const ep = await createEndpoint();
    const patchStarted = performance.now();
    const patch = await owner.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: { url: 'https://hooks.silent.example/hook' } });
    expect(performance.now() - patchStarted).toBeLessThan(2500);
    expect(patch.status).toBe(400);
    expect((await errorOf(patch)).fields?.[0]).toMatchObject({ path: 'url', message: expect.stringContaining('within 2 seconds') });
    expect(await (await owner.rpc.api.webhooks[':id'].$get({ param: { id: ep.id } })).json()).toMatchObject({ url: ep.url });
  });

  it('checks a changed URL on PATCH too', async () => {
    const ep = await createEndpoint();
    const res = await owner.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: { url: 'https://169.254.169.254/' } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields?.[0]?.path).toBe('url');
    expect(await (await owner.rpc.api.webhooks[':id'].$get({ param: { id: ep.id } })).json()).toMatchObject({
      url: 'https://hooks.example.com/leadflare',
    });
  });
});

describe('signed deliveries to a receiver on loopback', () => {
  it('delivers deal.created with a signature the receiver verifies, and the documented headers', async () => {
    const ep = await createEndpoint({ events: ['deal.created'] });
    const deal = await newDeal('Cosmetics set - Ava Smith');
    expect(received).toHaveLength(1);
    const hit = received[0]!;
    expect(hit).toMatchObject({ method: 'POST', path: '/leadflare', host: 'hooks.example.com' });
    expect(await verifyWebhookSignature(ep.secret, String(hit.headers['leadflare-signature']), hit.body, t.clock.now())).toBe(true);
    expect(await verifyWebhookSignature('whsec_wrong', String(hit.headers['leadflare-signature']), hit.body, t.clock.now())).toBe(false);
    expect(String(hit.headers['leadflare-signature'])).toMatch(new RegExp(`^t=${Math.floor(t.clock.now() / 1000)},v1=[0-9a-f]{64}$`));

    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({
      type: 'deal.created',
      workspaceId: ws,
      createdAt: new Date(t.clock.now()).toISOString(),
      data: { deal: { id: deal.id, name: 'Cosmetics set - Ava Smith', valueMinor: 25_000, currency: 'USD' } },
    });
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['user-agent']).toBe('Leadflare-Webhooks/1');
    expect(hit.headers['leadflare-event']).toBe('deal.created');
    expect(hit.headers['leadflare-event-id']).toBe(body.id);

    const [logged] = await deliveries(ep.id);
    expect(hit.headers['leadflare-delivery']).toBe(logged!.id);
    expect(logged).toMatchObject({
      eventId: body.id,
      eventType: 'deal.created',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: t.clock.now(),
    });
  });

  it('sends only subscribed events', async () => {
    const ep = await createEndpoint({ events: ['deal.won'] });
    await newDeal();
    expect(received).toHaveLength(0);
    expect(await deliveries(ep.id)).toHaveLength(0);
  });

  it('retries a 500 after the backoff: attempt 2 succeeds, both signed, log shows the history', async () => {
    const ep = await createEndpoint();
    script.push({ status: 500, body: 'Internal error: database is down\n' });
    const start = t.clock.now();
    await newDeal();
    expect(received).toHaveLength(1);
    let [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, deliveredAt: null });
    expect(row!.lastError).toBe('HTTP 500: Internal error: database is down');
    expect(row!.nextAttemptAt! - start).toBeGreaterThanOrEqual(24_000); // 30 s ± 20 %
    expect(row!.nextAttemptAt! - start).toBeLessThanOrEqual(36_000);

    expect(await deliverDue(t.deps)).toBe(0); // not due yet: nothing is sent early
    expect(received).toHaveLength(1);

    expect(await runRetry(ep.id)).toBe(1);
    expect(received).toHaveLength(2);
    [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, lastStatusCode: 200, lastError: null, deliveredAt: t.clock.now() });
    // Same event and delivery id, a fresh signature for the new time.
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(received[1]!.headers['leadflare-delivery']).toBe(received[0]!.headers['leadflare-delivery']);
    expect(received[1]!.headers['leadflare-signature']).not.toBe(received[0]!.headers['leadflare-signature']);
    expect(
      await verifyWebhookSignature(ep.secret, String(received[1]!.headers['leadflare-signature']), received[1]!.body, t.clock.now()),
    ).toBe(true);
    expect(await deliverDue(t.deps)).toBe(0);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts with growing delays`, async () => {
    const ep = await createEndpoint();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) script.push({ status: 503 });
    await newDeal();
    const gaps: number[] = [];
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = t.clock.now();
      expect(await runRetry(ep.id)).toBe(1);
      gaps.push(t.clock.now() - before);
    }
    expect(received).toHaveLength(MAX_ATTEMPTS);
    const [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatusCode: 503, nextAttemptAt: null });
    // 30 s · 4^(n−1), capped at 6 h, ±20 % jitter: 30 s, 2 min, 8 min, 32 min, ~2 h, 6 h, 6 h.
    gaps.forEach((gap, i) => {
      const base = Math.min(30_000 * 4 ** i, 6 * 3600_000);
      expect(gap).toBeGreaterThanOrEqual(base * 0.8);
      expect(gap).toBeLessThanOrEqual(base * 1.2);
    });
    t.clock.advance(24 * 3600_000);
    expect(await deliverDue(t.deps)).toBe(0);
    expect(received).toHaveLength(MAX_ATTEMPTS);
  });

  it('does not follow redirects: a 302 is a failed attempt, the Location is never requested', async () => {
    const ep = await createEndpoint();
    script.push({ status: 302, headers: { location: `http://127.0.0.1:${port}/elsewhere` } });
    // newDeal waits for the attempt, and a followed redirect would be requested within it: the
    // receiver records each request before it answers.
    await newDeal();
    expect(received.map((r) => r.path)).toEqual(['/leadflare']);
    const [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 302 });
    expect(row!.lastError).toContain('not followed');
  });

  it('checks the target again before sending: a name now resolving to 10.0.0.1 fails the delivery unsent', async () => {
    dns['flip.example.com'] = ['93.184.216.34'];
    const ep = await createEndpoint({ url: 'https://flip.example.com/hook' });
    dns['flip.example.com'] = ['10.0.0.1']; // DNS rebinding after the save
    await newDeal();
    expect(sentTo).toEqual([]);
    expect(received).toEqual([]);
    const [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null, nextAttemptAt: null });
    expect(row!.lastError).toContain('10.0.0.1');
    t.clock.advance(3600_000);
    expect(await deliverDue(t.deps)).toBe(0);
  });

  it('retries a name that does not resolve right now (DNS trouble is not a policy refusal)', async () => {
    dns['flaky.example.com'] = ['93.184.216.34'];
    const ep = await createEndpoint({ url: 'https://flaky.example.com/hook' });
    delete dns['flaky.example.com'];
    await newDeal();
    let [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(row!.lastError).toContain('could not be resolved');
    dns['flaky.example.com'] = ['93.184.216.34'];
    await runRetry(ep.id);
    [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('records a connection failure and retries it', async () => {
    dns['down.example.com'] = ['93.184.216.34'];
    const down: WebhookNetwork = { resolve: network.resolve, send: fetchWebhookNetwork(() => fetch('http://127.0.0.1:1/')).send };
    const ep = await createEndpoint({ url: 'https://down.example.com/hook' });
    const [row] = await t.database.db
      .insert(webhookDeliveries)
      .values({
        id: t.deps.newId(),
        workspaceId: ws,
        endpointId: ep.id,
        eventId: 'evt_down',
        eventType: 'deal.created',
        payload: '{}',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: t.clock.now(),
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .returning();
    const outcome = await deliverDelivery({ database: t.database, clock: t.clock.now, webhookNetwork: down }, row!.id);
    expect(outcome).toMatchObject({ kind: 'retry', attempts: 1, statusCode: null, error: expect.stringContaining('Could not connect') });
  });

  it('claims a delivery: two deliverers at once send it once', async () => {
    const ep = await createEndpoint();
    const now = t.clock.now();
    const [row] = await t.database.db
      .insert(webhookDeliveries)
      .values({
        id: t.deps.newId(),
        workspaceId: ws,
        endpointId: ep.id,
        eventId: 'evt_claim',
        eventType: 'deal.created',
        payload: '{"id":"evt_claim"}',
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [first, second] = await Promise.all([deliverDelivery(t.deps, row!.id), deliverDelivery(t.deps, row!.id), deliverDue(t.deps)]);
    expect(received).toHaveLength(1);
    expect([first.kind, second.kind].sort()).toEqual(['not_due', 'succeeded']);
    expect(await deliverDelivery(t.deps, row!.id)).toEqual({ kind: 'done' });
    expect(received).toHaveLength(1);
  });

  it('does not send pending deliveries of an endpoint disabled since (fails them, visible in the log)', async () => {
    const ep = await createEndpoint();
    script.push({ status: 500 });
    await newDeal();
    await owner.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: { enabled: false } });
    await runRetry(ep.id);
    expect(received).toHaveLength(1);
    const [row] = await deliveries(ep.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row!.lastError).toContain('disabled');
    await newDeal(); // a disabled endpoint gets no new deliveries at all
    expect(await deliveries(ep.id)).toHaveLength(1);
  });

  const verifies = async (secret: string, hit: (typeof received)[number]) =>
    verifyWebhookSignature(secret, String(hit.headers['leadflare-signature']), hit.body, t.clock.now());

  it('after a rotation signs with both secrets for the overlap (24 h by default), then with the new one only', async () => {
    const ep = await createEndpoint();
    const rotated = await json<Rotated>(await owner.post(`/api/webhooks/${ep.id}/rotate-secret`), 200);
    expect(rotated.previousSecretExpiresAt).toBe(t.clock.now() + 24 * 60 * 60 * 1000);
    await newDeal();
    expect(await verifies(rotated.secret, received[0]!)).toBe(true);
    expect(await verifies(ep.secret, received[0]!)).toBe(true); // a receiver not yet switched keeps working
    t.clock.advance(24 * 60 * 60 * 1000 + 1);
    await newDeal();
    expect(await verifies(rotated.secret, received[1]!)).toBe(true);
    expect(await verifies(ep.secret, received[1]!)).toBe(false);
  });

  it('drops the old secret at once with overlapHours 0 (a leaked secret), and refuses a bad overlap', async () => {
    const ep = await createEndpoint();
    for (const body of [{ overlapHours: -1 }, { overlapHours: 169 }, { overlapHours: 1.5 }, { overlap: 2 }]) {
      const res = await owner.post(`/api/webhooks/${ep.id}/rotate-secret`, body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('validation_failed');
    }
    const rotated = await (
      await owner.rpc.api.webhooks[':id']['rotate-secret'].$post({ param: { id: ep.id }, json: { overlapHours: 0 } })
    ).json();
    expect(rotated.previousSecretExpiresAt).toBeNull();
    await newDeal();
    expect(await verifies(rotated.secret, received[0]!)).toBe(true);
    expect(await verifies(ep.secret, received[0]!)).toBe(false);
  });
});

describe('test delivery and redelivery', () => {
  it('sends a signed ping now and returns the result; a failing ping is logged once, without retries', async () => {
    const ep = await createEndpoint();
    const res = await owner.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } });
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.result).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(result.delivery).toMatchObject({ eventType: 'ping', status: 'succeeded', attempts: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['leadflare-event']).toBe('ping');
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'ping', workspaceId: ws, data: { endpointId: ep.id } });
    expect(
      await verifyWebhookSignature(ep.secret, String(received[0]!.headers['leadflare-signature']), received[0]!.body, t.clock.now()),
    ).toBe(true);

    script.push({ status: 404, body: 'no such hook' });
    const failed = await (await owner.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } })).json();
    expect(failed.result).toMatchObject({ ok: false, statusCode: 404, error: 'HTTP 404: no such hook' });
    expect(failed.delivery).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    t.clock.advance(3600_000);
    expect(await deliverDue(t.deps)).toBe(0);
    expect(received).toHaveLength(2);
  });

  it('pings a disabled endpoint too (to try it before enabling), but never an internal target', async () => {
    const ep = await createEndpoint({ enabled: false });
    const res = await owner.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } });
    expect((await res.json()).result?.ok).toBe(true);
    dns['hooks.example.com'] = ['169.254.169.254'];
    const refused = await (await owner.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } })).json();
    expect(refused.result?.ok).toBe(false);
    expect(refused.result?.error).toContain('metadata');
    expect(refused.delivery.status).toBe('failed');
    expect(received).toHaveLength(1);
  });

  it('redelivers an earlier delivery as a new log entry with the same event id; the original stays as it was', async () => {
    const ep = await createEndpoint();
    await newDeal();
    const [original] = await deliveries(ep.id);
    const res = await owner.rpc.api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({
      param: { id: ep.id, deliveryId: original!.id },
    });
    expect(res.status).toBe(200);
    const again = await res.json();
    expect(again.result?.ok).toBe(true);
    expect(again.delivery).toMatchObject({ eventId: original!.eventId, eventType: 'deal.created', status: 'succeeded', attempts: 1 });
    expect(again.delivery.id).not.toBe(original!.id);
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(received[1]!.headers['leadflare-event-id']).toBe(received[0]!.headers['leadflare-event-id']);
    expect(received[1]!.headers['leadflare-delivery']).toBe(again.delivery.id);
    const log = await deliveries(ep.id);
    expect(log.map((d) => d.id).sort()).toEqual([original!.id, again.delivery.id].sort());
    expect(log.find((d) => d.id === original!.id)).toEqual(original);
    expect(
      (await owner.rpc.api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({ param: { id: ep.id, deliveryId: 'nope' } })).status,
    ).toBe(404);
  });
});

describe('the delivery log', () => {
  it('filters by status, pages with a cursor, and shows one delivery with its payload', async () => {
    const ep = await createEndpoint();
    script.push({ status: 500 });
    for (let i = 0; i < 3; i++) {
      await newDeal();
      t.clock.advance(1000);
    }
    const all = await deliveries(ep.id);
    expect(all).toHaveLength(3);
    expect(all.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'pending']); // newest first
    expect((await deliveries(ep.id, { status: 'pending' })).map((d) => d.id)).toEqual([all[2]!.id]);
    expect(await deliveries(ep.id, { status: 'failed' })).toEqual([]);

    const page1 = await (await owner.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: ep.id }, query: { limit: '2' } })).json();
    expect(page1.deliveries.map((d) => d.id)).toEqual([all[0]!.id, all[1]!.id]);
    const page2 = await (
      await owner.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: ep.id }, query: { limit: '2', cursor: page1.nextCursor! } })
    ).json();
    expect(page2).toEqual({ deliveries: [all[2]], nextCursor: null });

    const one = await owner.rpc.api.webhooks[':id'].deliveries[':deliveryId'].$get({ param: { id: ep.id, deliveryId: all[2]!.id } });
    const detail = await one.json();
    expect(detail).toMatchObject({ ...all[2], payload: { type: 'deal.created', data: { deal: { valueMinor: 25_000 } } } });

    for (const bad of ['?status=sent', '?limit=0', '?limit=1000'])
      expect((await owner.get(`/api/webhooks/${ep.id}/deliveries${bad}`)).status).toBe(400);
  });
});

describe('roles and tenancy', () => {
  let editor: TestClient;
  let viewer: TestClient;
  let stranger: TestClient;

  beforeAll(async () => {
    const join = async (role: 'editor' | 'viewer', email: string) => {
      const { token } = await (await owner.rpc.api.workspace.invitations.$post({ json: { role } })).json();
      const client = t.client();
      await client.signup(email, 'correct horse battery', role, { inviteToken: token });
      return client;
    };
    editor = await join('editor', 'editor@hooks.test');
    viewer = await join('viewer', 'viewer@hooks.test');
    stranger = t.client();
    await stranger.signup('stranger@other.test');
  });

  it('lets editors and viewers read endpoints (never the secret) and the log; only owners change endpoints', async () => {
    const ep = await createEndpoint();
    await newDeal();
    for (const member of [editor, viewer]) {
      const list = await (await member.rpc.api.webhooks.$get()).json();
      expect(list.webhooks.map((w) => w.id)).toEqual([ep.id]);
      expect(JSON.stringify(list)).not.toContain(ep.secret);
      expect((await member.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: ep.id }, query: {} })).status).toBe(200);
    }
    const editorAttempts = [
      editor.rpc.api.webhooks.$post({ json: { url: 'https://hooks.example.com/x', events: ['deal.created'] } }),
      editor.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: { enabled: false } }),
      editor.rpc.api.webhooks[':id'].$delete({ param: { id: ep.id } }),
      editor.post(`/api/webhooks/${ep.id}/rotate-secret`),
    ];
    for (const res of await Promise.all(editorAttempts)) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('insufficient_role');
    }
    // Editors may test and redeliver.
    expect((await editor.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } })).status).toBe(200);
    const [first] = await deliveries(ep.id, { limit: '200' });
    expect(
      (await editor.rpc.api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({ param: { id: ep.id, deliveryId: first!.id } }))
        .status,
    ).toBe(200);
  });

  it('lists the subscribable events, each with what it means, to every member (what the settings screen offers)', async () => {
    for (const member of [owner, editor, viewer]) {
      const res = await member.rpc.api.webhooks.events.$get();
      expect(res.status).toBe(200);
      const { events } = await res.json();
      expect(events.map((e) => e.type)).toEqual([...WEBHOOK_EVENTS]);
      for (const event of events) expect(event.description.length, event.type).toBeGreaterThan(event.type.length + 10);
    }
    // Every listed type is one an endpoint accepts.
    const ep = await createEndpoint({ events: [...WEBHOOK_EVENTS] });
    expect(ep.events).toEqual([...WEBHOOK_EVENTS]);
    expect((await t.client().get('/api/webhooks/events')).status).toBe(401);
  });

  it('gives viewers 403 on every change, test and redelivery included', async () => {
    const ep = await createEndpoint();
    await newDeal();
    const [row] = await deliveries(ep.id);
    for (const res of [
      await viewer.rpc.api.webhooks.$post({ json: { url: 'https://hooks.example.com/x', events: ['deal.created'] } }),
      await viewer.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } }),
      await viewer.rpc.api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({ param: { id: ep.id, deliveryId: row!.id } }),
      await viewer.rpc.api.webhooks[':id'].$delete({ param: { id: ep.id } }),
    ]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    expect(received).toHaveLength(1);
  });

  it('answers 404 with no data for another workspace’s endpoint and deliveries', async () => {
    const ep = await createEndpoint();
    await newDeal();
    const [row] = await deliveries(ep.id);
    const attempts = [
      stranger.rpc.api.webhooks[':id'].$get({ param: { id: ep.id } }),
      stranger.rpc.api.webhooks[':id'].deliveries.$get({ param: { id: ep.id }, query: {} }),
      stranger.rpc.api.webhooks[':id'].deliveries[':deliveryId'].$get({ param: { id: ep.id, deliveryId: row!.id } }),
      stranger.rpc.api.webhooks[':id'].$patch({ param: { id: ep.id }, json: { enabled: false } }),
      stranger.rpc.api.webhooks[':id'].$delete({ param: { id: ep.id } }),
      stranger.post(`/api/webhooks/${ep.id}/rotate-secret`),
      stranger.rpc.api.webhooks[':id'].test.$post({ param: { id: ep.id } }),
      stranger.rpc.api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({ param: { id: ep.id, deliveryId: row!.id } }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('hooks.example.com');
      expect(text).not.toContain(row!.eventId);
    }
    expect((await (await stranger.rpc.api.webhooks.$get()).json()).webhooks).toEqual([]);
    // Their own endpoint list is separate, and the owner's endpoint is untouched.
    expect(await (await owner.rpc.api.webhooks[':id'].$get({ param: { id: ep.id } })).json()).toMatchObject({ enabled: true });
    expect(received).toHaveLength(1);
  });

  it('requires a session', async () => {
    expect((await t.client().rpc.api.webhooks.$get()).status).toBe(401);
  });
});

describe('the Node transport', () => {
  it('connects to the checked addresses only (no second DNS lookup), with the URL’s host name for TLS', async () => {
    // A TCP listener stands in for the target: the TLS handshake fails, but the connection shows where
    // the request went and which name it asked for (SNI), though the name exists in no DNS.
    const seen: Buffer[] = [];
    const tcp = createTcpServer((socket) => {
      socket.once('data', (hello: Buffer) => {
        seen.push(hello);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const tcpPort = (tcp.address() as AddressInfo).port;
    const send = nodeWebhookNetwork().send({
      url: new URL(`https://pinned.leadflare-test.invalid:${tcpPort}/hook`),
      addresses: ['127.0.0.1'],
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 5000,
    });
    await expect(send).rejects.toThrow();
    tcp.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.includes(Buffer.from('pinned.leadflare-test.invalid'))).toBe(true);
  });

  it('refuses to send without checked addresses', async () => {
    await expect(
      nodeWebhookNetwork().send({ url: new URL('https://example.com/'), headers: {}, body: '', timeoutMs: 1000 }),
    ).rejects.toThrow('No checked addresses');
  });
});
