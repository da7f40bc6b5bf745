/**
 * Spreadsheet exports through the real app: deals (filters, formula-safe cells, download headers),
 * a pipeline board (stage order, probability, weighted value, rotting), roles and other
 * workspaces — and the round trip: a deals export imports cleanly into an empty pipeline of the
 * same template and exports again to the same file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../../db/schema';
import { parseCsv } from '../../workers/domain/csv';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, member, stageNamed, type ImportReport, type PipelineBody } from '../support/pipeline';

const PIPELINE = 'Demo B2C e-commerce pipeline - 1';
const DAY = 24 * 60 * 60 * 1000;
const DEAL_HEADER = [
  'Deal name',
  'Pipeline',
  'Stage',
  'Value',
  'Currency',
  'Lead email',
  'Lead name',
  'Owner email',
  'Expected close',
  'Created',
  'Closed',
  'Lost reason',
  'Source funnel',
  'Attribution source',
  'Attribution medium',
  'Attribution campaign',
  'Notes',
];

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let stranger: TestClient;
let pipeline: PipelineBody;
let strangerPipeline: PipelineBody;
let workspaceId: string;
const start = () => new Date(t.clock.now()).toISOString().slice(0, 10);

const rowsOf = async (res: Response) => parseCsv(await res.text()).records;

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ({ workspaceId } = await owner.signup('owner@shop.test', 'correct horse battery', 'Olivia', { workspaceName: 'Shop' }));
  const { userId: repId } = await member(t, owner, 'editor', 'rep@shop.test');
  ({ client: viewer } = await member(t, owner, 'viewer', 'viewer@shop.test'));
  stranger = t.client();
  await stranger.signup('stranger@elsewhere.test');
  strangerPipeline = await createPipeline(stranger, 'Their pipeline', 'b2c');
  await createDeal(stranger, { pipelineId: strangerPipeline.id, name: 'Their secret deal', valueMinor: 999 });

  pipeline = await createPipeline(owner, PIPELINE, 'b2c');
  const funnel = await json(await owner.rpc.api.funnels.$post({ json: { name: 'Cosmetics quiz', slug: 'cosmetics-quiz' } }), 201);
  await t.database.db
    .insert(leads)
    .values({ id: 'lead-ava', workspaceId, email: 'ava@example.com', name: 'Ava Smith', createdAt: 1, updatedAt: 1 });
  const stage = (name: string) => stageNamed(pipeline, name).id;

  await createDeal(owner, {
    pipelineId: pipeline.id,
    name: 'Cosmetics set - Ava Smith',
    valueMinor: 25_000,
    leadId: 'lead-ava',
    ownerId: repId,
    expectedCloseAt: Date.UTC(2026, 11, 31),
    sourceFunnelId: funnel.id,
    attribution: { source: 'instagram', medium: 'social', campaign: 'spring' },
    notes: 'Line one\nLine two, with "quotes"',
  });
  t.clock.advance(60_000);
  await createDeal(owner, {
    pipelineId: pipeline.id,
    stageId: stage('Lead qualification'),
    name: '=HYPERLINK("http://evil.example","click")',
  });
  t.clock.advance(60_000);
  await createDeal(owner, {
    pipelineId: pipeline.id,
    name: '-5% promo',
    valueMinor: 1999,
    currency: 'EUR',
    expectedCloseAt: Date.UTC(2026, 5, 1, 15, 30),
  });
  t.clock.advance(60_000);
  const tokyo = await createDeal(owner, { pipelineId: pipeline.id, name: 'Tokyo order', valueMinor: 3000, currency: 'JPY' });
  const lost = await createDeal(owner, { pipelineId: pipeline.id, name: 'Lost one', valueMinor: 1000 });
  t.clock.advance(DAY);
  await json(await owner.rpc.api.deals[':id'].move.$post({ param: { id: tokyo.id }, json: { stageId: stage('Closed won') } }), 200);
  await json(
    await owner.rpc.api.deals[':id'].move.$post({
      param: { id: lost.id },
      json: { stageId: stage('Closed lost'), lostReason: 'Unsubscribed without buying' },
    }),
    200,
  );
});
afterAll(() => t.close());

describe('deals export', () => {
  it('downloads a dated, uncached CSV with the template’s columns, in board order', async () => {
    const res = await owner.rpc.api.exports.deals.$get({ query: { pipeline: pipeline.id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="deals-demo-b2c-e-commerce-pipeline-1-${start()}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rows = await rowsOf(res);
    expect(rows[0]).toEqual(DEAL_HEADER);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ['Cosmetics set - Ava Smith', 'Lead generation', '250.00', 'USD'],
      ["'-5% promo", 'Lead generation', '19.99', 'EUR'],
      ['\'=HYPERLINK("http://evil.example","click")', 'Lead qualification', '0.00', 'USD'],
      ['Tokyo order', 'Closed won', '3000', 'JPY'],
      ['Lost one', 'Closed lost', '10.00', 'USD'],
    ]);
    const ava = rows[1]!;
    expect(ava).toEqual([
      'Cosmetics set - Ava Smith',
      PIPELINE,
      'Lead generation',
      '250.00',
      'USD',
      'ava@example.com',
      'Ava Smith',
      'rep@shop.test',
      '2026-12-31',
      new Date(Date.UTC(2026, 10, 27, 12)).toISOString(),
      '',
      '',
      'Cosmetics quiz',
      'instagram',
      'social',
      'spring',
      'Line one\nLine two, with "quotes"',
    ]);
    expect(rows[2]![8]).toBe('2026-06-01T15:30:00.000Z');
    expect(rows[5]![11]).toBe('Unsubscribed without buying');
    expect(rows[4]![10]).toBe(new Date(Date.UTC(2026, 10, 27, 12) + 3 * 60_000 + DAY).toISOString());
  });

  it('neutralises formula-looking cells (spreadsheet formula injection)', async () => {
    const text = await (await owner.rpc.api.exports.deals.$get({ query: {} })).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain(`'-5% promo`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('filters by status (the kind of the stage)', async () => {
    const won = await rowsOf(await owner.rpc.api.exports.deals.$get({ query: { status: 'won' } }));
    expect(won.slice(1).map((r) => r[0])).toEqual(['Tokyo order']);
    const lostRes = await owner.rpc.api.exports.deals.$get({ query: { status: 'lost', pipeline: pipeline.id } });
    expect(lostRes.headers.get('content-disposition')).toContain(`filename="deals-demo-b2c-e-commerce-pipeline-1-lost-`);
    expect((await rowsOf(lostRes)).slice(1).map((r) => r[0])).toEqual(['Lost one']);
    const open = await rowsOf(await owner.rpc.api.exports.deals.$get({ query: { status: 'open' } }));
    expect(open).toHaveLength(4);
    const bad = await owner.rpc.api.exports.deals.$get({ query: { status: 'pending' } });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.[0]?.path).toBe('status');
  });

  it('lets viewers export; shows nothing of other workspaces', async () => {
    expect((await rowsOf(await viewer.rpc.api.exports.deals.$get({ query: {} }))).length).toBe(6);
    const foreign = await owner.rpc.api.exports.deals.$get({ query: { pipeline: strangerPipeline.id } });
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toMatchObject({ code: 'not_found' });
    const theirs = await rowsOf(await stranger.rpc.api.exports.deals.$get({ query: {} }));
    expect(theirs.slice(1).map((r) => r[0])).toEqual(['Their secret deal']);
    expect((await t.client().rpc.api.exports.deals.$get({ query: {} })).status).toBe(401);
  });
});

describe('board export', () => {
  it('one row per deal in stage order, with stage probability, weighted value and rotting', async () => {
    t.clock.advance(14 * DAY);
    const res = await owner.rpc.api.exports.pipelines[':id'].board.$get({ param: { id: pipeline.id } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="demo-b2c-e-commerce-pipeline-1-board-${start()}.csv"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rows = await rowsOf(res);
    expect(rows[0]).toEqual([
      'Stage',
      'Win probability %',
      'Deal name',
      'Value',
      'Currency',
      'Weighted value',
      'Lead email',
      'Owner email',
      'Expected close',
      'In stage since',
      'Days in stage',
      'Rotting',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[10], r[11]])).toEqual([
      ['Lead generation', '10', 'Cosmetics set - Ava Smith', '250.00', '25.00', '15', 'yes'],
      ['Lead generation', '10', "'-5% promo", '19.99', '2.00', '15', 'yes'],
      ['Lead qualification', '25', '\'=HYPERLINK("http://evil.example","click")', '0.00', '0.00', '15', 'yes'],
      ['Closed won', '100', 'Tokyo order', '3000', '3000', '14', ''],
      ['Closed lost', '0', 'Lost one', '10.00', '0.00', '14', ''],
    ]);
  });

  it('is 404 for another workspace’s pipeline or an unknown id, and readable by viewers', async () => {
    expect((await owner.rpc.api.exports.pipelines[':id'].board.$get({ param: { id: strangerPipeline.id } })).status).toBe(404);
    expect((await owner.rpc.api.exports.pipelines[':id'].board.$get({ param: { id: 'nope' } })).status).toBe(404);
    expect((await viewer.rpc.api.exports.pipelines[':id'].board.$get({ param: { id: pipeline.id } })).status).toBe(200);
  });
});

describe('round trip', () => {
  it('a deals export imports cleanly into an empty pipeline of the same template and exports to the same rows', async () => {
    const exported = await (await owner.rpc.api.exports.deals.$get({ query: { pipeline: pipeline.id } })).text();
    const copy = await createPipeline(owner, 'Round trip', 'b2c');
    // The export goes back in as the CSV file it is (the typed client sends JSON only).
    const report = await json<ImportReport>(
      await owner.request(`/api/imports/deals?pipelineId=${copy.id}`, {
        method: 'POST',
        body: exported,
        headers: { 'content-type': 'text/csv' },
      }),
      201,
    );
    expect(report.issues).toEqual([]);
    expect(report.counts).toEqual({ deals: 5, leadsCreated: 0, leadsLinked: 1 });
    expect(report.warnings.map((w) => w.message)).toEqual(['Column "Pipeline" is not read: every deal goes into "Round trip".']);

    const again = await (await owner.rpc.api.exports.deals.$get({ query: { pipeline: copy.id } })).text();
    const withoutPipeline = (text: string) => parseCsv(text).records.map((r) => r.filter((_, i) => i !== 1));
    expect(withoutPipeline(again)).toEqual(withoutPipeline(exported));
    expect(
      parseCsv(again)
        .records.slice(1)
        .every((r) => r[1] === 'Round trip'),
    ).toBe(true);

    // The copy's board matches the original's, column by column.
    const board = async (id: string) =>
      (await rowsOf(await owner.rpc.api.exports.pipelines[':id'].board.$get({ param: { id } })))
        .slice(1)
        .map((r) => r.filter((_, i) => i !== 9 && i !== 10));
    expect(await board(copy.id)).toEqual(await board(pipeline.id));
  });
});
