import { Hono } from 'hono';
import * as z from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../../../db/schema';
import type { AppEnv } from '../../deps';
import { MAX_WEBHOOK_URL_LENGTH } from '../../domain/ssrf';
import { requireRole } from '../../middleware/auth';
import { readJson, readParams, readQuery } from '../../middleware/validate';
import { getWebhookDelivery, listWebhookDeliveries, redeliverWebhook, sendTestDelivery } from '../../services/webhook-delivery';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '../../services/webhook-endpoints';
import { serviceCtx } from '../service-context';

const idParam = z.object({ id: z.string().min(1).max(64) });
const deliveryParam = idParam.extend({ deliveryId: z.string().min(1).max(64) });

// The full target policy (private, loopback, metadata addresses; DNS) runs in the service, on save and before every send.
const urlSchema = z
  .string()
  .trim()
  .max(MAX_WEBHOOK_URL_LENGTH, `Use a URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters.`)
  .refine((value) => /^https:\/\//i.test(value), 'Webhook URLs must use https://.');
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `Choose from ${WEBHOOK_EVENTS.join(', ')}.` }))
  .min(1, 'Subscribe to at least one event.')
  .max(WEBHOOK_EVENTS.length * 2);
const endpointSchema = z.object({
  url: urlSchema,
  description: z.string().trim().max(200).optional(),
  events: eventsSchema,
  enabled: z.boolean().optional(),
});
const endpointPatchSchema = endpointSchema.partial().refine((patch) => Object.keys(patch).length > 0, 'Change at least one field.');
/** Hours the previous secret keeps signing next to the new one; 0 ends it at once (a leaked secret). */
const rotation = z.strictObject({
  overlapHours: z.number().int().min(0).max(7 * 24, 'At most 168 hours (a week).').optional(),
});
const deliveryQuery = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Outbound webhook endpoints and their delivery log (`/api/webhooks`). Everyone in the workspace
 * can read endpoints (never their secrets) and the log; owners create, change, delete endpoints
 * and rotate secrets; editors may also send a test and redeliver (viewers are read-only anyway).
 */
export const webhookRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ webhooks: await listWebhookEndpoints(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .post('/', requireRole('owner'), async (c) => {
    const input = await readJson(c, endpointSchema);
    const created = await createWebhookEndpoint(
      serviceCtx(c),
      c.var.scope.workspaceId,
      input,
    );
    return c.json(created, 201);
  })
  .get('/:id', async (c) => c.json(await getWebhookEndpoint(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)))
  .patch('/:id', requireRole('owner'), async (c) => {
    const { id } = readParams(c, idParam);
    const patch = await readJson(c, endpointPatchSchema);
    return c.json(
      await updateWebhookEndpoint(
        serviceCtx(c),
        c.var.scope.workspaceId,
        id,
        patch,
      ),
    );
  })
  .delete('/:id', requireRole('owner'), async (c) => {
    await deleteWebhookEndpoint(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id);
    return c.body(null, 204);
  })
  .post('/:id/rotate-secret', requireRole('owner'), async (c) => {
    const { id } = readParams(c, idParam);
    // The body is optional: without one the old secret keeps signing alongside for the default overlap.
    const { overlapHours } = c.req.header('content-type') ? await readJson(c, rotation) : {};
    return c.json(
      await rotateWebhookSecret(serviceCtx(c), c.var.scope.workspaceId, id, overlapHours),
    );
  })
  .post('/:id/test', requireRole('editor'), async (c) =>
    c.json(await sendTestDelivery(c.var.deps, c.var.scope.workspaceId, readParams(c, idParam).id)),
  )
  .get('/:id/deliveries', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await listWebhookDeliveries(c.var.deps.database.db, c.var.scope.workspaceId, id, readQuery(c, deliveryQuery)));
  })
  .get('/:id/deliveries/:deliveryId', async (c) => {
    const { id, deliveryId } = readParams(c, deliveryParam);
    return c.json(await getWebhookDelivery(c.var.deps.database.db, c.var.scope.workspaceId, id, deliveryId));
  })
  .post('/:id/deliveries/:deliveryId/redeliver', requireRole('editor'), async (c) => {
    const { id, deliveryId } = readParams(c, deliveryParam);
    return c.json(await redeliverWebhook(c.var.deps, c.var.scope.workspaceId, id, deliveryId));
  });
