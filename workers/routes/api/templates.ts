import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { pageSlugSchema } from '../../domain/blocks';
import { notFound } from '../../domain/errors';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { contentSecurityPolicy } from '../../../pages-ui/landing/render-page';
import { renderTemplateSample } from '../../../pages-ui/landing/template-sample';
import { createFunnelFromTemplate, getTemplate, listTemplates, requireTemplate, templatePreviewUrl } from '../../services/templates';
import { id } from '../schemas';
import { serviceCtx } from '../service-context';

const templateParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'Not a template id.') });
const previewQuery = z.object({ page: pageSlugSchema.optional() });
const fromTemplateSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'Enter a name.').max(120),
    slug: pageSlugSchema,
    /** The pipeline the template's qualification rule sends deals to; by default one that fits, or a new one. */
    pipelineId: id.optional(),
    /** Publish every page at once instead of leaving drafts to edit. */
    publish: z.boolean().default(false),
  })
  .meta({ examples: [{ name: 'Coffee match quiz', slug: 'coffee-quiz' }] });

/** A page that says nothing was sent, for forms posted inside a template preview. */
const PREVIEW_POST_PAGE = (back: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Template preview</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1c1f26}</style></head><body><main><h1>Nothing was sent</h1><p>This is a preview of a template: its forms store nothing. Create a funnel from it to collect leads.</p><p><a href="${back}">Back to the preview</a></p></main></body></html>`;

/**
 * The template gallery: list, one template in full, its pages rendered by the landing-page
 * renderer (thumbnails and click-through previews), and a funnel created from one.
 */
export const templateRoutes = new Hono<AppEnv>()
  .get(
    '/',
    apiDoc({
      summary: 'List funnel templates',
      returns: '`{templates}`: id, name, goal, description, pages (with stage and preview URL), qualification summary and `thumbnailUrl`.',
    }),
    async (c) => c.json({ templates: await listTemplates(c.var.deps.templates) }),
  )
  .get(
    '/:id',
    apiDoc({ summary: 'Get a template in full', returns: '`{template}` with every page’s content, the scoring config and the rule.' }),
    validate('param', templateParams),
    async (c) => c.json({ template: await getTemplate(c.var.deps.templates, c.req.valid('param').id, c.var.deps.clock()) }),
  )
  .get(
    '/:id/preview',
    apiDoc({
      summary: 'Render a template page (thumbnail / preview)',
      description:
        'The page as visitors of a funnel made from the template would see it: the published-page renderer, its Content-Security-Policy, no tracker, `noindex`. The first page without `page`. Links lead to the other pages of the preview; forms post to the preview and store nothing.',
      returns: 'The page as HTML.',
      produces: 'text/html',
    }),
    validate('param', templateParams),
    validate('query', previewQuery),
    async (c) => {
      const template = await getTemplate(c.var.deps.templates, c.req.valid('param').id, c.var.deps.clock());
      const slug = c.req.valid('query').page ?? template.pages[0]!.slug;
      const page = template.pages.find((p) => p.slug === slug);
      if (!page) throw notFound('Template page');
      const url = (pageSlug: string) => templatePreviewUrl(template.id, pageSlug === template.pages[0]!.slug ? undefined : pageSlug);
      const html = renderTemplateSample(template.pages, slug, template.suggestedSlug, url, c.var.deps.clock());
      return c.html(html, 200, {
        'content-security-policy': contentSecurityPolicy(page.content),
        'cache-control': 'private, max-age=300',
        'x-robots-tag': 'noindex',
      });
    },
  )
  .post(
    '/:id/preview',
    apiDoc({
      summary: 'Where forms in a template preview post',
      description: 'Stores nothing; answers a page saying so, with a link back to the preview.',
      returns: 'An HTML page.',
      produces: 'text/html',
    }),
    validate('param', templateParams),
    async (c) => {
      await requireTemplate(c.var.deps.templates, c.req.valid('param').id);
      return c.html(PREVIEW_POST_PAGE(templatePreviewUrl(c.req.valid('param').id)), 200, {
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'self'",
        'cache-control': 'no-store',
        'x-robots-tag': 'noindex',
      });
    },
  )
  .post(
    '/:id/funnels',
    apiDoc({
      summary: 'Create a funnel from a template',
      status: 201,
      description:
        'Writes the funnel, its pages (drafts unless `publish`), the stage each page counts for, lead scoring and the qualification rule in one transaction. The rule’s deals go to `pipelineId`, or to a pipeline of the workspace that fits, or to a new pipeline made from the template’s pipeline kind (`pipeline.created`).',
      returns: '`{funnel, pipeline, qualificationRule}`: the funnel with its pages, where its deals go, and the rule.',
      errors: { already_exists: { status: 409, when: 'another funnel has this slug (`fields` names `slug`); nothing was written.' } },
    }),
    validate('param', templateParams),
    validate('json', fromTemplateSchema),
    async (c) =>
      c.json(
        await createFunnelFromTemplate(
          serviceCtx(c),
          c.var.scope.workspaceId,
          c.var.scope.user.id,
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
        201,
      ),
  );
