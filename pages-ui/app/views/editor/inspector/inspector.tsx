/**
 * The inspector as the editor imports it: a small shell that loads the real one in two chunks of
 * its own, side by side — the forms (inspector-view.tsx) and the schema runtime with zod
 * (runtime.ts) — so the editor's chunk stays small and each of the three stays within the app's
 * per-chunk budget. The download starts as soon as the editor's chunk runs, in parallel with the
 * page's data, so it is usually there before the editor first renders.
 */
import { useEffect, useState } from 'preact/hooks';
import { InlineError, Skeleton } from '../../../shell/feedback';
import type { InspectorProps } from '../inspector-contract';
import type { InspectorView } from './inspector-view';
import { provideRuntime } from './use-runtime';

type View = typeof InspectorView;

let view: View | null = null;
let pending: Promise<View> | null = null;

function load(): Promise<View> {
  pending ??= Promise.all([import('./inspector-view'), import('./runtime')]).then(
    ([forms, schema]) => {
      provideRuntime(schema.runtime);
      return (view = forms.InspectorView);
    },
    (err: unknown) => {
      // A failed download can be retried (a new deploy, a dropped connection).
      pending = null;
      throw err;
    },
  );
  return pending;
}

load().catch(() => undefined);

export default function Inspector(props: InspectorProps) {
  const [, setLoaded] = useState(view !== null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    // The chunk may have arrived between the first render and this effect: render it now.
    if (view) return setLoaded(true);
    let live = true;
    load().then(
      () => live && setLoaded(true),
      () => live && setFailed(true),
    );
    return () => void (live = false);
  }, [failed]);
  if (view) {
    const Loaded = view;
    return <Loaded {...props} />;
  }
  if (failed) {
    return (
      <InlineError
        error="The inspector did not load. Check your connection, or reload if Leadflare was just updated."
        onRetry={() => setFailed(false)}
      />
    );
  }
  return <Skeleton rows={5} label="Loading the inspector…" />;
}
