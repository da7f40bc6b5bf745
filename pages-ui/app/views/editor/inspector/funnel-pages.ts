/**
 * The pages of the funnel being edited, for "goes to a page of this funnel" choices. The
 * inspector knows the funnel only from the editor's URL (/app/funnels/:id/pages/:pageId); the
 * list is fetched once per funnel and shared by every such field.
 */
import { api, call } from '../../../api';
import { useResource } from '../../../shell/resource';

export interface FunnelPageChoice {
  slug: string;
  name: string;
}

const cache = new Map<string, Promise<FunnelPageChoice[]>>();

function funnelIdFromUrl(): string | null {
  return /^\/app\/funnels\/([^/]+)\/pages\//.exec(location.pathname)?.[1] ?? null;
}

function loadPages(funnelId: string): Promise<FunnelPageChoice[]> {
  let pending = cache.get(funnelId);
  if (!pending) {
    pending = call(api.funnels[':id'].$get({ param: { id: funnelId } })).then((f) => f.pages.map((p) => ({ slug: p.slug, name: p.name })));
    // A failure is not kept: the next field (or a retry) asks again.
    pending.catch(() => cache.delete(funnelId));
    cache.set(funnelId, pending);
  }
  return pending;
}

/** The funnel's pages (null when they could not be had, or outside a funnel page's editor), and whether they are loading. */
export function useFunnelPages(): { pages: FunnelPageChoice[] | null; loading: boolean } {
  const funnelId = funnelIdFromUrl();
  const pages = useResource(() => (funnelId ? loadPages(funnelId) : Promise.resolve(null)), [funnelId]);
  return { pages: pages.data ?? null, loading: pages.loading };
}
