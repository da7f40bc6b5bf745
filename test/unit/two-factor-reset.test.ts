import { describe, expect, it } from 'vitest';
import { twoFactorResetRefusal, type TwoFactorResetFacts } from '../../workers/domain/two-factor-reset';

const allowed: TwoFactorResetFacts = {
  actorId: 'owner',
  targetId: 'member',
  targetName: 'Sam',
  actorHasTwoFactor: true,
  targetHasTwoFactor: true,
  targetOtherWorkspaces: 0,
};

const codeOf = (facts: Partial<TwoFactorResetFacts>) => twoFactorResetRefusal({ ...allowed, ...facts })?.code ?? null;

describe('twoFactorResetRefusal', () => {
  it('allows an owner with 2FA to reset a member with 2FA who belongs to this workspace only', () => {
    expect(twoFactorResetRefusal(allowed)).toBeNull();
  });

  it('refuses, in order: themselves, an owner without 2FA, a member without it, a member of other workspaces', () => {
    expect(codeOf({ targetId: 'owner', actorHasTwoFactor: false })).toBe('two_factor_reset_self');
    expect(codeOf({ actorHasTwoFactor: false, targetOtherWorkspaces: 2 })).toBe('two_factor_not_enabled');
    expect(codeOf({ targetHasTwoFactor: false, targetOtherWorkspaces: 2 })).toBe('member_two_factor_not_enabled');
    expect(codeOf({ targetOtherWorkspaces: 1 })).toBe('member_in_other_workspaces');
  });

  it('says how many other workspaces, never which, and what to do instead', () => {
    const one = twoFactorResetRefusal({ ...allowed, targetOtherWorkspaces: 1 })!;
    expect(one.status).toBe(409);
    expect(one.message).toContain('Sam is also a member of another workspace');
    expect(one.message).toContain('recovery codes');
    expect(twoFactorResetRefusal({ ...allowed, targetOtherWorkspaces: 3 })!.message).toContain('3 other workspaces');
  });
});
