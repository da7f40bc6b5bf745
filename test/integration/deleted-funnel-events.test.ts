/**
 * Deleting a funnel deletes its raw tracking events too: not in the request (a busy funnel has
 * millions), but through the scheduled job, in bounded batches, until none are left — late beacons
 * included. Other funnels' events and the leads the funnel brought in stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { LATE_EVENTS_MS, purgeDeletedFunnelEvents } from '../../workers/services/housekeeping';
import { describeScheduledRun, runScheduledWork } from '../../workers/services/scheduler';
import { createTestApp, type TestApp } from '../support/app';
import { countRows, signInDemo } from '../support/landing';

let t: TestApp;
let doomed: string;
let kept: string;
let workspaceId: string;

const eventsOf = (funnelId: string) => countRows(t.database, 'events', `funnel_id = '${funnelId}'`);
const pending = () => countRows(t.database, 'deleted_funnels');

async function addEvents(funnelId: string, n: number, prefix: string) {
  for (let i = 0; i < n; i++) {
    await t.database.client.execute({
      sql: `insert into events (id, workspace_id, funnel_id, visitor_id, type, occurred_at, received_at, props) values (?, ?, ?, ?, 'page_view', ?, ?, '{}')`,
      args: [`${prefix}-${i}`, workspaceId, funnelId, `v-${prefix}-${i}`, t.clock.now(), t.clock.now()],
    });
  }
}

beforeAll(async () => {
  t = await createTestApp();
  workspaceId = (await seedDemo(t.database, { clock: t.clock.now })).workspaceId;
  doomed = String((await t.database.client.execute(`select id from funnels where slug = 'cosmetics-set'`)).rows[0]!.id);
  const owner = await signInDemo(t.client());
  const other = await owner.rpc.api.funnels.$post({ json: { name: 'Kept funnel', slug: 'kept-funnel' } });
  expect(other.status).toBe(201);
  kept = (await other.json()).id;
  await addEvents(kept, 3, 'kept');
});
afterAll(() => t.close());

describe('deleting a funnel', () => {
  it('removes its raw events in batches through the scheduled job, and nothing else', async () => {
    const seeded = await eventsOf(doomed);
    expect(seeded).toBeGreaterThan(120);
    const leads = await countRows(t.database, 'leads');
    const owner = await signInDemo(t.client());
    expect((await owner.rpc.api.funnels[':id'].$delete({ param: { id: doomed } })).status).toBe(204);
    // The request itself only lists the funnel for the job.
    expect(await eventsOf(doomed)).toBe(seeded);
    expect(await pending()).toBe(1);

    expect(await purgeDeletedFunnelEvents(t.database.db, t.clock.now(), 50)).toBe(50);
    expect(await eventsOf(doomed)).toBe(seeded - 50);
    let removed = 50;
    for (let tick = 0; tick < 10 && removed < seeded; tick++) {
      const report = await runScheduledWork(t.deps, () => undefined);
      expect(report.errors).toEqual([]);
      removed += report.deletedFunnelEvents;
    }
    expect(removed).toBe(seeded);
    expect(await eventsOf(doomed)).toBe(0);
    expect(await eventsOf(kept)).toBe(3);
    expect(await countRows(t.database, 'leads')).toBe(leads);
  });

  it('also removes events that arrive late, then forgets the funnel after a day', async () => {
    await addEvents(doomed, 2, 'late');
    const report = await runScheduledWork(t.deps, () => undefined);
    expect(report.deletedFunnelEvents).toBe(2);
    expect(describeScheduledRun(report)).toContain('2 events of deleted funnels deleted');
    // Still listed: beacons from pages left open can come for a while.
    expect(await pending()).toBe(1);

    t.clock.advance(LATE_EVENTS_MS + 1);
    expect((await runScheduledWork(t.deps, () => undefined)).deletedFunnelEvents).toBe(0);
    expect(await pending()).toBe(0);
    expect(await eventsOf(kept)).toBe(3);
  });
});
