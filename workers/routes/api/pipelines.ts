import { Hono } from 'hono';
import * as z from 'zod';
import { columnSchema } from '../column-schemas';
import { pipelineStages } from '../../../db/schema';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { boardColumnJson, decodeColumnCursor, DEFAULT_BOARD_LIMIT, MAX_BOARD_LIMIT, pipelineBoardJson } from '../../services/board';
import type { Board as PipelineBoard, BoardColumnPage } from '../../contract';
import { jsonText } from '../json-text';
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
import { id, idParam, periodQuery, reportPeriod } from '../schemas';

const stageParams = z.object({ id, stageId: id });

const pipelineName = z.string().trim().min(1).max(120);
const newPipeline = z
  .object({ name: pipelineName, template: z.enum(TEMPLATE_KEYS).default('blank') })
  .meta({ examples: [{ name: 'Demo B2C e-commerce pipeline - 1', template: 'b2c' }] });
const pipelinePatch = z
  .object({ name: pipelineName, wonStageId: id, lostStageId: id })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Send at least one of name, wonStageId, lostStageId.')
  .meta({ examples: [{ name: 'Online store' }] });

/** The stage columns as the table defines them (db/schema.ts), with the API's limits. */
const stageName = columnSchema(pipelineStages.name, (name) => name.trim().min(1).max(100));
const stageKind = columnSchema(pipelineStages.kind);
/** Chance (0–100 %) that a deal in the stage is won: the weighted forecast multiplies by it. */
const probability = columnSchema(pipelineStages.winProbability, (p) => p.min(0).max(100));
/** Days an open deal may sit in the stage before it is flagged; null: never. */
const rottingDays = columnSchema(pipelineStages.rottingDays, (days) => days.min(1).max(3650));
/** 0-based; past the end means last. */
const stageIndex = z.number().int().min(0).max(1000);
const newStage = z
  .object({
    name: stageName,
    kind: stageKind.default('open'),
    winProbability: probability.optional(),
    rottingDays: rottingDays.optional(),
    position: stageIndex.optional(),
  })
  .meta({ examples: [{ name: 'Wishlisted', winProbability: 20, rottingDays: 14, position: 1 }] });
const stagePatch = z
  .object({ name: stageName, kind: stageKind, winProbability: probability, rottingDays, position: stageIndex })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'Send at least one field to change.')
  .meta({ examples: [{ name: 'Post-purchase', position: 99 }] });
const stageOrder = z
  .object({ stageIds: z.array(id).min(1).max(MAX_STAGES_PER_PIPELINE) })
  .meta({ examples: [{ stageIds: ['01JSTAGEA', '01JSTAGEB', '01JSTAGEC'] }] });
const stageRemoval = z.object({ moveTo: id.optional(), lostReason: z.string().trim().min(1).max(500).optional() });
const pipelineRemoval = z.object({ deleteDeals: z.enum(['true', 'false']).default('false') });

