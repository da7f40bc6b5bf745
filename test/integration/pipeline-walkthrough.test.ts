/**
 * The source article's CRM walk-through (steps 4–7, see ../shared/seed/README.md), through the API:
 * create "Demo B2C e-commerce pipeline - 1", define its deal stages and closing stages, move
 * Post-purchase to the last position, add "Cosmetics set - Ava Smith" for $250 in Lead generation,
 * move the deal along and watch the board's totals and weighted values follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, json, stageNamed, type BoardBody, type PipelineBody } from '../support/pipeline';

const NAME = 'Demo B2C e-commerce pipeline - 1';
const HOUR = 60 * 60 * 1000;

let t: TestApp;
let shop: TestClient;
let pipeline: PipelineBody;

beforeAll(async () => {
  t = await createTestApp();
  shop = t.client();
  await shop.signup('owner@demo-shop.test', 'correct horse battery', 'Olivia', { workspaceName: 'Demo Shop' });
});
afterAll(() => t.close());

const board = async () => json(await shop.rpc.api.pipelines[':id'].board.$get({ param: { id: pipeline.id }, query: {} }), 200);
const column = (b: BoardBody, name: string) => b.columns.find((c) => c.stage.name === name)!;
const usd = (c: { totals: BoardBody['totals'] }) =>
  c.totals.find((x) => x.currency === 'USD') ?? { count: 0, valueMinor: 0, weightedValueMinor: 0 };

describe('the article walk-through', () => {
  it('step 4–5: creates the pipeline, defines its deal stages and closing stages, moves Post-purchase to the last position', async () => {
    pipeline = await json(await shop.rpc.api.pipelines.$post({ json: { name: NAME, template: 'blank' } }), 201);
    expect(pipeline.name).toBe(NAME);
    // The closing stages come with every pipeline and keep their names; the open one is ours to rename.
    expect(pipeline.stages.map((s) => s.name)).toEqual(['New', 'Closed won', 'Closed lost']);
    const first = pipeline.stages[0]!;
    await json(
      await shop.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
        param: { id: pipeline.id, stageId: first.id },
        json: { name: 'Lead generation', winProbability: 10, rottingDays: 14 },
      }),
      200,
    );
    for (const stage of [
      { name: 'Lead qualification', winProbability: 25, rottingDays: 14 },
      { name: 'Browse abandonment', winProbability: 35, rottingDays: 7 },
      { name: 'Checkout abandonment', winProbability: 60, rottingDays: 3 },
      { name: 'Post-purchase', kind: 'won' as const },
    ]) {
      await json(await shop.rpc.api.pipelines[':id'].stages.$post({ param: { id: pipeline.id }, json: stage }), 201);
    }
    pipeline = await json(await shop.rpc.api.pipelines[':id'].$get({ param: { id: pipeline.id } }), 200);
    // New stages go in before the closing stages, as in HubSpot's editor…
    expect(pipeline.stages.map((s) => s.name)).toEqual([
      'Lead generation',
      'Lead qualification',
      'Browse abandonment',
      'Checkout abandonment',
      'Post-purchase',
      'Closed won',
      'Closed lost',
    ]);
    // …so, as the article does in "edit pipeline", Post-purchase moves to the last position.
    const ids = pipeline.stages.map((s) => s.id);
    const postPurchase = stageNamed(pipeline, 'Post-purchase').id;
    pipeline = await json(
      await shop.rpc.api.pipelines[':id'].stages.order.$put({
        param: { id: pipeline.id },
        json: { stageIds: [...ids.filter((id) => id !== postPurchase), postPurchase] },
      }),
      200,
    );
    expect(pipeline.stages.map((s) => [s.name, s.kind, s.winProbability, s.position])).toEqual([
      ['Lead generation', 'open', 10, 0],
      ['Lead qualification', 'open', 25, 1],
      ['Browse abandonment', 'open', 35, 2],
      ['Checkout abandonment', 'open', 60, 3],
      ['Closed won', 'won', 100, 4],
      ['Closed lost', 'lost', 0, 5],
      ['Post-purchase', 'won', 100, 6],
    ]);
    // Closed won stays the pipeline's named won stage; Post-purchase is a second won stage.
    expect(pipeline.wonStageId).toBe(stageNamed(pipeline, 'Closed won').id);
    expect(pipeline.lostStageId).toBe(stageNamed(pipeline, 'Closed lost').id);
  });

  it('gets the same pipeline in one step from the B2C template, under the article’s name', async () => {
    const other = t.client();
    await other.signup('second@demo-shop.test');
    const templated = await json(await other.rpc.api.pipelines.$post({ json: { name: NAME, template: 'b2c' } }), 201);
    expect(templated.name).toBe(NAME);
    const shape = (p: PipelineBody) => p.stages.map((s) => [s.name, s.kind, s.winProbability, s.rottingDays]);
    expect(shape(templated)).toEqual(shape(pipeline));
    expect(templated.stages.map((s) => s.name)).toEqual(PIPELINE_TEMPLATES.b2c.stages.map((s) => s.name));
  });

  it('step 6–7: adds "Cosmetics set - Ava Smith" for $250 in Lead generation, moves it, and the board follows', async () => {
    const empty = await board();
    expect(empty.count).toBe(0);
    expect(empty.totals).toEqual([]);

    const ava = await createDeal(shop, {
      name: 'Cosmetics set - Ava Smith',
      valueMinor: 25_000,
      currency: 'usd',
      pipelineId: pipeline.id,
      stageId: stageNamed(pipeline, 'Lead generation').id,
    });
    expect(ava).toMatchObject({ valueMinor: 25_000, currency: 'USD', status: 'open' });
    // "The pipeline is then shown with the deal in it."
    let b = await board();
    expect(b.columns.map((c) => c.stage.name)).toEqual(pipeline.stages.map((s) => s.name));
    expect(column(b, 'Lead generation').deals).toEqual([
      expect.objectContaining({ name: 'Cosmetics set - Ava Smith', valueMinor: 25_000, currency: 'USD', rotting: false }),
    ]);
    expect(usd(column(b, 'Lead generation'))).toEqual({ currency: 'USD', count: 1, valueMinor: 25_000, weightedValueMinor: 2_500 });
    expect(b.totals).toEqual([{ currency: 'USD', count: 1, valueMinor: 25_000, weightedValueMinor: 2_500 }]);

    // An already-qualified lead can go straight to a later stage.
    await createDeal(shop, {
      name: 'Cosmetics set - Noah Brown',
      valueMinor: 25_000,
      pipelineId: pipeline.id,
      stageId: stageNamed(pipeline, 'Lead qualification').id,
    });
    b = await board();
    expect(b.totals).toEqual([{ currency: 'USD', count: 2, valueMinor: 50_000, weightedValueMinor: 2_500 + 6_250 }]);

    // Move the deal as it progresses: Lead generation → Lead qualification (top of the column).
    t.clock.advance(2 * HOUR);
    await json(
      await shop.rpc.api.deals[':id'].move.$post({
        param: { id: ava.id },
        json: { stageId: stageNamed(pipeline, 'Lead qualification').id, position: 0 },
      }),
      200,
    );
    b = await board();
    expect(column(b, 'Lead generation')).toMatchObject({ count: 0, deals: [], totals: [] });
    expect(column(b, 'Lead qualification').deals.map((d) => d.name)).toEqual(['Cosmetics set - Ava Smith', 'Cosmetics set - Noah Brown']);
    expect(usd(column(b, 'Lead qualification'))).toEqual({ currency: 'USD', count: 2, valueMinor: 50_000, weightedValueMinor: 12_500 });
    expect(b.totals).toEqual([{ currency: 'USD', count: 2, valueMinor: 50_000, weightedValueMinor: 12_500 }]);

    // Browsed but did not buy → Browse abandonment, then the cart → Checkout abandonment.
    await json(
      await shop.rpc.api.deals[':id'].move.$post({
        param: { id: ava.id },
        json: { stageId: stageNamed(pipeline, 'Browse abandonment').id },
      }),
      200,
    );
    await json(
      await shop.rpc.api.deals[':id'].move.$post({
        param: { id: ava.id },
        json: { stageId: stageNamed(pipeline, 'Checkout abandonment').id },
      }),
      200,
    );
    b = await board();
    expect(usd(column(b, 'Checkout abandonment'))).toEqual({ currency: 'USD', count: 1, valueMinor: 25_000, weightedValueMinor: 15_000 });
    expect(b.totals[0]!.weightedValueMinor).toBe(15_000 + 6_250);

    // Closed lost needs a reason (the article: unsubscribed without buying); nothing moves without one.
    const lost = stageNamed(pipeline, 'Closed lost').id;
    const refused = await shop.rpc.api.deals[':id'].move.$post({ param: { id: ava.id }, json: { stageId: lost } });
    expect(refused.status).toBe(400);
    expect((await errorOf(refused)).fields).toEqual([expect.objectContaining({ path: 'lostReason' })]);
    expect(usd(column(await board(), 'Checkout abandonment')).count).toBe(1);

    t.clock.advance(HOUR);
    const closed = await json(
      await shop.rpc.api.deals[':id'].move.$post({
        param: { id: ava.id },
        json: { stageId: lost, lostReason: 'Unsubscribed from the newsletter without buying' },
      }),
      200,
    );
    expect(closed).toMatchObject({
      status: 'lost',
      closedAt: t.clock.now(),
      lostReason: 'Unsubscribed from the newsletter without buying',
    });
    b = await board();
    expect(usd(column(b, 'Closed lost'))).toEqual({ currency: 'USD', count: 1, valueMinor: 25_000, weightedValueMinor: 0 });
    expect(b.totals).toEqual([{ currency: 'USD', count: 2, valueMinor: 50_000, weightedValueMinor: 6_250 }]);
    // Managers find out why deals were lost.
    const stats = await json(await shop.rpc.api.pipelines[':id'].stats.$get({ param: { id: pipeline.id }, query: {} }), 200);
    expect(stats.lostReasons).toEqual([{ reason: 'Unsubscribed from the newsletter without buying', count: 1 }]);

    // She comes back: reopening clears the close time and the reason.
    const reopened = await json(
      await shop.rpc.api.deals[':id'].move.$post({
        param: { id: ava.id },
        json: { stageId: stageNamed(pipeline, 'Checkout abandonment').id },
      }),
      200,
    );
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, lostReason: null });

    // She buys: Closed won, then Post-purchase (still won, same close time).
    t.clock.advance(HOUR);
    const won = await json(
      await shop.rpc.api.deals[':id'].move.$post({ param: { id: ava.id }, json: { stageId: stageNamed(pipeline, 'Closed won').id } }),
      200,
    );
    expect(won).toMatchObject({ status: 'won', closedAt: t.clock.now() });
    t.clock.advance(24 * HOUR);
    const after = await json(
      await shop.rpc.api.deals[':id'].move.$post({ param: { id: ava.id }, json: { stageId: stageNamed(pipeline, 'Post-purchase').id } }),
      200,
    );
    expect(after).toMatchObject({ status: 'won', closedAt: won.closedAt });
    b = await board();
    expect(usd(column(b, 'Post-purchase'))).toEqual({ currency: 'USD', count: 1, valueMinor: 25_000, weightedValueMinor: 25_000 });
    expect(b.totals).toEqual([{ currency: 'USD', count: 2, valueMinor: 50_000, weightedValueMinor: 25_000 + 6_250 }]);

    // Every stage change is on record, newest first.
    const history = (await json(await shop.rpc.api.deals[':id'].$get({ param: { id: ava.id } }), 200)).history;
    const stageName = (id: string | null) => (id ? pipeline.stages.find((s) => s.id === id)!.name : null);
    expect(history.map((h) => [stageName(h.fromStageId), stageName(h.toStageId)])).toEqual([
      ['Closed won', 'Post-purchase'],
      ['Checkout abandonment', 'Closed won'],
      ['Closed lost', 'Checkout abandonment'],
      ['Checkout abandonment', 'Closed lost'],
      ['Browse abandonment', 'Checkout abandonment'],
      ['Lead qualification', 'Browse abandonment'],
      ['Lead generation', 'Lead qualification'],
      [null, 'Lead generation'],
    ]);
  });
});
