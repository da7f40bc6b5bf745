import { describe, expect, it } from 'vitest';
import { MemoryPageCache } from '../../workers/node/page-cache';
import { funnelCacheKeys } from '../../workers/services/page-cache';
import type { CachedPage } from '../../workers/services/ports';

const page = (html: string): CachedPage => ({
  status: 200,
  html,
  workspaceId: 'w',
  funnelId: 'f',
  pageId: 'p',
  pageVersionId: 'v',
  csp: '',
  pageSlug: 'landing',
  settings: {},
});

describe('MemoryPageCache', () => {
  it('evicts the least recently used entry past its entry or byte budget', async () => {
    const cache = new MemoryPageCache(2, 10);
    await cache.put('a', page('aaa'));
    await cache.put('b', page('bbb'));
    expect(await cache.get('a')).toBeDefined(); // a is now the most recent
    await cache.put('c', page('ccc'));
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.html).toBe('aaa');
    await cache.put('d', page('dddddddd')); // 3 + 8 bytes > 10: the oldest goes
    expect(await cache.get('c')).toBeUndefined();
    expect(await cache.get('a')).toBeUndefined();
    expect((await cache.get('d'))?.html).toBe('dddddddd');
  });

  it('drops a put whose database read an invalidation overtook', async () => {
    const cache = new MemoryPageCache();
    const before = cache.generation();
    await cache.delete(funnelCacheKeys('shop', ['offer']));
    await cache.put('shop/offer', page('stale'), before);
    expect(await cache.get('shop/offer')).toBeUndefined();
    await cache.put('shop/offer', page('fresh'), cache.generation());
    expect((await cache.get('shop/offer'))?.html).toBe('fresh');
    // Evictions are not invalidations.
    const now = cache.generation();
    await cache.put('shop/other', page('x'));
    expect(cache.generation()).toBe(now);
  });
});
