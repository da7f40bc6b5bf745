import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { workspaceId } from '../state';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True until the first answer, and again while `reload()` runs (the last data stays shown). */
  loading: boolean;
  reload: () => void;
  /** Changes the loaded data in place, e.g. after a successful write, without a round trip. */
  mutate: (update: (data: T) => T) => void;
}

function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'client_error', err instanceof Error ? err.message : 'Something went wrong.');
}

/**
 * Loads what a view shows and keeps it with its loading and error state. `load` runs again when
 * `keys` or the current workspace change (the old data is dropped then) and on `reload()` (the old
 * data stays until the new arrives). Answers to superseded loads are ignored.
 */
export function useResource<T>(load: () => Promise<T>, keys: unknown[] = []): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const run = useRef(0);
  const ws = workspaceId.value;
  const loadRef = useRef(load);
  loadRef.current = load;

  const start = useCallback((keep: boolean) => {
    const id = ++run.current;
    setState((s) => ({ data: keep ? s.data : undefined, error: undefined, loading: true }));
    loadRef.current().then(
      (data) => id === run.current && setState({ data, loading: false }),
      (err: unknown) =>
        id === run.current && setState((s) => ({ data: keep ? s.data : undefined, error: asApiError(err), loading: false })),
    );
  }, []);

  useEffect(() => start(false), [ws, ...keys]);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: () => start(true),
    mutate: (update) => setState((s) => (s.data === undefined ? s : { ...s, data: update(s.data) })),
  };
}
