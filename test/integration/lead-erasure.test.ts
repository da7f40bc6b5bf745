/**
 * A lead's export and erasure through the real app. A person goes through the demo funnel's quiz,
 * chat and ebook gate and a lead form with a phone field, gets a deal with notes and activities
 * and webhook deliveries; the export holds all of it. After the erasure, every text and blob
 * column of every table the database lists (so a table added later is covered without touching
 * this test) is scanned for their email, name and phone — in any case, JSON-escaped and
 * percent-encoded — and none is left; the funnel and dashboard numbers are exactly what they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { WEBHOOK_EVENTS, webhookEndpoints } from '../../db/schema';
import type { LeadExport } from '../../workers/contract';
import { sha256Hex } from '../../workers/domain/crypto';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { fillAndPost, FUNNEL, signInDemo } from '../support/landing';

const EMAIL_TYPED = 'Zoe.Quillfeather+GDPR@Erase-Me.example';
const EMAIL = EMAIL_TYPED.toLowerCase();
const NAME = 'Zoë Quillfeather';
const PHONE = '+44 20 7946 0321';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let editor: TestClient;
let leadId: string;
let dealId: string;
let funnelId: string;

/** Every form of the person's data that could sit in a column. */
function needles(): string[] {
  const forms = new Set<string>();
  for (const value of [EMAIL, NAME, 'Quillfeather', PHONE, PHONE.replace(/\D/g, ''), encodeURIComponent(EMAIL)]) {
    forms.add(value.toLowerCase());
    forms.add(JSON.stringify(value).slice(1, -1).toLowerCase());
    // JSON as an ASCII-only encoder writes it (é → \u00eb).
    forms.add(value.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).toLowerCase());
  }
  return [...forms];
}

/** Every hit of `needles` in every text or blob column of every table in sqlite_master. */
async function scanEveryTable(): Promise<{ tables: number; cells: number; hits: string[] }> {
  const { client } = t.database;
  const tables = (await client.execute(`select name from sqlite_master where type = 'table' order by name`)).rows.map((r) =>
    String(r.name),
  );
  const wanted = needles();
  const hits: string[] = [];
  let cells = 0;
  for (const table of tables) {
    const rows = (await client.execute(`select * from "${table.replace(/"/g, '""')}"`)).rows;
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        let text: string | null = null;
        if (typeof value === 'string') text = value;
        else if (value instanceof ArrayBuffer) text = Buffer.from(value).toString('latin1') + Buffer.from(value).toString('utf8');
        else if (ArrayBuffer.isView(value)) text = Buffer.from(value.buffer).toString('utf8');
        if (text === null) continue;
        cells++;
        const lower = text.toLowerCase();
        for (const needle of wanted) if (lower.includes(needle)) hits.push(`${table}.${column}: ${needle}`);
      }
    }
  }
  return { tables: tables.length, cells, hits };
}

async function reports() {
  const get = async (path: string) => {
    const res = await owner.get(path);
    expect(res.status, path).toBe(200);
    return (await res.json()) as unknown;
  };
  const period = 'from=2026-10-01&to=2026-12-31';
  return {
    stats: await get(`/api/funnels/stats?${period}`),
    report: await get(`/api/funnels/${funnelId}/report?${period}`),
    sections: await get(`/api/funnels/${funnelId}/sections?${period}`),
    handoff: await get(`/api/handoff?${period}`),
    leads: await get('/api/leads/facets'),
  };
}

const leadForm = {
  type: 'lead_form',
  id: 'enquiry',
  title: 'Become a stockist',
  fields: [
    { name: 'email', label: 'Work email', kind: 'email', required: true },
    { name: 'name', label: 'Your name', kind: 'name', required: true },
    { name: 'phone', label: 'Phone', kind: 'phone', required: false },
    { name: 'company', label: 'Shop name', kind: 'company', required: false },
    { name: 'notes', label: 'Anything else?', kind: 'textarea', required: false },
  ],
  consent: { text: 'Demo Shop may contact me about wholesale terms.', required: true },
  submitLabel: 'Send enquiry',
};
const pageContent = {
  settings: {
    title: 'Wholesale enquiries',
    noindex: false,
    theme: { primary: '#1f6feb', background: '#ffffff', text: '#111111', fontStack: 'system' },
  },
  blocks: [leadForm],
};

