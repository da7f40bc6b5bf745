/**
 * Webhooks on the local runtime: deliveries are sent in-process right after the write that caused
 * them (a few at a time), failed attempts are retried by unref'd timers, and `deliverDue` (run by
 * the scheduler) picks up whatever a restart interrupted. Names are resolved with node:dns and the
 * connection is pinned to the addresses that passed the check, so DNS cannot swap in an internal
 * address between the check and the send.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { request, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { WebhookDispatcher, WebhookNetwork, WebhookRequest, WebhookResponse } from '../services/ports';
import { deliverDelivery, type WebhookDeps } from '../services/webhook-delivery';
import { log } from '../logger';
import { retryingDispatcher, tryAgainAt } from './retrying-dispatcher';

const SNIPPET_BYTES = 200;

/** A `lookup` for the socket that answers with the already-checked addresses only. */
function pinnedLookup(addresses: string[]): RequestOptions['lookup'] {
  const entries: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  }) as unknown as RequestOptions['lookup'];
}

function sendHttps({ url, addresses, headers, body, timeoutMs }: WebhookRequest): Promise<WebhookResponse> {
  // services/webhook-delivery.ts always passes the checked addresses; without them, refuse rather than resolve unchecked.
  if (!addresses?.length) return Promise.reject(new Error('No checked addresses for the target.'));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        // The status is the answer; the body only matters for a short snippet in the log.
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === 'string' ? res.headers.location : null,
            snippet: Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8'),
          });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= SNIPPET_BYTES) finish();
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Production network of the Node runtime: node:dns for every address, https pinned to them. */
export function nodeWebhookNetwork(): WebhookNetwork {
  return {
    resolve: async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
    send: sendHttps,
  };
}

/**
 * Delivers in-process, at most `concurrency` at once. `dispatch` resolves once each delivery's
 * attempt is recorded (the request's background work waits for it). A failed attempt with
 * attempts left is retried by a timer at its `next_attempt_at`; timers are unref'd, so they never
 * keep the process alive, and the pending row is the real record either way.
 */
export function nodeWebhookDispatcher(deps: WebhookDeps, { concurrency = 4 }: { concurrency?: number } = {}): WebhookDispatcher {
  return retryingDispatcher({
    clock: deps.clock,
    concurrency,
    attempt: async (id) => tryAgainAt(await deliverDelivery(deps, id)),
    // The database failed us: the row stays pending (its claim lapses) for the next sweep.
    onError: (id, err) => log.error('Webhook delivery could not be processed', { deliveryId: id, err }),
  });
}
