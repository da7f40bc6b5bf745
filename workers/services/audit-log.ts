/**
 * The workspace audit log: who changed what, when and from where. Rows are only ever inserted
 * (the table's triggers refuse UPDATE and DELETE); this module has no other write. Requests are
 * recorded by the audit-trail middleware, events that are not one admin request (sign-in,
 * sign-out, a locked account, joining) by the services doing them, through `recordAudit`.
 */
import { and, desc, eq, gte, inArray, like, lte, or, type SQL } from 'drizzle-orm';
import { apiKeys, auditLog, memberships, users, type AuditActorKind } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AuditEntry, AuditPage } from '../contract/audit';
import { deviceLabel } from '../domain/user-agents';
import type { ServiceCtx } from './context';
import { decodeCursor, nextCursor, olderThan } from './newest-first';

/** Where a change came from: the same keyed IP hash as the sign-in throttle, the browser family. */
export interface AuditOrigin {
  ipHash?: string | null;
  /** The raw User-Agent; only its family ("Chrome on Linux") is stored. */
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditRecord {
  workspaceId: string;
  actorKind: AuditActorKind;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  summary?: string | null;
}

/** Why a record failed, for the error log: the driver's reason, not drizzle's "Failed query" with every parameter. */
export function failureReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? err.cause.message : err.message;
}

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId'>;

const SUMMARY_MAX = 200;

/** The row for one record: for a caller that adds it to its own batch, so it commits with the change. */
export function auditRow(ctx: Pick<ServiceCtx, 'clock' | 'newId'>, record: AuditRecord, origin: AuditOrigin = {}) {
  return {
    id: ctx.newId(),
    workspaceId: record.workspaceId,
    actorKind: record.actorKind,
    actorUserId: record.actorUserId ?? null,
    actorApiKeyId: record.actorApiKeyId ?? null,
    action: record.action,
    objectType: record.objectType ?? null,
    objectId: record.objectId ?? null,
    summary: record.summary ? record.summary.slice(0, SUMMARY_MAX) : null,
    ipHash: origin.ipHash ?? null,
    userAgent: origin.userAgent ? deviceLabel(origin.userAgent) : null,
    requestId: origin.requestId ?? null,
    createdAt: ctx.clock(),
  };
}

export async function recordAudit(ctx: Ctx, records: AuditRecord[], origin: AuditOrigin = {}): Promise<void> {
  if (records.length === 0) return;
  await ctx.db.insert(auditLog).values(records.map((r) => auditRow(ctx, r, origin)));
}

/**
 * An event about a member rather than one workspace (signing in or out, ending their sessions):
 * each workspace they belong to gets it, so every owner of theirs sees it.
 */
export async function recordForMember(
  ctx: Ctx,
  userId: string,
  record: Omit<AuditRecord, 'workspaceId'>,
  origin: AuditOrigin = {},
): Promise<void> {
  for (const insert of await memberAuditInsert(ctx, userId, record, origin)) await insert;
}

/**
 * `recordForMember` as statements for the caller's batch, so they commit with the change: none
 * when the member has no workspace. (An array, not the statement: an awaited statement would run.)
 */
export async function memberAuditInsert(ctx: Ctx, userId: string, record: Omit<AuditRecord, 'workspaceId'>, origin: AuditOrigin = {}) {
  const rows = await ctx.db.select({ workspaceId: memberships.workspaceId }).from(memberships).where(eq(memberships.userId, userId));
  if (rows.length === 0) return [];
  return [ctx.db.insert(auditLog).values(rows.map((r) => auditRow(ctx, { ...record, workspaceId: r.workspaceId }, origin)))];
}

/** The sign-in, recorded in each of the member's workspaces with the session that starts it. */
export function signInAudit(ctx: Ctx, userId: string, origin: AuditOrigin, summary?: string) {
  return memberAuditInsert(
    ctx,
    userId,
    { actorKind: 'member', actorUserId: userId, action: 'auth.sign_in', objectType: 'member', objectId: userId, summary },
    origin,
  );
}

