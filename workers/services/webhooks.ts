/**
 * Outbound webhooks: endpoints (owner-managed, https only, never an internal address), signed
 * delivery with retries, and the delivery log.
 *
 * Deliveries are rows in `webhook_deliveries`, written by the change that caused them (the outbox,
 * webhook-outbox.ts). Sending one is `deliverDelivery`: claim the row (so two deliverers never send
 * it at the same time), check the target again (DNS may have changed since it was saved), POST the
 * stored payload with a fresh signature, record the result. A failure schedules the next attempt
 * with exponential backoff; after MAX_ATTEMPTS the row is `failed`. Who calls it differs per
 * runtime: Node's in-process dispatcher (node/webhook-dispatcher.ts) and Workers' queue consumer
 * (`consumeWebhookBatch`); `deliverDue` sweeps rows that are due, so a restart or a lost message
 * loses nothing.
 */
import { and, count, desc, eq, isNull, lte, or } from 'drizzle-orm';
import { webhookDeliveries, webhookEndpoints, type WebhookEvent } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AppDeps, WebhookDispatcher } from '../deps';
import { randomToken } from '../domain/crypto';
import { conflict, notFound, validationFailed } from '../domain/errors';
import { addressBlockReason, checkWebhookUrl, isIpLiteral } from '../domain/ssrf';
import { signWebhookPayload } from '../domain/webhook-signature';
import { decodeCursor, nextCursor, olderThan } from './newest-first';
import { log } from '../logger';

export const MAX_ATTEMPTS = 8;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a claimed row is reserved for its sender; longer than the timeout plus the bookkeeping. */
export const CLAIM_LEASE_MS = 60_000;
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;
export const USER_AGENT = 'Leadflare-Webhooks/1';
/** The test delivery's event type; deliberately not one of WEBHOOK_EVENTS, so nobody can subscribe to it. */
export const PING_EVENT = 'ping';
const SNIPPET_BYTES = 200;
const SECRET_PREFIX = 'whsec_';

// ── The network, per runtime ─────────────────────────────────────────────────

export interface WebhookRequest {
  url: URL;
  /**
   * The addresses the target resolved to when it was checked. A transport that can pin its
   * connection (Node) connects to these instead of resolving again, so DNS cannot change between
   * the check and the send.
   */
  addresses?: string[];
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookResponse {
  status: number;
  /** The `Location` of a redirect, which is reported and never followed. */
  location: string | null;
  /** The start of the response body, for the log; the rest is discarded unread. */
  snippet: string;
}

/**
 * How deliveries reach the internet. Each runtime builds its own (Node: node:dns + pinned https;
 * Workers: fetch). Tests swap it to reach a receiver on loopback; nothing in env or config can.
 */
export interface WebhookNetwork {
  /** Every address a host name resolves to. Absent where the runtime has no DNS API (Workers). */
  resolve?: (hostname: string) => Promise<string[]>;
  /** POSTs one delivery without following redirects; rejects on network errors and timeouts. */
  send: (request: WebhookRequest) => Promise<WebhookResponse>;
}

/** Reads at most `limit` bytes of a body and drops the rest. */
export async function readSnippet(body: ReadableStream<Uint8Array> | null, limit = SNIPPET_BYTES): Promise<string> {
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

// ── Target checks ────────────────────────────────────────────────────────────

export type TargetCheck =
  | { ok: true; url: URL; addresses?: string[] }
  /** `transient`: the name could not be resolved right now (worth retrying), not a policy refusal. */
  | { ok: false; message: string; transient?: boolean };

/**
 * The URL rules, then — where the runtime can resolve names — every address the host resolves to:
 * one internal address among public ones is enough to refuse (an attacker controls which one a
 * client would pick).
 */
export async function checkWebhookTarget(network: WebhookNetwork, rawUrl: string): Promise<TargetCheck> {
  const parsed = checkWebhookUrl(rawUrl);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const literal = isIpLiteral(parsed.hostname); // already checked by checkWebhookUrl
  if (literal || !network.resolve) return { ok: true, url: parsed.url, addresses: literal ? [parsed.hostname] : undefined };
  let addresses: string[];
  try {
    addresses = await network.resolve(parsed.hostname);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, transient: true, message: `${parsed.hostname} could not be resolved${code ? ` (${code})` : ''}.` };
  }
  if (addresses.length === 0) return { ok: false, transient: true, message: `${parsed.hostname} does not resolve to any address.` };
  for (const address of addresses) {
    const reason = addressBlockReason(address);
    if (reason)
      return {
        ok: false,
        message: `${parsed.hostname} resolves to ${address}, ${reason}; webhooks can only be sent to public internet hosts.`,
      };
  }
  return { ok: true, url: parsed.url, addresses };
}

// ── Endpoints ────────────────────────────────────────────────────────────────

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type Ctx = Pick<AppDeps, 'clock' | 'newId' | 'webhookNetwork'> & { db: Db };

export interface EndpointInput {
  url: string;
  description?: string;
  events: WebhookEvent[];
  enabled?: boolean;
}

function newSecret(): string {
  return `${SECRET_PREFIX}${randomToken(32)}`;
}

/** What everyone in the workspace may see: the secret only as a hint to tell it apart. */
export function endpointView(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    secretHint: `${SECRET_PREFIX}…${row.secret.slice(-4)}`,
    /** Until then deliveries are signed with the previous secret as well (null: no overlap). */
    previousSecretExpiresAt: row.previousSecret ? row.previousSecretExpiresAt : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function requireSafeTarget(network: WebhookNetwork, url: string): Promise<void> {
  const check = await checkWebhookTarget(network, url);
  if (!check.ok) throw validationFailed([{ path: 'url', message: check.message }], 'This URL cannot receive webhooks.');
}

async function loadEndpoint(db: Db, workspaceId: string, endpointId: string): Promise<EndpointRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, workspaceId)));
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function listWebhookEndpoints(db: Db, workspaceId: string) {
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
  return rows.map(endpointView);
}

