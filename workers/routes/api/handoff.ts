import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { handoffReport } from '../../services/handoff';
import { id, periodQuery, reportPeriod } from '../schemas';

const handoffQuery = periodQuery.extend({ funnel: id.optional() });
const MAX_DAYS = 366;

/**
 * `GET /api/handoff?from=&to=&funnel=` — visitors → leads → qualified → deals → won, in total,
 * per funnel and per source. Days inclusive, UTC; the last 30 days by default.
 */
export const handoffRoutes = new Hono<AppEnv>().get(
  '/',
  apiDoc({
    summary: 'Funnel-to-pipeline handoff: visitors → leads → qualified → deals → won',
    description: 'In total, per funnel and per source. Days inclusive, UTC; the last 30 days by default.',
    errors: { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } },
  }),
  validate('query', handoffQuery),
  async (c) => {
    const query = c.req.valid('query');
    const period = reportPeriod(query, c.var.deps.clock(), MAX_DAYS);
    return c.json(await handoffReport(c.var.deps.database.db, c.var.scope.workspaceId, period, query.funnel));
  },
);
