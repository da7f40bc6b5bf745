import type { Context } from 'hono';
import type { AppEnv } from '../deps';
import { failureReason, recordForMember, type AuditOrigin } from '../services/audit-log';
import { hashIp } from '../services/capture';

/** Where a request came from, for the audit log: the keyed IP hash (as the sign-in throttle keys it), the User-Agent, the request id. */
export async function auditOrigin(c: Context<AppEnv>): Promise<AuditOrigin> {
  const deps = c.var.deps;
  return { ipHash: await hashIp(deps.secret, deps.clientIp(c)), userAgent: c.req.header('user-agent'), requestId: c.var.requestId };
}

/**
 * Records a sign-out in the member's workspaces. The session has already ended; a failed record
 * does not undo that or fail the answer, and is logged as an error.
 */
export async function recordSignOut(c: Context<AppEnv>): Promise<void> {
  const user = c.var.user;
  if (!user) return;
  const deps = c.var.deps;
  try {
    await recordForMember(
      { db: deps.database.db, clock: deps.clock, newId: deps.newId },
      user.id,
      { actorKind: 'member', actorUserId: user.id, action: 'auth.sign_out', objectType: 'member', objectId: user.id },
      await auditOrigin(c),
    );
  } catch (err) {
    c.var.log.error('audit entry not written; the sign-out itself succeeded', { error: failureReason(err) });
  }
}
