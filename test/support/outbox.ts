/**
 * Reading the email outbox in tests: the mail a test caused, and the links in it. With the default
 * test deps the mailer is the dev outbox, so every queued mail is in `email_outbox` and is marked
 * sent once the background work of the request has run (wait for it with `waitFor`).
 */
import { asc, eq } from 'drizzle-orm';
import { emailOutbox } from '../../db/schema';
import type { Database } from '../../db/types';

export type OutboxRow = typeof emailOutbox.$inferSelect;

/** Every outbox row to `to`, oldest first. */
export async function mailTo(database: Database, to: string): Promise<OutboxRow[]> {
  return database.db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.toAddress, to))
    .orderBy(asc(emailOutbox.createdAt), asc(emailOutbox.id));
}

/** The first absolute URL in a mail's text whose path starts with `pathPrefix` (e.g. '/reset-password/'). */
export function linkIn(mail: Pick<OutboxRow, 'text'>, pathPrefix: string): string {
  for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    if (new URL(match[0]).pathname.startsWith(pathPrefix)) return match[0];
  }
  throw new Error(`No ${pathPrefix} link in: ${mail.text}`);
}
