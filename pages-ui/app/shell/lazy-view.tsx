import type { AnyComponent } from 'preact';
import lazy from 'preact-iso/lazy';
import { View } from './view';

/** Shown when a view's file cannot be loaded: usually a new version was deployed while the tab was open. */
function ViewUnavailable() {
  return (
    <View title="This screen did not load">
      <div class="inline-error" role="alert">
        <p>Leadflare may have been updated since this tab was opened, or the connection dropped.</p>
        <button type="button" class="button" onClick={() => location.reload()}>
          Reload the app
        </button>
      </div>
    </View>
  );
}

/**
 * A view loaded on first use, with a way out when its chunk fails to load. The router hands a view
 * its path parameters as string props (`/app/funnels/:id` → `{ id }`), which the view declares.
 */
export function lazyView<P extends object>(load: () => Promise<{ default: AnyComponent<P> }>): AnyComponent<object> {
  return lazy(() => load().catch(() => ({ default: ViewUnavailable as AnyComponent<P> }))) as unknown as AnyComponent<object>;
}
