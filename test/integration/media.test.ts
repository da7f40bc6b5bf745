import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaItem } from '../../workers/contract';
import { createTestApp, errorOf, type TestApp, type TestClient } from '../support/app';
import { leadFormPage, type PageBlock } from '../support/fixtures';
import { fileOf, gif, jpeg, pdf, png, svg, webp } from '../support/images';
import { fillAndPost } from '../support/landing';

let t: TestApp;
let owner: TestClient;
let viewer: TestClient;
let stranger: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  owner = t.client();
  await owner.signup('owner.media@example.com', 'correct horse battery', 'Olga Owner');
  const { token } = await (await owner.rpc.api.workspace.invitations.$post({ json: { role: 'viewer' } })).json();
  viewer = t.client();
  await viewer.signup('viewer.media@example.com', 'correct horse battery', 'Vic', { inviteToken: token });
  stranger = t.client();
  await stranger.signup('stranger.media@example.com');
});
afterAll(() => t.close());

/** Every file in the media folder, as keys. */
function storedFiles(): string[] {
  if (!existsSync(t.mediaDir)) return [];
  return readdirSync(t.mediaDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(t.mediaDir, join(e.parentPath, e.name)))
    .sort();
}

const mediaRows = async () => (await t.database.db.all<{ n: number }>(sql`select count(*) as n from media`))[0]!.n;

async function upload(client: TestClient, bytes: Uint8Array<ArrayBuffer>, name: string, alt?: string, type?: string) {
  return client.rpc.api.media.$post({ form: { file: fileOf(bytes, name, type), ...(alt === undefined ? {} : { alt }) } });
}

async function uploaded(bytes: Uint8Array<ArrayBuffer>, name: string, alt?: string): Promise<MediaItem> {
  const res = await upload(owner, bytes, name, alt);
  if (!res.ok) throw new Error(`upload failed: ${await res.text()}`);
  return await res.json();
}

describe('uploading', () => {
  const images = [
    { name: 'hero.png', bytes: png(6, 4), type: 'image/png', ext: 'png', width: 6, height: 4 },
    { name: 'photo.jpeg', bytes: jpeg(40, 24, { orientation: 6 }), type: 'image/jpeg', ext: 'jpg', width: 24, height: 40 },
    { name: 'banner.webp', bytes: webp(300, 17), type: 'image/webp', ext: 'webp', width: 300, height: 17 },
    { name: 'spinner.gif', bytes: gif(7, 5), type: 'image/gif', ext: 'gif', width: 7, height: 5 },
    { name: 'logo.svg', bytes: svg(), type: 'image/svg+xml', ext: 'svg', width: 40, height: 20 },
  ];

  it.each(images)('stores $name with its type and size read from the bytes, and serves it immutable at its hashed URL', async (image) => {
    t.clock.advance(1000);
    const item = await uploaded(image.bytes, image.name, `The ${image.ext} picture`);
    expect(item).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      kind: 'image',
      contentType: image.type,
      byteSize: image.bytes.length,
      width: image.width,
      height: image.height,
      alt: `The ${image.ext} picture`,
      originalName: image.name,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      createdAt: t.clock.now(),
      createdBy: { id: expect.any(String), name: 'Olga Owner' },
      url: `/media/${item.sha256.slice(0, 16)}/${item.id}.${image.ext}`,
      leadMagnetRef: null,
    });
    expect(item.sha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', image.bytes)).toString('hex'));
    expect(readFileSync(join(t.mediaDir, 'images', item.sha256.slice(0, 16), `${item.id}.${image.ext}`))).toEqual(Buffer.from(image.bytes));

    // Public: no session needed.
    const res = await t.client().get(item.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(image.type);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-length')).toBe(String(image.bytes.length));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(image.bytes);
    if (image.ext === 'svg') expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    else expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('names the type by the bytes, not by the file name or the declared type', async () => {
    const item = await uploaded(png(2, 2), 'actually-a-photo.jpg', 'A tiny square');
    expect(item).toMatchObject({ contentType: 'image/png', url: expect.stringMatching(/\.png$/) });
  });

  it('stores a PDF as a private lead-magnet file: no public URL, a reference for the lead-magnet block', async () => {
    const before = storedFiles();
    const item = await uploaded(pdf(), 'Skincare guide.pdf');
    expect(item).toMatchObject({ kind: 'file', contentType: 'application/pdf', width: null, height: null, alt: null, url: null });
    expect(item.leadMagnetRef).toBe(`media:${item.id}`);
    const [workspace] = await t.database.db.all<{ id: string }>(sql`select workspace_id as id from media where id = ${item.id}`);
    expect(storedFiles()).toEqual([...before, join('files', workspace!.id, `${item.id}.pdf`)].sort());
    // Not under any public address, whatever hash is guessed.
    expect((await t.client().get(`/media/${item.sha256.slice(0, 16)}/${item.id}.pdf`)).status).toBe(404);
  });

  it('asks for alt text with every image, and stores nothing without it', async () => {
    const [rows, files] = [await mediaRows(), storedFiles()];
    for (const alt of [undefined, '', '   ']) {
      const res = await upload(owner, png(3, 3), 'no-alt.png', alt);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'alt', message: expect.stringMatching(/alt text/) }] });
    }
    expect(await mediaRows()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  });
});

