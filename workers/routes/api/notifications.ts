import { Hono, type MiddlewareHandler } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { notFound, unauthorized } from '../../domain/errors';
import { requireUser } from '../../middleware/auth';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { getMemberNotifications, setMemberNotifications } from '../../services/lead-mail';

const notificationsSchema = z.object({ newLead: z.boolean({ error: 'Say true or false.' }) }).meta({ examples: [{ newLead: true }] });

const RETURNS = '`{ newLead, email }`: whether you are emailed about each new lead of this workspace, and the address it goes to.';

/**
 * The member's own membership of the workspace named like everywhere else (`X-Workspace-Id` or
 * `?workspace=`, else their first). Unlike `workspaceScope` it lets viewers write: these settings
 * are the member's own, not the workspace's (like their sessions under /me).
 */
const ownMembership: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.var.user;
  const sessionId = c.var.sessionId;
  if (!user || !sessionId) throw unauthorized();
  const wanted = c.req.header('x-workspace-id') ?? c.req.query('workspace');
  const memberships = c.var.memberships ?? [];
  const membership = wanted ? memberships.find((m) => m.workspaceId === wanted) : memberships[0];
  if (!membership) throw notFound('Workspace');
  c.set('scope', { user, sessionId, workspaceId: membership.workspaceId, role: membership.role });
  await next();
};

/**
 * `/api/me/notifications`: the signed-in member's own email notifications in the current
 * workspace. Every role may change its own: a viewer sees the same leads in the app as the mail
 * would show.
 */
export const notificationRoutes = new Hono<AppEnv>()
  .use('*', ownMembership)
  // `requireUser` per route (ownMembership checks it too) so the API reference marks them as signed-in routes.
  .get('/', apiDoc({ summary: 'Your email notifications in this workspace', returns: RETURNS }), requireUser, async (c) => {
    const { workspaceId, user } = c.var.scope;
    return c.json(await getMemberNotifications(c.var.deps.database.db, workspaceId, user.id));
  })
  .put(
    '/',
    apiDoc({
      summary: 'Turn your email notifications in this workspace on or off',
      description: '`newLead: true`: one email per new lead (from a page, an embedded form or a store event), with a link to it.',
      returns: RETURNS,
    }),
    requireUser,
    validate('json', notificationsSchema),
    async (c) => {
      const { workspaceId, user } = c.var.scope;
      const { database, clock } = c.var.deps;
      return c.json(await setMemberNotifications({ db: database.db, clock }, workspaceId, user.id, c.req.valid('json')));
    },
  );
