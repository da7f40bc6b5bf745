/** GET /api/funnels/stats: the funnel list's last-30-day numbers, the same counts the handoff report gives per funnel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { json } from '../support/responses';

let t: TestApp;
let owner: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now, leads: true });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
});
afterAll(() => t.close());

describe('funnel list stats', () => {
  it('gives every funnel its visitors, leads and conversion over the last 30 days, as the handoff counts them', async () => {
    const created = await json(await owner.rpc.api.funnels.$post({ json: { name: 'Idle', slug: 'idle' } }), 201);
    const stats = await json(await owner.rpc.api.funnels.stats.$get({ query: {} }), 200);
    const handoff = await json(await owner.rpc.api.handoff.$get({ query: {} }), 200);
    expect(stats.period).toEqual(handoff.period);

    const demo = handoff.byFunnel.find((f) => f.funnel?.name === 'Cosmetics set')!;
    const count = (step: string) => demo.steps.find((s) => s.step === step)!.count;
    expect(count('visitors')).toBe(400);
    expect(stats.funnels).toHaveLength(2);
    expect(stats.funnels).toEqual(
      expect.arrayContaining([
        { funnelId: demo.funnel!.id, visitors: 400, leads: count('leads'), conversion: count('leads') / 400 },
        { funnelId: created.id, visitors: 0, leads: 0, conversion: null },
      ]),
    );
    expect(count('leads')).toBeGreaterThan(100);
  });

  it('takes a period, and refuses one that ends before it starts', async () => {
    const longAgo = await json(await owner.rpc.api.funnels.stats.$get({ query: { from: '2001-01-01', to: '2001-01-31' } }), 200);
    expect(longAgo.period).toEqual({ from: '2001-01-01', to: '2001-01-31' });
    expect(longAgo.funnels.every((f) => f.visitors === 0 && f.leads === 0)).toBe(true);
    const bad = await owner.rpc.api.funnels.stats.$get({ query: { from: '2026-02-01', to: '2026-01-01' } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'invalid_period' });
  });

  it('counts only the workspace’s own funnels, and needs a session', async () => {
    const other = t.client();
    await other.signup('stats-stranger@example.com');
    expect(await json(await other.rpc.api.funnels.stats.$get({ query: {} }), 200)).toMatchObject({ funnels: [] });
    expect((await t.client().rpc.api.funnels.stats.$get({ query: {} })).status).toBe(401);
  });

  it('does not take "stats" for a funnel id', async () => {
    const funnel = await owner.rpc.api.funnels[':id'].$get({ param: { id: 'stats' } });
    // GET /api/funnels/stats is the list's numbers; GET /api/funnels/:id still answers for real ids.
    expect(funnel.status).toBe(200);
    expect(await funnel.json()).toHaveProperty('period');
  });
});
