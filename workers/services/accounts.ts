import { and, asc, eq, isNull, gt, sql } from 'drizzle-orm';
import { invitations, memberships, sessions, users, workspaces } from '../../db/schema';
import { isUniqueViolation } from '../../db/errors';
import type { Db } from '../../db/types';
import { randomToken, sha256Hex } from '../domain/crypto';
import { AppError, conflict, notFound, unauthorized, badRequest } from '../domain/errors';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../domain/password';
import type { AuthUser } from '../contract/accounts';
import type { Role } from '../domain/roles';
import type { ServiceCtx } from './context';
import { countLoginAttempt, countSignupAttempt, type AttemptSource } from './auth-throttle';
import { openSession, sessionRow, type NewSession } from './sessions';
import { hasTwoFactor, pendingLoginToken } from './two-factor';
import { auditInsert, recordForMember, signInAudit, type AuditOrigin } from './audit-log';

export interface SignupInput {
  email: string;
  password: string;
  name: string;
  workspaceName?: string;
  inviteToken?: string;
}

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'newId'>;
type AuthCtx = Pick<ServiceCtx, 'db' | 'client' | 'clock' | 'newId'>;

/**
 * Creates the user and, unless they arrive through an invitation, their own workspace with them as
 * owner — all with the first session in one atomic batch, so a failure leaves nothing behind.
 */
export async function signup(
  ctx: AuthCtx,
  input: SignupInput,
  source: AttemptSource,
): Promise<{ user: AuthUser; session: NewSession; workspaceId: string }> {
  const { db, clock, newId } = ctx;
  const now = clock();
  await countSignupAttempt(ctx.client, source, input.email, now);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) throw conflict('An account with this email already exists. Sign in instead.', 'email_taken');

  const invitation = input.inviteToken ? await findUsableInvitation(db, input.inviteToken, now) : undefined;
  const userId = newId();
  const passwordHash = await hashPassword(input.password);
  const { session, row } = await sessionRow(userId, now, source.userAgent);
  const user = { id: userId, email: input.email, name: input.name };

  const workspaceId = invitation?.workspaceId ?? newId();
  const audit = auditInsert(
    ctx,
    invitation
      ? {
          workspaceId,
          actorKind: 'member',
          actorUserId: userId,
          action: 'member.join',
          objectType: 'member',
          objectId: userId,
          summary: `role: ${invitation.role}`,
        }
      : {
          workspaceId,
          actorKind: 'member',
          actorUserId: userId,
          action: 'workspace.create',
          objectType: 'workspace',
          objectId: workspaceId,
        },
    source,
  );
  const steps = [
    db.insert(users).values({ ...user, passwordHash, createdAt: now }),
    ...(invitation
      ? [
          db.insert(memberships).values({ workspaceId, userId, role: invitation.role, createdAt: now }),
          acceptInvitationUpdate(db, invitation.id, userId, now),
        ]
      : [
          db.insert(workspaces).values({ id: workspaceId, name: input.workspaceName ?? `${input.name}'s workspace`, createdAt: now }),
          db.insert(memberships).values({ workspaceId, userId, role: 'owner', createdAt: now }),
        ]),
    db.insert(sessions).values(row),
    audit,
  ] as const;
  try {
    await db.batch(steps);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('An account with this email already exists. Sign in instead.', 'email_taken');
    throw err;
  }
  return { user, session, workspaceId };
}

/** Sign-in's answer: a session, or — for a member with two-factor authentication — the token for the second step. */
export type LoginResult =
  | { user: AuthUser; session: NewSession; twoFactor?: undefined }
  | { user: AuthUser; session?: undefined; twoFactor: { pendingToken: string; expiresAt: number } };

/**
 * Signs in with a new session — always a fresh random token, never one the browser brought — and
 * ends `replacesSessionId`, the session the browser was signed in with before, if any. A member
 * with two-factor authentication gets no session yet, only a short-lived pending-login token
 * (services/two-factor.ts) to send back with their code.
 */
export async function login(
  ctx: AuthCtx,
  email: string,
  password: string,
  source: AttemptSource & { replacesSessionId?: string },
): Promise<LoginResult> {
  const { db, clock } = ctx;
  const attempt = await countLoginAttempt(ctx.client, source, email, clock(), () => recordLockout(ctx, email, source));
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  // Verify against a dummy hash for unknown emails too, so response time does not reveal which addresses have accounts.
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!row || !ok) throw unauthorized('Email or password is incorrect.');
  const user = { id: row.id, email: row.email, name: row.name };
  const now = clock();
  if (await hasTwoFactor(db, row.id)) {
    await attempt.succeeded();
    return { user, twoFactor: await pendingLoginToken(source.secret, row.id, row.passwordHash, now) };
  }
  const session = await openSession(db, row.id, now, source, await signInAudit(ctx, row.id, source));
  await attempt.succeeded();
  return { user, session };
}

