import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CATCH_UP_MS,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  automationConfigIssues,
  automationConfigSchema,
  automationPatchSchema,
  decide,
  defaultAutomationConfig,
  dueTriggers,
  isManualActor,
  lookbackMs,
  mergeAutomationPatch,
  movesForward,
  postPurchaseDue,
  type Activity,
  type AutomationConfig,
  type StageRef,
  type Trigger,
} from '../../workers/domain/automations';
import { PIPELINE_TEMPLATES } from '../../workers/domain/pipeline-templates';
import { startIntervalScheduler } from '../../workers/services/scheduler';

// The B2C template's stages, with ids s0…s6 in template order.
const STAGES: StageRef[] = PIPELINE_TEMPLATES.b2c.stages.map((s, i) => ({ id: `s${i}`, name: s.name, kind: s.kind, position: i }));
const [GEN, QUAL, BROWSE, CHECKOUT, WON, LOST, POST] = STAGES.map((s) => s.id) as [string, string, string, string, string, string, string];

const CONFIG: AutomationConfig = {
  enabled: true,
  funnelIds: null,
  browseAbandonment: { stageId: BROWSE, afterHours: 4 },
  checkoutAbandonment: { stageId: CHECKOUT, afterMinutes: 60 },
  purchase: { wonStageId: WON, postPurchaseStageId: POST, postPurchaseAfterDays: 7 },
  unsubscribe: { lostStageId: LOST, reason: 'unsubscribed' },
};

const T0 = Date.UTC(2026, 10, 27, 12);
let n = 0;
const act = (kind: Activity['kind'], at: number, extra: Partial<Activity> = {}): Activity => ({
  eventId: `e${String(n++).padStart(3, '0')}`,
  kind,
  at,
  funnelId: 'f1',
  ...extra,
});
const trigger = (automation: Trigger['automation'], at: number): Trigger => ({ automation, activity: act('browse', at), dueAt: at });

