import type { WorkspaceSettings } from '../../db/schema';
/**
 * Published pages by public path. Locally an in-memory LRU; on Workers the Cache API (see
 * cloudflare.ts). Entries are invalidated when a page of the funnel is published, unpublished,
 * moved or deleted.
 */
export interface CachedPage {
  /** 200 with the page, or 410 for a page taken down (so repeated hits skip the database too). */
  status: 200 | 410;
  html: string;
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageVersionId: string;
  /** Content-Security-Policy for this page (depends on its blocks). */
  csp: string;
  /** For tracking page views without another read. */
  pageSlug: string;
  settings: WorkspaceSettings;
}

export interface PageCache {
  get(key: string): Promise<CachedPage | undefined>;
  /**
   * `readSince`: what `generation()` said before the page was read from the database. A read
   * that an invalidation overtook (a publish landed meanwhile) is stale and is not kept.
   */
  put(key: string, page: CachedPage, readSince?: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Bumped by every `delete`, where the cache can tell (the Cache API's one-minute expiry bounds staleness there). */
  generation?(): number;
}

export function pageCacheKey(funnelSlug: string, pageSlug: string): string {
  return `${funnelSlug}/${pageSlug}`;
}

/** Every key a funnel's pages can be cached under: each page by slug, and the funnel root. */
export function funnelCacheKeys(funnelSlug: string, pageSlugs: string[]): string[] {
  return [pageCacheKey(funnelSlug, ''), ...pageSlugs.map((s) => pageCacheKey(funnelSlug, s))];
}

/** Least-recently-used, bounded by entry count and total HTML size. */
export class MemoryPageCache implements PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private bytes = 0;
  private deletes = 0;

  constructor(
    private readonly maxEntries = 1000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async get(key: string) {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  generation() {
    return this.deletes;
  }

  async put(key: string, page: CachedPage, readSince?: number) {
    if (readSince !== undefined && readSince !== this.deletes) return;
    this.remove(key);
    this.entries.set(key, page);
    this.bytes += page.html.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  async delete(keys: string[]) {
    this.deletes++;
    for (const key of keys) this.remove(key);
  }

  private remove(key: string) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.html.length;
      this.entries.delete(key);
    }
  }
}
