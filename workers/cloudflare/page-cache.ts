/**
 * Published-page cache on Workers, in the Cache API. The Cache API is per data centre and
 * `delete` only purges the local one, so entries also expire after a minute: a publish is seen
 * at once where it was made and everywhere else within `MAX_AGE_SECONDS`.
 */
import type { CachedPage, PageCache } from '../services/ports';

const MAX_AGE_SECONDS = 60;
const CACHE_ORIGIN = 'https://page-cache.leadflare.internal/';

export class CacheApiPageCache implements PageCache {
  private cache: Promise<Cache> | undefined;

  private open(): Promise<Cache> {
    this.cache ??= caches.open('leadflare-pages');
    return this.cache;
  }

  async get(key: string): Promise<CachedPage | undefined> {
    const res = await (await this.open()).match(CACHE_ORIGIN + encodeURIComponent(key));
    return res ? ((await res.json()) as CachedPage) : undefined;
  }

  async put(key: string, page: CachedPage): Promise<void> {
    const body = JSON.stringify(page);
    await (
      await this.open()
    ).put(
      CACHE_ORIGIN + encodeURIComponent(key),
      new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': `max-age=${MAX_AGE_SECONDS}` } }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    const cache = await this.open();
    await Promise.all(keys.map((key) => cache.delete(CACHE_ORIGIN + encodeURIComponent(key))));
  }
}
