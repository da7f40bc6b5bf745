/**
 * Cloudflare Turnstile for capture forms: a funnel's setting (on/off and the public site key),
 * the workspace's secret key, and verifying a posted token server-side.
 *
 * The secret: a workspace owner stores their own (it wins); otherwise the deployment's
 * `TURNSTILE_SECRET_KEY` is used, for an installation whose operator owns the Turnstile widget.
 * Like webhook secrets it is stored as given, since siteverify needs it in the clear, and never
 * sent back after saving — only a hint of its last characters.
 *
 * Verifying: a token is remembered by hash for its lifetime before the verifier is asked, so a
 * replay is refused here even if the verifier were lenient, and two concurrent posts of one
 * token cannot both pass. The verifier (siteverify, URL configurable so tests use a stand-in) is
 * given a few seconds; when it does not answer the visitor is told to try again and nothing is
 * stored.
 */
import type { Client } from '@libsql/client';
import { and, eq, sql } from 'drizzle-orm';
import { funnels, turnstileSecrets, turnstileSettings } from '../../db/schema';
import type { Db } from '../../db/types';
import { sha256Hex } from '../domain/crypto';
import { notFound, validationFailed } from '../domain/errors';
import { funnelCacheKeys } from './page-cache';
import type { ServiceCtx } from './context';
import { log } from '../logger';

export const DEFAULT_TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Turnstile tokens are valid for 300 seconds; a hash is kept that long. */
export const TURNSTILE_TOKEN_LIFETIME_MS = 300_000;
export const DEFAULT_TURNSTILE_TIMEOUT_MS = 3_000;

/** How this deployment reaches siteverify (AppDeps.turnstile). */
export interface TurnstileConfig {
  verifyUrl?: string;
  timeoutMs?: number;
  /** The deployment-wide secret key (env TURNSTILE_SECRET_KEY), used where a workspace has none of its own. */
  secretKey?: string;
}

export type SecretSource = 'workspace' | 'environment' | null;

export interface TurnstileSecretView {
  /** Whose secret verifies tokens: the workspace's own, the deployment's, or none (the check cannot be turned on). */
  source: SecretSource;
  /** The last characters of the workspace's own secret, to tell it apart; null otherwise. */
  hint: string | null;
}

export interface TurnstileSettingsView {
  enabled: boolean;
  siteKey: string | null;
  secret: TurnstileSecretView;
}

const hintOf = (secret: string) => `…${secret.slice(-4)}`;

export async function turnstileSecretView(db: Db, workspaceId: string, config: TurnstileConfig | undefined): Promise<TurnstileSecretView> {
  const [row] = await db
    .select({ secretKey: turnstileSecrets.secretKey })
    .from(turnstileSecrets)
    .where(eq(turnstileSecrets.workspaceId, workspaceId));
  if (row) return { source: 'workspace', hint: hintOf(row.secretKey) };
  return { source: config?.secretKey ? 'environment' : null, hint: null };
}

/** The secret key that verifies this workspace's tokens, or null when there is none. */
export async function turnstileSecretFor(db: Db, workspaceId: string, config: TurnstileConfig | undefined): Promise<string | null> {
  const [row] = await db
    .select({ secretKey: turnstileSecrets.secretKey })
    .from(turnstileSecrets)
    .where(eq(turnstileSecrets.workspaceId, workspaceId));
  return row?.secretKey ?? config?.secretKey ?? null;
}

export async function saveTurnstileSecret(
  db: Db,
  workspaceId: string,
  secretKey: string,
  now: number,
  config: TurnstileConfig | undefined,
): Promise<TurnstileSecretView> {
  await db
    .insert(turnstileSecrets)
    .values({ workspaceId, secretKey, updatedAt: now })
    .onConflictDoUpdate({ target: turnstileSecrets.workspaceId, set: { secretKey, updatedAt: now } });
  return turnstileSecretView(db, workspaceId, config);
}

/** Removes the workspace's own secret; funnels that have the check on fall back to the deployment's, or stop accepting posts. */
export async function deleteTurnstileSecret(
  db: Db,
  workspaceId: string,
  config: TurnstileConfig | undefined,
): Promise<TurnstileSecretView> {
  await db.delete(turnstileSecrets).where(eq(turnstileSecrets.workspaceId, workspaceId));
  return turnstileSecretView(db, workspaceId, config);
}

async function funnelOf(db: Db, workspaceId: string, funnelId: string) {
  const [funnel] = await db
    .select({ id: funnels.id, slug: funnels.slug })
    .from(funnels)
    .where(and(eq(funnels.id, funnelId), eq(funnels.workspaceId, workspaceId)));
  if (!funnel) throw notFound('Funnel');
  return funnel;
}

export async function getTurnstileSettings(
  db: Db,
  workspaceId: string,
  funnelId: string,
  config: TurnstileConfig | undefined,
): Promise<TurnstileSettingsView> {
  await funnelOf(db, workspaceId, funnelId);
  const [row] = await db
    .select({ enabled: turnstileSettings.enabled, siteKey: turnstileSettings.siteKey })
    .from(turnstileSettings)
    .where(and(eq(turnstileSettings.funnelId, funnelId), eq(turnstileSettings.workspaceId, workspaceId)));
  return { enabled: row?.enabled ?? false, siteKey: row?.siteKey ?? null, secret: await turnstileSecretView(db, workspaceId, config) };
}

