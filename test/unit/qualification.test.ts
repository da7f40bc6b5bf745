import { describe, expect, it } from 'vitest';
import {
  actionSchema,
  campaignFor,
  conditionsSchema,
  dealValueMinor,
  evaluateConditions,
  leadFieldValue,
  minorPerMajor,
  parseAmountMinor,
  renderDealName,
  roundRobinPick,
  type Condition,
  type LeadFacts,
} from '../../workers/domain/qualification';
import { maskOf, type FunnelHistory, type SubmissionHistory } from '../../workers/domain/scoring';
import { STAGE_INDEX } from '../../workers/domain/stages';

const T = Date.UTC(2026, 10, 1);
const lead = (partial: Partial<LeadFacts> = {}): LeadFacts => ({
  score: 0,
  email: 'ava@example.com',
  name: 'Ava Smith',
  phone: null,
  company: null,
  fields: {},
  ...partial,
});
const history = (partial: Partial<FunnelHistory> = {}): FunnelHistory => ({
  funnelId: 'f1',
  eventMask: 0,
  furthestStage: -1,
  submissions: [],
  ...partial,
});
const quiz = (outcome: string, createdAt = T, id = `q${createdAt}`): SubmissionHistory => ({
  id,
  createdAt,
  blockType: 'quiz',
  data: { email: 'ava@example.com', fields: {} },
  quizOutcome: outcome,
  quizScore: 10,
});
const matches = (conditions: Condition[], l = lead(), h = history()) => evaluateConditions(conditions, l, h).matched;

describe('conditions (all must hold)', () => {
  it('score ≥ N reads the lead’s total score', () => {
    expect(matches([{ kind: 'score_at_least', score: 60 }], lead({ score: 60 }))).toBe(true);
    expect(matches([{ kind: 'score_at_least', score: 60 }], lead({ score: 59 }))).toBe(false);
  });

  it('stage reached counts later stages too, and the stage a submission implies', () => {
    const reached = (stage: Condition & { kind: 'stage_reached' }, h: FunnelHistory) => matches([stage], lead(), h);
    expect(reached({ kind: 'stage_reached', stage: 'interest' }, history({ furthestStage: STAGE_INDEX.desire }))).toBe(true);
    expect(reached({ kind: 'stage_reached', stage: 'sale' }, history({ furthestStage: STAGE_INDEX.desire }))).toBe(false);
    // A quiz just submitted is evaluation, before ingest has recorded the event.
    expect(reached({ kind: 'stage_reached', stage: 'evaluation' }, history({ submissions: [quiz('dry')] }))).toBe(true);
    expect(reached({ kind: 'stage_reached', stage: 'awareness' }, history())).toBe(false);
  });

  it('lead magnet used: a download event or an ebook submission in the funnel', () => {
    const c: Condition[] = [{ kind: 'lead_magnet_used' }];
    expect(matches(c, lead(), history({ eventMask: maskOf(['lead_magnet_download']) }))).toBe(true);
    expect(
      matches(c, lead(), history({ submissions: [{ ...quiz('dry'), blockType: 'lead_magnet', quizOutcome: null, quizScore: null }] })),
    ).toBe(true);
    expect(matches(c, lead(), history({ eventMask: maskOf(['quiz_complete']) }))).toBe(false);
  });

  it('quiz outcome in [...] reads the latest outcome', () => {
    const c: Condition[] = [{ kind: 'quiz_outcome_in', outcomes: ['oily', 'balanced'] }];
    expect(matches(c, lead(), history({ submissions: [quiz('oily')] }))).toBe(true);
    expect(matches(c, lead(), history({ submissions: [quiz('oily', T), quiz('dry', T + 1)] }))).toBe(false);
    expect(matches(c, lead(), history())).toBe(false);
  });

  it('field equals / contains, case-insensitive, on the lead’s columns and captured fields', () => {
    const l = lead({ company: 'Acme Corp', fields: { budget: '5000', concern: 'Shine and breakouts' } });
    expect(matches([{ kind: 'field', field: 'company', op: 'equals', value: 'acme corp' }], l)).toBe(true);
    expect(matches([{ kind: 'field', field: 'company', op: 'contains', value: 'ACME' }], l)).toBe(true);
    expect(matches([{ kind: 'field', field: 'concern', op: 'contains', value: 'breakouts' }], l)).toBe(true);
    expect(matches([{ kind: 'field', field: 'concern', op: 'equals', value: 'breakouts' }], l)).toBe(false);
    expect(matches([{ kind: 'field', field: 'phone', op: 'contains', value: '1' }], l)).toBe(false);
    expect(matches([{ kind: 'field', field: 'email', op: 'contains', value: '@example.com' }], l)).toBe(true);
    // Inherited object keys are not fields.
    expect(leadFieldValue(l, 'constructor')).toBeNull();
  });

  it('needs every condition, and matches everyone with no conditions', () => {
    const h = history({ submissions: [quiz('oily')] });
    const both: Condition[] = [
      { kind: 'score_at_least', score: 50 },
      { kind: 'quiz_outcome_in', outcomes: ['oily'] },
    ];
    expect(matches(both, lead({ score: 50 }), h)).toBe(true);
    expect(matches(both, lead({ score: 49 }), h)).toBe(false);
    expect(evaluateConditions(both, lead({ score: 49 }), h).results.map((r) => [r.met, r.actual])).toEqual([
      [false, 49],
      [true, 'oily'],
    ]);
    expect(matches([], lead(), history())).toBe(true);
  });

  it('validates conditions', () => {
    expect(conditionsSchema.safeParse([{ kind: 'score_at_least', score: 1.5 }]).success).toBe(false);
    expect(conditionsSchema.safeParse([{ kind: 'stage_reached', stage: 'checkout' }]).success).toBe(false);
    expect(conditionsSchema.safeParse([{ kind: 'quiz_outcome_in', outcomes: [] }]).success).toBe(false);
    expect(conditionsSchema.safeParse([{ kind: 'field', field: 'x', op: 'like', value: 'a' }]).success).toBe(false);
    expect(conditionsSchema.safeParse([{ kind: 'lead_magnet_used', extra: 1 }]).success).toBe(false);
  });
});

