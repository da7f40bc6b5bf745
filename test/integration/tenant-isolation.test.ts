/**
 * Tenant isolation, generated from the route table: two workspaces A and B, each with one of every
 * resource; every mounted /api route that names a resource (in its path, or by id in its body) is
 * called with A's session — and /api/v1 with A's API key — and B's ids. Every answer is 404 with
 * nothing of B in it, and B's rows are the same afterwards. A's viewers get 403 on every route that
 * changes something. A new route is covered the day it is mounted: one whose parameter has no
 * fixture here fails the test, naming the route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { globalRegistry } from 'zod';
import { requireUser, workspaceScope } from '../../workers/middleware/auth';
import { apiEndpoints, type EndpointMeta } from '../../workers/routes/api/openapi';
import { DEFAULT_CAPTURE_LIMITS } from '../../workers/services/capture';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { leadFormPage } from '../support/fixtures';
import { fileOf, png } from '../support/images';
import { formBody, formOf } from '../support/landing';

let t: TestApp;

/** The ids of one workspace's resources, by the name the sweep substitutes them under. */
type Fixture = Record<string, string>;
interface Workspace {
  owner: TestClient;
  viewer?: TestClient;
  ids: Fixture;
  /** Names and other text of B's that must never show up in an answer to A. */
  secrets: string[];
}

let A: Workspace;
let B: Workspace;

async function ok<T>(res: Response | Promise<Response>, what: string): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return (r.status === 204 ? {} : await r.json()) as T;
}

