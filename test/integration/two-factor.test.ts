import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { totpCode } from '../../workers/domain/totp';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;
const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

/** Moves the test clock into the next 30-second step: every step's code is accepted once. */
function nextStep() {
  t.clock.advance(STEP_MS);
}

async function enrolled(email: string): Promise<{ client: TestClient; secret: string; recoveryCodes: string[]; userId: string }> {
  const client = t.client();
  const { user } = await client.signup(email);
  const setup = await client.rpc.api.me['two-factor'].setup.$post();
  expect(setup.status).toBe(200);
  const { secret } = await setup.json();
  const confirm = await client.rpc.api.me['two-factor'].confirm.$post({ json: { code: await totpCode(secret, t.clock.now()) } });
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  nextStep();
  return { client, secret, recoveryCodes, userId: user.id };
}

async function passwordStep(email: string, client = t.client()) {
  const res = await client.rpc.api.auth.login.$post({ json: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const body = await res.json();
  if (body.status !== 'two_factor_required') throw new Error(`expected the second step, got ${JSON.stringify(body)}`);
  return { client, pendingToken: body.pendingToken, setCookie: client.lastSetCookie };
}

function secondStep(client: TestClient, pendingToken: string, code: string) {
  return client.rpc.api.auth.login['two-factor'].$post({ json: { pendingToken, code } });
}

describe('enrolment', () => {
  it('shows a secret once, turns on only with a right code, then gives ten recovery codes', async () => {
    const client = t.client();
    const { user } = await client.signup('enrol@2fa.test');
    const before = await (await client.rpc.api.me['two-factor'].$get()).json();
    expect(before).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0, requiredBy: [] });

    const setup = await (await client.rpc.api.me['two-factor'].setup.$post()).json();
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toBe(
      `otpauth://totp/Leadflare:enrol%402fa.test?secret=${setup.secret}&issuer=Leadflare&algorithm=SHA1&digits=6&period=30`,
    );
    // Not on until confirmed: sign-in still takes the password alone.
    expect((await (await client.rpc.api.me['two-factor'].$get()).json()).enabled).toBe(false);

    const wrong = await client.rpc.api.me['two-factor'].confirm.$post({ json: { code: '000000' } });
    expect(wrong.status).toBe(400);
    const error = await errorOf(wrong);
    expect(error.code).toBe('invalid_code');
    expect(error.fields?.[0]?.path).toBe('code');

    const ok = await client.rpc.api.me['two-factor'].confirm.$post({ json: { code: await totpCode(setup.secret, t.clock.now()) } });
    expect(ok.status).toBe(200);
    const { recoveryCodes } = (await ok.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const after = await (await client.rpc.api.me['two-factor'].$get()).json();
    expect(after).toMatchObject({ enabled: true, enabledAt: t.clock.now(), recoveryCodesLeft: 10 });
    expect(JSON.stringify(after)).not.toContain(setup.secret);
    expect((await client.rpc.api.me['two-factor'].setup.$post()).status).toBe(409);

    // Neither the secret nor any recovery code is stored in the clear.
    const rows = await t.database.db.all<Record<string, unknown>>(
      sql`select t.secret_sealed, r.code_hash from user_two_factor t join two_factor_recovery_codes r using (user_id) where user_id = ${user.id}`,
    );
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(setup.secret);
    for (const code of recoveryCodes) expect(stored).not.toContain(code);
  });

  it('needs a signed-in member', async () => {
    const anonymous = t.client();
    expect((await anonymous.rpc.api.me['two-factor'].$get()).status).toBe(401);
    expect((await anonymous.rpc.api.me['two-factor'].setup.$post()).status).toBe(401);
  });
});

describe('signing in with two-factor authentication', () => {
  it('the password alone gives no session; the code does, with a new session id', async () => {
    const { secret } = await enrolled('code@2fa.test');
    const client = t.client();
    client.cookies.set('lf_session', 'planted-by-someone-else-0123456789');
    const { pendingToken, setCookie } = await passwordStep('code@2fa.test', client);
    expect(setCookie.some((c) => c.startsWith('lf_session=') && !/max-age=0/i.test(c))).toBe(false);
    expect((await client.rpc.api.me.$get()).status).toBe(401);

    const res = await secondStep(client, pendingToken, await totpCode(secret, t.clock.now()));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'signed_in', user: { email: 'code@2fa.test' }, method: 'totp' });
    expect(client.cookies.get('lf_session')).not.toBe('planted-by-someone-else-0123456789');
    expect((await client.rpc.api.me.$get()).status).toBe(200);
  });

  it('a code works once: the same code again in its window is refused, the next step’s code is taken', async () => {
    const { secret } = await enrolled('replay@2fa.test');
    const code = await totpCode(secret, t.clock.now());
    const first = await passwordStep('replay@2fa.test');
    expect((await secondStep(first.client, first.pendingToken, code)).status).toBe(200);

    t.clock.advance(5_000); // still the same 30-second window
    const second = await passwordStep('replay@2fa.test');
    const replay = await secondStep(second.client, second.pendingToken, code);
    expect(replay.status).toBe(400);
    expect((await errorOf(replay)).code).toBe('invalid_code');
    expect((await second.client.rpc.api.me.$get()).status).toBe(401);

    nextStep();
    expect((await secondStep(second.client, second.pendingToken, await totpCode(secret, t.clock.now()))).status).toBe(200);
  });

  it('accepts a code one step old or ahead (clock drift), not two', async () => {
    const { secret } = await enrolled('drift@2fa.test');
    const a = await passwordStep('drift@2fa.test');
    expect((await secondStep(a.client, a.pendingToken, await totpCode(secret, t.clock.now() - 2 * STEP_MS))).status).toBe(400);
    expect((await secondStep(a.client, a.pendingToken, await totpCode(secret, t.clock.now() + STEP_MS))).status).toBe(200);
  });

  it('a recovery code signs in once and is gone', async () => {
    const { client: enrolledClient, recoveryCodes } = await enrolled('recovery@2fa.test');
    const code = recoveryCodes[3]!;
    const first = await passwordStep('recovery@2fa.test');
    // Typed in lower case without the dash still counts.
    const res = await secondStep(first.client, first.pendingToken, code.toLowerCase().replace('-', ''));
    expect(res.status).toBe(200);
    expect((await res.json()).method).toBe('recovery_code');
    expect((await (await enrolledClient.rpc.api.me['two-factor'].$get()).json()).recoveryCodesLeft).toBe(9);

    const again = await passwordStep('recovery@2fa.test');
    const reuse = await secondStep(again.client, again.pendingToken, code);
    expect(reuse.status).toBe(400);
    expect((await errorOf(reuse)).code).toBe('invalid_code');
    // Another member's recovery code is no use either.
    const other = await enrolled('recovery-other@2fa.test');
    expect((await secondStep(again.client, again.pendingToken, other.recoveryCodes[0]!)).status).toBe(400);
  });

  it('throttles wrong codes with 429 and Retry-After, the right code included once over the limit', async () => {
    const { secret } = await enrolled('throttle@2fa.test');
    const { client, pendingToken } = await passwordStep('throttle@2fa.test');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await secondStep(client, pendingToken, String(100000 + i))).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const limited = await secondStep(client, pendingToken, await totpCode(secret, t.clock.now()));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).code).toBe('too_many_attempts');
    // A fresh pending token does not reset the count: it is per account.
    const again = await passwordStep('throttle@2fa.test');
    expect((await secondStep(again.client, again.pendingToken, await totpCode(secret, t.clock.now()))).status).toBe(429);
    // After the window, the right code works.
    t.clock.advance(15 * 60_000);
    const later = await passwordStep('throttle@2fa.test');
    expect((await secondStep(later.client, later.pendingToken, await totpCode(secret, t.clock.now()))).status).toBe(200);
  });

  it('the pending token lasts five minutes and cannot be forged', async () => {
    const { secret } = await enrolled('expiry@2fa.test');
    const { client, pendingToken } = await passwordStep('expiry@2fa.test');
    const forged = await secondStep(client, `${pendingToken.slice(0, -3)}abc`, await totpCode(secret, t.clock.now()));
    expect(forged.status).toBe(401);
    expect((await errorOf(forged)).code).toBe('login_expired');
    t.clock.advance(5 * 60_000 + 1);
    const late = await secondStep(client, pendingToken, await totpCode(secret, t.clock.now()));
    expect(late.status).toBe(401);
    expect((await errorOf(late)).code).toBe('login_expired');
  });

  it('works on the server-rendered form: a second page, then the session', async () => {
    const { secret, recoveryCodes } = await enrolled('form@2fa.test');
    const client = t.client();
    const page = await client.request('/login', form({ email: 'form@2fa.test', password: PASSWORD, next: '/app/leads' }));
    expect(page.status).toBe(200);
    expect(client.cookies.has('lf_session')).toBe(false);
    const html = await page.text();
    expect(html).toContain('Enter your code');
    expect(html).toContain('autocomplete="one-time-code"');
    const pendingToken = /name="pendingToken" value="([^"]+)"/.exec(html)![1]!;

    const wrong = await client.request('/login/two-factor', form({ pendingToken, code: '000000', next: '/app/leads' }));
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That code is not right');

    const ok = await client.request(
      '/login/two-factor',
      form({ pendingToken, code: await totpCode(secret, t.clock.now()), next: '/app/leads' }),
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/app/leads');
    expect(client.cookies.has('lf_session')).toBe(true);

    // And with a recovery code, on a second device.
    const phone = t.client();
    const page2 = await (await phone.request('/login', form({ email: 'form@2fa.test', password: PASSWORD }))).text();
    const token2 = /name="pendingToken" value="([^"]+)"/.exec(page2)![1]!;
    const viaRecovery = await phone.request('/login/two-factor', form({ pendingToken: token2, code: recoveryCodes[0]! }));
    expect(viaRecovery.status).toBe(303);
    expect(phone.cookies.has('lf_session')).toBe(true);
  });

  it('the form answers 429 with Retry-After over the limit, and an expired token goes back to the password', async () => {
    await enrolled('form-throttle@2fa.test');
    const client = t.client();
    const html = await (await client.request('/login', form({ email: 'form-throttle@2fa.test', password: PASSWORD }))).text();
    const pendingToken = /name="pendingToken" value="([^"]+)"/.exec(html)![1]!;
    for (let i = 0; i < 5; i++)
      expect((await client.request('/login/two-factor', form({ pendingToken, code: '111111' }))).status).toBe(400);
    const limited = await client.request('/login/two-factor', form({ pendingToken, code: '111111' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many wrong codes');

    const expired = await client.request('/login/two-factor', form({ pendingToken: 'not-a-real-token-at-all', code: '111111' }));
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('Sign in again');
  });
});

