import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function signedIn(email: string, userAgent: string): Promise<TestClient> {
  const client = t.client();
  const res = await client.post('/api/auth/login', { email, password: PASSWORD }, { 'user-agent': userAgent });
  expect(res.status).toBe(200);
  return client;
}

async function sessionsOf(client: TestClient) {
  const res = await client.rpc.api.me.sessions.$get();
  expect(res.status).toBe(200);
  return (await res.json()).sessions;
}

describe('session id at sign-in', () => {
  it('is new at every sign-in, never the one the browser brought, and the old one ends', async () => {
    await t.client().signup('rotate@sessions.test');
    const client = t.client();
    // A token planted before sign-in (session fixation) is not adopted.
    client.cookies.set('lf_session', 'planted-by-someone-else-0123456789');
    await client.post('/api/auth/login', { email: 'rotate@sessions.test', password: PASSWORD });
    const first = client.cookies.get('lf_session')!;
    expect(first).not.toBe('planted-by-someone-else-0123456789');

    await client.post('/api/auth/login', { email: 'rotate@sessions.test', password: PASSWORD });
    const second = client.cookies.get('lf_session')!;
    expect(second).not.toBe(first);

    // The session the browser was signed in with before is ended, not left behind.
    const old = t.client();
    old.cookies.set('lf_session', first);
    expect((await old.rpc.api.me.$get()).status).toBe(401);
    expect((await client.rpc.api.me.$get()).status).toBe(200);
    expect(await sessionsOf(client)).toHaveLength(2); // the sign-up’s session and this one
  });

  it('is new on the HTML form too', async () => {
    await t.client().signup('rotate-form@sessions.test');
    const client = t.client();
    const form = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'rotate-form@sessions.test', password: PASSWORD }).toString(),
    };
    await client.request('/login', form);
    const first = client.cookies.get('lf_session')!;
    await client.request('/login', form);
    expect(client.cookies.get('lf_session')).not.toBe(first);
    const old = t.client();
    old.cookies.set('lf_session', first);
    expect((await old.rpc.api.me.$get()).status).toBe(401);
  });
});

