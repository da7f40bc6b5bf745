import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { createTestApp, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
let owner: TestClient;
let pipelineId: string;
let stages: Array<{ id: string; name: string }>;
let dealId: string;

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});
const stage = (name: string) => stages.find((s) => s.name === name)!.id;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = t.client();
  await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
  const { pipelines } = (await (await owner.get('/api/pipelines')).json()) as {
    pipelines: Array<{ id: string; name: string; stages: Array<{ id: string; name: string }> }>;
  };
  const demo = pipelines.find((p) => p.name === 'Demo B2C e-commerce pipeline - 1')!;
  pipelineId = demo.id;
  stages = demo.stages;
  const { deals } = (await (await owner.get(`/api/deals?pipeline=${pipelineId}&q=Ava`)).json()) as { deals: Array<{ id: string }> };
  dealId = deals[0]!.id;
});
afterAll(() => t.close());

describe('the pipeline board page (no JavaScript)', () => {
  it('shows every stage with counts, totals, the weighted forecast and the deal', async () => {
    const res = await owner.get(`/app/pipelines/${pipelineId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Demo B2C e-commerce pipeline - 1</h1>');
    for (const s of stages) expect(html).toContain(`>${s.name}</h3>`);
    expect(html).toContain('Cosmetics set - Ava Smith');
    // $250 in Lead generation (10% win): weighted $25.
    expect(html).toMatch(/Lead generation<\/h3><div class="meta">1 deal · \$250\.00<div>Weighted \$25\.00<\/div>/);
  });

  it('adds a deal from the form, and re-renders the form with messages for bad input', async () => {
    const bad = await owner.request(
      `/app/pipelines/${pipelineId}/deals`,
      form({ name: 'Serum - Bo Chen', amount: 'twelve', currency: 'USD', stageId: stage('Lead generation') }),
    );
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('value="Serum - Bo Chen"');
    expect(html).toContain('role="alert"');
    const count = (await (await owner.get(`/api/deals?pipeline=${pipelineId}&q=Serum`)).json()) as { deals: unknown[] };
    expect(count.deals).toHaveLength(0);

    const ok = await owner.request(
      `/app/pipelines/${pipelineId}/deals`,
      form({ name: 'Serum - Bo Chen', amount: '$1,250.50', currency: 'usd', stageId: stage('Lead qualification') }),
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/app/pipelines/${pipelineId}`);
    const { deals } = (await (await owner.get(`/api/deals?pipeline=${pipelineId}&q=Serum`)).json()) as {
      deals: Array<{ valueMinor: number; currency: string; stageId: string }>;
    };
    expect(deals).toEqual([expect.objectContaining({ valueMinor: 125050, currency: 'USD', stageId: stage('Lead qualification') })]);
  });

  it('moves a deal; closing it lost needs a reason, shown on the card', async () => {
    const noReason = await owner.request(`/app/deals/${dealId}/move`, form({ stageId: stage('Closed lost'), lostReason: '' }));
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('Say why the deal was lost');
    expect(((await (await owner.get(`/api/deals/${dealId}`)).json()) as { stageId: string }).stageId).toBe(stage('Lead generation'));

    const moved = await owner.request(`/app/deals/${dealId}/move`, form({ stageId: stage('Checkout abandonment') }));
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`/app/pipelines/${pipelineId}#deal-${dealId}`);
    const deal = (await (await owner.get(`/api/deals/${dealId}`)).json()) as { stageId: string; history: Array<{ toStageId: string }> };
    expect(deal.stageId).toBe(stage('Checkout abandonment'));
    expect(deal.history[0]!.toStageId).toBe(stage('Checkout abandonment'));
  });

  it('lets viewers look but not change, and hides other workspaces', async () => {
    const { token } = (await (await owner.post('/api/workspace/invitations', { role: 'viewer' })).json()) as { token: string };
    const viewer = t.client();
    await viewer.signup('viewer@example.com', 'correct horse battery', 'Vera Viewer', { inviteToken: token });
    const page = await viewer.get(`/app/pipelines/${pipelineId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('read-only access');
    expect(html).not.toContain('Add a deal');
    expect((await viewer.request(`/app/deals/${dealId}/move`, form({ stageId: stage('Lead generation') }))).status).toBe(403);

    const stranger = t.client();
    await stranger.signup('stranger@example.com');
    const hidden = await stranger.get(`/app/pipelines/${pipelineId}`);
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).not.toContain('Cosmetics set');
    expect((await stranger.request(`/app/deals/${dealId}/move`, form({ stageId: stage('Lead generation') }))).status).toBe(404);
    expect(
      (await stranger.request(`/app/pipelines/${pipelineId}/deals`, form({ name: 'x', stageId: stage('Lead generation') }))).status,
    ).toBe(404);
  });

  it('sends signed-out visitors to sign in', async () => {
    const res = await t.client().get(`/app/pipelines/${pipelineId}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/app/pipelines/${pipelineId}`)}`);
  });
});