describe('turning it off and new recovery codes', () => {
  it('turning off needs a right code or password; afterwards the password alone signs in', async () => {
    const { client, secret } = await enrolled('off@2fa.test');
    const wrongPassword = await client.rpc.api.me['two-factor'].$delete({ json: { password: 'not my password' } });
    expect(wrongPassword.status).toBe(400);
    expect((await errorOf(wrongPassword)).code).toBe('invalid_password');
    const wrongCode = await client.rpc.api.me['two-factor'].$delete({ json: { code: '000000' } });
    expect(wrongCode.status).toBe(400);
    expect((await client.rpc.api.me['two-factor'].$delete({ json: { code: await totpCode(secret, t.clock.now()) } })).status).toBe(204);
    expect((await (await client.rpc.api.me['two-factor'].$get()).json()).enabled).toBe(false);
    const res = await t.client().rpc.api.auth.login.$post({ json: { email: 'off@2fa.test', password: PASSWORD } });
    expect((await res.json()).status).toBe('signed_in');
  });

  it('new recovery codes replace the old ones', async () => {
    const { client, recoveryCodes } = await enrolled('regen@2fa.test');
    const res = await client.rpc.api.me['two-factor']['recovery-codes'].$post({ json: { password: PASSWORD } });
    expect(res.status).toBe(200);
    const fresh = (await res.json()).recoveryCodes;
    expect(fresh).toHaveLength(10);
    const a = await passwordStep('regen@2fa.test');
    expect((await secondStep(a.client, a.pendingToken, recoveryCodes[0]!)).status).toBe(400);
    expect((await secondStep(a.client, a.pendingToken, fresh[0]!)).status).toBe(200);
  });
});

