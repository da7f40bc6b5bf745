import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { OwnerOnlyNote, ownerOnly, SettingsView } from './frame';

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

/** The sites allowed to embed the workspace's forms (a workspace setting: one list for every funnel). */
export default function Embedding() {
  const ws = useResource(() => call(api.workspace.$get()));
  const funnels = useResource(() => call(api.funnels.$get()));
  const [origin, setOrigin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = ownerOnly();
  const origins = ws.data?.settings.allowedOrigins ?? [];

  const save = async (next: string[], done: string) => {
    setBusy(true);
    setError(null);
    try {
      const { settings } = await call(api.workspace.settings.$patch({ json: { allowedOrigins: next } }));
      ws.mutate((w) => ({ ...w, settings }));
      toast(done);
      return true;
    } catch (err) {
      setError(asApiError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    // People paste addresses with a path or a trailing slash; the origin is what the browser sends.
    let value = origin.trim();
    try {
      if (/^https?:\/\//i.test(value)) value = new URL(value).origin;
    } catch {
      // Left as typed: the API says what is wrong with it.
    }
    if (origins.includes(value)) {
      setError(new ApiError(400, 'duplicate', 'Already allowed.', { origin: `${value} is already on the list.` }));
      return;
    }
    if (await save([...origins, value], `${value} may now embed your forms`)) setOrigin('');
  };
  const remove = async (gone: string) => {
    const ok = await confirm({
      title: `Stop allowing ${gone}?`,
      message: `Forms embedded on ${gone} stop accepting submissions at once; visitors there see an error instead of the thank-you.`,
      confirmLabel: 'Remove origin',
      danger: true,
    });
    if (ok)
      await save(
        origins.filter((o) => o !== gone),
        `${gone} removed`,
      );
  };
  // The API names the failing entry by its index; it is always the one being added (the saved ones passed before).
  const originError = error
    ? (error.fields.origin ?? Object.entries(error.fields).find(([p]) => p.startsWith('allowedOrigins'))?.[1])
    : undefined;

  return (
    <SettingsView title="Embedded forms" lede="Put a funnel’s form on your own site (Shopify, WordPress, anywhere) with a snippet.">
      <OwnerOnlyNote>Only owners choose which sites may embed forms.</OwnerOnlyNote>
      <section class="panel" aria-labelledby="origins-heading">
        <h2 id="origins-heading">Allowed origins</h2>
        <p class="panel-note muted">
          A form only accepts submissions from pages on these sites. One list for every funnel in this workspace.
        </p>
        {ws.error ? <InlineError error={ws.error} onRetry={ws.reload} /> : null}
        {!ws.data && ws.loading ? <Skeleton rows={2} label="Loading allowed origins…" /> : null}
        {ws.data && origins.length === 0 ? (
          <EmptyState title="No site may embed your forms yet">Add your site’s address below, e.g. https://shop.example.com.</EmptyState>
        ) : null}
        {origins.length > 0 ? (
          <ul class="origin-list" aria-label="Allowed origins">
            {origins.map((o) => (
              <li key={o}>
                <code>{o}</code>
                <button
                  type="button"
                  class="button small danger-outline"
                  aria-label={`Remove ${o}`}
                  {...locked}
                  disabled={locked.disabled || busy}
                  onClick={() => void remove(o)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {ws.data ? (
          <form class="add-row" onSubmit={add} noValidate>
            <TextField
              id="origin"
              label="Add a site"
              placeholder="https://shop.example.com"
              inputMode="url"
              hint="https, the address without a path. http works for localhost only."
              value={origin}
              error={originError}
              onInput={(e) => setOrigin(e.currentTarget.value)}
              {...locked}
            />
            <button type="submit" class="button" {...locked} disabled={locked.disabled || busy || !origin.trim()}>
              Allow site
            </button>
          </form>
        ) : null}
        {error && !originError ? <InlineError error={error} /> : null}
      </section>
      <section class="panel" aria-labelledby="snippets-heading">
        <h2 id="snippets-heading">Snippets</h2>
        <p class="panel-note muted">Each funnel’s page has its forms’ snippets, under “Embed on your site”.</p>
        {funnels.error ? <InlineError error={funnels.error} onRetry={funnels.reload} /> : null}
        {!funnels.data && funnels.loading ? <Skeleton rows={1} label="Loading funnels…" /> : null}
        {funnels.data && funnels.data.funnels.length === 0 ? (
          <p>
            No funnels yet: <a href="/app/funnels">create a funnel</a> with a form first.
          </p>
        ) : null}
        {funnels.data && funnels.data.funnels.length > 0 ? (
          <ul class="link-list">
            {funnels.data.funnels.map((f) => (
              <li key={f.id}>
                <a href={`/app/funnels/${f.id}`}>{f.name}</a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </SettingsView>
  );
}