describe('deal value', () => {
  const h = history({ submissions: [quiz('oily')] });
  it('fixed and offer price are the configured amounts', () => {
    expect(dealValueMinor({ kind: 'fixed', amountMinor: 1234 }, 'USD', lead(), h)).toBe(1234);
    expect(dealValueMinor({ kind: 'offer_price', offerPriceMinor: 25_000 }, 'USD', lead(), h)).toBe(25_000);
  });

  it('from a form field: the amount typed, in major units, else the fallback', () => {
    const v = { kind: 'field', field: 'budget', fallbackMinor: 500 } as const;
    expect(dealValueMinor(v, 'USD', lead({ fields: { budget: '$2,500.50' } }), h)).toBe(250_050);
    expect(dealValueMinor(v, 'JPY', lead({ fields: { budget: '12000' } }), h)).toBe(12_000);
    expect(dealValueMinor(v, 'USD', lead({ fields: { budget: 'lots' } }), h)).toBe(500);
    expect(dealValueMinor(v, 'USD', lead(), h)).toBe(500);
  });

  it('from the quiz outcome mapping, else the fallback', () => {
    const v = { kind: 'quiz_outcome', amounts: { oily: 31_000, dry: 18_000 }, fallbackMinor: 25_000 } as const;
    expect(dealValueMinor(v, 'USD', lead(), h)).toBe(31_000);
    expect(dealValueMinor(v, 'USD', lead(), history({ submissions: [quiz('balanced')] }))).toBe(25_000);
    expect(dealValueMinor(v, 'USD', lead(), history())).toBe(25_000);
  });

  it('parses amounts people type', () => {
    expect(parseAmountMinor('250', 'USD')).toBe(25_000);
    expect(parseAmountMinor('1 200,50 €', 'EUR')).toBe(120_050);
    expect(parseAmountMinor('1.200,50', 'EUR')).toBe(120_050);
    expect(parseAmountMinor('1,200', 'USD')).toBe(120_000);
    expect(parseAmountMinor('-5', 'USD')).toBeNull();
    expect(parseAmountMinor('', 'USD')).toBeNull();
    expect(minorPerMajor('USD')).toBe(100);
    expect(minorPerMajor('JPY')).toBe(1);
    expect(minorPerMajor('KWD')).toBe(1000);
  });
});

describe('deal name template', () => {
  const ctx = {
    campaign: 'Cosmetics set',
    lead: { name: 'Ava Smith', email: 'ava@example.com', company: null },
    funnelName: 'Cosmetics set',
    quizOutcome: 'oily',
  };
  it('renders the article’s "Cosmetics set - Ava Smith"', () => {
    expect(renderDealName('{campaign} - {lead.name}', ctx)).toBe('Cosmetics set - Ava Smith');
    expect(renderDealName('{funnel.name}: {lead.email} ({quiz.outcome})', ctx)).toBe('Cosmetics set: ava@example.com (oily)');
  });

  it('uses the email for a lead without a name, and trims separators a missing value leaves', () => {
    expect(renderDealName('{campaign} - {lead.name}', { ...ctx, lead: { ...ctx.lead, name: null } })).toBe(
      'Cosmetics set - ava@example.com',
    );
    expect(renderDealName('{lead.company} - {lead.name}', ctx)).toBe('Ava Smith');
    expect(renderDealName('{lead.company}', ctx)).toBe('ava@example.com');
    expect(renderDealName('x'.repeat(300), ctx)).toHaveLength(200);
  });

  it('campaign: the rule’s, else the first-touch UTM campaign, else the funnel name', () => {
    expect(campaignFor({ campaign: 'Cosmetics set' }, { campaign: 'spring' }, 'Funnel')).toBe('Cosmetics set');
    expect(campaignFor({}, { campaign: 'spring' }, 'Funnel')).toBe('spring');
    expect(campaignFor({ campaign: ' ' }, {}, 'Funnel')).toBe('Funnel');
  });

  it('refuses unknown placeholders when the rule is saved', () => {
    const action = { pipelineId: 'p', stageId: 's', value: { kind: 'fixed', amountMinor: 0 }, currency: 'usd' };
    expect(actionSchema.parse(action)).toMatchObject({
      currency: 'USD',
      nameTemplate: '{campaign} - {lead.name}',
      owner: { kind: 'none' },
    });
    const bad = actionSchema.safeParse({ ...action, nameTemplate: '{campaign} - {lead.first_name}' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toContain('{lead.first_name}');
    expect(actionSchema.safeParse({ ...action, currency: 'XYZW' }).success).toBe(false);
    expect(actionSchema.safeParse({ ...action, value: { kind: 'fixed', amountMinor: -1 } }).success).toBe(false);
  });
});

describe('round robin', () => {
  it('takes members in turn and wraps', () => {
    const members = ['a', 'b', 'c'];
    expect([0, 1, 2, 3, 4].map((c) => roundRobinPick(members, c))).toEqual(['a', 'b', 'c', 'a', 'b']);
    expect(roundRobinPick([], 3)).toBeNull();
  });
});
