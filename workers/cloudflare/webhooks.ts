/**
 * Webhooks on Workers: a Cloudflare Queue between the write and the send (the WebhookDispatcher
 * port), its consumer, and delivery through `fetch` (the WebhookNetwork port). The delivery
 * itself is services/webhook-delivery.ts, the same on both runtimes.
 */
import type { WebhookDispatcher, WebhookNetwork } from '../services/ports';
import { deliverDelivery, type WebhookDeps } from '../services/webhook-delivery';
import { log } from '../logger';

const SNIPPET_BYTES = 200;

/** Reads at most `limit` bytes of a body and drops the rest. */
async function readSnippet(body: ReadableStream<Uint8Array> | null, limit = SNIPPET_BYTES): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, limit));
}

/**
 * Delivery through `fetch` (Workers' own; any fetch-compatible function in tests). Workers have no
 * DNS API, so only names and literal addresses are checked there; Cloudflare's egress does not
 * reach private networks, which covers a public name that resolves to an internal address.
 */
export function fetchWebhookNetwork(
  fetcher: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
): WebhookNetwork {
  return {
    async send({ url, headers, body, timeoutMs }) {
      const res = await fetcher(url.toString(), {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, location: res.headers.get('location'), snippet: await readSnippet(res.body) };
    },
  };
}

// ── The queue ────────────────────────────────────────────────────────────────

interface WebhookQueueMessageBody {
  deliveryId: string;
}

/** The parts of a Cloudflare Queue producer and consumer batch used here (structural, so Node type-checks it too). */
export interface WebhookQueueProducer {
  sendBatch(messages: Iterable<{ body: WebhookQueueMessageBody; contentType?: 'json' }>): Promise<unknown>;
}
export interface WebhookQueueMessage {
  readonly body: unknown;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Cloudflare Queues take at most 100 messages per sendBatch and delays of at most 12 h. */
const QUEUE_BATCH_LIMIT = 100;
const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;

export function queueWebhookDispatcher(queue: WebhookQueueProducer): WebhookDispatcher {
  return {
    async dispatch(ids) {
      for (let i = 0; i < ids.length; i += QUEUE_BATCH_LIMIT) {
        await queue.sendBatch(
          ids.slice(i, i + QUEUE_BATCH_LIMIT).map((deliveryId) => ({ body: { deliveryId }, contentType: 'json' as const })),
        );
      }
    },
  };
}

const delaySecondsUntil = (at: number, now: number) => Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil((at - now) / 1000)));

/**
 * The webhooks queue's consumer: one attempt per message. Delivered and permanently failed
 * deliveries are acked; a failed attempt with attempts left is retried by the queue after the
 * backoff (`next_attempt_at` in the log says the same). A message for a row someone else is
 * sending, or that is not due yet, waits until it is; one for a finished row is acked unsent.
 */
export async function consumeWebhookBatch(deps: WebhookDeps, messages: readonly WebhookQueueMessage[]): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      const deliveryId = (message.body as Partial<WebhookQueueMessageBody> | null)?.deliveryId;
      if (typeof deliveryId !== 'string') return message.ack();
      try {
        const outcome = await deliverDelivery(deps, deliveryId);
        if (outcome.kind === 'retry') message.retry({ delaySeconds: delaySecondsUntil(outcome.retryAt, deps.clock()) });
        else if (outcome.kind === 'not_due') message.retry({ delaySeconds: delaySecondsUntil(outcome.at, deps.clock()) });
        else message.ack();
      } catch (err) {
        // The database was unreachable: the row is untouched (or its lease expires), try again soon.
        log.error('Webhook delivery could not be processed', { deliveryId, err });
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
