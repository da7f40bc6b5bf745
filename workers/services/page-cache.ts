/**
 * Cache keys of published pages. The cache itself is a port (`PageCache` in ports.ts): an
 * in-memory LRU on Node (node/page-cache.ts), the Cache API on Workers (cloudflare/page-cache.ts).
 */
export function pageCacheKey(funnelSlug: string, pageSlug: string): string {
  return `${funnelSlug}/${pageSlug}`;
}

/** Every key a funnel's pages can be cached under: each page by slug, and the funnel root. */
export function funnelCacheKeys(funnelSlug: string, pageSlugs: string[]): string[] {
  return [pageCacheKey(funnelSlug, ''), ...pageSlugs.map((s) => pageCacheKey(funnelSlug, s))];
}
