import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { funnelListStats, funnelReport } from '../../services/funnel-report';
import { idParam, periodQuery, reportPeriod } from '../schemas';

const MAX_DAYS = 366;

/**
 * `GET /api/funnels/stats` and `GET /api/funnels/:id/report?from=&to=` — days inclusive, UTC; the
 * last 30 days by default. Mounted before the funnel routes, so `stats` is not taken for an id.
 */
export const reportRoutes = new Hono<AppEnv>()
  .get(
    '/stats',
    apiDoc({
      summary: 'Visitors, leads and conversion of every funnel',
      description:
        'For the funnel list: per funnel, visitors who viewed a page, leads it brought in (created in the period) and leads ÷ visitors. Days inclusive, UTC; the last 30 days by default.',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } },
    }),
    validate('query', periodQuery),
    async (c) => {
      const period = reportPeriod(c.req.valid('query'), c.var.deps.clock(), MAX_DAYS);
      return c.json(await funnelListStats(c.var.deps.database.db, c.var.scope.workspaceId, period));
    },
  )
  .get(
    '/:id/report',
    apiDoc({
      summary: 'The funnel report: visitors per stage, conversion, sources, pages',
      description: 'Days inclusive, UTC; the last 30 days by default.',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } },
    }),
    validate('param', idParam),
    validate('query', periodQuery),
    async (c) => {
      const period = reportPeriod(c.req.valid('query'), c.var.deps.clock(), MAX_DAYS);
      return c.json(await funnelReport(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, period));
    },
  );
