import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_AUTH_LIMITS } from '../../workers/domain/auth-limits';
import { TRUSTED_DEVICE_TTL_MS, trustedDeviceToken } from '../../workers/services/auth-throttle';
import { createTestApp, errorOf, TEST_SECRET, type TestApp, type TestClient } from '../support/app';

/**
 * Sign-in and sign-up throttling with the real limits (domain/auth-limits.ts): 10 failed sign-ins
 * per account and 30 per IP hash in 15 minutes, 5 sign-ups per email and 20 per IP hash.
 * Each test comes from its own IP (the `x-test-ip` header, read by this app's `clientIp`).
 */
let t: TestApp;
const PASSWORD = 'correct horse battery';
const WINDOW_S = DEFAULT_AUTH_LIMITS.windowMs / 1000;

beforeAll(async () => {
  t = await createTestApp({ clientIp: (c) => c.req.header('x-test-ip') ?? '127.0.0.1' });
});
afterAll(() => t.close());

/** Signs up an account from an address of its own, so sign-ups do not spend a test's IP budget. */
let signupIp = 0;
async function account(email: string) {
  await t.client().post('/api/auth/signup', { email, password: PASSWORD, name: 'Member' }, { 'x-test-ip': `10.9.0.${++signupIp}` });
  return email;
}

function loginFrom(ip: string, email: string, password: string, client: TestClient = t.client()) {
  return client.post('/api/auth/login', { email, password }, { 'x-test-ip': ip });
}

const form = (values: Record<string, string>, ip: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': ip },
  body: new URLSearchParams(values).toString(),
});

describe('sign-in throttle', () => {
  it('answers 429 with Retry-After once an account has had 10 wrong passwords, for 100 guesses in a row', async () => {
    const victim = await account('victim@throttle.test');
    const statuses: number[] = [];
    let firstRefusal: Response | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await loginFrom('198.51.100.7', victim, `guess number ${i}`);
      statuses.push(res.status);
      if (res.status === 429) firstRefusal ??= res;
      else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(DEFAULT_AUTH_LIMITS.loginFailuresPerAccount);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - DEFAULT_AUTH_LIMITS.loginFailuresPerAccount);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);

    const retryAfter = Number(firstRefusal!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_S);
    const error = await errorOf(firstRefusal!);
    expect(error).toMatchObject({ code: 'too_many_attempts', status: 429 });
    expect(error.message).toMatch(/Too many sign-in attempts/);

    // Locked means locked: the right password from the same address is refused too, until the window ends.
    expect((await loginFrom('198.51.100.7', victim, PASSWORD)).status).toBe(429);
    // The account's own counter stops a second address as well (a botnet gets no more guesses).
    expect((await loginFrom('198.51.100.8', victim, PASSWORD)).status).toBe(429);
  });

  it('leaves other accounts, signing in from another address, alone', async () => {
    const attacked = await account('attacked@throttle.test');
    const bystander = await account('bystander@throttle.test');
    for (let i = 0; i < 12; i++) await loginFrom('198.51.100.20', attacked, `nope ${i}`);
    expect((await loginFrom('198.51.100.20', attacked, 'one more')).status).toBe(429);

    const client = t.client();
    const res = await loginFrom('203.0.113.5', bystander, PASSWORD, client);
    expect(res.status).toBe(200);
    expect((await client.rpc.api.me.$get()).status).toBe(200);
  });

  it('stops one address guessing across many accounts after 30 failures, and a success does not reset that', async () => {
    const ip = '198.51.100.30';
    const mine = await account('mine@throttle.test');
    // 29 failures spread over accounts, none of which reaches its own limit of 10.
    for (let i = 0; i < 29; i++) expect((await loginFrom(ip, `spray${i % 5}@throttle.test`, 'password1234')).status).toBe(401);
    // A success neither counts nor wipes the failures before it…
    expect((await loginFrom(ip, mine, PASSWORD)).status).toBe(200);
    expect((await loginFrom(ip, 'spray9@throttle.test', 'password1234')).status).toBe(401);
    // …so the 31st attempt after 30 failures is refused, whichever account it is for.
    const refused = await loginFrom(ip, mine, PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await loginFrom('198.51.100.31', mine, PASSWORD)).status).toBe(200);
  });

  it('never counts successful sign-ins: 40 in a row from one address all succeed', async () => {
    const busy = await account('busy@throttle.test');
    for (let i = 0; i < 40; i++) expect((await loginFrom('198.51.100.40', busy, PASSWORD)).status).toBe(200);
  });

  it('lets a correct password in again after a success cleared the account’s earlier failures', async () => {
    const forgetful = await account('forgetful@throttle.test');
    for (let i = 0; i < 9; i++) expect((await loginFrom('198.51.100.50', forgetful, `typo ${i}`)).status).toBe(401);
    expect((await loginFrom('198.51.100.50', forgetful, PASSWORD)).status).toBe(200);
    // The account starts afresh: 9 more typos are still answered 401, not 429.
    for (let i = 0; i < 9; i++) expect((await loginFrom('198.51.100.51', forgetful, `typo ${i}`)).status).toBe(401);
  });

  it('re-renders the sign-in form with the message, 429 and Retry-After', async () => {
    const member = await account('form@throttle.test');
    const client = t.client();
    for (let i = 0; i < 10; i++) {
      const res = await client.request('/login', form({ email: member, password: `wrong ${i}` }, '198.51.100.60'));
      expect(res.status).toBe(401);
    }
    const res = await client.request('/login', form({ email: member, password: PASSWORD }, '198.51.100.60'));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('Too many sign-in attempts. Try again in 15 minutes.');
    expect(html).toContain('role="alert"');
    expect(html).toContain(`value="${member}"`);
    expect(html).toContain('<form');
    expect(client.cookies.size).toBe(0);
  });

  it('opens again when the window has passed', async () => {
    const member = await account('patient@throttle.test');
    for (let i = 0; i < 10; i++) await loginFrom('198.51.100.70', member, `wrong ${i}`);
    const refused = await loginFrom('198.51.100.70', member, PASSWORD);
    expect(refused.status).toBe(429);
    t.clock.advance(Number(refused.headers.get('retry-after')) * 1000);
    expect((await loginFrom('198.51.100.70', member, PASSWORD)).status).toBe(200);
  });

  it('stores neither the email nor the IP in the counters', async () => {
    const rows = await t.database.db.all<{ key: string }>(sql`select key from rate_limit_buckets`);
    expect(rows.length).toBeGreaterThan(0);
    const keys = rows.map((r) => r.key).join('\n');
    expect(keys).not.toContain('@');
    expect(keys).not.toContain('198.51.100');
  });
});

