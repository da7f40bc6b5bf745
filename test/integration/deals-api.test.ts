import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads, webhookDeliveries, webhookEndpoints } from '../../db/schema';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import {
  createDeal,
  createPipeline,
  json,
  member,
  stageNamed,
  type DealBody,
  type DealQuery,
  type PipelineBody,
} from '../support/pipeline';

const DAY = 24 * 60 * 60 * 1000;

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let workspaceId: string;
let editor: TestClient;
let editorId: string;
let viewer: TestClient;
let shop: PipelineBody;
let other: PipelineBody;

async function addLead(id: string, email: string, name: string | null, ws = workspaceId) {
  const now = t.clock.now();
  await t.database.db.insert(leads).values({ id, workspaceId: ws, email, name, createdAt: now, updatedAt: now });
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({
    workspaceId,
    user: { id: ownerId },
  } = await owner.signup('owner@deals.test', 'correct horse battery', 'Olivia', { workspaceName: 'Deals' }));
  ({ client: editor, userId: editorId } = await member(t, owner, 'editor', 'editor@deals.test'));
  ({ client: viewer } = await member(t, owner, 'viewer', 'viewer@deals.test'));
  shop = await createPipeline(owner, 'Shop', 'b2c');
  other = await createPipeline(owner, 'Agency', 'b2b');
  await addLead('lead-ava', 'ava@example.com', 'Ava Smith');
  await addLead('lead-ben', 'ben@example.com', 'Ben Jones');
});
afterAll(() => t.close());