describe('configuration', () => {
  it('builds the suggested configuration from the B2C template’s stage names', () => {
    expect(defaultAutomationConfig({ wonStageId: WON, lostStageId: LOST }, STAGES)).toEqual({ ...CONFIG, enabled: false });
    expect(automationConfigIssues(CONFIG, STAGES)).toEqual([]);
  });

  it('leaves out the steps whose stages a pipeline lacks (B2B has no abandonment stages)', () => {
    const b2b = PIPELINE_TEMPLATES.b2b.stages.map((s, i) => ({ id: `b${i}`, name: s.name, kind: s.kind, position: i }));
    const config = defaultAutomationConfig({ wonStageId: 'b5', lostStageId: 'b6' }, b2b);
    expect(config.browseAbandonment).toBeNull();
    expect(config.checkoutAbandonment).toBeNull();
    expect(config.purchase).toEqual({ wonStageId: 'b5', postPurchaseStageId: 'b7', postPurchaseAfterDays: 7 });
    expect(config.unsubscribe).toEqual({ lostStageId: 'b6', reason: 'unsubscribed' });
  });

  it('refuses stages of another pipeline or of the wrong kind, naming each field', () => {
    const bad: AutomationConfig = {
      ...CONFIG,
      browseAbandonment: { stageId: WON, afterHours: 4 },
      checkoutAbandonment: { stageId: 'elsewhere', afterMinutes: 60 },
      purchase: { wonStageId: QUAL, postPurchaseStageId: LOST, postPurchaseAfterDays: 0 },
      unsubscribe: { lostStageId: WON, reason: 'unsubscribed' },
    };
    expect(automationConfigIssues(bad, STAGES).map((i) => i.path)).toEqual([
      'browseAbandonment.stageId',
      'checkoutAbandonment.stageId',
      'purchase.wonStageId',
      'purchase.postPurchaseStageId',
      'unsubscribe.lostStageId',
    ]);
    const same: AutomationConfig = {
      ...CONFIG,
      checkoutAbandonment: { stageId: BROWSE, afterMinutes: 5 },
      purchase: { wonStageId: WON, postPurchaseStageId: WON, postPurchaseAfterDays: 0 },
    };
    expect(automationConfigIssues(same, STAGES).map((i) => i.path)).toEqual([
      'checkoutAbandonment.stageId',
      'purchase.postPurchaseStageId',
    ]);
    const nothing: AutomationConfig = {
      enabled: true,
      funnelIds: null,
      browseAbandonment: null,
      checkoutAbandonment: null,
      purchase: null,
      unsubscribe: null,
    };
    expect(automationConfigIssues(nothing, STAGES).map((i) => i.path)).toEqual(['enabled']);
  });

  it('validates delays and unknown keys in the schema, with defaults for the optional parts', () => {
    expect(automationConfigSchema.safeParse({ ...CONFIG, browseAbandonment: { stageId: BROWSE, afterHours: 0 } }).success).toBe(false);
    expect(automationConfigSchema.safeParse({ ...CONFIG, checkoutAbandonment: { stageId: CHECKOUT, afterMinutes: 1.5 } }).success).toBe(
      false,
    );
    expect(automationConfigSchema.safeParse({ ...CONFIG, surprise: true }).success).toBe(false);
    expect(automationConfigSchema.parse({ enabled: true, unsubscribe: { lostStageId: LOST } })).toEqual({
      enabled: true,
      funnelIds: null,
      browseAbandonment: null,
      checkoutAbandonment: null,
      purchase: null,
      unsubscribe: { lostStageId: LOST, reason: 'unsubscribed' },
    });
  });

  it('merges a change into the stored steps; null turns a step off', () => {
    // Only what the change names: nothing defaults to a value that would overwrite the stored one.
    expect(automationPatchSchema.parse({ enabled: false })).toEqual({ enabled: false });
    expect(mergeAutomationPatch(CONFIG, automationPatchSchema.parse({ enabled: false }))).toEqual({ ...CONFIG, enabled: false });
    const merged = mergeAutomationPatch(CONFIG, { checkoutAbandonment: { afterMinutes: 30 }, browseAbandonment: null, enabled: false });
    expect(merged).toMatchObject({ enabled: false, browseAbandonment: null, checkoutAbandonment: { stageId: CHECKOUT, afterMinutes: 30 } });
  });

  it('bounds the look-back by the longest delay plus the catch-up margin', () => {
    expect(lookbackMs(CONFIG)).toBe(4 * HOUR_MS + CATCH_UP_MS);
    expect(lookbackMs({ ...CONFIG, checkoutAbandonment: { stageId: CHECKOUT, afterMinutes: 600 } })).toBe(10 * HOUR_MS + CATCH_UP_MS);
    expect(lookbackMs({ ...CONFIG, browseAbandonment: null, checkoutAbandonment: null })).toBe(CATCH_UP_MS);
  });
});

