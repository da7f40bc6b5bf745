/**
 * The media library in workerd: uploads go to the R2 bucket binding (Miniflare's, in memory), and
 * images come back from it at their public, immutable URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { MediaItem } from '../../workers/contract';
import { fileOf, jpeg, pdf, svg } from '../support/images';
import { signUpOnWorker, startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let cookie: string;
beforeAll(async () => {
  w = await startWorker();
  ({ cookie } = await signUpOnWorker(w, { email: 'pictures@example.com', name: 'Pia', workspaceName: 'Picture Shop' }));
});
afterAll(() => w?.close());

/** A multipart body as a browser sends it (encoded by Node's own FormData, then handed to workerd as bytes). */
async function upload(bytes: Uint8Array<ArrayBuffer>, name: string, alt?: string) {
  const form = new FormData();
  form.set('file', fileOf(bytes, name));
  if (alt !== undefined) form.set('alt', alt);
  const encoded = new Response(form);
  return w.fetch('/api/media', {
    method: 'POST',
    cookie,
    headers: { 'content-type': encoded.headers.get('content-type')!, origin: 'http://localhost' },
    body: await encoded.arrayBuffer(),
  });
}

async function objectKeys(): Promise<string[]> {
  const bucket = await w.mf.getR2Bucket('MEDIA');
  return (await bucket.list()).objects.map((o) => o.key).sort();
}

describe('the media library in the Worker bundle', () => {
  it('uploads an image into R2 and serves it at its hashed URL with immutable caching', async () => {
    const photo = jpeg(64, 48);
    const res = await upload(photo, 'shelf.jpg', 'Three bottles on a shelf');
    expect(res.status).toBe(201);
    const item = (await res.json()) as MediaItem;
    expect(item).toMatchObject({ kind: 'image', contentType: 'image/jpeg', width: 64, height: 48, byteSize: photo.length });
    const key = `images/${item.sha256.slice(0, 16)}/${item.id}.jpg`;
    expect(await objectKeys()).toEqual([key]);
    const stored = await (await w.mf.getR2Bucket('MEDIA')).get(key);
    expect(stored?.httpMetadata?.contentType).toBe('image/jpeg');

    const served = await w.fetch(item.url!);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);
  });

  it('keeps a PDF private in R2 and refuses an SVG with a script, storing nothing for it', async () => {
    const file = (await (await upload(pdf(), 'guide.pdf')).json()) as MediaItem;
    expect(file).toMatchObject({ kind: 'file', url: null, leadMagnetRef: `media:${file.id}` });
    const keys = await objectKeys();
    expect(keys).toContain(`files/${(await w.database.db.all<{ id: string }>(sql`select id from workspaces`))[0]!.id}/${file.id}.pdf`);

    const res = await upload(svg('<script>alert(1)</script>'), 'logo.svg', 'Logo');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsafe_svg');
    expect(await objectKeys()).toEqual(keys);
    expect(await w.database.db.all(sql`select id from media`)).toHaveLength(2);
  });
});