describe('creating deals', () => {
  it('creates a deal with sensible defaults: first open stage, USD, owner = creator, bottom of the column', async () => {
    const deal = await createDeal(editor, {
      name: '  Cosmetics set - Ava Smith ',
      valueMinor: 25_000,
      pipelineId: shop.id,
      leadId: 'lead-ava',
    });
    expect(deal).toMatchObject({
      name: 'Cosmetics set - Ava Smith',
      valueMinor: 25_000,
      currency: 'USD',
      pipelineId: shop.id,
      stageId: stageNamed(shop, 'Lead generation').id,
      leadId: 'lead-ava',
      ownerId: editorId,
      status: 'open',
      closedAt: null,
      lostReason: null,
      createdAt: t.clock.now(),
      stageEnteredAt: t.clock.now(),
    });
    expect(deal.history).toEqual([
      expect.objectContaining({ fromStageId: null, toStageId: deal.stageId, msInFromStage: null, movedBy: editorId }),
    ]);
    const second = await createDeal(owner, {
      name: 'Second',
      pipelineId: shop.id,
      currency: 'eur',
      ownerId: null,
      expectedCloseAt: Date.UTC(2027, 0, 31),
      notes: 'Call back',
    });
    expect(second).toMatchObject({
      valueMinor: 0,
      currency: 'EUR',
      ownerId: null,
      expectedCloseAt: Date.UTC(2027, 0, 31),
      notes: 'Call back',
    });
    expect(second.position).toBeGreaterThan(deal.position);
    const top = await createDeal(owner, { name: 'Top', pipelineId: shop.id, position: 0, ownerId: editorId });
    expect(top.position).toBeLessThan(deal.position);
    expect(top.ownerId).toBe(editorId);
  });

  it('creates a deal straight into a later stage, or a closed one (lost needs a reason)', async () => {
    const qualified = await createDeal(owner, {
      name: 'Qualified',
      valueMinor: 1,
      pipelineId: shop.id,
      stageId: stageNamed(shop, 'Lead qualification').id,
    });
    expect(qualified.status).toBe('open');
    const won = await createDeal(owner, { name: 'Won', valueMinor: 1, pipelineId: shop.id, stageId: stageNamed(shop, 'Closed won').id });
    expect(won).toMatchObject({ status: 'won', closedAt: t.clock.now() });
    const noReason = await owner.rpc.api.deals.$post({
      json: { name: 'Lost', pipelineId: shop.id, stageId: stageNamed(shop, 'Closed lost').id },
    });
    expect((await errorOf(noReason)).fields).toEqual([expect.objectContaining({ path: 'lostReason' })]);
    const lost = await createDeal(owner, {
      name: 'Lost',
      pipelineId: shop.id,
      stageId: stageNamed(shop, 'Closed lost').id,
      lostReason: 'Chose a competitor',
    });
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'Chose a competitor', closedAt: t.clock.now() });
  });

  it('validates every field', async () => {
    const base = { name: 'Valid', valueMinor: 100, pipelineId: shop.id };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, name: '' }, 'name'],
      [{ ...base, name: '   ' }, 'name'],
      [{ ...base, name: 'x'.repeat(201) }, 'name'],
      [{ ...base, valueMinor: -1 }, 'valueMinor'],
      [{ ...base, valueMinor: 1.5 }, 'valueMinor'],
      [{ ...base, valueMinor: 1e13 + 1 }, 'valueMinor'],
      [{ ...base, valueMinor: '100' }, 'valueMinor'],
      [{ ...base, currency: 'US' }, 'currency'],
      [{ ...base, currency: 'US$' }, 'currency'],
      [{ ...base, expectedCloseAt: '2027-01-31' }, 'expectedCloseAt'],
      [{ ...base, expectedCloseAt: -5 }, 'expectedCloseAt'],
      [{ ...base, notes: 'x'.repeat(10_001) }, 'notes'],
      [{ ...base, attribution: { source: 42 } }, 'attribution.source'],
      [{ name: 'No pipeline' }, 'pipelineId'],
      [{ ...base, position: -1 }, 'position'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.post('/api/deals', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(
        (await errorOf(res)).fields?.map((f) => f.path),
        JSON.stringify(body).slice(0, 80),
      ).toContain(field);
    }
    expect((await createDeal(owner, { ...base, valueMinor: 1e13, notes: 'x'.repeat(10_000) })).valueMinor).toBe(1e13);
  });

  it('checks references: pipeline, stage, lead, owner and funnel must be this workspace’s', async () => {
    const stranger = t.client();
    const { workspaceId: theirWs } = await stranger.signup('stranger@deals.test');
    await addLead('lead-theirs', 'theirs@example.com', 'Not Yours', theirWs);
    const theirPipe = await createPipeline(stranger, 'Theirs', 'blank');

    expect((await owner.rpc.api.deals.$post({ json: { name: 'X', pipelineId: theirPipe.id } })).status).toBe(404);
    const wrongStage = await owner.rpc.api.deals.$post({ json: { name: 'X', pipelineId: shop.id, stageId: other.stages[0]!.id } });
    expect((await errorOf(wrongStage)).fields?.[0]?.path).toBe('stageId');
    const refs = await owner.rpc.api.deals.$post({
      json: {
        name: 'X',
        pipelineId: shop.id,
        leadId: 'lead-theirs',
        ownerId: 'no-such-user',
        sourceFunnelId: 'nope',
      },
    });
    expect(refs.status).toBe(400);
    const err = await errorOf(refs);
    expect(err.fields?.map((f) => f.path)).toEqual(['leadId', 'ownerId', 'sourceFunnelId']);
    expect(JSON.stringify(err)).not.toContain('Not Yours');
  });

  it('keeps at most one open deal per lead per pipeline', async () => {
    await addLead('lead-once', 'once@example.com', 'Once');
    await createDeal(owner, { name: 'First', pipelineId: shop.id, leadId: 'lead-once' });
    const again = await owner.rpc.api.deals.$post({ json: { name: 'Again', pipelineId: shop.id, leadId: 'lead-once' } });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('open_deal_exists');
    // Another pipeline, or a closed deal, is fine.
    await createDeal(owner, { name: 'Elsewhere', pipelineId: other.id, leadId: 'lead-once' });
    await createDeal(owner, { name: 'Old win', pipelineId: shop.id, leadId: 'lead-once', stageId: stageNamed(shop, 'Closed won').id });
  });
});

