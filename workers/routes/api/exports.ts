import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { STAGE_KINDS } from '../../domain/stage-kinds';
import type { AppEnv } from '../../deps';
import { toCsv } from '../../domain/csv';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { boardForExport, dealsForExport } from '../../services/exports';
import { LEAD_CSV_HEADER, leadsForExport } from '../../services/leads';
import { id, idParam } from '../schemas';

const leadQuery = z.object({ q: z.string().trim().max(200).optional() });
const dealQuery = z.object({
  pipeline: id.optional(),
  status: z.enum(STAGE_KINDS).optional(),
});

/** A file name part from a user's name for something: ASCII letters, digits and dashes. */
function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'pipeline';
}

/** A CSV download: formula-safe cells (toCsv), the date in the file name, never cached. */
function csvDownload(c: Context<AppEnv>, name: string, header: string[], rows: unknown[][]) {
  const day = new Date(c.var.deps.clock()).toISOString().slice(0, 10);
  return c.body(toCsv(header, rows), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${name}-${day}.csv"`,
    'cache-control': 'no-store',
  });
}

/**
 * Spreadsheet exports: `/api/exports/leads?q=`, `/api/exports/deals?pipeline=&status=open|won|lost`
 * (the import's columns, so a file round-trips), `/api/exports/pipelines/:id/board` (one row per
 * deal in board order, with stage probability and weighted value).
 */
export const exportRoutes = new Hono<AppEnv>()
  .get('/leads', apiDoc({ summary: 'Download leads as CSV', produces: 'text/csv' }), validate('query', leadQuery), async (c) => {
    const { q } = c.req.valid('query');
    const rows = await leadsForExport(c.var.deps.database.db, c.var.scope.workspaceId, q);
    return csvDownload(c, 'leads', LEAD_CSV_HEADER, rows);
  })
  .get(
    '/deals',
    apiDoc({ summary: 'Download deals as CSV (the import’s columns)', produces: 'text/csv' }),
    validate('query', dealQuery),
    async (c) => {
      const { pipeline, status } = c.req.valid('query');
      const result = await dealsForExport(c.var.deps.database.db, c.var.scope.workspaceId, { pipelineId: pipeline, status });
      const name = ['deals', result.pipeline && slug(result.pipeline.name), status].filter(Boolean).join('-');
      return csvDownload(c, name, result.header, result.rows);
    },
  )
  .get(
    '/pipelines/:id/board',
    apiDoc({ summary: 'Download a board as CSV, one row per deal in board order', produces: 'text/csv' }),
    validate('param', idParam),
    async (c) => {
      const board = await boardForExport(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.var.deps.clock());
      return csvDownload(c, `${slug(board.pipeline.name)}-board`, board.header, board.rows);
    },
  );
