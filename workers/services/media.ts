/**
 * The media library: uploads checked from their bytes (domain/media.ts), stored in the media store
 * (R2 / `.data/media/`) with a row per item, listed newest first, served publicly (images) or only
 * through a lead's signed download link (PDF lead magnets).
 *
 * Object and row stay in step: an upload writes the object first and the row second, and removes
 * the object again if the row cannot be written; a delete removes the object first and the row
 * second, so a failure leaves at worst a row whose retry finishes the job — never a stored file no
 * row knows about, still served at its public address.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { media, users } from '../../db/schema';
import type { Db } from '../../db/types';
import type { MediaDeleted, MediaDetail, MediaItem, MediaPage, MediaUsage } from '../contract/media';
import { AppError, conflict, notFound, validationFailed } from '../domain/errors';
import { cleanFileName, IMAGE_TYPES, identifyMedia, type ImageExtension, type MediaKind } from '../domain/media';
import type { ServiceCtx } from './context';
import type { MediaStore, StoredObject } from './ports';
import { decodeCursor, nextCursor, olderThan } from './newest-first';
import { log } from '../logger';

/** Characters of the SHA-256 in an image's public URL: a new file is a new URL, so caches never serve a stale one. */
const HASH_PREFIX = 16;
/** How a lead-magnet block names an uploaded file in `assetPath`. */
export const MEDIA_REF_PREFIX = 'media:';

export const mediaUrl = (row: { kind: MediaKind; storageKey: string }): string | null =>
  row.kind === 'image' ? `/media/${row.storageKey.slice('images/'.length)}` : null;

type MediaRow = typeof media.$inferSelect;

function itemOf(row: MediaRow, creator: { id: string | null; name: string | null }): MediaItem {
  return {
    id: row.id,
    kind: row.kind,
    contentType: row.contentType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    alt: row.alt,
    originalName: row.originalName,
    sha256: row.sha256,
    createdAt: row.createdAt,
    createdBy: creator.id && creator.name !== null ? { id: creator.id, name: creator.name } : null,
    url: mediaUrl(row),
    leadMagnetRef: row.kind === 'file' ? `${MEDIA_REF_PREFIX}${row.id}` : null,
  };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface UploadInput {
  bytes: Uint8Array;
  /** The name the browser sent; kept for display and downloads, never trusted for the type. */
  fileName: string;
  alt?: string;
  userId: string;
}

type MediaCtx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'media'>;

/**
 * Checks and stores one upload. Refused (400, nothing stored): `unsupported_media` (not one of the
 * accepted types, whatever the name says), `too_large` (images over 5 MB, PDFs over 20 MB),
 * `unsafe_svg`, and `validation_failed` on `alt` for an image without alt text.
 */
export async function uploadMedia(ctx: MediaCtx, workspaceId: string, input: UploadInput): Promise<MediaItem> {
  const identified = identifyMedia(input.bytes);
  if (!identified.ok) throw new AppError(400, identified.code, identified.message);
  const { format } = identified;
  const alt = input.alt?.trim() || null;
  if (format.kind === 'image' && !alt)
    throw validationFailed(
      [{ path: 'alt', message: 'Describe the image for people who cannot see it (alt text).' }],
      'Images need alt text.',
    );
  const id = ctx.newId();
  const sha256 = await sha256Hex(input.bytes);
  const storageKey =
    format.kind === 'image' ? `images/${sha256.slice(0, HASH_PREFIX)}/${id}.${format.ext}` : `files/${workspaceId}/${id}.${format.ext}`;
  const row: MediaRow = {
    id,
    workspaceId,
    kind: format.kind,
    contentType: format.contentType,
    byteSize: input.bytes.byteLength,
    width: format.width,
    height: format.height,
    alt,
    originalName: cleanFileName(input.fileName),
    sha256,
    storageKey,
    createdBy: input.userId,
    createdAt: ctx.clock(),
  };
  await ctx.media.put(storageKey, input.bytes, { contentType: format.contentType, sha256 });
  try {
    await ctx.db.insert(media).values(row);
  } catch (err) {
    await ctx.media
      .delete(storageKey)
      .catch((cleanup: unknown) => log.error('Removing an unrecorded upload failed', { storageKey, err: cleanup }));
    throw err;
  }
  const [creator] = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, input.userId));
  return itemOf(row, creator ?? { id: null, name: null });
}

export interface MediaQuery {
  kind?: MediaKind;
  cursor?: string;
  limit: number;
}

const withCreator = (db: Db) =>
  db.select({ row: media, creatorId: users.id, creatorName: users.name }).from(media).leftJoin(users, eq(users.id, media.createdBy));

