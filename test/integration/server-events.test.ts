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
  return t.client().request('/api/v1/events', { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const purchase = { type: 'purchase', email: 'Ava.Smith@example.com', name: 'Ava Smith', orderId: '#1001', amountMinor: 25_000, currency: 'USD', funnel: 'cosmetics-set' };

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
    const events = await t.database.db.all<{ type: string; props: string }>(sql`select type, props from events where type = 'purchase' and visitor_id = ${`lead_${leadId}`}`);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.props)).toMatchObject({ orderId: '#1001', amountMinor: 25_000, currency: 'USD', leadId });
    const [lead] = await t.database.db.all<{ email: string; name: string }>(sql`select email, name from leads where id = ${leadId}`);
    expect(lead).toEqual({ email: 'ava.smith@example.com', name: 'Ava Smith' });
    const [stage] = await t.database.db.all<{ furthest_stage: number }>(sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`}`);
    expect(stage!.furthest_stage).toBe(4); // sale

    // A second order from the same customer is retention.
    expect((await send({ ...purchase, orderId: '#1002' })).status).toBe(202);
    await t.deps.events.flush();
    const [again] = await t.database.db.all<{ furthest_stage: number }>(sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`}`);
    expect(again!.furthest_stage).toBe(5);
  });

  it('validates per event type and refuses missing, wrong or revoked keys', async () => {
    const missing = await send({ type: 'purchase', email: 'x@example.com', orderId: '1' });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).fields!.map((f) => f.path).sort()).toEqual(['amountMinor', 'currency']);
    expect((await send({ ...purchase, currency: 'usd' })).status).toBe(400);
    expect((await send({ ...purchase, funnel: 'no-such-funnel' })).status).toBe(404);
    expect((await send(purchase, 'Bearer lf_key_wrong')).status).toBe(401);
    expect((await send(purchase, '')).status).toBe(401);
    expect((await owner.request(`/api/workspace/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await send(purchase);
    expect(revoked.status).toBe(401);
    expect((await errorOf(revoked)).code).toBe('unauthorized');
  });
});