describe('a browser that has signed in to the account before (trusted-device cookie)', () => {
  it('still gets in with the right password while a stranger has locked the account', async () => {
    const owner = await account('owner@device.test');
    const laptop = t.client();
    expect((await loginFrom('198.51.100.80', owner, PASSWORD, laptop)).status).toBe(200);
    expect(laptop.cookies.has('lf_device')).toBe(true);
    expect((await laptop.post('/api/auth/logout', {}, { 'x-test-ip': '198.51.100.80' })).status).toBeLessThan(300);
    expect(laptop.cookies.has('lf_session')).toBe(false);
    // A stranger spends the account's failures from many addresses: browsers without the cookie are locked out.
    for (let i = 0; i < 12; i++) await loginFrom(`203.0.113.${i + 1}`, owner, `guess ${i}`);
    expect((await loginFrom('203.0.113.50', owner, PASSWORD)).status).toBe(429);
    // The owner's laptop counts on its own: the right password gets in.
    expect((await loginFrom('198.51.100.80', owner, PASSWORD, laptop)).status).toBe(200);
  });

  it('counts that browser’s own failures with the same limit, and leaves the account’s alone', async () => {
    const member = await account('typist@device.test');
    const phone = t.client();
    expect((await loginFrom('198.51.100.81', member, PASSWORD, phone)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await loginFrom('198.51.100.81', member, `typo ${i}`, phone)).status);
    expect(statuses).toEqual([...Array<number>(DEFAULT_AUTH_LIMITS.loginFailuresPerAccount).fill(401), 429]);
    expect((await loginFrom('198.51.100.82', member, PASSWORD)).status).toBe(200);
  });

  it('helps with no other account, and not when forged or expired', async () => {
    const locked = await account('locked@device.test');
    const other = await account('other@device.test');
    const browser = t.client();
    expect((await loginFrom('198.51.100.83', other, PASSWORD, browser)).status).toBe(200);
    for (let i = 0; i < 10; i++) await loginFrom(`203.0.113.${100 + i}`, locked, `guess ${i}`);
    // A cookie for another account is no pass.
    expect((await loginFrom('198.51.100.83', locked, PASSWORD, browser)).status).toBe(429);
    // Nor is one for this account whose signature is not ours, or whose time is up.
    const valid = await trustedDeviceToken(TEST_SECRET, locked, t.clock.now());
    const forged = t.client();
    forged.cookies.set('lf_device', `${valid.token.slice(0, -2)}${valid.token.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await loginFrom('198.51.100.84', locked, PASSWORD, forged)).status).toBe(429);
    const stale = t.client();
    stale.cookies.set('lf_device', (await trustedDeviceToken(TEST_SECRET, locked, t.clock.now() - TRUSTED_DEVICE_TTL_MS - 1)).token);
    expect((await loginFrom('198.51.100.85', locked, PASSWORD, stale)).status).toBe(429);
    // The genuine one does.
    const genuine = t.client();
    genuine.cookies.set('lf_device', valid.token);
    expect((await loginFrom('198.51.100.86', locked, PASSWORD, genuine)).status).toBe(200);
  });
});

describe('unknown email and wrong password', () => {
  it('get the same status and body, in a similar time (median of 7, ratio under 3)', async () => {
    const known = await account('known@throttle.test');
    const unknown = 'nobody-here@throttle.test';
    const timeOf = async (email: string, ip: string) => {
      const start = performance.now();
      const res = await loginFrom(ip, email, 'not the password');
      const body = await res.text();
      return { ms: performance.now() - start, status: res.status, body };
    };
    // Warm both paths once (module and prepared statements), then alternate so load affects both alike.
    await timeOf(known, '192.0.2.1');
    await timeOf(unknown, '192.0.2.2');
    const wrong: Array<Awaited<ReturnType<typeof timeOf>>> = [];
    const missing: Array<Awaited<ReturnType<typeof timeOf>>> = [];
    for (let i = 0; i < 7; i++) {
      wrong.push(await timeOf(known, '192.0.2.1'));
      missing.push(await timeOf(unknown, '192.0.2.2'));
    }
    expect(new Set([...wrong, ...missing].map((r) => `${r.status} ${r.body}`))).toEqual(
      new Set([`401 ${JSON.stringify({ error: { code: 'unauthorized', message: 'Email or password is incorrect.', status: 401 } })}`]),
    );
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const a = median(wrong.map((r) => r.ms));
    const b = median(missing.map((r) => r.ms));
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(3);
  });

  it('are throttled alike: an unknown email locks after 10 failures like a real one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await loginFrom('192.0.2.9', 'ghost@throttle.test', `guess ${i}`)).status);
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
  });
});

describe('sign-up throttle', () => {
  it('refuses a 21st sign-up from one address in the window, and not from another', async () => {
    const ip = '198.51.100.90';
    for (let i = 0; i < 20; i++) {
      const res = await t
        .client()
        .post('/api/auth/signup', { email: `new${i}@signup.test`, password: PASSWORD, name: 'New' }, { 'x-test-ip': ip });
      expect(res.status).toBe(201);
    }
    const refused = await t
      .client()
      .post('/api/auth/signup', { email: 'new20@signup.test', password: PASSWORD, name: 'New' }, { 'x-test-ip': ip });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(refused)).toMatchObject({ code: 'too_many_attempts', status: 429 });
    const users = await t.database.db.all<{ n: number }>(sql`select count(*) as n from users where email = 'new20@signup.test'`);
    expect(Number(users[0]!.n)).toBe(0);

    // The HTML form from the same address: re-rendered with the message, nothing created.
    const res = await t.client().request('/signup', form({ name: 'Form', email: 'form-signup@signup.test', password: PASSWORD }, ip));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await res.text();
    expect(html).toContain('Too many sign-up attempts from here.');
    expect(html).toContain('value="form-signup@signup.test"');

    expect(
      (
        await t
          .client()
          .post('/api/auth/signup', { email: 'elsewhere@signup.test', password: PASSWORD, name: 'E' }, { 'x-test-ip': '198.51.100.91' })
      ).status,
    ).toBe(201);
  });

  it('refuses a 6th sign-up attempt for one email, probing from many addresses', async () => {
    await account('taken@signup.test');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t
        .client()
        .post('/api/auth/signup', { email: 'taken@signup.test', password: PASSWORD, name: 'Probe' }, { 'x-test-ip': `198.51.101.${i}` });
      statuses.push(res.status);
    }
    // The first sign-up was the account itself (1 of 5), so four probes see 409 and the fifth 429.
    expect(statuses).toEqual([409, 409, 409, 409, 429, 429]);
  });
});
