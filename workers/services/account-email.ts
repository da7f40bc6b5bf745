/**
 * Account mail and the single-use links in it: password reset and email verification. A link
 * carries a random token; only its SHA-256 is stored (`account_tokens`), so a leaked table opens
 * nothing. Mail is queued in the same batch as its token and sent after the response
 * (services/email.ts).
 */
import { and, eq, isNull } from 'drizzle-orm';
import { accountTokens, sessions, users } from '../../db/schema';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import { passwordResetEmail, verificationEmail } from '../domain/email-templates';
import { AppError, TooManyAttempts } from '../domain/errors';
import { hashPassword } from '../domain/password';
import type { AuthUser } from '../contract/accounts';
import type { AttemptSource } from './auth-throttle';
import type { ServiceCtx } from './context';
import { emailOutboxInsert } from './email';
import { countHits } from './rate-limits';
import { sessionRow, type NewSession } from './sessions';

export const PASSWORD_RESET_TTL_MS = 30 * 60 * 1000;
export const VERIFICATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Reset mails per address and per IP hash in one throttle window (AuthLimits.windowMs): enough for a typo and a retry, too few to flood an inbox. */
export const RESET_REQUESTS_PER_ACCOUNT = 3;
export const RESET_REQUESTS_PER_IP = 20;
/** Verification mails a member may ask for again in one window. */
export const VERIFICATION_RESENDS_PER_ACCOUNT = 3;

type MailCtx = Pick<ServiceCtx, 'db' | 'client' | 'clock' | 'newId' | 'notifyEmails'>;

async function accountKey(kind: string, secret: string, email: string) {
  return `${kind}:account:${(await sha256Hex(`${secret}|account|${email}`)).slice(0, 32)}`;
}

async function newAccountToken(userId: string, purpose: 'password_reset' | 'email_verification', now: number, ttlMs: number) {
  const token = randomToken();
  return { token, row: { tokenHash: await sha256Hex(token), userId, purpose, createdAt: now, expiresAt: now + ttlMs } };
}

// ── Password reset ───────────────────────────────────────────────────────────

/**
 * Mails a reset link if the address has an account; the caller answers the same either way. Both
 * paths count against the throttle, hash a fresh token and write one batch, so neither the answer
 * nor (beyond noise) its timing says whether the address is known. `linkBase`: the app's origin.
 */
export async function requestPasswordReset(ctx: MailCtx, email: string, source: AttemptSource, linkBase: string): Promise<void> {
  const { db, clock } = ctx;
  const now = clock();
  const window = source.limits.windowMs;
  const hits = await countHits(
    ctx.client,
    [
      { key: `reset:ip:${source.ipHash}`, window: { limit: RESET_REQUESTS_PER_IP, windowMs: window } },
      { key: await accountKey('reset', source.secret, email), window: { limit: RESET_REQUESTS_PER_ACCOUNT, windowMs: window } },
    ],
    now,
  );
  const waits = hits.map((h) => h.retryAfterSeconds).filter((s): s is number => s !== null);
  if (waits.length) {
    const wait = Math.max(...waits);
    throw new TooManyAttempts(
      wait,
      `Too many reset requests. Try again in ${Math.max(1, Math.ceil(wait / 60))} minute${wait > 60 ? 's' : ''}.`,
    );
  }

  const [user] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.email, email)).limit(1);
  const { token, row } = await newAccountToken(user?.id ?? '', 'password_reset', now, PASSWORD_RESET_TTL_MS);
  if (!user) {
    // The same shape of work as a real request: one write batch (that changes nothing).
    await db.batch([db.delete(accountTokens).where(eq(accountTokens.tokenHash, row.tokenHash))]);
    return;
  }
  const mail = passwordResetEmail({
    name: user.name,
    url: `${linkBase}/reset-password/${token}`,
    validMinutes: PASSWORD_RESET_TTL_MS / 60_000,
  });
  const queued = emailOutboxInsert(ctx, { kind: 'password_reset', to: email, userId: user.id, ...mail });
  await db.batch([db.insert(accountTokens).values(row), queued.statement]);
  ctx.notifyEmails([queued.id]);
}

export type TokenProblem = 'invalid' | 'used' | 'expired';

const PROBLEMS: Record<TokenProblem, { code: string; message: string }> = {
  invalid: { code: 'link_invalid', message: 'This link is not valid. Check that you copied all of it, or ask for a new one.' },
  used: { code: 'link_used', message: 'This link has already been used. Ask for a new one if you still need it.' },
  expired: { code: 'link_expired', message: 'This link has expired. Ask for a new one.' },
};

export class AccountLinkError extends AppError {
  constructor(readonly problem: TokenProblem) {
    super(410, PROBLEMS[problem].code, PROBLEMS[problem].message);
  }
}

async function findToken(db: Db, token: string, purpose: 'password_reset' | 'email_verification', now: number) {
  if (!token || token.length > 100) throw new AccountLinkError('invalid');
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, await sha256Hex(token)), eq(accountTokens.purpose, purpose)))
    .limit(1);
  if (!row) throw new AccountLinkError('invalid');
  if (row.usedAt !== null) throw new AccountLinkError('used');
  if (row.expiresAt <= now) throw new AccountLinkError('expired');
  return row;
}

