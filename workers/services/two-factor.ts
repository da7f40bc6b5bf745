import { signInAudit } from './audit-log';
import { and, asc, count, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { memberships, twoFactorRecoveryCodes, userTwoFactor, users, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import type { AuthUser } from '../contract/accounts';
import { sha256Hex } from '../domain/crypto';
import { AppError, conflict } from '../domain/errors';
import { verifyPassword } from '../domain/password';
import { openSecret, sealSecret } from '../domain/secret-box';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, normaliseTotpInput, otpauthUri, verifyTotp } from '../domain/totp';
import { countTwoFactorAttempt, type AttemptSource } from './auth-throttle';
import type { ServiceCtx } from './context';
import { openSession, type NewSession } from './sessions';

type Ctx = Pick<ServiceCtx, 'db' | 'client' | 'clock' | 'newId'>;

const SEAL_PURPOSE = 'totp-secret';
/** Between the password and the code: long enough to open the authenticator app, short enough to be useless if taken. */
export const PENDING_LOGIN_TTL_MS = 5 * 60 * 1000;

const wrongCode = (message = 'That code is not right. Enter the current 6-digit code from your authenticator app, or a recovery code.') =>
  new AppError(400, 'invalid_code', message, [{ path: 'code', message }]);

async function recoveryCodeHash(appSecret: string, userId: string, code: string) {
  return sha256Hex(`${appSecret}|recovery-code|${userId}|${code}`);
}

async function enabledRow(db: Db, userId: string) {
  const [row] = await db
    .select()
    .from(userTwoFactor)
    .where(and(eq(userTwoFactor.userId, userId), isNotNull(userTwoFactor.enabledAt)));
  return row;
}

export async function hasTwoFactor(db: Db, userId: string): Promise<boolean> {
  return (await enabledRow(db, userId)) !== undefined;
}

/** The workspaces of the member that require two-factor authentication. */
async function workspacesRequiringTwoFactor(db: Db, userId: string) {
  const rows = await db
    .select({ id: workspaces.id, name: workspaces.name, settings: workspaces.settings })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.filter((w) => w.settings.requireTwoFactor === true).map((w) => ({ id: w.id, name: w.name }));
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: number | null;
  recoveryCodesLeft: number;
  /** Workspaces whose owners require it: the member cannot use them until it is on, nor turn it off. */
  requiredBy: Array<{ id: string; name: string }>;
}

export async function twoFactorStatus(db: Db, userId: string): Promise<TwoFactorStatus> {
  const [row, [codes], requiredBy] = await Promise.all([
    enabledRow(db, userId),
    db.select({ n: count() }).from(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)),
    workspacesRequiringTwoFactor(db, userId),
  ]);
  return { enabled: row !== undefined, enabledAt: row?.enabledAt ?? null, recoveryCodesLeft: row ? (codes?.n ?? 0) : 0, requiredBy };
}

/**
 * Starts (or restarts) enrolment: a new secret, sealed, on an unconfirmed row. The secret is
 * returned here, to show as a QR code and as text, and never again.
 */
export async function beginTwoFactorSetup(ctx: Ctx, appSecret: string, user: AuthUser) {
  const { db, clock } = ctx;
  if (await hasTwoFactor(db, user.id)) {
    throw conflict('Two-factor authentication is already on. Turn it off first to move it to another device.', 'two_factor_enabled');
  }
  const secret = newTotpSecret();
  const values = { secretSealed: await sealSecret(appSecret, SEAL_PURPOSE, user.id, secret), createdAt: clock(), lastUsedStep: null };
  await db
    .insert(userTwoFactor)
    .values({ userId: user.id, ...values })
    .onConflictDoUpdate({ target: userTwoFactor.userId, set: values });
  return { secret, otpauthUri: otpauthUri(secret, user.email) };
}

/**
 * Accepts the TOTP code if it is valid now and newer than the last one used, recording its step in
 * the same statement: of two requests racing with one code, only one can move the step forward.
 */
