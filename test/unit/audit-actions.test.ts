import { describe, expect, it } from 'vitest';
import { actionGroup, auditRuleFor, changedFieldNames, deriveAuditRule } from '../../workers/domain/audit';

describe('action names from route patterns', () => {
  it.each([
    ['POST', '/api/funnels', { action: 'funnel.create', objectType: 'funnel' }],
    ['PATCH', '/api/funnels/:id', { action: 'funnel.update', objectType: 'funnel', objectParam: 'id' }],
    ['DELETE', '/api/activities/:id', { action: 'activity.delete', objectType: 'activity', objectParam: 'id' }],
    ['POST', '/api/deals/:id/move', { action: 'deal.move', objectType: 'deal', objectParam: 'id' }],
    ['POST', '/api/funnels/:id/pages', { action: 'page.create', objectType: 'page' }],
    ['PUT', '/api/funnels/:id/scoring', { action: 'funnel.scoring_update', objectType: 'funnel', objectParam: 'id' }],
    ['PATCH', '/api/pipelines/:id/stages/:stageId', { action: 'stage.update', objectType: 'stage', objectParam: 'stageId' }],
    ['POST', '/api/webhooks/:id/rotate-secret', { action: 'webhook.rotate_secret', objectType: 'webhook', objectParam: 'id' }],
    ['PATCH', '/api/workspace/settings', { action: 'workspace.settings_update', objectType: 'workspace' }],
    ['POST', '/api/workspace/api-keys', { action: 'api_key.create', objectType: 'api_key' }],
    // A future route gets a name without anyone adding one.
    ['POST', '/api/coupons/:id/archive', { action: 'coupon.archive', objectType: 'coupon', objectParam: 'id' }],
  ])('%s %s', (method, path, expected) => {
    expect(deriveAuditRule(method, path)).toEqual({ kind: 'record', ...expected });
  });

  it('reads nothing into reads, and prefers an override to the derived name', () => {
    expect(auditRuleFor('GET', '/api/funnels')).toBeNull();
    // Downloads of personal data are the exception: an owner sees who took the leads out.
    expect(auditRuleFor('GET', '/api/workspace/export')).toMatchObject({ action: 'workspace.export', objectType: 'workspace' });
    expect(auditRuleFor('GET', '/api/leads/:id/export')).toMatchObject({ action: 'lead.export', objectParam: 'id' });
    expect(auditRuleFor('POST', '/u/:token')).toMatchObject({ kind: 'visitor' });
    expect(auditRuleFor('POST', '/api/auth/login/two-factor')).toMatchObject({ kind: 'service' });
    expect(auditRuleFor('PATCH', '/api/workspace/members/:userId')).toMatchObject({ action: 'member.role_change', objectParam: 'userId' });
    expect(auditRuleFor('POST', '/p/:funnel')).toMatchObject({ kind: 'visitor' });
  });
});

describe('what an entry may say about a change', () => {
  it('keeps identifier-like field names only, never values, at most a dozen', () => {
    expect(changedFieldNames({ name: 'Ava Smith', email: 'ava@example.com' })).toEqual(['name', 'email']);
    expect(changedFieldNames({ 'ava@example.com': 1, 'has space': 2, ok_1: 3 })).toEqual(['ok_1']);
    expect(changedFieldNames(['a'])).toEqual([]);
    expect(changedFieldNames(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i])))).toHaveLength(12);
  });

  it('groups actions by their object', () => {
    expect(actionGroup('deal.move')).toBe('deal');
  });
});
