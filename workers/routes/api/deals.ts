import { Hono } from 'hono';
import * as z from 'zod';
import { deals } from '../../../db/schema';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { createDeal, deleteDeal, getDeal, listDeals, moveDealTo, updateDeal } from '../../services/deals';
import { serviceCtx } from '../service-context';
import { columnSchema } from '../column-schemas';
import { currencyCode, id, idParam, pageQuery, timeZoneParam } from '../schemas';
import { dueWindow } from '../../domain/activities';

/** Largest value: 10^13 minor units ($100 billion), far below 2^53 so sums of many deals stay exact. */
const MAX_VALUE_MINOR = 1e13;
/** 9999-12-31T23:59:59.999Z: epoch milliseconds beyond it are a typo, not a date. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** The deal columns a client sets, as the table defines them (db/schema.ts), with the API's limits. */
const fields = {
  name: columnSchema(deals.name, (name) => name.trim().min(1).max(200)),
  valueMinor: columnSchema(deals.valueMinor, (value) => value.min(0).max(MAX_VALUE_MINOR)),
  currency: columnSchema(deals.currency, () => currencyCode),
  leadId: columnSchema(deals.leadId, () => id),
  ownerId: columnSchema(deals.ownerId, () => id),
  /** Epoch milliseconds (UTC), like every time in this API. */
  expectedCloseAt: columnSchema(deals.expectedCloseAt, (at) => at.min(0).max(MAX_EPOCH_MS)),
  sourceFunnelId: columnSchema(deals.sourceFunnelId, () => id),
  attribution: z
    .record(z.string().max(64), z.string().max(500))
    .refine((a) => Object.keys(a).length <= 20, 'At most 20 attribution fields.'),
  notes: columnSchema(deals.notes, (notes) => notes.max(10_000)),
};
const lostReason = z.string().trim().min(1).max(500);

const newDeal = z
  .object({
    ...fields,
    valueMinor: fields.valueMinor.default(0),
    currency: fields.currency.default('USD'),
    leadId: fields.leadId.optional(),
    ownerId: fields.ownerId.optional(),
    expectedCloseAt: fields.expectedCloseAt.optional(),
    sourceFunnelId: fields.sourceFunnelId.optional(),
    attribution: fields.attribution.optional(),
    notes: fields.notes.optional(),
    pipelineId: id,
    stageId: id.optional(),
    position: z.number().int().min(0).max(1_000_000).optional(),
    lostReason: lostReason.optional(),
    origin: z
      .enum(['manual', 'api'])
      .optional()
      .describe('`api` when a script or integration creates the deal rather than a person (default `manual`).'),
  })
  .meta({ examples: [{ name: 'Cosmetics set - Ava Smith', valueMinor: 25_000, currency: 'USD', pipelineId: '01JDEMOPIPELINE' }] });

/** Stage and pipeline change through `/move`, which records the move; a PATCH that tries is told so. */
const dealPatch = z
  .object({ ...fields, lostReason })
  .partial()
  .extend({
    stageId: z.never({ error: 'Move a deal with POST /api/deals/:id/move.' }).optional(),
    pipelineId: z.never({ error: 'A deal stays in its pipeline; create it in the other pipeline instead.' }).optional(),
    position: z.never({ error: 'Move a deal with POST /api/deals/:id/move.' }).optional(),
  })
  .meta({ examples: [{ valueMinor: 30_000, expectedCloseAt: 1_798_761_600_000, notes: 'Asked for the travel size too.' }] });

const dealMove = z
  .object({
    stageId: id,
    position: z.number().int().min(0).max(1_000_000).optional(),
    lostReason: lostReason.optional(),
  })
  .meta({ examples: [{ stageId: '01JDEMOSTAGE', position: 0 }] });

const listQuery = pageQuery.extend({
  pipeline: id.optional(),
  stage: id.optional(),
  owner: id.optional(),
  lead: id.optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  tz: timeZoneParam,
});

/**
 * Deals (`/api/deals`): list with filters, create, read (with its stage history), edit, delete, and
 * move between stages / within a column. A new deal's owner defaults to the member creating it.
 */
export const dealRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'List deals',
      returns: '`{deals, nextCursor}`, newest first; each deal with its `origin` and `nextActivity` (null: none open).',
    }),
    validate('query', listQuery),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await listDeals(
          c.var.deps.database.db,
          c.var.scope.workspaceId,
          {
            pipelineId: q.pipeline,
            stageId: q.stage,
            ownerId: q.owner,
            leadId: q.lead,
            status: q.status,
            q: q.q || undefined,
            cursor: q.cursor,
            limit: q.limit,
          },
          dueWindow(c.var.deps.clock(), q.tz),
        ),
      );
    },
  )
  .post(
    '/',
    apiDoc({ summary: 'Create a deal', status: 201, returns: 'The deal with its stage, its `origin` and `nextActivity`.' }),
    validate('json', newDeal),
    async (c) => {
      const body = c.req.valid('json');
      const { user, workspaceId } = c.var.scope;
      const deal = await createDeal(
        serviceCtx(c),
        workspaceId,
        { ...body, ownerId: body.ownerId === undefined ? user.id : body.ownerId },
        user.id,
      );
      return c.json(await getDeal(c.var.deps.database.db, workspaceId, deal.id, dueWindow(c.var.deps.clock())), 201);
    },
  )
  .get(
    '/:id',
    apiDoc({
      summary: 'Get a deal',
      returns:
        'The deal with its stage, `origin`, stage history and `nextActivity` ({id, type, subject, dueAt, hasTime, overdue}: its earliest open activity; null when it has none; `overdue` by the UTC day, send `tz` to the list for another zone).',
    }),
    validate('param', idParam),
    async (c) =>
      c.json(await getDeal(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, dueWindow(c.var.deps.clock()))),
  )
  .patch('/:id', apiDoc({ summary: 'Edit a deal' }), validate('param', idParam), validate('json', dealPatch), async (c) => {
    const { id: dealId } = c.req.valid('param');
    const { stageId: _s, pipelineId: _p, position: _o, ...patch } = c.req.valid('json');
    const { workspaceId } = c.var.scope;
    await updateDeal(serviceCtx(c), workspaceId, dealId, patch);
    return c.json(await getDeal(c.var.deps.database.db, workspaceId, dealId, dueWindow(c.var.deps.clock())));
  })
  .delete('/:id', apiDoc({ summary: 'Delete a deal', status: 204 }), validate('param', idParam), async (c) => {
    await deleteDeal(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .post(
    '/:id/move',
    apiDoc({ summary: 'Move a deal to a stage or a place in its column', description: 'Moving to the lost stage needs `lostReason`.' }),
    validate('param', idParam),
    validate('json', dealMove),
    async (c) => {
      const { id: dealId } = c.req.valid('param');
      const move = c.req.valid('json');
      const { deal, stage } = await moveDealTo(serviceCtx(c), c.var.scope.workspaceId, dealId, move, c.var.scope.user.id);
      return c.json({
        ...deal,
        status: stage.kind,
        stage: { id: stage.id, name: stage.name, kind: stage.kind, winProbability: stage.winProbability },
      });
    },
  );