/** A workspace with one of every resource, named after `label` so a leak is recognisable. */
async function buildWorkspace(label: string): Promise<Workspace> {
  const owner = t.client();
  const email = `${label.toLowerCase()}-owner@example.com`;
  const { user, workspaceId } = await owner.signup(email, 'correct horse battery', `${label} Owner`, {
    workspaceName: `${label} Workspace`,
  });
  const ids: Fixture = { workspace: workspaceId, user: user.id };
  const slug = `${label.toLowerCase()}-spring`;
  const funnel = await ok<{ id: string }>(owner.post('/api/funnels', { name: `${label} Funnel`, slug }), 'funnel');
  ids.funnel = funnel.id;
  const content = leadFormPage({ title: `${label} Landing` });
  const page = await ok<{ id: string }>(
    owner.post(`/api/funnels/${funnel.id}/pages`, { slug: 'join', name: `${label} Page`, kind: 'landing', content }),
    'page',
  );
  ids.page = page.id;
  await ok(owner.post(`/api/pages/${page.id}/publish`, {}), 'publish');
  const versions = await ok<{ versions: Array<{ id: string }> }>(owner.get(`/api/pages/${page.id}/versions`), 'versions');
  ids.version = versions.versions[0]!.id;
  const second = await ok<{ id: string }>(
    owner.post(`/api/funnels/${funnel.id}/pages`, {
      slug: 'thanks',
      name: `${label} Thanks`,
      kind: 'thank_you',
      content: leadFormPage({ title: `${label} Thanks` }),
    }),
    'second page',
  );
  ids.page2 = second.id;
  await ok(owner.request(`/api/funnels/${funnel.id}/scoring`, { method: 'PUT', json: { events: { form_submit: 10 } } }), 'scoring');

  const media = await owner.rpc.api.media.$post({
    form: { file: fileOf(png(4, 4), `${label.toLowerCase()}-logo.png`, 'image/png'), alt: `${label} Logo` },
  });
  ids.media = (await ok<{ id: string }>(media, 'media')).id;

  const pipeline = await ok<{ id: string }>(owner.post('/api/pipelines', { name: `${label} Pipeline`, template: 'b2c' }), 'pipeline');
  ids.pipeline = pipeline.id;
  const detail = await ok<{ stages: Array<{ id: string }> }>(owner.get(`/api/pipelines/${pipeline.id}`), 'pipeline detail');
  ids.stage = detail.stages[0]!.id;
  ids.stage2 = detail.stages[1]!.id;
  await ok(owner.request(`/api/pipelines/${pipeline.id}/automations`, { method: 'PUT', json: { enabled: true } }), 'automations');
  const deal = await ok<{ id: string }>(
    owner.post('/api/deals', { name: `${label} Deal`, valueMinor: 1000, currency: 'USD', pipelineId: pipeline.id }),
    'deal',
  );
  ids.deal = deal.id;
  const activity = await ok<{ id: string }>(
    owner.post('/api/activities', {
      dealId: deal.id,
      type: 'call',
      subject: `${label} Call`,
      dueAt: t.clock.now() + 3_600_000,
      hasTime: true,
    }),
    'activity',
  );
  ids.activity = activity.id;
  const ruleExample = exampleBody(endpoint('POST', '/api/funnels/:id/rules'), ids)!.body as Record<string, unknown>;
  const rule = await ok<{ id: string }>(owner.post(`/api/funnels/${funnel.id}/rules`, { ...ruleExample, name: `${label} Rule` }), 'rule');
  ids.rule = rule.id;

  // A lead, captured through the published form as a visitor would, with the owner notified by email.
  await ok(owner.request('/api/me/notifications', { method: 'PUT', json: { newLead: true } }), 'notifications');
  const visitor = t.client();
  const html = await (await visitor.get(`/p/${slug}`)).text();
  const form = formOf(html, 'signup');
  t.clock.advance(DEFAULT_CAPTURE_LIMITS.minFillMs);
  const leadEmail = `${label.toLowerCase()}-lead@example.com`;
  const posted = await visitor.request(
    `/p/${slug}`,
    formBody({ _block: form.block, _token: form.token, website: '', email: leadEmail, name: `${label} Lead`, consent: 'yes' }),
  );
  expect(posted.status).toBe(303);
  const leads = await ok<{ leads: Array<{ id: string }> }>(owner.get('/api/leads'), 'leads');
  ids.lead = leads.leads[0]!.id;

  const webhook = await ok<{ id: string }>(
    owner.post('/api/webhooks', {
      url: `https://hooks.example.com/${label.toLowerCase()}`,
      events: ['lead.created'],
      description: `${label} Hook`,
    }),
    'webhook',
  );
  ids.webhook = webhook.id;
  await ok(owner.post(`/api/webhooks/${webhook.id}/test`), 'webhook test');
  const deliveries = await ok<{ deliveries: Array<{ id: string }> }>(owner.get(`/api/webhooks/${webhook.id}/deliveries`), 'deliveries');
  ids.delivery = deliveries.deliveries[0]!.id;

  const key = await ok<{ id: string; key: string }>(owner.post('/api/workspace/api-keys', { name: `${label} Key` }), 'api key');
  ids.apiKey = key.id;
  ids.apiKeySecret = key.key;
  const invitation = await ok<{ id: string; token?: string }>(
    owner.post('/api/workspace/invitations', { role: 'viewer', email: `${label.toLowerCase()}-viewer@example.com` }),
    'invitation',
  );
  ids.invitation = invitation.id;
  const sessions = await ok<{ sessions: Array<{ id: string; current: boolean }> }>(owner.get('/api/me/sessions'), 'sessions');
  ids.session = sessions.sessions.find((s) => s.current)!.id;
  // The owner was emailed about the lead: a message of this workspace's in the (dev) outbox.
  const outbox = await ok<{ messages: Array<{ id: string; kind: string }> }>(owner.get('/api/outbox'), 'outbox');
  ids.outbox = outbox.messages.find((m) => m.kind === 'new_lead_notification')!.id;

  return {
    owner,
    ids,
    secrets: [
      ...Object.entries(ids)
        .filter(([k]) => k !== 'user' || label === 'Bravo')
        .map(([, v]) => v),
      `${label} Funnel`,
      `${label} Page`,
      `${label} Pipeline`,
      `${label} Deal`,
      `${label} Call`,
      `${label} Rule`,
      `${label} Hook`,
      `${label} Key`,
      `${label} Workspace`,
      `${label} Lead`,
      leadEmail,
      email,
      slug,
    ],
  };
}

