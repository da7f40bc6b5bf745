/**
 * An owner resets a member's two-factor authentication: the way back for a member who lost both
 * their authenticator and their recovery codes. The rules are in domain/two-factor-reset.ts; the
 * owner proves it is them with their own code, checked and throttled as for turning 2FA off.
 */
import { and, count, eq, ne, not, sql } from 'drizzle-orm';
import { emailOutbox, memberships, sessions, twoFactorRecoveryCodes, userTwoFactor, users, workspaces } from '../../db/schema';
import { twoFactorResetEmail } from '../domain/email-templates';
import { notFound } from '../domain/errors';
import { resetNoLongerPossible, twoFactorResetRefusal } from '../domain/two-factor-reset';
import type { AttemptSource } from './auth-throttle';
import type { ServiceCtx } from './context';
import { emailOutboxInsert } from './email';
import { hasTwoFactor, verifySecondFactor } from './two-factor';

type Ctx = Pick<ServiceCtx, 'db' | 'client' | 'clock' | 'newId' | 'notifyEmails'>;

export interface TwoFactorResetRequest {
  workspaceId: string;
  /** The owner asking (from the session), who proves it with `code`. */
  ownerId: string;
  memberId: string;
  /** The owner's current authenticator code or one of their recovery codes. */
  code: string;
  /** The sign-in page, linked from the member's mail. */
  signInUrl: string;
}

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

/**
 * What every statement of the reset re-checks inside its transaction: the member still has 2FA on,
 * is still in this workspace and in no other, and the asker is still its owner. A change between
 * the checks and the write (an invitation accepted that moment) makes the whole reset a no-op.
 */
function stillAllowed(workspaceId: string, ownerId: string, memberId: string) {
  return sql`(exists (select 1 from user_two_factor t where t.user_id = ${memberId} and t.enabled_at is not null)
    and exists (select 1 from memberships m where m.user_id = ${memberId} and m.workspace_id = ${workspaceId})
    and not exists (select 1 from memberships m where m.user_id = ${memberId} and m.workspace_id <> ${workspaceId})
    and exists (select 1 from memberships m where m.user_id = ${ownerId} and m.workspace_id = ${workspaceId} and m.role = 'owner'))`;
}

/**
 * Removes the member's TOTP secret and recovery codes and ends all their sessions, in one
 * transaction, then mails them who did it and when. A member of any other workspace is refused:
 * their account guards those workspaces too.
 */
export async function resetMemberTwoFactor(ctx: Ctx, source: AttemptSource, request: TwoFactorResetRequest) {
  const { db, clock } = ctx;
  const { workspaceId, ownerId, memberId } = request;
  const [member] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, memberId)));
  if (!member) throw notFound('Member');

  const [ownerHas, memberHas, [others], [owner], [workspace]] = await Promise.all([
    hasTwoFactor(db, ownerId),
    hasTwoFactor(db, memberId),
    db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.userId, memberId), ne(memberships.workspaceId, workspaceId))),
    db.select({ name: users.name }).from(users).where(eq(users.id, ownerId)),
    db.select({ name: workspaces.name, settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId)),
  ]);
  const refusal = twoFactorResetRefusal({
    actorId: ownerId,
    targetId: memberId,
    targetName: member.name,
    actorHasTwoFactor: ownerHas,
    targetHasTwoFactor: memberHas,
    targetOtherWorkspaces: others?.n ?? 0,
  });
  // Refused before the code is checked, so a refused reset never uses up one of the owner's recovery codes.
  if (refusal) throw refusal;
  await verifySecondFactor(ctx, source, ownerId, request.code);

  const now = clock();
  const mail = twoFactorResetEmail({
    name: member.name,
    resetBy: owner?.name ?? 'An owner',
    workspace: workspace?.name ?? 'your workspace',
    at: `${when.format(now)} UTC`,
    required: workspace?.settings.requireTwoFactor === true,
    signInUrl: request.signInUrl,
  });
  const queued = emailOutboxInsert(ctx, { kind: 'two_factor_reset', to: member.email, userId: member.id, ...mail });
  const allowed = stillAllowed(workspaceId, ownerId, memberId);
  // The 2FA row goes last: every statement before it sees the same state, so they all happen or none does.
  const [, , ended, , removed] = await db.batch([
    queued.statement,
    db.delete(emailOutbox).where(and(eq(emailOutbox.id, queued.id), not(allowed))),
    db
      .delete(sessions)
      .where(and(eq(sessions.userId, memberId), allowed))
      .returning({ id: sessions.id }),
    db.delete(twoFactorRecoveryCodes).where(and(eq(twoFactorRecoveryCodes.userId, memberId), allowed)),
    db
      .delete(userTwoFactor)
      .where(and(eq(userTwoFactor.userId, memberId), allowed))
      .returning({ userId: userTwoFactor.userId }),
  ]);
  if (removed.length === 0) throw resetNoLongerPossible();
  ctx.notifyEmails([queued.id]);
  return { userId: memberId, twoFactor: false as const, sessionsEnded: ended.length, emailed: true as const };
}