describe('due triggers (windows)', () => {
  it('browse abandonment is due after N hours, not before', () => {
    const view = act('browse', T0);
    expect(dueTriggers([view], CONFIG, T0 + 4 * HOUR_MS - 1)).toEqual([]);
    expect(dueTriggers([view], CONFIG, T0 + 4 * HOUR_MS)).toEqual([
      { automation: 'browse_abandonment', activity: view, dueAt: T0 + 4 * HOUR_MS },
    ]);
  });

  it('a checkout, purchase or unsubscribe after the view makes browse abandonment moot', () => {
    const view = act('browse', T0);
    for (const kind of ['checkout', 'purchase', 'unsubscribe'] as const) {
      const due = dueTriggers([view, act(kind, T0 + HOUR_MS)], CONFIG, T0 + 5 * HOUR_MS);
      expect(due.map((t) => t.automation)).not.toContain('browse_abandonment');
    }
    // A checkout before the view does not: the visitor came back to browse and left.
    const due = dueTriggers([act('checkout', T0 - 5 * HOUR_MS), view], CONFIG, T0 + 5 * HOUR_MS);
    expect(due.filter((t) => t.automation === 'browse_abandonment').map((t) => t.activity)).toEqual([view]);
  });

  it('checkout abandonment is due after N minutes without a purchase', () => {
    const checkout = act('checkout', T0, { amountMinor: 25_000, currency: 'USD' });
    expect(dueTriggers([checkout], CONFIG, T0 + 59 * MINUTE_MS)).toEqual([]);
    expect(dueTriggers([checkout], CONFIG, T0 + 60 * MINUTE_MS)).toEqual([
      { automation: 'checkout_abandonment', activity: checkout, dueAt: T0 + 60 * MINUTE_MS },
    ]);
    const bought = act('purchase', T0 + 10 * MINUTE_MS);
    expect(dueTriggers([checkout, bought], CONFIG, T0 + 2 * HOUR_MS).map((t) => t.automation)).toEqual(['purchase']);
  });

  it('takes the latest due abandonment of a kind, every purchase, and the latest unsubscribe, in due order', () => {
    const views = [act('browse', T0), act('browse', T0 + HOUR_MS), act('browse', T0 + 10 * HOUR_MS)];
    const buys = [act('purchase', T0 - 2 * DAY_MS), act('purchase', T0 - DAY_MS)];
    const unsubs = [act('unsubscribe', T0 - 3 * DAY_MS), act('unsubscribe', T0 - 3 * DAY_MS + 1)];
    const due = dueTriggers([...views, ...buys, ...unsubs].reverse(), CONFIG, T0 + 6 * HOUR_MS);
    expect(due.map((t) => [t.automation, t.activity.eventId])).toEqual([
      ['unsubscribe', unsubs[1]!.eventId],
      ['purchase', buys[0]!.eventId],
      ['purchase', buys[1]!.eventId],
      ['browse_abandonment', views[1]!.eventId], // the 10-hours view is not due yet
    ]);
  });

  it('ignores events after now and automations that are off', () => {
    expect(dueTriggers([act('purchase', T0 + 1)], CONFIG, T0)).toEqual([]);
    expect(
      dueTriggers([act('browse', T0), act('purchase', T0)], { ...CONFIG, browseAbandonment: null, purchase: null }, T0 + DAY_MS),
    ).toEqual([]);
  });
});

