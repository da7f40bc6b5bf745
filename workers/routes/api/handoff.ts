import { Hono } from 'hono';
import * as z from 'zod';
import { badRequest } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { readQuery } from '../../middleware/validate';
import { last30Days } from '../../services/funnel-report';
import { handoffReport } from '../../services/handoff';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Not a date.');
const handoffQuery = z.object({ from: day.optional(), to: day.optional(), funnel: z.string().min(1).max(64).optional() });
const MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `GET /api/handoff?from=&to=&funnel=` — visitors → leads → qualified → deals → won, in total,
 * per funnel and per source. Days inclusive, UTC; the last 30 days by default.
 */
export const handoffRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const query = readQuery(c, handoffQuery);
  const to = query.to ?? last30Days(c.var.deps.clock()).to;
  const from = query.from ?? last30Days(Date.parse(`${to}T00:00:00Z`)).from;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw badRequest('`from` must not be after `to`.', 'invalid_period');
  if (days > MAX_DAYS) throw badRequest(`A report covers at most ${MAX_DAYS} days.`, 'invalid_period');
  return c.json(await handoffReport(c.var.deps.database.db, c.var.scope.workspaceId, { from, to }, query.funnel));
});
