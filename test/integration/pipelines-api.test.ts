import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { funnels, pipelines, qualificationRules } from '../../db/schema';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, member, stageNamed, type ColumnPageBody, type PipelineBody } from '../support/pipeline';

const DAY = 24 * 60 * 60 * 1000;

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let workspaceId: string;
let editor: TestClient;
let viewer: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({
    workspaceId,
    user: { id: ownerId },
  } = await owner.signup('owner@pipes.test', 'correct horse battery', 'Olivia', { workspaceName: 'Pipes' }));
  editor = (await member(t, owner, 'editor', 'editor@pipes.test')).client;
  viewer = (await member(t, owner, 'viewer', 'viewer@pipes.test')).client;
});
afterAll(() => t.close());

describe('pipelines', () => {
  it('creates blank, B2B and B2C pipelines and lists them with their stages', async () => {
    const blank = await createPipeline(owner, 'Partnerships', 'blank');
    expect(blank.stages.map((s) => [s.name, s.kind, s.winProbability])).toEqual([
      ['New', 'open', 10],
      ['Closed won', 'won', 100],
      ['Closed lost', 'lost', 0],
    ]);
    expect(blank.wonStageId).toBe(stageNamed(blank, 'Closed won').id);
    expect(blank.lostStageId).toBe(stageNamed(blank, 'Closed lost').id);

    const b2b = await createPipeline(owner, 'Agency deals', 'b2b');
    expect(b2b.stages.map((s) => s.name)).toEqual(PIPELINE_TEMPLATES.b2b.stages.map((s) => s.name));
    expect(b2b.stages.map((s) => s.position)).toEqual(b2b.stages.map((_, i) => i));
    const b2c = await createPipeline(owner, 'Shop', 'b2c');
    expect(b2c.stages.map((s) => [s.name, s.kind, s.winProbability, s.rottingDays])).toEqual(
      PIPELINE_TEMPLATES.b2c.stages.map((s) => [s.name, s.kind, s.winProbability, s.rottingDays ?? null]),
    );
    expect(b2c.stages.every((s) => s.dealCount === 0 && s.totals.length === 0)).toBe(true);

    // The template defaults to blank.
    const plain = await json(await owner.rpc.api.pipelines.$post({ json: { name: 'Plain' } }), 201);
    expect(plain.stages).toHaveLength(3);

    const list = await json(await viewer.rpc.api.pipelines.$get(), 200);
    expect(list.pipelines.map((p) => p.name)).toEqual(['Partnerships', 'Agency deals', 'Shop', 'Plain']);
    expect(list.pipelines[2]!.stages.map((s) => s.id)).toEqual(b2c.stages.map((s) => s.id));
    expect(await json(await viewer.rpc.api.pipelines[':id'].$get({ param: { id: b2c.id } }), 200)).toMatchObject({
      id: b2c.id,
      name: 'Shop',
    });
    expect(JSON.stringify(list)).not.toContain('automations');
  });

  it('refuses bad input and duplicate names', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(121) }, { name: 'Ok', template: 'saas' }, { name: 42 }]) {
      const res = await owner.post('/api/pipelines', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).code).toBe('validation_failed');
    }
    const dup = await owner.rpc.api.pipelines.$post({ json: { name: '  shop ', template: 'b2b' } });
    expect(dup.status).toBe(409);
    expect((await errorOf(dup)).code).toBe('pipeline_name_taken');
    const text = await owner.request('/api/pipelines', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(400);
    expect((await owner.rpc.api.pipelines[':id'].$get({ param: { id: '01NOSUCHPIPELINE' } })).status).toBe(404);
  });

  it('renames a pipeline and names its won and lost stages, only with stages of the right kind', async () => {
    const p = await createPipeline(owner, 'Rename me', 'b2c');
    const renamed = await json(await owner.rpc.api.pipelines[':id'].$patch({ param: { id: p.id }, json: { name: 'Renamed' } }), 200);
    expect(renamed.name).toBe('Renamed');
    const postPurchase = stageNamed(p, 'Post-purchase');
    const repointed = await json(
      await owner.rpc.api.pipelines[':id'].$patch({ param: { id: p.id }, json: { wonStageId: postPurchase.id } }),
      200,
    );
    expect(repointed.wonStageId).toBe(postPurchase.id);

    const other = await createPipeline(owner, 'Other', 'blank');
    const bad = await owner.rpc.api.pipelines[':id'].$patch({
      param: { id: p.id },
      json: { wonStageId: stageNamed(p, 'Lead generation').id, lostStageId: stageNamed(other, 'Closed lost').id },
    });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.map((f) => f.path)).toEqual(['wonStageId', 'lostStageId']);
    expect((await owner.rpc.api.pipelines[':id'].$patch({ param: { id: p.id }, json: {} })).status).toBe(400);
    const taken = await owner.rpc.api.pipelines[':id'].$patch({ param: { id: p.id }, json: { name: 'OTHER' } });
    expect((await errorOf(taken)).code).toBe('pipeline_name_taken');
    // Renaming to its own name (another case) is fine.
    expect((await owner.rpc.api.pipelines[':id'].$patch({ param: { id: p.id }, json: { name: 'renamed' } })).status).toBe(200);
  });

  it('deletes a pipeline only when empty, or with ?deleteDeals=true; owners only', async () => {
    const p = await createPipeline(owner, 'Doomed', 'b2c');
    const deal = await createDeal(owner, { name: 'Cosmetics set - Zoe', valueMinor: 100, pipelineId: p.id });

    expect((await editor.rpc.api.pipelines[':id'].$delete({ param: { id: p.id }, query: {} })).status).toBe(403);
    const refused = await owner.rpc.api.pipelines[':id'].$delete({ param: { id: p.id }, query: {} });
    expect(refused.status).toBe(409);
    const err = await errorOf(refused);
    expect(err.code).toBe('pipeline_has_deals');
    expect(err.message).toContain('1 deal');
    expect((await owner.rpc.api.pipelines[':id'].$delete({ param: { id: p.id }, query: { deleteDeals: 'yes' } })).status).toBe(400);

    expect((await owner.rpc.api.pipelines[':id'].$delete({ param: { id: p.id }, query: { deleteDeals: 'true' } })).status).toBe(204);
    expect((await owner.rpc.api.pipelines[':id'].$get({ param: { id: p.id } })).status).toBe(404);
    expect((await owner.rpc.api.deals[':id'].$get({ param: { id: deal.id } })).status).toBe(404);
    const left = await t.database.client.execute({
      sql: 'select count(*) as n from deal_stage_history where deal_id = ?',
      args: [deal.id],
    });
    expect(Number(left.rows[0]!.n)).toBe(0);

    const empty = await createPipeline(owner, 'Empty', 'blank');
    expect((await owner.rpc.api.pipelines[':id'].$delete({ param: { id: empty.id }, query: {} })).status).toBe(204);
    expect((await owner.rpc.api.pipelines[':id'].$delete({ param: { id: empty.id }, query: {} })).status).toBe(404);
  });

  it('keeps a pipeline that a qualification rule sends deals to', async () => {
    const p = await createPipeline(owner, 'Ruled', 'b2c');
    const stage = stageNamed(p, 'Lead qualification');
    const now = t.clock.now();
    await t.database.db
      .insert(funnels)
      .values({ id: 'fn-ruled', workspaceId, name: 'Ruled funnel', slug: 'ruled', createdAt: now, updatedAt: now });
    await t.database.db.insert(qualificationRules).values({
      id: 'rule-ruled',
      workspaceId,
      funnelId: 'fn-ruled',
      name: 'Hot quiz leads',
      conditions: [],
      action: { pipelineId: p.id, stageId: stage.id, value: { kind: 'fixed', valueMinor: 25000, currency: 'USD' } },
      createdAt: now,
      updatedAt: now,
    });
    const res = await owner.rpc.api.pipelines[':id'].$delete({ param: { id: p.id }, query: {} });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({ code: 'pipeline_in_use', message: expect.stringContaining('"Hot quiz leads"') });
    const stageRes = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({ param: { id: p.id, stageId: stage.id }, query: {} });
    expect(stageRes.status).toBe(409);
    expect((await errorOf(stageRes)).code).toBe('stage_in_use');
    // Other stages of the pipeline are free to go…
    const browse = stageNamed(p, 'Browse abandonment');
    expect(
      (await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({ param: { id: p.id, stageId: browse.id }, query: {} })).status,
    ).toBe(200);
    // …unless the pipeline's own automations move deals into them.
    const checkout = stageNamed(p, 'Checkout abandonment');
    await t.database.db
      .update(pipelines)
      .set({ automations: { checkoutAbandonment: { enabled: true, stageId: checkout.id, afterMinutes: 60 } } })
      .where(eq(pipelines.id, p.id));
    const automated = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: p.id, stageId: checkout.id },
      query: {},
    });
    expect(automated.status).toBe(409);
    expect(await errorOf(automated)).toMatchObject({ code: 'stage_in_use', message: expect.stringContaining('automations') });
  });
});

