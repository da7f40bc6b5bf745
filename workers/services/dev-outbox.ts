/**
 * The dev outbox: the mail in `email_outbox` as a member may read it, like MailHog or Mailpit but
 * inside the app. A member sees the mail of their current workspace (invitations, lead mail) and
 * account mail addressed to them (password reset, verification), nothing of another workspace.
 * The route is on only where `devOutbox` is (no provider configured locally, or DEV_OUTBOX=1).
 */
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import type { Db } from '../../db/types';
import type { EmailKind } from '../domain/email-kinds';
import { notFound } from '../domain/errors';
import { decodeCursor, nextCursor, olderThan } from './newest-first';

/** Mail about a member's own account, visible to them by address too (an invitation reaches someone not yet a member). */
const ACCOUNT_KINDS: EmailKind[] = ['password_reset', 'email_verification', 'invitation', 'two_factor_reset'];

export interface OutboxReader {
  workspaceId: string;
  userId: string;
  email: string;
}

function visibleTo(reader: OutboxReader) {
  const o = emailOutbox;
  return or(
    eq(o.workspaceId, reader.workspaceId),
    eq(o.userId, reader.userId),
    and(eq(o.toAddress, reader.email), inArray(o.kind, ACCOUNT_KINDS)),
  );
}

const summaryColumns = {
  id: emailOutbox.id,
  kind: emailOutbox.kind,
  to: emailOutbox.toAddress,
  from: emailOutbox.fromAddress,
  subject: emailOutbox.subject,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  lastError: emailOutbox.lastError,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
};

/** Newest first; cursor = `<createdAt>.<id>` of the last row seen. */
export async function listOutbox(db: Db, reader: OutboxReader, query: { cursor?: string; limit: number }) {
  const o = emailOutbox;
  const rows = await db
    .select(summaryColumns)
    .from(o)
    .where(and(visibleTo(reader), olderThan(o.createdAt, o.id, decodeCursor(query.cursor))))
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return { messages: page, nextCursor: nextCursor(rows.length, query.limit, page.at(-1)) };
}

/** One message with both bodies and its headers; 404 for one the reader may not see. */
export async function getOutboxMessage(db: Db, reader: OutboxReader, id: string) {
  const o = emailOutbox;
  const [row] = await db
    .select({ ...summaryColumns, text: o.text, html: o.html, headers: o.headers, providerId: o.providerId })
    .from(o)
    .where(and(eq(o.id, id), visibleTo(reader)));
  if (!row) throw notFound('Message');
  return row;
}
