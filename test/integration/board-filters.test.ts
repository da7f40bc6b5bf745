/**
 * The board's filters (`owner`, `q`): cards, counts, totals and rotting counts cover only the
 * matching deals, a column's `next` link keeps the filter, and the filter is checked like any query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, member, stageNamed, type ColumnPageBody } from '../support/pipeline';

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let editor: { client: TestClient; userId: string };

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({
    user: { id: ownerId },
  } = await owner.signup('owner@filters.test', 'correct horse battery', 'Olivia', { workspaceName: 'Filters' }));
  editor = await member(t, owner, 'editor', 'editor@filters.test');
});
afterAll(() => t.close());

describe('board filters', () => {
  it('filters cards, counts and totals by owner and by name, and keeps the filter in `next`', async () => {
    const pipe = await createPipeline(owner, 'Filtered board', 'b2c');
    const gen = stageNamed(pipe, 'Lead generation');
    const won = stageNamed(pipe, 'Closed won');
    for (let i = 0; i < 5; i++) {
      await createDeal(owner, { pipelineId: pipe.id, stageId: gen.id, name: `Serum ${i} - Olivia`, valueMinor: 1_000 });
      await createDeal(owner, { pipelineId: pipe.id, stageId: gen.id, name: `Lipstick ${i}`, valueMinor: 100, ownerId: editor.userId });
    }
    await createDeal(owner, { pipelineId: pipe.id, stageId: won.id, name: 'Serum won', valueMinor: 5_000, currency: 'EUR' });
    // Wildcards in the search are literal text.
    await createDeal(owner, { pipelineId: pipe.id, stageId: gen.id, name: '100% off_deal', valueMinor: 1 });

    const board = (query: { owner?: string; q?: string; limit?: string }) =>
      owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipe.id }, query }).then((r) => json(r, 200));

    const all = await board({});
    expect(all.count).toBe(12);

    const mine = await board({ owner: editor.userId });
    expect(mine.count).toBe(5);
    const mineGen = mine.columns.find((c) => c.stage.id === gen.id)!;
    expect(mineGen.deals.map((d) => d.name)).toEqual([0, 1, 2, 3, 4].map((i) => `Lipstick ${i}`));
    expect(mineGen.totals).toEqual([{ currency: 'USD', count: 5, valueMinor: 500, weightedValueMinor: 50 }]);
    expect(mine.columns.find((c) => c.stage.id === won.id)!.count).toBe(0);

    const serum = await board({ q: 'serum' });
    expect(serum.count).toBe(6);
    expect(serum.totals.map((x) => [x.currency, x.valueMinor])).toEqual([
      ['EUR', 5_000],
      ['USD', 5_000],
    ]);
    expect((await board({ q: 'serum', owner: ownerId })).count).toBe(6);
    expect((await board({ q: 'serum', owner: editor.userId })).count).toBe(0);
    expect((await board({ q: '%' })).columns.flatMap((c) => c.deals.map((d) => d.name))).toEqual(['100% off_deal']);
    expect((await board({ q: '_' })).count).toBe(1);

    // Paging a filtered column: `next` carries the filter, and the pages hold only matching cards.
    const paged = await board({ q: 'serum', limit: '2' });
    const column = paged.columns.find((c) => c.stage.id === gen.id)!;
    expect(column.deals.map((d) => d.name)).toEqual(['Serum 0 - Olivia', 'Serum 1 - Olivia']);
    expect(column.next).toContain('q=serum');
    const names = column.deals.map((d) => d.name);
    let next = column.next;
    while (next) {
      const page = await json<ColumnPageBody>(await owner.get(next), 200);
      names.push(...page.deals.map((d) => d.name));
      next = page.next;
    }
    expect(names).toEqual([0, 1, 2, 3, 4].map((i) => `Serum ${i} - Olivia`));

    const lipstickPage = await json(
      await owner.rpc.api.pipelines[':id'].board.stages[':stageId'].$get({
        param: { id: pipe.id, stageId: gen.id },
        query: { owner: editor.userId, limit: '3' },
      }),
      200,
    );
    expect(lipstickPage.deals.map((d) => d.name)).toEqual(['Lipstick 0', 'Lipstick 1', 'Lipstick 2']);
    expect(lipstickPage.next).toContain(`owner=${editor.userId}`);
  });

  it('refuses a malformed filter with the one error shape', async () => {
    const pipe = await createPipeline(owner, 'Checked filters', 'blank');
    for (const q of ['owner=', `q=${'x'.repeat(201)}`]) {
      const res = await owner.get(`/api/pipelines/${pipe.id}/board?${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });
});
