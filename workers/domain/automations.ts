/**
 * The article's B2C automations, pure: the configuration a pipeline stores (validated here), and
 * the decisions the scheduler takes from a known visitor's activity — which steps are due, and
 * what each does to the lead's open deal. Nothing here reads the database or the clock.
 *
 * - Browse abandonment: viewed an offer / product and no checkout, purchase or unsubscribe
 *   followed within `afterHours` → the deal moves to (or is created in) the browse stage.
 * - Checkout abandonment: started checkout and no purchase or unsubscribe followed within
 *   `afterMinutes` → the checkout stage.
 * - Purchase → the won stage with the order's amount; `postPurchaseAfterDays` later (0 = at once)
 *   → the post-purchase stage.
 * - Unsubscribe from someone who never bought → the lost stage, reason "unsubscribed".
 *
 * Deals only move forward (an abandonment never pulls a deal back from a later stage or out of a
 * closed one), and a person's move wins: a deal someone moved after the triggering event is left
 * where they put it.
 */
import * as z from 'zod';
import type { StageKind } from './stage-kinds';
import type { FieldIssue } from './errors';

export const HOUR_MS = 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * How far past the longest delay each run looks back. Events older than `longest delay + this`
 * before a run are never read, so a run's cost depends on recent traffic, not on history: a
 * scheduler that was down for up to this long, or an event reported this late, is still acted on;
 * anything older is ignored.
 */
export const CATCH_UP_MS = 3 * DAY_MS;

const stageId = z.string().trim().min(1).max(64);
const funnelIds = z.array(z.string().trim().min(1).max(64)).min(1).max(50).nullable();

export const automationConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Funnels whose visitors feed this pipeline; null = every funnel of the workspace. */
  funnelIds: funnelIds.default(null),
  browseAbandonment: z
    .strictObject({
      stageId,
      afterHours: z
        .number()
        .int()
        .min(1)
        .max(30 * 24),
    })
    .nullable()
    .default(null),
  checkoutAbandonment: z
    .strictObject({
      stageId,
      afterMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60),
    })
    .nullable()
    .default(null),
  purchase: z
    .strictObject({
      wonStageId: stageId,
      /** null: deals stay in the won stage. */
      postPurchaseStageId: stageId.nullable().default(null),
      postPurchaseAfterDays: z.number().int().min(0).max(365).default(7),
    })
    .nullable()
    .default(null),
  unsubscribe: z
    .strictObject({ lostStageId: stageId, reason: z.string().trim().min(1).max(200).default('unsubscribed') })
    .nullable()
    .default(null),
});

export type AutomationConfig = z.output<typeof automationConfigSchema>;