/** Cards per column: a page, like Pipedrive's and HubSpot's boards; the rest through each column's `next`. */
const boardLimit = z.coerce.number().int().min(1).max(MAX_BOARD_LIMIT).default(DEFAULT_BOARD_LIMIT);
/** The board's filters: the same on the board and on a column's pages (each `next` link carries them). */
const boardFilter = {
  owner: id.optional().meta({ description: 'Only deals owned by this member (user id).' }),
  q: z.string().trim().max(200).optional().meta({ description: 'Only deals whose name contains this text.' }),
};
const boardQuery = z.object({ limit: boardLimit, ...boardFilter });
const columnQuery = z.object({
  limit: boardLimit,
  ...boardFilter,
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
const MAX_STATS_DAYS = 731;
/** `compare=previous`: the previous period of equal length too, in the same answer. */
const statsQuery = periodQuery.extend({ compare: z.enum(['previous']).optional() });

/**
 * Pipelines (`/api/pipelines`), their stages, board and stats. Editors manage pipelines and stages;
 * deleting a whole pipeline is for owners, and one that still holds deals is deleted only with
 * `?deleteDeals=true`. A stage holding deals is removed with `?moveTo=<stage id>` (409 asks).
 * `/:id/automations` belongs to routes/api/automations.ts, mounted at the same prefix.
 */
export const pipelineRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'List pipelines with their stages, deal counts and totals' }), async (c) =>
    c.json({ pipelines: await listPipelines(c.var.deps.database.db, c.var.scope.workspaceId) }),
  )
  .post(
    '/',
    apiDoc({
      summary: 'Create a pipeline (blank, or from the B2B or B2C template)',
      status: 201,
      errors: { pipeline_name_taken: { status: 409, when: 'a pipeline has this name.' } },
    }),
    validate('json', newPipeline),
    async (c) => c.json(await createPipeline(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('json')), 201),
  )
  .get('/:id', apiDoc({ summary: 'Get a pipeline with its stages' }), validate('param', idParam), async (c) =>
    c.json(await getPipeline(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .patch(
    '/:id',
    apiDoc({ summary: 'Rename a pipeline or choose its won and lost stages' }),
    validate('param', idParam),
    validate('json', pipelinePatch),
    async (c) => c.json(await updatePipeline(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete(
    '/:id',
    apiDoc({
      summary: 'Delete a pipeline',
      status: 204,
      errors: { pipeline_has_deals: { status: 409, when: 'it holds deals and `deleteDeals=true` was not sent.' } },
    }),
    requireRole('owner'),
    validate('param', idParam),
    validate('query', pipelineRemoval),
    async (c) => {
      const { deleteDeals } = c.req.valid('query');
      await deletePipeline(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, { deleteDeals: deleteDeals === 'true' });
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/board',
    apiDoc({
      summary: 'The board: columns in stage order with counts, totals and the first cards',
      description:
        'Each column has a `next` link for more cards. `owner` and `q` filter the deals: cards, counts, totals and rotting counts then cover only the matching deals.',
    }),
    validate('param', idParam),
    validate('query', boardQuery),
    async (c) => {
      const { limit, owner, q } = c.req.valid('query');
      const body = await pipelineBoardJson(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, {
        now: c.var.deps.clock(),
        limit,
        filter: { ownerId: owner, q: q || undefined },
      });
      return jsonText<PipelineBoard>(c, body);
    },
  )
  // "Load more" for one column: the cards after a column's `next` cursor, in the board's order.
  .get(
    '/:id/board/stages/:stageId',
    apiDoc({ summary: 'More cards of one board column' }),
    validate('param', columnParams),
    validate('query', columnQuery),
    async (c) => {
      const { id: pipelineId, stageId } = c.req.valid('param');
      const { limit, after, owner, q } = c.req.valid('query');
      const body = await boardColumnJson(c.var.deps.database.db, c.var.scope.workspaceId, pipelineId, stageId, {
        now: c.var.deps.clock(),
        limit,
        after,
        filter: { ownerId: owner, q: q || undefined },
      });
      return jsonText<BoardColumnPage>(c, body);
    },
  )
  .get(
    '/:id/stats',
    apiDoc({
      summary: 'Win rate, velocity, time in stage and forecast over a period',
      description:
        '`compare=previous` adds `previous`: the same figures for the previous period of equal length (null without it). Days inclusive, UTC; the last 30 days by default.',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`, or the period is too long.' } },
    }),
    validate('param', idParam),
    validate('query', statsQuery),
    async (c) => {
      const now = c.var.deps.clock();
      const query = c.req.valid('query');
      const period = reportPeriod(query, now, MAX_STATS_DAYS);
      return c.json(
        await pipelineStats(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, period, now, {
          compare: query.compare === 'previous',
        }),
      );
    },
  )
  .post(
    '/:id/stages',
    apiDoc({
      summary: 'Add a stage',
      status: 201,
      errors: {
        stage_name_taken: { status: 409, when: 'the pipeline has a stage of that name.' },
        too_many_stages: { status: 409, when: 'the pipeline is full.' },
      },
    }),
    validate('param', idParam),
    validate('json', newStage),
    async (c) => c.json(await addStage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .put(
    '/:id/stages/order',
    apiDoc({ summary: 'Reorder all the stages' }),
    validate('param', idParam),
    validate('json', stageOrder),
    async (c) => c.json(await reorderStages(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json').stageIds)),
  )
  .patch(
    '/:id/stages/:stageId',
    apiDoc({
      summary: 'Rename, move or reconfigure a stage',
      errors: { stage_has_deals: { status: 409, when: 'changing the kind of a stage that holds deals.' } },
    }),
    validate('param', stageParams),
    validate('json', stagePatch),
    async (c) => {
      const { id: pipelineId, stageId } = c.req.valid('param');
      return c.json(await updateStage(serviceCtx(c), c.var.scope.workspaceId, pipelineId, stageId, c.req.valid('json')));
    },
  )
  .delete(
    '/:id/stages/:stageId',
    apiDoc({
      summary: 'Delete a stage',
      description: 'A stage that holds deals needs `moveTo` (and `lostReason` when that is the lost stage).',
      errors: { stage_has_deals: { status: 409, when: 'it holds deals and no `moveTo` was sent.' } },
    }),
    validate('param', stageParams),
    validate('query', stageRemoval),
    async (c) => {
      const { id: pipelineId, stageId } = c.req.valid('param');
      return c.json(
        await deleteStage(serviceCtx(c), c.var.scope.workspaceId, pipelineId, stageId, c.req.valid('query'), c.var.scope.user.id),
      );
    },
  );