describe('stages', () => {
  let p: PipelineBody;
  beforeAll(async () => {
    p = await createPipeline(owner, 'Stage work', 'b2c');
  });
  const stagesOf = async () => json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: p.id } }), 200);

  it('adds a stage after the last open stage by default, or at a position', async () => {
    const wishlist = await json(
      await editor.rpc.api.pipelines[':id'].stages.$post({
        param: { id: p.id },
        json: { name: 'Wishlisted', kind: 'open', winProbability: 40, rottingDays: 10 },
      }),
      201,
    );
    expect(wishlist).toMatchObject({ position: 4, winProbability: 40, rottingDays: 10 });
    const first = await json(
      await editor.rpc.api.pipelines[':id'].stages.$post({
        param: { id: p.id },
        json: { name: 'Subscriber', winProbability: 5, position: 0 },
      }),
      201,
    );
    expect(first.position).toBe(0);
    const won = await json(
      await editor.rpc.api.pipelines[':id'].stages.$post({
        param: { id: p.id },
        json: { name: 'Repeat buyer', kind: 'won', position: 99 },
      }),
      201,
    );
    expect(won).toMatchObject({ kind: 'won', winProbability: 100 });
    const after = await stagesOf();
    expect(after.stages.map((s) => s.name)).toEqual([
      'Subscriber',
      'Lead generation',
      'Lead qualification',
      'Browse abandonment',
      'Checkout abandonment',
      'Wishlisted',
      'Closed won',
      'Closed lost',
      'Post-purchase',
      'Repeat buyer',
    ]);
    expect(after.stages.map((s) => s.position)).toEqual(after.stages.map((_, i) => i));
    expect(won.position).toBe(9);
  });

  it('validates stages: probability per kind, rotting only when open, unique names', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'No chance given', kind: 'open' }, 'winProbability'],
      [{ name: 'Too likely', kind: 'open', winProbability: 101 }, 'winProbability'],
      [{ name: 'Fractional', kind: 'open', winProbability: 12.5 }, 'winProbability'],
      [{ name: 'Half won', kind: 'won', winProbability: 50 }, 'winProbability'],
      [{ name: 'Hopeful loss', kind: 'lost', winProbability: 10 }, 'winProbability'],
      [{ name: 'Rotting win', kind: 'won', rottingDays: 3 }, 'rottingDays'],
      [{ name: 'Zero days', kind: 'open', winProbability: 5, rottingDays: 0 }, 'rottingDays'],
      [{ name: 'Odd kind', kind: 'maybe', winProbability: 5 }, 'kind'],
      [{ name: '', kind: 'open', winProbability: 5 }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await owner.post(`/api/pipelines/${p.id}/stages`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        (await errorOf(res)).fields?.map((f) => f.path),
        JSON.stringify(body),
      ).toContain(field);
    }
    const dup = await owner.rpc.api.pipelines[':id'].stages.$post({
      param: { id: p.id },
      json: { name: 'lead GENERATION', winProbability: 5 },
    });
    expect(dup.status).toBe(409);
    expect((await errorOf(dup)).code).toBe('stage_name_taken');
    expect(
      (await owner.rpc.api.pipelines[':id'].stages.$post({ param: { id: '01NOPE' }, json: { name: 'X', winProbability: 5 } })).status,
    ).toBe(404);
  });

  it('edits a stage: name, probability, rotting, kind (only while empty), position', async () => {
    const before = await stagesOf();
    const wish = stageNamed(before, 'Wishlisted');
    const edited = await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
        param: { id: p.id, stageId: wish.id },
        json: { name: 'Wishlist', winProbability: 45, rottingDays: null, position: 1 },
      }),
      200,
    );
    expect(edited).toMatchObject({ name: 'Wishlist', winProbability: 45, rottingDays: null, position: 1 });
    const after = await stagesOf();
    expect(after.stages.map((s) => s.name).slice(0, 3)).toEqual(['Subscriber', 'Wishlist', 'Lead generation']);

    // Kind: open → won fixes the probability at 100 and drops rotting; won → open needs a probability.
    const toWon = await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({ param: { id: p.id, stageId: wish.id }, json: { kind: 'won' } }),
      200,
    );
    expect(toWon).toMatchObject({ kind: 'won', winProbability: 100, rottingDays: null });
    const noProbability = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: p.id, stageId: wish.id },
      json: { kind: 'open' },
    });
    expect((await errorOf(noProbability)).fields?.[0]?.path).toBe('winProbability');
    const reopened = await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
        param: { id: p.id, stageId: wish.id },
        json: { kind: 'open', winProbability: 30 },
      }),
      200,
    );
    expect(reopened).toMatchObject({ kind: 'open', winProbability: 30 });
    const fixed = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: p.id, stageId: stageNamed(after, 'Closed won').id },
      json: { winProbability: 90 },
    });
    expect((await errorOf(fixed)).fields?.[0]?.path).toBe('winProbability');

    // A stage holding deals keeps its kind.
    await createDeal(owner, { name: 'Wish deal', valueMinor: 500, pipelineId: p.id, stageId: wish.id });
    const busy = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: p.id, stageId: wish.id },
      json: { kind: 'lost' },
    });
    expect(busy.status).toBe(409);
    expect((await errorOf(busy)).code).toBe('stage_has_deals');
    // Renaming to a sibling's name is refused; unknown stage is 404; empty patch 400.
    const clash = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: p.id, stageId: wish.id },
      json: { name: 'Closed Won' },
    });
    expect((await errorOf(clash)).code).toBe('stage_name_taken');
    expect(
      (await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({ param: { id: p.id, stageId: '01NOSTAGE' }, json: { name: 'x' } }))
        .status,
    ).toBe(404);
    expect(
      (await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({ param: { id: p.id, stageId: wish.id }, json: {} })).status,
    ).toBe(400);
  });

  it('keeps at least one open, won and lost stage, and re-points the named won / lost stage', async () => {
    const blank = await createPipeline(owner, 'Minimal', 'blank');
    const [open, won, lost] = blank.stages;
    for (const [stage, kind] of [
      [open!, 'open'],
      [won!, 'won'],
      [lost!, 'lost'],
    ] as const) {
      const del = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
        param: { id: blank.id, stageId: stage.id },
        query: {},
      });
      expect(del.status).toBe(409);
      expect((await errorOf(del)).code).toBe(`last_${kind}_stage`);
    }
    const toWon = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: blank.id, stageId: open!.id },
      json: { kind: 'won' },
    });
    expect((await errorOf(toWon)).code).toBe('last_open_stage');

    // A second won stage lets the named one go; the pipeline names the other instead.
    const second = await json(
      await owner.rpc.api.pipelines[':id'].stages.$post({ param: { id: blank.id }, json: { name: 'Paid', kind: 'won' } }),
      201,
    );
    expect(
      (await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({ param: { id: blank.id, stageId: won!.id }, query: {} })).status,
    ).toBe(200);
    const after = await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: blank.id } }), 200);
    expect(after.wonStageId).toBe(second.id);
    expect(after.stages.map((s) => [s.name, s.position])).toEqual([
      ['New', 0],
      ['Paid', 1],
      ['Closed lost', 2],
    ]);
    // Turning the named lost stage into an open stage is refused while it is the only lost one…
    const lostToOpen = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
      param: { id: blank.id, stageId: lost!.id },
      json: { kind: 'open', winProbability: 5 },
    });
    expect((await errorOf(lostToOpen)).code).toBe('last_lost_stage');
    // …and allowed once another lost stage exists, which then becomes the named one.
    const spam = await json(
      await owner.rpc.api.pipelines[':id'].stages.$post({ param: { id: blank.id }, json: { name: 'Unsubscribed', kind: 'lost' } }),
      201,
    );
    await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$patch({
        param: { id: blank.id, stageId: lost!.id },
        json: { kind: 'open', winProbability: 5 },
      }),
      200,
    );
    expect((await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: blank.id } }), 200)).lostStageId).toBe(spam.id);
  });

  it('reorders all stages at once, listing each exactly once', async () => {
    const before = await stagesOf();
    const ids = before.stages.map((s) => s.id);
    const reversed = [...ids].reverse();
    const res = await json(
      await editor.rpc.api.pipelines[':id'].stages.order.$put({ param: { id: p.id }, json: { stageIds: reversed } }),
      200,
    );
    expect(res.stages.map((s) => s.id)).toEqual(reversed);
    expect(res.stages.map((s) => s.position)).toEqual(ids.map((_, i) => i));

    const other = await createPipeline(owner, 'Foreign stages', 'blank');
    for (const stageIds of [ids.slice(1), [...ids, ids[0]!], [...ids.slice(1), other.stages[0]!.id], []]) {
      const bad = await owner.rpc.api.pipelines[':id'].stages.order.$put({ param: { id: p.id }, json: { stageIds } });
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).fields?.[0]?.path).toBe('stageIds');
    }
    expect((await stagesOf()).stages.map((s) => s.id)).toEqual(reversed);
    await json(await owner.rpc.api.pipelines[':id'].stages.order.$put({ param: { id: p.id }, json: { stageIds: ids } }), 200);
  });

  it('asks where to move the deals of a stage being removed, and moves them with history', async () => {
    const pipe = await createPipeline(owner, 'Removals', 'b2c');
    const browse = stageNamed(pipe, 'Browse abandonment');
    const qual = stageNamed(pipe, 'Lead qualification');
    const lost = stageNamed(pipe, 'Closed lost');
    const won = stageNamed(pipe, 'Closed won');
    const a = await createDeal(owner, { name: 'A', valueMinor: 1000, pipelineId: pipe.id, stageId: browse.id });
    await createDeal(owner, { name: 'B', valueMinor: 2000, pipelineId: pipe.id, stageId: browse.id });
    const existing = await createDeal(owner, { name: 'Already qualified', valueMinor: 10, pipelineId: pipe.id, stageId: qual.id });
    t.clock.advance(2 * DAY);

    const refused = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: browse.id },
      query: {},
    });
    expect(refused.status).toBe(409);
    const err = await errorOf(refused);
    expect(err.code).toBe('stage_has_deals');
    expect(err.message).toContain('2 deals');
    expect(err.fields?.[0]?.path).toBe('moveTo');

    const toSelf = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: browse.id },
      query: { moveTo: browse.id },
    });
    expect((await errorOf(toSelf)).fields?.[0]?.path).toBe('moveTo');
    const toLostNoReason = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: browse.id },
      query: { moveTo: lost.id },
    });
    expect((await errorOf(toLostNoReason)).fields?.[0]?.path).toBe('lostReason');
    // Nothing moved by the refusals.
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: a.id } }), 200)).stageId).toBe(browse.id);

    const moved = await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
        param: { id: pipe.id, stageId: browse.id },
        query: { moveTo: qual.id },
      }),
      200,
    );
    expect(moved).toEqual({ movedDeals: 2, movedTo: qual.id });
    const after = await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: pipe.id } }), 200);
    expect(after.stages.map((s) => s.name)).not.toContain('Browse abandonment');
    expect(after.stages.map((s) => s.position)).toEqual(after.stages.map((_, i) => i));
    const board = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200);
    // Moved deals go to the bottom of the target column, in their order.
    expect(board.columns.find((c) => c.stage.id === qual.id)!.deals.map((d) => d.name)).toEqual(['Already qualified', 'A', 'B']);
    const movedA = await json(await owner.rpc.api.deals[':id'].$get({ param: { id: a.id } }), 200);
    expect(movedA.history?.[0]).toMatchObject({ fromStageId: browse.id, toStageId: qual.id, msInFromStage: 2 * DAY, movedBy: ownerId });
    expect(movedA.stageEnteredAt).toBe(t.clock.now());
    expect(existing.stageId).toBe(qual.id);

    // Into a lost stage with a reason: closed now, reason kept for each; from a won stage back to open: reopened.
    const checkout = stageNamed(pipe, 'Checkout abandonment');
    const c = await createDeal(owner, { name: 'C', valueMinor: 3000, pipelineId: pipe.id, stageId: checkout.id });
    t.clock.advance(DAY);
    await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
        param: { id: pipe.id, stageId: checkout.id },
        query: { moveTo: lost.id, lostReason: 'Went quiet' },
      }),
      200,
    );
    const lostC = await json(await owner.rpc.api.deals[':id'].$get({ param: { id: c.id } }), 200);
    expect(lostC).toMatchObject({ stageId: lost.id, lostReason: 'Went quiet', closedAt: t.clock.now(), status: 'lost' });

    const extraWon = await json(
      await owner.rpc.api.pipelines[':id'].stages.$post({ param: { id: pipe.id }, json: { name: 'Paid', kind: 'won' } }),
      201,
    );
    const d = await createDeal(owner, { name: 'D', valueMinor: 4000, pipelineId: pipe.id, stageId: extraWon.id });
    expect(d.closedAt).toBe(t.clock.now());
    t.clock.advance(DAY);
    // Between closing stages of the same kind the original close time stays.
    await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
        param: { id: pipe.id, stageId: extraWon.id },
        query: { moveTo: won.id },
      }),
      200,
    );
    expect((await json(await owner.rpc.api.deals[':id'].$get({ param: { id: d.id } }), 200)).closedAt).toBe(d.closedAt);
    const post = stageNamed(pipe, 'Post-purchase');
    expect(
      (await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({ param: { id: pipe.id, stageId: post.id }, query: {} })).status,
    ).toBe(200);
    const reopenTarget = stageNamed(pipe, 'Lead generation');
    // Closed won is now the only won stage: it cannot go, even with a target.
    const lastWon = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: won.id },
      query: { moveTo: reopenTarget.id },
    });
    expect((await errorOf(lastWon)).code).toBe('last_won_stage');
  });

  it('moves a whole column in its order, however its positions are spread', async () => {
    const pipe = await createPipeline(owner, 'Big column', 'b2c');
    const from = stageNamed(pipe, 'Browse abandonment');
    const to = stageNamed(pipe, 'Checkout abandonment');
    await createDeal(owner, { name: 'Already there', pipelineId: pipe.id, stageId: to.id });
    for (let i = 0; i < 40; i++) {
      // Alternate top and bottom, so positions go both ways from zero.
      await createDeal(owner, { name: `M${i}`, pipelineId: pipe.id, stageId: from.id, ...(i % 2 ? { position: 0 } : {}) });
    }
    const columnOf = async (stageId: string) =>
      (await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200)).columns.find(
        (c) => c.stage.id === stageId,
      )!.deals;
    const before = (await columnOf(from.id)).map((d) => d.name);
    await json(
      await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
        param: { id: pipe.id, stageId: from.id },
        query: { moveTo: to.id },
      }),
      200,
    );
    const after = await columnOf(to.id);
    expect(after.map((d) => d.name)).toEqual(['Already there', ...before]);
    const positions = await t.database.client.execute({
      sql: 'select count(distinct position) as n from deals where stage_id = ?',
      args: [to.id],
    });
    expect(Number(positions.rows[0]!.n)).toBe(after.length);
    const history = await t.database.client.execute({
      sql: 'select count(*) as n from deal_stage_history where from_stage_id = ? and to_stage_id = ?',
      args: [from.id, to.id],
    });
    expect(Number(history.rows[0]!.n)).toBe(40);
  });

  it('reports a reopened deal that collides with another open deal of the same lead as a conflict', async () => {
    const pipe = await createPipeline(owner, 'Collisions', 'b2c');
    const leadId = 'lead-collide';
    const now = t.clock.now();
    await t.database.client.execute({
      sql: 'insert into leads (id, workspace_id, email, created_at, updated_at) values (?, ?, ?, ?, ?)',
      args: [leadId, workspaceId, 'collide@example.com', now, now],
    });
    const extraWon = await json(
      await owner.rpc.api.pipelines[':id'].stages.$post({ param: { id: pipe.id }, json: { name: 'Paid', kind: 'won' } }),
      201,
    );
    await createDeal(owner, { name: 'Won once', valueMinor: 1, pipelineId: pipe.id, stageId: extraWon.id, leadId });
    await createDeal(owner, { name: 'Open again', valueMinor: 1, pipelineId: pipe.id, leadId });
    const res = await owner.rpc.api.pipelines[':id'].stages[':stageId'].$delete({
      param: { id: pipe.id, stageId: extraWon.id },
      query: { moveTo: stageNamed(pipe, 'Lead qualification').id },
    });
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('open_deal_exists');
    expect((await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: pipe.id } }), 200)).stages.map((s) => s.id)).toContain(
      extraWon.id,
    );
  });
});

