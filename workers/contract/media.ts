/**
 * The media library as the API sends it (services/media.ts): uploaded images, served publicly at a
 * content-hashed URL, and PDF lead-magnet files, delivered only through a lead's signed link.
 */
import type { MediaKind } from '../domain/media';

export type { MediaKind };
export { MEDIA_KINDS, IMAGE_MAX_BYTES, FILE_MAX_BYTES, ALT_MAX_LENGTH } from '../domain/media';

export interface MediaItem {
  id: string;
  kind: MediaKind;
  /** Read from the bytes: image/png, image/jpeg, image/webp, image/gif, image/svg+xml or application/pdf. */
  contentType: string;
  byteSize: number;
  /** Pixel size of an image, read from its header (null for files, and for an SVG that states none). */
  width: number | null;
  height: number | null;
  /** Required for images; what a block's image `alt` should say. */
  alt: string | null;
  originalName: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  createdAt: number;
  createdBy: { id: string; name: string } | null;
  /**
   * An image's public address on this site (`/media/<sha256 prefix>/<id>.<ext>`), served with
   * immutable caching; put it in a block's image `src`. Null for files, which are never public.
   */
  url: string | null;
  /**
   * For a PDF: what a lead-magnet block's `assetPath` takes (`media:<id>`), so the file is delivered
   * through the lead's signed, expiring `/d/<token>` link. Null for images.
   */
  leadMagnetRef: string | null;
}

/** A page that refers to a media item, in its draft and/or its published version. */
export interface MediaUsage {
  funnelId: string;
  funnelName: string;
  pageId: string;
  pageName: string;
  pageSlug: string;
  inDraft: boolean;
  inPublished: boolean;
}

export interface MediaPage {
  media: MediaItem[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface MediaDetail extends MediaItem {
  usedIn: MediaUsage[];
}

export interface MediaDeleted {
  id: string;
  /** Where it was still used when deleted with `force=true` (those pages now show a missing image or file). */
  wasUsedIn: MediaUsage[];
}