/** The first refused sign-in of a window locks the account for a while: its workspaces' owners see it (no email, no password). */
async function recordLockout(ctx: AuthCtx, email: string, origin: AuditOrigin) {
  const [account] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!account) return;
  await recordForMember(
    ctx,
    account.id,
    {
      actorKind: 'system',
      actorUserId: account.id,
      action: 'auth.lockout',
      objectType: 'member',
      objectId: account.id,
      summary: 'too many failed sign-ins',
    },
    origin,
  );
}

export async function listUserWorkspaces(db: Db, userId: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(workspaces.id));
}

// ── Invitations ──────────────────────────────────────────────────────────────

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function createInvitation(ctx: Ctx, workspaceId: string, createdBy: string, role: Role, email?: string) {
  const { db, clock, newId } = ctx;
  const now = clock();
  const token = randomToken();
  const invitation = {
    id: newId(),
    workspaceId,
    role,
    email: email ?? null,
    tokenHash: await sha256Hex(token),
    createdBy,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
  };
  await db.insert(invitations).values(invitation);
  return { id: invitation.id, role, email: invitation.email, token, createdAt: now, expiresAt: invitation.expiresAt };
}

export async function listInvitations(db: Db, workspaceId: string, now: number) {
  return db
    .select({
      id: invitations.id,
      role: invitations.role,
      email: invitations.email,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(asc(invitations.createdAt));
}

export async function revokeInvitation(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
  const result = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(eq(invitations.id, id), eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
    )
    .returning({ id: invitations.id });
  if (result.length === 0) throw notFound('Invitation');
}

async function findUsableInvitation(db: Db, token: string, now: number) {
  const [row] = await db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row || row.revokedAt) throw notFound('Invitation');
  if (row.acceptedAt) throw new AppError(410, 'invitation_used', 'This invitation has already been used.');
  if (row.expiresAt <= now) throw new AppError(410, 'invitation_expired', 'This invitation has expired. Ask for a new link.');
  return row;
}

export async function previewInvitation(db: Db, token: string, now: number) {
  const invitation = await findUsableInvitation(db, token, now);
  const [ws] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, invitation.workspaceId));
  return { workspace: { id: invitation.workspaceId, name: ws?.name ?? '' }, role: invitation.role, expiresAt: invitation.expiresAt };
}

function acceptInvitationUpdate(db: Db, invitationId: string, userId: string, now: number) {
  // The `accepted_at is null` guard makes a second, concurrent acceptance a no-op.
  return db
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt)));
}

export async function acceptInvitation(ctx: Ctx, token: string, userId: string, origin: AuditOrigin = {}) {
  const { db, clock } = ctx;
  const now = clock();
  const invitation = await findUsableInvitation(db, token, now);
  const [member] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, invitation.workspaceId), eq(memberships.userId, userId)));
  if (member) throw conflict('You are already a member of this workspace.', 'already_member');
  await db.batch([
    db.insert(memberships).values({ workspaceId: invitation.workspaceId, userId, role: invitation.role, createdAt: now }),
    acceptInvitationUpdate(db, invitation.id, userId, now),
    auditInsert(
      ctx,
      {
        workspaceId: invitation.workspaceId,
        actorKind: 'member',
        actorUserId: userId,
        action: 'member.join',
        objectType: 'member',
        objectId: userId,
        summary: `role: ${invitation.role}`,
      },
      origin,
    ),
  ]);
  return { workspaceId: invitation.workspaceId, role: invitation.role };
}

// ── Members ──────────────────────────────────────────────────────────────────

/**
 * `twoFactor` only for owners (null otherwise), as GitHub shows it: which accounts lack a second
 * factor is a list of the easier targets, and only owners act on it.
 */
export async function listMembers(db: Db, workspaceId: string, options: { withTwoFactor: boolean }) {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      twoFactor: sql<number>`exists (select 1 from user_two_factor t where t.user_id = ${users.id} and t.enabled_at is not null)`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((m) => ({ ...m, twoFactor: options.withTwoFactor ? m.twoFactor === 1 : null }));
}

async function ownerCount(db: Db, workspaceId: string): Promise<number> {
  const owners = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));
  return owners.length;
}

async function memberRole(db: Db, workspaceId: string, userId: string): Promise<Role> {
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!m) throw notFound('Member');
  return m.role;
}

export async function changeMemberRole(db: Db, workspaceId: string, userId: string, role: Role): Promise<void> {
  const current = await memberRole(db, workspaceId, userId);
  if (current === 'owner' && role !== 'owner' && (await ownerCount(db, workspaceId)) <= 1) {
    throw badRequest('A workspace needs at least one owner. Make someone else owner first.', 'last_owner');
  }
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

export async function removeMember(db: Db, workspaceId: string, userId: string): Promise<void> {
  const current = await memberRole(db, workspaceId, userId);
  if (current === 'owner' && (await ownerCount(db, workspaceId)) <= 1) {
    throw badRequest('A workspace needs at least one owner. Make someone else owner first.', 'last_owner');
  }
  await db.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}
