import { Hono } from 'hono';
import * as z from 'zod';
import { pageContentSchema, pageSlugSchema } from '../../domain/blocks';
import { EVENT_TYPES, FUNNEL_STAGES } from '../../domain/stages';
import { scoringConfigSchema } from '../../domain/scoring';
import type { AppEnv } from '../../deps';
import { readJson, readParams } from '../../middleware/validate';
import {
  createFunnel,
  createPage,
  deleteFunnel,
  deletePage,
  getFunnel,
  getPage,
  listFunnels,
  PAGE_KINDS,
  publishPage,
  unpublishPage,
  updateFunnel,
  updatePage,
} from '../../services/funnels';
import { serviceCtx } from '../service-context';

const idParam = z.object({ id: z.string().min(1).max(64) });
const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Use a host name like offers.example.com.');
const stageName = z.enum(FUNNEL_STAGES);
/** The funnel's own event→stage mapping, e.g. `{"pages": {"pricing": "desire"}}` (views of the pricing page count as desire). */
const stageOverridesSchema = z.object({
  events: z.partialRecord(z.enum(EVENT_TYPES), stageName.nullable()).optional(),
  pages: z.record(pageSlugSchema, stageName).optional(),
});
const funnelSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  slug: pageSlugSchema,
  customDomain: hostname.nullable().optional(),
  // `scoring` is edited through /api/funnels/:id/scoring; accepted here so a settings round trip keeps it.
  settings: z.object({ stages: stageOverridesSchema.optional(), scoring: scoringConfigSchema.optional() }).optional(),
});
/** A PATCH merges settings key by key; a key sent as null goes back to the defaults. */
const funnelPatchSchema = funnelSchema.partial().extend({
  settings: z.object({ stages: stageOverridesSchema.nullable().optional(), scoring: scoringConfigSchema.nullable().optional() }).optional(),
});
const pageSchema = z.object({
  slug: pageSlugSchema,
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  kind: z.enum(PAGE_KINDS).default('custom'),
  content: pageContentSchema,
  position: z.number().int().min(0).max(1000).optional(),
});

/** Funnels, their pages (blocks validated by the one block schema), publish and unpublish. */
export const funnelRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ funnels: await listFunnels(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .post('/', async (c) => c.json(await createFunnel(serviceCtx(c), c.var.scope.workspaceId, await readJson(c, funnelSchema)), 201))
  .get('/:id', async (c) => c.json(await getFunnel(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)))
  .patch('/:id', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await updateFunnel(serviceCtx(c), c.var.scope.workspaceId, id, await readJson(c, funnelPatchSchema)));
  })
  .delete('/:id', async (c) => {
    await deleteFunnel(serviceCtx(c), c.var.scope.workspaceId, readParams(c, idParam).id);
    return c.body(null, 204);
  })
  .post('/:id/pages', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await createPage(serviceCtx(c), c.var.scope.workspaceId, id, await readJson(c, pageSchema)), 201);
  });

export const pageRoutes = new Hono<AppEnv>()
  .get('/:id', async (c) => c.json(await getPage(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)))
  .patch('/:id', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await updatePage(serviceCtx(c), c.var.scope.workspaceId, id, await readJson(c, pageSchema.partial())));
  })
  .delete('/:id', async (c) => {
    await deletePage(serviceCtx(c), c.var.scope.workspaceId, readParams(c, idParam).id);
    return c.body(null, 204);
  })
  .post('/:id/publish', async (c) => {
    const { id } = readParams(c, idParam);
    return c.json(await publishPage(serviceCtx(c), c.var.scope.workspaceId, id, c.var.scope.user.id), 201);
  })
  .post('/:id/unpublish', async (c) => {
    await unpublishPage(serviceCtx(c), c.var.scope.workspaceId, readParams(c, idParam).id);
    return c.body(null, 204);
  });
