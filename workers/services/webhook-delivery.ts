/**
 * Webhook delivery: signed sends with retries, and the delivery log.
 *
 * Deliveries are rows in `webhook_deliveries`, written by the change that caused them (the outbox,
 * webhook-outbox.ts). Sending one is `deliverDelivery`: claim the row (so two deliverers never send
 * it at the same time), check the target again (DNS may have changed since it was saved), POST the
 * stored payload with a fresh signature, record the result. A failure schedules the next attempt
 * with exponential backoff; after MAX_ATTEMPTS the row is `failed`. Who calls it differs per
 * runtime: Node's in-process dispatcher (node/webhook-dispatcher.ts) and Workers' queue consumer
 * (cloudflare/webhooks.ts); `deliverDue` sweeps rows that are due, so a restart or a lost message
 * loses nothing. Endpoints and the target policy are webhook-endpoints.ts.
 */
import { and, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema';
import type { Db } from '../../db/types';
import { notFound } from '../domain/errors';
import { signWebhookPayload } from '../domain/webhook-signature';
import type { ServiceDeps } from './context';
import { decodeCursor, nextCursor, olderThan } from './newest-first';
import type { WebhookResponse } from './ports';
import { checkWebhookTarget, loadEndpoint, signingSecrets, type EndpointRow } from './webhook-endpoints';

export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;
const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed row is reserved for its sender; longer than the timeout plus the bookkeeping. */
const CLAIM_LEASE_MS = 60_000;
const USER_AGENT = 'Leadflare-Webhooks/1';
/** The test delivery's event type; deliberately not one of WEBHOOK_EVENTS, so nobody can subscribe to it. */
const PING_EVENT = 'ping';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

// ── The delivery log ─────────────────────────────────────────────────────────

function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deliveredAt: row.deliveredAt,
  };
}

export interface DeliveryQuery {
  status?: DeliveryRow['status'];
  cursor?: string;
  limit: number;
}

/** Newest first; cursor = `<createdAt>.<id>` of the last row seen. */
export async function listWebhookDeliveries(db: Db, workspaceId: string, endpointId: string, query: DeliveryQuery) {
  await loadEndpoint(db, workspaceId, endpointId);
  const cursor = decodeCursor(query.cursor);
  const d = webhookDeliveries;
  const rows = await db
    .select()
    .from(d)
    .where(
      and(
        eq(d.endpointId, endpointId),
        eq(d.workspaceId, workspaceId),
        query.status ? eq(d.status, query.status) : undefined,
        olderThan(d.createdAt, d.id, cursor),
      ),
    )
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { deliveries: page.map(deliveryView), nextCursor: nextCursor(rows.length, query.limit, last) };
}

async function loadDelivery(db: Db, workspaceId: string, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
  const d = webhookDeliveries;
  const [row] = await db
    .select()
    .from(d)
    .where(and(eq(d.id, deliveryId), eq(d.endpointId, endpointId), eq(d.workspaceId, workspaceId)));
  if (!row) throw notFound('Delivery');
  return row;
}

/** One delivery with the exact body that was (or will be) sent. */
export async function getWebhookDelivery(db: Db, workspaceId: string, endpointId: string, deliveryId: string) {
  const row = await loadDelivery(db, workspaceId, endpointId, deliveryId);
  return { ...deliveryView(row), payload: JSON.parse(row.payload) as unknown };
}

// ── Sending ──────────────────────────────────────────────────────────────────

export type WebhookDeps = Pick<ServiceDeps, 'database' | 'clock' | 'webhookNetwork'>;

interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export type DeliveryOutcome =
  | ({ kind: 'succeeded'; attempts: number } & AttemptResult)
  | ({ kind: 'retry'; attempts: number; retryAt: number } & AttemptResult)
  | ({ kind: 'failed'; attempts: number } & AttemptResult)
  /** Pending, but not due yet or being sent by someone else right now. */
  | { kind: 'not_due'; at: number }
  /** Already succeeded or failed, or deleted with its endpoint: nothing to do. */
  | { kind: 'done' };

