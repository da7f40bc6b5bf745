import { signal } from '@preact/signals';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { api, ApiError, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { CopyButton } from '../funnels/copy-button';

export type Endpoint = InferResponseType<(typeof api.webhooks)[':id']['$get'], 200>;
export type EndpointInput = InferRequestType<typeof api.webhooks.$post>['json'];
export type WebhookEventType = EndpointInput['events'][number];

export const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

/**
 * A signing secret the API showed once (on create or rotate), handed from the view that got it to
 * the one that shows it (create on the list → the endpoint's page). Read once, then forgotten.
 */
export const freshSecret = signal<{ endpointId: string; secret: string; previousUntil: number | null } | null>(null);

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
export const formatDateTime = (ms: number) => dateTime.format(ms);

/** The events the API accepts, with what each means, as checkboxes. */
export function EventPicker(props: {
  selected: string[];
  onChange: (events: WebhookEventType[]) => void;
  error?: string | undefined;
  disabled?: boolean;
  describedBy?: string | undefined;
}) {
  const events = useResource(() => call(api.webhooks.events.$get()));
  if (events.error) return <InlineError error={events.error} onRetry={events.reload} title="The list of events did not load." />;
  if (!events.data) return <Skeleton rows={2} label="Loading events…" />;
  const toggle = (type: WebhookEventType, on: boolean) =>
    props.onChange(events.data!.events.map((e) => e.type).filter((t) => (t === type ? on : props.selected.includes(t))));
  return (
    <fieldset
      class="check-list"
      aria-invalid={props.error ? true : undefined}
      aria-describedby={[props.error ? 'events-error' : '', props.describedBy ?? ''].filter(Boolean).join(' ') || undefined}
    >
      <legend>Events to send</legend>
      {events.data.events.map((e) => (
        <label key={e.type}>
          <input
            type="checkbox"
            name="events"
            value={e.type}
            checked={props.selected.includes(e.type)}
            disabled={props.disabled}
            onChange={(ev) => toggle(e.type, ev.currentTarget.checked)}
          />
          <span>
            <code>{e.type}</code> <span class="muted">— {e.description}</span>
          </span>
        </label>
      ))}
      {props.error ? (
        <p class="field-error" id="events-error">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A newly made signing secret: copy it now, it is not shown again. */
export function SecretReveal(props: { secret: string; previousUntil: number | null; onDone: () => void }) {
  return (
    <div class="reveal" role="region" aria-label="New signing secret">
      <h3>Signing secret</h3>
      <div class="reveal-value">
        <input aria-label="Signing secret" readOnly value={props.secret} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={props.secret} label="Copy secret" what="Signing secret" class="button" />
      </div>
      <p class="reveal-warning">Copy it into the receiving app now: you will not see it again.</p>
      <p class="small">
        {props.previousUntil
          ? `Until ${formatDateTime(props.previousUntil)} every delivery is signed with the old secret as well, so the receiver keeps accepting deliveries while you switch it over.`
          : 'Deliveries are signed with this secret only. Check the Leadflare-Signature header against it.'}
      </p>
      <button type="button" class="button small secondary" onClick={props.onDone}>
        I have copied it
      </button>
    </div>
  );
}
