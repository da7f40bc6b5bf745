import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEMO, seedDemo } from '../../db/seed';
import { AUDIT_ACTION_PATTERN, AUDIT_OVERRIDES, AUDITED_READS, auditRuleFor, MUTATING_METHODS } from '../../workers/domain/audit';
import { totpCode } from '../../workers/domain/totp';
import { createLogger, log, setLogger, type LogLevel } from '../../workers/logger';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { fillAndPost, parseCsv, signInDemo } from '../support/landing';
import { publishLeadFormFunnel } from '../support/fixtures';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let t: TestApp;
let owner: TestClient;
let workspaceId: string;
let ownerId: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  const me = await (await owner.rpc.api.me.$get()).json();
  ownerId = me.user.id;
  workspaceId = me.workspaces[0]!.id;
});
afterAll(() => t.close());

type Entry = Awaited<ReturnType<typeof entries>>[number];

async function entries(query: Record<string, string> = {}, client = owner) {
  const res = await client.rpc.api.audit.$get({ query });
  expect(res.status).toBe(200);
  return (await res.json()).entries;
}

const rowCount = async () => Number((await t.database.db.all<{ n: number }>(sql`select count(*) as n from audit_log`))[0]!.n);

function mutatingRoutes() {
  const seen = new Set<string>();
  return t.app.routes
    .filter((r) => MUTATING_METHODS.has(r.method))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      return !seen.has(key) && !!seen.add(key);
    });
}

