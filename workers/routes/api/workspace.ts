import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { funnelPages, funnels, workspaces } from '../../../db/schema';
import { ROLES } from '../../domain/roles';
import { funnelCacheKeys } from '../../services/page-cache';
import { emailSchema } from '../../domain/emails';
import { notFound } from '../../domain/errors';
import type { AppEnv } from '../../deps';
import { requireRole } from '../../middleware/auth';
import { readJson, readParams } from '../../middleware/validate';
import {
  changeMemberRole,
  createInvitation,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from '../../services/accounts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys';
import { serviceCtx } from '../service-context';

const idParam = z.object({ id: z.string().min(1).max(64) });
const userParam = z.object({ userId: z.string().min(1).max(64) });
const renameSchema = z.object({ name: z.string().trim().min(1, 'Enter a workspace name.').max(100) });
const inviteSchema = z.object({ role: z.enum(ROLES), email: emailSchema.optional() });
const roleSchema = z.object({ role: z.enum(ROLES) });
const originSchema = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      // Plain http only for a developer's own machine.
      const local = url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
      return (url.protocol === 'https:' || local) && url.origin === value;
    } catch {
      return false;
    }
  }, 'Use an https origin like https://shop.example.com (no path).');
const settingsSchema = z
  .object({
    cookieless: z.boolean(),
    honorPrivacySignals: z.boolean(),
    allowedOrigins: z.array(originSchema).max(50),
  })
  .partial();

/** The current workspace (chosen by the scope middleware): its settings, members and invitations. */
export const workspaceRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { workspaceId, role } = c.var.scope;
    const [ws] = await c.var.deps.database.db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
    if (!ws) throw notFound('Workspace');
    return c.json({ ...ws, role });
  })
  .patch('/', requireRole('owner'), async (c) => {
    const { name } = await readJson(c, renameSchema);
    const { workspaceId } = c.var.scope;
    await c.var.deps.database.db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId));
    return c.json({ id: workspaceId, name });
  })
  .patch('/settings', requireRole('owner'), async (c) => {
    const changes = await readJson(c, settingsSchema);
    const { workspaceId } = c.var.scope;
    const { db } = c.var.deps.database;
    const [ws] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
    if (!ws) throw notFound('Workspace');
    const settings = { ...ws.settings, ...changes };
    await db.update(workspaces).set({ settings }).where(eq(workspaces.id, workspaceId));
    // Cached pages carry the tracking flags of the old settings: drop them.
    const pages = await db
      .select({ funnelSlug: funnels.slug, pageSlug: funnelPages.slug })
      .from(funnels)
      .leftJoin(funnelPages, eq(funnelPages.funnelId, funnels.id))
      .where(eq(funnels.workspaceId, workspaceId));
    await c.var.deps.pageCache.delete(pages.flatMap((p) => funnelCacheKeys(p.funnelSlug, p.pageSlug ? [p.pageSlug] : [])));
    return c.json({ settings });
  })
  .get('/api-keys', requireRole('owner'), async (c) => c.json({ apiKeys: await listApiKeys(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .post('/api-keys', requireRole('owner'), async (c) => {
    const { name } = await readJson(c, z.object({ name: z.string().trim().min(1, 'Name the key, e.g. "Shopify".').max(80) }));
    // The key is in this response only; afterwards just its prefix is shown.
    return c.json(await createApiKey(serviceCtx(c), c.var.scope.workspaceId, c.var.scope.user.id, name), 201);
  })
  .delete('/api-keys/:id', requireRole('owner'), async (c) => {
    const { id } = readParams(c, idParam);
    await revokeApiKey(c.var.deps.database.db, c.var.scope.workspaceId, id, c.var.deps.clock());
    return c.body(null, 204);
  })
  .get('/members', async (c) => c.json({ members: await listMembers(c.var.deps.database.db, c.var.scope.workspaceId) }))
  .patch('/members/:userId', requireRole('owner'), async (c) => {
    const { userId } = readParams(c, userParam);
    const { role } = await readJson(c, roleSchema);
    await changeMemberRole(c.var.deps.database.db, c.var.scope.workspaceId, userId, role);
    return c.json({ userId, role });
  })
  .delete('/members/:userId', requireRole('owner'), async (c) => {
    const { userId } = readParams(c, userParam);
    await removeMember(c.var.deps.database.db, c.var.scope.workspaceId, userId);
    return c.body(null, 204);
  })
  .get('/invitations', requireRole('owner'), async (c) =>
    c.json({ invitations: await listInvitations(c.var.deps.database.db, c.var.scope.workspaceId, c.var.deps.clock()) }),
  )
  .post('/invitations', requireRole('owner'), async (c) => {
    const { role, email } = await readJson(c, inviteSchema);
    const scope = c.var.scope;
    const invitation = await createInvitation(serviceCtx(c), scope.workspaceId, scope.user.id, role, email);
    const { token, ...rest } = invitation;
    // The link is shown to the owner once, to copy and send however they like; only its hash is stored.
    const url = `${new URL(c.req.url).origin}/invite/${token}`;
    return c.json({ ...rest, token, url }, 201);
  })
  .delete('/invitations/:id', requireRole('owner'), async (c) => {
    const { id } = readParams(c, idParam);
    await revokeInvitation(c.var.deps.database.db, c.var.scope.workspaceId, id, c.var.deps.clock());
    return c.body(null, 204);
  });
