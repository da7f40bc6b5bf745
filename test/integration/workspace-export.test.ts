/**
 * The whole-workspace archive: one ZIP streamed by GET /api/workspace/export, opened here with
 * node:zlib (inflateRawSync) from its central directory, each entry's CRC-32 checked. JSON and
 * CSV per resource, formula-safe cells, no secrets, nothing of another workspace; owners only.
 */
import { inflateRawSync, crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed';
import { createTestApp, type TestApp, type TestClient } from '../support/app';
import { signInDemo } from '../support/landing';

let t: TestApp;
let owner: TestClient;
let stranger: TestClient;

/** Entries of a ZIP by name, read through its central directory as any unzip tool does. */
function unzip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    expect(method).toBe(8);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataStart, dataStart + compressed));
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    files.set(name, data.toString('utf8'));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  stranger = t.client();
  await stranger.signup('stranger.export@example.com', 'correct horse battery', 'Stranger', { workspace: 'Stranger Co' });
  // The stranger's own funnel, lead-ish data and a formula-looking name.
  expect((await stranger.post('/api/funnels', { name: '=HYPERLINK("http://evil.example")', slug: 'stranger-funnel' })).status).toBe(201);
  expect((await owner.post('/api/funnels', { name: '=SUM(A1:A9)', slug: 'formula-funnel' })).status).toBe(201);
});
afterAll(() => t.close());

describe('the workspace archive', () => {
  it('is a ZIP of JSON and CSV per resource, of this workspace only, with formula-safe cells and no secrets', async () => {
    const res = await owner.get('/api/workspace/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="leadflare-workspace-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    for (const resource of ['funnels', 'pages', 'leads', 'submissions', 'deals', 'pipelines', 'activities', 'events']) {
      expect(files.has(`json/${resource}.json`), resource).toBe(true);
      expect(files.has(`csv/${resource}.csv`), resource).toBe(true);
    }
    const manifest = JSON.parse(files.get('manifest.json')!) as { workspace: { name: string }; files: string[] };
    expect(manifest.workspace.name).toBe('Demo Shop');
    expect(manifest.files.length + 1).toBe(files.size);

    const funnels = JSON.parse(files.get('json/funnels.json')!) as Array<{ name: string; slug: string; workspaceId: string }>;
    expect(funnels.map((f) => f.slug).sort()).toEqual(['cosmetics-set', 'formula-funnel']);
    const events = JSON.parse(files.get('json/events.json')!) as Array<{ props: unknown }>;
    expect(events.length).toBeGreaterThan(50);
    expect(typeof events[0]!.props).toBe('object');
    const deals = JSON.parse(files.get('json/deals.json')!) as unknown[];
    expect(deals.length).toBeGreaterThan(0);
    const csvDeals = files.get('csv/deals.csv')!.trimEnd().split('\r\n');
    expect(csvDeals.length).toBe(deals.length + 1);

    // Every row belongs to this workspace; nothing of the stranger's is anywhere in the archive.
    const workspaceIds = new Set(funnels.map((f) => f.workspaceId));
    expect(workspaceIds.size).toBe(1);
    const all = [...files.values()].join('\n');
    expect(all).not.toContain('stranger');
    expect(all).not.toContain('evil.example');
    expect(all).not.toContain('whsec_');
    // The formula is text in the spreadsheet.
    expect(files.get('csv/funnels.csv')).toContain(`'=SUM(A1:A9)`);
    expect(files.get('csv/funnels.csv')).not.toMatch(/(^|,)=SUM/m);
  });

  it('is for owners only', async () => {
    const { token } = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'editor' } })).json();
    const editor = t.client();
    await editor.signup('editor.export@example.com', 'correct horse battery', 'Ed', { inviteToken: token });
    expect((await editor.get('/api/workspace/export')).status).toBe(403);
    expect((await t.client().get('/api/workspace/export')).status).toBe(401);
  });
});
