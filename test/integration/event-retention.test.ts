/**
 * Raw-event retention: a per-workspace setting (13 months by default, 1 at least) that the
 * scheduled job enforces in bounded batches. The rollups stay, so the reports of a period whose
 * raw events are gone read exactly what they read before — checked on the test clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { pruneRawEvents } from '../../workers/services/housekeeping';
import { runScheduledWork } from '../../workers/services/scheduler';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { countRows, signInDemo } from '../support/landing';

const DAY_MS = 24 * 60 * 60 * 1000;
let t: TestApp;
let owner: TestClient;
let funnelId: string;
let demoWs: string;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function reports(from: string, to: string) {
  // Sessions expire while the test clock jumps months ahead: sign in afresh each time.
  owner = await signInDemo(t.client());
  const get = async (path: string) => {
    const res = await owner.get(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as unknown;
  };
  const period = `from=${from}&to=${to}`;
  return {
    stats: await get(`/api/funnels/stats?${period}`),
    report: await get(`/api/funnels/${funnelId}/report?${period}`),
    sections: await get(`/api/funnels/${funnelId}/sections?${period}`),
    pages: await get(`/api/funnels/${funnelId}/page-stats?${period}`),
    handoff: await get(`/api/handoff?${period}`),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  demoWs = (await seedDemo(t.database, { clock: t.clock.now })).workspaceId;
  owner = await signInDemo(t.client());
  funnelId = String((await t.database.client.execute(`select id from funnels where slug = 'cosmetics-set'`)).rows[0]!.id);
});
afterAll(() => t.close());

describe('the retention setting', () => {
  it('is 13 months unless set, takes 1 to 120 whole months, and only from owners', async () => {
    const ws = await (await owner.rpc.api.workspace.$get()).json();
    expect(ws.settings.rawEventRetentionMonths).toBeUndefined();
    for (const bad of [0, 1.5, 121]) {
      const res = await owner.rpc.api.workspace.settings.$patch({ json: { rawEventRetentionMonths: bad } });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).fields?.[0]?.path).toBe('rawEventRetentionMonths');
    }
    const ok = await owner.rpc.api.workspace.settings.$patch({ json: { rawEventRetentionMonths: 1 } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).settings.rawEventRetentionMonths).toBe(1);
    const back = await owner.rpc.api.workspace.settings.$patch({ json: { rawEventRetentionMonths: 13 } });
    expect((await back.json()).settings).toMatchObject({ rawEventRetentionMonths: 13 });
  });
});

describe('the scheduled job', () => {
  it('deletes raw events past the period in bounded batches, and the old period’s reports do not change', async () => {
    const now = t.clock.now();
    const from = day(now - 40 * DAY_MS);
    const to = day(now);
    const before = await reports(from, to);
    const events = await countRows(t.database, 'events', `workspace_id = '${demoWs}'`);
    expect(events).toBeGreaterThan(50);
    const rollups = await countRows(t.database, 'daily_rollups');

    // A year on, nothing is old enough yet.
    t.clock.advance(365 * DAY_MS);
    expect((await runScheduledWork(t.deps, () => undefined)).eventsPruned).toBe(0);
    expect(await reports(from, to)).toEqual(before);

    // Fourteen months on, every demo event is past 13 months: a small budget takes several ticks.
    t.clock.advance(60 * DAY_MS);
    const first = await pruneRawEvents(t.database.db, t.clock.now(), 20);
    expect(first).toBe(20);
    expect(await countRows(t.database, 'events', `workspace_id = '${demoWs}'`)).toBe(events - 20);
    const report = await runScheduledWork(t.deps, () => undefined);
    expect(report.errors).toEqual([]);
    let pruned = first + report.eventsPruned;
    while (pruned < events) {
      const more = (await runScheduledWork(t.deps, () => undefined)).eventsPruned;
      expect(more).toBeGreaterThan(0);
      pruned += more;
    }
    expect(pruned).toBe(events);
    expect(await countRows(t.database, 'events', `workspace_id = '${demoWs}'`)).toBe(0);
    expect(await countRows(t.database, 'daily_rollups')).toBe(rollups);
    expect(await reports(from, to)).toEqual(before);
  });

  it('keeps a workspace’s events for as long as its own setting says', async () => {
    const stranger = t.client();
    const { workspaceId } = await stranger.signup('keeper@example.com');
    const now = t.clock.now();
    const event = (id: string, ageDays: number) => ({
      sql: `insert into events (id, workspace_id, funnel_id, page_id, visitor_id, type, occurred_at, received_at, props)
            values (?, ?, null, null, 'v-keeper', 'server_event', ?, ?, '{}')`,
      args: [id, workspaceId, now - ageDays * DAY_MS, now - ageDays * DAY_MS],
    });
    await t.database.client.batch(
      [event('keep-recent-0001', 20), event('drop-old-00000001', 70), event('drop-older-0000001', 400)],
      'write',
    );
    expect(await stranger.rpc.api.workspace.settings.$patch({ json: { rawEventRetentionMonths: 2 } })).toHaveProperty('status', 200);
    await runScheduledWork(t.deps, () => undefined);
    const left = await t.database.client.execute({ sql: 'select id from events where workspace_id = ?', args: [workspaceId] });
    expect(left.rows.map((r) => r.id)).toEqual(['keep-recent-0001']);
  });
});
