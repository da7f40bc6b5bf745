/**
 * A lead's unsubscribe through the link in their mail (`/u/<token>`, services/lead-mail.ts). It is
 * recorded as the `unsubscribe` server event a store can report too (captureServerEvent): the lead
 * is marked unsubscribed, queued lead mail is withdrawn, and the event lands in the lead's journey,
 * its score and the automations like any other. Idempotent: the event's id is derived from the
 * lead, so a second click (or the mail client's one-click POST after the page's) changes nothing.
 */
import { and, eq } from 'drizzle-orm';
import { leads, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import { captureServerEvent, type CaptureContext } from './capture';
import { readUnsubscribeToken } from './lead-mail';

export type UnsubscribeState =
  /** Not a token of ours (tampered, truncated, another kind). */
  | { kind: 'invalid' }
  /** The lead no longer exists (erased, or the workspace deleted): there is nobody to mail. */
  | { kind: 'gone' }
  | { kind: 'lead'; workspace: string; email: string; unsubscribedAt: number | null };

/** Who a link unsubscribes, for the confirmation page. */
export async function unsubscribeState(db: Db, secret: string, token: string): Promise<UnsubscribeState> {
  const target = await readUnsubscribeToken(secret, token);
  if (!target) return { kind: 'invalid' };
  const [row] = await db
    .select({ workspace: workspaces.name, email: leads.email, unsubscribedAt: leads.unsubscribedAt })
    .from(leads)
    .innerJoin(workspaces, eq(workspaces.id, leads.workspaceId))
    .where(and(eq(leads.id, target.leadId), eq(leads.workspaceId, target.workspaceId)));
  return row ? { kind: 'lead', ...row } : { kind: 'gone' };
}

/** Records the unsubscribe (once); answers the state after it. */
export async function unsubscribeByToken(ctx: CaptureContext, token: string): Promise<UnsubscribeState> {
  const state = await unsubscribeState(ctx.database.db, ctx.secret, token);
  if (state.kind !== 'lead') return state;
  const target = (await readUnsubscribeToken(ctx.secret, token))!;
  if (state.unsubscribedAt === null) {
    await captureServerEvent(ctx, target.workspaceId, { type: 'unsubscribe', email: state.email, occurredAt: ctx.now });
  }
  return unsubscribeState(ctx.database.db, ctx.secret, token);
}