/** A statement adding one record, for the caller's batch. */
export function auditInsert(ctx: Ctx, record: AuditRecord, origin: AuditOrigin = {}) {
  return ctx.db.insert(auditLog).values(auditRow(ctx, record, origin));
}

export interface AuditFilter {
  /** A member's user id. */
  actor?: string;
  /** A whole action (`deal.move`) or a group (`deal`). */
  action?: string;
  objectType?: string;
  objectId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
}

function filterWhere(workspaceId: string, filter: AuditFilter): SQL | undefined {
  return and(
    eq(auditLog.workspaceId, workspaceId),
    filter.actor ? eq(auditLog.actorUserId, filter.actor) : undefined,
    filter.action
      ? filter.action.includes('.')
        ? eq(auditLog.action, filter.action)
        : or(eq(auditLog.action, filter.action), like(auditLog.action, `${filter.action}.%`))
      : undefined,
    filter.objectType ? eq(auditLog.objectType, filter.objectType) : undefined,
    filter.objectId ? eq(auditLog.objectId, filter.objectId) : undefined,
    filter.from !== undefined ? gte(auditLog.createdAt, filter.from) : undefined,
    filter.to !== undefined ? lte(auditLog.createdAt, filter.to) : undefined,
  );
}

type Row = typeof auditLog.$inferSelect;

async function withActors(db: Db, rows: Row[]): Promise<AuditEntry[]> {
  const userIds = [...new Set(rows.map((r) => r.actorUserId).filter((id): id is string => !!id))];
  const keyIds = [...new Set(rows.map((r) => r.actorApiKeyId).filter((id): id is string => !!id))];
  const [people, keys] = await Promise.all([
    userIds.length ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds)) : [],
    keyIds.length
      ? db.select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(inArray(apiKeys.id, keyIds))
      : [],
  ]);
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const keyOf = new Map(keys.map((k) => [k.id, `${k.name} (${k.prefix})`]));
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    action: r.action,
    objectType: r.objectType,
    objectId: r.objectId,
    summary: r.summary,
    actor: {
      kind: r.actorKind,
      userId: r.actorUserId,
      name: r.actorUserId ? (nameOf.get(r.actorUserId) ?? null) : null,
      apiKeyId: r.actorApiKeyId,
      apiKeyName: r.actorApiKeyId ? (keyOf.get(r.actorApiKeyId) ?? null) : null,
    },
    ipHash: r.ipHash,
    device: r.userAgent,
  }));
}

/** One page of the log, newest first; `cursor` is the previous page's `nextCursor`. */
export async function listAuditEntries(
  db: Db,
  workspaceId: string,
  filter: AuditFilter,
  cursor: string | undefined,
  limit: number,
): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(filterWhere(workspaceId, filter), olderThan(auditLog.createdAt, auditLog.id, decodeCursor(cursor))))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { entries: await withActors(db, page), nextCursor: nextCursor(rows.length, limit, page.at(-1)) };
}

/** The most rows one CSV download holds; narrow the filter for older entries. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

export const AUDIT_CSV_HEADER = [
  'Time (UTC)',
  'Actor',
  'Actor kind',
  'API key',
  'Action',
  'Object type',
  'Object id',
  'Summary',
  'IP hash',
  'Device',
];

export async function auditEntriesForExport(db: Db, workspaceId: string, filter: AuditFilter): Promise<unknown[][]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(filterWhere(workspaceId, filter))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(AUDIT_EXPORT_MAX_ROWS);
  const entries = await withActors(db, rows);
  return entries.map((e) => [
    new Date(e.createdAt).toISOString(),
    e.actor.name ?? (e.actor.kind === 'system' ? 'Leadflare' : ''),
    e.actor.kind,
    e.actor.apiKeyName ?? '',
    e.action,
    e.objectType ?? '',
    e.objectId ?? '',
    e.summary ?? '',
    e.ipHash ?? '',
    e.device ?? '',
  ]);
}
