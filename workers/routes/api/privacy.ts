import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { eraseLead, exportLead } from '../../services/lead-privacy';
import { workspaceArchive } from '../../services/workspace-export';
import { idParam } from '../schemas';
import { serviceCtx } from '../service-context';

const eraseSchema = z
  .object({
    confirm: z
      .string()
      .trim()
      .min(1, 'Type the lead’s email address or the word ERASE.')
      .max(320)
      .describe('The lead’s email address (any case) or the word `ERASE`.'),
  })
  .meta({ examples: [{ confirm: 'ERASE' }, { confirm: 'ivy@shop.example' }] });

const today = (now: number) => new Date(now).toISOString().slice(0, 10);

/** A lead's data export and erasure (mounted under /leads). */
export const leadPrivacyRoutes = new Hono<AppEnv>()
  .get(
    '/:id/export',
    apiDoc({
      summary: 'Download everything held about a lead (JSON)',
      description:
        'For a data subject’s access request: the lead row, its visitors, submissions, consents, every event of its journey, its funnel stages, its deals with their activities and stage history, webhook deliveries that mention it, and its erasures. Sent as a download (`Content-Disposition: attachment`).',
      returns: 'A `LeadExport` document (`format: "leadflare.lead-export"`, `version: 1`).',
    }),
    validate('param', idParam),
    async (c) => {
      const { id } = c.req.valid('param');
      const now = c.var.deps.clock();
      const data = await exportLead(c.var.deps.database.db, c.var.scope.workspaceId, id, now);
      c.header('content-disposition', `attachment; filename="lead-${id}-${today(now)}.json"`);
      c.header('cache-control', 'no-store');
      return c.json(data);
    },
  )
  .post(
    '/:id/erase',
    apiDoc({
      summary: 'Erase a lead’s personal data',
      description:
        'Replaces the lead’s email, name, phone and everything they typed — in the lead, its submissions, consents (the wording’s SHA-256 and the time stay as proof), its events, the deals made from it and their activities, and webhook deliveries — keeping every row, so funnel counts and reports do not change. Recorded without the personal data. Owners only; erasing an erased lead again returns the first erasure.',
      returns: '`{id, leadId, erasedBy, erasedAt, counts, alreadyErased}`: `counts` is the rows changed per table.',
      errors: { confirmation_mismatch: { status: 400, when: '`confirm` is neither the lead’s email nor `ERASE`.' } },
    }),
    requireRole('owner'),
    validate('param', idParam),
    validate('json', eraseSchema),
    async (c) => {
      const erasure = await eraseLead(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, {
        userId: c.var.scope.user.id,
        confirm: c.req.valid('json').confirm,
      });
      return c.json(erasure);
    },
  );

/** The whole workspace as one archive (mounted under /workspace). */
export const workspaceExportRoutes = new Hono<AppEnv>().get(
  '/export',
  apiDoc({
    summary: 'Download the whole workspace (ZIP of JSON and CSV)',
    description:
      'One ZIP archive with a JSON and a CSV file per resource (funnels, pages, leads, submissions, consents, deals, pipelines, stages, activities, events, rollups…), streamed as it is written. CSV cells a spreadsheet would run as formulas are neutralised. Owners only.',
    produces: 'application/zip',
  }),
  requireRole('owner'),
  async (c) => {
    const now = c.var.deps.clock();
    const body = workspaceArchive(c.var.deps.database.db, c.var.scope.workspaceId, now);
    return c.body(body, 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="leadflare-workspace-${today(now)}.zip"`,
      'cache-control': 'no-store',
    });
  },
);
