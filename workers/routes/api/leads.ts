import { Hono } from 'hono';
import * as z from 'zod';
import { toCsv } from '../../domain/csv';
import type { AppEnv } from '../../deps';
import { readParams, readQuery } from '../../middleware/validate';
import { getLead, LEAD_CSV_HEADER, leadsForExport, listLeads, listSubmissions } from '../../services/leads';

const pageQuery = z.object({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const idParam = z.object({ id: z.string().min(1).max(64) });

export const leadRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await listLeads(c.var.deps.database.db, c.var.scope.workspaceId, readQuery(c, pageQuery))))
  .get('/:id', async (c) => c.json(await getLead(c.var.deps.database.db, c.var.scope.workspaceId, readParams(c, idParam).id)));

/** Spreadsheet exports: `/api/exports/leads` (more kinds join as the pipeline grows). */
export const exportRoutes = new Hono<AppEnv>()
  .get('/leads', async (c) => {
    const { q } = readQuery(c, pageQuery);
    const rows = await leadsForExport(c.var.deps.database.db, c.var.scope.workspaceId, q);
    const day = new Date(c.var.deps.clock()).toISOString().slice(0, 10);
    return c.body(toCsv(LEAD_CSV_HEADER, rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="leads-${day}.csv"`,
      'cache-control': 'no-store',
    });
  });

export const submissionRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const query = readQuery(c, pageQuery.extend({ funnel: z.string().max(64).optional() }));
  return c.json(await listSubmissions(c.var.deps.database.db, c.var.scope.workspaceId, { ...query, funnelId: query.funnel }));
});
