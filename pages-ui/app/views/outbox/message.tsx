import { Fragment } from 'preact';
import { api, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { formatSentAt, StatusBadge } from './outbox';
import './outbox.css';

/**
 * One message of the dev outbox. The HTML body is shown in a frame sandboxed without any
 * permission (no script, no forms, no same-origin access, links cannot navigate the app), loaded
 * from /api/outbox/:id/html, whose own CSP allows inline styles and nothing active; the text body
 * is plain text.
 */
/** The http(s) links of the text body, to follow from here (the sandboxed HTML cannot navigate the app). */
function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}

export default function OutboxMessageView(props: { id: string }) {
  const message = useResource(() => call(api.outbox[':id'].$get({ param: { id: props.id } })), [props.id]);
  const m = message.data;
  return (
    <View title={m?.subject ?? 'Message'} crumbs={[{ href: '/app/outbox', label: 'Dev outbox' }]}>
      {message.error ? <InlineError error={message.error} onRetry={message.reload} /> : null}
      {!m && message.loading ? <Skeleton rows={4} label="Loading the message…" /> : null}
      {m ? (
        <>
          <section class="panel" aria-labelledby="message-envelope">
            <h2 id="message-envelope">Envelope</h2>
            <dl class="outbox-headers">
              <dt>To</dt>
              <dd>{m.to}</dd>
              <dt>From</dt>
              <dd>{m.from ?? 'The configured sender (EMAIL_FROM)'}</dd>
              <dt>Queued</dt>
              <dd>{formatSentAt(m.createdAt)}</dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge message={m} />
                {m.lastError ? <span class="muted small"> {m.lastError}</span> : null}
              </dd>
              {Object.entries(m.headers).map(([name, value]) => (
                <Fragment key={name}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
          {linksIn(m.text).length ? (
            <section class="panel" aria-labelledby="message-links">
              <h2 id="message-links">Links in this message</h2>
              <ul>
                {linksIn(m.text).map((href) => (
                  <li key={href}>
                    <a href={href} rel="noreferrer">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section class="panel" aria-labelledby="message-html">
            <h2 id="message-html">HTML version</h2>
            <iframe class="outbox-html" title={`HTML version of “${m.subject}”`} sandbox="" src={`/api/outbox/${m.id}/html`} />
          </section>
          <section class="panel" aria-labelledby="message-text">
            <h2 id="message-text">Text version</h2>
            <pre class="outbox-text">{m.text}</pre>
          </section>
        </>
      ) : null}
    </View>
  );
}
