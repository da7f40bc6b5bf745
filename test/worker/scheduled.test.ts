/**
 * The Cron Trigger in workerd: the built bundle's `scheduled` handler runs the B2C automations of
 * the demo pipeline (turned on by the seed) against libSQL through the Hrana bridge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { HOUR_MS } from '../../workers/domain/automations';
import { ingestBatch } from '../../workers/services/ingest';
import { startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let workspaceId: string;
let funnelId: string;
let offerPageId: string;
let stage: Record<string, string>;

beforeAll(async () => {
  w = await startWorker();
  ({ workspaceId } = await seedDemo(w.database, { clock: w.now /* the Worker's clock */ }));
  const rows = <T>(q: ReturnType<typeof sql>) => w.database.db.all<T>(q);
  funnelId = (await rows<{ id: string }>(sql`select id from funnels where slug = ${DEMO.funnel.slug}`))[0]!.id;
  offerPageId = (await rows<{ id: string }>(sql`select id from funnel_pages where funnel_id = ${funnelId} and slug = 'offer'`))[0]!.id;
  const stages = await rows<{ id: string; name: string }>(
    sql`select s.id, s.name from pipeline_stages s join pipelines p on p.id = s.pipeline_id where p.name = ${DEMO.b2cPipeline}`,
  );
  stage = Object.fromEntries(stages.map((s) => [s.name, s.id]));
});
afterAll(() => w?.close());

/** A lead with a visitor linked to it (a known visitor), as a capture leaves them. */
async function knownVisitor(name: string, email: string) {
  const leadId = `lead-${email}`;
  const visitorId = `visitor-${email}`;
  const now = w.now();
  await w.database.client.batch(
    [
      {
        sql: 'insert into leads (id, workspace_id, email, name, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
        args: [leadId, workspaceId, email, name, now, now],
      },
      {
        sql: 'insert into visitors (id, workspace_id, lead_id, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?)',
        args: [visitorId, workspaceId, leadId, now, now],
      },
    ],
    'write',
  );
  return { leadId, visitorId };
}

const dealsOf = (leadId: string) =>
  w.database.db.all<{ id: string; name: string; stage_id: string; value_minor: number }>(
    sql`select id, name, stage_id, value_minor from deals where lead_id = ${leadId}`,
  );
const totals = async () => {
  const [row] = await w.database.db.all<{ history: number; runs: number }>(
    sql`select (select count(*) from deal_stage_history) as history, (select count(*) from automation_runs) as runs`,
  );
  return row;
};

describe('scheduled handler in workerd', () => {
  it('moves deals by the automations, once however often the cron fires', async () => {
    const zoe = await knownVisitor('Zoe Quinn', 'zoe.worker@example.com');
    const max = await knownVisitor('Max Hart', 'max.worker@example.com');
    const now = w.now();
    await ingestBatch(
      w.database.client,
      [
        // Zoe started checkout two hours ago (the demo waits 60 minutes) and never paid.
        {
          id: 'cron-zoe-checkout-0001',
          workspaceId,
          visitorId: zoe.visitorId,
          type: 'checkout_start',
          occurredAt: now - 2 * HOUR_MS,
          funnelId,
          pageId: offerPageId,
          pageSlug: 'offer',
          props: { block: 'set' },
        },
        // Max bought.
        {
          id: 'cron-max-purchase-0001',
          workspaceId,
          visitorId: max.visitorId,
          type: 'purchase',
          occurredAt: now - 5 * 60_000,
          funnelId,
          props: { leadId: max.leadId, orderId: 'w-1', amountMinor: 18_000, currency: 'USD' },
        },
      ],
      now,
    );

    const worker = await w.mf.getWorker();
    const result = await worker.scheduled({ cron: '*/5 * * * *', scheduledTime: new Date(w.now()) });
    expect(result.outcome).toBe('ok');

    expect(await dealsOf(zoe.leadId)).toEqual([
      expect.objectContaining({ name: 'Cosmetics set - Zoe Quinn', stage_id: stage['Checkout abandonment'], value_minor: 25_000 }),
    ]);
    expect(await dealsOf(max.leadId)).toEqual([
      expect.objectContaining({ name: 'Cosmetics set - Max Hart', stage_id: stage['Closed won'], value_minor: 18_000 }),
    ]);
    const movedBy = await w.database.db.all<{ moved_by: string }>(
      sql`select moved_by from deal_stage_history where deal_id in (select id from deals where lead_id in (${zoe.leadId}, ${max.leadId})) order by moved_by`,
    );
    expect(movedBy.map((r) => r.moved_by)).toEqual(['automation:checkout_abandonment', 'automation:purchase']);

    const before = await totals();
    expect((await worker.scheduled({ cron: '*/5 * * * *' })).outcome).toBe('ok');
    expect(await totals()).toEqual(before);
    // The Worker reached the database only through the bridge.
    expect(w.outbound.every((url) => url.startsWith('http://libsql.bridge.test'))).toBe(true);
  });
});