describe('reading, editing and deleting deals', () => {
  it('lists deals newest first with filters and a stable cursor', async () => {
    const pipe = await createPipeline(owner, 'Listing', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    const qual = stageNamed(pipe, 'Lead qualification');
    const made: DealBody[] = [];
    for (let i = 0; i < 7; i++) {
      t.clock.advance(1000);
      made.push(
        await createDeal(owner, {
          name: i === 3 ? 'Skincare 100%_off' : `Deal ${i}`,
          valueMinor: i,
          pipelineId: pipe.id,
          stageId: i % 2 ? qual.id : gen.id,
          ownerId: i < 2 ? editorId : ownerId,
          leadId: i === 5 ? 'lead-ben' : undefined,
        }),
      );
    }
    await json(
      await owner.rpc.api.deals[':id'].move.$post({
        param: { id: made[6]!.id },
        json: { stageId: stageNamed(pipe, 'Closed lost').id, lostReason: 'No budget' },
      }),
      200,
    );
    await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: made[4]!.id }, json: { stageId: stageNamed(pipe, 'Closed won').id } }),
      200,
    );

    const names = async (query: Omit<DealQuery, 'pipeline'>) =>
      (await json(await viewer.rpc.api.deals.$get({ query: { pipeline: pipe.id, ...query } }), 200)).deals.map((d) => d.name);
    expect(await names({})).toEqual(['Deal 6', 'Deal 5', 'Deal 4', 'Skincare 100%_off', 'Deal 2', 'Deal 1', 'Deal 0']);
    expect(await names({ stage: qual.id })).toEqual(['Deal 5', 'Skincare 100%_off', 'Deal 1']);
    expect(await names({ owner: editorId })).toEqual(['Deal 1', 'Deal 0']);
    expect(await names({ lead: 'lead-ben' })).toEqual(['Deal 5']);
    expect(await names({ status: 'open' })).toEqual(['Deal 5', 'Skincare 100%_off', 'Deal 2', 'Deal 1', 'Deal 0']);
    expect(await names({ status: 'won' })).toEqual(['Deal 4']);
    expect(await names({ status: 'lost' })).toEqual(['Deal 6']);
    expect(await names({ q: 'SKINCARE' })).toEqual(['Skincare 100%_off']);
    // % and _ match only themselves; the lead's name and email are searched too.
    expect(await names({ q: '%' })).toEqual(['Skincare 100%_off']);
    expect(await names({ q: '0%_o' })).toEqual(['Skincare 100%_off']);
    expect(await names({ q: '0_' })).toEqual([]);
    expect(await names({ q: 'ben jones' })).toEqual(['Deal 5']);
    expect(await names({ q: 'ben@example' })).toEqual(['Deal 5']);

    const first = await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipe.id, limit: '3' } }), 200);
    expect(first.deals.map((d) => d.name)).toEqual(['Deal 6', 'Deal 5', 'Deal 4']);
    expect(first.deals[0]).toMatchObject({ status: 'lost', stageName: 'Closed lost' });
    const second = await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipe.id, limit: '3', cursor: first.nextCursor! } }), 200);
    expect(second.deals.map((d) => d.name)).toEqual(['Skincare 100%_off', 'Deal 2', 'Deal 1']);
    const third = await json(await owner.rpc.api.deals.$get({ query: { pipeline: pipe.id, limit: '3', cursor: second.nextCursor! } }), 200);
    expect(third).toMatchObject({ deals: [expect.objectContaining({ name: 'Deal 0' })], nextCursor: null });

    for (const q of ['limit=0', 'limit=201', 'status=closed', `q=${'x'.repeat(201)}`])
      expect((await owner.get(`/api/deals?${q}`)).status, q).toBe(400);
    // Without a pipeline filter the whole workspace is listed.
    const all = await json(await owner.rpc.api.deals.$get({ query: { limit: '200' } }), 200);
    expect(all.deals.length).toBeGreaterThan(7);
    expect(all.deals.every((d) => typeof d.status === 'string')).toBe(true);
  });

  it('reads one deal with its stage history, newest move first', async () => {
    const deal = await createDeal(owner, { name: 'History', valueMinor: 10, pipelineId: shop.id });
    t.clock.advance(3 * DAY);
    await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: stageNamed(shop, 'Browse abandonment').id } }),
      200,
    );
    t.clock.advance(DAY);
    await json(
      await editor.rpc.api.deals[':id'].move.$post({
        param: { id: deal.id },
        json: { stageId: stageNamed(shop, 'Checkout abandonment').id },
      }),
      200,
    );
    const read = await json(await viewer.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200);
    expect(read.stage).toMatchObject({ name: 'Checkout abandonment', winProbability: 60 });
    expect(read.history?.map((h) => [h.fromStageId, h.toStageId, h.msInFromStage, h.movedBy])).toEqual([
      [stageNamed(shop, 'Browse abandonment').id, stageNamed(shop, 'Checkout abandonment').id, DAY, editorId],
      [stageNamed(shop, 'Lead generation').id, stageNamed(shop, 'Browse abandonment').id, 3 * DAY, ownerId],
      [null, stageNamed(shop, 'Lead generation').id, null, ownerId],
    ]);
    expect((await owner.rpc.api.deals[':id'].$get({ param: { id: '01NOSUCHDEAL' } })).status).toBe(404);
  });

  it('edits fields, refuses stage changes through PATCH and lost reasons on open deals', async () => {
    const deal = await createDeal(owner, { name: 'Edit me', valueMinor: 10, pipelineId: shop.id, leadId: 'lead-ben' });
    t.clock.advance(1000);
    const edited = await json(
      await editor.rpc.api.deals[':id'].$patch({
        param: { id: deal.id },
        json: {
          name: 'Edited',
          valueMinor: 999,
          currency: 'gbp',
          notes: null,
          expectedCloseAt: Date.UTC(2027, 5, 1),
          ownerId: editorId,
          leadId: null,
        },
      }),
      200,
    );
    expect(edited).toMatchObject({
      name: 'Edited',
      valueMinor: 999,
      currency: 'GBP',
      notes: null,
      expectedCloseAt: Date.UTC(2027, 5, 1),
      ownerId: editorId,
      leadId: null,
    });
    expect(edited.stageId).toBe(deal.stageId);
    // Untouched fields stay.
    const partial = await json(await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { notes: 'Prefers email' } }), 200);
    expect(partial).toMatchObject({ name: 'Edited', valueMinor: 999, notes: 'Prefers email' });

    const viaPatch = await owner.request(`/api/deals/${deal.id}`, {
      method: 'PATCH',
      json: { stageId: stageNamed(shop, 'Closed won').id },
    });
    expect((await errorOf(viaPatch)).fields?.[0]).toMatchObject({ path: 'stageId', message: expect.stringContaining('/move') });
    const reason = await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { lostReason: 'Nope' } });
    expect((await errorOf(reason)).fields?.[0]?.path).toBe('lostReason');
    for (const body of [{ valueMinor: -3 }, { currency: 'DOLLAR' }, { name: '' }, { ownerId: 'someone-else' }]) {
      expect((await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: body })).status, JSON.stringify(body)).toBe(400);
    }

    // A lost deal's reason can be corrected, not emptied.
    await json(
      await owner.rpc.api.deals[':id'].move.$post({
        param: { id: deal.id },
        json: { stageId: stageNamed(shop, 'Closed lost').id, lostReason: 'Price' },
      }),
      200,
    );
    const corrected = await json(
      await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { lostReason: 'Price too high' } }),
      200,
    );
    expect(corrected.lostReason).toBe('Price too high');
    expect((await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { lostReason: ' ' } })).status).toBe(400);
  });

  it('files a deal under its lead’s first-touch source, else its own attribution, and keeps that current on edits', async () => {
    const now = t.clock.now();
    await t.database.db
      .insert(leads)
      .values({ id: 'lead-news', workspaceId, email: 'news@example.com', source: 'newsletter', createdAt: now, updatedAt: now });
    const deal = await json(
      await owner.rpc.api.deals.$post({
        json: { name: 'Sourced', pipelineId: other.id, attribution: { source: 'instagram', campaign: 'spring' } },
      }),
      201,
    );
    expect(deal.source).toBe('instagram');
    const edited = await json(
      await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { attribution: { source: 'google' } } }),
      200,
    );
    expect(edited.source).toBe('google');
    const linked = await json(await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { leadId: 'lead-news' } }), 200);
    expect(linked.source).toBe('newsletter');
    // The lead's source still wins when only the attribution changes.
    expect((await json(await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { attribution: {} } }), 200)).source).toBe(
      'newsletter',
    );
    const unlinked = await json(await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { leadId: null } }), 200);
    expect(unlinked.source).toBe('');
    // Other edits leave it alone.
    expect((await json(await owner.rpc.api.deals[':id'].$patch({ param: { id: deal.id }, json: { notes: 'x' } }), 200)).source).toBe('');
  });

  it('deletes a deal and its history', async () => {
    const deal = await createDeal(owner, { name: 'Delete me', pipelineId: shop.id });
    expect((await editor.rpc.api.deals[':id'].$delete({ param: { id: deal.id } })).status).toBe(204);
    expect((await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } })).status).toBe(404);
    expect((await owner.rpc.api.deals[':id'].$delete({ param: { id: deal.id } })).status).toBe(404);
    const rows = await t.database.client.execute({
      sql: 'select count(*) as n from deal_stage_history where deal_id = ?',
      args: [deal.id],
    });
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });
});