export async function getWebhookEndpoint(db: Db, workspaceId: string, endpointId: string) {
  return endpointView(await loadEndpoint(db, workspaceId, endpointId));
}

/** The secret is in this response only (like an API key); afterwards just its hint. */
export async function createWebhookEndpoint(ctx: Ctx, workspaceId: string, input: EndpointInput) {
  const [{ n } = { n: 0 }] = await ctx.db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, workspaceId));
  if (n >= MAX_ENDPOINTS_PER_WORKSPACE)
    throw conflict(`A workspace can have at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints.`, 'too_many_endpoints');
  await requireSafeTarget(ctx.webhookNetwork, input.url);
  const now = ctx.clock();
  const row: EndpointRow = {
    id: ctx.newId(),
    workspaceId,
    url: input.url,
    description: input.description ?? '',
    secret: newSecret(),
    previousSecret: null,
    previousSecretExpiresAt: null,
    events: [...new Set(input.events)],
    enabled: input.enabled ?? true,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.insert(webhookEndpoints).values(row);
  return { ...endpointView(row), secret: row.secret };
}

export async function updateWebhookEndpoint(ctx: Ctx, workspaceId: string, endpointId: string, patch: Partial<EndpointInput>) {
  const row = await loadEndpoint(ctx.db, workspaceId, endpointId);
  if (patch.url !== undefined && patch.url !== row.url) await requireSafeTarget(ctx.webhookNetwork, patch.url);
  const next: EndpointRow = {
    ...row,
    url: patch.url ?? row.url,
    description: patch.description ?? row.description,
    events: patch.events ? [...new Set(patch.events)] : row.events,
    enabled: patch.enabled ?? row.enabled,
    updatedAt: ctx.clock(),
  };
  await ctx.db
    .update(webhookEndpoints)
    .set(next)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, workspaceId)));
  return endpointView(next);
}

/** How long deliveries keep the old secret's signature after a rotation, unless the owner says otherwise. */
export const DEFAULT_SECRET_OVERLAP_HOURS = 24;

/**
 * A new signing secret. For `overlapHours` (0: none, e.g. when the old one leaked) every delivery
 * carries signatures under both, so the receiver can switch to the new secret without dropping any.
 */
export async function rotateWebhookSecret(
  ctx: Omit<Ctx, 'webhookNetwork'>,
  workspaceId: string,
  endpointId: string,
  overlapHours = DEFAULT_SECRET_OVERLAP_HOURS,
) {
  const row = await loadEndpoint(ctx.db, workspaceId, endpointId);
  const now = ctx.clock();
  const change = {
    secret: newSecret(),
    previousSecret: overlapHours > 0 ? row.secret : null,
    previousSecretExpiresAt: overlapHours > 0 ? now + overlapHours * 60 * 60 * 1000 : null,
    updatedAt: now,
  };
  await ctx.db.update(webhookEndpoints).set(change).where(eq(webhookEndpoints.id, row.id));
  const next = { ...row, ...change };
  return { ...endpointView(next), secret: next.secret };
}

/** The secrets a delivery made at `now` is signed with: the current one, and the previous one during its overlap. */
function signingSecrets(endpoint: EndpointRow, now: number): string[] {
  const overlapping = endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > now;
  return overlapping ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Deletes the endpoint and its delivery log (pending deliveries are not sent). */
export async function deleteWebhookEndpoint(db: Db, workspaceId: string, endpointId: string): Promise<void> {
  const done = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.workspaceId, workspaceId)))
    .returning({ id: webhookEndpoints.id });
  if (done.length === 0) throw notFound('Webhook endpoint');
}

// ── The delivery log ─────────────────────────────────────────────────────────

export function deliveryView(row: DeliveryRow) {
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

export type WebhookDeps = Pick<AppDeps, 'database' | 'clock' | 'webhookNetwork'>;

export interface AttemptResult {
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
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
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
export async function dueDeliveryIds(db: Db, now: number, limit = 100): Promise<string[]> {
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
export async function deliverDue(deps: Pick<AppDeps, 'database' | 'clock' | 'webhooks'>, limit = 100): Promise<number> {
  const ids = await dueDeliveryIds(deps.database.db, deps.clock(), limit);
  if (ids.length) await deps.webhooks.dispatch(ids);
  return ids.length;
}

// ── Manual sends: test ping and redelivery ───────────────────────────────────

async function sendNow(deps: WebhookDeps & Pick<AppDeps, 'newId'>, row: typeof webhookDeliveries.$inferInsert) {
  const { db } = deps.database;
  await db.insert(webhookDeliveries).values(row);
  const outcome = await deliverDelivery(deps, row.id!, { manual: true });
  const [stored] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, row.id!));
  const result =
    'ok' in outcome ? { ok: outcome.ok, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs } : null;
  return { delivery: deliveryView(stored!), result };
}

/**
 * Sends a `ping` event to the endpoint right now and returns what happened (logged like any other
 * delivery). Manual rows start without a due time, so the sweep never races the request for them.
 */
export async function sendTestDelivery(deps: WebhookDeps & Pick<AppDeps, 'newId'>, workspaceId: string, endpointId: string) {
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
  deps: WebhookDeps & Pick<AppDeps, 'newId'>,
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

// ── Workers: a Cloudflare Queue between the write and the send ───────────────

export interface WebhookQueueMessageBody {
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