describe('board', () => {
  it('shows columns in stage order with deals by position, counts, totals per currency, weighted values and rotting flags', async () => {
    const pipe = await createPipeline(owner, 'Board', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation'); // 10 %, rots after 14 days
    const checkout = stageNamed(pipe, 'Checkout abandonment'); // 60 %, 3 days
    const won = stageNamed(pipe, 'Closed won');
    await createDeal(owner, { name: 'Old lead', valueMinor: 10_001, pipelineId: pipe.id, stageId: gen.id });
    t.clock.advance(10 * DAY);
    await createDeal(owner, { name: 'Fresh lead', valueMinor: 20_003, pipelineId: pipe.id, stageId: gen.id, position: 0 });
    await createDeal(owner, { name: 'Euro lead', valueMinor: 5_000, currency: 'eur', pipelineId: pipe.id, stageId: gen.id });
    await createDeal(owner, { name: 'Cart', valueMinor: 7_777, pipelineId: pipe.id, stageId: checkout.id });
    await createDeal(owner, { name: 'Sold', valueMinor: 25_000, pipelineId: pipe.id, stageId: won.id });
    t.clock.advance(5 * DAY); // Old lead: 15 days in stage (> 14); Cart: 5 days (> 3); Fresh and Euro: 5 days.

    const board = await json(await viewer.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200);
    expect(board.columns.map((c) => c.stage.name)).toEqual(pipe.stages.map((s) => s.name));
    const genCol = board.columns[0]!;
    expect(genCol.deals.map((d) => [d.name, d.rotting])).toEqual([
      ['Fresh lead', false],
      ['Old lead', true],
      ['Euro lead', false],
    ]);
    expect(genCol.count).toBe(3);
    expect(genCol.rottingCount).toBe(1);
    // 10 % of 30,004 = 3,000.4 → 3,000 (rounded once for the column); per deal 1,000 and 2,000.
    expect(genCol.totals).toEqual([
      { currency: 'EUR', count: 1, valueMinor: 5_000, weightedValueMinor: 500 },
      { currency: 'USD', count: 2, valueMinor: 30_004, weightedValueMinor: 3_000 },
    ]);
    const cartCol = board.columns.find((c) => c.stage.id === checkout.id)!;
    expect(cartCol.deals[0]).toMatchObject({ name: 'Cart', valueMinor: 7_777, currency: 'USD', rotting: true });
    expect(cartCol.totals).toEqual([{ currency: 'USD', count: 1, valueMinor: 7_777, weightedValueMinor: 4_666 }]);
    expect(board.columns.find((c) => c.stage.id === won.id)!.deals[0]).toMatchObject({ name: 'Sold', rotting: false });
    expect(board.columns.find((c) => c.stage.id === won.id)!.totals[0]!.weightedValueMinor).toBe(25_000);
    // A card carries what a board shows; its stage, owner and lead by id.
    expect(Object.keys(genCol.deals[0]!).sort()).toEqual([
      'currency',
      'expectedCloseAt',
      'id',
      'leadId',
      'name',
      'nextActivity',
      'ownerId',
      'rotting',
      'stageEnteredAt',
      'valueMinor',
    ]);
    // No activities here: every card says so (activities.test.ts covers cards that have one).
    expect(genCol.deals[0]!.nextActivity).toBeNull();
    expect(board.count).toBe(5);
    expect(board.totals).toEqual([
      { currency: 'EUR', count: 1, valueMinor: 5_000, weightedValueMinor: 500 },
      // 30,004 × 10 + 7,777 × 60 + 25,000 × 100 = 3,266,660 → 32,666.6 → 32,667
      { currency: 'USD', count: 4, valueMinor: 62_781, weightedValueMinor: 32_667 },
    ]);

    // A card limit per column keeps the counts and totals over every deal.
    const limited = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: { limit: '1' } }), 200);
    expect(limited.columns[0]!.deals.map((d) => d.name)).toEqual(['Fresh lead']);
    expect(limited.columns[0]).toMatchObject({ count: 3, rottingCount: 1, truncated: true, totals: genCol.totals });
    expect(limited.totals).toEqual(board.totals);
    expect(limited.columns.find((c) => c.stage.id === checkout.id)).toMatchObject({ truncated: false, rottingCount: 1 });
    for (const q of ['limit=0', 'limit=abc', 'limit=5000'])
      expect((await owner.get(`/api/pipelines/${pipe.id}/board?${q}`)).status).toBe(400);
  });
});