/** A change to a stored configuration: a step given as an object is merged into the stored step; null turns it off. */
export const automationPatchSchema = z.strictObject({
  enabled: z.boolean().optional(),
  funnelIds: funnelIds.optional(),
  browseAbandonment: z.record(z.string(), z.unknown()).nullable().optional(),
  checkoutAbandonment: z.record(z.string(), z.unknown()).nullable().optional(),
  purchase: z.record(z.string(), z.unknown()).nullable().optional(),
  unsubscribe: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type AutomationPatch = z.output<typeof automationPatchSchema>;

const STEP_KEYS = ['browseAbandonment', 'checkoutAbandonment', 'purchase', 'unsubscribe'] as const;

/** The patch over `base`, not yet validated (the caller parses it with `automationConfigSchema`). */
export function mergeAutomationPatch(base: AutomationConfig | null, patch: AutomationPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(base ?? { enabled: false }) };
  if (patch.enabled !== undefined) merged.enabled = patch.enabled;
  if (patch.funnelIds !== undefined) merged.funnelIds = patch.funnelIds;
  for (const key of STEP_KEYS) {
    const change = patch[key];
    if (change === undefined) continue;
    const current = base?.[key];
    merged[key] = change === null ? null : { ...(current ?? {}), ...change };
  }
  return merged;
}

export interface StageRef {
  id: string;
  name: string;
  kind: StageKind;
  position: number;
}

const normalised = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/**
 * The suggested configuration for a pipeline, found by the B2C template's stage names ("Browse
 * abandonment", "Checkout abandonment", "Post-purchase") and the pipeline's won / lost stages. A
 * step whose stage the pipeline lacks is left off. Disabled: enabling is the caller's choice.
 */
export function defaultAutomationConfig(
  pipeline: { wonStageId: string | null; lostStageId: string | null },
  stages: StageRef[],
): AutomationConfig {
  const named = (name: string, kind: StageKind) => stages.find((s) => s.kind === kind && normalised(s.name) === name);
  const browse = named('browse abandonment', 'open');
  const checkout = named('checkout abandonment', 'open');
  const postPurchase = named('post purchase', 'won');
  const won =
    stages.find((s) => s.id === pipeline.wonStageId && s.kind === 'won' && s.id !== postPurchase?.id) ??
    stages.find((s) => s.kind === 'won' && s.id !== postPurchase?.id);
  const lost = stages.find((s) => s.id === pipeline.lostStageId && s.kind === 'lost') ?? stages.find((s) => s.kind === 'lost');
  return {
    enabled: false,
    funnelIds: null,
    browseAbandonment: browse ? { stageId: browse.id, afterHours: 4 } : null,
    checkoutAbandonment: checkout ? { stageId: checkout.id, afterMinutes: 60 } : null,
    purchase: won ? { wonStageId: won.id, postPurchaseStageId: postPurchase?.id ?? null, postPurchaseAfterDays: 7 } : null,
    unsubscribe: lost ? { lostStageId: lost.id, reason: 'unsubscribed' } : null,
  };
}

/** Every stage the configuration names must be in the pipeline and of the right kind. */
export function automationConfigIssues(config: AutomationConfig, stages: StageRef[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (path: string, id: string, kind: StageKind, what: string) => {
    const stage = stages.find((s) => s.id === id);
    if (!stage) issues.push({ path, message: 'That stage is not in this pipeline.' });
    else if (stage.kind !== kind)
      issues.push({ path, message: `"${stage.name}" is a${stage.kind === 'open' ? 'n' : ''} ${stage.kind} stage; ${what}.` });
  };
  const { browseAbandonment: browse, checkoutAbandonment: checkout, purchase, unsubscribe } = config;
  if (browse) check('browseAbandonment.stageId', browse.stageId, 'open', 'browse abandonment needs an open stage');
  if (checkout) check('checkoutAbandonment.stageId', checkout.stageId, 'open', 'checkout abandonment needs an open stage');
  if (browse && checkout && browse.stageId === checkout.stageId) {
    issues.push({ path: 'checkoutAbandonment.stageId', message: 'Browse and checkout abandonment need two different stages.' });
  }
  if (purchase) {
    check('purchase.wonStageId', purchase.wonStageId, 'won', 'purchases need a won stage');
    if (purchase.postPurchaseStageId) {
      check('purchase.postPurchaseStageId', purchase.postPurchaseStageId, 'won', 'post-purchase needs a won stage');
      if (purchase.postPurchaseStageId === purchase.wonStageId) {
        issues.push({ path: 'purchase.postPurchaseStageId', message: 'Post-purchase needs a stage of its own, after the won stage.' });
      }
    }
  }
  if (unsubscribe) check('unsubscribe.lostStageId', unsubscribe.lostStageId, 'lost', 'unsubscribes need a lost stage');
  if (config.enabled && !browse && !checkout && !purchase && !unsubscribe) {
    issues.push({ path: 'enabled', message: 'Turn on at least one automation, or leave them disabled.' });
  }
  return issues;
}

/** How far back a run reads events: the longest delay plus the catch-up margin. */
export function lookbackMs(config: AutomationConfig): number {
  const longest = Math.max(
    config.browseAbandonment ? config.browseAbandonment.afterHours * HOUR_MS : 0,
    config.checkoutAbandonment ? config.checkoutAbandonment.afterMinutes * MINUTE_MS : 0,
  );
  return longest + CATCH_UP_MS;
}

// ── Triggers ─────────────────────────────────────────────────────────────────

export type AutomationName = 'browse_abandonment' | 'checkout_abandonment' | 'purchase' | 'post_purchase' | 'unsubscribe';

/** Who the history says moved a deal: `automation:<name>`. */
export const automationActor = (name: AutomationName) => `automation:${name}`;

/** A move a person made (a user id), as opposed to an automation, a qualification rule or an import. */
export function isManualActor(movedBy: string | null): boolean {
  return movedBy !== null && !movedBy.startsWith('automation:') && !movedBy.startsWith('rule:') && movedBy !== 'import';
}

export type ActivityKind = 'browse' | 'checkout' | 'purchase' | 'unsubscribe';

/** One of a known visitor's events, as the automations see it. */
export interface Activity {
  eventId: string;
  kind: ActivityKind;
  at: number;
  funnelId: string | null;
  /** The order / cart / offer amount the event carries, if any. */
  amountMinor?: number;
  currency?: string;
}

export interface Trigger {
  automation: Exclude<AutomationName, 'post_purchase'>;
  activity: Activity;
  /** When the step became due: the event's time plus the automation's delay. */
  dueAt: number;
}

/** The key of one step in automation_runs: a second run (or an overlapping one) finds it and does nothing. */
export function runKey(automation: AutomationName, pipelineId: string, subjectId: string, triggerId: string | number): string {
  return `${automation}:${pipelineId}:${subjectId}:${triggerId}`;
}

const FOLLOW_UPS: Record<'browse' | 'checkout', ActivityKind[]> = {
  browse: ['checkout', 'purchase', 'unsubscribe'],
  checkout: ['purchase', 'unsubscribe'],
};

/**
 * The steps due at `now` for one lead's activities (any order). An abandonment is due once its
 * delay has passed with no follow-up (checkout / purchase / unsubscribe for browsing; purchase /
 * unsubscribe for a checkout) at or after the event — a follow-up that came later than the delay
 * still makes the abandonment moot, since its own automation takes over. Of several abandonments
 * of a kind the latest due one counts; every purchase counts (one deal per order); the latest
 * unsubscribe counts. Sorted by due time.
 */
export function dueTriggers(activities: Activity[], config: AutomationConfig, now: number): Trigger[] {
  const past = activities.filter((a) => a.at <= now);
  const triggers: Trigger[] = [];
  const latestAbandonment = (kind: 'browse' | 'checkout', delayMs: number, automation: Trigger['automation']) => {
    let chosen: Activity | undefined;
    for (const a of past) {
      if (a.kind !== kind || a.at + delayMs > now) continue;
      if (past.some((f) => FOLLOW_UPS[kind].includes(f.kind) && f.at >= a.at)) continue;
      if (!chosen || a.at > chosen.at || (a.at === chosen.at && a.eventId > chosen.eventId)) chosen = a;
    }
    if (chosen) triggers.push({ automation, activity: chosen, dueAt: chosen.at + delayMs });
  };
  if (config.browseAbandonment) latestAbandonment('browse', config.browseAbandonment.afterHours * HOUR_MS, 'browse_abandonment');
  if (config.checkoutAbandonment)
    latestAbandonment('checkout', config.checkoutAbandonment.afterMinutes * MINUTE_MS, 'checkout_abandonment');
  if (config.purchase) {
    for (const a of past) if (a.kind === 'purchase') triggers.push({ automation: 'purchase', activity: a, dueAt: a.at });
  }
  if (config.unsubscribe) {
    const last = past.filter((a) => a.kind === 'unsubscribe').sort((a, b) => b.at - a.at || (b.eventId < a.eventId ? -1 : 1))[0];
    if (last) triggers.push({ automation: 'unsubscribe', activity: last, dueAt: last.at });
  }
  return triggers.sort((a, b) => a.dueAt - b.dueAt || a.activity.at - b.activity.at || (a.activity.eventId < b.activity.eventId ? -1 : 1));
}

// ── Decisions ────────────────────────────────────────────────────────────────

/** The lead's open deal in the pipeline, as a decision needs it. */
export interface OpenDeal {
  id: string;
  stageId: string;
  /** The latest history row written by a person (not an automation, rule or import), if any. */
  lastManualMoveAt: number | null;
}

export type Decision = { kind: 'create'; stageId: string } | { kind: 'move'; stageId: string } | { kind: 'skip'; reason: string };

/** The stage a trigger sends a deal to. */
function targetStageId(automation: Trigger['automation'], config: AutomationConfig): string | null {
  switch (automation) {
    case 'browse_abandonment':
      return config.browseAbandonment?.stageId ?? null;
    case 'checkout_abandonment':
      return config.checkoutAbandonment?.stageId ?? null;
    case 'purchase':
      return config.purchase?.wonStageId ?? null;
    case 'unsubscribe':
      return config.unsubscribe?.lostStageId ?? null;
  }
}

/**
 * Is `target` further along than `current` for an open deal? Closing stages always are. Between
 * the two abandonment stages the buying process decides (checkout is after browsing, whatever
 * order the columns are in); otherwise the column order does.
 */
export function movesForward(current: StageRef, target: StageRef, config: AutomationConfig): boolean {
  if (current.kind !== 'open' || current.id === target.id) return false;
  if (target.kind !== 'open') return true;
  const rank = (id: string) => (id === config.checkoutAbandonment?.stageId ? 2 : id === config.browseAbandonment?.stageId ? 1 : 0);
  const [from, to] = [rank(current.id), rank(target.id)];
  if (from && to) return from < to;
  return current.position < target.position;
}

/**
 * What a due trigger does to the lead's open deal in the pipeline (null: none). A deal a person
 * moved at or after the triggering event is left alone; abandonment and purchase create a deal
 * when there is none; an unsubscribe only closes an existing deal, and never one of a buyer.
 */
export function decide(
  trigger: Trigger,
  deal: OpenDeal | null,
  config: AutomationConfig,
  stages: StageRef[],
  hasPurchased: boolean,
): Decision {
  const targetId = targetStageId(trigger.automation, config);
  const target = stages.find((s) => s.id === targetId);
  if (!target) return { kind: 'skip', reason: 'stage_missing' };
  if (trigger.automation === 'unsubscribe' && hasPurchased) return { kind: 'skip', reason: 'customer' };
  if (!deal)
    return trigger.automation === 'unsubscribe' ? { kind: 'skip', reason: 'no_open_deal' } : { kind: 'create', stageId: target.id };
  if (deal.lastManualMoveAt !== null && deal.lastManualMoveAt >= trigger.activity.at) return { kind: 'skip', reason: 'moved_by_a_person' };
  const current = stages.find((s) => s.id === deal.stageId);
  if (!current || !movesForward(current, target, config)) return { kind: 'skip', reason: 'not_forward' };
  return { kind: 'move', stageId: target.id };
}

/**
 * Is a deal in the won stage due for post-purchase? Only one the purchase automation put there
 * (its latest move): a deal a person marked won, or moved since, stays where they left it.
 */
export function postPurchaseDue(
  deal: { stageId: string; stageEnteredAt: number; lastMovedBy: string | null },
  config: AutomationConfig,
  now: number,
): boolean {
  const purchase = config.purchase;
  if (!purchase?.postPurchaseStageId || deal.stageId !== purchase.wonStageId) return false;
  if (deal.lastMovedBy !== automationActor('purchase')) return false;
  return deal.stageEnteredAt + purchase.postPurchaseAfterDays * DAY_MS <= now;
}
