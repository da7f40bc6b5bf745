/**
 * Mail caused by a capture, queued inside the capture's own transaction (services/capture.ts), so
 * the mail exists exactly when the lead does, and sent by the email dispatcher after the commit —
 * never inside the visitor's request:
 *
 * - to the lead: the lead-magnet link (once per lead and file) and a block's follow-up email
 *   (once per lead and block), each with an unsubscribe link and the RFC 8058 one-click headers;
 *   nothing for a lead who unsubscribed;
 * - to members who turned it on (Settings → Notifications): one mail per new lead.
 *
 * New-lead notifications are not batched: the point of the setting is to answer a lead while they
 * are still on the page (speed to lead), and members opt in per workspace.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { emailOutbox, funnels, leadMails, leads, memberNotifications, memberships, users, workspaces } from '../../db/schema';
import type { Db } from '../../db/types';
import type { CaptureBlock } from '../domain/blocks';
import { DOWNLOAD_LINK_DAYS, DOWNLOAD_TTL_MS, signDownloadToken } from '../domain/download-links';
import type { EmailKind } from '../domain/email-kinds';
import type { IdGenerator } from '../domain/ids';
import { followUpMail, leadMagnetMail, newLeadNotificationMail, type RenderedMail } from '../domain/lead-mail-templates';
import { signToken, verifyToken } from '../domain/signed-tokens';
import { emailOutboxInsert } from './email';

export interface LeadMailCtx {
  /** The capture's transaction. */
  db: Db;
  secret: string;
  now: number;
  newId: IdGenerator;
  /** Absolute origin of the app for links in mail (`https://app.example.com`). */
  origin: string;
}

// ── Unsubscribe links ────────────────────────────────────────────────────────

interface UnsubscribeToken {
  /** Marks the purpose, so no other signed token (a download link, a form token) passes as one. */
  k: 'unsub';
  w: string;
  l: string;
}

/** The lead's unsubscribe page, `/u/<token>`: no expiry, as an old mail's link must still work. */
export async function unsubscribeUrl(ctx: Pick<LeadMailCtx, 'secret' | 'origin'>, workspaceId: string, leadId: string): Promise<string> {
  const token = await signToken(ctx.secret, { k: 'unsub', w: workspaceId, l: leadId } satisfies UnsubscribeToken);
  return `${ctx.origin}/u/${token}`;
}

/** The lead an unsubscribe token names, or null if it is not one of ours (tampered, another kind of token). */
export async function readUnsubscribeToken(secret: string, token: string): Promise<{ workspaceId: string; leadId: string } | null> {
  const payload = await verifyToken<Partial<UnsubscribeToken>>(secret, token);
  if (payload?.k !== 'unsub' || typeof payload.w !== 'string' || typeof payload.l !== 'string') return null;
  return { workspaceId: payload.w, leadId: payload.l };
}

/** What every mail to a lead carries (RFC 2369 + RFC 8058: one POST to the URL unsubscribes). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

// ── To the lead ──────────────────────────────────────────────────────────────

export interface CapturedPage {
  workspaceId: string;
  funnelId: string;
  pageId: string;
  pageSlug: string;
}

interface FunnelInfo {
  workspace: string;
  funnel: string;
  slug: string;
  customDomain: string | null;
}

async function funnelInfo(db: Db, funnelId: string): Promise<FunnelInfo | undefined> {
  const [row] = await db
    .select({ workspace: workspaces.name, funnel: funnels.name, slug: funnels.slug, customDomain: funnels.customDomain })
    .from(funnels)
    .innerJoin(workspaces, eq(workspaces.id, funnels.workspaceId))
    .where(eq(funnels.id, funnelId));
  return row;
}

/** Claims "sent once" for (lead, kind, ref); false when it was claimed before. */
async function claimOnce(ctx: LeadMailCtx, workspaceId: string, leadId: string, kind: EmailKind, ref: string, emailId: string) {
  const rows = await ctx.db
    .insert(leadMails)
    .values({ id: ctx.newId(), workspaceId, leadId, kind, ref, emailId, createdAt: ctx.now })
    .onConflictDoNothing()
    .returning({ id: leadMails.id });
  return rows.length > 0;
}

/** Whether a capture from this block mails the lead: a lead magnet, or a form or chat with a follow-up. */
export function blockSendsMail(block: CaptureBlock): boolean {
  return block.type === 'lead_magnet' || ((block.type === 'lead_form' || block.type === 'chat_capture') && !!block.followUpEmail);
}

/**
 * What the block promises the lead by email, queued: the lead-magnet link, or the block's
 * follow-up. Nothing for a block without one, a lead without an address or who unsubscribed, or
 * what this lead got from the same magnet or block before. Returns the outbox ids to dispatch.
 */
