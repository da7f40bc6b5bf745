import type { Context } from 'hono';
import type { AppEnv } from '../deps';

/**
 * The origin links in mail point at. A reset link built from whatever Host a request claimed would
 * hand the token to that host (Host-header poisoning), so where the app's own hosts are configured
 * (APP_HOSTS) only those are used; locally, with none configured, the request's own origin.
 */
export function appOrigin(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  const hosts = c.var.deps.appHosts ?? [];
  if (hosts.length === 0 || hosts.includes(url.hostname.toLowerCase())) return url.origin;
  return `https://${hosts[0]}`;
}
