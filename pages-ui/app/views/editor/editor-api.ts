/**
 * The page editor's calls to the server, all through the typed client: load the page and its
 * funnel, save the draft against its revision (409 `edit_conflict` when someone saved first),
 * publish and unpublish, versions and rollback, and the shareable preview link.
 */
import type { PageContent } from '../../../../workers/domain/blocks';
import { api, ApiError, call } from '../../api';
import type { DraftServer, Revision, SaveConflict } from './state';

/** call()'s body type is the union of every answer the route declares (its 409 too); a call that resolved had a 2xx. */
type Success<T> = Exclude<T, { error: unknown }>;
const ok = async <T>(request: Promise<T>): Promise<Success<T>> => (await request) as Success<T>;

export type LoadedPage = Awaited<ReturnType<typeof loadPage>>;
export type LoadedFunnel = Awaited<ReturnType<typeof loadFunnel>>;
export type VersionList = Awaited<ReturnType<typeof loadVersions>>;

export function loadPage(pageId: string) {
  return call(api.pages[':id'].$get({ param: { id: pageId } }));
}

export function loadFunnel(funnelId: string) {
  return call(api.funnels[':id'].$get({ param: { id: funnelId } }));
}

/** The draft's revision: sent back as `baseRevision` with the next save. */
export function revisionOf(page: LoadedPage): Revision {
  return page.revision;
}

export function draftOf(page: LoadedPage): PageContent {
  return page.draft as PageContent;
}

/**
 * A 409 `edit_conflict` as an EditConflictError: the refusal carries the page as it is now, so the
 * editor offers it without another request. Any other answer is left to `call`.
 */
async function throwIfEditConflict(request: Promise<Response>): Promise<void> {
  const res = await request.catch(() => null);
  if (res?.status !== 409) return;
  const body = (await res.clone().json()) as ConflictBody;
  if (body.error?.code === 'edit_conflict' && body.current) {
    throw new EditConflictError(body.error.message, {
      content: body.current.draft as PageContent,
      revision: body.current.revision,
      updatedBy: body.current.updatedBy?.name || null,
    });
  }
}

export function draftServer(pageId: string): DraftServer {
  return {
    async save(content, baseRevision, options) {
      const request = api.pages[':id'].$patch(
        { param: { id: pageId }, json: { content, baseRevision } },
        // Leaving the editor: the request outlives the view (and a closing tab).
        options?.keepalive ? { init: { keepalive: true } } : undefined,
      );
      await throwIfEditConflict(request);
      const page = await ok(call(request));
      return { revision: page.revision };
    },
    async latest() {
      const page = await loadPage(pageId);
      return { content: draftOf(page), revision: revisionOf(page) };
    },
  };
}

/** 409 `edit_conflict`, with the draft someone else saved. */
export class EditConflictError extends ApiError implements SaveConflict {
  constructor(
    message: string,
    readonly current: NonNullable<SaveConflict['current']>,
  ) {
    super(409, 'edit_conflict', message);
  }
}

interface ConflictBody {
  error?: { code?: string; message: string };
  current?: { draft: unknown; revision: number; updatedBy: { name: string } | null };
}

/**
 * Publishes the draft at `baseRevision` (the one the member saved and checked); EditConflictError
 * when someone saved the draft since — then nothing was published.
 */
export async function publishPage(pageId: string, baseRevision: Revision) {
  const request = api.pages[':id'].publish.$post({ param: { id: pageId }, json: { baseRevision } });
  await throwIfEditConflict(request);
  return ok(call(request));
}

export function unpublishPage(pageId: string) {
  return call(api.pages[':id'].unpublish.$post({ param: { id: pageId } }));
}

export function loadVersions(pageId: string) {
  return call(api.pages[':id'].versions.$get({ param: { id: pageId } }));
}

/** Publishes an earlier version again and makes it the draft (refused if the draft was saved since `baseRevision`). */
export function restoreVersion(pageId: string, versionId: string, baseRevision: Revision) {
  return ok(call(api.pages[':id'].versions[':versionId'].restore.$post({ param: { id: pageId, versionId }, json: { baseRevision } })));
}

export function createPreviewLink(pageId: string) {
  return call(api.pages[':id']['preview-link'].$post({ param: { id: pageId }, json: {} }));
}

/** Turns off every preview link of the page made so far. */
export function revokePreviewLinks(pageId: string) {
  return call(api.pages[':id']['preview-links'].$delete({ param: { id: pageId } }));
}
