import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { getLead, listLeads, listSubmissions } from '../../services/leads';
import { idParam, pageQuery } from '../schemas';

export const leadRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({ summary: 'List leads', description: '`q` searches email and name.', returns: '`{leads, nextCursor}`, newest first.' }),
    validate('query', pageQuery),
    async (c) => c.json(await listLeads(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('query'))),
  )
  .get('/:id', apiDoc({ summary: 'Get a lead with its submissions and consents' }), validate('param', idParam), async (c) =>
    c.json(await getLead(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
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