async function consumeTotp(db: Db, appSecret: string, userId: string, code: string, now: number, confirmedOnly: boolean) {
  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, userId));
  if (!row || (confirmedOnly && row.enabledAt === null)) return false;
  const secret = await openSecret(appSecret, SEAL_PURPOSE, userId, row.secretSealed);
  if (!secret) return false;
  const step = await verifyTotp(secret, code, now, row.lastUsedStep);
  if (step === null) return false;
  const moved = await db
    .update(userTwoFactor)
    .set({ lastUsedStep: step })
    .where(and(eq(userTwoFactor.userId, userId), or(isNull(userTwoFactor.lastUsedStep), lt(userTwoFactor.lastUsedStep, step))))
    .returning({ userId: userTwoFactor.userId });
  return moved.length === 1;
}

/** A used recovery code is deleted; deleting it is also what decides which of two racing requests wins. */
async function consumeRecoveryCode(db: Db, appSecret: string, userId: string, code: string) {
  const gone = await db
    .delete(twoFactorRecoveryCodes)
    .where(
      and(eq(twoFactorRecoveryCodes.userId, userId), eq(twoFactorRecoveryCodes.codeHash, await recoveryCodeHash(appSecret, userId, code))),
    )
    .returning({ userId: twoFactorRecoveryCodes.userId });
  return gone.length === 1;
}

export type SecondFactorMethod = 'totp' | 'recovery_code';

/**
 * Checks a second factor of a member with 2FA on: six digits are an authenticator code, anything
 * else is tried as a recovery code. Throttled (429 with `Retry-After`) before the check; a wrong
 * code is a 400 `invalid_code` on the `code` field.
 */
export async function verifySecondFactor(
  ctx: Ctx,
  source: AttemptSource,
  userId: string,
  input: string,
): Promise<{ method: SecondFactorMethod }> {
  const { db, client, clock } = ctx;
  const attempt = await countTwoFactorAttempt(client, source, userId, clock());
  const totp = normaliseTotpInput(input);
  const recovery = totp ? null : normaliseRecoveryCode(input);
  const ok = totp
    ? await consumeTotp(db, source.secret, userId, totp, clock(), true)
    : recovery
      ? (await hasTwoFactor(db, userId)) && (await consumeRecoveryCode(db, source.secret, userId, recovery))
      : false;
  if (!ok) throw wrongCode();
  await attempt.succeeded();
  return { method: totp ? 'totp' : 'recovery_code' };
}

async function replaceRecoveryCodes(db: Db, appSecret: string, userId: string, now: number) {
  const codes = newRecoveryCodes();
  const rows = await Promise.all(
    codes.map(async (code) => ({ userId, codeHash: await recoveryCodeHash(appSecret, userId, code), createdAt: now })),
  );
  return {
    codes,
    statements: [
      db.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)),
      db.insert(twoFactorRecoveryCodes).values(rows),
    ] as const,
  };
}

/** Confirms enrolment with a code from the app; turns 2FA on and returns the recovery codes, shown this once. */
export async function confirmTwoFactorSetup(ctx: Ctx, source: AttemptSource, userId: string, code: string) {
  const { db, client, clock } = ctx;
  const [row] = await db.select().from(userTwoFactor).where(eq(userTwoFactor.userId, userId));
  if (!row) throw conflict('Start the setup first: it gives you the QR code to scan.', 'two_factor_not_started');
  if (row.enabledAt !== null) throw conflict('Two-factor authentication is already on.', 'two_factor_enabled');
  const attempt = await countTwoFactorAttempt(client, source, userId, clock());
  const totp = normaliseTotpInput(code);
  if (!totp || !(await consumeTotp(db, source.secret, userId, totp, clock(), false))) {
    throw wrongCode('That code is not right. Enter the 6-digit code your authenticator app shows now for Leadflare.');
  }
  await attempt.succeeded();
  const now = clock();
  const { codes, statements } = await replaceRecoveryCodes(db, source.secret, userId, now);
  await db.batch([db.update(userTwoFactor).set({ enabledAt: now }).where(eq(userTwoFactor.userId, userId)), ...statements]);
  return { enabled: true as const, enabledAt: now, recoveryCodes: codes };
}

/** What a member gives to change their 2FA: a current code (or recovery code), or their password. */
export type TwoFactorProof = { code: string; password?: undefined } | { password: string; code?: undefined };

