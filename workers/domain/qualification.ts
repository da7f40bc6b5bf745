/**
 * Qualification rules, pure: which conditions a lead meets in a funnel, what a matching rule's
 * deal is called and worth. The service (services/qualification.ts) loads the history and acts.
 *
 * A rule belongs to a funnel; its conditions (all must hold) read the lead's history in that
 * funnel, except the score, which is the lead's stored total. No conditions: every lead with
 * history in the funnel qualifies (a "every lead becomes a deal in Lead generation" rule).
 */
import * as z from 'zod';
import { FUNNEL_STAGES, STAGE_INDEX, type StageOverrides } from './stages';
import { effectiveFurthestStage, latestAnswer, latestQuizOutcome, sameAnswer, usedLeadMagnet, type FunnelHistory } from './scoring';

const itemName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use a lower-case letter followed by up to 39 letters, digits or "_".');
const entityId = z.string().trim().min(1).max(64);
const money = z.int('Use whole minor units (cents).').min(0, 'Use a positive amount.').max(1_000_000_000_000);

const conditionSchema = z.discriminatedUnion('kind', [
  /** The lead's total score is at least `score`. */
  z.strictObject({ kind: z.literal('score_at_least'), score: z.int().min(-1_000_000).max(1_000_000) }),
  /** A visitor of the lead reached `stage` (or a later one) in the funnel. */
  z.strictObject({ kind: z.literal('stage_reached'), stage: z.enum(FUNNEL_STAGES) }),
  /** The lead downloaded a lead magnet from the funnel. */
  z.strictObject({ kind: z.literal('lead_magnet_used') }),
  /** The lead's latest quiz outcome in the funnel is one of these ids. */
  z.strictObject({ kind: z.literal('quiz_outcome_in'), outcomes: z.array(itemName).min(1, 'Choose at least one outcome.').max(20) }),
  /** A field of the lead (email, name, phone, company, or a captured field) equals / contains a value (case-insensitive). */
  z.strictObject({
    kind: z.literal('field'),
    field: itemName,
    op: z.enum(['equals', 'contains']),
    value: z.string().trim().min(1).max(200),
  }),
]);
export type Condition = z.output<typeof conditionSchema>;

const dealValueSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), amountMinor: money }),
  /** The number the lead typed into a form field, in major units (e.g. "2,500" → 250000 cents); `fallbackMinor` when missing. */
  z.strictObject({ kind: z.literal('field'), field: itemName, fallbackMinor: money.default(0) }),
  /** An amount per quiz outcome (e.g. the set that outcome is offered); `fallbackMinor` for other outcomes. */
  z.strictObject({ kind: z.literal('quiz_outcome'), amounts: z.record(itemName, money), fallbackMinor: money.default(0) }),
  /** The price of the offer the funnel sells (e.g. the $250 cosmetics set). */
  z.strictObject({ kind: z.literal('offer_price'), offerPriceMinor: money }),
]);
export type DealValue = z.output<typeof dealValueSchema>;

const NAME_PLACEHOLDERS = ['campaign', 'lead.name', 'lead.email', 'lead.company', 'funnel.name', 'quiz.outcome'] as const;
type NamePlaceholder = (typeof NAME_PLACEHOLDERS)[number];
const DEFAULT_NAME_TEMPLATE = '{campaign} - {lead.name}';