describe('the recorder’s mapping, generated from the route table', () => {
  it('names every mutating route: an action for admin changes, or a stated reason it is not recorded per request', () => {
    const routes = mutatingRoutes();
    expect(routes.length).toBeGreaterThan(60);
    const actions = new Map<string, string>();
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const rule = auditRuleFor(route.method, route.path);
      expect(rule, `${key} has no audit rule`).not.toBeNull();
      if (rule!.kind !== 'record') {
        expect(AUDIT_OVERRIDES[key], `${key} is left out of the log without a reason`).toBe(rule);
        expect(rule!.why.length).toBeGreaterThan(10);
        continue;
      }
      expect(rule!.action, key).toMatch(AUDIT_ACTION_PATTERN);
      // Two routes with one name would make the log ambiguous.
      expect(actions.get(rule!.action), `${key} and ${actions.get(rule!.action)} share ${rule!.action}`).toBeUndefined();
      actions.set(rule!.action, key);
      // A path parameter the rule reads must exist on the route.
      if (rule!.objectParam) expect(route.path).toContain(`:${rule!.objectParam}`);
    }
    // The downloads recorded although they are reads: mounted, named like the rest, no name shared.
    const mounted = new Set(t.app.routes.map((r) => `${r.method} ${r.path}`));
    for (const [key, rule] of Object.entries(AUDITED_READS)) {
      expect(mounted.has(key), `${key} is not mounted`).toBe(true);
      expect(rule.action).toMatch(AUDIT_ACTION_PATTERN);
      expect(actions.get(rule.action), `${key} and ${actions.get(rule.action)} share ${rule.action}`).toBeUndefined();
      actions.set(rule.action, key);
    }
    // Every /api change except signing in/out and accepting an invitation (recorded by their services) and dry runs is recorded.
    const apiRoutes = routes.filter((r) => r.path.startsWith('/api/'));
    const notRecorded = apiRoutes.filter((r) => auditRuleFor(r.method, r.path)!.kind !== 'record').map((r) => `${r.method} ${r.path}`);
    expect(notRecorded.sort()).toEqual(
      [
        'POST /api/auth/signup',
        'POST /api/auth/login',
        'POST /api/auth/login/two-factor',
        'POST /api/auth/logout',
        'POST /api/invitations/:token/accept',
        'POST /api/pages/:id/render',
        'POST /api/templates/:id/preview',
        'POST /api/funnels/:id/rules/:ruleId/test',
      ].sort(),
    );
    // Visitors’ routes are exactly the public capture, embed and beacon posts, and a lead’s unsubscribe.
    const visitor = routes.filter((r) => auditRuleFor(r.method, r.path)!.kind === 'visitor').map((r) => `${r.method} ${r.path}`);
    expect(visitor.sort()).toEqual(
      ['POST /e', 'POST /embed/forms/:id', 'POST /p/:funnel', 'POST /p/:funnel/:page', 'POST /u/:token'].sort(),
    );
  });

  it('records each successful admin request exactly once, with the action its route maps to, and nothing for failures', async () => {
    const sent: Array<{ method: string; path: string; status: number }> = [];
    const tracked = t.client();
    await signInDemo(tracked);
    const original = tracked.request.bind(tracked);
    tracked.request = async (path, init = {}) => {
      // A millisecond apart, so newest-first order is the order they were made in.
      t.clock.advance(1);
      const res = await original(path, init);
      sent.push({ method: init.method ?? 'GET', path, status: res.status });
      return res;
    };
    const before = await rowCount();

    const { funnelId, pageId } = await publishLeadFormFunnel(tracked, 'audit-sweep');
    expect((await tracked.rpc.api.funnels[':id'].$patch({ param: { id: funnelId }, json: { name: 'Spring sale' } })).status).toBe(200);
    expect((await tracked.rpc.api.pages[':id'].unpublish.$post({ param: { id: pageId } })).status).toBeLessThan(300);
    const pipeline = await (await tracked.rpc.api.pipelines.$post({ json: { name: 'Wholesale', template: 'b2b' } })).json();
    const full = await (await tracked.rpc.api.pipelines[':id'].$get({ param: { id: pipeline.id } })).json();
    const deal = await (
      await tracked.rpc.api.deals.$post({ json: { name: 'Audit deal', pipelineId: pipeline.id, valueMinor: 1000, currency: 'USD' } })
    ).json();
    const move = await tracked.rpc.api.deals[':id'].move.$post({ param: { id: deal.id }, json: { stageId: full.stages[1]!.id } });
    expect(move.status).toBe(200);
    expect((await tracked.rpc.api.deals[':id'].$delete({ param: { id: deal.id } })).status).toBe(204);
    // Failures leave no entry: a validation error, an unknown id.
    expect((await tracked.rpc.api.funnels.$post({ json: { name: '', slug: 'x' } })).status).toBe(400);
    expect((await tracked.rpc.api.funnels[':id'].$patch({ param: { id: 'nope' }, json: { name: 'x' } })).status).toBe(404);

    const mutations = sent.filter((s) => MUTATING_METHODS.has(s.method));
    const succeeded = mutations.filter((s) => s.status < 400);
    expect(mutations.length).toBeGreaterThan(succeeded.length);
    expect((await rowCount()) - before).toBe(succeeded.length);

    const log = await entries({ actor: ownerId, from: new Date(t.clock.now()).toISOString().slice(0, 10) });
    const actions = log.slice(0, succeeded.length).map((e) => e.action);
    expect(actions.reverse()).toEqual([
      'funnel.create',
      'page.create',
      'page.publish',
      'funnel.update',
      'page.unpublish',
      'pipeline.create',
      'deal.create',
      'deal.move',
      'deal.delete',
    ]);
    const byAction = (a: string) => log.find((e) => e.action === a)!;
    expect(byAction('funnel.create')).toMatchObject({ objectType: 'funnel', objectId: funnelId, summary: 'fields: name, slug' });
    expect(byAction('funnel.update')).toMatchObject({ objectId: funnelId, summary: 'fields: name' });
    expect(byAction('page.create')).toMatchObject({ objectType: 'page', objectId: pageId });
    expect(byAction('deal.move')).toMatchObject({ objectType: 'deal', objectId: deal.id, summary: 'fields: stageId' });
    expect(byAction('deal.delete')).toMatchObject({ objectId: deal.id, summary: null });
    expect(byAction('deal.create').actor).toEqual({
      kind: 'member',
      userId: ownerId,
      name: 'Demo Marketer',
      apiKeyId: null,
      apiKeyName: null,
    });
  });

  it('records an import that stored rows, and not its dry run', async () => {
    const csv = 'Email,Name\ndry.run@shop.example,Dry Run\n';
    const before = await rowCount();
    const dry = await owner.rpc.api.imports.leads.$post({ json: { csv, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(await rowCount()).toBe(before);
    const real = await owner.rpc.api.imports.leads.$post({ json: { csv } });
    expect(real.status).toBe(201);
    expect(await rowCount()).toBe(before + 1);
    expect((await entries({ action: 'lead' }))[0]).toMatchObject({ action: 'lead.import', objectType: 'lead' });
  });

  it('sweeps the admin routes: each successful change has exactly one entry (found by its request id), each failure none', async () => {
    const client = await signInDemo(t.client());
    const sent: Array<{ key: string; status: number; requestId: string }> = [];
    const original = client.request.bind(client);
    client.request = async (path, init = {}) => {
      t.clock.advance(1);
      const res = await original(path, init);
      const method = init.method ?? 'GET';
      if (MUTATING_METHODS.has(method) || (init as { audited?: boolean }).audited)
        sent.push({ key: `${method} ${path}`, status: res.status, requestId: res.headers.get('x-request-id')! });
      return res;
    };
    /** One of the downloads of personal data that are recorded although they are reads. */
    const download = async (path: string) => {
      const res = await client.request(path, { method: 'GET', audited: true } as RequestInit);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    };
    const json = async <T>(res: Promise<Response>) => (await (await res).json()) as T;
    const call = (method: string, path: string, body?: unknown) =>
      client.request(path, { method, ...(body === undefined ? {} : { json: body }) });

    const { funnelId, pageId } = await publishLeadFormFunnel(client, 'sweep');
    await call('PATCH', `/api/funnels/${funnelId}`, { name: 'Sweep' });
    await call('POST', `/api/pages/${pageId}/preview-link`, { expiresInDays: 7 });
    const copy = await json<{ id: string }>(call('POST', `/api/pages/${pageId}/duplicate`, { slug: 'join-b', name: 'Join B' }));
    await call('PUT', `/api/funnels/${funnelId}/page-order`, { pageIds: [copy.id, pageId] });
    await call('DELETE', `/api/pages/${copy.id}`);
    await call('PUT', `/api/funnels/${funnelId}/scoring`, { events: { form_submit: 20 }, fields: [] });
    await call('DELETE', `/api/funnels/${funnelId}/scoring`);
    const twin = await json<{ id: string }>(call('POST', `/api/funnels/${funnelId}/duplicate`, { slug: 'sweep-b', name: 'Sweep B' }));
    await call('DELETE', `/api/funnels/${twin.id}`);
    await call('POST', `/api/pages/${pageId}/unpublish`);
    const templates = await json<{ templates: Array<{ id: string }> }>(client.get('/api/templates'));
    await call('POST', `/api/templates/${templates.templates[0]!.id}/funnels`, { name: 'From a template', slug: 'from-template' });

    const pipeline = await json<{ id: string }>(call('POST', '/api/pipelines', { name: 'Sweep pipeline', template: 'b2c' }));
    await call('PATCH', `/api/pipelines/${pipeline.id}`, { name: 'Sweep pipeline 2' });
    const stage = await json<{ id: string }>(
      call('POST', `/api/pipelines/${pipeline.id}/stages`, { name: 'Wishlisted', winProbability: 20, rottingDays: 14, position: 1 }),
    );
    await call('PATCH', `/api/pipelines/${pipeline.id}/stages/${stage.id}`, { name: 'Wish list' });
    const stages = (await json<{ stages: Array<{ id: string }> }>(client.get(`/api/pipelines/${pipeline.id}`))).stages;
    await call('PUT', `/api/pipelines/${pipeline.id}/stages/order`, { stageIds: [...stages.map((x) => x.id)].reverse() });
    await call('DELETE', `/api/pipelines/${pipeline.id}/stages/${stage.id}`);
    await call('PUT', `/api/pipelines/${pipeline.id}/automations`, { enabled: true });
    await call('POST', `/api/pipelines/${pipeline.id}/automations/run`);
    const deal = await json<{ id: string }>(
      call('POST', '/api/deals', { name: 'Sweep deal', pipelineId: pipeline.id, valueMinor: 100, currency: 'USD' }),
    );
    await call('PATCH', `/api/deals/${deal.id}`, { valueMinor: 200 });
    await call('POST', `/api/deals/${deal.id}/move`, { stageId: stages[2]!.id });
    const activity = await json<{ id: string }>(
      call('POST', '/api/activities', {
        dealId: deal.id,
        type: 'call',
        subject: 'Call back',
        dueAt: t.clock.now() + 86_400_000,
        hasTime: true,
      }),
    );
    await call('PATCH', `/api/activities/${activity.id}`, { done: true });
    await call('DELETE', `/api/activities/${activity.id}`);
    await call('DELETE', `/api/deals/${deal.id}`);
    await call('DELETE', `/api/pipelines/${pipeline.id}`);

    await call('PATCH', '/api/workspace/settings', { honorPrivacySignals: true });
    await call('PATCH', '/api/workspace', { name: 'Demo Shop' });
    const invitation = await json<{ id: string }>(call('POST', '/api/workspace/invitations', { role: 'viewer' }));
    await call('DELETE', `/api/workspace/invitations/${invitation.id}`);
    const key = await json<{ id: string }>(call('POST', '/api/workspace/api-keys', { name: 'Sweep key' }));
    await call('DELETE', `/api/workspace/api-keys/${key.id}`);

    // Turnstile: the workspace's secret, a funnel's check on and off, the secret removed.
    await call('PUT', '/api/workspace/turnstile-secret', { secretKey: '0x4AAAAAAAC3DHQhMMQ_Rxrg1MmhVvnrNcE' });
    await call('PUT', `/api/funnels/${funnelId}/turnstile`, { enabled: true, siteKey: '0x4AAAAAAAC3DHQFLr1GavRN' });
    await call('PUT', `/api/funnels/${funnelId}/turnstile`, { enabled: false, siteKey: null });
    await call('DELETE', '/api/workspace/turnstile-secret');

    // The member's own account: notifications, two-factor set up, codes replaced, turned off.
    await call('PUT', '/api/me/notifications', { newLead: true });
    const setup = await json<{ secret: string }>(call('POST', '/api/me/two-factor/setup'));
    await call('POST', '/api/me/two-factor/confirm', { code: await totpCode(setup.secret, t.clock.now()) });
    await call('POST', '/api/me/two-factor/recovery-codes', { password: DEMO.password });
    await call('DELETE', '/api/me/two-factor', { password: DEMO.password });

    // A lead's data: imported, its downloads recorded, then erased.
    await call('POST', '/api/imports/leads', { csv: 'Email,Name\nsweep.lead@shop.example,Sweep Lead\n' });
    const [{ id: leadId }] = (await t.database.db.all<{ id: string }>(
      sql`select id from leads where email = 'sweep.lead@shop.example'`,
    )) as [{ id: string }];
    await download(`/api/leads/${leadId}/export`);
    await download('/api/leads/export.csv');
    await download('/api/exports/leads');
    await download('/api/workspace/export');
    await call('POST', `/api/leads/${leadId}/erase`, { confirm: 'ERASE' });
    // Failures, for the other half of the promise.
    await call('DELETE', `/api/deals/${deal.id}`);
    await call('POST', '/api/pipelines', { name: '' });

    const recorded = new Set<string>();
    for (const request of sent) {
      const rows = await t.database.db.all<{ action: string }>(sql`select action from audit_log where request_id = ${request.requestId}`);
      expect(rows, `${request.key} answered ${request.status}`).toHaveLength(request.status < 400 ? 1 : 0);
      for (const row of rows) recorded.add(row.action);
    }
    expect(sent.filter((r) => r.status >= 400).map((r) => r.key)).toEqual([`DELETE /api/deals/${deal.id}`, 'POST /api/pipelines']);
    // The member's own changes are about the member; a lead's export and erasure about the lead.
    const about = async (action: string) =>
      (
        await t.database.db.all<{ object_type: string; object_id: string }>(
          sql`select object_type, object_id from audit_log where action = ${action} order by created_at desc limit 1`,
        )
      )[0];
    for (const action of [
      'auth.two_factor_enable',
      'auth.two_factor_disable',
      'auth.recovery_codes_replace',
      'member.notifications_update',
    ])
      expect(await about(action), action).toEqual({ object_type: 'member', object_id: ownerId });
    expect(await about('lead.export')).toEqual({ object_type: 'lead', object_id: leadId });
    expect(await about('lead.erase')).toEqual({ object_type: 'lead', object_id: leadId });
    expect(await about('workspace.export')).toEqual({ object_type: 'workspace', object_id: workspaceId });
    // Every recorded download, and how much of the route table's changes this exercised for real
    // (the mapping test covers the rest by name).
    const reads = new Set(Object.values(AUDITED_READS).map((r) => r.action));
    expect([...recorded].filter((a) => reads.has(a)).sort()).toEqual([...reads].sort());
    const changes = [...recorded].filter((a) => !reads.has(a));
    const recordRoutes = mutatingRoutes().filter((r) => auditRuleFor(r.method, r.path)!.kind === 'record');
    expect(changes.length).toBeGreaterThanOrEqual(35);
    expect(changes.length / recordRoutes.length).toBeGreaterThan(0.55);
    console.log(
      `\nAudit sweep: ${sent.length} requests (${sent.filter((r) => r.status >= 400).length} failures, no entry); ` +
        `${changes.length} of the ${recordRoutes.length} recorded change routes and all ${reads.size} recorded downloads called for real, each success with exactly one entry.`,
    );
  });

  it('records nothing for visitors: landing-page form posts and the beacon', async () => {
    await publishLeadFormFunnel(owner, 'audit-visitors');
    const before = await rowCount();
    const visitor = t.client();
    const { res } = await fillAndPost(t, visitor, '/p/audit-visitors/join', 'signup', {
      email: 'visitor@example.com',
      name: 'Vera Visitor',
      consent: 'on',
    });
    expect(res.status).toBeLessThan(400);
    const beacon = await visitor.request('/e', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ events: [{ id: 'evt0000000000000001', type: 'engaged', at: t.clock.now(), path: '/p/audit-visitors/join' }] }),
    });
    expect(beacon.status).toBeLessThan(400);
    expect(await rowCount()).toBe(before);
  });
});

