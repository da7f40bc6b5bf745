import { and, eq, gt, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { preparedPerDatabase } from '../../db/prepared';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import type { AuthUser, Membership } from '../contract/accounts';
import type { Role } from '../domain/roles';

/** Idle sessions end after 30 days; each use within that window pushes the end out again. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Sliding expiry is written at most this often, so ordinary requests stay read-only. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

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
      userId: users.id,
      email: users.email,
      name: users.name,
      memberships: sql<string>`(select json_group_array(json_array(m.workspace_id, m.role) order by m.created_at, m.workspace_id)
        from memberships m where m.user_id = "users"."id")`,
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
  const memberships = (JSON.parse(row.memberships) as Array<[string, Role]>).map(([workspaceId, role]) => ({ workspaceId, role }));
  if (now - row.lastSeenAt < TOUCH_INTERVAL_MS) return { sessionId: row.sessionId, user, memberships };
  const expiresAt = now + SESSION_TTL_MS;
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  return { sessionId: row.sessionId, user, memberships, renewedUntil: expiresAt };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}