describe('board pages', () => {
  /** Deals written straight into a column, with the positions given (ties and negatives included). */
  async function seedColumn(pipelineId: string, stageId: string, positions: number[], prefix: string, enteredAt = t.clock.now()) {
    const now = t.clock.now();
    const ids: string[] = [];
    for (const [i, position] of positions.entries()) {
      const id = `${prefix}-${String(i).padStart(3, '0')}`;
      ids.push(id);
      await t.database.client.execute({
        sql: `insert into deals (id, workspace_id, pipeline_id, stage_id, position, name, value_minor, currency, stage_entered_at, created_at, updated_at)
              values (?, ?, ?, ?, ?, ?, 100, 'USD', ?, ?, ?)`,
        args: [id, workspaceId, pipelineId, stageId, position, `${prefix} ${i}`, enteredAt, now, now],
      });
    }
    return ids;
  }

  it('shows 50 cards per column by default, with counts and totals over every deal and a link to the rest', async () => {
    const pipe = await createPipeline(owner, 'Busy board', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    const qual = stageNamed(pipe, 'Lead qualification');
    await seedColumn(
      pipe.id,
      gen.id,
      Array.from({ length: 57 }, (_, i) => i * 1024),
      'busy',
      t.clock.now() - 20 * DAY,
    );
    await seedColumn(pipe.id, qual.id, [0, 1024], 'calm');
    const board = await json(await viewer.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} }), 200);
    const [busy, calm] = board.columns;
    expect(busy!.deals).toHaveLength(50);
    expect(busy).toMatchObject({
      count: 57,
      rottingCount: 57,
      truncated: true,
      totals: [{ currency: 'USD', count: 57, valueMinor: 5_700 }],
    });
    expect(busy!.deals.every((d) => d.rotting)).toBe(true);
    expect(busy!.next).toBe(
      `/api/pipelines/${pipe.id}/board/stages/${gen.id}?after=${encodeURIComponent(`${49 * 1024}.busy-049`)}&limit=50`,
    );
    expect(calm).toMatchObject({ count: 2, truncated: false, next: null });
    expect(board.count).toBe(59);
    const rest = await json<ColumnPageBody>(await viewer.get(busy!.next!), 200);
    expect(rest).toEqual({ stageId: gen.id, next: null, deals: expect.any(Array) });
    expect(rest.deals.map((d) => d.name)).toEqual([50, 51, 52, 53, 54, 55, 56].map((i) => `busy ${i}`));
    expect(rest.deals[0]).toMatchObject({ valueMinor: 100, currency: 'USD', rotting: true, leadId: null });
  });

  it('pages a column in board order (position, then id) through `next`, ties and negative positions included', async () => {
    const pipe = await createPipeline(owner, 'Paged board', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    const positions = [5, -2048, 0, 0, 0, 7, -2048, 1024, 0, 3];
    await seedColumn(pipe.id, gen.id, positions, 'p');
    const full = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: { limit: '1000' } }), 200);
    const order = full.columns[0]!.deals.map((d) => d.id);
    const expected = positions
      .map((position, i) => ({ position, id: `p-${String(i).padStart(3, '0')}` }))
      .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1))
      .map((d) => d.id);
    expect(order).toEqual(expected);

    const first = (await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: { limit: '3' } }), 200))
      .columns[0]!;
    const seen = first.deals.map((d) => d.id);
    let next = first.next;
    let pages = 0;
    while (next) {
      const page = await json<ColumnPageBody>(await owner.get(next), 200);
      expect(page.deals.length).toBeLessThanOrEqual(3);
      seen.push(...page.deals.map((d) => d.id));
      next = page.next;
      pages++;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    // From the top without a cursor, and a page size of its own.
    const top = await json(
      await owner.rpc.api.pipelines[':id'].board.stages[':stageId'].$get({
        param: { id: pipe.id, stageId: gen.id },
        query: { limit: '4' },
      }),
      200,
    );
    expect(top.deals.map((d) => d.id)).toEqual(expected.slice(0, 4));
    // An empty column, and the end of one.
    const empty = await json(
      await owner.rpc.api.pipelines[':id'].board.stages[':stageId'].$get({
        param: { id: pipe.id, stageId: stageNamed(pipe, 'Closed won').id },
        query: {},
      }),
      200,
    );
    expect(empty).toEqual({ stageId: stageNamed(pipe, 'Closed won').id, deals: [], next: null });
  });

  it('refuses bad cursors, limits and stages of other pipelines', async () => {
    const pipe = await createPipeline(owner, 'Checked board', 'b2c');
    const other = await createPipeline(owner, 'Other board', 'blank');
    const gen = stageNamed(pipe, 'Lead generation');
    const column = `/api/pipelines/${pipe.id}/board/stages/${gen.id}`;
    for (const q of ['after=abc', 'after=1.', 'after=.x', 'after=1.2.3', 'limit=0', 'limit=1001', 'limit=x'])
      expect((await owner.get(`${column}?${q}`)).status, q).toBe(400);
    expect((await owner.get(`${column}?after=-1024.01ABC&limit=1000`)).status).toBe(200);
    const foreign = await owner.rpc.api.pipelines[':id'].board.stages[':stageId'].$get({
      param: { id: pipe.id, stageId: other.stages[0]!.id },
      query: {},
    });
    expect(foreign.status).toBe(404);
    expect((await errorOf(foreign)).message).toMatch(/stage/i);
    expect(
      (await owner.rpc.api.pipelines[':id'].board.stages[':stageId'].$get({ param: { id: 'nope', stageId: gen.id }, query: {} })).status,
    ).toBe(404);
  });
});

