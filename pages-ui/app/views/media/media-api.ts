/**
 * The media library through the typed client (`/api/media`), shared by the Media screen and the
 * inspector's media picker, with the few words both show about a file.
 */
import { api, call } from '../../api';
import type { MediaItem, MediaKind, MediaUsage } from '../../../../workers/contract';

export type { MediaItem, MediaKind, MediaUsage };

/** One page of the library, newest first; `cursor` continues after the previous page. */
export function listMedia(kind?: MediaKind, cursor?: string) {
  return call(api.media.$get({ query: { ...(kind ? { kind } : {}), ...(cursor ? { cursor } : {}), limit: '60' } }));
}

/**
 * Uploads one file. The server reads the type and size from the bytes and refuses what it cannot
 * accept with a message meant for the marketer (`unsupported_media`, `too_large`, `unsafe_svg`,
 * alt text missing) — nothing is stored then.
 */
export function uploadMedia(file: File, alt?: string) {
  return call(api.media.$post({ form: { file, ...(alt?.trim() ? { alt: alt.trim() } : {}) } }));
}

export function mediaDetail(id: string) {
  return call(api.media[':id'].$get({ param: { id } }));
}

export function saveAlt(id: string, alt: string) {
  return call(api.media[':id'].$patch({ param: { id }, json: { alt: alt.trim() || null } }));
}

export function deleteMedia(id: string, force: boolean) {
  return call(api.media[':id'].$delete({ param: { id }, query: { force: force ? 'true' : 'false' } }));
}

/** Files a browser calls images: the library asks for their alt text before uploading. */
export function looksLikeImage(file: File): boolean {
  return file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|svg)$/i.test(file.name);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "PNG · 1200 × 630 · 84 KB" */
export function describeMedia(item: MediaItem): string {
  const type = item.contentType === 'application/pdf' ? 'PDF' : (item.contentType.split('/')[1] ?? '').replace('+xml', '').toUpperCase();
  const size = item.width && item.height ? ` · ${item.width} × ${item.height}` : '';
  return `${type}${size} · ${formatBytes(item.byteSize)}`;
}

/** "Spring sale › Landing page (draft and live)" */
export function describeUsage(usage: MediaUsage): string {
  const where = usage.inDraft && usage.inPublished ? 'draft and live' : usage.inPublished ? 'live' : 'draft';
  return `${usage.funnelName} › ${usage.pageName} (${where})`;
}

/** A file's contents as a `data:` URL, for previewing an image before it is uploaded (the app's CSP allows data: images, not blob:). */
export function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}
