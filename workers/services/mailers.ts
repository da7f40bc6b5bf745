/**
 * The two Mailers (ports.ts). Both run unchanged on Node and in workerd (fetch is all the provider
 * needs), so they live here rather than in a runtime's adapter folder; each entry picks one from
 * its configuration (EMAIL_PROVIDER_URL, EMAIL_API_KEY, EMAIL_FROM).
 */
import { EmailSendError, type Mailer, type OutgoingEmail } from './ports';

/** Provider calls that hang are abandoned (and retried later) rather than holding a queue consumer. */
const PROVIDER_TIMEOUT_MS = 10_000;

export interface HttpMailerConfig {
  /** The API base, e.g. https://api.resend.com; messages are POSTed to `{base}/emails`. */
  baseUrl: string;
  apiKey: string;
  from: string;
  /** Any fetch-compatible function; tests pass one that reaches a catcher on loopback. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** 408 and 429 say "not now", every other 4xx says "never like this". */
const isPermanentStatus = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * A Resend-compatible JSON API: `POST {base}/emails` with `Authorization: Bearer <key>` and
 * `{from, to: [..], subject, text, html, headers}`, answering `{id}`. Postmark, SendGrid and
 * others offer the same shape through a small relay; Resend speaks it natively.
 */
export function httpProviderMailer(config: HttpMailerConfig): Mailer {
  const endpoint = `${config.baseUrl.replace(/\/+$/, '')}/emails`;
  const fetcher = config.fetch ?? ((url, init) => fetch(url, init));
  return {
    kind: 'provider',
    defaultFrom: config.from,
    async send(message: OutgoingEmail) {
      let res: Response;
      try {
        res = await fetcher(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${config.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': message.idempotencyKey,
          },
          body: JSON.stringify({
            from: message.from,
            to: [message.to],
            subject: message.subject,
            text: message.text,
            html: message.html,
            headers: message.headers,
          }),
          redirect: 'manual',
          signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
        });
      } catch (err) {
        const e = err as { name?: string; message?: string; cause?: { code?: string } };
        const why =
          e?.name === 'TimeoutError' ? `timed out after ${PROVIDER_TIMEOUT_MS / 1000} s` : (e?.cause?.code ?? e?.message ?? 'failed');
        throw new EmailSendError(`Could not reach the email provider: ${why}.`, false);
      }
      const body = await res.text().catch(() => '');
      if (!res.ok) {
        const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
        throw new EmailSendError(
          `Email provider answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`,
          isPermanentStatus(res.status),
          res.status,
        );
      }
      let id: unknown;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      return { providerId: typeof id === 'string' && id ? id.slice(0, 200) : `http-${res.status}` };
    },
  };
}

export const DEV_OUTBOX_PROVIDER_ID = 'dev-outbox';

/**
 * No provider configured: nothing leaves the machine. The row is marked sent and the message is
 * read in the app's dev outbox (/app/outbox), like MailHog or Mailpit. `onSend` lets the local
 * server print a line per message (never used on Workers, where logs are not private).
 */
export function devOutboxMailer(from = 'Leadflare <no-reply@leadflare.localhost>', onSend?: (message: OutgoingEmail) => void): Mailer {
  return {
    kind: 'dev-outbox',
    defaultFrom: from,
    async send(message) {
      onSend?.(message);
      return { providerId: DEV_OUTBOX_PROVIDER_ID };
    },
  };
}
