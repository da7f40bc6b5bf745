import { Hono } from 'hono';
import * as z from 'zod';
import { STAGE_KINDS } from '../../domain/stage-kinds';
import { badRequest } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { readJson, readParams, readQuery } from '../../middleware/validate';
import { boardColumnJson, decodeColumnCursor, DEFAULT_BOARD_LIMIT, MAX_BOARD_LIMIT, pipelineBoardJson } from '../../services/board';
import { last30Days } from '../../services/funnel-report';
import { pipelineStats } from '../../services/pipeline-stats';
import {
  addStage,
  createPipeline,
  deletePipeline,
  deleteStage,
  getPipeline,
  listPipelines,
  MAX_STAGES_PER_PIPELINE,
  reorderStages,
  TEMPLATE_KEYS,
  updatePipeline,
  updateStage,
} from '../../services/pipelines';
import { serviceCtx } from '../service-context';

const id = z.string().min(1).max(64);
const idParam = z.object({ id });
const stageParams = z.object({ id, stageId: id });

const pipelineName = z.string().trim().min(1).max(120);
const newPipeline = z.object({ name: pipelineName, template: z.enum(TEMPLATE_KEYS).default('blank') });
const pipelinePatch = z
  .object({ name: pipelineName, wonStageId: id, lostStageId: id })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Send at least one of name, wonStageId, lostStageId.');

const stageName = z.string().trim().min(1).max(100);
const probability = z.number().int().min(0).max(100);
/** Days an open deal may sit in the stage before it is flagged; null: never. */
const rottingDays = z.number().int().min(1).max(3650).nullable();
/** 0-based; past the end means last. */
const stageIndex = z.number().int().min(0).max(1000);
const newStage = z.object({
  name: stageName,
  kind: z.enum(STAGE_KINDS).default('open'),
  winProbability: probability.optional(),
  rottingDays: rottingDays.optional(),
  position: stageIndex.optional(),
});
const stagePatch = z
  .object({ name: stageName, kind: z.enum(STAGE_KINDS), winProbability: probability, rottingDays, position: stageIndex })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Send at least one field to change.');
const stageOrder = z.object({ stageIds: z.array(id).min(1).max(MAX_STAGES_PER_PIPELINE) });
const stageRemoval = z.object({ moveTo: id.optional(), lostReason: z.string().trim().min(1).max(500).optional() });
const pipelineRemoval = z.object({ deleteDeals: z.enum(['true', 'false']).default('false') });

/** Cards per column: a page, like Pipedrive's and HubSpot's boards; the rest through each column's `next`. */
const boardLimit = z.coerce.number().int().min(1).max(MAX_BOARD_LIMIT).default(DEFAULT_BOARD_LIMIT);
const boardQuery = z.object({ limit: boardLimit });
const columnQuery = z.object({
  limit: boardLimit,
  after: z
    .string()
    .max(100)
    .transform(
      (cursor, ctx) =>
        decodeColumnCursor(cursor) ??
        (ctx.addIssue({ code: 'custom', message: 'Use the `next` link of the board or of the previous page.' }), z.NEVER),
    )
    .optional(),
});
const columnParams = z.object({ id, stageId: id });
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Not a date.');
const statsQuery = z.object({ from: day.optional(), to: day.optional() });
const MAX_STATS_DAYS = 731;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Pipelines (`/api/pipelines`), their stages, board and stats. Editors manage pipelines and stages;
 * deleting a whole pipeline is for owners, and one that still holds deals is deleted only with
 * `?deleteDeals=true`. A stage holding deals is removed with `?moveTo=<stage id>` (409 asks).
 * `/:id/automations` belongs to routes/api/automations.ts, mounted at the same prefix.
 */
export const pipelineRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ pipelines: await listPipelines(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .post('/', async (c) => {
    const body = await readJson(c, newPipeline);
    return c.json(await createPipeline(serviceCtx(c), c.var.scope.workspaceId, body), 201);
  })
  .get('/:id', async (c) => c.json(await getPipeline(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)))
  .patch('/:id', async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const patch = await readJson(c, pipelinePatch);
    return c.json(await updatePipeline(serviceCtx(c), c.var.scope.workspaceId, pipelineId, patch));
  })
  .delete('/:id', requireRole('owner'), async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const { deleteDeals } = readQuery(c, pipelineRemoval);
    await deletePipeline(serviceCtx(c), c.var.scope.workspaceId, pipelineId, { deleteDeals: deleteDeals === 'true' });
    return c.body(null, 204);
  })
  .get('/:id/board', async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const { limit } = readQuery(c, boardQuery);
    const body = await pipelineBoardJson(c.var.deps.database.db, c.var.scope.workspaceId, pipelineId, { now: c.var.deps.clock(), limit });
    return c.body(body, 200, { 'content-type': 'application/json; charset=UTF-8' });
  })
  // "Load more" for one column: the cards after a column's `next` cursor, in the board's order.
  .get('/:id/board/stages/:stageId', async (c) => {
    const { id: pipelineId, stageId } = readParams(c, columnParams);
    const { limit, after } = readQuery(c, columnQuery);
    const body = await boardColumnJson(c.var.deps.database.db, c.var.scope.workspaceId, pipelineId, stageId, {
      now: c.var.deps.clock(),
      limit,
      after,
    });
    return c.body(body, 200, { 'content-type': 'application/json; charset=UTF-8' });
  })
  .get('/:id/stats', async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const query = readQuery(c, statsQuery);
    const now = c.var.deps.clock();
    const to = query.to ?? last30Days(now).to;
    const from = query.from ?? last30Days(Date.parse(`${to}T00:00:00Z`)).from;
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1) throw badRequest('`from` must not be after `to`.', 'invalid_period');
    if (days > MAX_STATS_DAYS) throw badRequest(`Stats cover at most ${MAX_STATS_DAYS} days.`, 'invalid_period');
    return c.json(await pipelineStats(c.var.deps.database.db, c.var.scope.workspaceId, pipelineId, { from, to }, now));
  })
  .post('/:id/stages', async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const body = await readJson(c, newStage);
    return c.json(await addStage(serviceCtx(c), c.var.scope.workspaceId, pipelineId, body), 201);
  })
  .put('/:id/stages/order', async (c) => {
    const { id: pipelineId } = readParams(c, idParam);
    const { stageIds } = await readJson(c, stageOrder);
    return c.json(await reorderStages(serviceCtx(c), c.var.scope.workspaceId, pipelineId, stageIds));
  })
  .patch('/:id/stages/:stageId', async (c) => {
    const { id: pipelineId, stageId } = readParams(c, stageParams);
    const patch = await readJson(c, stagePatch);
    return c.json(await updateStage(serviceCtx(c), c.var.scope.workspaceId, pipelineId, stageId, patch));
  })
  .delete('/:id/stages/:stageId', async (c) => {
    const { id: pipelineId, stageId } = readParams(c, stageParams);
    const removal = readQuery(c, stageRemoval);
    return c.json(await deleteStage(serviceCtx(c), c.var.scope.workspaceId, pipelineId, stageId, removal, c.var.scope.user.id));
  });
