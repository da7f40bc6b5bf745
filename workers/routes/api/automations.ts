import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { readJson, readParams } from '../../middleware/validate';
import { automationPatchSchema, getAutomations, runPipelineAutomations, saveAutomations } from '../../services/automations';
import { serviceCtx } from '../service-context';

const idParam = z.object({ id: z.string().min(1).max(64) });

/**
 * B2C automations of a pipeline (`/api/pipelines/:id/automations`):
 * - `GET`: the stored configuration (null until saved), the one suggested from the pipeline's
 *   stages, and the latest steps the automations took;
 * - `PUT`: a change, merged into the stored (or suggested) configuration — `{ "enabled": true }`
 *   turns the article's automations on; every stage must be in the pipeline with the right kind;
 * - `POST …/run`: runs them now instead of waiting for the scheduler (same idempotent steps).
 * Viewers read only (workspace scope); another workspace's pipeline is a 404.
 */
export const automationRoutes = new Hono<AppEnv>()
  .get('/:id/automations', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await getAutomations(c.var.deps.database.db, c.var.scope.workspaceId, id));
  })
  .put('/:id/automations', async (c) => {
    const { id } = readParams(c, idParam);
    const patch = await readJson(c, automationPatchSchema);
    return c.json({ automations: await saveAutomations(serviceCtx(c), c.var.scope.workspaceId, id, patch) });
  })
  .post('/:id/automations/run', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json({ run: await runPipelineAutomations(serviceCtx(c), c.var.scope.workspaceId, id) });
  });