describe('moving deals', () => {
  it('moves between stages and within a column, recording each stage change once', async () => {
    const pipe = await createPipeline(owner, 'Moves', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    const qual = stageNamed(pipe, 'Lead qualification');
    const [a, b, c] = [
      await createDeal(owner, { name: 'A', pipelineId: pipe.id }),
      await createDeal(owner, { name: 'B', pipelineId: pipe.id }),
      await createDeal(owner, { name: 'C', pipelineId: pipe.id }),
    ];
    const column = async (stageId: string) =>
      (await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200)).columns
        .find((col) => col.stage.id === stageId)!
        .deals.map((d) => d.name);
    expect(await column(gen.id)).toEqual(['A', 'B', 'C']);

    // Within the column: C to the top, then A to the middle.
    const reordered = await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: c.id }, json: { stageId: gen.id, position: 0 } }),
      200,
    );
    expect(reordered).toMatchObject({ stageId: gen.id, status: 'open' });
    await json(await owner.rpc.api.deals[':id'].move.$post({ param: { id: a.id }, json: { stageId: gen.id, position: 1 } }), 200);
    expect(await column(gen.id)).toEqual(['C', 'A', 'B']);
    // Past the end means the bottom.
    await json(await owner.rpc.api.deals[':id'].move.$post({ param: { id: c.id }, json: { stageId: gen.id, position: 99 } }), 200);
    expect(await column(gen.id)).toEqual(['A', 'B', 'C']);

    t.clock.advance(DAY);
    const moved = await json(await editor.rpc.api.deals[':id'].move.$post({ param: { id: b.id }, json: { stageId: qual.id } }), 200);
    expect(moved).toMatchObject({ stageId: qual.id, stageEnteredAt: t.clock.now(), stage: { name: 'Lead qualification' } });
    await json(await owner.rpc.api.deals[':id'].move.$post({ param: { id: a.id }, json: { stageId: qual.id, position: 0 } }), 200);
    expect(await column(qual.id)).toEqual(['A', 'B']);
    expect(await column(gen.id)).toEqual(['C']);
    const history = (await json(await owner.rpc.api.deals[':id'].$get({ param: { id: c.id } }), 200)).history;
    expect(history).toHaveLength(1); // reorders within a column are not stage changes
  });

  it('keeps the column order when repeated moves use up the gaps between positions', async () => {
    const pipe = await createPipeline(owner, 'Crowded column', 'blank');
    const stageId = pipe.stages[0]!.id;
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push((await createDeal(owner, { name: `N${i}`, pipelineId: pipe.id })).name);
    const ids = new Map<string, string>();
    for (const col of (await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200)).columns)
      for (const d of col.deals) ids.set(d.name, d.id);
    // Always slotting the bottom deal in at index 1 halves the same gap each time: 1024 → … → 1, then a renumber.
    for (let i = 0; i < 24; i++) {
      const moved = order.pop()!;
      order.splice(1, 0, moved);
      await json(await owner.rpc.api.deals[':id'].move.$post({ param: { id: ids.get(moved)! }, json: { stageId, position: 1 } }), 200);
    }
    const column = (await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200)).columns[0]!;
    expect(column.deals.map((d) => d.name)).toEqual(order);
    const positions = await t.database.client.execute({
      sql: 'select count(distinct position) as n from deals where stage_id = ?',
      args: [stageId],
    });
    expect(Number(positions.rows[0]!.n)).toBe(order.length);
  });

  it('needs a lost reason to lose a deal, sets the close time, and clears both on reopening', async () => {
    const deal = await createDeal(owner, { name: 'Closer', valueMinor: 5, pipelineId: shop.id });
    const lost = stageNamed(shop, 'Closed lost');
    const noReason = await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: lost.id } });
    expect(noReason.status).toBe(400);
    expect((await errorOf(noReason)).fields).toEqual([expect.objectContaining({ path: 'lostReason' })]);
    expect(
      (await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: lost.id, lostReason: '   ' } })).status,
    ).toBe(400);

    t.clock.advance(1000);
    const closed = await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: lost.id, lostReason: 'Unsubscribed' } }),
      200,
    );
    expect(closed).toMatchObject({ status: 'lost', lostReason: 'Unsubscribed', closedAt: t.clock.now() });
    const closedAt = closed.closedAt;

    t.clock.advance(1000);
    const reopened = await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: stageNamed(shop, 'Lead qualification').id } }),
      200,
    );
    expect(reopened).toMatchObject({ status: 'open', lostReason: null, closedAt: null });

    // Won, then post-purchase: the close time of the win stays.
    t.clock.advance(1000);
    const won = await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: stageNamed(shop, 'Closed won').id } }),
      200,
    );
    expect(won.closedAt).toBe(t.clock.now());
    expect(won.closedAt).not.toBe(closedAt);
    t.clock.advance(DAY);
    const after = await json(
      await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: stageNamed(shop, 'Post-purchase').id } }),
      200,
    );
    expect(after).toMatchObject({ status: 'won', closedAt: won.closedAt });
  });

  it('refuses bad moves', async () => {
    const deal = await createDeal(owner, { name: 'Stays', pipelineId: shop.id });
    const foreign = await owner.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: other.stages[1]!.id } });
    expect((await errorOf(foreign)).fields?.[0]?.path).toBe('stageId');
    // A stage of another workspace's pipeline is just as foreign.
    const stranger = t.client();
    await stranger.signup('stages@elsewhere.test');
    const theirs = await createPipeline(stranger, 'Their shop', 'b2c');
    const elsewhere = await owner.rpc.api.deals[':id'].move.$post({
      param: { id: deal.id },
      json: { stageId: theirs.stages[1]!.id, position: 0 },
    });
    expect((await errorOf(elsewhere)).fields?.[0]?.path).toBe('stageId');
    for (const body of [
      {},
      { stageId: '' },
      { stageId: shop.stages[1]!.id, position: -1 },
      { stageId: shop.stages[1]!.id, position: 'top' },
    ]) {
      expect((await owner.post(`/api/deals/${deal.id}/move`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await owner.rpc.api.deals[':id'].move.$post({ param: { id: '01NOSUCHDEAL' }, json: { stageId: shop.stages[1]!.id } })).status,
    ).toBe(404);
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200)).stageId).toBe(shop.stages[0]!.id);
  });
});