describe('bad uploads are refused with a clear message and stored nowhere', () => {
  let rows: number;
  let files: string[];
  beforeAll(async () => {
    rows = await mediaRows();
    files = storedFiles();
  });

  it('refuses a text file renamed to .png (and declared image/png)', async () => {
    const res = await upload(owner, new TextEncoder().encode('MZ this is not a picture'), 'holiday.png', 'Holiday', 'image/png');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: 'unsupported_media',
      message: expect.stringContaining('PNG, JPEG, WebP, GIF or SVG'),
    });
  });

  it('refuses an HTML page renamed to .svg', async () => {
    const res = await upload(owner, new TextEncoder().encode('<html><script>alert(1)</script></html>'), 'logo.svg', 'Logo');
    expect((await errorOf(res)).code).toBe('unsupported_media');
  });

  it('refuses an image over 5 MB', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(png(4, 4));
    const res = await upload(owner, big, 'huge.png', 'Huge');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'too_large', message: expect.stringContaining('5 MB') });
  });

  it('cuts off a body over the upload limit with 413 too_large', async () => {
    const res = await upload(owner, new Uint8Array(22 * 1024 * 1024), 'enormous.pdf');
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: 'too_large', message: expect.stringContaining('20 MB') });
  });

  it('refuses an SVG with a script, an event handler or foreignObject', async () => {
    for (const body of [
      '<script>alert(document.cookie)</script>',
      '<rect onload="alert(1)"/>',
      '<foreignObject><p>hi</p></foreignObject>',
    ]) {
      const res = await upload(owner, svg(body), 'logo.svg', 'Logo');
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'unsafe_svg', message: expect.stringMatching(/^This SVG is not accepted/) });
    }
  });

  it('answers a malformed multipart body with 400 malformed_body, and a missing file with the field', async () => {
    const broken = await owner.request('/api/media', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
    });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe('malformed_body');

    const noFile = await owner.request('/api/media', { method: 'POST', body: new URLSearchParams({ alt: 'x' }) });
    expect(noFile.status).toBe(400);
    expect(await errorOf(noFile)).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'file' })] });
  });

  it('left no row and no file behind', async () => {
    expect(await mediaRows()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  });

  it('removes the stored file again when the row cannot be written', async () => {
    await t.database.client.execute(`create trigger media_refuse before insert on media begin select raise(abort, 'disk full'); end`);
    try {
      const res = await upload(owner, png(5, 5), 'unlucky.png', 'Unlucky');
      expect(res.status).toBe(500);
    } finally {
      await t.database.client.execute('drop trigger media_refuse');
    }
    expect(await mediaRows()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  });
});

