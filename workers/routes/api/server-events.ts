/**
 * `POST /api/v1/events`: checkout starts, purchases, refunds and unsubscribes reported by a store
 * or back office with a workspace API key (`Authorization: Bearer lf_key_…`). The store's order id
 * is the idempotency key: a webhook delivered twice counts once. See README for Shopify.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import * as z from 'zod';
import { funnels, leads, visitors } from '../../../db/schema';
import { sha256Hex } from '../../domain/crypto';
import { emailSchema } from '../../domain/emails';
import { AppError, notFound, unauthorized } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { workspaceForKey } from '../../services/api-keys';

const MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;

const serverEventSchema = z
  .object({
    type: z.enum(['checkout_start', 'purchase', 'refund', 'unsubscribe']),
    /** The customer; becomes (or finds) the lead. */
    email: emailSchema,
    name: z.string().trim().max(120).optional(),
    orderId: z.string().trim().min(1).max(100).optional(),
    amountMinor: z.number().int().min(0).max(1_000_000_000_000).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as USD.').optional(),
    occurredAt: z.number().int().positive().optional(),
    /** Funnel slug or id; the lead's source funnel when absent. */
    funnel: z.string().trim().max(64).optional(),
  })
  .superRefine((e, ctx) => {
    const need = (field: 'orderId' | 'amountMinor' | 'currency') => {
      if (e[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `Required for ${e.type}.` });
    };
    if (e.type !== 'unsubscribe') need('orderId');
    if (e.type === 'purchase' || e.type === 'refund') {
      need('amountMinor');
      need('currency');
    }
  })
  .meta({ examples: [{ type: 'purchase', email: 'ava@example.com', orderId: '#1001', amountMinor: 25_000, currency: 'USD', funnel: 'cosmetics-set' }] });

/** Only the key's workspace is touched; checked before the body is read, so a stranger learns nothing about it. */
const requireApiKey: MiddlewareHandler<AppEnv & { Variables: { apiWorkspaceId: string } }> = async (c, next) => {
  const key = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  const workspaceId = key ? await workspaceForKey(c.var.deps.database.db, key, c.var.deps.clock()) : null;
  if (!workspaceId) throw unauthorized('Send a valid workspace API key as `Authorization: Bearer <key>`.');
  c.set('apiWorkspaceId', workspaceId);
  await next();
};

export const serverEventRoutes = new Hono<AppEnv>().post(
  '/events',
  apiDoc({
    summary: 'Report a checkout start, purchase, refund or unsubscribe from a store',
    status: 202,
    description: 'The store’s `orderId` is the idempotency key: an event delivered twice counts once. `funnel` (slug or id) defaults to the funnel the lead came from.',
  }),
  requireApiKey,
  validate('json', serverEventSchema),
  async (c) => {
  const { deps } = c.var;
  const { db, client } = deps.database;
  const workspaceId = c.var.apiWorkspaceId;
  const input = c.req.valid('json');
  const now = deps.clock();
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt < now - MAX_AGE_MS || occurredAt > now + 5 * 60 * 1000) {
    throw new AppError(400, 'validation_failed', 'Event time is outside the accepted window.', [{ path: 'occurredAt', message: 'More than 90 days old or in the future.' }]);
  }

  // The customer as a lead (a purchase from someone who never filled a form still counts).
  await client.execute({
    sql: `insert into leads (id, workspace_id, email, name, created_at, updated_at) values (?, ?, ?, ?, ?, ?)
          on conflict (workspace_id, email) do update set name = coalesce(leads.name, excluded.name)`,
    args: [deps.newId(), workspaceId, input.email, input.name ?? null, now, now],
  });
  const [lead] = await db.select({ id: leads.id, sourceFunnelId: leads.sourceFunnelId }).from(leads).where(and(eq(leads.workspaceId, workspaceId), eq(leads.email, input.email)));
  const [funnel] = input.funnel
    ? await db.select({ id: funnels.id }).from(funnels).where(and(eq(funnels.workspaceId, workspaceId), or(eq(funnels.id, input.funnel), eq(funnels.slug, input.funnel))))
    : lead!.sourceFunnelId
      ? [{ id: lead!.sourceFunnelId }]
      : [];
  if (input.funnel && !funnel) throw notFound('Funnel');

  // The most recent visitor known for this lead; without one, a stand-in visitor for the lead.
  const [known] = await db.select({ id: visitors.id }).from(visitors).where(eq(visitors.leadId, lead!.id)).orderBy(desc(visitors.lastSeenAt)).limit(1);
  const visitorId = known?.id ?? `lead_${lead!.id}`;
  if (!known) {
    await db.run(sql`insert into visitors (id, workspace_id, lead_id, first_seen_at, last_seen_at) values (${visitorId}, ${workspaceId}, ${lead!.id}, ${occurredAt}, ${occurredAt}) on conflict (id) do nothing`);
  }

  const idempotencyKey = input.orderId ?? `unsubscribe:${lead!.id}`;
  const eventId = `api_${(await sha256Hex(`${workspaceId}|${input.type}|${idempotencyKey}`)).slice(0, 32)}`;
  await deps.events.enqueue([
    {
      id: eventId,
      workspaceId,
      visitorId,
      type: input.type,
      occurredAt,
      funnelId: funnel?.id ?? null,
      props: {
        leadId: lead!.id,
        ...(input.orderId ? { orderId: input.orderId } : {}),
        ...(input.amountMinor !== undefined ? { amountMinor: input.amountMinor, currency: input.currency } : {}),
      },
    },
  ]);
  return c.json({ accepted: true, eventId, leadId: lead!.id }, 202);
},
);