describe('stats', () => {
  it('reports stage values, weighted forecast, won / lost, win rate, time in stage, velocity and lost reasons', async () => {
    const start = t.clock.now();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const period = { from: day(start), to: day(start + 30 * DAY) };
    const pipe = await createPipeline(owner, 'Stats', 'b2c');
    const [gen, qual, , checkout, won, lost] = pipe.stages;
    const move = async (id: string, stageId: string, extra: Record<string, unknown> = {}) =>
      json(await owner.rpc.api.deals[':id'].move.$post({ param: { id }, json: { stageId, ...extra } }), 200);

    // Day 0: four deals in Lead generation.
    const deals = await Promise.all(
      [10_000, 20_000, 30_000, 40_000].map(async (valueMinor, i) =>
        createDeal(owner, { name: `Deal ${i}`, valueMinor, pipelineId: pipe.id, stageId: gen!.id }),
      ),
    );
    const euro = await createDeal(owner, {
      name: 'Euro',
      valueMinor: 9_999,
      currency: 'EUR',
      pipelineId: pipe.id,
      stageId: checkout!.id,
      expectedCloseAt: start + 3 * DAY,
    });
    // Deal 0 spends 1 day in generation, deal 1 2 days, deal 2 4 days: median 2 days, average 7/3 days.
    t.clock.advance(DAY);
    await move(deals[0]!.id, qual!.id);
    t.clock.advance(DAY);
    await move(deals[1]!.id, qual!.id);
    t.clock.advance(2 * DAY);
    await move(deals[2]!.id, qual!.id);
    // Day 4: deal 0 won after 4 days; day 6: deal 1 lost ("Too expensive"); deal 2 won on day 10.
    await move(deals[0]!.id, won!.id);
    t.clock.advance(2 * DAY);
    await move(deals[1]!.id, lost!.id, { lostReason: 'Too expensive' });
    t.clock.advance(4 * DAY);
    await move(deals[2]!.id, won!.id);

    const stats = await json(await viewer.rpc.api.pipelines[':id'].stats.$get({ param: { id: pipe.id }, query: period }), 200);

    expect(stats.period).toMatchObject({ from: day(start), to: day(start + 30 * DAY) });
    const genStats = stats.stages.find((s) => s.id === gen!.id)!;
    expect(genStats.count).toBe(1);
    expect(genStats.totals).toEqual([{ currency: 'USD', count: 1, valueMinor: 40_000, weightedValueMinor: 4_000 }]);
    expect(genStats.timeInStage).toEqual({ moves: 3, averageMs: Math.round((7 * DAY) / 3), medianMs: 2 * DAY });
    // Qualification: deal 0 sat 3 days, deal 1 4 days, deal 2 6 days.
    expect(stats.stages.find((s) => s.id === qual!.id)!.timeInStage).toEqual({
      moves: 3,
      averageMs: Math.round((13 * DAY) / 3),
      medianMs: 4 * DAY,
    });
    expect(stats.forecast).toEqual([
      {
        currency: 'EUR',
        openCount: 1,
        openValueMinor: 9_999,
        weightedValueMinor: 5_999,
        closingInPeriod: { count: 1, valueMinor: 9_999, weightedValueMinor: 5_999 },
      },
      {
        currency: 'USD',
        openCount: 1,
        openValueMinor: 40_000,
        weightedValueMinor: 4_000,
        closingInPeriod: { count: 0, valueMinor: 0, weightedValueMinor: 0 },
      },
    ]);
    expect(stats.won).toEqual({ count: 2, totals: [{ currency: 'USD', count: 2, valueMinor: 40_000 }] });
    expect(stats.lost).toEqual({ count: 1, totals: [{ currency: 'USD', count: 1, valueMinor: 20_000 }] });
    expect(stats.winRate).toBeCloseTo(2 / 3, 10);
    expect(stats.salesCycle).toEqual({ wonDeals: 2, averageDays: 7 });
    // USD: 1 open × 20,000 average won × 2/3 ÷ 7 days = 1,904.76 → 1,905 per day. EUR: nothing won, unknown.
    expect(stats.velocity.find((v) => v.currency === 'USD')).toMatchObject({
      openDeals: 1,
      averageWonValueMinor: 20_000,
      perDayMinor: 1_905,
    });
    expect(stats.velocity.find((v) => v.currency === 'EUR')).toMatchObject({ openDeals: 1, averageWonValueMinor: null, perDayMinor: null });
    expect(stats.lostReasons).toEqual([{ reason: 'Too expensive', count: 1 }]);

    // A period before anything happened: no closes and no moves, but the stages still show what is in them now.
    const before = await json(
      await owner.rpc.api.pipelines[':id'].stats.$get({
        param: { id: pipe.id },
        query: { from: day(start - 60 * DAY), to: day(start - DAY) },
      }),
      200,
    );
    expect(before).toMatchObject({ won: { count: 0 }, lost: { count: 0 }, winRate: null, lostReasons: [] });
    expect(before.stages.find((s) => s.id === gen!.id)!.timeInStage).toEqual({ moves: 0, averageMs: null, medianMs: null });
    expect(before.stages.find((s) => s.id === gen!.id)!.count).toBe(1);

    // Reopening a won deal takes it out of the won figures.
    await move(deals[2]!.id, qual!.id);
    const reopened = await json(await owner.rpc.api.pipelines[':id'].stats.$get({ param: { id: pipe.id }, query: period }), 200);
    expect(reopened.won.count).toBe(1);
    expect(reopened.winRate).toBe(0.5);
    expect(euro.status).toBe('open');

    // The default period is the last 30 days up to today.
    const defaults = await json(await owner.rpc.api.pipelines[':id'].stats.$get({ param: { id: pipe.id }, query: {} }), 200);
    expect(defaults.period).toMatchObject({ from: day(t.clock.now() - 29 * DAY), to: day(t.clock.now()) });
    for (const q of ['from=2027-03-10&to=2027-03-01', 'from=03/01/2027', 'from=2027-02-30', 'from=2020-01-01&to=2027-01-01']) {
      expect((await owner.get(`/api/pipelines/${pipe.id}/stats?${q}`)).status, q).toBe(400);
    }
  });
});