describe('what an entry holds', () => {
  it('has who, what, which object, when, an IP hash and a browser family, and never field values or emails', async () => {
    const res = await owner.request('/api/workspace/invitations', {
      method: 'POST',
      json: { role: 'editor', email: 'sam.secret@example.com' },
      headers: { 'user-agent': CHROME_MAC },
    });
    expect(res.status).toBe(201);
    const invitation = (await res.json()) as { id: string };
    const [entry] = await entries({ action: 'member.invite' });
    expect(entry).toMatchObject({
      action: 'member.invite',
      objectType: 'invitation',
      objectId: invitation.id,
      summary: 'role: editor; fields: role, email',
      device: 'Chrome on macOS',
      createdAt: t.clock.now(),
    });
    expect(entry!.ipHash).toMatch(/^[0-9a-f]{32}$/);
    const raw = await t.database.db.all<Record<string, unknown>>(sql`select * from audit_log`);
    expect(JSON.stringify(raw)).not.toContain('sam.secret');
    expect(JSON.stringify(raw)).not.toContain('Macintosh');
  });

  it('names the API key for changes made with one', async () => {
    const created = await owner.post('/api/workspace/api-keys', { name: 'Shopify' });
    const { key, id: keyId } = (await created.json()) as { key: string; id: string };
    const send = await t.client().request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'purchase',
        email: 'ava@example.com',
        orderId: '#9',
        amountMinor: 100,
        currency: 'USD',
        funnel: 'cosmetics-set',
      }),
    });
    expect(send.status).toBeLessThan(300);
    const [entry] = await entries({ action: 'server_event' });
    expect(entry!.actor).toMatchObject({
      kind: 'api_key',
      userId: null,
      apiKeyId: keyId,
      apiKeyName: expect.stringMatching(/^Shopify \(lf_key_/),
    });
    expect((await entries({ action: 'api_key.create' }))[0]).toMatchObject({ objectId: keyId, actor: { kind: 'member', userId: ownerId } });
    expect((await owner.request(`/api/workspace/api-keys/${keyId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await entries({ action: 'api_key.revoke' }))[0]).toMatchObject({ objectId: keyId });
  });

  it('records sign-in, sign-out, role changes and joining, in the member’s workspaces', async () => {
    const invite = (await (await owner.post('/api/workspace/invitations', { role: 'viewer' })).json()) as { token: string };
    const newcomer = t.client();
    const { user } = await newcomer.signup('newcomer@example.com', 'correct horse battery', 'Nina New', { inviteToken: invite.token });
    expect((await entries({ actor: user.id, action: 'member.join' }))[0]).toMatchObject({ objectId: user.id, summary: 'role: viewer' });

    t.clock.advance(1_000);
    expect((await newcomer.post('/api/auth/logout')).status).toBe(204);
    t.clock.advance(1_000);
    await newcomer.post(
      '/api/auth/login',
      { email: 'newcomer@example.com', password: 'correct horse battery' },
      { 'user-agent': CHROME_MAC },
    );
    const mine = await entries({ actor: user.id, action: 'auth' });
    expect(mine.map((e) => e.action)).toEqual(['auth.sign_in', 'auth.sign_out']);
    expect(mine[0]!.device).toBe('Chrome on macOS');

    const role = await owner.rpc.api.workspace.members[':userId'].$patch({ param: { userId: user.id }, json: { role: 'editor' } });
    expect(role.status).toBe(200);
    expect((await entries({ action: 'member.role_change' }))[0]).toMatchObject({
      objectId: user.id,
      summary: 'role: editor; fields: role',
    });
  });

  it('records a locked account once, as a system event about the member', async () => {
    await t.client().signup('locked@example.com');
    const lockedId = (await t.database.db.all<{ id: string }>(sql`select id from users where email = 'locked@example.com'`))[0]!.id;
    const attacker = t.client();
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const res = await attacker.post('/api/auth/login', { email: 'locked@example.com', password: 'wrong password!' });
      if (res.status === 429) refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(2);
    const lockouts = await t.database.db.all<{ actor_kind: string; object_id: string }>(
      sql`select actor_kind, object_id from audit_log where action = 'auth.lockout'`,
    );
    expect(lockouts).toEqual([{ actor_kind: 'system', object_id: lockedId }]);
  });
});

describe('the audit log API', () => {
  it('is for owners only: editors and viewers get 403, another workspace’s owner sees none of it', async () => {
    const invite = async (role: 'editor' | 'viewer') =>
      ((await (await owner.post('/api/workspace/invitations', { role })).json()) as { token: string }).token;
    for (const role of ['editor', 'viewer'] as const) {
      const member = t.client();
      await member.signup(`${role}-audit@example.com`, 'correct horse battery', 'M', { inviteToken: await invite(role) });
      const res = await member.rpc.api.audit.$get({ query: {} }, { headers: { 'x-workspace-id': workspaceId } });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('insufficient_role');
      expect((await member.request(`/api/audit/export`, { headers: { 'x-workspace-id': workspaceId } })).status).toBe(403);
    }
    const stranger = t.client();
    const { workspaceId: theirs } = await stranger.signup('stranger@example.com');
    const theirLog = await entries({}, stranger);
    expect(theirLog.map((e) => e.action)).toEqual(['workspace.create']);
    expect(theirLog[0]!.objectId).toBe(theirs);
    expect((await stranger.request('/api/audit', { headers: { 'x-workspace-id': workspaceId } })).status).toBe(404);
  });

  it('filters by actor, action group, object and time, newest first, paged by cursor', async () => {
    const start = t.clock.now();
    const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'Paging', slug: 'paging' } })).json();
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      await owner.rpc.api.funnels[':id'].$patch({ param: { id: funnel.id }, json: { name: `Paging ${i}` } });
    }
    const all = await entries({ objectType: 'funnel', objectId: funnel.id });
    expect(all.map((e) => e.action)).toEqual([...Array(5).fill('funnel.update'), 'funnel.create']);
    expect(all.map((e) => e.createdAt)).toEqual([...all.map((e) => e.createdAt)].sort((a, b) => b - a));

    const pages: Entry[][] = [];
    let cursor: string | undefined;
    do {
      const res = await owner.rpc.api.audit.$get({ query: { objectId: funnel.id, limit: '4', ...(cursor ? { cursor } : {}) } });
      const body = await res.json();
      pages.push(body.entries);
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([4, 2]);
    expect(pages.flat().map((e) => e.id)).toEqual(all.map((e) => e.id));

    const window = await entries({
      objectId: funnel.id,
      from: new Date(start + 2_000).toISOString(),
      to: new Date(start + 4_000).toISOString(),
    });
    expect(window).toHaveLength(3);
    expect(await entries({ objectId: funnel.id, action: 'deal' })).toEqual([]);
    expect((await entries({ objectId: funnel.id, action: 'funnel.create' })).map((e) => e.objectId)).toEqual([funnel.id]);

    const bad = await owner.request('/api/audit?action=DROP%20TABLE&from=yesterday');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).fields?.map((f) => f.path).sort()).toEqual(['action', 'from']);
    const backwards = await owner.request('/api/audit?from=2026-11-02&to=2026-11-01');
    expect((await errorOf(backwards)).code).toBe('invalid_period');
  });

  it('downloads the filtered list as formula-safe CSV', async () => {
    await owner.rpc.api.funnels.$post({ json: { name: '=HYPERLINK("http://evil.example")', slug: 'csv-audit' } });
    const res = await owner.request('/api/audit/export?action=funnel');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual([
      'Time (UTC)',
      'Actor',
      'Actor kind',
      'API key',
      'Action',
      'Object type',
      'Object id',
      'Summary',
      'IP hash',
      'Device',
    ]);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r[4]!.startsWith('funnel.'))).toBe(true);
    expect(rows.find((r) => r[4] === 'funnel.create')).toEqual(expect.arrayContaining(['Demo Marketer', 'member', 'funnel']));
    // Values never reach the log, so the formula name is not there either; every cell stays text.
    expect(rows.flat().some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
  });
});

describe('when the entry cannot be written', () => {
  it('keeps the change, answers normally and logs the failure as an error', async () => {
    const lines: Array<{ level: LogLevel; entry: Record<string, unknown> }> = [];
    setLogger(
      createLogger({ format: 'json', write: (level, line) => lines.push({ level, entry: JSON.parse(line) as Record<string, unknown> }) }),
    );
    // A stand-in for a failing write (disk full, a lost connection): inserts into the log abort.
    await t.database.client.execute(
      `create trigger audit_log_test_refuse before insert on audit_log begin select raise(abort, 'disk full'); end`,
    );
    try {
      const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'Kept anyway', slug: 'kept-anyway' } })).json();
      const renamed = await owner.rpc.api.funnels[':id'].$patch({ param: { id: funnel.id }, json: { name: 'Still kept' } });
      expect(renamed.status).toBe(200);
      const [row] = await t.database.db.all<{ name: string }>(sql`select name from funnels where id = ${funnel.id}`);
      expect(row!.name).toBe('Still kept');
      const errors = lines.filter((l) => l.level === 'error').map((l) => l.entry);
      expect(errors).toEqual([
        expect.objectContaining({
          message: 'audit entry not written; the change itself succeeded',
          action: 'funnel.create',
          error: expect.stringMatching(/disk full/),
        }),
        expect.objectContaining({ action: 'funnel.update', route: 'PATCH /api/funnels/:id', error: expect.stringMatching(/disk full/) }),
      ]);
    } finally {
      await t.database.client.execute(`drop trigger audit_log_test_refuse`);
      setLogger(log);
    }
  });
});

describe('append-only', () => {
  it('refuses UPDATE and DELETE in the database itself', async () => {
    expect(await rowCount()).toBeGreaterThan(10);
    await expect(t.database.client.execute(`update audit_log set action = 'funnel.read'`)).rejects.toThrow(/append-only/);
    await expect(t.database.client.execute(`delete from audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.database.client.execute(`delete from audit_log where workspace_id = '${workspaceId}'`)).rejects.toThrow(/append-only/);
    expect(await rowCount()).toBeGreaterThan(10);
  });
});
