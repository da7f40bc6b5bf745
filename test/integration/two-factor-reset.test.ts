import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { totpCode } from '../../workers/domain/totp';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { mailTo } from '../support/outbox';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const PASSWORD = 'correct horse battery';

/** Every 30-second step's code is accepted once: move on before the next code. */
const nextStep = () => t.clock.advance(30_000);

interface Account {
  client: TestClient;
  userId: string;
  email: string;
  secret?: string;
  recoveryCodes?: string[];
}

async function enrol<A extends Account>(account: A): Promise<A & { secret: string; recoveryCodes: string[] }> {
  const { secret } = await (await account.client.rpc.api.me['two-factor'].setup.$post()).json();
  const confirm = await account.client.rpc.api.me['two-factor'].confirm.$post({ json: { code: await totpCode(secret, t.clock.now()) } });
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  nextStep();
  return { ...account, secret, recoveryCodes };
}

async function owner(label: string, name = `${label} Owner`) {
  const client = t.client();
  const email = `${label}-owner@reset.test`;
  const { user, workspaceId } = await client.signup(email, PASSWORD, name, { workspaceName: `${label} Workspace` });
  return { client, userId: user.id, email, workspaceId };
}

async function invite(from: TestClient, role: 'owner' | 'editor' | 'viewer') {
  const res = await from.post('/api/workspace/invitations', { role });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function member(ownerClient: TestClient, email: string, role: 'owner' | 'editor' | 'viewer' = 'editor'): Promise<Account> {
  const client = t.client();
  const { user } = await client.signup(email, PASSWORD, `Member ${email.split('@')[0]}`, { inviteToken: await invite(ownerClient, role) });
  return { client, userId: user.id, email };
}

function reset(by: TestClient, userId: string, code: string, workspaceId?: string) {
  return by.rpc.api.workspace.members[':userId']['two-factor'].reset.$post(
    { param: { userId }, json: { code } },
    workspaceId ? { headers: { 'x-workspace-id': workspaceId } } : undefined,
  );
}

async function passwordSignIn(email: string) {
  const client = t.client();
  const res = await client.rpc.api.auth.login.$post({ json: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return { client, body: await res.json() };
}

/** The reset mails to an address (sign-up sent a verification mail too). */
const resetMails = async (email: string) => (await mailTo(t.database, email)).filter((mail) => mail.kind === 'two_factor_reset');

async function twoFactorOn(userId: string) {
  const [row] = await t.database.db.all<{ on: number; codes: number }>(
    sql`select exists(select 1 from user_two_factor where user_id = ${userId} and enabled_at is not null) as "on",
          (select count(*) from two_factor_recovery_codes where user_id = ${userId}) as codes`,
  );
  return { on: row!.on === 1, codes: Number(row!.codes) };
}

async function sessionCount(userId: string) {
  const [row] = await t.database.db.all<{ n: number }>(sql`select count(*) as n from sessions where user_id = ${userId}`);
  return Number(row!.n);
}

describe('an owner resets a member’s two-factor authentication', () => {
  it('with the owner’s code: secret and recovery codes gone, every session ended, the member mailed, the log written', async () => {
    const o = await enrol(await owner('main', 'Olivia Owner'));
    const m = await enrol(await member(o.client, 'lost-phone@reset.test'));
    const laptop = await passwordSignIn(m.email);
    if (laptop.body.status !== 'two_factor_required') throw new Error('expected the second sign-in step');
    const second = await laptop.client.rpc.api.auth.login['two-factor'].$post({
      json: { pendingToken: laptop.body.pendingToken, code: await totpCode(m.secret, t.clock.now()) },
    });
    expect(second.status).toBe(200);
    expect(await sessionCount(m.userId)).toBe(2);
    expect(await twoFactorOn(m.userId)).toEqual({ on: true, codes: 10 });

    // Owners see who has it on; the row says so before and after.
    const before = await (await o.client.rpc.api.workspace.members.$get()).json();
    expect(before.members.find((x) => x.userId === m.userId)?.twoFactor).toBe(true);

    const res = await reset(o.client, m.userId, await totpCode(o.secret, t.clock.now()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: m.userId, twoFactor: false, sessionsEnded: 2, emailed: true });

    expect(await twoFactorOn(m.userId)).toEqual({ on: false, codes: 0 });
    expect(await sessionCount(m.userId)).toBe(0);
    expect((await m.client.rpc.api.me.$get()).status).toBe(401);
    expect((await laptop.client.rpc.api.me.$get()).status).toBe(401);
    const after = await (await o.client.rpc.api.workspace.members.$get()).json();
    expect(after.members.find((x) => x.userId === m.userId)?.twoFactor).toBe(false);

    // The password alone signs in now (the workspace does not require 2FA, so the app opens).
    const again = await passwordSignIn(m.email);
    expect(again.body.status).toBe('signed_in');
    expect((await again.client.get('/app/leads')).status).toBe(200);

    const [mail] = await resetMails(m.email);
    expect(mail).toMatchObject({ kind: 'two_factor_reset', userId: m.userId, subject: 'Your two-factor authentication was reset' });
    expect(mail!.text).toContain('Olivia Owner, an owner of the workspace “main Workspace”');
    expect(mail!.text).toContain('27 November 2026 at 12:');
    expect(mail!.text).toContain('Sign in with your password alone');
    expect(mail!.text).toContain('http://localhost/login');
    expect(mail!.text).not.toContain(m.secret);

    const entries = await t.database.db.all<Record<string, unknown>>(
      sql`select workspace_id, actor_user_id, object_type, object_id, summary from audit_log where action = 'member.two_factor_reset'`,
    );
    expect(entries).toEqual([
      { workspace_id: o.workspaceId, actor_user_id: o.userId, object_type: 'member', object_id: m.userId, summary: 'fields: code' },
    ]);
  });

  it('in a workspace that requires 2FA, the member signs in with the password and is sent to set it up again; a recovery code of the owner works too', async () => {
    const o = await enrol(await owner('strict'));
    expect((await o.client.rpc.api.workspace.settings.$patch({ json: { requireTwoFactor: true } })).status).toBe(200);
    const m = await enrol(await member(o.client, 'strict-member@reset.test'));

    const res = await reset(o.client, m.userId, o.recoveryCodes[0]!);
    expect(res.status).toBe(200);
    expect((await (await o.client.rpc.api.me['two-factor'].$get()).json()).recoveryCodesLeft).toBe(9);

    const again = await passwordSignIn(m.email);
    expect(again.body.status).toBe('signed_in');
    const shell = await again.client.get(`/app/leads?workspace=${o.workspaceId}`);
    expect(shell.status).toBe(302);
    expect(shell.headers.get('location')).toBe(`/app/settings/security?required=${o.workspaceId}`);
    const blocked = await again.client.rpc.api.funnels.$get({ query: {} }, { headers: { 'x-workspace-id': o.workspaceId } });
    expect((await errorOf(blocked)).code).toBe('two_factor_required');

    const [mail] = await resetMails(m.email);
    expect(mail!.text).toContain('strict Workspace requires two-factor authentication');

    // Setting it up again opens the workspace.
    const reenrolled = await enrol({ ...m, client: again.client });
    expect(reenrolled.recoveryCodes).toHaveLength(10);
    expect((await again.client.rpc.api.funnels.$get({ query: {} }, { headers: { 'x-workspace-id': o.workspaceId } })).status).toBe(200);
  });
});

describe('what a reset refuses', () => {
  it('a wrong code: 400 at the code field, nothing changed, no mail; repeated, 429', async () => {
    const o = await enrol(await owner('wrong'));
    const m = await enrol(await member(o.client, 'wrong-code@reset.test'));
    const res = await reset(o.client, m.userId, '000000');
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_code');
    expect(error.fields).toEqual([{ path: 'code', message: expect.stringContaining('not right') }]);
    expect(await twoFactorOn(m.userId)).toEqual({ on: true, codes: 10 });
    expect((await m.client.rpc.api.me.$get()).status).toBe(200);
    expect(await resetMails(m.email)).toEqual([]);

    for (let i = 0; i < 4; i++) expect((await reset(o.client, m.userId, String(200000 + i))).status).toBe(400);
    const limited = await reset(o.client, m.userId, await totpCode(o.secret, t.clock.now()));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await twoFactorOn(m.userId)).toEqual({ on: true, codes: 10 });
  });

  it('editors and viewers: 403, even with 2FA and a right code', async () => {
    const o = await enrol(await owner('roles'));
    const target = await enrol(await member(o.client, 'roles-target@reset.test'));
    const editor = await enrol(await member(o.client, 'roles-editor@reset.test', 'editor'));
    const viewer = await enrol(await member(o.client, 'roles-viewer@reset.test', 'viewer'));
    const byEditor = await reset(editor.client, target.userId, await totpCode(editor.secret, t.clock.now()));
    expect(byEditor.status).toBe(403);
    const byViewer = await reset(viewer.client, target.userId, await totpCode(viewer.secret, t.clock.now()));
    expect(byViewer.status).toBe(403);
    expect(await twoFactorOn(target.userId)).toEqual({ on: true, codes: 10 });
    // Who has 2FA on is for owners' eyes.
    const seen = await (await editor.client.rpc.api.workspace.members.$get()).json();
    expect(seen.members.every((x) => x.twoFactor === null)).toBe(true);
  });

  it('the owner on themselves: 409 that points to their recovery codes', async () => {
    const o = await enrol(await owner('self'));
    const res = await reset(o.client, o.userId, await totpCode(o.secret, t.clock.now()));
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe('two_factor_reset_self');
    expect(error.message).toContain('recovery codes');
    expect(await twoFactorOn(o.userId)).toEqual({ on: true, codes: 10 });
  });

  it('an owner without 2FA, and a member without it: 409 each', async () => {
    const plain = await owner('plain');
    const m = await enrol(await member(plain.client, 'plain-member@reset.test'));
    const noOwn = await reset(plain.client, m.userId, '123456');
    expect(noOwn.status).toBe(409);
    expect((await errorOf(noOwn)).code).toBe('two_factor_not_enabled');

    const o = await enrol(await owner('nothing'));
    const without = await member(o.client, 'no-2fa@reset.test');
    const nothing = await reset(o.client, without.userId, await totpCode(o.secret, t.clock.now()));
    expect(nothing.status).toBe(409);
    expect((await errorOf(nothing)).code).toBe('member_two_factor_not_enabled');
  });

  it('a member who also belongs to another workspace: 409 that says why and what to do, and nothing changes', async () => {
    const o = await enrol(await owner('shared'));
    const other = await owner('elsewhere');
    const m = await enrol(await member(o.client, 'two-teams@reset.test'));
    expect((await m.client.post(`/api/invitations/${await invite(other.client, 'editor')}/accept`)).status).toBe(201);

    const res = await reset(o.client, m.userId, o.recoveryCodes[0]!);
    expect(res.status).toBe(409);
    const error = await errorOf(res);
    expect(error.code).toBe('member_in_other_workspaces');
    expect(error.message).toContain('also a member of another workspace');
    expect(error.message).toContain('recovery codes');
    expect(error.message).toContain('owners of their other workspaces must remove them');
    // Nothing of the other workspace is named.
    expect(error.message).not.toContain('elsewhere');
    expect(await twoFactorOn(m.userId)).toEqual({ on: true, codes: 10 });
    expect((await m.client.rpc.api.me.$get()).status).toBe(200);
    expect((await passwordSignIn(m.email)).body.status).toBe('two_factor_required');
    expect(await resetMails(m.email)).toEqual([]);
    // Refused before the code was checked: the owner's recovery code was not used up for nothing.
    expect((await (await o.client.rpc.api.me['two-factor'].$get()).json()).recoveryCodesLeft).toBe(10);
  });

  it('a member of another workspace, by id: 404 like an unknown id, nothing of theirs revealed or changed', async () => {
    const o = await enrol(await owner('nosy'));
    const stranger = await enrol(await owner('stranger', 'Sally Stranger'));
    const res = await reset(o.client, stranger.userId, await totpCode(o.secret, t.clock.now()));
    expect(res.status).toBe(404);
    const body = JSON.stringify(await errorOf(res));
    expect(body).not.toContain('Sally');
    expect(body).not.toContain(stranger.email);
    const unknown = await reset(o.client, '01JNOBODY000000000000000000', await totpCode(o.secret, t.clock.now()));
    expect(unknown.status).toBe(404);
    expect(await twoFactorOn(stranger.userId)).toEqual({ on: true, codes: 10 });
  });
});