const nameTemplate = z
  .string()
  .trim()
  .min(1, 'Enter a deal name template.')
  .max(200)
  .superRefine((template, ctx) => {
    for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
      if (!(NAME_PLACEHOLDERS as readonly string[]).includes(match[1]!)) {
        ctx.addIssue({
          code: 'custom',
          message: `Unknown placeholder {${match[1]}}: use ${NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
        });
      }
    }
  });

const ownerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('member'), userId: entityId }),
  /** Owners and editors in turn, in the order they joined. */
  z.strictObject({ kind: z.literal('round_robin') }),
]);

export const actionSchema = z.strictObject({
  pipelineId: entityId,
  stageId: entityId,
  value: dealValueSchema,
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Use a 3-letter currency code like USD.')
    .refine(isCurrency, 'Not a currency code.'),
  nameTemplate: nameTemplate.default(DEFAULT_NAME_TEMPLATE),
  /** What `{campaign}` says; when empty, the lead's first-touch UTM campaign, else the funnel's name. */
  campaign: z.string().trim().max(120).optional(),
  owner: ownerSchema.default({ kind: 'none' }),
});
export type RuleAction = z.output<typeof actionSchema>;

export const conditionsSchema = z.array(conditionSchema).max(20);

/**
 * Fraction digits per currency code, null for a code Intl does not know. Building a NumberFormat
 * costs about a tenth of a millisecond, and every capture parses its funnel's rules: remembered.
 */
const currencyDigits = new Map<string, number | null>();

function fractionDigits(code: string): number | null {
  let digits = currencyDigits.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = null;
    }
    // Bounded: only 3-letter codes are remembered (26³ at most, in practice a handful).
    if (/^[A-Za-z]{3}$/.test(code)) currencyDigits.set(code, digits);
  }
  return digits;
}

function isCurrency(code: string): boolean {
  return fractionDigits(code) !== null;
}

/** Minor units per major unit: 100 for USD, 1 for JPY, 1000 for KWD. */
export function minorPerMajor(currency: string): number {
  const digits = fractionDigits(currency);
  if (digits === null) throw new RangeError(`Invalid currency code : ${currency}`);
  return 10 ** digits;
}

/**
 * An amount a person typed, in major units, as minor units: "2500", "2,500.50", "$ 1 200", "1200 USD".
 * A last comma followed by one or two digits is a decimal comma ("12,50", "1.200,50").
 * Null when it is not a non-negative amount.
 */
export function parseAmountMinor(text: string, currency: string): number | null {
  let cleaned = text.replace(/[^\d.,-]/g, '');
  const lastComma = cleaned.lastIndexOf(',');
  if (lastComma > cleaned.lastIndexOf('.') && /,\d{1,2}$/.test(cleaned)) {
    // "1.200,50": dots (and other commas) group thousands, the last comma is the decimal point.
    cleaned = `${cleaned.slice(0, lastComma).replace(/[.,]/g, '')}.${cleaned.slice(lastComma + 1)}`;
  } else cleaned = cleaned.replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const minor = Math.round(Number(cleaned) * minorPerMajor(currency));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** What a rule's conditions read about a lead. */
export interface LeadFacts {
  score: number;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  fields: Record<string, unknown>;
}

export interface ConditionResult {
  condition: Condition;
  met: boolean;
  /** What the lead has, for the dry run: its score, furthest stage, latest outcome or field value. */
  actual: string | number | boolean | null;
}

/** The lead's value of a field: its own columns first, then its latest captured fields. */
export function leadFieldValue(lead: LeadFacts, field: string): string | null {
  if (field === 'email') return lead.email;
  if (field === 'name' || field === 'phone' || field === 'company') return lead[field];
  const value = Object.hasOwn(lead.fields, field) ? lead.fields[field] : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value : null;
}

function evaluateCondition(condition: Condition, lead: LeadFacts, history: FunnelHistory, overrides?: StageOverrides): ConditionResult {
  switch (condition.kind) {
    case 'score_at_least':
      return { condition, met: lead.score >= condition.score, actual: lead.score };
    case 'stage_reached': {
      const furthest = effectiveFurthestStage(history, overrides);
      return { condition, met: furthest >= STAGE_INDEX[condition.stage], actual: furthest >= 0 ? FUNNEL_STAGES[furthest]! : null };
    }
    case 'lead_magnet_used': {
      const used = usedLeadMagnet(history);
      return { condition, met: used, actual: used };
    }
    case 'quiz_outcome_in': {
      const outcome = latestQuizOutcome(history);
      return { condition, met: outcome !== null && condition.outcomes.includes(outcome), actual: outcome };
    }
    case 'field': {
      const value = leadFieldValue(lead, condition.field) ?? latestAnswer(history, condition.field);
      const met =
        value !== null &&
        (condition.op === 'equals'
          ? sameAnswer(value, condition.value)
          : value.toLowerCase().includes(condition.value.trim().toLowerCase()));
      return { condition, met, actual: value };
    }
  }
}

export function evaluateConditions(conditions: Condition[], lead: LeadFacts, history: FunnelHistory, overrides?: StageOverrides) {
  const results = conditions.map((c) => evaluateCondition(c, lead, history, overrides));
  return { matched: results.every((r) => r.met), results };
}

/** The deal's value under the rule, in minor units; a missing or unreadable field / outcome gives the rule's fallback. */
export function dealValueMinor(value: DealValue, currency: string, lead: LeadFacts, history: FunnelHistory): number {
  switch (value.kind) {
    case 'fixed':
      return value.amountMinor;
    case 'offer_price':
      return value.offerPriceMinor;
    case 'field': {
      const text = leadFieldValue(lead, value.field) ?? latestAnswer(history, value.field);
      return (text === null ? null : parseAmountMinor(text, currency)) ?? value.fallbackMinor;
    }
    case 'quiz_outcome': {
      const outcome = latestQuizOutcome(history);
      return outcome !== null && Object.hasOwn(value.amounts, outcome) ? value.amounts[outcome]! : value.fallbackMinor;
    }
  }
}

export interface NameContext {
  campaign: string;
  lead: { name: string | null; email: string; company: string | null };
  funnelName: string;
  quizOutcome: string | null;
}

const MAX_DEAL_NAME = 200;

/**
 * `{campaign} - {lead.name}` → "Cosmetics set - Ava Smith". `{lead.name}` is the email when the
 * lead gave no name (a deal must say who it is); other missing values are empty, and the
 * separators they leave at either end are trimmed. Never empty: falls back to the email.
 */
export function renderDealName(template: string, ctx: NameContext): string {
  const values: Record<NamePlaceholder, string> = {
    campaign: ctx.campaign,
    'lead.name': ctx.lead.name?.trim() || ctx.lead.email,
    'lead.email': ctx.lead.email,
    'lead.company': ctx.lead.company?.trim() ?? '',
    'funnel.name': ctx.funnelName,
    'quiz.outcome': ctx.quizOutcome ?? '',
  };
  const rendered = template
    .replace(/\{([^{}]*)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key as NamePlaceholder] : whole))
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:|,·/]+|[\s\-–—:|,·/]+$/g, '');
  return (rendered || ctx.lead.email).slice(0, MAX_DEAL_NAME);
}

/** The first-touch UTM campaign, or the funnel name, unless the rule names the campaign. */
export function campaignFor(action: Pick<RuleAction, 'campaign'>, firstTouch: Record<string, string>, funnelName: string): string {
  return action.campaign?.trim() || firstTouch.campaign?.trim() || funnelName;
}

/** Round-robin: the member whose turn `cursor` is, members in a fixed order. */
export function roundRobinPick<T>(members: T[], cursor: number): T | null {
  if (members.length === 0) return null;
  return members[((cursor % members.length) + members.length) % members.length]!;
}
