import { and, eq, gt } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import type { AuthUser } from '../deps';

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

export async function createSession(db: Db, userId: string, now: number, userAgent?: string): Promise<NewSession> {
  const { session, row } = await sessionRow(userId, now, userAgent);
  await db.insert(sessions).values(row);
  return session;
}

export interface ResolvedSession {
  sessionId: string;
  user: AuthUser;
  /** Set when the expiry was extended, so the cookie's Max-Age is refreshed too. */
  renewedUntil?: number;
}

/** The session for a cookie token, or null if unknown, revoked (deleted) or expired. */
export async function resolveSession(db: Db, token: string, now: number): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const id = await sha256Hex(token);
  const [row] = await db
    .select({ sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt, userId: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const user = { id: row.userId, email: row.email, name: row.name };
  if (now - row.lastSeenAt < TOUCH_INTERVAL_MS) return { sessionId: row.sessionId, user };
  const expiresAt = now + SESSION_TTL_MS;
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  return { sessionId: row.sessionId, user, renewedUntil: expiresAt };
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}
