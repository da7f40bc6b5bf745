import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';

/** What a card shows: nothing yet (skeleton), its data, or the error with a retry beside it. */
export interface Settled<T> {
  data?: T;
  error?: ApiError;
}

const asApiError = (err: unknown) =>
  err instanceof ApiError ? err : new ApiError(0, 'client_error', err instanceof Error ? err.message : 'Something went wrong.');

let frameQueue: Array<() => void> = [];

/**
 * Runs `update` in the next animation frame, with every other update queued before that frame: the
 * answers that arrive within one frame are drawn in one render and one layout, not one each.
 */
function inNextFrame(update: () => void): void {
  if (!frameQueue.length) {
    requestAnimationFrame(() => {
      const updates = frameQueue;
      frameQueue = [];
      for (const u of updates) u();
    });
  }
  frameQueue.push(update);
}

/**
 * A promise's outcome as state. The request behind it was started before (during render, see
 * dashboard.tsx), so subscribing after paint loses no time; an answer to a superseded promise is ignored.
 */
export function useSettled<T>(promise: Promise<T>): Settled<T> {
  const [state, setState] = useState<{ promise: Promise<T> } & Settled<T>>({ promise });
  useEffect(() => {
    let live = true;
    promise.then(
      (data) => inNextFrame(() => live && setState({ promise, data })),
      (err: unknown) => inNextFrame(() => live && setState({ promise, error: asApiError(err) })),
    );
    return () => {
      live = false;
    };
  }, [promise]);
  return state.promise === promise ? state : {};
}

/**
 * A request several cards depend on (the funnel and pipeline lists), made once; after a failure the
 * next caller — a card's "Try again" — asks again instead of reusing the error.
 */
export function shared<T>(start: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= start().catch((err: unknown) => {
      pending = null;
      throw err;
    }));
}

const firstKey = (ws: string, kind: 'funnel' | 'pipeline') => `lf:dashboard-first-${kind}:${ws}`;

/** The id the workspace's funnel (pipeline) list put first when this browser last asked. */
export function rememberedFirst(ws: string | null, kind: 'funnel' | 'pipeline'): string | null {
  if (!ws) return null;
  try {
    return localStorage.getItem(firstKey(ws, kind));
  } catch {
    // Storage off (a privacy setting): every visit waits for the list.
    return null;
  }
}

export function rememberFirst(ws: string | null, kind: 'funnel' | 'pipeline', id: string | null): void {
  if (!ws) return;
  try {
    if (id) localStorage.setItem(firstKey(ws, kind), id);
    else localStorage.removeItem(firstKey(ws, kind));
  } catch {
    // Storage off or full: nothing to keep.
  }
}
