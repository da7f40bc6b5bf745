import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { readParams } from '../../middleware/validate';
import { getPipelineWithDeals, listPipelines } from '../../services/pipelines';

const idParam = z.object({ id: z.string().min(1).max(64) });

export const pipelineRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ pipelines: await listPipelines(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .get('/:id', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await getPipelineWithDeals(c.var.deps.database.db, c.var.scope.workspaceId, id));
  });
