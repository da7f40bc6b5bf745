/**
 * Server events in the Worker bundle: the 202 of `POST /api/v1/events` comes after the commit (lead,
 * visitor, event, qualification over libSQL HTTP), not after a queue send — the event is in the
 * database the moment the store has its answer.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../db/seed';
import { startWorker, type WorkerHarness } from '../support/worker';

const KEY = 'lf_key_edge-server-events-0000000001';
let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
  const { workspaceId } = await seedDemo(w.database, { clock: Date.now /* the Worker runs on the real clock */ });
  await w.database.client.execute({
    sql: `insert into api_keys (id, workspace_id, name, prefix, key_hash, created_at) values ('edge-key', ?, 'Store', ?, ?, 0)`,
    args: [workspaceId, KEY.slice(0, 13), createHash('sha256').update(KEY).digest('hex')],
  });
});
afterAll(() => w?.close());

const send = (body: unknown) =>
  w.fetch('/api/v1/events', {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('server events in workerd', () => {
  it('are stored when acknowledged, in the named funnel, and a repeat purchase without funnel is retention there', async () => {
    const first = await send({
      type: 'purchase',
      email: 'edge-buyer@example.com',
      orderId: 'E-1',
      amountMinor: 25_000,
      currency: 'USD',
      funnel: 'cosmetics-set',
    });
    expect(first.status).toBe(202);
    const { leadId } = (await first.json()) as { leadId: string };
    const [{ id: funnelId }] = (await w.database.db.all<{ id: string }>(sql`select id from funnels where slug = 'cosmetics-set'`)) as [
      { id: string },
    ];
    // No waiting for a queue consumer: read right after the answer.
    expect(await w.database.db.all(sql`select source_funnel_id from leads where id = ${leadId}`)).toEqual([{ source_funnel_id: funnelId }]);
    expect(await w.database.db.all(sql`select funnel_id from events where type = 'purchase' and props->>'leadId' = ${leadId}`)).toEqual([
      { funnel_id: funnelId },
    ]);

    const repeat = await send({ type: 'purchase', email: 'edge-buyer@example.com', orderId: 'E-2', amountMinor: 25_000, currency: 'USD' });
    expect(repeat.status).toBe(202);
    const [stage] = await w.database.db.all<{ furthest_stage: number }>(
      sql`select furthest_stage from visitor_stages where visitor_id = ${`lead_${leadId}`} and funnel_id = ${funnelId}`,
    );
    expect(stage).toEqual({ furthest_stage: 5 }); // retention
  });
});
