import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { requireUser } from '../../middleware/auth';
import { listUserWorkspaces } from '../../services/accounts';

export const meRoutes = new Hono<AppEnv>().get('/', requireUser, async (c) => {
  const user = c.var.user!;
  const workspaces = await listUserWorkspaces(c.var.deps.database.db, user.id);
  return c.json({ user, workspaces });
});
