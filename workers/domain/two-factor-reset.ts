/**
 * When an owner may reset a member's two-factor authentication (services/two-factor-reset.ts does
 * it). The reset is a way back for a member who lost both their authenticator and their recovery
 * codes; it must never become a way round 2FA, so each refusal below closes one such way.
 */
import { AppError, conflict } from './errors';

export interface TwoFactorResetFacts {
  actorId: string;
  targetId: string;
  targetName: string;
  actorHasTwoFactor: boolean;
  targetHasTwoFactor: boolean;
  /** How many workspaces other than this one the member belongs to. */
  targetOtherWorkspaces: number;
}

/** The refusal for a reset that may not happen, or null when it may (the owner's own code is checked after). */
export function twoFactorResetRefusal(facts: TwoFactorResetFacts): AppError | null {
  if (facts.actorId === facts.targetId) {
    // Owners have the same way back as everyone: their recovery codes, and Settings › Security.
    return conflict(
      'You cannot reset your own two-factor authentication here. Sign in with one of your recovery codes, then turn it off or make new codes in Settings › Security.',
      'two_factor_reset_self',
    );
  }
  if (!facts.actorHasTwoFactor) {
    // Without it, a stolen owner password alone could strip a member's second factor.
    return conflict(
      'Turn on two-factor authentication for your own account first (Settings › Security): resetting a member’s takes a code from your authenticator app.',
      'two_factor_not_enabled',
    );
  }
  if (!facts.targetHasTwoFactor) {
    return conflict(
      `${facts.targetName} does not have two-factor authentication on: there is nothing to reset.`,
      'member_two_factor_not_enabled',
    );
  }
  if (facts.targetOtherWorkspaces > 0) {
    // The account guards those workspaces too, and this owner does not speak for them.
    const others = facts.targetOtherWorkspaces === 1 ? 'another workspace' : `${facts.targetOtherWorkspaces} other workspaces`;
    return conflict(
      `${facts.targetName} is also a member of ${others}, so resetting their two-factor authentication here would weaken their account there too. They can sign in with one of their recovery codes and set it up again in Settings › Security. If they have none left, the owners of their other workspaces must remove them from those first; then you can reset it here.`,
      'member_in_other_workspaces',
    );
  }
  return null;
}

/** The checks held when read, but the member changed (joined another workspace, turned 2FA off) before the reset committed. */
export function resetNoLongerPossible(): AppError {
  return new AppError(
    409,
    'member_changed',
    'This member’s two-factor authentication or workspaces changed while you were confirming. Reload the page and try again.',
  );
}
