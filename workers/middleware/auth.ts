import type { MiddlewareHandler } from 'hono';
import type { Role } from '../domain/roles';
import { forbidden, notFound, unauthorized } from '../domain/errors';
import type { AppEnv } from '../deps';
import { apiKeyFor } from '../services/api-keys';
import { resolveSession } from '../services/sessions';
import { readSessionCookie, writeSessionCookie } from './session-cookie';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Loads the signed-in user, if any, into `c.var.user` (public pages use it for draft previews). */
export const loadUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = readSessionCookie(c);
  if (token) {
    const { database, clock } = c.var.deps;
    const now = clock();
    const session = await resolveSession(database.db, token, now);
    if (session) {
      c.set('user', session.user);
      c.set('sessionId', session.sessionId);
      c.set('memberships', session.memberships);
      if (session.renewedUntil) writeSessionCookie(c, token, session.renewedUntil, now);
    }
  }
  await next();
};

export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.user) throw unauthorized();
  await next();
};

/**
 * The one gate for admin routes: resolves user + workspace + role into `c.var.scope`.
 * The workspace comes from the `X-Workspace-Id` header (or `?workspace=`), defaulting to the
 * user's first workspace. A workspace the user is not a member of is reported as not found, so
 * ids of other tenants reveal nothing. Viewers are read-only here, for every route at once.
 */
export const workspaceScope: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.var.user;
  const sessionId = c.var.sessionId;
  if (!user || !sessionId) throw unauthorized();
  const wanted = c.req.header('x-workspace-id') ?? c.req.query('workspace');
  // Read with the session (loadUser), oldest first.
  const memberships = c.var.memberships ?? [];
  const membership = wanted ? memberships.find((m) => m.workspaceId === wanted) : memberships[0];
  if (!membership) throw notFound('Workspace');
  // Only the session is held back: API keys (/api/v1) never pass through here.
  if (membership.twoFactorMissing) {
    throw forbidden(
      'This workspace requires two-factor authentication. Set it up in Settings › Security to continue.',
      'two_factor_required',
    );
  }
  if (membership.role === 'viewer' && !READ_METHODS.has(c.req.method)) {
    throw forbidden('Viewers can read but not change anything in this workspace.', 'read_only_role');
  }
  c.set('scope', { user, sessionId, workspaceId: membership.workspaceId, role: membership.role });
  await next();
};

/** Marks the role a route needs, for the OpenAPI document. */
export const REQUIRES_ROLE = Symbol('requiresRole');

export function requireRole(min: Role): MiddlewareHandler<AppEnv> {
  const check: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (RANK[c.var.scope.role] < RANK[min]) {
      throw forbidden(`This needs the ${min} role in this workspace.`, 'insufficient_role');
    }
    await next();
  };
  return Object.assign(check, { [REQUIRES_ROLE]: min });
}

/** `/api/v1`: the workspace of the `Authorization: Bearer lf_key_…` key, checked before the body is read. */
export const apiKeyScope: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  const found = key ? await apiKeyFor(c.var.deps.database.db, key, c.var.deps.clock()) : null;
  if (!found) throw unauthorized('Send a valid workspace API key as `Authorization: Bearer <key>`.');
  c.set('apiWorkspaceId', found.workspaceId);
  c.set('apiKeyId', found.id);
  await next();
};