/** A viewer of A's workspace: invited, then signed up with the invitation. */
async function addViewer(ws: Workspace, label: string): Promise<TestClient> {
  const invitation = await ok<{ token: string }>(
    ws.owner.post('/api/workspace/invitations', { role: 'viewer', email: `${label.toLowerCase()}-member@example.com` }),
    'viewer invitation',
  );
  const viewer = t.client();
  await viewer.signup(`${label.toLowerCase()}-member@example.com`, 'correct horse battery', `${label} Member`, {
    inviteToken: invitation.token,
  });
  const me = await ok<{ memberships?: Array<{ workspaceId: string; role: string }> }>(viewer.get('/api/me'), 'viewer me');
  expect(JSON.stringify(me)).toContain('viewer');
  return viewer;
}

beforeAll(async () => {
  t = await createTestApp({
    // Webhook targets resolve to a public address and every delivery is answered 200, off the network.
    webhookNetwork: {
      resolve: async () => ['93.184.216.34'],
      send: async () => ({ status: 200, location: null, snippet: 'ok' }),
    },
    dns: { cname: async () => [], addresses: async () => ['93.184.216.34'] },
  });
  A = await buildWorkspace('Alpha');
  B = await buildWorkspace('Bravo');
  A.viewer = await addViewer(A, 'Alpha');
});
afterAll(() => t.close());

/**
 * Which fixture a path parameter takes, by the route it is in. A parameter this cannot place fails
 * the sweep, naming the route: add its fixture when you add the route.
 */