describe('/api/me/sessions', () => {
  it('lists the member’s own sessions with a device name, when each started and was last used, this one marked', async () => {
    await t.client().signup('lister@sessions.test');
    await t.client().signup('stranger@sessions.test');
    const laptop = await signedIn('lister@sessions.test', CHROME_LINUX);
    t.clock.advance(5 * 60_000);
    const phone = await signedIn('lister@sessions.test', SAFARI_IPHONE);
    await signedIn('stranger@sessions.test', FIREFOX_WINDOWS);

    const fromPhone = await sessionsOf(phone);
    const devices = fromPhone.map((s) => s.device);
    expect(devices).toContain('Chrome on Linux');
    expect(devices).toContain('Safari on iPhone');
    expect(devices).not.toContain('Firefox on Windows');
    expect(fromPhone.filter((s) => s.current)).toEqual([expect.objectContaining({ device: 'Safari on iPhone', userAgent: SAFARI_IPHONE })]);
    // The sign-up's own session (no User-Agent) is listed too: 3 in all.
    expect(fromPhone).toHaveLength(3);
    expect(fromPhone.find((s) => s.device === 'Unknown device')).toBeDefined();
    for (const s of fromPhone) expect(s.id).toMatch(/^[0-9a-f]{64}$/);

    const fromLaptop = await sessionsOf(laptop);
    expect(fromLaptop.find((s) => s.current)!.device).toBe('Chrome on Linux');
    expect(fromLaptop.find((s) => s.device === 'Chrome on Linux')!.createdAt).toBe(t.clock.now() - 5 * 60_000);
  });

  it('records "last used" at most once a minute, so most requests write nothing', async () => {
    await t.client().signup('toucher@sessions.test');
    const client = await signedIn('toucher@sessions.test', CHROME_LINUX);
    const signedInAt = t.clock.now();
    const lastUsed = async () => (await sessionsOf(client)).find((s) => s.current)!.lastUsedAt;
    const changes = async () => Number((await t.database.db.all<{ n: number }>(sql`select total_changes() as n`))[0]!.n);

    t.clock.advance(30_000);
    const before = await changes();
    for (let i = 0; i < 5; i++) expect((await client.rpc.api.me.$get()).status).toBe(200);
    expect(await changes()).toBe(before);
    expect(await lastUsed()).toBe(signedInAt);

    t.clock.advance(31_000);
    await client.rpc.api.me.$get();
    expect(await lastUsed()).toBe(signedInAt + 61_000);
  });

  it('signs out one other session, which is then signed out, and leaves this one', async () => {
    await t.client().signup('one@sessions.test');
    const laptop = await signedIn('one@sessions.test', CHROME_LINUX);
    const phone = await signedIn('one@sessions.test', SAFARI_IPHONE);
    const phoneSession = (await sessionsOf(phone)).find((s) => s.current)!;

    const res = await laptop.rpc.api.me.sessions[':id'].$delete({ param: { id: phoneSession.id } });
    expect(res.status).toBe(204);
    expect((await phone.rpc.api.me.$get()).status).toBe(401);
    expect((await laptop.rpc.api.me.$get()).status).toBe(200);
    expect((await sessionsOf(laptop)).map((s) => s.id)).not.toContain(phoneSession.id);

    // Again: it is gone.
    const again = await laptop.rpc.api.me.sessions[':id'].$delete({ param: { id: phoneSession.id } });
    expect(again.status).toBe(404);
    expect((await errorOf(again)).code).toBe('not_found');
  });

  it('cannot touch another member’s session: 404, and that session lives on', async () => {
    await t.client().signup('mallory@sessions.test');
    await t.client().signup('victim@sessions.test');
    const mallory = await signedIn('mallory@sessions.test', CHROME_LINUX);
    const victim = await signedIn('victim@sessions.test', SAFARI_IPHONE);
    const victimSession = (await sessionsOf(victim)).find((s) => s.current)!;

    const res = await mallory.rpc.api.me.sessions[':id'].$delete({ param: { id: victimSession.id } });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await errorOf(res))).not.toContain(victimSession.id);
    expect((await victim.rpc.api.me.$get()).status).toBe(200);
    // Signing out "all others" is scoped to the member as well.
    expect((await mallory.rpc.api.me.sessions.$delete()).status).toBe(200);
    expect((await victim.rpc.api.me.$get()).status).toBe(200);
  });

  it('signs out all other sessions at once and says how many', async () => {
    await t.client().signup('all@sessions.test');
    const here = await signedIn('all@sessions.test', CHROME_LINUX);
    const others = [await signedIn('all@sessions.test', SAFARI_IPHONE), await signedIn('all@sessions.test', FIREFOX_WINDOWS)];

    const res = await here.rpc.api.me.sessions.$delete();
    expect(res.status).toBe(200);
    // The two others and the sign-up's session.
    expect(await res.json()).toEqual({ signedOut: 3 });
    for (const other of others) expect((await other.rpc.api.me.$get()).status).toBe(401);
    expect((await sessionsOf(here)).map((s) => s.current)).toEqual([true]);
  });

  it('signs this session out too when asked by id, clearing the cookie', async () => {
    await t.client().signup('self@sessions.test');
    const client = await signedIn('self@sessions.test', CHROME_LINUX);
    const mine = (await sessionsOf(client)).find((s) => s.current)!;
    const res = await client.rpc.api.me.sessions[':id'].$delete({ param: { id: mine.id } });
    expect(res.status).toBe(204);
    expect(client.lastSetCookie.some((c) => /^lf_session=;/.test(c) && /Max-Age=0/i.test(c))).toBe(true);
    expect((await client.rpc.api.me.$get()).status).toBe(401);
  });

  it('validates the id and needs a signed-in member', async () => {
    await t.client().signup('valid@sessions.test');
    const client = await signedIn('valid@sessions.test', CHROME_LINUX);
    const bad = await client.rpc.api.me.sessions[':id'].$delete({ param: { id: 'not-a-session' } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'validation_failed', fields: [{ path: 'id', message: 'Not a session id.' }] });

    const anonymous = t.client();
    expect((await anonymous.rpc.api.me.sessions.$get()).status).toBe(401);
    expect((await anonymous.rpc.api.me.sessions.$delete()).status).toBe(401);
  });
});
