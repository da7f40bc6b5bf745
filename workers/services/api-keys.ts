/** Workspace API keys: created and revoked by owners, shown once, stored as a SHA-256 hash. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../db/schema';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import { notFound } from '../domain/errors';
import type { ServiceCtx } from './context';

const KEY_PREFIX = 'lf_key_';

export async function createApiKey(ctx: Pick<ServiceCtx, 'db' | 'clock' | 'newId'>, workspaceId: string, userId: string, name: string) {
  const key = `${KEY_PREFIX}${randomToken(24)}`;
  const row = {
    id: ctx.newId(),
    workspaceId,
    name,
    prefix: key.slice(0, KEY_PREFIX.length + 6),
    keyHash: await sha256Hex(key),
    createdBy: userId,
    createdAt: ctx.clock(),
  };
  await ctx.db.insert(apiKeys).values(row);
  return { id: row.id, name, prefix: row.prefix, createdAt: row.createdAt, key };
}

export async function listApiKeys(db: Db, workspaceId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(asc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  const done = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (done.length === 0) throw notFound('API key');
}

/** The workspace a presented key belongs to, or null for unknown and revoked keys. */
export async function workspaceForKey(db: Db, key: string, now: number): Promise<string | null> {
  return (await apiKeyFor(db, key, now))?.workspaceId ?? null;
}

/** The presented key (its id, for the audit log) and its workspace, or null for unknown and revoked keys. */
export async function apiKeyFor(db: Db, key: string, now: number): Promise<{ id: string; workspaceId: string } | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
  const [row] = await db
    .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  // "Last used" to the hour is enough, and keeps most API calls free of a write.
  if (!row.lastUsedAt || now - row.lastUsedAt > 60 * 60 * 1000)
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  return { id: row.id, workspaceId: row.workspaceId };
}