export async function queueCaptureMail(ctx: LeadMailCtx, page: CapturedPage, block: CaptureBlock, leadId: string): Promise<string[]> {
  if (!blockSendsMail(block)) return [];
  const followUp = block.type === 'lead_form' || block.type === 'chat_capture' ? block.followUpEmail : undefined;

  const [lead] = await ctx.db
    .select({ email: leads.email })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, page.workspaceId), isNull(leads.unsubscribedAt)));
  const info = await funnelInfo(ctx.db, page.funnelId);
  if (!lead?.email || !info) return [];

  const unsubscribe = await unsubscribeUrl(ctx, page.workspaceId, leadId);
  let kind: EmailKind;
  let ref: string;
  let mail: RenderedMail;
  if (block.type === 'lead_magnet') {
    kind = 'lead_magnet';
    // The file, not the block: the same guide offered on two pages is sent once.
    ref = block.assetPath;
    const token = await signDownloadToken(ctx.secret, leadId, block.assetPath, ctx.now);
    mail = leadMagnetMail({
      workspace: info.workspace,
      funnel: info.funnel,
      title: block.title,
      assetName: block.assetName,
      downloadUrl: `${ctx.origin}/d/${token}`,
      expiresAt: ctx.now + DOWNLOAD_TTL_MS,
      validDays: DOWNLOAD_LINK_DAYS,
      pageUrl: info.customDomain ? `https://${info.customDomain}/${page.pageSlug}` : `${ctx.origin}/p/${info.slug}/${page.pageSlug}`,
      unsubscribeUrl: unsubscribe,
    });
  } else {
    kind = 'lead_follow_up';
    ref = `${page.pageId}/${block.id}`;
    mail = followUpMail({ workspace: info.workspace, funnel: info.funnel, ...followUp!, unsubscribeUrl: unsubscribe });
  }

  const { id, statement } = emailOutboxInsert(
    { db: ctx.db, clock: () => ctx.now, newId: ctx.newId },
    { kind, workspaceId: page.workspaceId, to: lead.email, ...mail, headers: unsubscribeHeaders(unsubscribe) },
  );
  if (!(await claimOnce(ctx, page.workspaceId, leadId, kind, ref, id))) return [];
  await statement;
  return [id];
}

/**
 * Stops lead mail that is queued but not sent yet (an unsubscribe, an erasure): marked failed with
 * the reason, so the dev outbox and the logs say why it never went out.
 */
export async function cancelQueuedLeadMail(db: Db, leadId: string, reason: string): Promise<void> {
  await db
    .update(emailOutbox)
    .set({ status: 'failed', nextAttemptAt: null, lastError: reason })
    .where(
      and(
        eq(emailOutbox.status, 'queued'),
        inArray(emailOutbox.id, db.select({ id: leadMails.emailId }).from(leadMails).where(eq(leadMails.leadId, leadId))),
      ),
    );
}

// ── To members ───────────────────────────────────────────────────────────────

/**
 * One notification per member of the workspace who turned "Email me when a new lead arrives" on.
 * It says what the member sees in the lead list anyway (name, email, funnel, source) and links to
 * the lead. Returns the outbox ids.
 */
export async function queueNewLeadNotifications(ctx: LeadMailCtx, workspaceId: string, leadId: string): Promise<string[]> {
  const members = await ctx.db
    .select({ userId: users.id, email: users.email })
    .from(memberNotifications)
    .innerJoin(
      memberships,
      and(eq(memberships.workspaceId, memberNotifications.workspaceId), eq(memberships.userId, memberNotifications.userId)),
    )
    .innerJoin(users, eq(users.id, memberNotifications.userId))
    .where(and(eq(memberNotifications.workspaceId, workspaceId), eq(memberNotifications.newLead, true)));
  if (!members.length) return [];

  const [lead] = await ctx.db
    .select({
      name: leads.name,
      email: leads.email,
      source: leads.source,
      funnel: funnels.name,
      workspace: workspaces.name,
    })
    .from(leads)
    .innerJoin(workspaces, eq(workspaces.id, leads.workspaceId))
    .leftJoin(funnels, eq(funnels.id, leads.sourceFunnelId))
    .where(and(eq(leads.id, leadId), eq(leads.workspaceId, workspaceId)));
  if (!lead) return [];

  const mail = newLeadNotificationMail({
    workspace: lead.workspace,
    lead: { name: lead.name, email: lead.email },
    funnel: lead.funnel,
    source: lead.source,
    leadUrl: `${ctx.origin}/app/leads/${leadId}`,
    settingsUrl: `${ctx.origin}/app/settings/notifications`,
  });
  const ids: string[] = [];
  for (const member of members) {
    const { id, statement } = emailOutboxInsert(
      { db: ctx.db, clock: () => ctx.now, newId: ctx.newId },
      { kind: 'new_lead_notification', workspaceId, userId: member.userId, to: member.email, ...mail },
    );
    await statement;
    ids.push(id);
  }
  return ids;
}

/** The member's notification choices in this workspace (all off without a row). */
export async function getMemberNotifications(db: Db, workspaceId: string, userId: string) {
  const [row] = await db
    .select({ newLead: memberNotifications.newLead })
    .from(memberNotifications)
    .where(and(eq(memberNotifications.workspaceId, workspaceId), eq(memberNotifications.userId, userId)));
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return { newLead: row?.newLead ?? false, email: user?.email ?? '' };
}

export async function setMemberNotifications(
  ctx: { db: Db; clock: () => number },
  workspaceId: string,
  userId: string,
  change: { newLead: boolean },
) {
  await ctx.db
    .insert(memberNotifications)
    .values({ workspaceId, userId, newLead: change.newLead, updatedAt: ctx.clock() })
    .onConflictDoUpdate({
      target: [memberNotifications.workspaceId, memberNotifications.userId],
      set: { newLead: sql`excluded.new_lead`, updatedAt: sql`excluded.updated_at` },
    });
  return getMemberNotifications(ctx.db, workspaceId, userId);
}
