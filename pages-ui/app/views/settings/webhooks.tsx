import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call } from '../../api';
import { formatDate } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { isOwner } from '../../state';
import { OWNER_NOTE_ID, OwnerOnlyNote, ownerOnly, SettingsView } from './frame';
import { asApiError, EventPicker, freshSecret, type WebhookEventType } from './webhook-parts';

/** The workspace's webhook endpoints; owners add them here, everything else is on each endpoint's page. */
export default function Webhooks() {
  const list = useResource(() => call(api.webhooks.$get()));
  const [adding, setAdding] = useState(false);
  const endpoints = list.data?.webhooks;
  return (
    <SettingsView
      title="Webhooks"
      lede="Leadflare posts a signed JSON event to your URL when leads and deals change: your CRM, Zapier or your own code stays in step."
      actions={
        isOwner.value && !adding && endpoints?.length ? (
          <button type="button" class="button" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        ) : null
      }
    >
      <OwnerOnlyNote>Only owners add, change and delete endpoints; editors can send tests and redeliver.</OwnerOnlyNote>
      {adding || (isOwner.value && endpoints?.length === 0) ? (
        <NewEndpoint onCancel={endpoints?.length ? () => setAdding(false) : undefined} />
      ) : null}
      {list.error ? <InlineError error={list.error} onRetry={list.reload} /> : null}
      {!list.data && list.loading ? <Skeleton rows={3} label="Loading webhooks…" /> : null}
      {endpoints?.length === 0 && !isOwner.value ? (
        <EmptyState title="No webhooks yet">An owner of this workspace can add an endpoint to send events to.</EmptyState>
      ) : null}
      {endpoints && endpoints.length > 0 ? (
        <section class="panel" aria-labelledby="endpoints-heading">
          <h2 id="endpoints-heading">Endpoints</h2>
          <table class="table stack">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((w) => (
                <tr key={w.id}>
                  <th scope="row" data-label="URL">
                    <a href={`/app/settings/webhooks/${w.id}`}>{w.url}</a>
                    {w.description ? <div class="muted small">{w.description}</div> : null}
                  </th>
                  <td data-label="Events">
                    <span class="tags">
                      {w.events.map((e) => (
                        <span key={e} class="tag">
                          {e}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td data-label="Status">
                    {w.enabled ? <span class="status status-live">Enabled</span> : <span class="status">Paused</span>}
                  </td>
                  <td data-label="Added">{formatDate(w.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </SettingsView>
  );
}

function NewEndpoint(props: { onCancel?: (() => void) | undefined }) {
  const { route } = useLocation();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['lead.created', 'deal.created']);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = ownerOnly();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await call(api.webhooks.$post({ json: { url: url.trim(), description: description.trim(), events } }));
      freshSecret.value = { endpointId: created.id, secret: created.secret, previousUntil: null };
      toast('Endpoint added');
      route(`/app/settings/webhooks/${created.id}`);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };
  const eventsError = Object.entries(error?.fields ?? {}).find(([path]) => path.startsWith('events'))?.[1];
  return (
    <section class="panel" aria-labelledby="new-endpoint-heading">
      <h2 id="new-endpoint-heading">Add an endpoint</h2>
      <form onSubmit={submit} noValidate class="endpoint-form">
        <TextField
          id="webhook-url"
          label="URL"
          type="url"
          inputMode="url"
          placeholder="https://hooks.example.com/leadflare"
          hint="An https address on the public internet; Leadflare never posts to private or internal addresses."
          value={url}
          error={error?.fields.url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          {...locked}
        />
        <TextField
          id="webhook-description"
          label="Description (optional)"
          placeholder="CRM sync"
          value={description}
          maxLength={200}
          error={error?.fields.description}
          onInput={(e) => setDescription(e.currentTarget.value)}
          {...locked}
        />
        <EventPicker
          selected={events}
          onChange={setEvents}
          error={eventsError}
          disabled={locked.disabled}
          describedBy={locked.disabled ? OWNER_NOTE_ID : undefined}
        />
        {error && !error.fields.url && !error.fields.description && !eventsError ? <InlineError error={error} /> : null}
        <div class="button-row">
          <button type="submit" class="button" {...locked} disabled={locked.disabled || busy}>
            {busy ? 'Adding…' : 'Add endpoint'}
          </button>
          {props.onCancel ? (
            <button type="button" class="button secondary" onClick={props.onCancel}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
