import { Hono } from 'hono';
import * as z from 'zod';
import { toCsv } from '../../domain/csv';
import { badRequest } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { requireRole } from '../../middleware/auth';
import { validate } from '../../middleware/validate';
import {
  AUDIT_CSV_HEADER,
  AUDIT_EXPORT_MAX_ROWS,
  auditEntriesForExport,
  listAuditEntries,
  type AuditFilter,
} from '../../services/audit-log';
import { id } from '../schemas';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day (`2026-11-01`, UTC, the whole day) or an exact ISO time with its offset, as the app sends the member's local midnight. */
const instant = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01 or an ISO time.'),
  z.iso.datetime({ offset: true, message: 'Use a date like 2026-11-01 or an ISO time.' }),
]);

const filterShape = {
  actor: id
    .optional()
    .describe('A member’s user id: only what they did.')
    .meta({ examples: ['01JD3Q8Y4T7ZB0V5N2W6X9K1MA'] }),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)?$/, 'Use an action like deal.move or a group like deal.')
    .optional()
    .describe('A whole action (`deal.move`) or a group (`deal` = every `deal.*`).')
    .meta({ examples: ['deal', 'funnel.update'] }),
  objectType: z
    .string()
    .max(40)
    .regex(/^[a-z][a-z_]*$/, 'Use an object type like deal.')
    .optional()
    .describe('Only changes to this kind of object.')
    .meta({ examples: ['funnel'] }),
  objectId: id
    .optional()
    .describe('Only changes to this object.')
    .meta({ examples: ['01JD3Q8Y4T7ZB0V5N2W6X9K1MB'] }),
  from: instant
    .optional()
    .describe('Oldest time included: a UTC day (its start) or an ISO time.')
    .meta({ examples: ['2026-11-01', '2026-11-01T00:00:00+01:00'] }),
  to: instant
    .optional()
    .describe('Newest time included: a UTC day (its end) or an ISO time.')
    .meta({ examples: ['2026-11-30'] }),
};

const listQuery = z.object({
  ...filterShape,
  cursor: z.string().max(100).optional().describe('The previous page’s `nextCursor`.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const exportQuery = z.object(filterShape);

function toFilter(query: z.output<typeof exportQuery>): AuditFilter {
  const edge = (value: string | undefined, end: boolean) => {
    if (!value) return undefined;
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = Date.parse(dayOnly ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(at)) throw badRequest(`Not a date: ${value}.`, 'invalid_period');
    return dayOnly && end ? at + DAY_MS - 1 : at;
  };
  const from = edge(query.from, false);
  const to = edge(query.to, true);
  if (from !== undefined && to !== undefined && from > to) throw badRequest('`from` must not be after `to`.', 'invalid_period');
  return { actor: query.actor, action: query.action, objectType: query.objectType, objectId: query.objectId, from, to };
}

const EXAMPLE_ENTRY = {
  id: '01JD3Q8Y4T7ZB0V5N2W6X9K1MC',
  createdAt: 1795780800000,
  action: 'funnel.update',
  objectType: 'funnel',
  objectId: '01JD3Q8Y4T7ZB0V5N2W6X9K1MB',
  summary: 'fields: name',
  actor: { kind: 'member', userId: '01JD3Q8Y4T7ZB0V5N2W6X9K1MA', name: 'Ava Smith', apiKeyId: null, apiKeyName: null },
  ipHash: '3f0c9a1e5b7d2c4a8e6f1b3d5a7c9e0f',
  device: 'Chrome on macOS',
};

const PERIOD_ERROR = { invalid_period: { status: 400, when: '`from` is after `to`.' } };

/**
 * The workspace's audit log, for owners: every admin change (who, what, which object, when, from
 * which IP hash), newest first, filtered, paged by cursor, and as a CSV download.
 */
export const auditRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'The audit log: who changed what, newest first',
      description:
        'Every successful admin change (API and app), sign-ins and sign-outs, locked accounts and API-key use. Entries are never changed or deleted. Filters combine; `from`/`to` are inclusive.',
      returns: `\`{ entries: [...], nextCursor }\`, e.g. \`${JSON.stringify({ entries: [EXAMPLE_ENTRY], nextCursor: null })}\`.`,
      errors: PERIOD_ERROR,
    }),
    requireRole('owner'),
    validate('query', listQuery),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listAuditEntries(c.var.deps.database.db, c.var.scope.workspaceId, toFilter(query), query.cursor, query.limit));
    },
  )
  .get(
    '/export',
    apiDoc({
      summary: 'Download the filtered audit log as CSV',
      description: `The same filters as the list, newest first, at most ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('en')} rows (narrow the dates for older ones). Cells are formula-safe.`,
      produces: 'text/csv',
      errors: PERIOD_ERROR,
    }),
    requireRole('owner'),
    validate('query', exportQuery),
    async (c) => {
      const rows = await auditEntriesForExport(c.var.deps.database.db, c.var.scope.workspaceId, toFilter(c.req.valid('query')));
      const day = new Date(c.var.deps.clock()).toISOString().slice(0, 10);
      return c.body(toCsv(AUDIT_CSV_HEADER, rows), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-log-${day}.csv"`,
        'cache-control': 'no-store',
      });
    },
  );
