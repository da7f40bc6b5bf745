/**
 * Webhook endpoints: owner-managed targets (https only, never an internal address), their signing
 * secrets and rotation, and the target policy that every save and every send runs. Sending and
 * the delivery log are webhook-delivery.ts.
 */
import { and, count, eq } from 'drizzle-orm';
import { webhookEndpoints, type WebhookEvent } from '../../db/schema';
import type { Db } from '../../db/types';
import { randomToken } from '../domain/crypto';
import { conflict, notFound, validationFailed } from '../domain/errors';
import { addressBlockReason, checkWebhookUrl, isIpLiteral } from '../domain/ssrf';
import type { ServiceCtx } from './context';
import { DNS_TIMEOUT_MS, type WebhookNetwork } from './ports';

const MAX_ENDPOINTS_PER_WORKSPACE = 20;
const SECRET_PREFIX = 'whsec_';
/** How long deliveries keep the old secret's signature after a rotation, unless the owner says otherwise. */
const DEFAULT_SECRET_OVERLAP_HOURS = 24;

// ── Target checks ────────────────────────────────────────────────────────────

export type TargetCheck =
  | { ok: true; url: URL; addresses?: string[] }
  /** `transient`: the name could not be resolved right now (worth retrying), not a policy refusal. */
  | { ok: false; message: string; transient?: boolean };

class DnsTimeout extends Error {}

/**
 * The resolver's answer, or `DnsTimeout` after `ms`: a resolver that does not answer would
 * otherwise hold the owner's save (the system resolver gives up after about 5 s, some never do).
 * The lookup itself may go on in the background; its late answer is ignored.
 */
async function resolveWithin(resolve: (hostname: string) => Promise<string[]>, hostname: string, ms: number): Promise<string[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsTimeout(`DNS lookup of ${hostname} timed out after ${ms} ms`)), ms);
  });
  const lookup = resolve(hostname);
  // A lookup that fails after the deadline is nobody's error.
  lookup.catch(() => {});
  try {
    return await Promise.race([lookup, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

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
    addresses = await resolveWithin(network.resolve, parsed.hostname, DNS_TIMEOUT_MS);
  } catch (err) {
    if (err instanceof DnsTimeout)
      return {
        ok: false,
        transient: true,
        message: `${parsed.hostname} could not be resolved within ${DNS_TIMEOUT_MS / 1000} seconds (no answer from DNS); check the address, or try again in a moment.`,
      };
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

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'webhookNetwork'>;

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
function endpointView(row: EndpointRow) {
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

export async function loadEndpoint(db: Db, workspaceId: string, endpointId: string): Promise<EndpointRow> {
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
export function signingSecrets(endpoint: EndpointRow, now: number): string[] {
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
