/**
 * Webhooks in workerd, from the built bundle: a deal created through the API becomes a message on
 * the WEBHOOKS queue, and the Worker's own queue consumer signs and sends it. There is no network in
 * tests: the harness's outbound service stands in for the internet (it sees exactly the request the
 * Worker's fetch made) and answers for hooks.example.com; every other host gets a 502.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { pipelineStages, pipelines, webhookEndpoints } from '../../db/schema';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { verifyWebhookSignature } from '../../workers/domain/webhook-signature';
import { newId } from '../../workers/domain/ids';
import { pipelineFromTemplate } from '../../workers/services/pipelines';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';
import { waitFor } from '../support/wait';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let w: WorkerHarness;
let cookie: string;
let workspaceId: string;
let pipelineId: string;
const sent: Sent[] = [];
/** Status the stand-in receiver answers with, by host. */
const statusByHost: Record<string, number> = { 'hooks.example.com': 200, 'flaky.example.com': 500 };

beforeAll(async () => {
  w = await startWorker({
    respond: async (request) => {
      const url = new URL(request.url);
      const status = statusByHost[url.hostname];
      if (status === undefined) return new Response('no network in tests', { status: 502 });
      sent.push({ url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
      return new Response(status === 200 ? 'ok' : 'receiver down', { status });
    },
  });
  ({ cookie, workspaceId } = await signUpOnWorker(w, { email: 'hooks@example.com', name: 'Hooks', workspaceName: 'Hook Shop' }));
  const now = w.now();
  const { pipeline, stages } = pipelineFromTemplate(
    { db: w.database.db, clock: () => now, newId: () => newId(now) },
    workspaceId,
    PIPELINE_TEMPLATES.b2c,
  );
  await w.database.db.batch([w.database.db.insert(pipelines).values(pipeline), w.database.db.insert(pipelineStages).values(stages)]);
  pipelineId = pipeline.id;
});
afterAll(() => w?.close());

const json = (method: string, body?: unknown) => ({
  method,
  cookie,
  headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

interface Row {
  id: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
}
const rowsOf = (endpointId: string) =>
  w.database.db.all<Row>(
    sql`select id, status, attempts, last_status_code, last_error, next_attempt_at from webhook_deliveries where endpoint_id = ${endpointId}`,
  );

async function createEndpoint(url: string) {
  const res = await w.fetch('/api/webhooks', json('POST', { url, events: ['deal.created'] }));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

async function createDeal(name: string) {
  const res = await w.fetch('/api/deals', json('POST', { pipelineId, name, valueMinor: 25_000, currency: 'USD' }));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

/** The first test's endpoint and delivery, reused by later ones. */
let delivered: { endpointId: string; deliveryId: string; secret: string };

describe('webhooks in workerd: API write → WEBHOOKS queue → consumer → signed fetch', () => {
  it('delivers deal.created through the queue consumer, signed, and logs it as succeeded', async () => {
    const endpoint = await createEndpoint('https://hooks.example.com/leadflare');
    const deal = await createDeal('Cosmetics set - Ava Smith');
    const rows = await waitFor(
      () => rowsOf(endpoint.id),
      (r) => r[0]?.status === 'succeeded',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null, next_attempt_at: null });

    expect(sent).toHaveLength(1);
    const hit = sent[0]!;
    expect(hit.url).toBe('https://hooks.example.com/leadflare');
    expect(await verifyWebhookSignature(endpoint.secret, hit.headers['leadflare-signature'], hit.body, w.now())).toBe(true);
    expect(hit.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Leadflare-Webhooks/1',
      'leadflare-event': 'deal.created',
      'leadflare-delivery': rows[0]!.id,
    });
    expect(JSON.parse(hit.body)).toMatchObject({
      type: 'deal.created',
      workspaceId,
      data: { deal: { id: deal.id, name: 'Cosmetics set - Ava Smith', valueMinor: 25_000 } },
    });
    delivered = { endpointId: endpoint.id, deliveryId: rows[0]!.id, secret: endpoint.secret };
  });

  it('does not send an already-succeeded delivery again when its queue message comes twice (nor one for an unknown id)', async () => {
    // The consumer gets the messages as the queue redelivers them, and is done when this resolves.
    const result = await w.consume('leadflare-webhooks', [{ deliveryId: delivered.deliveryId }, { deliveryId: 'no-such-delivery' }], 2);
    expect(result).toMatchObject({ outcome: 'ok', retryBatch: { retry: false }, retryMessages: [] });
    expect(result.explicitAcks).toHaveLength(2);
    expect(sent).toHaveLength(1);
    expect(await rowsOf(delivered.endpointId)).toMatchObject([{ status: 'succeeded', attempts: 1 }]);
  });

  it('records a 500 as a failed attempt and leaves the retry to the queue after the backoff (not re-sent at once)', async () => {
    const endpoint = await createEndpoint('https://flaky.example.com/hook');
    const before = w.now();
    await createDeal('Retry me');
    const rows = await waitFor(
      () => rowsOf(endpoint.id),
      (r) => (r[0]?.attempts ?? 0) >= 1,
    );
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500: receiver down' });
    expect(rows[0]!.next_attempt_at! - before).toBeGreaterThanOrEqual(24_000);
    // The message again before its backoff is over (as a queue may deliver early): not sent, and
    // handed back to the queue with the rest of the backoff as its delay.
    const early = await w.consume('leadflare-webhooks', [{ deliveryId: rows[0]!.id }], 2);
    const remainingSeconds = (rows[0]!.next_attempt_at! - w.now()) / 1000;
    expect(early.retryMessages).toHaveLength(1);
    expect(early.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(Math.floor(remainingSeconds));
    expect(remainingSeconds).toBeGreaterThan(10);
    expect(sent.filter((s) => s.url.startsWith('https://flaky.example.com'))).toHaveLength(1);
    expect((await rowsOf(endpoint.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('records an unreachable target (the network answers 502) as a failed attempt with a retry scheduled', async () => {
    const endpoint = await createEndpoint('https://unreachable.example.net/hook');
    await createDeal('Nobody home');
    const rows = await waitFor(
      () => rowsOf(endpoint.id),
      (r) => (r[0]?.attempts ?? 0) >= 1,
    );
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 502 });
    expect(w.outbound).toContain('https://unreachable.example.net/hook');
  });
});

describe('target policy in workerd (no DNS API: names and literal addresses)', () => {
  it('refuses internal targets on save', async () => {
    for (const url of [
      'https://127.0.0.1/x',
      'https://[::ffff:169.254.169.254]/x',
      'https://0x0a000001/x',
      'https://metadata.google.internal/x',
      'http://hooks.example.com/x',
    ]) {
      const res = await w.fetch('/api/webhooks', json('POST', { url, events: ['deal.created'] }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', fields: [{ path: 'url' }] } });
    }
  });

  it('refuses again at send: an endpoint row pointing at the metadata address (written around the API) is failed, never fetched', async () => {
    const now = w.now();
    const id = newId(now);
    await w.database.db.insert(webhookEndpoints).values({
      id,
      workspaceId,
      url: 'https://169.254.169.254/latest/meta-data/',
      secret: 'whsec_x',
      events: ['deal.created'],
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });
    await createDeal('Metadata probe');
    const rows = await waitFor(
      () => rowsOf(id),
      (r) => r[0]?.status === 'failed',
    );
    expect(rows[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: null, next_attempt_at: null });
    expect(rows[0]!.last_error).toContain('metadata');
    expect(w.outbound.some((u) => u.includes('169.254.169.254'))).toBe(false);
  });

  it('sends a test ping from the request itself and returns the result', async () => {
    const res = await w.fetch(`/api/webhooks/${delivered.endpointId}/test`, json('POST'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: { ok: true, statusCode: 200 }, delivery: { eventType: 'ping', status: 'succeeded' } });
    expect(sent.at(-1)!.headers['leadflare-event']).toBe('ping');
  });
});