describe('roles and tenants', () => {
  it('lets viewers read but not change pipelines or stages', async () => {
    const pipe = await createPipeline(owner, 'Read only', 'b2c');
    const stage = pipe.stages[0]!;
    expect((await viewer.rpc.api.pipelines[':id'].$get({ param: { id: pipe.id } })).status).toBe(200);
    expect((await viewer.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query: {} })).status).toBe(200);
    expect((await viewer.rpc.api.pipelines[':id'].stats.$get({ param: { id: pipe.id }, query: {} })).status).toBe(200);
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/pipelines', { name: 'Viewer pipe' }],
      ['PATCH', `/api/pipelines/${pipe.id}`, { name: 'Mine' }],
      ['DELETE', `/api/pipelines/${pipe.id}`],
      ['POST', `/api/pipelines/${pipe.id}/stages`, { name: 'X', winProbability: 5 }],
      ['PATCH', `/api/pipelines/${pipe.id}/stages/${stage.id}`, { name: 'Y' }],
      ['PUT', `/api/pipelines/${pipe.id}/stages/order`, { stageIds: pipe.stages.map((s) => s.id) }],
      ['DELETE', `/api/pipelines/${pipe.id}/stages/${stage.id}`],
    ];
    for (const [method, path, body] of writes) {
      const res = await viewer.request(path, { method, json: body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    expect((await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: pipe.id } }), 200)).name).toBe('Read only');
  });

  it('reports another workspace’s pipelines and stages as not found, leaking nothing', async () => {
    const stranger = t.client();
    await stranger.signup('someone@else.test');
    const pipe = await createPipeline(owner, 'Secret pipeline', 'b2c');
    await createDeal(owner, { name: 'Secret deal', valueMinor: 123_456, pipelineId: pipe.id });
    const stage = pipe.stages[0]!;
    const probes: Array<[string, string, unknown?]> = [
      ['GET', `/api/pipelines/${pipe.id}`],
      ['GET', `/api/pipelines/${pipe.id}/board`],
      ['GET', `/api/pipelines/${pipe.id}/board/stages/${stage.id}`],
      ['GET', `/api/pipelines/${pipe.id}/stats`],
      ['PATCH', `/api/pipelines/${pipe.id}`, { name: 'Stolen' }],
      ['DELETE', `/api/pipelines/${pipe.id}?deleteDeals=true`],
      ['POST', `/api/pipelines/${pipe.id}/stages`, { name: 'X', winProbability: 5 }],
      ['PATCH', `/api/pipelines/${pipe.id}/stages/${stage.id}`, { name: 'Y' }],
      ['PUT', `/api/pipelines/${pipe.id}/stages/order`, { stageIds: pipe.stages.map((s) => s.id) }],
      ['DELETE', `/api/pipelines/${pipe.id}/stages/${stage.id}?moveTo=${pipe.stages[1]!.id}`],
    ];
    for (const [method, path, body] of probes) {
      const res = await stranger.request(path, { method, json: body });
      const text = await res.text();
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(text).not.toMatch(/Secret|123456|Lead generation/);
    }
    const theirs = await json(await stranger.rpc.api.pipelines.$get(), 200);
    expect(theirs.pipelines).toEqual([]);
    // Asking for the owner's workspace by id is not found either.
    expect((await stranger.get(`/api/pipelines/${pipe.id}`, { 'x-workspace-id': workspaceId })).status).toBe(404);
    expect((await json(await owner.rpc.api.pipelines[':id'].$get({ param: { id: pipe.id } }), 200)).stages[0]!.dealCount).toBe(1);
  });

  it('requires a session', async () => {
    const res = await t.client().rpc.api.pipelines.$get();
    expect(res.status).toBe(401);
  });
});
