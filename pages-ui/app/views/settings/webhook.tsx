import type { InferResponseType } from 'hono/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { useCursorPages } from '../../shell/cursor-pages';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { OWNER_NOTE_ID, OwnerOnlyNote, ownerOnly, SettingsView } from './frame';
import { asApiError, EventPicker, formatDateTime, freshSecret, SecretReveal, type Endpoint, type WebhookEventType } from './webhook-parts';

type DeliveryPage = InferResponseType<(typeof api.webhooks)[':id']['deliveries']['$get'], 200>;
type Delivery = DeliveryPage['deliveries'][number];
type SendResult = InferResponseType<(typeof api.webhooks)[':id']['test']['$post'], 200>;
type StatusFilter = '' | Delivery['status'];

const CRUMBS = [
  { href: '/app/settings', label: 'Settings' },
  { href: '/app/settings/webhooks', label: 'Webhooks' },
];

/** One endpoint: its settings, test, secret rotation, delivery log with redeliver, delete. */
export default function Webhook(props: { id: string }) {
  const endpoint = useResource(() => call(api.webhooks[':id'].$get({ param: { id: props.id } })), [props.id]);
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);
  const refreshLog = () => setDeliveriesVersion((v) => v + 1);
  const ep = endpoint.data;
  return (
    <SettingsView title={ep ? ep.url : 'Webhook endpoint'} crumbs={CRUMBS} lede={ep?.description || undefined}>
      <OwnerOnlyNote>Only owners change, rotate and delete endpoints; editors can send tests and redeliver.</OwnerOnlyNote>
      {endpoint.error ? <InlineError error={endpoint.error} onRetry={endpoint.reload} /> : null}
      {!ep && endpoint.loading ? <Skeleton rows={4} label="Loading the endpoint…" /> : null}
      {ep ? (
        <>
          <Secret endpoint={ep} onRotated={(next) => endpoint.mutate(() => next)} />
          <TestDelivery endpoint={ep} onSent={refreshLog} />
          <EditEndpoint endpoint={ep} onSaved={(next) => endpoint.mutate(() => next)} />
          <DeliveryLog endpointId={ep.id} version={deliveriesVersion} onRedelivered={refreshLog} />
          <DeleteEndpoint endpoint={ep} />
        </>
      ) : null}
    </SettingsView>
  );
}