describe('roles and tenants', () => {
  it('lets viewers read deals but not change them', async () => {
    const deal = await createDeal(owner, { name: 'Viewer sees', pipelineId: shop.id });
    expect((await viewer.rpc.api.deals[':id'].$get({ param: { id: deal.id } })).status).toBe(200);
    expect((await viewer.rpc.api.deals.$get({ query: {} })).status).toBe(200);
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/deals', { name: 'Mine', pipelineId: shop.id }],
      ['PATCH', `/api/deals/${deal.id}`, { name: 'Mine' }],
      ['POST', `/api/deals/${deal.id}/move`, { stageId: shop.stages[1]!.id }],
      ['DELETE', `/api/deals/${deal.id}`],
    ];
    for (const [method, path, body] of writes) {
      const res = await viewer.request(path, { method, json: body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200)).name).toBe('Viewer sees');
  });

  it('reports another workspace’s deals as not found and never lists them', async () => {
    const deal = await createDeal(owner, {
      name: 'Secret deal',
      valueMinor: 424_242,
      pipelineId: other.id,
      leadId: 'lead-ava',
      stageId: other.stages[1]!.id,
    });
    const stranger = t.client();
    await stranger.signup('nosy@elsewhere.test');
    const probes: Array<[string, string, unknown?]> = [
      ['GET', `/api/deals/${deal.id}`],
      ['PATCH', `/api/deals/${deal.id}`, { name: 'Stolen' }],
      ['POST', `/api/deals/${deal.id}/move`, { stageId: other.stages[2]!.id }],
      ['DELETE', `/api/deals/${deal.id}`],
      ['POST', '/api/deals', { name: 'Into theirs', pipelineId: shop.id }],
    ];
    for (const [method, path, body] of probes) {
      const res = await stranger.request(path, { method, json: body });
      const text = await res.text();
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(text).not.toMatch(/Secret|424242|Ava/);
    }
    for (const query of [{ pipeline: other.id }, { lead: 'lead-ava' }, { stage: other.stages[1]!.id }, { q: 'secret' }, {}]) {
      const page = await json(await stranger.rpc.api.deals.$get({ query }), 200);
      expect(page.deals, JSON.stringify(query)).toEqual([]);
    }
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } }), 200)).name).toBe('Secret deal');
  });
});

