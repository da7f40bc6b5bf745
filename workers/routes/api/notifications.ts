import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { getMemberNotifications, setMemberNotifications } from '../../services/lead-mail';

const notificationsSchema = z
  .object({ newLead: z.boolean({ error: 'Say true or false.' }) })
  .meta({ examples: [{ newLead: true }] });

const RETURNS = '`{ newLead, email }`: whether you are emailed about each new lead of this workspace, and the address it goes to.';

/**
 * The signed-in member's own notifications in the current workspace. Every role may change its
 * own: a viewer sees the same leads in the app as the mail would show.
 */
export const notificationRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'Your email notifications in this workspace', returns: RETURNS }), async (c) => {
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
    validate('json', notificationsSchema),
    async (c) => {
      const { workspaceId, user } = c.var.scope;
      const { database, clock } = c.var.deps;
      return c.json(await setMemberNotifications({ db: database.db, clock }, workspaceId, user.id, c.req.valid('json')));
    },
  );
