import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { pageContentSchema, pageSlugSchema } from '../../domain/blocks';
import { EVENT_TYPES, FUNNEL_STAGES } from '../../domain/stages';
import { scoringConfigSchema } from '../../domain/scoring';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { id, idParam, periodQuery, reportPeriod } from '../schemas';
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
import type { EditConflict } from '../../contract/page-editor';
import { duplicateFunnel, duplicatePage } from '../../services/funnel-copies';
import { reorderPages } from '../../services/page-order';
import { pageStats } from '../../services/page-stats';
import { checkCustomDomain } from '../../services/custom-domains';
import { funnelEmbeds } from '../../services/funnel-embeds';
import { getVersion, listVersions, restoreVersion } from '../../services/page-versions';
import { createPreviewLink, PREVIEW_LINK_DEFAULT_DAYS, PREVIEW_LINK_MAX_DAYS, revokePreviewLinks } from '../../services/page-preview';
import { checkPage } from '../../services/page-checks';
import { issueSubmissionToken } from '../../services/capture';
import { SUBMISSION_TOKEN_PLACEHOLDER } from '../../../pages-ui/landing/form-constants';
import { contentSecurityPolicy } from '../../../pages-ui/landing/render-page';
import { renderWithState } from '../../../pages-ui/landing/funnel-page';

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
/** Every save names the revision it was based on (from GET's `revision` or `ETag`); a stale one gets 409 `edit_conflict`. */
const baseRevision = z.int().min(1).meta({ description: 'The `revision` of the page this change was made to.' });
const pagePatchSchema = pageSchema
  .partial()
  // Without its default: a save that does not mention the kind keeps it.
  .extend({ kind: z.enum(PAGE_KINDS).optional(), baseRevision })
  .meta({ examples: [{ name: 'Special offer', baseRevision: 3 }] });
const copySchema = z
  .strictObject({ slug: pageSlugSchema.optional(), name: z.string().trim().min(1, 'Enter a name.').max(120).optional() })
  .meta({ examples: [{ slug: 'spring-sale-b', name: 'Spring sale, version B' }] });
const pageOrderSchema = z
  .strictObject({ pageIds: z.array(id).min(1).max(1000) })
  .meta({ examples: [{ pageIds: ['01JPAGEQUIZ', '01JPAGEOFFER', '01JPAGETHANKS'] }] });
const versionParams = z.object({ id, versionId: id });
/** Publish and rollback: refused if the draft was saved since `baseRevision`, when it is sent. */
const revisionCheckSchema = z.strictObject({ baseRevision: baseRevision.optional() }).meta({ examples: [{ baseRevision: 7 }] });
const previewLinkSchema = z
  .strictObject({ expiresInDays: z.int().min(1).max(PREVIEW_LINK_MAX_DAYS).default(PREVIEW_LINK_DEFAULT_DAYS) })
  .meta({ examples: [{ expiresInDays: 7 }] });
const renderSchema = z.strictObject({ content: pageContentSchema }).meta({ examples: [{ content: PAGE_EXAMPLE.content }] });

/** A weak validator of the draft revision: the representation also changes on publish, the draft only with a save. */
const etag = (revision: number) => `W/"${revision}"`;

/**
 * 409 `edit_conflict`, in the one error shape plus the page as it is now (`current`), so the
 * editor can show what the other person saved and let the user redo their change on top of it.
 */
function editConflict(c: Context<AppEnv>, current: EditConflict, refused: 'save' | 'publish' = 'save') {
  const who = current.updatedBy?.name || 'Someone else';
  const publish = refused === 'publish';
  const message = `${who} saved this page after ${publish ? 'your last save' : 'you opened it'} (it is now at revision ${current.revision}), so ${
    publish ? 'nothing was published' : 'your change was not saved and nothing was overwritten'
  }. Load their version and ${publish ? 'check it before you publish again' : 'make your change again'}.`;
  return c.json(
    {
      error: {
        code: 'edit_conflict' as const,
        message,
        status: 409 as const,
      },
      current,
    },
    409,
    { etag: etag(current.revision) },
  );
}

/** Where the app is reached: its public host (first of APP_HOSTS), else the origin this request came to. */
function publicOrigin(c: Context<AppEnv>): string {
  const host = c.var.deps.appHosts?.[0];
  return host ? `https://${host}` : new URL(c.req.url).origin;
}

