import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { automationPatchSchema } from '../../domain/automations';
import { getAutomations, runPipelineAutomations, saveAutomations } from '../../services/automations';
import { serviceCtx } from '../service-context';
import { idParam } from '../schemas';

/**
 * B2C automations of a pipeline (`/api/pipelines/:id/automations`):
 * - `GET`: the stored configuration (null until saved), the one suggested from the pipeline's
 *   stages, and the latest steps the automations took;
 * - `PUT`: a change, merged into the stored (or suggested) configuration — `{ "enabled": true }`
 *   turns the article's automations on; every stage must be in the pipeline with the right kind;
 * - `POST …/run`: runs them now instead of waiting for the scheduler (same idempotent steps).
 * Viewers read only (workspace scope); another workspace's pipeline is a 404.
 */
const automationPatch = automationPatchSchema.meta({ examples: [{ enabled: true }] });

export const automationRoutes = new Hono<AppEnv>()
  .get(
    '/:id/automations',
    apiDoc({ summary: 'A pipeline’s B2C automations: stored, suggested, latest steps' }),
    validate('param', idParam),
    async (c) => c.json(await getAutomations(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .put(
    '/:id/automations',
    apiDoc({ summary: 'Change the automations (merged into the stored or suggested ones)' }),
    validate('param', idParam),
    validate('json', automationPatch),
    async (c) =>
      c.json({ automations: await saveAutomations(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json')) }),
  )
  .post('/:id/automations/run', apiDoc({ summary: 'Run the automations now' }), validate('param', idParam), async (c) =>
    c.json({ run: await runPipelineAutomations(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id) }),
  );
