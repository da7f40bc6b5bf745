import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, asApiError } from '../api';
import { workspaceId } from '../state';

/** One page of a keyset-paged list, as the view's `load` hands it over. */
export interface CursorPage<T, S = undefined> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
  /** What only the first page is asked for (a total, say); ignored on later pages. */
  summary?: S;
}

export interface CursorPages<T, S = undefined> {
  /** The first page and every page loaded after it; empty until the first page arrives. */
  items: T[];
  /** The first page's `summary`. */
  summary: S | undefined;
  /** A first page is shown (with `keepWhileLoading`, possibly the previous keys' while `stale`). */
  loaded: boolean;
  /** A first page is on its way: the first time, after the keys changed, or on `reload()`. */
  loading: boolean;
  /** Rows are shown while a first page loads (`reload()`, or new keys with `keepWhileLoading`). */
  stale: boolean;
  /** The first page did not load. */
  error: ApiError | undefined;
  reload: () => void;
  /** There is a next page for these keys and it can be asked for now. */
  hasMore: boolean;
  /** Appends the next page; a failure keeps the rows and sets `moreError`, a new call retries. */
  loadMore: () => void;
  moreBusy: boolean;
  moreError: ApiError | undefined;
  /** Changes the loaded rows in place (an upload added, a file deleted) without a round trip. */
  mutate: (update: (items: T[]) => T[]) => void;
}

interface State<T, S> {
  /** Undefined until a first page arrives (and again once the keys changed, unless kept). */
  items: T[] | undefined;
  summary: S | undefined;
  nextCursor: string | null;
  /** The rows belong to the current keys: only then may the next page be appended to them. */
  current: boolean;
  loading: boolean;
  error?: ApiError;
  moreBusy: boolean;
  moreError?: ApiError;
}

const NOTHING = { items: undefined, summary: undefined, nextCursor: null, current: false, moreBusy: false } as const;

/**
 * A keyset-paged list with "load more": loads the first page when `keys` or the workspace change,
 * appends the next on `loadMore()`, which has its own busy flag and error so a failed page keeps the
 * rows on screen. Answers to an older key, and "more" pages asked before the keys changed or a
 * reload started, are ignored. With `keepWhileLoading` the previous keys' rows stay on screen as
 * `stale` until the new first page arrives (never across workspaces, and not after it failed).
 */
export function useCursorPages<T, S = undefined>(
  load: (cursor: string | undefined) => Promise<CursorPage<T, S>>,
  keys: unknown[] = [],
  options: { keepWhileLoading?: boolean } = {},
): CursorPages<T, S> {
  const [state, setState] = useState<State<T, S>>({ ...NOTHING, loading: true });
  const run = useRef(0);
  /** The run whose next page is on its way (0: none), so a double click asks for it once. */
  const moreOf = useRef(0);
  const ws = workspaceId.value;
  const shownWorkspace = useRef(ws);
  const loadRef = useRef(load);
  loadRef.current = load;

  const start = (mode: 'drop' | 'keep' | 'reload') => {
    const id = ++run.current;
    moreOf.current = 0;
    setState((s) =>
      mode === 'drop' || s.items === undefined
        ? { ...NOTHING, loading: true }
        : { ...s, current: mode === 'reload' && s.current, loading: true, error: undefined, moreBusy: false, moreError: undefined },
    );
    loadRef.current(undefined).then(
      (page) =>
        id === run.current &&
        setState({ items: page.items, summary: page.summary, nextCursor: page.nextCursor, current: true, loading: false, moreBusy: false }),
      (err: unknown) =>
        id === run.current &&
        // A failed reload keeps its rows; the previous keys' rows would now pass for these keys' answer.
        setState((s) => ({ ...(s.current ? s : NOTHING), loading: false, error: asApiError(err) })),
    );
  };

  useEffect(() => {
    const sameWorkspace = shownWorkspace.current === ws;
    shownWorkspace.current = ws;
    start(options.keepWhileLoading && sameWorkspace ? 'keep' : 'drop');
  }, [ws, ...keys]);

  const hasMore = state.current && !state.loading && state.nextCursor !== null;

  const loadMore = () => {
    const id = run.current;
    const cursor = state.nextCursor;
    if (!hasMore || cursor === null || moreOf.current === id) return;
    moreOf.current = id;
    setState((s) => ({ ...s, moreBusy: true, moreError: undefined }));
    loadRef.current(cursor).then(
      (page) => {
        if (id !== run.current) return;
        moreOf.current = 0;
        setState((s) => ({ ...s, items: [...(s.items ?? []), ...page.items], nextCursor: page.nextCursor, moreBusy: false }));
      },
      (err: unknown) => {
        if (id !== run.current) return;
        moreOf.current = 0;
        setState((s) => ({ ...s, moreBusy: false, moreError: asApiError(err) }));
      },
    );
  };

  return {
    items: state.items ?? [],
    summary: state.summary,
    loaded: state.items !== undefined,
    loading: state.loading,
    stale: state.loading && state.items !== undefined,
    error: state.error,
    reload: () => start('reload'),
    hasMore,
    loadMore,
    moreBusy: state.moreBusy,
    moreError: state.moreError,
    mutate: (update) => setState((s) => (s.items === undefined ? s : { ...s, items: update(s.items) })),
  };
}
