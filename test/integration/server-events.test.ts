import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
let owner: TestClient;
let key: string;
let keyId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  const res = await owner.post('/api/workspace/api-keys', { name: 'Shopify' });
  expect(res.status).toBe(201);
  ({ key, id: keyId } = (await res.json()) as { key: string; id: string });
});
afterAll(() => t.close());

function send(body: unknown, authorization = `Bearer ${key}`) {
  return t.client().request('/api/v1/events', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const purchase = {
  type: 'purchase',
  email: 'Ava.Smith@example.com',
  name: 'Ava Smith',
  orderId: '#1001',
  amountMinor: 25_000,
  currency: 'USD',
  funnel: 'cosmetics-set',
};

describe('API keys', () => {
  it('are shown once, listed by prefix only, and stored hashed', async () => {
    expect(key).toMatch(/^lf_key_[A-Za-z0-9_-]{32}$/);
    const list = (await (await owner.get('/api/workspace/api-keys')).json()) as { apiKeys: Array<Record<string, unknown>> };
    expect(list.apiKeys).toEqual([expect.objectContaining({ id: keyId, name: 'Shopify', prefix: key.slice(0, 13), revokedAt: null })]);
    expect(JSON.stringify(list)).not.toContain(key);
    const stored = await t.database.db.all<{ key_hash: string }>(sql`select key_hash from api_keys`);
    expect(stored[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('can only be managed by owners', async () => {
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'editor' })).json()) as { token: string };
    const editor = t.client();
    await editor.signup('editor@keys.test', 'correct horse battery', 'Ed', { inviteToken: token });
    expect((await editor.post('/api/workspace/api-keys', { name: 'x' })).status).toBe(403);
  });
});

describe('POST /api/v1/events', () => {
  it('records a purchase once per order id, creating the lead, and moves the buyer to the sale stage', async () => {
    const first = await send(purchase);
    expect(first.status).toBe(202);
    const { leadId } = (await first.json()) as { leadId: string };
    expect((await send(purchase)).status).toBe(202); // the webhook delivered twice
    await t.deps.events.flush();
    const events = await t.database.db.all<{ type: string; props: string }>(
      sql`select type, props from events where type = 'purchase' and visitor_id = ${`lead_${leadId}`}`,
    );
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.props)).toMatchObject({ orderId: '#1001', amountMinor: 25_000, currency: 'USD', leadId });
    const [lead] = await t.database.db.all<{ email: string; name: string }>(sql`select email, name from leads where id = ${leadId}`);
    expect(lead).toEqual({ email: 'ava.smith@example.com', name: 'Ava Smith' });
    const [stage] = await t.database.db.all<{ furthest_stage: number }>(
      sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`}`,
    );
    expect(stage!.furthest_stage).toBe(4); // sale

    // A second order from the same customer is retention.
    expect((await send({ ...purchase, orderId: '#1002' })).status).toBe(202);
    await t.deps.events.flush();
    const [again] = await t.database.db.all<{ furthest_stage: number }>(
      sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`}`,
    );
    expect(again!.furthest_stage).toBe(5);
  });

  it('keeps the funnel a new customer came through: a later purchase without `funnel` counts there, as retention', async () => {
    const [{ id: funnelId }] = (await t.database.db.all<{ id: string }>(sql`select id from funnels where slug = 'cosmetics-set'`)) as [
      { id: string },
    ];
    const from = new Date(t.clock.now()).toISOString().slice(0, 10);
    const handoffLeads = async () => {
      const to = new Date(t.clock.now()).toISOString().slice(0, 10);
      const report = (await (await owner.get(`/api/handoff?from=${from}&to=${to}`)).json()) as {
        byFunnel: Array<{ funnel: { id: string } | null; steps: Array<{ step: string; count: number }> }>;
      };
      const leadsOf = (id: string | null) =>
        report.byFunnel.find((f) => (f.funnel?.id ?? null) === id)?.steps.find((s) => s.step === 'leads')?.count ?? 0;
      return { inFunnel: leadsOf(funnelId), inNone: leadsOf(null) };
    };
    const retention = async () => {
      const to = new Date(t.clock.now()).toISOString().slice(0, 10);
      const report = (await (await owner.get(`/api/funnels/${funnelId}/report?from=${from}&to=${to}`)).json()) as {
        stages: Array<{ stage: string; visitors: number }>;
      };
      return report.stages.find((s) => s.stage === 'retention')!.visitors;
    };
    const before = { handoff: await handoffLeads(), retention: await retention() };

    const first = await send({
      type: 'purchase',
      email: 'noa@example.com',
      orderId: '#2001',
      amountMinor: 4_900,
      currency: 'USD',
      funnel: 'cosmetics-set',
    });
    expect(first.status).toBe(202);
    const { leadId } = (await first.json()) as { leadId: string };
    // Answered after the commit: the lead, its source funnel and the event are there without a flush.
    const [lead] = await t.database.db.all<{ source_funnel_id: string | null }>(
      sql`select source_funnel_id from leads where id = ${leadId}`,
    );
    expect(lead).toEqual({ source_funnel_id: funnelId });
    expect(await t.database.db.all(sql`select type, funnel_id from events where props->>'leadId' = ${leadId}`)).toEqual([
      { type: 'purchase', funnel_id: funnelId },
    ]);

    t.clock.advance(24 * 60 * 60 * 1000);
    const repeat = await send({ type: 'purchase', email: 'noa@example.com', orderId: '#2002', amountMinor: 4_900, currency: 'USD' });
    expect(repeat.status).toBe(202);
    expect(
      await t.database.db.all(sql`select type, funnel_id from events where props->>'leadId' = ${leadId} order by occurred_at`),
    ).toEqual([
      { type: 'purchase', funnel_id: funnelId },
      { type: 'purchase', funnel_id: funnelId },
    ]);
    const [stage] = await t.database.db.all<{ furthest_stage: number }>(
      sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`} and funnel_id = ${funnelId}`,
    );
    expect(stage!.furthest_stage).toBe(5); // retention
    expect(await retention()).toBe(before.retention + 1);
    expect(await handoffLeads()).toEqual({ inFunnel: before.handoff.inFunnel + 1, inNone: before.handoff.inNone });
  });

  it('validates per event type and refuses missing, wrong or revoked keys', async () => {
    const missing = await send({ type: 'purchase', email: 'x@example.com', orderId: '1' });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).fields!.map((f) => f.path).sort()).toEqual(['amountMinor', 'currency']);
    expect((await send({ ...purchase, currency: 'usd' })).status).toBe(400);
    expect((await send({ ...purchase, funnel: 'no-such-funnel' })).status).toBe(404);
    expect((await send({ ...purchase, email: 'nobody@example.com', funnel: 'no-such-funnel' })).status).toBe(404);
    expect(await t.database.db.all(sql`select id from leads where email = 'nobody@example.com'`)).toEqual([]); // refused whole
    expect((await send(purchase, 'Bearer lf_key_wrong')).status).toBe(401);
    expect((await send(purchase, '')).status).toBe(401);
    expect((await owner.request(`/api/workspace/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await send(purchase);
    expect(revoked.status).toBe(401);
    expect((await errorOf(revoked)).code).toBe('unauthorized');
  });
});
