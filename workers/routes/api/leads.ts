import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { readParams, readQuery } from '../../middleware/validate';
import { getLead, listLeads, listSubmissions } from '../../services/leads';

const pageQuery = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const idParam = z.object({ id: z.string().min(1).max(64) });

export const leadRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await listLeads(c.var.deps.database.db, c.var.scope.workspaceId, readQuery(c, pageQuery))))
  .get('/:id', async (c) => c.json(await getLead(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)));

export const submissionRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const query = readQuery(c, pageQuery.extend({ funnel: z.string().max(64).optional() }));
  return c.json(await listSubmissions(c.var.deps.database.db, c.var.scope.workspaceId, { ...query, funnelId: query.funnel }));
});
