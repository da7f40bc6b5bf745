import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';
import { clearSessionCookie } from '../../middleware/session-cookie';
import { validate } from '../../middleware/validate';
import { listUserWorkspaces } from '../../services/accounts';
import { listUserSessions, revokeOtherSessions, revokeUserSession } from '../../services/sessions';

/** Session ids are the SHA-256 of the cookie token (hex): knowing one does not sign anybody in. */
const sessionParam = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'Not a session id.') });

export const meRoutes = new Hono<AppEnv>()
  .get('/', apiDoc({ summary: 'The signed-in member and their workspaces' }), requireUser, async (c) => {
    const user = c.var.user!;
    const workspaces = await listUserWorkspaces(c.var.deps.database.db, user.id);
    return c.json({ user, workspaces });
  })
  .get(
    '/sessions',
    apiDoc({
      summary: 'The signed-in member’s sessions (devices), most recently used first',
      returns:
        '`{ sessions: [{ id, device: "Chrome on Linux", userAgent, createdAt, lastUsedAt, current }] }`; `current` marks this one; `lastUsedAt` is accurate to the minute.',
    }),
    requireUser,
    async (c) => {
      const { database, clock } = c.var.deps;
      return c.json({ sessions: await listUserSessions(database.db, c.var.user!.id, c.var.sessionId!, clock()) });
    },
  )
  .delete(
    '/sessions',
    apiDoc({
      summary: 'Sign out every other session of the member (this one stays signed in)',
      returns: '`{ signedOut: 2 }`: how many sessions ended.',
    }),
    requireUser,
    async (c) => {
      const signedOut = await revokeOtherSessions(c.var.deps.database.db, c.var.user!.id, c.var.sessionId!);
      return c.json({ signedOut });
    },
  )
  .delete(
    '/sessions/:id',
    apiDoc({
      summary: 'Sign out one of the member’s sessions (this one too, which clears the cookie)',
      status: 204,
      description: 'Another member’s session id answers 404, like an unknown one.',
    }),
    requireUser,
    validate('param', sessionParam),
    async (c) => {
      const { id } = c.req.valid('param');
      await revokeUserSession(c.var.deps.database.db, c.var.user!.id, id);
      if (id === c.var.sessionId) clearSessionCookie(c);
      return c.body(null, 204);
    },
  );