/**
 * Turns the check on or off for every capture form of the funnel. On needs a site key and a
 * secret to verify with (a form nobody can send is worse than none). The funnel's cached pages
 * are dropped so the widget appears, or goes, on the next view.
 */
export async function saveTurnstileSettings(
  ctx: Pick<ServiceCtx, 'db' | 'clock' | 'pageCache'>,
  workspaceId: string,
  funnelId: string,
  input: { enabled: boolean; siteKey: string | null },
  config: TurnstileConfig | undefined,
): Promise<TurnstileSettingsView> {
  const funnel = await funnelOf(ctx.db, workspaceId, funnelId);
  const secret = await turnstileSecretView(ctx.db, workspaceId, config);
  if (input.enabled && !input.siteKey)
    throw validationFailed([{ path: 'siteKey', message: 'Enter the site key of your Turnstile widget.' }]);
  if (input.enabled && !secret.source) {
    throw validationFailed([
      { path: 'enabled', message: 'Add the widget’s secret key first (a workspace owner does that here), so posts can be verified.' },
    ]);
  }
  const now = ctx.clock();
  await ctx.db
    .insert(turnstileSettings)
    .values({ funnelId, workspaceId, enabled: input.enabled, siteKey: input.siteKey, updatedAt: now })
    .onConflictDoUpdate({ target: turnstileSettings.funnelId, set: { enabled: input.enabled, siteKey: input.siteKey, updatedAt: now } });
  const pages = await ctx.db.all<{ slug: string }>(sql`select slug from funnel_pages where funnel_id = ${funnelId}`);
  await ctx.pageCache.delete(
    funnelCacheKeys(
      funnel.slug,
      pages.map((p) => p.slug),
    ),
  );
  return { enabled: input.enabled, siteKey: input.siteKey, secret };
}

// ── Verifying a posted token ─────────────────────────────────────────────────

export type HumanCheck =
  | { ok: true }
  /** `missing`: no token (JavaScript off, widget not done); `invalid`: the verifier said no; `replayed`: used before; `unavailable`: the verifier did not answer (retry). */
  | { ok: false; reason: 'missing' | 'invalid' | 'replayed' | 'unavailable' };

export interface VerifyRequest {
  token: string | undefined;
  secretKey: string;
  /** The visitor's IP, passed on as siteverify's `remoteip`. */
  ip: string;
  now: number;
}

const MAX_TOKEN_LENGTH = 2048;
const PRUNE_BATCH = 100;

export async function verifyTurnstileToken(
  client: Client,
  config: TurnstileConfig | undefined,
  request: VerifyRequest,
): Promise<HumanCheck> {
  const token = request.token?.trim();
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' };
  const hash = await sha256Hex(`turnstile|${token}`);
  // Claimed before asking the verifier; expired rows are dropped a few at a time on the way (no scheduled job needed).
  const [claimed] = await client.batch(
    [
      {
        sql: `insert into turnstile_tokens (token_hash, expires_at) values (?, ?)
              on conflict (token_hash) do update set expires_at = excluded.expires_at where turnstile_tokens.expires_at <= ?
              returning token_hash`,
        args: [hash, request.now + TURNSTILE_TOKEN_LIFETIME_MS, request.now],
      },
      {
        sql: 'delete from turnstile_tokens where token_hash in (select token_hash from turnstile_tokens where expires_at <= ? limit ?)',
        args: [request.now, PRUNE_BATCH],
      },
    ],
    'write',
  );
  if (!claimed?.rows.length) return { ok: false, reason: 'replayed' };

  const body = new URLSearchParams({ secret: request.secretKey, response: token, remoteip: request.ip });
  let answer: { success?: unknown; 'error-codes'?: unknown };
  try {
    const res = await fetch(config?.verifyUrl ?? DEFAULT_TURNSTILE_VERIFY_URL, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(config?.timeoutMs ?? DEFAULT_TURNSTILE_TIMEOUT_MS),
    });
    if (!res.ok) {
      log.warn('Turnstile siteverify answered with an error status', { status: res.status });
      return { ok: false, reason: 'unavailable' };
    }
    answer = (await res.json()) as typeof answer;
  } catch (err) {
    log.warn('Turnstile siteverify did not answer', { err });
    return { ok: false, reason: 'unavailable' };
  }
  if (answer.success === true) return { ok: true };
  const codes = Array.isArray(answer['error-codes']) ? answer['error-codes'].map(String) : [];
  if (codes.includes('timeout-or-duplicate')) return { ok: false, reason: 'replayed' };
  // A wrong secret or Cloudflare's own failure is ours to fix, not the visitor's: said in the log, answered as "try again".
  if (codes.some((code) => code.includes('secret') || code === 'internal-error')) {
    log.error('Turnstile siteverify refused our request', { codes });
    return { ok: false, reason: 'unavailable' };
  }
  return { ok: false, reason: 'invalid' };
}

/** What the visitor reads next to the form, per reason. */
export const HUMAN_CHECK_MESSAGES: Record<Exclude<HumanCheck, { ok: true }>['reason'], string> = {
  missing: 'Please complete the “I am human” check above the button, then send the form again (it needs JavaScript).',
  invalid: 'The “I am human” check did not pass. Please complete it again and send the form.',
  replayed: 'That “I am human” check was already used. Please complete it again and send the form.',
  unavailable: 'We could not confirm the “I am human” check just now. Nothing was saved; please try again in a few seconds.',
};
