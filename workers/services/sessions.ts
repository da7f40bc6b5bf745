import type { BatchItem } from 'drizzle-orm/batch';
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { preparedPerDatabase } from '../../db/prepared';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import type { AuthUser, Membership, SessionSummary } from '../contract/accounts';
import { notFound } from '../domain/errors';
import { deviceLabel } from '../domain/user-agents';
import type { Role } from '../domain/roles';

/** Idle sessions end after 30 days; each use within that window pushes the end out again. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * "Last used" (and the sliding expiry with it) is written at most this often per session, so
 * nearly every request stays read-only; the list of sessions is accurate to the minute.
 */
const TOUCH_INTERVAL_MS = 60 * 1000;
/** The cookie's Max-Age is sent again only when the expiry has moved by this much (not once a minute). */
const COOKIE_RENEW_MS = 60 * 60 * 1000;

export interface NewSession {
  token: string;
  id: string;
  expiresAt: number;
}

export async function sessionRow(userId: string, now: number, userAgent?: string) {
  const token = randomToken();
  const id = await sha256Hex(token);
  return {
    session: { token, id, expiresAt: now + SESSION_TTL_MS } satisfies NewSession,
    row: { id, userId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_TTL_MS, userAgent: userAgent?.slice(0, 300) ?? null },
  };
}

/**
 * Signs the user in with a new session — always a fresh random token, never one the browser
 * brought — and ends `replacesSessionId`, the session the browser was signed in with before.
 */
export async function openSession(
  db: Db,
  userId: string,
  now: number,
  source: { userAgent?: string; replacesSessionId?: string },
  /** Statements that commit with the session (the sign-in's audit record). */
  alongside: BatchItem<'sqlite'>[] = [],
): Promise<NewSession> {
  const { session, row } = await sessionRow(userId, now, source.userAgent);
  await db.batch([
    db.insert(sessions).values(row),
    ...(source.replacesSessionId ? [db.delete(sessions).where(eq(sessions.id, source.replacesSessionId))] : []),
    ...alongside,
  ]);
  return session;
}

export interface ResolvedSession {
  sessionId: string;
  user: AuthUser;
  /** The user's workspaces, oldest membership first (the default workspace). */
  memberships: Membership[];
  /** Set when the expiry was extended, so the cookie's Max-Age is refreshed too. */
  renewedUntil?: number;
}

/**
 * Session ids of recently seen cookie tokens. WebCrypto's digest is asynchronous, and on Node it
 * runs on the libuv thread pool: a hop on every signed-in request that costs half a millisecond
 * and, on a busy machine, several at the tail (it was most of a deal move's p95). The id is a pure
 * function of the token, so remembering it decides nothing: the session row is still read, and
 * may have been revoked or expired, on every request. Only tokens of real sessions are kept.
 */
const knownSessionIds = new Map<string, string>();
const KNOWN_SESSION_IDS_MAX = 1_000;

function rememberSessionId(token: string, id: string) {
  if (knownSessionIds.has(token)) return;
  if (knownSessionIds.size >= KNOWN_SESSION_IDS_MAX) knownSessionIds.delete(knownSessionIds.keys().next().value!);
  knownSessionIds.set(token, id);
}

/**
 * The session, its user and the user's memberships in one statement, prepared once per database:
 * every signed-in request runs it, and the workspace scope then needs no query of its own.
 */
function prepareSessionRead(db: Db) {
  return db
    .select({
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      name: users.name,
      memberships: sql<string>`(select json_group_array(json_array(m.workspace_id, m.role,
          coalesce(json_extract(w.settings, '$.requireTwoFactor'), 0)) order by m.created_at, m.workspace_id)
        from memberships m join workspaces w on w.id = m.workspace_id where m.user_id = "users"."id")`,
      twoFactorEnabled: sql<number>`exists(select 1 from user_two_factor t where t.user_id = "users"."id" and t.enabled_at is not null)`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare();
}

const sessionRead = preparedPerDatabase(prepareSessionRead);

/** The session for a cookie token, or null if unknown, revoked (deleted) or expired. */
export async function resolveSession(db: Db, token: string, now: number): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const id = knownSessionIds.get(token) ?? (await sha256Hex(token));
  const [row] = await sessionRead(db).all({ id, now });
  if (!row) {
    knownSessionIds.delete(token);
    return null;
  }
  rememberSessionId(token, id);
  const user = { id: row.userId, email: row.email, name: row.name };
  const memberships = (JSON.parse(row.memberships) as Array<[string, Role, number]>).map(([workspaceId, role, requires]) =>
    requires && !row.twoFactorEnabled ? { workspaceId, role, twoFactorMissing: true } : { workspaceId, role },
  );
  if (now - row.lastSeenAt < TOUCH_INTERVAL_MS) return { sessionId: row.sessionId, user, memberships };
  const expiresAt = now + SESSION_TTL_MS;
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  const renewed = expiresAt - row.expiresAt >= COOKIE_RENEW_MS;
  return { sessionId: row.sessionId, user, memberships, ...(renewed ? { renewedUntil: expiresAt } : {}) };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** The user's live sessions, most recently used first; `current` marks the one asking. */
export async function listUserSessions(db: Db, userId: string, currentSessionId: string, now: number): Promise<SessionSummary[]> {
  const rows = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastUsedAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
  return rows.map((r) => ({
    id: r.id,
    device: deviceLabel(r.userAgent),
    userAgent: r.userAgent,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    current: r.id === currentSessionId,
  }));
}

/** Signs out one of the user's own sessions; another user's id is simply not found. */
export async function revokeUserSession(db: Db, userId: string, sessionId: string): Promise<void> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  if (gone.length === 0) throw notFound('Session');
}

/** Signs out every session of the user but the one asking; how many ended. */
export async function revokeOtherSessions(db: Db, userId: string, currentSessionId: string): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId)))
    .returning({ id: sessions.id });
  return gone.length;
}
