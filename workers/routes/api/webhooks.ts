import { Hono } from 'hono';
import * as z from 'zod';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS, type WebhookEvent } from '../../../db/schema';
import type { AppEnv } from '../../deps';
import { MAX_WEBHOOK_URL_LENGTH } from '../../domain/ssrf';
import { requireRole } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
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
import { id, idParam, pageQuery } from '../schemas';

const deliveryParam = idParam.extend({ deliveryId: id });

/** What each event means, for the people choosing what to subscribe to (every event has one: a new one fails the typecheck until described). */
const EVENT_DESCRIPTIONS: Record<WebhookEvent, string> = {
  'lead.created': 'A new lead was captured (a form, quiz, lead magnet or chat; an import or the API).',
  'lead.qualified': 'A lead met a qualification rule for the first time.',
  'deal.created': 'A deal was opened, by a rule, an automation, a person or the API.',
  'deal.stage_changed': 'A deal moved to another stage of its pipeline.',
  'deal.won': 'A deal reached its pipeline’s won stage.',
  'deal.lost': 'A deal reached its pipeline’s lost stage.',
  'activity.due': 'An open activity (a call, email, meeting, task or deadline) reached its due time.',
};

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
const newEndpointSchema = endpointSchema.meta({
  examples: [{ url: 'https://hooks.example.com/leadflare', events: ['lead.created', 'deal.won'], description: 'CRM sync' }],
});
const endpointPatchSchema = endpointSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one field.')
  .meta({ examples: [{ enabled: false }] });
/** Hours the previous secret keeps signing next to the new one; 0 ends it at once (a leaked secret). */
const rotation = z
  .strictObject({
    overlapHours: z
      .number()
      .int()
      .min(0)
      .max(7 * 24, 'At most 168 hours (a week).')
      .optional(),
  })
  .meta({ examples: [{ overlapHours: 0 }] });
const deliveryQuery = pageQuery.omit({ q: true }).extend({ status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional() });

/**
 * Outbound webhook endpoints and their delivery log (`/api/webhooks`). Everyone in the workspace
 * can read endpoints (never their secrets) and the log; owners create, change, delete endpoints
 * and rotate secrets; editors may also send a test and redeliver (viewers are read-only anyway).
 */
export const webhookRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'List webhook endpoints (without secrets)' }), async (c) =>
    c.json({ webhooks: await listWebhookEndpoints(c.var.deps.database.db, c.var.scope.workspaceId) }),
  )
  // Before `/:id`, which would read "events" as an endpoint id.
  .get(
    '/events',
    apiDoc({
      summary: 'The events an endpoint can subscribe to',
      returns: '`{events: [{type, description}]}`, in the order the API lists them; `events` of an endpoint takes these `type`s.',
    }),
    (c) => c.json({ events: WEBHOOK_EVENTS.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type] })) }),
  )
  .post(
    '/',
    apiDoc({
      summary: 'Add a webhook endpoint',
      status: 201,
      returns: 'The endpoint with its signing secret, shown in this response only.',
      errors: {
        unsafe_webhook_target: { status: 400, when: 'the URL resolves to a private, loopback or metadata address.' },
        too_many_endpoints: { status: 409, when: 'the workspace has the most endpoints allowed.' },
      },
    }),
    requireRole('owner'),
    validate('json', newEndpointSchema),
    async (c) => {
      const created = await createWebhookEndpoint(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('json'));
      return c.json(created, 201);
    },
  )
  .get('/:id', apiDoc({ summary: 'Get a webhook endpoint' }), validate('param', idParam), async (c) =>
    c.json(await getWebhookEndpoint(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .patch(
    '/:id',
    apiDoc({ summary: 'Change a webhook endpoint' }),
    requireRole('owner'),
    validate('param', idParam),
    validate('json', endpointPatchSchema),
    async (c) => {
      return c.json(await updateWebhookEndpoint(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json')));
    },
  )
  .delete(
    '/:id',
    apiDoc({ summary: 'Delete a webhook endpoint', status: 204 }),
    requireRole('owner'),
    validate('param', idParam),
    async (c) => {
      await deleteWebhookEndpoint(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/rotate-secret',
    apiDoc({
      summary: 'Rotate the signing secret',
      description: 'The previous secret keeps signing alongside for `overlapHours` (default 24; 0 when it leaked). The body is optional.',
    }),
    requireRole('owner'),
    validate('param', idParam),
    validate('json', rotation, { optionalBody: true }),
    async (c) => {
      return c.json(
        await rotateWebhookSecret(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json').overlapHours),
      );
    },
  )
  .post('/:id/test', apiDoc({ summary: 'Send a test delivery now' }), requireRole('editor'), validate('param', idParam), async (c) =>
    c.json(await sendTestDelivery(c.var.deps, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .get(
    '/:id/deliveries',
    apiDoc({ summary: 'The endpoint’s delivery log, newest first' }),
    validate('param', idParam),
    validate('query', deliveryQuery),
    async (c) =>
      c.json(await listWebhookDeliveries(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('query'))),
  )
  .get(
    '/:id/deliveries/:deliveryId',
    apiDoc({ summary: 'One delivery with its attempts' }),
    validate('param', deliveryParam),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      return c.json(await getWebhookDelivery(c.var.deps.database.db, c.var.scope.workspaceId, id, deliveryId));
    },
  )
  .post(
    '/:id/deliveries/:deliveryId/redeliver',
    apiDoc({ summary: 'Send a delivery again' }),
    requireRole('editor'),
    validate('param', deliveryParam),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      return c.json(await redeliverWebhook(c.var.deps, c.var.scope.workspaceId, id, deliveryId));
    },
  );
