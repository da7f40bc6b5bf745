import { Hono } from 'hono';
import * as z from 'zod';
import { pageContentSchema, pageSlugSchema } from '../../domain/blocks';
import { EVENT_TYPES, FUNNEL_STAGES } from '../../domain/stages';
import { scoringConfigSchema } from '../../domain/scoring';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { idParam } from '../schemas';
import { serviceCtx } from '../service-context';
import {
  createFunnel,
  createPage,
  deleteFunnel,
  deletePage,
  getFunnel,
  getPage,
  listFunnels,
  PAGE_KINDS,
  publishPage,
  unpublishPage,
  updateFunnel,
  updatePage,
} from '../../services/funnels';

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Use a host name like offers.example.com.');
const stageName = z.enum(FUNNEL_STAGES);
/** The funnel's own event→stage mapping, e.g. `{"pages": {"pricing": "desire"}}` (views of the pricing page count as desire). */
const stageOverridesSchema = z.object({
  events: z.partialRecord(z.enum(EVENT_TYPES), stageName.nullable()).optional(),
  pages: z.record(pageSlugSchema, stageName).optional(),
});
const funnelFields = {
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  slug: pageSlugSchema,
  customDomain: hostname.nullable().optional(),
};
const funnelSchema = z
  .object({
    ...funnelFields,
    // `scoring` is edited through /api/funnels/:id/scoring; accepted here so a settings round trip keeps it.
    settings: z.object({ stages: stageOverridesSchema.optional(), scoring: scoringConfigSchema.optional() }).optional(),
  })
  .meta({ examples: [{ name: 'Spring sale', slug: 'spring-sale' }] });
/** A PATCH merges settings key by key; a key sent as null goes back to the defaults. */
const funnelPatchSchema = z
  .object(funnelFields)
  .partial()
  .extend({
    settings: z
      .object({ stages: stageOverridesSchema.nullable().optional(), scoring: scoringConfigSchema.nullable().optional() })
      .optional(),
  })
  .meta({ examples: [{ customDomain: 'offers.example.com', settings: { stages: { pages: { offer: 'desire' } } } }] });
const pageSchema = z.object({
  slug: pageSlugSchema,
  name: z.string().trim().min(1, 'Enter a name.').max(120),
  kind: z.enum(PAGE_KINDS).default('custom'),
  content: pageContentSchema,
  position: z.number().int().min(0).max(1000).optional(),
});
const PAGE_EXAMPLE = {
  slug: 'offer',
  name: 'Offer',
  kind: 'custom',
  content: {
    settings: {
      title: 'The cosmetics set',
      noindex: false,
      theme: { primary: '#9d174d', background: '#fffaf8', text: '#1c1f26', fontStack: 'system' },
    },
    blocks: [{ id: 'hero', type: 'hero', headline: 'Glow in five minutes a day' }],
  },
};
const newPageSchema = pageSchema.meta({ examples: [PAGE_EXAMPLE] });
const pagePatchSchema = pageSchema.partial().meta({ examples: [{ name: 'Special offer' }] });

/** Funnels, their pages (blocks validated by the one block schema), publish and unpublish. */
export const funnelRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'List funnels', returns: '`{funnels}` with their pages.' }), async (c) =>
    c.json({ funnels: await listFunnels(c.var.deps.database.db, c.var.scope.workspaceId) }),
  )
  .post(
    '/',
    apiDoc({
      summary: 'Create a funnel',
      status: 201,
      errors: { already_exists: { status: 409, when: 'another funnel has this slug or custom domain.' } },
    }),
    validate('json', funnelSchema),
    async (c) => c.json(await createFunnel(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('json')), 201),
  )
  .get('/:id', apiDoc({ summary: 'Get a funnel with its pages' }), validate('param', idParam), async (c) =>
    c.json(await getFunnel(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .patch(
    '/:id',
    apiDoc({ summary: 'Edit a funnel', description: 'Settings merge key by key; a key sent as null goes back to the defaults.' }),
    validate('param', idParam),
    validate('json', funnelPatchSchema),
    async (c) => c.json(await updateFunnel(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id', apiDoc({ summary: 'Delete a funnel and its pages', status: 204 }), validate('param', idParam), async (c) => {
    await deleteFunnel(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .post(
    '/:id/pages',
    apiDoc({ summary: 'Add a page to a funnel', status: 201 }),
    validate('param', idParam),
    validate('json', newPageSchema),
    async (c) => c.json(await createPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json')), 201),
  );

export const pageRoutes = new Hono<AppEnv>()
  .get('/:id', apiDoc({ summary: 'Get a page (draft content and published version)' }), validate('param', idParam), async (c) =>
    c.json(await getPage(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .patch('/:id', apiDoc({ summary: 'Edit a page draft' }), validate('param', idParam), validate('json', pagePatchSchema), async (c) =>
    c.json(await updatePage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete('/:id', apiDoc({ summary: 'Delete a page', status: 204 }), validate('param', idParam), async (c) => {
    await deletePage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .post('/:id/publish', apiDoc({ summary: 'Publish the draft as a new version', status: 201 }), validate('param', idParam), async (c) =>
    c.json(await publishPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.var.scope.user.id), 201),
  )
  .post(
    '/:id/unpublish',
    apiDoc({ summary: 'Unpublish a page (visitors get 410)', status: 204 }),
    validate('param', idParam),
    async (c) => {
      await unpublishPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
