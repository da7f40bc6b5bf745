import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { handoffDaily, handoffReport } from '../../services/handoff';
import { id, periodQuery, reportPeriod } from '../schemas';
import { sourceFilter } from './reports';

const filterQuery = periodQuery.extend({ funnel: id.optional(), source: sourceFilter });
const handoffQuery = filterQuery.extend({ compare: z.enum(['previous']).optional() });
const MAX_DAYS = 366;
const PERIOD_ERRORS = { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } };

/**
 * `GET /api/handoff?from=&to=&funnel=&source=&compare=previous` — visitors → leads → qualified →
 * deals → won, in total, per funnel and per source — and `GET /api/handoff/daily` (visitors,
 * leads, deals per day). Days inclusive, UTC; the last 30 days by default.
 */
export const handoffRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'Funnel-to-pipeline handoff: visitors → leads → qualified → deals → won',
      description:
        'In total, per funnel and per source; each step counts what happened in the period (not a cohort). `funnel=` one source funnel, `source=` one source (empty = direct / unknown), ' +
        '`compare=previous` adds `previous.totals` for the previous period of equal length. Days inclusive, UTC; the last 30 days by default.',
      errors: PERIOD_ERRORS,
    }),
    validate('query', handoffQuery),
    async (c) => {
      const query = c.req.valid('query');
      const period = reportPeriod(query, c.var.deps.clock(), MAX_DAYS);
      return c.json(
        await handoffReport(c.var.deps.database.db, c.var.scope.workspaceId, period, {
          funnelId: query.funnel,
          source: query.source,
          compare: query.compare === 'previous',
        }),
      );
    },
  )
  .get(
    '/daily',
    apiDoc({
      summary: 'Visitors, leads and deals created per day, with the previous period',
      description:
        'Every UTC day of the period (zeros included) and of the previous period of equal length: visitors who first arrived (reached awareness), leads created, deals created. ' +
        'Same `funnel=` and `source=` filters as the handoff. Days inclusive; the last 30 days by default.',
      errors: PERIOD_ERRORS,
    }),
    validate('query', filterQuery),
    async (c) => {
      const query = c.req.valid('query');
      const period = reportPeriod(query, c.var.deps.clock(), MAX_DAYS);
      return c.json(
        await handoffDaily(c.var.deps.database.db, c.var.scope.workspaceId, period, { funnelId: query.funnel, source: query.source }),
      );
    },
  );