function Secret(props: { endpoint: Endpoint; onRotated: (next: Endpoint) => void }) {
  const { endpoint } = props;
  const fresh = freshSecret.value?.endpointId === endpoint.id ? freshSecret.value : null;
  const [overlap, setOverlap] = useState('24');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = ownerOnly();
  // The handed-over secret belongs to this visit of the page only.
  useEffect(() => () => void (freshSecret.value = null), []);

  const rotate = async () => {
    const hours = Number(overlap);
    const ok = await confirm({
      title: 'Rotate the signing secret?',
      message:
        hours > 0
          ? `A new secret signs every delivery from now on. For ${hours} hours deliveries carry the old secret’s signature too, so your receiver keeps accepting them while you switch it over.`
          : 'A new secret signs every delivery from now on, and the old one stops at once: deliveries fail to verify until the receiver has the new secret. Use this when the old secret leaked.',
      confirmLabel: 'Rotate secret',
      danger: hours === 0,
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const { secret, ...next } = await call(
        api.webhooks[':id']['rotate-secret'].$post({ param: { id: endpoint.id }, json: { overlapHours: hours } }),
      );
      freshSecret.value = { endpointId: endpoint.id, secret, previousUntil: next.previousSecretExpiresAt };
      props.onRotated(next);
      toast('Signing secret rotated');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Signing secret</h2>
      {fresh ? <SecretReveal secret={fresh.secret} previousUntil={fresh.previousUntil} onDone={() => (freshSecret.value = null)} /> : null}
      <p>
        Every delivery carries a <code>Leadflare-Signature</code> header: an HMAC-SHA256 of the body under this secret. Current secret:{' '}
        <code>{endpoint.secretHint}</code>.
        {endpoint.previousSecretExpiresAt
          ? ` The previous secret is still accepted until ${formatDateTime(endpoint.previousSecretExpiresAt)}.`
          : ''}
      </p>
      <div class="add-row">
        <div class="field">
          <label for="rotate-overlap">Keep the old secret working for</label>
          <select id="rotate-overlap" value={overlap} onChange={(e) => setOverlap(e.currentTarget.value)} {...locked}>
            <option value="24">24 hours (recommended)</option>
            <option value="1">1 hour</option>
            <option value="72">3 days</option>
            <option value="168">a week</option>
            <option value="0">no time: it leaked, stop it now</option>
          </select>
          {error?.fields.overlapHours ? <p class="field-error">{error.fields.overlapHours}</p> : null}
        </div>
        <button type="button" class="button secondary" {...locked} disabled={locked.disabled || busy} onClick={() => void rotate()}>
          {busy ? 'Rotating…' : 'Rotate secret'}
        </button>
      </div>
      {error && !error.fields.overlapHours ? <InlineError error={error} /> : null}
    </section>
  );
}

function describeResult(sent: SendResult): string {
  const r = sent.result;
  if (!r) return 'Not sent.';
  const time = `${r.durationMs} ms`;
  if (r.ok) return `Delivered: your endpoint answered ${r.statusCode} in ${time}.`;
  if (r.statusCode !== null) return `Failed: your endpoint answered ${r.statusCode} in ${time}${r.error ? ` (${r.error})` : ''}.`;
  return `Failed: ${r.error ?? 'no answer'}.`;
}

function TestDelivery(props: { endpoint: Endpoint; onSent: () => void }) {
  const [result, setResult] = useState<SendResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const can = editable();
  const send = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const sent = await call(api.webhooks[':id'].test.$post({ param: { id: props.endpoint.id } }));
      setResult(sent);
      props.onSent();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">Send a test</h2>
      <p class="panel-note muted">
        Posts a signed <code>ping</code> event now and shows what your endpoint answered. It is logged below like any delivery.
      </p>
      <button type="button" class="button" {...can} aria-disabled={busy ? 'true' : undefined} onClick={() => !busy && void send()}>
        {busy ? 'Sending…' : 'Send test event'}
      </button>
      <div role="status" aria-live="polite">
        {result ? <p class={result.result?.ok ? 'test-result ok' : 'test-result failed'}>{describeResult(result)}</p> : null}
      </div>
      {error ? <InlineError error={error} onRetry={() => void send()} /> : null}
    </section>
  );
}

function EditEndpoint(props: { endpoint: Endpoint; onSaved: (next: Endpoint) => void }) {
  const { endpoint } = props;
  const [url, setUrl] = useState(endpoint.url);
  const [description, setDescription] = useState(endpoint.description);
  const [events, setEvents] = useState<WebhookEventType[]>(endpoint.events);
  const [enabled, setEnabled] = useState(endpoint.enabled);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = ownerOnly();
  const changed =
    url.trim() !== endpoint.url ||
    description.trim() !== endpoint.description ||
    enabled !== endpoint.enabled ||
    events.join() !== endpoint.events.join();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await call(
        api.webhooks[':id'].$patch({
          param: { id: endpoint.id },
          json: { url: url.trim(), description: description.trim(), events, enabled },
        }),
      );
      props.onSaved(next);
      toast('Endpoint saved');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const eventsError = Object.entries(error?.fields ?? {}).find(([path]) => path.startsWith('events'))?.[1];
  return (
    <section class="panel" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Endpoint</h2>
      <form onSubmit={submit} noValidate>
        <TextField
          id="webhook-url"
          label="URL"
          type="url"
          value={url}
          error={error?.fields.url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          {...locked}
        />
        <TextField
          id="webhook-description"
          label="Description"
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
        <div class="toggle-row field">
          <input
            type="checkbox"
            role="switch"
            id="webhook-enabled"
            class="switch"
            checked={enabled}
            aria-describedby={['webhook-enabled-help', locked['aria-describedby'] ?? ''].join(' ').trim()}
            disabled={locked.disabled}
            onChange={(e) => setEnabled(e.currentTarget.checked)}
          />
          <label for="webhook-enabled">Send events</label>
        </div>
        <p class="field-hint" id="webhook-enabled-help">
          Paused endpoints get nothing; events that happen meanwhile are logged as not sent, and can be redelivered.
        </p>
        {error && !error.fields.url && !error.fields.description && !eventsError ? <InlineError error={error} /> : null}
        <button type="submit" class="button" {...locked} disabled={locked.disabled || busy || !changed}>
          {busy ? 'Saving…' : 'Save endpoint'}
        </button>
      </form>
    </section>
  );
}

const STATUS_LABEL: Record<Delivery['status'], string> = { pending: 'Pending', succeeded: 'Delivered', failed: 'Failed' };
const STATUS_CLASS: Record<Delivery['status'], string> = {
  pending: 'status status-pending-delivery',
  succeeded: 'status status-live',
  failed: 'status status-failed',
};

function DeliveryLog(props: { endpointId: string; version: number; onRedelivered: () => void }) {
  const [status, setStatus] = useState<StatusFilter>('');
  const log = useCursorPages<Delivery>(
    async (cursor) => {
      const page = await call(
        api.webhooks[':id'].deliveries.$get({
          param: { id: props.endpointId },
          query: { limit: '25', ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
        }),
      );
      return { items: page.deliveries, nextCursor: page.nextCursor };
    },
    [props.endpointId, status],
  );
  // A test send or a redelivery adds a row: the first page is read again with the table kept in
  // place, so the Redeliver button just used keeps the keyboard focus (dropping the rows lost it).
  const shownVersion = useRef(props.version);
  useEffect(() => {
    if (shownVersion.current === props.version) return;
    shownVersion.current = props.version;
    log.reload();
  }, [props.version]);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState<string | null>(null);
  const rows = log.items;

  const redeliver = async (d: Delivery) => {
    setSending(d.id);
    setRowErrors(({ [d.id]: _, ...rest }) => rest);
    try {
      const sent = await call(
        api.webhooks[':id'].deliveries[':deliveryId'].redeliver.$post({ param: { id: props.endpointId, deliveryId: d.id } }),
      );
      toast(
        `Redelivered ${d.eventType}: ${sent.result?.ok ? `answered ${sent.result.statusCode}` : 'failed'}`,
        sent.result?.ok ? 'success' : 'error',
      );
      props.onRedelivered();
    } catch (err) {
      setRowErrors((all) => ({ ...all, [d.id]: asApiError(err).message }));
    } finally {
      setSending(null);
    }
  };

  const canSend = editable();
  return (
    <section class="panel" aria-labelledby="log-heading">
      <div class="panel-head">
        <h2 id="log-heading">Delivery log</h2>
        <div class="field inline-filter">
          <label for="delivery-status">Show</label>
          <select id="delivery-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}>
            <option value="">All deliveries</option>
            <option value="succeeded">Delivered</option>
            <option value="failed">Failed</option>
            <option value="pending">Pending (retrying)</option>
          </select>
        </div>
      </div>
      {log.error ? <InlineError error={log.error} onRetry={log.reload} /> : null}
      {!log.loaded && log.loading ? <Skeleton rows={3} label="Loading deliveries…" /> : null}
      {log.loaded && rows.length === 0 ? (
        <EmptyState title={status ? 'No deliveries with this status' : 'Nothing delivered yet'}>
          {status ? 'Choose “All deliveries” to see the rest.' : 'Send a test above, or wait for the first subscribed event.'}
        </EmptyState>
      ) : null}
      {rows.length > 0 ? (
        <table class="table stack deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">When</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col">Response</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <th scope="row" data-label="Event">
                  <code>{d.eventType}</code>
                </th>
                <td data-label="When">{formatDateTime(d.createdAt)}</td>
                <td data-label="Status">
                  <span class={STATUS_CLASS[d.status]}>{STATUS_LABEL[d.status]}</span>
                  {d.nextAttemptAt ? <div class="muted small">next try {formatDateTime(d.nextAttemptAt)}</div> : null}
                </td>
                <td data-label="Attempts" class="num">
                  {d.attempts}
                </td>
                <td data-label="Response">
                  {d.lastStatusCode ?? '—'}
                  {d.lastError ? <div class="muted small">{d.lastError}</div> : null}
                </td>
                <td data-label="Actions">
                  <button
                    type="button"
                    class="button small secondary"
                    aria-label={`Redeliver ${d.eventType} of ${formatDateTime(d.createdAt)}`}
                    {...canSend}
                    // The button being sent stays enabled (a disabled button drops the keyboard focus) and says it is busy.
                    disabled={canSend.disabled || (sending !== null && sending !== d.id)}
                    aria-disabled={sending === d.id ? 'true' : undefined}
                    onClick={() => sending === null && void redeliver(d)}
                  >
                    {sending === d.id ? 'Sending…' : 'Redeliver'}
                  </button>
                  {rowErrors[d.id] ? (
                    <p class="row-error" role="alert">
                      {rowErrors[d.id]}
                    </p>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.moreError ? <InlineError error={log.moreError} onRetry={log.loadMore} /> : null}
      {log.hasMore ? (
        <button type="button" class="button secondary" disabled={log.moreBusy} onClick={log.loadMore}>
          {log.moreBusy ? 'Loading…' : 'Show older deliveries'}
        </button>
      ) : null}
    </section>
  );
}

function DeleteEndpoint(props: { endpoint: Endpoint }) {
  const { route } = useLocation();
  const [error, setError] = useState<ApiError | null>(null);
  const locked = ownerOnly();
  const remove = async () => {
    const ok = await confirm({
      title: 'Delete this endpoint?',
      message: `${props.endpoint.url} gets no more events, and its delivery log is deleted with it (pending retries are not sent). This cannot be undone.`,
      confirmLabel: 'Delete endpoint',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.webhooks[':id'].$delete({ param: { id: props.endpoint.id } }));
      toast('Endpoint deleted');
      route('/app/settings/webhooks');
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <section class="panel danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete</h2>
      {error ? <InlineError error={error} onRetry={() => void remove()} /> : null}
      <button type="button" class="button danger-outline" {...locked} onClick={() => void remove()}>
        Delete endpoint
      </button>
    </section>
  );
}
