import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../deps';
import { auditRuleFor, changedFieldNames, MUTATING_METHODS, type AuditRule } from '../domain/audit';
import { failureReason, recordAudit, recordForMember, type AuditOrigin, type AuditRecord } from '../services/audit-log';
import { hashIp } from '../services/capture';

type RecordRule = Extract<AuditRule, { kind: 'record' }>;

/** A create answers with the new object (`{id}` or `{deal: {id}}`); its id is what the log points at. */
async function createdId(c: Context<AppEnv>): Promise<string | null> {
  if (c.req.method !== 'POST' || !c.res.headers.get('content-type')?.includes('application/json')) return null;
  try {
    const body: unknown = await c.res.clone().json();
    if (!body || typeof body !== 'object') return null;
    const record = body as Record<string, unknown>;
    if (typeof record.id === 'string') return record.id;
    for (const value of Object.values(record)) {
      if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).id === 'string') {
        return (value as { id: string }).id;
      }
    }
  } catch {
    // Not JSON after all: the entry has no object id, which is still worth recording.
  }
  return null;
}

function validatedJson(c: Context<AppEnv>): Record<string, unknown> {
  try {
    const body = (c.req.valid as (target: string) => unknown)('json');
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function summaryOf(c: Context<AppEnv>, rule: RecordRule): string | null {
  if (c.req.method === 'DELETE') return null;
  const body = validatedJson(c);
  const fields = changedFieldNames(body);
  const parts = [rule.detail?.(body), fields.length ? `fields: ${fields.join(', ')}` : undefined].filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

async function objectIdOf(
  c: Context<AppEnv>,
  rule: RecordRule,
  workspaceId: string | undefined,
  userId: string | null,
): Promise<string | null> {
  if (rule.objectParam) return c.req.param(rule.objectParam) ?? null;
  if (rule.objectType === 'workspace') return workspaceId ?? null;
  // A member's own settings (`/api/me/…`): the member is the object.
  if (rule.objectType === 'member') return userId;
  return createdId(c);
}

/**
 * Records every successful admin change (and download of personal data) in the audit log, in one
 * place, so a new route cannot be forgotten: the action and object come from the matched route pattern (`domain/audit.ts`). The
 * entry is written right after the change succeeded and before the answer goes out; if writing it
 * fails, the change stands (it is committed) and the failure is logged as an error, never hidden.
 */
export const auditTrail: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // Changes, and the few downloads of personal data `AUDITED_READS` names.
  if ((!MUTATING_METHODS.has(c.req.method) && c.req.method !== 'GET') || c.res.status >= 400) return;
  // After `next()`, the route index is the handler's that answered: its pattern, not a middleware's `*`.
  const pattern = routePath(c);
  const rule = auditRuleFor(c.req.method, pattern);
  if (!rule || rule.kind !== 'record' || (rule.changedStatus !== undefined && c.res.status !== rule.changedStatus)) return;

  const scope = c.get('scope') as AppEnv['Variables']['scope'] | undefined;
  const apiWorkspaceId = c.get('apiWorkspaceId') as string | undefined;
  const user = c.get('user');
  // Nobody signed in and no key: a public route the rules do not know as a visitor's; nothing to attribute.
  if (!scope && !apiWorkspaceId && !user) return;

  const deps = c.var.deps;
  try {
    const workspaceId = scope?.workspaceId ?? apiWorkspaceId;
    const origin: AuditOrigin = {
      ipHash: await hashIp(deps.secret, deps.clientIp(c)),
      userAgent: c.req.header('user-agent'),
      requestId: c.var.requestId,
    };
    const actorUserId = scope?.user.id ?? user?.id ?? null;
    const record: Omit<AuditRecord, 'workspaceId'> = {
      actorKind: apiWorkspaceId && !scope ? 'api_key' : 'member',
      actorUserId,
      actorApiKeyId: apiWorkspaceId && !scope ? c.get('apiKeyId') : null,
      action: rule.action,
      objectType: rule.objectType,
      objectId: await objectIdOf(c, rule, workspaceId, actorUserId),
      summary: summaryOf(c, rule),
    };
    const ctx = { db: deps.database.db, clock: deps.clock, newId: deps.newId };
    if (workspaceId) await recordAudit(ctx, [{ ...record, workspaceId }], origin);
    else if (user) await recordForMember(ctx, user.id, record, origin);
  } catch (err) {
    c.var.log.error('audit entry not written; the change itself succeeded', {
      route: `${c.req.method} ${pattern}`,
      action: rule.action,
      error: failureReason(err),
    });
  }
};