beforeAll(async () => {
  t = await createTestApp({
    // No webhook leaves the test: every send fails, and the deliveries stay in the log as they would.
    webhookNetwork: {
      resolve: async () => ['203.0.113.10'],
      send: async () => {
        throw new Error('offline in tests');
      },
    },
  });
  const { workspaceId } = await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  await t.database.db.insert(webhookEndpoints).values({
    id: 'whk_gdpr_test',
    workspaceId,
    url: 'https://hooks.example.com/leadflare',
    secret: 'whsec_test',
    events: [...WEBHOOK_EVENTS],
    createdAt: t.clock.now(),
    updatedAt: t.clock.now(),
  });
  const invite = async (role: 'viewer' | 'editor') =>
    (await (await owner.rpc.api.workspace.invitations.$post({ json: { role } })).json()).token;
  viewer = t.client();
  await viewer.signup('viewer.gdpr@example.com', 'correct horse battery', 'Vee', { inviteToken: await invite('viewer') });
  editor = t.client();
  await editor.signup('editor.gdpr@example.com', 'correct horse battery', 'Eddie', { inviteToken: await invite('editor') });

  funnelId = String((await t.database.client.execute(`select id from funnels where slug = 'cosmetics-set'`)).rows[0]!.id);
  const visitor = t.client();
  // A browser's user agent on every request (tracking leaves bots and agentless clients out).
  const request = visitor.request.bind(visitor);
  visitor.request = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', BROWSER_UA);
    return request(path, { ...init, headers });
  };
  const ua = { 'user-agent': BROWSER_UA };
  expect((await visitor.get(`${FUNNEL}/quiz?utm_source=instagram&utm_medium=social`, ua)).status).toBe(200);
  await t.deps.events.flush();
  const quiz = await fillAndPost(t, visitor, `${FUNNEL}/quiz`, 'skin-quiz', {
    q_midday: 'shiny',
    q_pores: 'everywhere',
    q_breakouts: 'often',
    q_shine: 'daily',
    q_products: ['cleanser', 'sunscreen'],
    email: EMAIL_TYPED,
    consent: 'yes',
  });
  expect(quiz.res.status).toBe(303);
  const chat = await fillAndPost(t, visitor, FUNNEL, 'chat', {
    concern: 'Dryness',
    routine: '1 or 2',
    question: `Hi, ${NAME} here, call me on ${PHONE}`,
    email: EMAIL_TYPED,
    consent: 'yes',
  });
  expect(chat.res.status).toBe(303);
  const guide = await fillAndPost(t, visitor, `${FUNNEL}/guide`, 'ebook', { name: NAME, email: EMAIL_TYPED, consent: 'yes' });
  expect(guide.res.status).toBe(303);

  const wholesale = (await (await owner.post('/api/funnels', { name: 'Wholesale', slug: 'wholesale' })).json()) as { id: string };
  const page = (await (
    await owner.post(`/api/funnels/${wholesale.id}/pages`, { slug: 'apply', name: 'Apply', kind: 'landing', content: pageContent })
  ).json()) as { id: string };
  expect((await owner.post(`/api/pages/${page.id}/publish`)).status).toBe(201);
  const form = await fillAndPost(t, visitor, '/p/wholesale', 'enquiry', {
    email: EMAIL_TYPED,
    name: NAME,
    phone: PHONE,
    company: 'Quill & Co',
    notes: `Ask for ${NAME.split(' ')[0]}; email ${EMAIL}`,
    consent: 'on',
  });
  expect(form.res.status).toBe(303);
  // A custom event whose property the site filled with the address.
  const beacon = await visitor.request('/e', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...ua },
    body: JSON.stringify({
      events: [{ id: 'gdpr-cta-click-0001', type: 'cta_click', at: t.clock.now(), path: FUNNEL, props: { label: EMAIL } }],
    }),
  });
  expect(beacon.status).toBe(202);
  await t.deps.events.flush();

  leadId = String((await t.database.client.execute({ sql: 'select id from leads where email = ?', args: [EMAIL] })).rows[0]!.id);
  // A pipeline the lead has no open deal in (qualification may have made one in the demo's B2C pipeline).
  const pipelineId = String(
    (
      await t.database.client.execute({
        sql: 'select id from pipelines where id not in (select pipeline_id from deals where lead_id = ?) order by created_at limit 1',
        args: [leadId],
      })
    ).rows[0]!.id,
  );
  const deal = await owner.rpc.api.deals.$post({
    json: {
      name: `Wholesale - ${NAME}`,
      pipelineId,
      leadId,
      valueMinor: 120_000,
      notes: `${NAME} (${PHONE}) wants 50 sets; reply to ${EMAIL}.`,
    },
  });
  expect(deal.status).toBe(201);
  dealId = (await deal.json()).id;
  const activity = await owner.rpc.api.activities.$post({
    json: { dealId, type: 'call', subject: `Call ${NAME.split(' ')[0]} back`, dueAt: t.clock.now() + 86_400_000, notes: `Dial ${PHONE}` },
  });
  expect(activity.status).toBe(201);
});
afterAll(() => t.close());

