import type { InferResponseType } from 'hono/client';
import { api, call } from '../../api';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import './outbox.css';

type Outbox = InferResponseType<typeof api.outbox.$get, 200>;
export type OutboxSummary = Outbox['messages'][number];

const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});
export const formatSentAt = (ms: number) => dateTime.format(ms);

export function StatusBadge(props: { message: Pick<OutboxSummary, 'status' | 'attempts'> }) {
  const { status, attempts } = props.message;
  if (status === 'sent') return <span class="status status-live">Sent</span>;
  if (status === 'failed') return <span class="status status-failed">Failed</span>;
  return <span class="status">{attempts ? `Retrying (${attempts} tried)` : 'Queued'}</span>;
}

/**
 * The dev outbox: the mail the app sends, kept in the app when no email provider is configured
 * (like MailHog). A member sees this workspace's mail and their own account mail.
 */
export default function OutboxView() {
  const outbox = useResource(() => call(api.outbox.$get({ query: {} })));
  return (
    <View
      title="Dev outbox"
      lede="No email provider is configured, so mail stays here instead of being sent: invitations and lead mail of this workspace, and mail about your own account."
      actions={
        <button type="button" class="button secondary" onClick={outbox.reload}>
          Refresh
        </button>
      }
    >
      {outbox.error ? <InlineError error={outbox.error} onRetry={outbox.reload} /> : null}
      {!outbox.data && outbox.loading ? <Skeleton rows={3} label="Loading mail…" /> : null}
      {outbox.data && outbox.data.messages.length === 0 ? (
        <EmptyState title="No mail yet">
          <p>
            Mail appears here when the app sends some: invite a member in Settings → Members, or ask for a password reset on the sign-in
            page.
          </p>
        </EmptyState>
      ) : null}
      {outbox.data && outbox.data.messages.length > 0 ? (
        <section class="panel" aria-labelledby="outbox-heading">
          <h2 id="outbox-heading" class="visually-hidden">
            Messages
          </h2>
          <table class="table stack">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Queued</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.messages.map((m) => (
                <tr key={m.id}>
                  <th scope="row" data-label="Subject">
                    <a href={`/app/outbox/${m.id}`}>{m.subject}</a>
                  </th>
                  <td data-label="To">{m.to}</td>
                  <td data-label="Queued">{formatSentAt(m.createdAt)}</td>
                  <td data-label="Status">
                    <StatusBadge message={m} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </View>
  );
}