const EDIT_CONFLICT = {
  edit_conflict: {
    status: 409,
    when: 'someone saved the page since `baseRevision`; the body has `current` (the page now) and nothing was written.',
  },
};

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
  )
  .put(
    '/:id/page-order',
    apiDoc({
      summary: 'Put the funnel’s pages in a new order',
      description:
        'All or nothing: `pageIds` must list every page of the funnel exactly once (400 `validation_failed` names each wrong entry). The first page serves the funnel’s root URL; published pages are re-rendered so their links follow.',
      returns: 'The funnel with its pages in the new order.',
      errors: { order_changed: { status: 409, when: 'a page was added or deleted meanwhile; nothing was moved.' } },
    }),
    validate('param', idParam),
    validate('json', pageOrderSchema),
    async (c) => c.json(await reorderPages(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json').pageIds)),
  )
  .post(
    '/:id/duplicate',
    apiDoc({
      summary: 'Duplicate a funnel',
      description:
        'Copies the pages (drafts, unpublished), stage mapping, scoring and qualification rules in one transaction. The copy gets `<slug>-copy` (or the slug sent) and no custom domain.',
      status: 201,
      errors: { already_exists: { status: 409, when: 'the slug sent is taken.' } },
    }),
    validate('param', idParam),
    validate('json', copySchema, { optionalBody: true }),
    async (c) =>
      c.json(
        await duplicateFunnel(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'), c.var.scope.user.id),
        201,
      ),
  )
  .get(
    '/:id/page-stats',
    apiDoc({
      summary: 'Views and conversions per page',
      description:
        'Page views and captures (form, quiz, lead magnet, chat) per page of the funnel; days inclusive, UTC; the last 30 days by default.',
      errors: { invalid_period: { status: 400, when: '`from` is after `to`, or the period is longer than a year.' } },
    }),
    validate('param', idParam),
    validate('query', periodQuery),
    async (c) => {
      const period = reportPeriod(c.req.valid('query'), c.var.deps.clock(), 366);
      return c.json(await pageStats(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, period));
    },
  )
  .get(
    '/:id/domain-check',
    apiDoc({
      summary: 'Check the funnel’s custom domain in DNS',
      description:
        'The CNAME record to create (the domain → the app’s host) and whether DNS already leads there. Answers within 2 seconds: a slow DNS gives `status: "timeout"`.',
      returns: '`{domain, record, status, resolves, message, observed, checkedAt}`.',
    }),
    validate('param', idParam),
    async (c) => c.json(await checkCustomDomain(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.var.deps.appHosts?.[0])),
  )
  .get(
    '/:id/embeds',
    apiDoc({
      summary: 'Embed snippets of the funnel’s lead forms',
      returns: '`{scriptUrl, allowedOrigins, forms: [{pageId, blockId, embedId, published, snippet, …}]}`.',
    }),
    validate('param', idParam),
    async (c) => c.json(await funnelEmbeds(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, publicOrigin(c))),
  );

export const pageRoutes = new Hono<AppEnv>()
  .get(
    '/:id',
    apiDoc({
      summary: 'Get a page (draft content and published version)',
      description: 'Carries the draft’s `revision` (also as a weak `ETag`): send it back as `baseRevision` with the next save.',
    }),
    validate('param', idParam),
    async (c) => {
      const page = await getPage(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id);
      return c.json(page, 200, { etag: etag(page.revision) });
    },
  )
  .patch(
    '/:id',
    apiDoc({
      summary: 'Edit a page draft',
      description:
        'Send `baseRevision`, the `revision` your edit started from. If someone saved since, nothing is written and the answer is 409 `edit_conflict` with `current`, the page as it is now. Validation errors name the field, e.g. `content.blocks.3.headline`.',
      errors: {
        ...EDIT_CONFLICT,
        already_exists: { status: 409, when: 'another page of the funnel has this slug.' },
      },
    }),
    validate('param', idParam),
    validate('json', pagePatchSchema),
    async (c) => {
      const result = await updatePage(
        serviceCtx(c),
        c.var.scope.workspaceId,
        c.req.valid('param').id,
        c.req.valid('json'),
        c.var.scope.user.id,
      );
      if (result.kind === 'conflict') return editConflict(c, result.current);
      return c.json(result.page, 200, { etag: etag(result.page.revision) });
    },
  )
  .delete('/:id', apiDoc({ summary: 'Delete a page', status: 204 }), validate('param', idParam), async (c) => {
    await deletePage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .post(
    '/:id/publish',
    apiDoc({
      summary: 'Publish the draft (at `baseRevision`, when sent) as a new version',
      status: 201,
      errors: EDIT_CONFLICT,
    }),
    validate('param', idParam),
    validate('json', revisionCheckSchema, { optionalBody: true }),
    async (c) => {
      const result = await publishPage(
        serviceCtx(c),
        c.var.scope.workspaceId,
        c.req.valid('param').id,
        c.var.scope.user.id,
        c.req.valid('json').baseRevision,
      );
      if (result.kind === 'conflict') return editConflict(c, result.current, 'publish');
      return c.json(result.version, 201);
    },
  )
  .post(
    '/:id/unpublish',
    apiDoc({ summary: 'Unpublish a page (visitors get 410)', status: 204 }),
    validate('param', idParam),
    async (c) => {
      await unpublishPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/duplicate',
    apiDoc({
      summary: 'Duplicate a page',
      description: 'The copy (draft, unpublished) goes right after the original; slug `<slug>-copy` unless one is sent.',
      status: 201,
      errors: { already_exists: { status: 409, when: 'the slug sent is taken in this funnel.' } },
    }),
    validate('param', idParam),
    validate('json', copySchema, { optionalBody: true }),
    async (c) =>
      c.json(
        await duplicatePage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'), c.var.scope.user.id),
        201,
      ),
  )
  .get(
    '/:id/versions',
    apiDoc({
      summary: 'List the page’s published versions',
      returns: '`{publishedVersionId, versions}`, newest first, each with who published it and when.',
    }),
    validate('param', idParam),
    async (c) => c.json(await listVersions(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .get(
    '/:id/versions/:versionId',
    apiDoc({ summary: 'Get one published version', returns: 'The version with its `content` and stored `html`.' }),
    validate('param', versionParams),
    async (c) => {
      const { id: pageId, versionId } = c.req.valid('param');
      return c.json(await getVersion(c.var.deps.database.db, c.var.scope.workspaceId, pageId, versionId));
    },
  )
  .post(
    '/:id/versions/:versionId/restore',
    apiDoc({
      summary: 'Roll back to a version',
      description:
        'Publishes the version’s content again as the newest version and resets the draft to it. With `baseRevision`, refused (409 `edit_conflict`, nothing written) if the draft was saved since.',
      status: 201,
      returns: '`{version: {id, version, url}, revision}`: the new live version and the draft’s new revision.',
      errors: EDIT_CONFLICT,
    }),
    validate('param', versionParams),
    validate('json', revisionCheckSchema, { optionalBody: true }),
    async (c) => {
      const { id: pageId, versionId } = c.req.valid('param');
      const result = await restoreVersion(
        serviceCtx(c),
        c.var.scope.workspaceId,
        pageId,
        versionId,
        c.var.scope.user.id,
        c.req.valid('json').baseRevision,
      );
      if (result.kind === 'conflict') return editConflict(c, result.current);
      return c.json({ version: result.version, revision: result.revision }, 201, { etag: etag(result.revision) });
    },
  )
  .delete(
    '/:id/preview-links',
    apiDoc({
      summary: 'Turn off every preview link of a page',
      description:
        'Every preview link made until now shows "This preview link was turned off" (410); links made afterwards work. Nothing else about the page changes.',
      returns: '`{revokedAt}`: from when the links made until then are off.',
    }),
    validate('param', idParam),
    async (c) =>
      c.json(await revokePreviewLinks(c.var.deps.database.db, c.var.deps.clock(), c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .post(
    '/:id/preview-link',
    apiDoc({
      summary: 'Create a shareable preview link of the draft',
      description: `A signed link anyone can open until it expires (${PREVIEW_LINK_DEFAULT_DAYS} days by default): it shows the draft as it is when opened, never indexed.`,
      status: 201,
      returns: '`{url, expiresAt}`.',
    }),
    validate('param', idParam),
    validate('json', previewLinkSchema, { optionalBody: true }),
    async (c) => {
      const { deps } = c.var;
      const link = await createPreviewLink(
        deps.database.db,
        deps.secret,
        deps.clock(),
        c.var.scope.workspaceId,
        c.req.valid('param').id,
        publicOrigin(c),
        c.req.valid('json').expiresInDays,
      );
      return c.json(link, 201);
    },
  )
  .get(
    '/:id/checks',
    apiDoc({
      summary: 'Accessibility findings and page weight of the draft',
      returns:
        '`{revision, accessibility: [{blockIndex, blockId, field, path, rule, severity, message}], counts, weight: {gzipBytes, budgetBytes, withinBudget, js, …}}`.',
    }),
    validate('param', idParam),
    async (c) =>
      c.json((await checkPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, { served: await servedForms(c) })).checks),
  )
  .post(
    '/:id/render',
    apiDoc({
      summary: 'Render content for the editor’s live preview (not saved)',
      description:
        'The page as the published renderer draws it from `content` (validated like a save), in preview mode (never indexed, no tracker), with its Content-Security-Policy and the same checks as GET /checks. Nothing is stored.',
      returns: '`{html, csp, checks}`.',
    }),
    validate('param', idParam),
    validate('json', renderSchema),
    async (c) => {
      const { deps } = c.var;
      const checked = await checkPage(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, {
        content: c.req.valid('json').content,
        served: await servedForms(c),
      });
      const html = renderWithState(checked.content, checked.funnelSlug, checked.pageSlug, checked.siblings, {
        preview: true,
        now: deps.clock(),
      });
      return c.json({
        html: html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, 'preview'),
        csp: contentSecurityPolicy(checked.content),
        checks: checked.checks,
      });
    },
  );

/** What visitors are sent: each form's placeholder becomes a signed submission token (so the weight is the real first response's). */
async function servedForms(c: Context<AppEnv>): Promise<(html: string) => string> {
  const { deps } = c.var;
  const token = await issueSubmissionToken(deps.secret, deps.newId(), deps.clock());
  return (html) => html.replaceAll(SUBMISSION_TOKEN_PLACEHOLDER, token);
}