describe('a workspace that requires two-factor authentication', () => {
  async function invite(owner: TestClient, role: 'editor' | 'viewer', email: string) {
    const res = await owner.post('/api/workspace/invitations', { role });
    const { token } = (await res.json()) as { token: string };
    const member = t.client();
    await member.signup(email, PASSWORD, 'Member', { inviteToken: token });
    return member;
  }

  it('only an owner with 2FA can require it; editors and viewers cannot change it', async () => {
    const owner = t.client();
    const { workspaceId } = await owner.signup('owner-no2fa@2fa.test');
    const ws = { 'x-workspace-id': workspaceId };
    const refused = await owner.rpc.api.workspace.settings.$patch({ json: { requireTwoFactor: true } }, { headers: ws });
    expect(refused.status).toBe(409);
    expect((await errorOf(refused)).code).toBe('two_factor_not_enabled');

    const editor = await invite(owner, 'editor', 'editor-flip@2fa.test');
    const viewer = await invite(owner, 'viewer', 'viewer-flip@2fa.test');
    const byEditor = await editor.rpc.api.workspace.settings.$patch({ json: { requireTwoFactor: true } }, { headers: ws });
    expect(byEditor.status).toBe(403);
    expect((await errorOf(byEditor)).code).toBe('insufficient_role');
    const byViewer = await viewer.rpc.api.workspace.settings.$patch({ json: { requireTwoFactor: true } }, { headers: ws });
    expect(byViewer.status).toBe(403);
    expect((await errorOf(byViewer)).code).toBe('read_only_role');
    const { settings } = await (await owner.rpc.api.workspace.$get({}, { headers: ws })).json();
    expect(settings.requireTwoFactor).toBeUndefined();
  });

  it('members without 2FA are held at enrolment, API keys keep working, and enrolling lets them in', async () => {
    const { client: owner } = await enrolled('owner@2fa.test');
    const { workspaceId } = await (await owner.rpc.api.workspace.$get()).json().then((w) => ({ workspaceId: w.id }));
    const member = await invite(owner, 'editor', 'member@2fa.test');
    const keyRes = await owner.post('/api/workspace/api-keys', { name: 'Store' });
    const { key } = (await keyRes.json()) as { key: string };

    const on = await owner.rpc.api.workspace.settings.$patch({ json: { requireTwoFactor: true } });
    expect(on.status).toBe(200);
    expect((await on.json()).settings.requireTwoFactor).toBe(true);

    // The owner (with 2FA) carries on; the member's session is refused in that workspace.
    expect((await owner.rpc.api.funnels.$get({ query: {} }, { headers: { 'x-workspace-id': workspaceId } })).status).toBe(200);
    const blocked = await member.rpc.api.funnels.$get({ query: {} }, { headers: { 'x-workspace-id': workspaceId } });
    expect(blocked.status).toBe(403);
    expect((await errorOf(blocked)).code).toBe('two_factor_required');
    // What is not the workspace's stays open: their own account and 2FA settings.
    expect((await member.rpc.api.me.$get()).status).toBe(200);

    // The app opens on the enrolment screen for that workspace.
    const shell = await member.get(`/app/leads?workspace=${workspaceId}`);
    expect(shell.status).toBe(302);
    expect(shell.headers.get('location')).toBe(`/app/settings/security?required=${workspaceId}`);
    expect((await member.get(`/app/settings/security?workspace=${workspaceId}`)).status).not.toBe(302);

    const status = await (await member.rpc.api.me['two-factor'].$get()).json();
    expect(status.requiredBy).toEqual([{ id: workspaceId, name: expect.any(String) }]);

    // API keys are not sessions: unaffected.
    const viaKey = await t.client().request('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'unsubscribe', email: 'nobody@example.com' }),
    });
    expect([401, 403]).not.toContain(viaKey.status);

    // Enrolling opens the workspace, and 2FA cannot be turned off while it is required.
    const setup = await (await member.rpc.api.me['two-factor'].setup.$post()).json();
    const confirm = await member.rpc.api.me['two-factor'].confirm.$post({ json: { code: await totpCode(setup.secret, t.clock.now()) } });
    expect(confirm.status).toBe(200);
    expect((await member.rpc.api.funnels.$get({ query: {} }, { headers: { 'x-workspace-id': workspaceId } })).status).toBe(200);
    expect((await member.get(`/app/leads?workspace=${workspaceId}`)).status).toBe(200);
    nextStep();
    const off = await member.rpc.api.me['two-factor'].$delete({ json: { code: await totpCode(setup.secret, t.clock.now()) } });
    expect(off.status).toBe(409);
    expect((await errorOf(off)).code).toBe('two_factor_required');
  });
});
