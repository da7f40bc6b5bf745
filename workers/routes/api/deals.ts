import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { readJson, readParams, readQuery } from '../../middleware/validate';
import { createDeal, deleteDeal, getDeal, listDeals, moveDealTo, updateDeal } from '../../services/deals';
import { serviceCtx } from '../service-context';

const id = z.string().min(1).max(64);
const idParam = z.object({ id });

/** Largest value: 10^13 minor units ($100 billion), far below 2^53 so sums of many deals stay exact. */
const MAX_VALUE_MINOR = 1e13;
/** 9999-12-31T23:59:59.999Z: epoch milliseconds beyond it are a typo, not a date. */
const MAX_EPOCH_MS = 253_402_300_799_999;

const fields = {
  name: z.string().trim().min(1).max(200),
  valueMinor: z.number().int().min(0).max(MAX_VALUE_MINOR),
  currency: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as USD.')),
  leadId: id.nullable(),
  ownerId: id.nullable(),
  /** Epoch milliseconds (UTC), like every time in this API. */
  expectedCloseAt: z.number().int().min(0).max(MAX_EPOCH_MS).nullable(),
  sourceFunnelId: id.nullable(),
  attribution: z
    .record(z.string().max(64), z.string().max(500))
    .refine((a) => Object.keys(a).length <= 20, 'At most 20 attribution fields.'),
  notes: z.string().max(10_000).nullable(),
};
const lostReason = z.string().trim().min(1).max(500);

const newDeal = z.object({
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
});

/** Stage and pipeline change through `/move`, which records the move; a PATCH that tries is told so. */
const dealPatch = z
  .object({ ...fields, lostReason })
  .partial()
  .extend({
    stageId: z.never({ error: 'Move a deal with POST /api/deals/:id/move.' }).optional(),
    pipelineId: z.never({ error: 'A deal stays in its pipeline; create it in the other pipeline instead.' }).optional(),
    position: z.never({ error: 'Move a deal with POST /api/deals/:id/move.' }).optional(),
  });

const dealMove = z.object({
  stageId: id,
  position: z.number().int().min(0).max(1_000_000).optional(),
  lostReason: lostReason.optional(),
});

const listQuery = z.object({
  pipeline: id.optional(),
  stage: id.optional(),
  owner: id.optional(),
  lead: id.optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Deals (`/api/deals`): list with filters, create, read (with its stage history), edit, delete, and
 * move between stages / within a column. A new deal's owner defaults to the member creating it.
 */
export const dealRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const q = readQuery(c, listQuery);
    return c.json(
      await listDeals(c.var.deps.database.db, c.var.scope.workspaceId, {
        pipelineId: q.pipeline,
        stageId: q.stage,
        ownerId: q.owner,
        leadId: q.lead,
        status: q.status,
        q: q.q || undefined,
        cursor: q.cursor,
        limit: q.limit,
      }),
    );
  })
  .post('/', async (c) => {
    const body = await readJson(c, newDeal);
    const { user, workspaceId } = c.var.scope;
    const deal = await createDeal(
      serviceCtx(c),
      workspaceId,
      { ...body, ownerId: body.ownerId === undefined ? user.id : body.ownerId },
      user.id,
    );
    return c.json(await getDeal(c.var.deps.database.db, workspaceId, deal.id), 201);
  })
  .get('/:id', async (c) => c.json(await getDeal(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)))
  .patch('/:id', async (c) => {
    const { id: dealId } = readParams(c, idParam);
    const { stageId: _s, pipelineId: _p, position: _o, ...patch } = await readJson(c, dealPatch);
    const { workspaceId } = c.var.scope;
    await updateDeal(serviceCtx(c), workspaceId, dealId, patch);
    return c.json(await getDeal(c.var.deps.database.db, workspaceId, dealId));
  })
  .delete('/:id', async (c) => {
    await deleteDeal(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id);
    return c.body(null, 204);
  })
  .post('/:id/move', async (c) => {
    const { id: dealId } = readParams(c, idParam);
    const move = await readJson(c, dealMove);
    const { deal, stage } = await moveDealTo(serviceCtx(c), c.var.scope.workspaceId, dealId, move, c.var.scope.user.id);
    return c.json({
      ...deal,
      status: stage.kind,
      stage: { id: stage.id, name: stage.name, kind: stage.kind, winProbability: stage.winProbability },
    });
  });
