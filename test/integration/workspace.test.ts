import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { INVITATION_TTL_MS } from '../../workers/services/accounts';

let t: TestApp;
let owner: TestClient;
let ownerWs: string;
beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  ownerWs = (await owner.signup('owner@shop.test', 'correct horse battery', 'Olivia', { workspaceName: 'Shop' })).workspaceId;
});
afterAll(() => t.close());

async function invite(role: 'owner' | 'editor' | 'viewer') {
  const res = await owner.rpc.api.workspace.invitations.$post({ json: { role } });
  expect(res.status).toBe(201);
  return await res.json();
}

describe('invitations and roles', () => {
  it('gives the owner a copyable link and lets a new user join with the invited role', async () => {
    const inv = await invite('viewer');
    expect(inv.url).toBe(`http://localhost/invite/${inv.token}`);
    const preview = await t.client().rpc.api.invitations[':token'].$get({ param: { token: inv.token } });
    expect(await preview.json()).toMatchObject({ workspace: { name: 'Shop' }, role: 'viewer' });

    const viewer = t.client();
    await viewer.signup('viewer@shop.test', 'correct horse battery', 'Victor', { inviteToken: inv.token });
    const me = await (await viewer.rpc.api.me.$get()).json();
    expect(me.workspaces).toEqual([expect.objectContaining({ id: ownerWs, role: 'viewer' })]);

    // Viewers read but never change.
    expect((await viewer.rpc.api.workspace.members.$get()).status).toBe(200);
    const write = await viewer.rpc.api.workspace.$patch({ json: { name: 'Mine now' } });
    expect(write.status).toBe(403);
    expect((await errorOf(write)).code).toBe('read_only_role');

    // A used link cannot be used again.
    const again = await t
      .client()
      .post('/api/auth/signup', { email: 'late@shop.test', password: 'correct horse battery', name: 'Late', inviteToken: inv.token });
    expect(again.status).toBe(410);
  });

  it('lets an existing user accept an invitation into a second workspace', async () => {
    const inv = await invite('editor');
    const ed = t.client();
    await ed.signup('editor@other.test');
    expect((await ed.rpc.api.invitations[':token'].accept.$post({ param: { token: inv.token } })).status).toBe(201);
    const me = await (await ed.rpc.api.me.$get()).json();
    expect(me.workspaces.map((w) => w.role).sort()).toEqual(['editor', 'owner']);
    // Editors can change content but not manage the team.
    const res = await ed.post('/api/workspace/invitations', { role: 'viewer' }, { 'x-workspace-id': ownerWs });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('insufficient_role');
  });

  it('refuses expired and revoked links', async () => {
    const expired = await invite('viewer');
    const revoked = await invite('viewer');
    expect((await owner.rpc.api.workspace.invitations[':id'].$delete({ param: { id: revoked.id } })).status).toBe(204);
    const listed = await (await owner.rpc.api.workspace.invitations.$get()).json();
    expect(listed.invitations.map((i) => i.id)).toContain(expired.id);
    expect(listed.invitations.map((i) => i.id)).not.toContain(revoked.id);
    expect((await t.client().rpc.api.invitations[':token'].$get({ param: { token: revoked.token } })).status).toBe(404);
    t.clock.advance(INVITATION_TTL_MS + 1);
    const res = await t.client().rpc.api.invitations[':token'].$get({ param: { token: expired.token } });
    expect(res.status).toBe(410);
    expect((await errorOf(res)).code).toBe('invitation_expired');
  });

  it('keeps at least one owner', async () => {
    const me = await (await owner.rpc.api.me.$get()).json();
    const res = await owner.rpc.api.workspace.members[':userId'].$patch({ param: { userId: me.user.id }, json: { role: 'viewer' } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('last_owner');
  });
});

describe('workspace scoping', () => {
  it('reports another tenant’s workspace as not found and leaks nothing', async () => {
    const stranger = t.client();
    await stranger.signup('stranger@else.test');
    for (const path of ['/api/workspace', '/api/workspace/members', '/api/pipelines']) {
      const res = await stranger.get(path, { 'x-workspace-id': ownerWs });
      expect(res.status).toBe(404);
      const text = await res.clone().text();
      expect(text).not.toContain('owner@shop.test');
      expect((await errorOf(res)).code).toBe('not_found');
    }
  });

  it('requires a session for admin routes', async () => {
    const res = await t.client().rpc.api.workspace.$get();
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });

  it('validates ids and bodies on admin routes', async () => {
    const res = await owner.post('/api/workspace/invitations', { role: 'admin' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields).toEqual([expect.objectContaining({ path: 'role' })]);
  });
});
