/**
 * The app's one way to the server: the typed client of the API (`hc<AppType>`), so a changed
 * route breaks this build. Every call carries the session cookie and the current workspace
 * (`X-Workspace-Id`, see workers/middleware/auth.ts). `call()` turns the API's error shape into
 * an `ApiError` and hands back the success body, typed by the route.
 *
 *   const { funnels } = await call(api.funnels.$get());
 *   await call(api.funnels.$post({ json: { name, slug } }));
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../workers/app';
import { workspaceId } from './state';

const client = hc<AppType>(location.origin, {
  headers: (): Record<string, string> => (workspaceId.value ? { 'X-Workspace-Id': workspaceId.value } : {}),
  init: { credentials: 'same-origin' },
});

/** The `/api` routes, e.g. `api.funnels[':id'].$get({ param: { id } })`. */
export const api = client.api;

/** A refused or failed request, in the API's terms: `code`, a readable `message`, and per-field messages. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path (e.g. `slug`, `stages.0.name`) → the server's message for it. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }

  /** Worth trying again as is: the network, a timeout or the server, not the request itself. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** What a view shows for a failed call: the API's own error, or `fallback` when the request never got an answer. */
export function asApiError(err: unknown, fallback = 'Something went wrong. Try again.'): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, 'client_error', fallback);
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown; status?: unknown; fields?: Array<{ path: string; message: string }> };
}

/** Reads an error response: the API's own shape when it is one, a plain description otherwise. */
export async function toApiError(res: Response | ClientResponse<unknown>): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorShape | null;
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const fields: Record<string, string> = {};
    for (const f of error.fields ?? []) fields[f.path] ??= f.message;
    return new ApiError(res.status, error.code, error.message, fields);
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status}. Try again in a moment.`);
}

type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, infer F> ? (S extends 204 ? undefined : F extends 'json' ? T : unknown) : never;

/**
 * Awaits a typed-client request: a 2xx answer is its typed JSON body (undefined for 204),
 * anything else throws an `ApiError`. A 401 means the session ended: the app goes to sign-in
 * and comes back to the same URL.
 */
export async function call<R extends ClientResponse<unknown, number, string>>(request: Promise<R>): Promise<SuccessBody<R>> {
  let res: R;
  try {
    res = await request;
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach Leadflare. Check your connection and try again.');
  }
  if (res.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    // The workspace started requiring 2FA while the member was in the app: off to set it up.
    if (error.code === 'two_factor_required' && res.status === 403 && location.pathname !== '/app/settings/security') {
      location.assign('/app/settings/security');
    }
    throw error;
  }
  if (res.status === 204) return undefined as SuccessBody<R>;
  return (await res.json()) as SuccessBody<R>;
}

/** Signs out (ends the server session) and leaves the app for the sign-in page. */
export async function signOut(): Promise<void> {
  await call(api.auth.logout.$post());
  location.assign('/login');
}
