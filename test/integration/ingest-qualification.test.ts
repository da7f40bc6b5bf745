/**
 * Leads are re-qualified after ingest: a known visitor's later events (read from the event masks
 * ingest keeps) raise the score past the demo rule, and the deal appears with nobody touching it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, DEMO_RULE, seedDemo } from '../../db/seed';
import { EVENT_BIT } from '../../workers/domain/scoring';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { formBody, formOf, FUNNEL } from '../support/landing';

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
});
afterAll(() => t.close());

const rows = <T>(query: ReturnType<typeof sql>) => t.database.db.all<T>(query);

function beacon(client: TestClient, events: unknown[]) {
  return client.request('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ events }),
  });
}

async function leadOf(email: string) {
  const [lead] = await rows<{ id: string; score: number; qualified_at: number | null }>(
    sql`select id, score, qualified_at from leads where email = ${email}`,
  );
  return lead!;
}

const dealsOf = (leadId: string) =>
  rows<{ name: string; value_minor: number; stage: string }>(sql`
  select d.name, d.value_minor, s.name as stage from deals d join pipeline_stages s on s.id = d.stage_id where d.lead_id = ${leadId}`);

describe('qualification after ingest', () => {
  it('turns a known visitor into a deal once their tracked events reach the score', async () => {
    const visitor = t.client();
    const landing = await visitor.get(`${FUNNEL}/guide`, { 'user-agent': BROWSER_UA });
    expect(landing.status).toBe(200);
    expect(visitor.cookies.get('lf_vid')).toBeTruthy();
    const form = formOf(await landing.text(), 'ebook');
    t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
    const post = formBody({
      _block: form.block,
      _token: form.token,
      website: '',
      email: 'mia@shop.example',
      name: 'Mia Park',
      consent: 'yes',
    });
    const res = await visitor.request(`${FUNNEL}/guide`, {
      ...post,
      headers: { ...(post.headers as Record<string, string>), 'user-agent': BROWSER_UA },
    });
    expect(res.status).toBe(303);
    await t.deps.events.flush();

    const before = await leadOf('mia@shop.example');
    expect(before.score).toBeLessThan(DEMO_RULE.minScore);
    expect(before.qualified_at).toBeNull();
    expect(await dealsOf(before.id)).toEqual([]);

    // The tracker reports the offer view and the checkout click (the demo scores them 10 and 25).
    const at = t.clock.now();
    const accepted = await beacon(visitor, [
      { id: 'mia-offer-view-000001', type: 'offer_view', at, path: `${FUNNEL}/offer` },
      { id: 'mia-checkout-00000001', type: 'checkout_start', at: at + 1, path: `${FUNNEL}/offer` },
    ]);
    expect(accepted.status).toBe(202);
    await t.deps.events.flush();

    const [stage] = await rows<{ event_mask: number }>(sql`
      select event_mask from visitor_stages where visitor_id = ${visitor.cookies.get('lf_vid')!}`);
    expect(stage!.event_mask & EVENT_BIT.offer_view).toBeTruthy();
    expect(stage!.event_mask & EVENT_BIT.checkout_start).toBeTruthy();

    const after = await leadOf('mia@shop.example');
    expect(after.score).toBeGreaterThanOrEqual(DEMO_RULE.minScore);
    expect(after.qualified_at).not.toBeNull();
    expect(await dealsOf(after.id)).toEqual([
      { name: 'Cosmetics set - Mia Park', value_minor: DEMO.deal.valueMinor, stage: DEMO_RULE.stage },
    ]);

    // The same beacon again (a retry) stores nothing and changes nothing.
    expect((await beacon(visitor, [{ id: 'mia-offer-view-000001', type: 'offer_view', at, path: `${FUNNEL}/offer` }])).status).toBe(202);
    await t.deps.events.flush();
    expect((await leadOf('mia@shop.example')).score).toBe(after.score);
    expect(await dealsOf(after.id)).toHaveLength(1);
  });

  it('leaves anonymous visitors alone', async () => {
    const visitor = t.client();
    await visitor.get(`${FUNNEL}/offer`, { 'user-agent': BROWSER_UA });
    const accepted = await beacon(visitor, [
      { id: 'anon-checkout-0000001', type: 'checkout_start', at: t.clock.now(), path: `${FUNNEL}/offer` },
    ]);
    expect(accepted.status).toBe(202);
    const dealsBefore = Number((await rows<{ n: number }>(sql`select count(*) as n from deals`))[0]!.n);
    await t.deps.events.flush();
    expect(Number((await rows<{ n: number }>(sql`select count(*) as n from deals`))[0]!.n)).toBe(dealsBefore);
  });
});