describe('a lead’s data export', () => {
  it('downloads everything held about the lead as one JSON file', async () => {
    const res = await viewer.rpc.api.leads[':id'].export.$get({ param: { id: leadId } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lead-[\w-]+-\d{4}-\d{2}-\d{2}\.json"$/);
    const data: LeadExport = await res.json();
    expect(data).toMatchObject({
      format: 'leadflare.lead-export',
      version: 1,
      lead: { id: leadId, email: EMAIL, name: NAME, phone: PHONE },
    });
    expect(data.submissions.map((s) => s.formId).sort()).toEqual(['chat', 'ebook', 'enquiry', 'skin-quiz']);
    expect(data.consents.length).toBeGreaterThanOrEqual(4);
    expect(data.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['page_view', 'form_submit', 'chat_email', 'lead_magnet_download', 'cta_click']),
    );
    expect(data.events.find((e) => e.type === 'cta_click')!.props).toEqual({ label: EMAIL });
    const deal = data.deals.find((d) => d.id === dealId)!;
    expect(deal.notes).toContain(PHONE);
    expect(deal.activities.map((a) => a.subject)).toEqual(['Call Zoë back']);
    expect(deal.stageHistory).toHaveLength(1);
    expect(data.webhookDeliveries.map((d) => d.eventType)).toEqual(expect.arrayContaining(['lead.created', 'deal.created']));
    expect(JSON.stringify(data.webhookDeliveries)).toContain(EMAIL);
    expect(data.erasures).toEqual([]);
  });

  it('is 404 for another workspace’s lead', async () => {
    const stranger = t.client();
    await stranger.signup('stranger.gdpr@example.com');
    const res = await stranger.rpc.api.leads[':id'].export.$get({ param: { id: leadId } });
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain(EMAIL);
  });
});

describe('a lead’s erasure', () => {
  it('is for owners only, and needs the email or ERASE typed', async () => {
    for (const client of [viewer, editor]) {
      const res = await client.rpc.api.leads[':id'].erase.$post({ param: { id: leadId }, json: { confirm: 'ERASE' } });
      expect(res.status).toBe(403);
    }
    const wrong = await owner.rpc.api.leads[':id'].erase.$post({ param: { id: leadId }, json: { confirm: 'erase it' } });
    expect(wrong.status).toBe(400);
    expect((await errorOf(wrong)).code).toBe('confirmation_mismatch');
    const empty = await owner.rpc.api.leads[':id'].erase.$post({ param: { id: leadId }, json: { confirm: '' } });
    expect((await errorOf(empty)).code).toBe('validation_failed');
    expect(await t.database.client.execute({ sql: 'select count(*) as n from leads where email = ?', args: [EMAIL] })).toMatchObject({
      rows: [{ n: 1 }],
    });
  });

  it('leaves none of their email, name or phone in any column of any table, and the numbers as they were', async () => {
    const before = await reports();
    const consentsBefore = (
      await t.database.client.execute({
        sql: 'select wording, granted_at from consent_records where lead_id = ? order by id',
        args: [leadId],
      })
    ).rows.map((r) => ({ wording: String(r.wording), grantedAt: Number(r.granted_at) }));
    const counts = async () =>
      (
        await t.database.client.execute(
          `select (select count(*) from leads) l, (select count(*) from events) e, (select count(*) from form_submissions) s,
                  (select count(*) from deals) d, (select count(*) from activities) a, (select count(*) from webhook_deliveries) w`,
        )
      ).rows[0];
    const rowsBefore = { ...(await counts()) };
    expect((await scanEveryTable()).hits.length).toBeGreaterThan(20);

    t.clock.advance(60_000);
    const res = await owner.rpc.api.leads[':id'].erase.$post({ param: { id: leadId }, json: { confirm: EMAIL_TYPED } });
    expect(res.status).toBe(200);
    const erasure = await res.json();
    expect(erasure).toMatchObject({ leadId, erasedAt: t.clock.now(), alreadyErased: false });
    expect(erasure.counts).toMatchObject({ leads: 1, form_submissions: 4, activities: 1 });
    expect(erasure.counts.deals).toBeGreaterThanOrEqual(1);
    expect(erasure.counts.webhook_deliveries).toBeGreaterThanOrEqual(2);
    expect(erasure.counts.events).toBeGreaterThanOrEqual(1);

    const scan = await scanEveryTable();
    expect(scan.tables).toBeGreaterThan(30);
    expect(scan.hits).toEqual([]);

    expect(await reports()).toEqual(before);
    expect({ ...(await counts()) }).toEqual(rowsBefore);

    // The consents stay as proof: the wording's hash and the time.
    const consentsAfter = (
      await t.database.client.execute({
        sql: 'select wording, wording_sha256, granted_at, ip_hash from consent_records where lead_id = ? order by id',
        args: [leadId],
      })
    ).rows;
    expect(consentsAfter.map((r) => Number(r.granted_at))).toEqual(consentsBefore.map((c) => c.grantedAt));
    expect(consentsAfter.map((r) => r.wording_sha256)).toEqual(await Promise.all(consentsBefore.map((c) => sha256Hex(c.wording))));
    expect(consentsAfter.every((r) => r.wording === '' && r.ip_hash === null)).toBe(true);

    // The erasure record names who and when, nothing of the person.
    const record = (await t.database.client.execute({ sql: 'select * from lead_erasures where lead_id = ?', args: [leadId] })).rows;
    expect(record).toHaveLength(1);
    expect(record[0]).toMatchObject({ lead_id: leadId, erased_at: t.clock.now() });
    expect(record[0]!.erased_by).toBeTruthy();

    // The lead shows as erased; the deal keeps its value and stage, its name loses the person.
    const detail = await (await owner.rpc.api.leads[':id'].$get({ param: { id: leadId } })).json();
    expect(detail).toMatchObject({ erasedAt: t.clock.now(), name: null, phone: null, company: null, fields: {} });
    const deal = await (await owner.rpc.api.deals[':id'].$get({ param: { id: dealId } })).json();
    expect(deal).toMatchObject({ name: 'Wholesale - [erased]', valueMinor: 120_000 });
  });

  it('answers a repeated erasure with the first one and changes nothing', async () => {
    const res = await owner.rpc.api.leads[':id'].erase.$post({ param: { id: leadId }, json: { confirm: 'ERASE' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ leadId, alreadyErased: true });
    expect((await t.database.client.execute({ sql: 'select count(*) as n from lead_erasures', args: [] })).rows[0]).toMatchObject({ n: 1 });
    const exported = await (await owner.rpc.api.leads[':id'].export.$get({ param: { id: leadId } })).json();
    expect(exported.erasures).toHaveLength(1);
    expect(JSON.stringify(exported).toLowerCase()).not.toContain('quillfeather');
  });

  it('lets the same person sign up again as a new lead', async () => {
    const again = await fillAndPost(t, t.client(), `${FUNNEL}/guide`, 'ebook', { name: 'Zoë', email: EMAIL, consent: 'yes' });
    expect(again.res.status).toBe(303);
    const rows = (await t.database.client.execute({ sql: 'select id from leads where email = ?', args: [EMAIL] })).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toBe(leadId);
  });
});
