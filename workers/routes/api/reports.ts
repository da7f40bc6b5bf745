import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { funnelListStats, funnelReport, funnelSections } from '../../services/funnel-report';
import { idParam, periodQuery, reportPeriod } from '../schemas';

const MAX_DAYS = 366;
const PERIOD_ERRORS = { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } };

/** One first-touch UTM source (`source=` empty for direct / unknown visits); every source when absent. */
export const sourceFilter = z.string().trim().max(200).optional();
const oneFunnelQuery = periodQuery.extend({ source: sourceFilter });

/**
 * `GET /api/funnels/stats`, `GET /api/funnels/:id/report` and `GET /api/funnels/:id/sections`
 * (`?from=&to=&source=`) — days inclusive, UTC; the last 30 days by default. Mounted before the
 * funnel routes, so `stats` is not taken for an id.
 */
export const reportRoutes = new Hono<AppEnv>()
  .get(
    '/stats',
    apiDoc({
      summary: 'Visitors, leads and conversion of every funnel',
      description:
        'For the funnel list: per funnel, visitors who viewed a page, leads it brought in (created in the period) and leads ÷ visitors. Days inclusive, UTC; the last 30 days by default.',
      errors: PERIOD_ERRORS,
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
      summary: 'The funnel report: visitors per stage, conversion, time between stages, sources',
      description:
        'Per stage: visitors who first reached it in the period (each visitor once per stage), conversion from the previous stage and from the top, drop-off, and the same count for the previous period of equal length. ' +
        '`medianMsFromPrevious` is APPROXIMATE: the median time from the previous stage read from log-scale duration buckets, within ±9 %; the true median lies in `medianRangeMs` (lowMs ≤ median < highMs). ' +
        'A value of 0 with the range 0–1000 means "under a second". With `source=`, only visitors of that first-touch source (empty = direct); medians are then null (durations are rolled up per funnel). ' +
        'TOFU / MOFU / BOFU as people: `GET /api/funnels/:id/sections`. Days inclusive, UTC; the last 30 days by default.',
      errors: PERIOD_ERRORS,
    }),
    validate('param', idParam),
    validate('query', oneFunnelQuery),
    async (c) => {
      const query = c.req.valid('query');
      const period = reportPeriod(query, c.var.deps.clock(), MAX_DAYS);
      return c.json(await funnelReport(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, period, query.source));
    },
  )
  .get(
    '/:id/sections',
    apiDoc({
      summary: 'TOFU / MOFU / BOFU as people: reached and currently in each section',
      description:
        'Of the visitors who first arrived (reached awareness) in the period: `reached` = how many got at least to the section (furthest stage ≥ its first stage), ' +
        '`current` = how many are in it now (furthest stage inside it: TOFU awareness; MOFU interest, evaluation; BOFU desire, sale, retention). ' +
        'Each visitor counts once, so MOFU never exceeds TOFU and the `current` figures add up to TOFU.reached; `previous` is the same for the visitors who arrived in the previous period of equal length. ' +
        'These are not sums of stage counts. Optional `source=` (empty = direct). Days inclusive, UTC; the last 30 days by default.',
      errors: PERIOD_ERRORS,
    }),
    validate('param', idParam),
    validate('query', oneFunnelQuery),
    async (c) => {
      const query = c.req.valid('query');
      const period = reportPeriod(query, c.var.deps.clock(), MAX_DAYS);
      return c.json(await funnelSections(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, period, query.source));
    },
  );
