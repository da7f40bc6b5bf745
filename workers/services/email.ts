/**
 * The email outbox. A change that should send mail writes its `email_outbox` row with the change
 * (`queueEmail`, or `emailOutboxInsert` inside the caller's own batch) and hands the id to the
 * dispatcher once committed; the send itself happens after the response, never inside the
 * visitor's request. `deliverEmail` claims a row (so two senders never send it twice at once),
 * calls the Mailer, and records the result: sent, or the next attempt with exponential backoff,
 * or `failed` after MAX_EMAIL_ATTEMPTS or a permanent refusal. Who calls it differs per runtime
 * (node/email-dispatcher.ts in-process; cloudflare/email.ts through a Queue); `sendDueEmails`,
 * run by the scheduled job, sweeps whatever a restart or a lost message left behind.
 *
 * @example
 * // In a service, after (or as part of) the write that causes the mail:
 * const id = await queueEmail(ctx, { kind: 'lead_magnet', workspaceId, to: lead.email, ...renderedMail,
 *   headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
 */
import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import type { Db } from '../../db/types';
import type { EmailKind } from '../domain/email-kinds';
import type { ServiceCtx, ServiceDeps } from './context';
import { EmailSendError } from './ports';

export const MAX_EMAIL_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;
/** How long a claimed row is reserved for its sender: longer than the provider timeout plus bookkeeping. */
const CLAIM_LEASE_MS = 60_000;

export interface EmailMessage {
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` on anything sent to a lead. */
  headers?: Record<string, string>;
  /** Omit for the deployment's sender (EMAIL_FROM). */
  from?: string;
  /** The workspace the mail belongs to (its members see it in the dev outbox); null for account mail. */
  workspaceId?: string | null;
  /** The member it is addressed to, for account mail. */
  userId?: string | null;
}

export type EmailCtx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'notifyEmails'>;

/**
 * The insert for one message, to run in the caller's own `db.batch` (so the mail exists exactly
 * when the change does). After the batch commits, call `ctx.notifyEmails([id])`.
 */
export function emailOutboxInsert(ctx: Pick<ServiceCtx, 'db' | 'clock' | 'newId'>, message: EmailMessage) {
  const now = ctx.clock();
  const id = ctx.newId();
  const statement = ctx.db.insert(emailOutbox).values({
    id,
    workspaceId: message.workspaceId ?? null,
    userId: message.userId ?? null,
    kind: message.kind,
    toAddress: message.to,
    fromAddress: message.from ?? null,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: message.headers ?? {},
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  });
  return { id, statement };
}

/** Writes the message to the outbox and hands it to the dispatcher, which sends it after the response. Returns the outbox id. */
export async function queueEmail(ctx: EmailCtx, message: EmailMessage): Promise<string> {
  const { id, statement } = emailOutboxInsert(ctx, message);
  await statement;
  ctx.notifyEmails([id]);
  return id;
}

// ── Sending ──────────────────────────────────────────────────────────────────

export type EmailDeps = Pick<ServiceDeps, 'database' | 'clock' | 'mailer'>;

export type EmailOutcome =
  | { kind: 'sent'; attempts: number; providerId: string }
  | { kind: 'retry'; attempts: number; retryAt: number; error: string }
  | { kind: 'failed'; attempts: number; error: string }
  /** Queued, but not due yet or being sent by someone else right now. */
  | { kind: 'not_due'; at: number }
  /** Already sent or failed (or deleted): nothing to do. */
  | { kind: 'done' };

/** Delay before attempt `attempts + 1`: 30 s · 4^(n−1) (30 s, 2 min, 8 min, 32 min, ~2 h), ±20 % jitter. */
export function emailRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 4 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** One attempt at one queued, due row. */
export async function deliverEmail(deps: EmailDeps, emailId: string, options: { random?: () => number } = {}): Promise<EmailOutcome> {
  const { db } = deps.database;
  const o = emailOutbox;
  const now = deps.clock();
  const [row] = await db
    .update(o)
    .set({ nextAttemptAt: now + CLAIM_LEASE_MS })
    .where(and(eq(o.id, emailId), eq(o.status, 'queued'), or(isNull(o.nextAttemptAt), lte(o.nextAttemptAt, now))))
    .returning();
  if (!row) {
    const [current] = await db.select({ status: o.status, nextAttemptAt: o.nextAttemptAt }).from(o).where(eq(o.id, emailId));
    return current?.status === 'queued' ? { kind: 'not_due', at: current.nextAttemptAt ?? now } : { kind: 'done' };
  }

  const attempts = row.attempts + 1;
  let outcome: EmailOutcome;
  try {
    const { providerId } = await deps.mailer.send({
      to: row.toAddress,
      from: row.fromAddress ?? deps.mailer.defaultFrom,
      subject: row.subject,
      text: row.text,
      html: row.html,
      headers: row.headers,
      idempotencyKey: row.id,
    });
    outcome = { kind: 'sent', attempts, providerId };
  } catch (err) {
    const permanent = err instanceof EmailSendError && err.permanent;
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    if (permanent || attempts >= MAX_EMAIL_ATTEMPTS) outcome = { kind: 'failed', attempts, error };
    else outcome = { kind: 'retry', attempts, retryAt: deps.clock() + emailRetryDelayMs(attempts, options.random), error };
  }

  const finishedAt = deps.clock();
  await db
    .update(o)
    .set({
      status: outcome.kind === 'retry' ? 'queued' : outcome.kind === 'sent' ? 'sent' : 'failed',
      attempts,
      nextAttemptAt: outcome.kind === 'retry' ? outcome.retryAt : null,
      lastError: outcome.kind === 'sent' ? null : 'error' in outcome ? outcome.error : null,
      providerId: outcome.kind === 'sent' ? outcome.providerId : null,
      sentAt: outcome.kind === 'sent' ? finishedAt : null,
    })
    .where(and(eq(o.id, row.id), eq(o.status, 'queued'), eq(o.attempts, row.attempts)));
  return outcome;
}

async function dueEmailIds(db: Db, now: number, limit: number): Promise<string[]> {
  const o = emailOutbox;
  const rows = await db
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.status, 'queued'), lte(o.nextAttemptAt, now)))
    .orderBy(o.nextAttemptAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Hands every due queued row to the runtime's dispatcher (Node: sends now; Workers: queues) and
 * waits for that. The scheduled job runs it, so retries and rows whose process stopped go out.
 */
export async function sendDueEmails(deps: Pick<ServiceDeps, 'database' | 'clock' | 'emails'>, limit = 100): Promise<number> {
  const ids = await dueEmailIds(deps.database.db, deps.clock(), limit);
  if (ids.length) await deps.emails.dispatch(ids);
  return ids.length;
}