describe('webhook outbox on moves', () => {
  it('writes one delivery per subscribed, enabled endpoint of the workspace with each stage change, none for a reorder', async () => {
    const dispatched: string[] = [];
    const w = await createTestApp({ webhooks: { dispatch: async (ids) => void dispatched.push(...ids) } });
    try {
      const boss = w.client();
      const { workspaceId: ws } = await boss.signup('boss@hooks.test');
      const stranger = w.client();
      const { workspaceId: theirWs } = await stranger.signup('stranger@hooks.test');
      const pipe = await createPipeline(boss, 'Hooked', 'b2c');
      const now = w.clock.now();
      const endpoint = (id: string, workspace: string, events: string[], enabled = true) => ({
        id,
        workspaceId: workspace,
        url: `https://hooks.example.com/${id}`,
        secret: 'whsec_test',
        events: events as never,
        enabled,
        createdAt: now,
        updatedAt: now,
      });
      await w.database.db
        .insert(webhookEndpoints)
        .values([
          endpoint('ep-moves', ws, ['deal.stage_changed', 'deal.won']),
          endpoint('ep-created', ws, ['deal.created']),
          endpoint('ep-off', ws, ['deal.stage_changed', 'deal.won'], false),
          endpoint('ep-theirs', theirWs, ['deal.stage_changed', 'deal.won']),
        ]);
      const deal = await createDeal(boss, { name: 'Hooked deal', valueMinor: 25_000, pipelineId: pipe.id });
      const delivered = async () =>
        (await w.database.db.select().from(webhookDeliveries).orderBy(webhookDeliveries.eventType)).map((d) => [d.endpointId, d.eventType]);
      expect(await delivered()).toEqual([['ep-created', 'deal.created']]);
      dispatched.length = 0;
      await w.database.db.delete(webhookDeliveries);

      await json(await boss.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: deal.stageId, position: 0 } }), 200);
      expect(await delivered()).toEqual([]);
      await json(
        await boss.rpc.api.deals[':id'].move.$post({
          param: { id: deal.id },
          json: { stageId: stageNamed(pipe, 'Lead qualification').id },
        }),
        200,
      );
      expect(await delivered()).toEqual([['ep-moves', 'deal.stage_changed']]);
      await json(
        await boss.rpc.api.deals[':id'].move.$post({
          param: { id: deal.id },
          json: { stageId: stageNamed(pipe, 'Closed won').id, position: 0 },
        }),
        200,
      );
      const rows = await w.database.db.select().from(webhookDeliveries);
      expect(rows.map((r) => [r.endpointId, r.eventType]).sort()).toEqual([
        ['ep-moves', 'deal.stage_changed'],
        ['ep-moves', 'deal.stage_changed'],
        ['ep-moves', 'deal.won'],
      ]);
      const won = rows.filter((r) => JSON.parse(r.payload).data.toStage.kind === 'won');
      expect(won).toHaveLength(2);
      expect(JSON.parse(won[0]!.payload).data).toMatchObject({
        deal: { id: deal.id, closedAt: w.clock.now() },
        fromStage: { name: 'Lead qualification' },
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(dispatched.sort()).toEqual(rows.map((r) => r.id).sort());
    } finally {
      w.close();
    }
  });
});
