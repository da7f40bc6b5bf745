/**
 * `POST /api/v1/events`: checkout starts, purchases, refunds and unsubscribes reported by a store
 * or back office with a workspace API key (`Authorization: Bearer lf_key_…`). The store's order id
 * is the idempotency key: a webhook delivered twice counts once. See README for Shopify.
 */
import { Hono } from 'hono';
import * as z from 'zod';
import { emailSchema } from '../../domain/emails';
import { AppError } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { apiKeyScope } from '../../middleware/auth';
import { validate } from '../../middleware/validate';
import { captureServerEvent } from '../../services/capture';
import { requestCaptureContext } from '../public/capture-context';

const MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;

const serverEventSchema = z
  .object({
    type: z.enum(['checkout_start', 'purchase', 'refund', 'unsubscribe']),
    /** The customer; becomes (or finds) the lead. */
    email: emailSchema,
    name: z.string().trim().max(120).optional(),
    orderId: z.string().trim().min(1).max(100).optional(),
    amountMinor: z.number().int().min(0).max(1_000_000_000_000).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as USD.')
      .optional(),
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
  .meta({
    examples: [
      { type: 'purchase', email: 'ava@example.com', orderId: '#1001', amountMinor: 25_000, currency: 'USD', funnel: 'cosmetics-set' },
    ],
  });

export const serverEventRoutes = new Hono<AppEnv>().post(
  '/events',
  apiDoc({
    summary: 'Report a checkout start, purchase, refund or unsubscribe from a store',
    status: 202,
    description:
      'Answered once stored. The store’s `orderId` is the idempotency key: an event delivered twice counts once. `funnel` (slug or id) defaults to the funnel the lead came from.',
    errors: { not_found: { status: 404, when: '`funnel` names no funnel of the workspace.' } },
  }),
  apiKeyScope,
  validate('json', serverEventSchema),
  async (c) => {
    const { deps } = c.var;
    const workspaceId = c.var.apiWorkspaceId;
    const input = c.req.valid('json');
    const now = deps.clock();
    const occurredAt = input.occurredAt ?? now;
    if (occurredAt < now - MAX_AGE_MS || occurredAt > now + 5 * 60 * 1000) {
      throw new AppError(400, 'validation_failed', 'Event time is outside the accepted window.', [
        { path: 'occurredAt', message: 'More than 90 days old or in the future.' },
      ]);
    }

    // Stored (lead, visitor, event, qualification: one transaction) before the 202, on both runtimes:
    // the store will not send an acknowledged event again.
    const { eventId, leadId } = await captureServerEvent(requestCaptureContext(c), workspaceId, { ...input, occurredAt });
    return c.json({ accepted: true, eventId, leadId }, 202);
  },
);
