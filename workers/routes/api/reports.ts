import { Hono } from 'hono';
import * as z from 'zod';
import { badRequest } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { readParams, readQuery } from '../../middleware/validate';
import { funnelReport, last30Days } from '../../services/funnel-report';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Not a date.');
const reportQuery = z.object({ from: day.optional(), to: day.optional() });
const MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `GET /api/funnels/:id/report?from=&to=` — days inclusive, UTC; the last 30 days by default. */
export const reportRoutes = new Hono<AppEnv>().get('/:id/report', async (c) => {
  const { id } = readParams(c, z.object({ id: z.string().min(1).max(64) }));
  const query = readQuery(c, reportQuery);
  const to = query.to ?? last30Days(c.var.deps.clock()).to;
  const from = query.from ?? last30Days(Date.parse(`${to}T00:00:00Z`)).from;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw badRequest('`from` must not be after `to`.', 'invalid_period');
  if (days > MAX_DAYS) throw badRequest(`A report covers at most ${MAX_DAYS} days.`, 'invalid_period');
  return c.json(await funnelReport(c.var.deps.database.db, c.var.scope.workspaceId, id, { from, to }));
});