describe('the library', () => {
  it('lists newest first, in pages, all or one kind', async () => {
    const all: MediaItem[] = [];
    let cursor: string | null = null;
    do {
      const res = await owner.rpc.api.media.$get({ query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      const page = await res.json();
      expect(page.media.length).toBeLessThanOrEqual(3);
      all.push(...page.media);
      cursor = page.nextCursor;
    } while (cursor);
    const rows = await t.database.db.all<{ id: string }>(sql`select id from media order by created_at desc, id desc`);
    const ownerWorkspaceIds = new Set(all.map((m) => m.id));
    expect(all.map((m) => m.id)).toEqual(rows.map((r) => r.id).filter((id) => ownerWorkspaceIds.has(id)));
    expect(all.length).toBeGreaterThanOrEqual(7);

    const files = await (await owner.rpc.api.media.$get({ query: { kind: 'file' } })).json();
    expect(files.media.map((m) => m.kind)).toEqual(['file']);
    const images = await (await owner.rpc.api.media.$get({ query: { kind: 'image' } })).json();
    expect(images.media.every((m) => m.kind === 'image')).toBe(true);
    expect(images.media.length).toBe(all.length - 1);
  });

  it('edits alt text, but never leaves an image without it', async () => {
    const item = await uploaded(png(8, 8), 'edit-me.png', 'First words');
    const res = await owner.rpc.api.media[':id'].$patch({ param: { id: item.id }, json: { alt: '  Three bottles on a shelf ' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: item.id, alt: 'Three bottles on a shelf' });
    const detail = await (await owner.rpc.api.media[':id'].$get({ param: { id: item.id } })).json();
    expect(detail).toMatchObject({ alt: 'Three bottles on a shelf', usedIn: [] });

    const empty = await owner.rpc.api.media[':id'].$patch({ param: { id: item.id }, json: { alt: '' } });
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).fields).toEqual([expect.objectContaining({ path: 'alt' })]);
  });

  it('keeps workspaces apart: another workspace sees, edits and deletes nothing', async () => {
    const item = await uploaded(png(9, 9), 'private.png', 'Mine');
    expect((await (await stranger.rpc.api.media.$get({ query: {} })).json()).media).toEqual([]);
    for (const res of [
      await stranger.rpc.api.media[':id'].$get({ param: { id: item.id } }),
      await stranger.rpc.api.media[':id'].$patch({ param: { id: item.id }, json: { alt: 'Theirs' } }),
      await stranger.rpc.api.media[':id'].$delete({ param: { id: item.id }, query: {} }),
    ]) {
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe('not_found');
    }
    expect((await (await owner.rpc.api.media[':id'].$get({ param: { id: item.id } })).json()).alt).toBe('Mine');
  });

  it('lets a viewer look but not upload, edit or delete', async () => {
    const item = await uploaded(png(3, 1), 'look.png', 'Look only');
    expect((await viewer.rpc.api.media.$get({ query: {} })).status).toBe(200);
    expect((await viewer.rpc.api.media[':id'].$get({ param: { id: item.id } })).status).toBe(200);
    const rows = await mediaRows();
    for (const res of [
      await upload(viewer, png(2, 2), 'viewer.png', 'By a viewer'),
      await viewer.rpc.api.media[':id'].$patch({ param: { id: item.id }, json: { alt: 'Changed' } }),
      await viewer.rpc.api.media[':id'].$delete({ param: { id: item.id }, query: { force: 'true' } }),
    ]) {
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('read_only_role');
    }
    expect(await mediaRows()).toBe(rows);
  });

  it('requires a session', async () => {
    const res = await t.client().rpc.api.media.$get({ query: {} });
    expect(res.status).toBe(401);
  });
});

describe('media on pages', () => {
  let funnelId: string;
  let image: MediaItem;
  let guide: MediaItem;

  beforeAll(async () => {
    image = await uploaded(png(12, 6), 'cover.png', 'The guide’s cover');
    guide = await uploaded(pdf('Routine'), 'Guía rápida.pdf');
    const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'Guide funnel', slug: 'media-guide' } })).json();
    funnelId = funnel.id;
    const base = leadFormPage({ title: 'The guide' });
    const gate: PageBlock = {
      id: 'ebook',
      type: 'lead_magnet',
      title: 'The 5-minute routine',
      description: 'A short guide.',
      assetName: 'Guide (PDF)',
      assetPath: guide.leadMagnetRef!,
      cover: { src: image.url!, alt: image.alt! },
      fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }],
      submitLabel: 'Send it',
    };
    const page = await (
      await owner.rpc.api.funnels[':id'].pages.$post({
        param: { id: funnelId },
        json: { slug: 'guide', name: 'Guide', kind: 'lead_magnet', content: { ...base, blocks: [base.blocks[0]!, gate] } },
      })
    ).json();
    expect((await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} })).status).toBe(201);
  });

  it('shows the image on the published page and delivers the PDF through the lead’s signed link only', async () => {
    const visitor = t.client();
    const html = await (await visitor.get('/p/media-guide/guide')).text();
    expect(html).toContain(`src="${image.url}"`);
    expect(html).not.toContain(guide.id);

    const { res } = await fillAndPost(t, visitor, '/p/media-guide/guide', 'ebook', { email: 'reader@example.com' });
    expect(res.status).toBe(303);
    const result = await (await visitor.get(res.headers.get('location')!)).text();
    const href = /href="(\/d\/[^"]+)"/.exec(result)?.[1];
    expect(href).toBeDefined();
    const file = await t.client().get(href!.replace(/&amp;/g, '&'));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="Gu_a_r_pida.pdf"; filename*=UTF-8''Gu%C3%ADa%20r%C3%A1pida.pdf`,
    );
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf('Routine'));
  });

  it('does not deliver another workspace’s file, even by its reference', async () => {
    const theirs = await (await stranger.rpc.api.media.$post({ form: { file: fileOf(pdf('Theirs'), 'theirs.pdf') } })).json();
    const funnel = await (await owner.rpc.api.funnels.$post({ json: { name: 'Borrowing', slug: 'media-borrow' } })).json();
    const base = leadFormPage();
    const gate: PageBlock = {
      id: 'ebook',
      type: 'lead_magnet',
      title: 'Not yours',
      description: 'Someone else’s file.',
      assetName: 'Their PDF',
      assetPath: `media:${theirs.id}`,
      fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }],
      submitLabel: 'Send it',
    };
    const page = await (
      await owner.rpc.api.funnels[':id'].pages.$post({
        param: { id: funnel.id },
        json: { slug: 'gate', name: 'Gate', kind: 'lead_magnet', content: { ...base, blocks: [gate] } },
      })
    ).json();
    await owner.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} });
    const visitor = t.client();
    const { res } = await fillAndPost(t, visitor, '/p/media-borrow/gate', 'ebook', { email: 'borrower@example.com' });
    const result = await (await visitor.get(res.headers.get('location')!)).text();
    const href = /href="(\/d\/[^"]+)"/.exec(result)![1]!;
    expect((await t.client().get(href.replace(/&amp;/g, '&'))).status).toBe(404);
  });

  it('says where an item is used, refuses to delete it there, and deletes it with force', async () => {
    const detail = await (await owner.rpc.api.media[':id'].$get({ param: { id: image.id } })).json();
    expect(detail.usedIn).toEqual([
      {
        funnelId,
        funnelName: 'Guide funnel',
        pageId: expect.any(String),
        pageName: 'Guide',
        pageSlug: 'guide',
        inDraft: true,
        inPublished: true,
      },
    ]);

    const refused = await owner.rpc.api.media[':id'].$delete({ param: { id: image.id }, query: {} });
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatchObject({ code: 'media_in_use', message: expect.stringContaining('Guide funnel › Guide') });
    expect((await t.client().get(image.url!)).status).toBe(200);

    const forced = await owner.rpc.api.media[':id'].$delete({ param: { id: image.id }, query: { force: 'true' } });
    expect(forced.status).toBe(200);
    expect(await forced.json()).toEqual({ id: image.id, wasUsedIn: detail.usedIn });
    expect(storedFiles()).not.toContain(join('images', image.sha256.slice(0, 16), `${image.id}.png`));
    expect((await t.client().get(image.url!)).status).toBe(404);
    expect((await owner.rpc.api.media[':id'].$get({ param: { id: image.id } })).status).toBe(404);
  });

  it('deletes an unused item at once, file and row', async () => {
    const item = await uploaded(gif(2, 2), 'unused.gif', 'Unused');
    const res = await owner.rpc.api.media[':id'].$delete({ param: { id: item.id }, query: {} });
    expect(await res.json()).toEqual({ id: item.id, wasUsedIn: [] });
    expect(storedFiles().some((f) => f.includes(item.id))).toBe(false);
    expect((await t.database.db.all(sql`select id from media where id = ${item.id}`)).length).toBe(0);
  });
});

describe('serving', () => {
  it('answers 404 for a wrong hash, an unknown id or a path that tries to leave the folder', async () => {
    const item = await uploaded(png(4, 2), 'served.png', 'Served');
    const [, , hash, file] = item.url!.split('/');
    for (const path of [
      `/media/${'0'.repeat(16)}/${file}`,
      `/media/${hash}/01ABCDEFGHJKMNPQRSTVWXYZ00.png`,
      `/media/${hash}/${file!.replace('.png', '.svg')}`,
      `/media/${hash}/..%2F..%2Fleadflare.db`,
      `/media/..%2F..%2Ffiles/${file}`,
    ]) {
      const res = await t.client().get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});