/** Delay before attempt `attempts + 1`: 30 s · 4^(n−1) (30 s, 2 min, 8 min, 32 min, ~2 h, then 6 h), ±20 % jitter. */
function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 4 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `Timed out after ${DELIVERY_TIMEOUT_MS / 1000} s.`;
  const detail = e?.cause?.code ?? e?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return `Could not connect: ${detail}`.slice(0, 300);
}

function describeStatus(res: WebhookResponse): string {
  if (res.status >= 300 && res.status < 400) {
    return `Redirect (HTTP ${res.status}${res.location ? ` to ${res.location.slice(0, 200)}` : ''}) not followed: use the final URL.`;
  }
  const snippet = res.snippet.replace(/\s+/g, ' ').trim();
  return `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`.slice(0, 300);
}

/** Sends one request with the signature headers; never throws. `refused`: the target policy stopped it. */
async function attempt(deps: WebhookDeps, endpoint: EndpointRow, row: DeliveryRow): Promise<AttemptResult & { refused?: boolean }> {
  const started = deps.clock();
  const check = await checkWebhookTarget(deps.webhookNetwork, endpoint.url);
  if (!check.ok) return { ok: false, statusCode: null, error: `Not sent: ${check.message}`, durationMs: 0, refused: !check.transient };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'leadflare-signature': await signWebhookPayload(signingSecrets(endpoint, started), row.payload, Math.floor(started / 1000)),
    'leadflare-event': row.eventType,
    'leadflare-event-id': row.eventId,
    'leadflare-delivery': row.id,
  };
  try {
    const res = await deps.webhookNetwork.send({
      url: check.url,
      addresses: check.addresses,
      headers,
      body: row.payload,
      timeoutMs: DELIVERY_TIMEOUT_MS,
    });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : describeStatus(res), durationMs: deps.clock() - started };
  } catch (err) {
    return { ok: false, statusCode: null, error: describeError(err), durationMs: deps.clock() - started };
  }
}

export interface DeliverOptions {
  /** A delivery someone asked for (test, redeliver): one attempt, sent even to a disabled endpoint, no retries. */
  manual?: boolean;
  random?: () => number;
}

/**
 * One attempt at one delivery, if it is pending and due. The claim is a conditional update that
 * pushes `next_attempt_at` a lease ahead, so a concurrent deliverer (another process, a redelivered
 * queue message, the sweep) sees it as not due and leaves it; the result is recorded only if the
 * attempt count is still the one claimed.
 */
export async function deliverDelivery(deps: WebhookDeps, deliveryId: string, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
  const { db } = deps.database;
  const d = webhookDeliveries;
  const now = deps.clock();
  const [row] = await db
    .update(d)
    .set({ nextAttemptAt: now + CLAIM_LEASE_MS, updatedAt: now })
    .where(and(eq(d.id, deliveryId), eq(d.status, 'pending'), or(isNull(d.nextAttemptAt), lte(d.nextAttemptAt, now))))
    .returning();
  if (!row) {
    const [current] = await db.select({ status: d.status, nextAttemptAt: d.nextAttemptAt }).from(d).where(eq(d.id, deliveryId));
    return current?.status === 'pending' ? { kind: 'not_due', at: current.nextAttemptAt ?? now } : { kind: 'done' };
  }
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, row.endpointId), eq(webhookEndpoints.workspaceId, row.workspaceId)));

  let result: AttemptResult;
  let permanent = options.manual === true;
  if (!endpoint) {
    result = { ok: false, statusCode: null, error: 'Not sent: the endpoint no longer exists.', durationMs: 0 };
    permanent = true;
  } else if (!endpoint.enabled && !options.manual) {
    result = { ok: false, statusCode: null, error: 'Not sent: the endpoint is disabled. Enable it and redeliver.', durationMs: 0 };
    permanent = true;
  } else {
    const { refused, ...sent } = await attempt(deps, endpoint, row);
    result = sent;
    // A refused address will not become acceptable by waiting (a name that did not resolve might).
    if (refused) permanent = true;
  }

  const finishedAt = deps.clock();
  const attempts = row.attempts + 1;
  let outcome: DeliveryOutcome;
  if (result.ok) outcome = { kind: 'succeeded', attempts, ...result };
  else if (permanent || attempts >= MAX_ATTEMPTS) outcome = { kind: 'failed', attempts, ...result };
  else outcome = { kind: 'retry', attempts, retryAt: finishedAt + retryDelayMs(attempts, options.random), ...result };

  await db
    .update(d)
    .set({
      status: outcome.kind === 'retry' ? 'pending' : outcome.kind,
      attempts,
      nextAttemptAt: outcome.kind === 'retry' ? outcome.retryAt : null,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      deliveredAt: result.ok ? finishedAt : null,
      updatedAt: finishedAt,
    })
    .where(and(eq(d.id, row.id), eq(d.status, 'pending'), eq(d.attempts, row.attempts)));
  return outcome;
}