describe('decisions', () => {
  const deal = (stageId: string, lastManualMoveAt: number | null = null) => ({ id: 'd1', stageId, lastManualMoveAt });

  it('moves forward from earlier open stages only', () => {
    expect(decide(trigger('browse_abandonment', T0), deal(GEN), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: BROWSE });
    expect(decide(trigger('browse_abandonment', T0), deal(QUAL), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: BROWSE });
    expect(decide(trigger('browse_abandonment', T0), deal(BROWSE), CONFIG, STAGES, false).kind).toBe('skip');
    expect(decide(trigger('browse_abandonment', T0), deal(CHECKOUT), CONFIG, STAGES, false)).toEqual({
      kind: 'skip',
      reason: 'not_forward',
    });
    expect(decide(trigger('checkout_abandonment', T0), deal(BROWSE), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: CHECKOUT });
    expect(decide(trigger('purchase', T0), deal(CHECKOUT), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: WON });
    expect(decide(trigger('purchase', T0), deal(GEN), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: WON });
  });

  it('never pulls a deal back from checkout even when the columns are reordered', () => {
    const reordered = STAGES.map((s) => (s.id === BROWSE ? { ...s, position: 3 } : s.id === CHECKOUT ? { ...s, position: 2 } : s));
    expect(movesForward(reordered[3]!, reordered[2]!, CONFIG)).toBe(false); // checkout → browse
    expect(movesForward(reordered[2]!, reordered[3]!, CONFIG)).toBe(true); // browse → checkout
    // A custom open stage after browse abandonment is not pulled back to it.
    const wishlist: StageRef = { id: 'wish', name: 'Wishlist', kind: 'open', position: 2.5 };
    expect(movesForward(wishlist, STAGES[2]!, CONFIG)).toBe(false);
    expect(movesForward(wishlist, STAGES[3]!, CONFIG)).toBe(true);
  });

  it('creates a deal where there is none, except for an unsubscribe', () => {
    expect(decide(trigger('browse_abandonment', T0), null, CONFIG, STAGES, false)).toEqual({ kind: 'create', stageId: BROWSE });
    expect(decide(trigger('checkout_abandonment', T0), null, CONFIG, STAGES, false)).toEqual({ kind: 'create', stageId: CHECKOUT });
    expect(decide(trigger('purchase', T0), null, CONFIG, STAGES, true)).toEqual({ kind: 'create', stageId: WON });
    expect(decide(trigger('unsubscribe', T0), null, CONFIG, STAGES, false)).toEqual({ kind: 'skip', reason: 'no_open_deal' });
  });

  it('closes the deal of an unsubscriber who never bought, and leaves a customer’s alone', () => {
    expect(decide(trigger('unsubscribe', T0), deal(BROWSE), CONFIG, STAGES, false)).toEqual({ kind: 'move', stageId: LOST });
    expect(decide(trigger('unsubscribe', T0), deal(BROWSE), CONFIG, STAGES, true)).toEqual({ kind: 'skip', reason: 'customer' });
  });

  it('lets a person’s move win: a deal moved by hand at or after the trigger stays put', () => {
    expect(decide(trigger('checkout_abandonment', T0), deal(QUAL, T0 + 1), CONFIG, STAGES, false)).toEqual({
      kind: 'skip',
      reason: 'moved_by_a_person',
    });
    expect(decide(trigger('checkout_abandonment', T0), deal(QUAL, T0), CONFIG, STAGES, false)).toEqual({
      kind: 'skip',
      reason: 'moved_by_a_person',
    });
    expect(decide(trigger('purchase', T0), deal(QUAL, T0 + 1), CONFIG, STAGES, false).kind).toBe('skip');
    // A move by hand before the event is just where the deal was.
    expect(decide(trigger('checkout_abandonment', T0), deal(QUAL, T0 - 1), CONFIG, STAGES, false)).toEqual({
      kind: 'move',
      stageId: CHECKOUT,
    });
  });

  it('tells people from automations, rules and imports', () => {
    expect(isManualActor('01JABCDEF')).toBe(true);
    expect(isManualActor('automation:purchase')).toBe(false);
    expect(isManualActor('rule:01JABC')).toBe(false);
    expect(isManualActor('import')).toBe(false);
    expect(isManualActor(null)).toBe(false);
  });

  it('sends deals the purchase automation won to post-purchase after the configured days', () => {
    const won = { stageId: WON, stageEnteredAt: T0, lastMovedBy: 'automation:purchase' };
    expect(postPurchaseDue(won, CONFIG, T0 + 7 * DAY_MS - 1)).toBe(false);
    expect(postPurchaseDue(won, CONFIG, T0 + 7 * DAY_MS)).toBe(true);
    expect(postPurchaseDue(won, { ...CONFIG, purchase: { ...CONFIG.purchase!, postPurchaseAfterDays: 0 } }, T0)).toBe(true);
    expect(postPurchaseDue({ ...won, lastMovedBy: 'someone' }, CONFIG, T0 + 8 * DAY_MS)).toBe(false);
    expect(postPurchaseDue(won, { ...CONFIG, purchase: { ...CONFIG.purchase!, postPurchaseStageId: null } }, T0 + 8 * DAY_MS)).toBe(false);
  });
});

describe('the local timer', () => {
  // Fake timers: the interval and the ticks' own work run on a clock the test moves.
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('never runs two ticks at once, and stop() waits for the one in progress', async () => {
    let running = 0;
    let most = 0;
    let finished = 0;
    const scheduler = startIntervalScheduler(async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      finished++;
    }, 5);
    // Ticks due every 5 ms take 30 ms each: started at 5, 40 and 75 ms, the third still running at 100.
    await vi.advanceTimersByTimeAsync(100);
    expect(most).toBe(1);
    expect([running, finished]).toEqual([1, 2]);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(4);
    expect(stopped).toBe(false); // the tick in progress is not cut short
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect([running, finished]).toEqual([0, 3]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(finished).toBe(3); // stopped: no more ticks
    expect(vi.getTimerCount()).toBe(0);
  });
});
