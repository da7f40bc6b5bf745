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
  const res = await owner.post('/api/workspace/invitations', { role });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; url: string; role: string };
}

describe('invitations and roles', () => {
  it('gives the owner a copyable link and lets a new user join with the invited role', async () => {
    const inv = await invite('viewer');
    expect(inv.url).toBe(`http://localhost/invite/${inv.token}`);
    const preview = await t.client().get(`/api/invitations/${inv.token}`);
    expect(await preview.json()).toMatchObject({ workspace: { name: 'Shop' }, role: 'viewer' });

    const viewer = t.client();
    await viewer.signup('viewer@shop.test', 'correct horse battery', 'Victor', { inviteToken: inv.token });
    const me = (await (await viewer.get('/api/me')).json()) as { workspaces: Array<{ id: string; role: string }> };
    expect(me.workspaces).toEqual([expect.objectContaining({ id: ownerWs, role: 'viewer' })]);

    // Viewers read but never change.
    expect((await viewer.get('/api/workspace/members')).status).toBe(200);
    const write = await viewer.request('/api/workspace', { method: 'PATCH', json: { name: 'Mine now' } });
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
    expect((await ed.post(`/api/invitations/${inv.token}/accept`)).status).toBe(201);
    const me = (await (await ed.get('/api/me')).json()) as { workspaces: Array<{ id: string; role: string }> };
    expect(me.workspaces.map((w) => w.role).sort()).toEqual(['editor', 'owner']);
    // Editors can change content but not manage the team.
    const res = await ed.post('/api/workspace/invitations', { role: 'viewer' }, { 'x-workspace-id': ownerWs });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('insufficient_role');
  });

  it('refuses expired and revoked links', async () => {
    const expired = await invite('viewer');
    const revoked = await invite('viewer');
    expect((await owner.request(`/api/workspace/invitations/${revoked.id}`, { method: 'DELETE' })).status).toBe(204);
    const listed = (await (await owner.get('/api/workspace/invitations')).json()) as { invitations: Array<{ id: string }> };
    expect(listed.invitations.map((i) => i.id)).toContain(expired.id);
    expect(listed.invitations.map((i) => i.id)).not.toContain(revoked.id);
    expect((await t.client().get(`/api/invitations/${revoked.token}`)).status).toBe(404);
    t.clock.advance(INVITATION_TTL_MS + 1);
    const res = await t.client().get(`/api/invitations/${expired.token}`);
    expect(res.status).toBe(410);
    expect((await errorOf(res)).code).toBe('invitation_expired');
  });

  it('keeps at least one owner', async () => {
    const me = (await (await owner.get('/api/me')).json()) as { user: { id: string } };
    const res = await owner.request(`/api/workspace/members/${me.user.id}`, { method: 'PATCH', json: { role: 'viewer' } });
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
    const res = await t.client().get('/api/workspace');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('unauthorized');
  });

  it('validates ids and bodies on admin routes', async () => {
    const res = await owner.post('/api/workspace/invitations', { role: 'admin' });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).fields).toEqual([expect.objectContaining({ path: 'role' })]);
  });
});