/** Whether a reset link can still be used (the page shows the form, or says why not). */
export async function checkPasswordResetToken(db: Db, token: string, now: number): Promise<void> {
  await findToken(db, token, 'password_reset', now);
}

/**
 * Sets the new password from a reset link: the link is used up (and every other open reset link
 * of the member with it), every session of the member ends, and a fresh one is returned. Following
 * the link also proves the address, so it counts as verified.
 */
export async function resetPassword(
  ctx: Pick<ServiceCtx, 'db' | 'clock'>,
  token: string,
  password: string,
  userAgent?: string,
): Promise<{ user: AuthUser; session: NewSession }> {
  const { db, clock } = ctx;
  const now = clock();
  const found = await findToken(db, token, 'password_reset', now);
  // The claim: of two requests with the same link, only one sees the row still unused.
  const claimed = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.tokenHash, found.tokenHash), isNull(accountTokens.usedAt)))
    .returning({ userId: accountTokens.userId });
  if (claimed.length === 0) throw new AccountLinkError('used');
  const passwordHash = await hashPassword(password);
  const { session, row } = await sessionRow(found.userId, now, userAgent);
  const [, , , updated] = await db.batch([
    db
      .update(accountTokens)
      .set({ usedAt: now })
      .where(and(eq(accountTokens.userId, found.userId), eq(accountTokens.purpose, 'password_reset'), isNull(accountTokens.usedAt))),
    db.delete(sessions).where(eq(sessions.userId, found.userId)),
    db.insert(sessions).values(row),
    db
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, found.userId))
      .returning({ id: users.id, email: users.email, name: users.name, emailVerifiedAt: users.emailVerifiedAt }),
  ]);
  const user = updated[0]!;
  if (user.emailVerifiedAt === null) await db.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, user.id));
  return { user: { id: user.id, email: user.email, name: user.name }, session };
}

// ── Email verification ───────────────────────────────────────────────────────

/** The verification mail for a member (at sign-up, or asked for again), as statements for the caller's batch. */
export async function verificationMail(ctx: Pick<ServiceCtx, 'db' | 'clock' | 'newId'>, user: AuthUser, linkBase: string) {
  const now = ctx.clock();
  const { token, row } = await newAccountToken(user.id, 'email_verification', now, VERIFICATION_TTL_MS);
  const mail = verificationEmail({ name: user.name, url: `${linkBase}/verify-email/${token}` });
  const queued = emailOutboxInsert(ctx, { kind: 'email_verification', to: user.email, userId: user.id, ...mail });
  return { emailId: queued.id, statements: [ctx.db.insert(accountTokens).values(row), queued.statement] as const };
}

/** Sends the verification mail again (throttled per member); a verified member gets none. */
export async function resendVerification(ctx: MailCtx, user: AuthUser, secret: string, windowMs: number, linkBase: string) {
  const { db, clock } = ctx;
  const [current] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
  if (current?.verifiedAt != null) return { sent: false, verified: true };
  const [hit] = await countHits(
    ctx.client,
    [{ key: await accountKey('verify', secret, user.email), window: { limit: VERIFICATION_RESENDS_PER_ACCOUNT, windowMs } }],
    clock(),
  );
  if (hit!.retryAfterSeconds !== null) {
    throw new TooManyAttempts(hit!.retryAfterSeconds, 'We sent several already: check your spam folder, or try again in a few minutes.');
  }
  const { emailId, statements } = await verificationMail(ctx, user, linkBase);
  await db.batch(statements);
  ctx.notifyEmails([emailId]);
  return { sent: true, verified: false };
}

/** Follows a verification link: the member's address is marked verified (the link stays usable until it expires, harmlessly). */
export async function verifyEmail(ctx: Pick<ServiceCtx, 'db' | 'clock'>, token: string): Promise<{ userId: string }> {
  const { db, clock } = ctx;
  const now = clock();
  const found = await findToken(db, token, 'email_verification', now);
  await db.batch([
    db.update(accountTokens).set({ usedAt: now }).where(eq(accountTokens.tokenHash, found.tokenHash)),
    db
      .update(users)
      .set({ emailVerifiedAt: now })
      .where(and(eq(users.id, found.userId), isNull(users.emailVerifiedAt))),
  ]);
  return { userId: found.userId };
}

/** Whether the member confirmed their address, for the app's banner. */
export async function verificationStatus(db: Db, userId: string): Promise<{ verified: boolean }> {
  const [row] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return { verified: row?.at != null };
}

/** The verification mail right after sign-up (its own small write; a member who never gets it can ask again from the app). */
export async function sendSignupVerification(ctx: MailCtx, user: AuthUser, linkBase: string): Promise<void> {
  const { emailId, statements } = await verificationMail(ctx, user, linkBase);
  await ctx.db.batch(statements);
  ctx.notifyEmails([emailId]);
}