async function checkProof(ctx: Ctx, source: AttemptSource, userId: string, proof: TwoFactorProof) {
  if (proof.code !== undefined) return verifySecondFactor(ctx, source, userId, proof.code);
  const { db, client, clock } = ctx;
  const attempt = await countTwoFactorAttempt(client, source, userId, clock());
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!row || !(await verifyPassword(proof.password, row.passwordHash))) {
    const message = 'That password is not right.';
    throw new AppError(400, 'invalid_password', message, [{ path: 'password', message }]);
  }
  await attempt.succeeded();
}

export async function disableTwoFactor(ctx: Ctx, source: AttemptSource, userId: string, proof: TwoFactorProof) {
  const { db } = ctx;
  if (!(await hasTwoFactor(db, userId))) throw conflict('Two-factor authentication is not on.', 'two_factor_not_enabled');
  const requiredBy = await workspacesRequiringTwoFactor(db, userId);
  if (requiredBy.length) {
    throw conflict(
      `${requiredBy.map((w) => w.name).join(', ')} ${requiredBy.length === 1 ? 'requires' : 'require'} two-factor authentication, so it stays on while you are a member.`,
      'two_factor_required',
    );
  }
  await checkProof(ctx, source, userId, proof);
  await db.batch([
    db.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId)),
    db.delete(userTwoFactor).where(eq(userTwoFactor.userId, userId)),
  ]);
}

/** New recovery codes (the old ones stop working), shown this once. */
export async function regenerateRecoveryCodes(ctx: Ctx, source: AttemptSource, userId: string, proof: TwoFactorProof) {
  const { db, clock } = ctx;
  if (!(await hasTwoFactor(db, userId))) throw conflict('Turn on two-factor authentication first.', 'two_factor_not_enabled');
  await checkProof(ctx, source, userId, proof);
  const { codes, statements } = await replaceRecoveryCodes(db, source.secret, userId, clock());
  await db.batch(statements);
  return { recoveryCodes: codes };
}

// ── Sign-in's second step ────────────────────────────────────────────────────

interface PendingLogin {
  kind: 'pending-login';
  userId: string;
  /** A fingerprint of the password hash: a password change in between voids the token. */
  pw: string;
  exp: number;
}

async function passwordFingerprint(passwordHash: string) {
  return (await sha256Hex(`pending-login|${passwordHash}`)).slice(0, 16);
}

/** A signed, short-lived proof that the password was right; not a session, and useless without a code. */
export async function pendingLoginToken(appSecret: string, userId: string, passwordHash: string, now: number) {
  const expiresAt = now + PENDING_LOGIN_TTL_MS;
  const payload: PendingLogin = { kind: 'pending-login', userId, pw: await passwordFingerprint(passwordHash), exp: expiresAt };
  return { pendingToken: await signToken(appSecret, payload), expiresAt };
}

const loginExpired = () =>
  new AppError(401, 'login_expired', 'This sign-in has expired or is not valid. Sign in again with your email and password.');

/** The second step of sign-in: the pending token and a code; only now is the session created. */
export async function completeTwoFactorLogin(
  ctx: Ctx,
  source: AttemptSource & { replacesSessionId?: string },
  pendingToken: string,
  code: string,
): Promise<{ user: AuthUser; session: NewSession; method: SecondFactorMethod }> {
  const { db, clock } = ctx;
  const pending = await verifyToken<PendingLogin>(source.secret, pendingToken);
  if (!pending || pending.kind !== 'pending-login' || typeof pending.exp !== 'number' || pending.exp <= clock()) throw loginExpired();
  const [row] = await db.select().from(users).where(eq(users.id, pending.userId));
  if (!row || (await passwordFingerprint(row.passwordHash)) !== pending.pw) throw loginExpired();
  const { method } = await verifySecondFactor(ctx, source, row.id, code);
  const audit = await signInAudit(ctx, row.id, source, method === 'recovery_code' ? 'with a recovery code' : 'with an authenticator code');
  const session = await openSession(db, row.id, clock(), source, audit);
  return { user: { id: row.id, email: row.email, name: row.name }, session, method };
}

/** Whether the owner may require 2FA in a workspace: only with it on themselves, so they cannot lock themselves out. */
export async function assertCanRequireTwoFactor(db: Db, userId: string): Promise<void> {
  if (!(await hasTwoFactor(db, userId))) {
    const message = 'Turn on two-factor authentication for your own account first (Settings › Security).';
    throw new AppError(409, 'two_factor_not_enabled', message, [{ path: 'requireTwoFactor', message }]);
  }
}