export async function listMedia(db: Db, workspaceId: string, query: MediaQuery): Promise<MediaPage> {
  const cursor = decodeCursor(query.cursor);
  const rows = await withCreator(db)
    .where(
      and(
        eq(media.workspaceId, workspaceId),
        query.kind ? eq(media.kind, query.kind) : undefined,
        olderThan(media.createdAt, media.id, cursor),
      ),
    )
    .orderBy(desc(media.createdAt), desc(media.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    media: page.map((r) => itemOf(r.row, { id: r.creatorId, name: r.creatorName })),
    nextCursor: nextCursor(rows.length, query.limit, page.at(-1)?.row),
  };
}

async function requireMedia(db: Db, workspaceId: string, id: string) {
  const [found] = await withCreator(db).where(and(eq(media.id, id), eq(media.workspaceId, workspaceId)));
  if (!found) throw notFound('Media item');
  return found;
}

/**
 * The pages of the workspace whose draft or published version mentions the item — by its id,
 * which is in both its image URL and its lead-magnet reference (ids are random: no false match).
 */
export async function mediaUsages(db: Db, workspaceId: string, id: string): Promise<MediaUsage[]> {
  const rows = await db.all<{
    funnel_id: string;
    funnel_name: string;
    page_id: string;
    page_name: string;
    page_slug: string;
    in_draft: number;
    in_published: number;
  }>(sql`
    select f.id as funnel_id, f.name as funnel_name, p.id as page_id, p.name as page_name, p.slug as page_slug,
      instr(p.draft, ${id}) > 0 as in_draft, coalesce(instr(v.content, ${id}) > 0, 0) as in_published
    from funnel_pages p
    join funnels f on f.id = p.funnel_id
    left join page_versions v on v.id = p.published_version_id
    where p.workspace_id = ${workspaceId} and (instr(p.draft, ${id}) > 0 or instr(v.content, ${id}) > 0)
    order by f.name, p.position`);
  return rows.map((r) => ({
    funnelId: r.funnel_id,
    funnelName: r.funnel_name,
    pageId: r.page_id,
    pageName: r.page_name,
    pageSlug: r.page_slug,
    inDraft: Boolean(r.in_draft),
    inPublished: Boolean(r.in_published),
  }));
}

export async function getMedia(db: Db, workspaceId: string, id: string): Promise<MediaDetail> {
  const found = await requireMedia(db, workspaceId, id);
  return { ...itemOf(found.row, { id: found.creatorId, name: found.creatorName }), usedIn: await mediaUsages(db, workspaceId, id) };
}

/** Changes an item's alt text (an image's may not become empty). */
export async function updateMedia(db: Db, workspaceId: string, id: string, patch: { alt?: string | null }): Promise<MediaItem> {
  const found = await requireMedia(db, workspaceId, id);
  if (patch.alt === undefined) return itemOf(found.row, { id: found.creatorId, name: found.creatorName });
  const alt = patch.alt?.trim() || null;
  if (found.row.kind === 'image' && !alt)
    throw validationFailed(
      [{ path: 'alt', message: 'Describe the image for people who cannot see it (alt text).' }],
      'Images need alt text.',
    );
  await db
    .update(media)
    .set({ alt })
    .where(and(eq(media.id, id), eq(media.workspaceId, workspaceId)));
  return itemOf({ ...found.row, alt }, { id: found.creatorId, name: found.creatorName });
}

function describeUsages(usages: MediaUsage[]): string {
  const names = usages.slice(0, 3).map((u) => `${u.funnelName} › ${u.pageName}`);
  return names.join(', ') + (usages.length > 3 ? ` and ${usages.length - 3} more` : '');
}

/**
 * Deletes an item and its stored bytes. While a page uses it the answer is 409 `media_in_use`
 * naming the pages, unless `force` — then it is deleted and the pages are reported back.
 */
export async function deleteMedia(
  ctx: Pick<ServiceCtx, 'db' | 'media'>,
  workspaceId: string,
  id: string,
  options: { force?: boolean } = {},
): Promise<MediaDeleted> {
  const { row } = await requireMedia(ctx.db, workspaceId, id);
  const usages = await mediaUsages(ctx.db, workspaceId, id);
  if (usages.length && !options.force) {
    throw conflict(
      `This ${row.kind === 'image' ? 'image' : 'file'} is used on ${usages.length === 1 ? 'a page' : `${usages.length} pages`}: ${describeUsages(usages)}. Remove it there first, or delete it anyway with force=true.`,
      'media_in_use',
    );
  }
  await ctx.media.delete(row.storageKey);
  await ctx.db.delete(media).where(and(eq(media.id, id), eq(media.workspaceId, workspaceId)));
  return { id, wasUsedIn: usages };
}

// ── Serving ──────────────────────────────────────────────────────────────────

const PUBLIC_FILE = /^([0-9A-Z]{26})\.(png|jpg|webp|gif|svg)$/;

/**
 * A public image by its URL parts (`/media/<hash>/<file>`), straight from the store: the key is
 * the URL, so serving needs no database read. Only images have keys under `images/`; files never do.
 */
export async function readPublicImage(
  store: MediaStore,
  hash: string,
  file: string,
): Promise<(StoredObject & { contentType: string; ext: ImageExtension }) | null> {
  const match = PUBLIC_FILE.exec(file);
  if (!match || !/^[0-9a-f]{16}$/.test(hash)) return null;
  const object = await store.get(`images/${hash}/${file}`);
  const ext = match[2] as ImageExtension;
  return object ? { ...object, contentType: IMAGE_TYPES[ext], ext } : null;
}

/**
 * An uploaded lead-magnet file for a download link (`assetPath: "media:<id>"`), only if it belongs
 * to the workspace of the lead the link was made for.
 */
export async function readLeadMagnetFile(
  db: Db,
  store: MediaStore,
  workspaceId: string,
  ref: string,
): Promise<(StoredObject & { contentType: string; name: string }) | null> {
  const id = ref.slice(MEDIA_REF_PREFIX.length);
  const [row] = await db
    .select()
    .from(media)
    .where(and(eq(media.id, id), eq(media.workspaceId, workspaceId), eq(media.kind, 'file')));
  if (!row) return null;
  const object = await store.get(row.storageKey);
  return object ? { ...object, contentType: row.contentType, name: row.originalName } : null;
}
