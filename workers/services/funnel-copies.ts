/**
 * Duplicating a page (next to the original) and a whole funnel (pages with their blocks, the
 * funnel's stage mapping and scoring, its qualification rules). Copies start as drafts: nothing
 * is published until someone publishes it, and a copied funnel gets its own slug and no custom
 * domain, so no visitor sees a copy by surprise.
 */
import { and, asc, eq, like } from 'drizzle-orm';
import { funnelPages, funnels, qualificationRules } from '../../db/schema';
import { copyName, copySlug } from '../domain/copy-names';
import { notFound } from '../domain/errors';
import { findPage, funnelLayoutChanged, funnelSiblings, getFunnel, getPage, makeRoom, uniqueOr409, type Ctx } from './funnels';

export interface CopyInput {
  /** The copy's slug; `<slug>-copy` (then `-copy-2`, …) when absent. */
  slug?: string;
  /** The copy's name; “<name> (copy)” when absent. */
  name?: string;
}

/** Copies a page's draft into a new page right after it in the funnel. */
export async function duplicatePage(ctx: Ctx, workspaceId: string, pageId: string, input: CopyInput, userId: string | null) {
  const { page, funnelSlug } = await findPage(ctx.db, workspaceId, pageId);
  const taken = await funnelSiblings(ctx, page.funnelId);
  const now = ctx.clock();
  const copy = {
    id: ctx.newId(),
    workspaceId,
    funnelId: page.funnelId,
    slug: input.slug ?? copySlug(page.slug, new Set(taken.map((p) => p.slug))),
    name: input.name ?? copyName(page.name),
    kind: page.kind,
    position: page.position + 1,
    draft: page.draft,
    revision: 1,
    draftUpdatedBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  await uniqueOr409(
    () => ctx.db.batch([makeRoom(ctx, page.funnelId, copy.id, null, copy.position), ctx.db.insert(funnelPages).values(copy)]),
    'A page with this slug already exists in the funnel.',
  );
  // The pages after it moved along: their published "next page" links and URLs follow.
  await funnelLayoutChanged(ctx, workspaceId, page.funnelId, funnelSlug);
  return getPage(ctx.db, workspaceId, copy.id);
}

/**
 * Copies a funnel with its pages (drafts), settings (stage mapping, scoring) and qualification
 * rules in one batch — one transaction: either the whole copy exists or none of it.
 */
export async function duplicateFunnel(ctx: Ctx, workspaceId: string, funnelId: string, input: CopyInput, userId: string | null) {
  const [funnel] = await ctx.db
    .select()
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  const [pages, rules] = await Promise.all([
    ctx.db.select().from(funnelPages).where(eq(funnelPages.funnelId, funnelId)).orderBy(asc(funnelPages.position)),
    ctx.db
      .select()
      .from(qualificationRules)
      .where(and(eq(qualificationRules.funnelId, funnelId), eq(qualificationRules.workspaceId, workspaceId)))
      .orderBy(asc(qualificationRules.position)),
  ]);
  // Funnel slugs are URLs, unique across every workspace: look for the copies already made.
  const similar = await ctx.db
    .select({ slug: funnels.slug })
    .from(funnels)
    .where(like(funnels.slug, `${funnel.slug.slice(0, 52)}%-copy%`));
  const now = ctx.clock();
  const copy = {
    id: ctx.newId(),
    workspaceId,
    name: input.name ?? copyName(funnel.name),
    slug: input.slug ?? copySlug(funnel.slug, new Set(similar.map((f) => f.slug))),
    customDomain: null,
    settings: funnel.settings,
    createdAt: now,
    updatedAt: now,
  };
  const pageRows = pages.map((page) => ({
    id: ctx.newId(),
    workspaceId,
    funnelId: copy.id,
    slug: page.slug,
    name: page.name,
    kind: page.kind,
    position: page.position,
    draft: page.draft,
    revision: 1,
    draftUpdatedBy: userId,
    createdAt: now,
    updatedAt: now,
  }));
  const ruleRows = rules.map((rule) => ({
    id: ctx.newId(),
    workspaceId,
    funnelId: copy.id,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    conditions: rule.conditions,
    action: rule.action,
    assignCursor: 0,
    createdAt: now,
    updatedAt: now,
  }));
  await uniqueOr409(
    () =>
      ctx.db.batch([
        ctx.db.insert(funnels).values(copy),
        ...(pageRows.length ? [ctx.db.insert(funnelPages).values(pageRows)] : []),
        ...(ruleRows.length ? [ctx.db.insert(qualificationRules).values(ruleRows)] : []),
      ]),
    'Another funnel already uses this slug.',
  );
  return getFunnel(ctx.db, workspaceId, copy.id);
}
