/**
 * The page editor's calls to the server, all through the typed client: load the page and its
 * funnel, save the draft against its revision, publish and unpublish.
 */
import type { PageContent } from '../../../../workers/domain/blocks';
import { api, call } from '../../api';
import type { DraftServer, Revision } from './state';

export type LoadedPage = Awaited<ReturnType<typeof loadPage>>;
export type LoadedFunnel = Awaited<ReturnType<typeof loadFunnel>>;

export function loadPage(pageId: string) {
  return call(api.pages[':id'].$get({ param: { id: pageId } }));
}

export function loadFunnel(funnelId: string) {
  return call(api.funnels[':id'].$get({ param: { id: funnelId } }));
}

/** The draft's revision as the API reports it. */
export function revisionOf(page: LoadedPage): Revision {
  return page.updatedAt;
}

export function draftOf(page: LoadedPage): PageContent {
  return page.draft as PageContent;
}

export function draftServer(pageId: string): DraftServer {
  return {
    async save(content, _baseRevision, options) {
      const page = await call(
        api.pages[':id'].$patch(
          { param: { id: pageId }, json: { content } },
          options?.keepalive ? { init: { keepalive: true } } : undefined,
        ),
      );
      return { revision: revisionOf(page) };
    },
    async latest() {
      const page = await loadPage(pageId);
      return { content: draftOf(page), revision: revisionOf(page) };
    },
  };
}

export function publishPage(pageId: string) {
  return call(api.pages[':id'].publish.$post({ param: { id: pageId } }));
}

export function unpublishPage(pageId: string) {
  return call(api.pages[':id'].unpublish.$post({ param: { id: pageId } }));
}