/** Ids of pending deliveries whose next attempt is due, oldest first. */
async function dueDeliveryIds(db: Db, now: number, limit = 100): Promise<string[]> {
  const d = webhookDeliveries;
  const rows = await db
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now)))
    .orderBy(d.nextAttemptAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Hands every due pending delivery to the runtime's dispatcher (Node: sends them now; Workers:
 * queues them) and waits for that. Run it on a timer / cron: deliveries whose process stopped or
 * whose queue message was lost go out on the next sweep. Returns how many were handed over.
 */
export async function deliverDue(deps: Pick<ServiceDeps, 'database' | 'clock' | 'webhooks'>, limit = 100): Promise<number> {
  const ids = await dueDeliveryIds(deps.database.db, deps.clock(), limit);
  if (ids.length) await deps.webhooks.dispatch(ids);
  return ids.length;
}

// ── Manual sends: test ping and redelivery ───────────────────────────────────

async function sendNow(deps: WebhookDeps & Pick<ServiceDeps, 'newId'>, row: typeof webhookDeliveries.$inferInsert) {
  const { db } = deps.database;
  await db.insert(webhookDeliveries).values(row);
  const outcome = await deliverDelivery(deps, row.id, { manual: true });
  const [stored] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, row.id));
  const result =
    'ok' in outcome ? { ok: outcome.ok, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs } : null;
  return { delivery: deliveryView(stored!), result };
}

/**
 * Sends a `ping` event to the endpoint right now and returns what happened (logged like any other
 * delivery). Manual rows start without a due time, so the sweep never races the request for them.
 */
export async function sendTestDelivery(deps: WebhookDeps & Pick<ServiceDeps, 'newId'>, workspaceId: string, endpointId: string) {
  const endpoint = await loadEndpoint(deps.database.db, workspaceId, endpointId);
  const now = deps.clock();
  const eventId = deps.newId();
  const payload = JSON.stringify({
    id: eventId,
    type: PING_EVENT,
    createdAt: new Date(now).toISOString(),
    workspaceId,
    data: { endpointId: endpoint.id, message: 'A test delivery from Leadflare. Respond with any 2xx status to acknowledge it.' },
  });
  return sendNow(deps, {
    id: deps.newId(),
    workspaceId,
    endpointId,
    eventId,
    eventType: PING_EVENT,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * Sends an earlier delivery's event again, now, as a new log entry with the same event id (so the
 * receiver can tell it is the same event) and a fresh signature. The original entry is unchanged.
 */
export async function redeliverWebhook(
  deps: WebhookDeps & Pick<ServiceDeps, 'newId'>,
  workspaceId: string,
  endpointId: string,
  deliveryId: string,
) {
  const original = await loadDelivery(deps.database.db, workspaceId, endpointId, deliveryId);
  const now = deps.clock();
  return sendNow(deps, {
    id: deps.newId(),
    workspaceId,
    endpointId,
    eventId: original.eventId,
    eventType: original.eventType,
    payload: original.payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    createdAt: now,
    updatedAt: now,
  });
}
