/**
 * The audit log in the Worker bundle: a change made over the libSQL HTTP bridge is in the log the
 * moment it is answered, with the route's action (the matched pattern is read in workerd too), the
 * CF-Connecting-IP hashed, and the table still refuses UPDATE and DELETE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let cookie: string;
beforeAll(async () => {
  w = await startWorker();
  ({ cookie } = await signUpOnWorker(w, { email: 'audit@example.com', name: 'Audra Edge', workspaceName: 'Edge Co' }));
});
afterAll(() => w?.close());

describe('the audit log in workerd', () => {
  it('records a change with its action, object and hashed IP, and the owner reads it back', async () => {
    const created = await w.fetch('/api/funnels', {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' },
      body: JSON.stringify({ name: 'Edge funnel', slug: 'edge-funnel' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const res = await w.fetch('/api/audit?action=funnel', { cookie });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as {
      entries: Array<{ action: string; objectId: string; ipHash: string; actor: { name: string } }>;
    };
    expect(entries).toEqual([
      expect.objectContaining({ action: 'funnel.create', objectId: id, actor: expect.objectContaining({ name: 'Audra Edge' }) }),
    ]);
    expect(entries[0]!.ipHash).toMatch(/^[0-9a-f]{32}$/);
    const raw = await w.database.client.execute('select * from audit_log');
    expect(JSON.stringify(raw.rows)).not.toContain('203.0.113.9');
    await expect(w.database.client.execute('delete from audit_log')).rejects.toThrow(/append-only/);
  });
});
