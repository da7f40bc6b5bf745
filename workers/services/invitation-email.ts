/**
 * Invitations by email: an invitation with an address is mailed to it (the owner still gets the
 * link to copy), and can be sent again from the members view. Sending again issues a fresh link
 * and a fresh week — only the token's hash is stored, so the old link cannot be re-sent, and it
 * stops working.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { invitations, users, workspaces } from '../../db/schema';
import { randomToken, sha256Hex } from '../domain/crypto';
import { invitationEmail } from '../domain/email-templates';
import { badRequest, notFound } from '../domain/errors';
import type { Role } from '../domain/roles';
import { createInvitation, INVITATION_TTL_MS } from './accounts';
import type { ServiceCtx } from './context';
import { emailOutboxInsert } from './email';

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId' | 'notifyEmails'>;

const ROLE_NAMES: Record<Role, string> = { owner: 'an owner', editor: 'an editor', viewer: 'a viewer' };
const day = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

async function invitationMail(
  ctx: Ctx,
  input: { workspaceId: string; inviterId: string; role: Role; email: string; url: string; expiresAt: number },
) {
  const [[inviter], [workspace]] = await Promise.all([
    ctx.db.select({ name: users.name }).from(users).where(eq(users.id, input.inviterId)),
    ctx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, input.workspaceId)),
  ]);
  const mail = invitationEmail({
    inviter: inviter?.name ?? 'A colleague',
    workspace: workspace?.name ?? 'a workspace',
    role: ROLE_NAMES[input.role],
    url: input.url,
    expiresOn: `${day.format(input.expiresAt)} (UTC)`,
  });
  return emailOutboxInsert(ctx, { kind: 'invitation', to: input.email, workspaceId: input.workspaceId, ...mail });
}

/** Creates the invitation and, when it names an address, mails the link there. `linkBase`: the app's origin. */
export async function inviteMember(
  ctx: Ctx,
  workspaceId: string,
  inviterId: string,
  role: Role,
  email: string | undefined,
  linkBase: string,
) {
  const invitation = await createInvitation(ctx, workspaceId, inviterId, role, email);
  const url = `${linkBase}/invite/${invitation.token}`;
  if (email) {
    const queued = await invitationMail(ctx, { workspaceId, inviterId, role, email, url, expiresAt: invitation.expiresAt });
    await queued.statement;
    ctx.notifyEmails([queued.id]);
  }
  return { ...invitation, url, emailed: Boolean(email) };
}

/** Mails an open invitation again with a fresh link (the previous one stops working) valid for another week. */
export async function resendInvitation(ctx: Ctx, workspaceId: string, invitationId: string, senderId: string, linkBase: string) {
  const { db, clock } = ctx;
  const now = clock();
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.workspaceId, workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  if (!row) throw notFound('Invitation');
  if (!row.email) throw badRequest('This invitation has no email address to send it to. Copy a new link instead.', 'no_email');
  const token = randomToken();
  const expiresAt = now + INVITATION_TTL_MS;
  const url = `${linkBase}/invite/${token}`;
  const queued = await invitationMail(ctx, { workspaceId, inviterId: senderId, role: row.role, email: row.email, url, expiresAt });
  await db.batch([
    db
      .update(invitations)
      .set({ tokenHash: await sha256Hex(token), expiresAt })
      .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))),
    queued.statement,
  ]);
  ctx.notifyEmails([queued.id]);
  return { id: row.id, role: row.role, email: row.email, token, url, createdAt: row.createdAt, expiresAt, emailed: true };
}
