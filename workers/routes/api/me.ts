import { Hono } from 'hono';
import type { AppEnv } from '../../deps';
import { apiDoc } from '../../middleware/api-doc';
import { requireUser } from '../../middleware/auth';
import { listUserWorkspaces } from '../../services/accounts';

export const meRoutes = new Hono<AppEnv>().get(
  '/',
  apiDoc({ summary: 'The signed-in member and their workspaces' }),
  requireUser,
  async (c) => {
    const user = c.var.user!;
    const workspaces = await listUserWorkspaces(c.var.deps.database.db, user.id);
    return c.json({ user, workspaces });
  },
);