function fixtureFor(path: string, param: string): string | undefined {
  const byParam: Record<string, string> = {
    stageId: 'stage',
    ruleId: 'rule',
    deliveryId: 'delivery',
    versionId: 'version',
    userId: 'user',
  };
  if (byParam[param]) return byParam[param];
  if (param !== 'id') return undefined;
  const byPrefix: Array<[RegExp, string]> = [
    [/^\/api\/me\/sessions\//, 'session'],
    [/^\/api\/workspace\/api-keys\//, 'apiKey'],
    [/^\/api\/workspace\/invitations\//, 'invitation'],
    [/^\/api\/pipelines\//, 'pipeline'],
    [/^\/api\/exports\/pipelines\//, 'pipeline'],
    [/^\/api\/deals\//, 'deal'],
    [/^\/api\/activities\//, 'activity'],
    [/^\/api\/funnels\//, 'funnel'],
    [/^\/api\/webhooks\//, 'webhook'],
    [/^\/api\/pages\//, 'page'],
    [/^\/api\/leads\//, 'lead'],
    [/^\/api\/media\//, 'media'],
    [/^\/api\/outbox\//, 'outbox'],
  ];
  return byPrefix.find(([re]) => re.test(path))?.[1];
}

/**
 * Routes whose parameters are not a workspace's resources, and why they are out of this sweep
 * (each has its own test): shared catalogues and capability tokens.
 */
const NOT_TENANT_SCOPED: Record<string, string> = {
  'GET /api/templates/:id': 'templates are the same for every workspace',
  'GET /api/templates/:id/preview': 'templates are the same for every workspace',
  'POST /api/templates/:id/preview': 'templates are the same for every workspace',
  'POST /api/templates/:id/funnels': 'templates are the same for every workspace (the funnel is made in A)',
  'GET /api/invitations/:token': 'an invitation token is the capability itself (invitations tests)',
  'POST /api/invitations/:token/accept': 'an invitation token is the capability itself (invitations tests)',
};

/** Placeholder ids in the documented examples → the fixture a sweep puts in their place. */
const EXAMPLE_IDS: Array<[RegExp, string]> = [
  [/^01JDEMOPIPELINE$/, 'pipeline'],
  [/^01JSTAGE[A-Z]$/, 'stage'],
  [/^01JDEMOSTAGE$/, 'stage'],
  [/^01JDEMODEAL$/, 'deal'],
  [/^01JLEAD$/, 'lead'],
  [/^01JPAGE[A-Z]+$/, 'page'],
  [/^01JRULE[A-Z]$/, 'rule'],
];

/** The route's documented example body with every placeholder id replaced by `ids`' (and whether it had one). */
function exampleBody(endpoint: EndpointMeta, ids: Fixture): { body: unknown; references: boolean } | undefined {
  const validator = endpoint.validators.find((v) => v.target === 'json');
  if (!validator) return undefined;
  const example = (globalRegistry.get(validator.schema)?.examples as unknown[] | undefined)?.[0];
  if (example === undefined) throw new Error(`${endpoint.method} ${endpoint.path} has a JSON body without an example`);
  let references = false;
  const body = JSON.parse(JSON.stringify(example), (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    const hit = EXAMPLE_IDS.find(([re]) => re.test(value));
    if (!hit) return value;
    references = true;
    return ids[hit[1]];
  }) as unknown;
  return { body, references };
}

function endpoint(method: string, path: string): EndpointMeta {
  const found = apiEndpoints(t.app.routes, { requireUser, workspaceScope }).find((e) => e.method === method && e.path === path);
  if (!found) throw new Error(`${method} ${path} is not mounted`);
  return found;
}

function concretePath(endpoint: EndpointMeta, ids: Fixture): string {
  return endpoint.path.replace(/:(\w+)/g, (_m, param: string) => {
    const fixture = fixtureFor(endpoint.path, param);
    if (!fixture) throw new Error(`${endpoint.method} ${endpoint.path}: no fixture for :${param} — add one to tenant-isolation.test.ts`);
    return encodeURIComponent(ids[fixture]!);
  });
}

/** Every row of B's: rows with B's workspace id, and, in tables without one, rows that point at B's ids. */
async function snapshotOf(ws: Workspace): Promise<Record<string, unknown[]>> {
  const tables = await t.database.db.all<{ name: string }>(
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
  );
  const ownIds = new Set(Object.values(ws.ids));
  const snapshot: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const rows = await t.database.db.all<Record<string, unknown>>(sql.raw(`select * from "${name}"`));
    snapshot[name] = rows.filter((row) =>
      'workspace_id' in row
        ? row.workspace_id === ws.ids.workspace
        : Object.values(row).some((v) => typeof v === 'string' && ownIds.has(v)),
    );
  }
  return snapshot;
}

/** Ids no workspace has: what a resource of B's must be indistinguishable from. */
const GHOST_IDS: Fixture = new Proxy(
  {},
  {
    get: (_t, name) =>
      `01JGHOST${String(name)
        .toUpperCase()
        .replace(/[^A-Z]/g, '')}0000`,
  },
);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('tenant isolation, generated from the route table', () => {
  it("answers 404 to A's session on every route given B's ids, leaks nothing of B and changes none of B's rows", async () => {
    const endpoints = apiEndpoints(t.app.routes, { requireUser, workspaceScope });
    expect(endpoints.length).toBeGreaterThan(100);
    const before = await snapshotOf(B);
    expect(before.leads).toHaveLength(1);
    const failures: string[] = [];
    let routes = 0;
    let attempts = 0;
    let notFoundAlike = 0;
    for (const endpoint of endpoints) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (NOT_TENANT_SCOPED[key] || endpoint.auth === 'none' || endpoint.path.startsWith('/api/v1/')) continue;
      const hasParam = endpoint.path.includes('/:');
      const bodyB = exampleBody(endpoint, B.ids);
      if (!hasParam && !bodyB?.references) continue;
      routes++;
      // B's ids everywhere; then A's own resource in the path with B's in the body (a move into B's stage).
      const variants: Array<{ path: string; body: unknown; what: string }> = [
        { path: concretePath(endpoint, B.ids), body: bodyB?.body, what: "B's ids" },
      ];
      if (hasParam && bodyB?.references)
        variants.push({ path: concretePath(endpoint, A.ids), body: bodyB.body, what: "A's path, B's ids in the body" });
      for (const variant of variants) {
        attempts++;
        const call = (path: string, body: unknown) =>
          A.owner.request(path, { method: endpoint.method, ...(body === undefined ? {} : { json: body }) });
        const res = await call(variant.path, variant.body);
        const text = await res.text();
        const label = `${key} (${variant.what})`;
        const sent = `${variant.path} ${JSON.stringify(variant.body ?? null)}`;
        // Echoing an id the caller sent reveals nothing; naming anything else of B's does.
        const leaked = B.secrets.filter((s) => text.includes(s) && !sent.includes(s));
        if (leaked.length) failures.push(`${label}: the answer names B's ${leaked.join(', ')}`);
        if (res.status === 404) continue;
        // Not 404 (a field error on a body reference, say) is fine only when ids that exist nowhere get the very same answer.
        const ghost = exampleBody(endpoint, GHOST_IDS)?.body;
        const ghostPath = variant.path === concretePath(endpoint, B.ids) ? concretePath(endpoint, GHOST_IDS) : variant.path;
        const unknown = await call(ghostPath, ghost);
        const unknownText = await unknown.text();
        const same = (body: string) =>
          Object.values(B.ids)
            .reduce((acc, id) => acc.replaceAll(id, '<id>'), body)
            .replace(/01JGHOST[A-Z]*0000/g, '<id>');
        if (unknown.status !== res.status || same(unknownText) !== same(text))
          failures.push(
            `${label}: ${res.status} ${text.slice(0, 200)} — ids that exist nowhere get ${unknown.status} ${unknownText.slice(0, 200)}`,
          );
        else if (res.status !== 400) failures.push(`${label}: ${res.status} ${text.slice(0, 200)}`);
        else notFoundAlike++;
      }
    }
    // The server API with A's key, naming B's funnel: whatever it answers, nothing of B changes or shows.
    for (const funnel of [B.secrets.at(-1)!, B.ids.funnel!]) {
      attempts++;
      const res = await t.client().request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${A.ids.apiKeySecret}` },
        json: { type: 'purchase', email: 'bravo-lead@example.com', orderId: '#1', amountMinor: 100, currency: 'USD', funnel },
      });
      const text = await res.text();
      if (res.status >= 500) failures.push(`POST /api/v1/events with B's funnel: ${res.status}`);
      const leaked = B.secrets.filter((s) => s !== 'bravo-lead@example.com' && text.includes(s));
      if (leaked.length) failures.push(`POST /api/v1/events: the answer names B's ${leaked.join(', ')}`);
    }
    console.log(
      `\nTenant-isolation sweep: ${routes} routes, ${attempts} attempts with workspace B's ids from A's session or key: ` +
        `${attempts - notFoundAlike - 2} answered 404, ${notFoundAlike} a field error identical to the one for ids that exist nowhere, ` +
        `2 server events naming B's funnel; ${failures.length} failures.`,
    );
    expect(failures).toEqual([]);
    expect(await snapshotOf(B)).toEqual(before);
    expect(routes).toBeGreaterThan(70);
  });

  it("answers 404 to A's session naming B's workspace in X-Workspace-Id, on every workspace route, and changes nothing of B's", async () => {
    // The workspace a request acts in comes from the header; /api/me/notifications picks it itself (the member's own settings).
    const endpoints = apiEndpoints(t.app.routes, { requireUser, workspaceScope }).filter(
      (e) => !e.path.includes('/:') && (e.auth === 'workspace' || e.path === '/api/me/notifications'),
    );
    const before = await snapshotOf(B);
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      const body = exampleBody(endpoint, A.ids)?.body;
      const res = await A.owner.request(endpoint.path, {
        method: endpoint.method,
        headers: { 'x-workspace-id': B.ids.workspace! },
        ...(body === undefined ? {} : { json: body }),
      });
      const text = await res.text();
      const leaked = B.secrets.filter((s) => s !== B.ids.workspace && text.includes(s));
      if (res.status !== 404 || leaked.length) failures.push(`${endpoint.method} ${endpoint.path}: ${res.status} ${text.slice(0, 200)}`);
    }
    console.log(`Workspace-header sweep: ${endpoints.length} routes without a parameter, each 404 with B's workspace named.`);
    expect(failures).toEqual([]);
    expect(endpoints.length).toBeGreaterThan(40);
    expect(await snapshotOf(B)).toEqual(before);
  });

  it("answers 403 to A's viewers on every route that changes something", async () => {
    const endpoints = apiEndpoints(t.app.routes, { requireUser, workspaceScope });
    const before = await snapshotOf(A);
    const failures: string[] = [];
    let checked = 0;
    for (const endpoint of endpoints) {
      if (!MUTATING.has(endpoint.method) || endpoint.auth !== 'workspace') continue;
      const key = `${endpoint.method} ${endpoint.path}`;
      if (NOT_TENANT_SCOPED[key] && endpoint.path.includes('/:token')) continue;
      const path = NOT_TENANT_SCOPED[key] ? endpoint.path.replace(':id', 'lead-magnet') : concretePath(endpoint, A.ids);
      const body = exampleBody(endpoint, A.ids)?.body;
      const res = await A.viewer!.request(path, { method: endpoint.method, ...(body === undefined ? {} : { json: body }) });
      checked++;
      if (res.status !== 403) failures.push(`${key}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    }
    console.log(`Viewer sweep: ${checked} mutating routes, each answered 403 to a viewer.`);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    // The viewer changed nothing: sessions aside (the viewer's own), A's rows are as they were.
    const after = await snapshotOf(A);
    expect(after).toEqual(before);
  });

  it("answers A's own reads with its ids, so a 404 above is the workspace's doing and not a broken fixture", async () => {
    const endpoints = apiEndpoints(t.app.routes, { requireUser, workspaceScope });
    const failures: string[] = [];
    let checked = 0;
    for (const endpoint of endpoints) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (endpoint.method !== 'GET' || !endpoint.path.includes('/:') || NOT_TENANT_SCOPED[key] || endpoint.auth !== 'workspace') continue;
      const res = await A.owner.get(concretePath(endpoint, A.ids));
      checked++;
      if (res.status !== 200) failures.push(`${key}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(25);
  });

  it('knows every route outside /api that takes a parameter, and why it is open', () => {
    // Outside /api a parameter is a public page or a capability (a signed token, a content hash):
    // no session picks a workspace there. A new such route fails here until it is placed.
    const PUBLIC_BY_DESIGN: Record<string, string> = {
      'GET /p/:funnel': 'a published page',
      'GET /p/:funnel/:page': 'a published page',
      'POST /p/:funnel': "a visitor's form post to a published page",
      'POST /p/:funnel/:page': "a visitor's form post to a published page",
      'GET /d/:token': 'a lead magnet download, by signed token',
      'GET /preview/:token': 'a draft preview, by signed token',
      'OPTIONS /embed/forms/:id': "an embedded form, open only to the workspace's allowed origins",
      'GET /embed/forms/:id': "an embedded form, open only to the workspace's allowed origins",
      'POST /embed/forms/:id': "an embedded form, open only to the workspace's allowed origins",
      'GET /media/:hash/:file': 'a media file, by content hash',
      'GET /invite/:token': 'an invitation, by its token',
      'POST /invite/:token': 'an invitation, by its token',
      'GET /u/:token': "a lead's unsubscribe page, by the signed token in the mail (the only credential)",
      'POST /u/:token': "a lead's unsubscribe (the button or a mail client's one-click post), by the signed token",
      'GET /reset-password/:token': 'a password reset link from the mail, by its single-use token (only its hash is stored)',
      'POST /reset-password/:token': 'a new password, by the single-use reset token',
      'GET /verify-email/:token': "a member's email confirmation link, by its single-use token",
    };
    const unplaced = [
      ...new Set(
        t.app.routes
          .filter((r) => r.method !== 'ALL' && !r.path.startsWith('/api/') && r.path.includes('/:'))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].filter((key) => !PUBLIC_BY_DESIGN[key]);
    expect(unplaced, 'routes outside /api with a parameter: add a fixture to the sweep or a reason here').toEqual([]);
  });

  it('fails, naming the route, for a parameter it has no fixture for', () => {
    const made = { method: 'GET', path: '/api/widgets/:widgetId', validators: [], auth: 'workspace' } as unknown as EndpointMeta;
    expect(() => concretePath(made, B.ids)).toThrow('GET /api/widgets/:widgetId: no fixture for :widgetId');
  });
});
