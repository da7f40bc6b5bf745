import { Hono } from 'hono';
import type { AppEnv } from '../../deps';

/** Liveness with a real database round trip: a load balancer sees a dead database as a dead instance. */
export const healthRoutes = new Hono<AppEnv>().get('/healthz', async (c) => {
  const started = Date.now();
  try {
    await c.var.deps.database.client.execute('SELECT 1');
    return c.json({ status: 'ok', database: 'ok', latencyMs: Date.now() - started });
  } catch (err) {
    c.var.log.error('Health check failed', { err });
    return c.json({ error: { code: 'database_unavailable', message: 'The database is not reachable.', status: 503 } }, 503);
  }
});
