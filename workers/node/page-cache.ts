/** Published pages on Node: an in-memory cache in the one server process (the PageCache port, services/ports.ts). */
import type { CachedPage, PageCache } from '../services/ports';

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
