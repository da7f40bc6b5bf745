import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, DEMO_RULE, seedDemo } from '../../db/seed';
import { servedEarlier, startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
beforeAll(async () => {
  w = await startWorker();
  const { workspaceId } = await seedDemo(w.database, { clock: w.now /* the Worker's clock */ });
  // A subscriber, so the outbox rows written in the capture and qualification batches can be counted.
  await w.database.client.execute({
    sql: `insert into webhook_endpoints (id, workspace_id, url, description, secret, events, enabled, created_at, updated_at)
          values ('edge-hook', ?, 'https://hooks.example.com/x', '', 'whsec', '["lead.created","lead.qualified","deal.created"]', 1, 0, 0)`,
    args: [workspaceId],
  });
});
afterAll(() => w?.close());

const field = (html: string, name: string) =>
  new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(html)?.[1];

describe('qualification in the Worker bundle (libSQL over HTTP)', () => {
  it('turns a quiz completed with a high score into a deal in the demo pipeline', async () => {
    const page = await (await w.fetch('/p/cosmetics-set/quiz')).text();
    const token = await servedEarlier(field(page, '_token')!); // past the minimum fill time
    expect(token).toBeTruthy();
    const body = new URLSearchParams({
      _token: token,
      _block: 'skin-quiz',
      q_midday: 'shiny',
      q_pores: 'everywhere',
      q_breakouts: 'often',
      q_shine: 'daily',
      email: 'edge-oily@example.com',
    });
    body.append('q_products', 'cleanser');
    const res = await w.fetch('/p/cosmetics-set/quiz', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: body.toString(),
    });
    expect(res.status).toBe(303);

    const [lead] = await w.database.db.all<{ id: string; score: number; qualified_at: number | null }>(
      sql`select id, score, qualified_at from leads where email = 'edge-oily@example.com'`,
    );
    expect(lead!.score).toBeGreaterThanOrEqual(DEMO_RULE.minScore);
    expect(lead!.qualified_at).not.toBeNull();
    const deals = await w.database.db.all<{ name: string; value_minor: number; pipeline: string; stage: string }>(sql`
      select d.name, d.value_minor, p.name as pipeline, s.name as stage
      from deals d join pipelines p on p.id = d.pipeline_id join pipeline_stages s on s.id = d.stage_id
      where d.lead_id = ${lead!.id}`);
    const events = await w.database.db.all<{ event_type: string; n: number }>(
      sql`select event_type, count(*) as n from webhook_deliveries where payload like ${`%${lead!.id}%`} group by event_type order by event_type`,
    );
    expect(events).toEqual([
      { event_type: 'deal.created', n: 1 },
      { event_type: 'lead.created', n: 1 },
      { event_type: 'lead.qualified', n: 1 },
    ]);
    expect(deals).toEqual([
      {
        name: 'Cosmetics set - edge-oily@example.com',
        value_minor: DEMO.deal.valueMinor,
        pipeline: DEMO.b2cPipeline,
        stage: DEMO_RULE.stage,
      },
    ]);
  });
});
