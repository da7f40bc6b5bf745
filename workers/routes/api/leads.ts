import { Hono } from 'hono';
import * as z from 'zod';
import { LEAD_SORTS } from '../../contract/leads';
import type { AppEnv } from '../../deps';
import { toCsv, csvCell } from '../../domain/csv';
import { badRequest } from '../../domain/errors';
import { FUNNEL_STAGES } from '../../domain/stages';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { getLeadDetail, JOURNEY_PAGE, leadJourney } from '../../services/lead-detail';
import { allLeads, LEAD_TABLE_CSV_HEADER, leadCsvRow, leadFacets, listLeads, listSubmissions, type LeadFilter } from '../../services/leads';
import { day, id, idParam, pageQuery } from '../schemas';

const DAY_MS = 24 * 60 * 60 * 1000;
const stage = z.enum(FUNNEL_STAGES);

/** The table's filters and sort, the same for the list and its CSV export. */
const leadTableQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Part of the email, name or company.'),
  funnel: id.optional().describe('The funnel the lead came from (id).'),
  stage: stage.optional().describe('Furthest stage is exactly this one.'),
  reached: stage.optional().describe('Furthest stage is this one or later.'),
  qualified: z.enum(['yes', 'no']).optional(),
  source: z.string().trim().max(100).optional().describe('First-touch UTM source; `(none)` for leads without one.'),
  from: day.optional().describe('Created on or after this UTC day.'),
  to: day.optional().describe('Created on or before this UTC day.'),
  sort: z.enum(LEAD_SORTS).default('created'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
const leadListQuery = leadTableQuery.extend({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const journeyQuery = z.object({
  before: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(JOURNEY_PAGE),
});

function filterOf(query: z.output<typeof leadTableQuery>): LeadFilter & Pick<typeof query, 'sort' | 'dir'> {
  const createdFrom = query.from ? Date.parse(`${query.from}T00:00:00Z`) : undefined;
  const createdBefore = query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY_MS : undefined;
  if (createdFrom !== undefined && createdBefore !== undefined && createdFrom >= createdBefore)
    throw badRequest('`from` must not be after `to`.', 'invalid_period');
  return {
    q: query.q || undefined,
    funnelId: query.funnel,
    stage: query.stage,
    reached: query.reached,
    qualified: query.qualified === undefined ? undefined : query.qualified === 'yes',
    source: query.source === '(none)' ? '' : query.source,
    createdFrom,
    createdBefore,
    sort: query.sort,
    dir: query.dir,
  };
}

const FILTERS_DOC =
  '`q` searches email, name and company; `funnel`, `stage` (furthest stage exactly) or `reached` (that stage or later), `qualified=yes|no`, `source` (first-touch UTM source, `(none)` for none) and `from`/`to` (created, UTC days, inclusive) narrow it; `sort=created|activity|score|email` with `dir=asc|desc`.';

export const leadRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'List leads (the leads table)',
      description: `${FILTERS_DOC} Paged by \`cursor\` (the previous page's \`nextCursor\`, with the same filters and sort).`,
      returns: '`{leads, nextCursor, total}`: `total` counts every matching lead, on the first page only.',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`.' } },
    }),
    validate('query', leadListQuery),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(
        await listLeads(c.var.deps.database.db, c.var.scope.workspaceId, { ...filterOf(query), cursor: query.cursor, limit: query.limit }),
      );
    },
  )
  .get(
    '/export.csv',
    apiDoc({
      summary: 'Download the leads table as CSV',
      description: `Exactly the leads the same query lists, in the same order, every page of them. ${FILTERS_DOC} Cells a spreadsheet would run as formulas are neutralised.`,
      produces: 'text/csv',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`.' } },
    }),
    validate('query', leadTableQuery),
    (c) => {
      const filter = filterOf(c.req.valid('query'));
      const { db } = c.var.deps.database;
      const pages = allLeads(db, c.var.scope.workspaceId, filter);
      const encoder = new TextEncoder();
      // Streamed a thousand rows at a time: 100k leads never sit in memory as one string.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(toCsv(LEAD_TABLE_CSV_HEADER, [])));
        },
        async pull(controller) {
          const next = await pages.next();
          if (next.done) return controller.close();
          const text = next.value.map((lead) => `${leadCsvRow(lead).map(csvCell).join(',')}\r\n`).join('');
          controller.enqueue(encoder.encode(text));
        },
        async cancel() {
          await pages.return(undefined);
        },
      });
      const today = new Date(c.var.deps.clock()).toISOString().slice(0, 10);
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="leads-${today}.csv"`,
        'cache-control': 'no-store',
      });
    },
  )
  .get(
    '/facets',
    apiDoc({
      summary: 'What the leads table’s filters can be set to, with counts',
      returns: '`{total, funnels, stages, sources, qualified}`.',
    }),
    async (c) => c.json(await leadFacets(c.var.deps.database.db, c.var.scope.workspaceId)),
  )
  .get(
    '/:id',
    apiDoc({
      summary: 'Get a lead: contact, score and why, touches, journey, submissions, consents, deals',
      returns:
        'The lead with `score.lines` (points per event, quiz outcome, answer, lead magnet), `firstTouch`/`lastTouch`, `funnels` (stages reached), `journey` (its latest 100 events, oldest first), `submissions` (quiz answers spelled out), `consents` (exact wording) and `deals`.',
    }),
    validate('param', idParam),
    async (c) => c.json(await getLeadDetail(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .get(
    '/:id/journey',
    apiDoc({
      summary: 'Page back through a lead’s journey',
      description: '`before` is a previous page’s `olderCursor`; each page is oldest first.',
      returns: '`{events, olderCursor}`.',
    }),
    validate('param', idParam),
    validate('query', journeyQuery),
    async (c) => c.json(await leadJourney(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('query'))),
  );

const submissionQuery = pageQuery.extend({ funnel: z.string().max(64).optional() });

export const submissionRoutes = new Hono<AppEnv>().get(
  '/',
  apiDoc({ summary: 'List form submissions', description: '`funnel` limits them to one funnel (id).' }),
  validate('query', submissionQuery),
  async (c) => {
    const query = c.req.valid('query');
    return c.json(await listSubmissions(c.var.deps.database.db, c.var.scope.workspaceId, { ...query, funnelId: query.funnel }));
  },
);
