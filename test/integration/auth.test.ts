import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorOf, type TestApp } from '../support/app';
import { SESSION_TTL_MS } from '../../workers/services/sessions';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function count(table: string): Promise<number> {
  const rows = await t.database.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${table}`));
  return Number(rows[0]!.n);
}

describe('signup', () => {
  it('creates the user, a workspace they own and a session cookie', async () => {
    const client = t.client();
    const res = await client.rpc.api.auth.signup.$post({
      json: {
        email: '  Alice@Example.COM ',
        password: 'a long enough password',
        name: 'Alice',
        workspaceName: 'Alice Cosmetics',
      },
    });
    expect(res.status).toBe(201);
    const cookie = client.lastSetCookie.find((c) => c.startsWith('lf_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    const me = await client.rpc.api.me.$get();
    expect(me.status).toBe(200);
    const body = await me.json();
    expect(body.user.email).toBe('alice@example.com');
    expect(body.workspaces).toEqual([expect.objectContaining({ name: 'Alice Cosmetics', role: 'owner' })]);
  });

  it('stores the session token hashed, never as sent', async () => {
    const client = t.client();
    await client.signup('hash-check@example.com');
    const token = client.cookies.get('lf_session')!;
    const rows = await t.database.db.all<{ id: string }>(sql`select id from sessions`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id)).not.toContain(token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true);
  });

  it('uses a __Host- prefixed Secure cookie over https', async () => {
    const client = t.client('https://app.leadflare.test');
    await client.signup('secure@example.com');
    const cookie = client.lastSetCookie[0]!;
    expect(cookie).toMatch(/^__Host-lf_session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
    expect((await client.rpc.api.me.$get()).status).toBe(200);
  });

  it('lists every invalid field in the one error shape and writes nothing', async () => {
    const before = await count('users');
    const res = await t.client().post('/api/auth/signup', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.fields!.map((f) => f.path).sort()).toEqual(['email', 'name', 'password']);
    expect(await count('users')).toBe(before);
  });

  it('rejects a taken email with 409, and a race of two signups leaves exactly one account', async () => {
    // Untyped: the typed client knows only the 201 of a signup, and this race is about which one gets the 409.
    const [a, b] = await Promise.all([
      t.client().post('/api/auth/signup', { email: 'race@example.com', password: 'correct horse battery', name: 'A' }),
      t.client().post('/api/auth/signup', { email: 'RACE@example.com', password: 'correct horse battery', name: 'B' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await errorOf(a.status === 409 ? a : b)).code).toBe('email_taken');
    const users = await t.database.db.all<{ n: number }>(sql`select count(*) as n from users where email = 'race@example.com'`);
    expect(Number(users[0]!.n)).toBe(1);
    // The loser's workspace and membership were in the same batch, so they are gone too.
    const orphans = await t.database.db.all<{ n: number }>(
      sql`select count(*) as n from workspaces w where not exists (select 1 from memberships m where m.workspace_id = w.id)`,
    );
    expect(Number(orphans[0]!.n)).toBe(0);
  });

  it('answers malformed JSON and non-JSON bodies with 400 in the error shape', async () => {
    const client = t.client();
    const bad = await client.request('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect((await errorOf(bad)).code).toBe('invalid_json');
    const text = await client.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect((await errorOf(text)).code).toBe('unsupported_content_type');
  });

  it('rejects bodies over the API limit with 413', async () => {
    const res = await t
      .client()
      .rpc.api.auth.signup.$post({ json: { email: 'big@example.com', password: 'x'.repeat(300_000), name: 'Big' } });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');
  });
});

describe('login and logout', () => {
  it('logs in with the right password only, with a generic message', async () => {
    await t.client().signup('bob@example.com', 'bobs secret password');
    const wrong = await t.client().rpc.api.auth.login.$post({ json: { email: 'bob@example.com', password: 'nope nope nope' } });
    expect(wrong.status).toBe(401);
    const unknown = await t.client().rpc.api.auth.login.$post({ json: { email: 'nobody@example.com', password: 'nope nope nope' } });
    expect(unknown.status).toBe(401);
    expect((await errorOf(wrong)).message).toBe((await errorOf(unknown)).message);

    const client = t.client();
    const ok = await client.rpc.api.auth.login.$post({ json: { email: 'BOB@example.com', password: 'bobs secret password' } });
    expect(ok.status).toBe(200);
    expect((await client.rpc.api.me.$get()).status).toBe(200);
  });

  it('revokes the session on logout: the old cookie replayed is rejected', async () => {
    const client = t.client();
    await client.signup('carol@example.com');
    const stolen = `lf_session=${client.cookies.get('lf_session')}`;
    expect((await client.rpc.api.auth.logout.$post()).status).toBe(204);
    expect(client.cookies.has('lf_session')).toBe(false);
    const replay = await t.client().get('/api/me', { cookie: stolen });
    expect(replay.status).toBe(401);
    expect((await errorOf(replay)).code).toBe('unauthorized');
  });

  it('slides the expiry on use and expires idle sessions', async () => {
    const client = t.client();
    await client.signup('dave@example.com');
    t.clock.advance(SESSION_TTL_MS - 60_000);
    expect((await client.rpc.api.me.$get()).status).toBe(200);
    expect(client.lastSetCookie.some((c) => c.startsWith('lf_session='))).toBe(true); // renewed
    t.clock.advance(SESSION_TTL_MS - 60_000); // still within the renewed window
    expect((await client.rpc.api.me.$get()).status).toBe(200);
    t.clock.advance(SESSION_TTL_MS + 1); // idle beyond the window
    expect((await client.rpc.api.me.$get()).status).toBe(401);
  });
});
