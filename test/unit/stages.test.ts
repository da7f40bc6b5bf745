import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyEvent,
  changedStages,
  DEFAULT_STAGE_RULES,
  emptyProgress,
  EVENT_TYPES,
  FUNNEL_STAGES,
  furthestStage,
  SECTION_OF_STAGE,
  STAGE_INDEX,
  stageForEvent,
  utcDay,
  type EventType,
  type StageOverrides,
  type StageProgress,
} from '../../workers/domain/stages';
import { bucketValueMs, durationBucket, medianFromHistogram } from '../../workers/domain/durations';

const T = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;

type Ev = { type: EventType; at: number; pageSlug?: string | null };
const run = (events: Ev[], overrides?: StageOverrides): StageProgress =>
  events.reduce((p, e) => applyEvent(p, e, overrides), emptyProgress());
/** reachedAt keyed by stage name, for readable expectations. */
const reached = (p: StageProgress) => Object.fromEntries(FUNNEL_STAGES.map((s, i) => [s, p.reachedAt[i]]));

describe('default event → stage rules (issue 4)', () => {
  const expected: Record<EventType, string | null> = {
    page_view: 'awareness',
    engaged: 'interest',
    cta_click: 'interest',
    quiz_start: 'interest',
    form_start: null,
    quiz_answer: null,
    form_submit: 'evaluation',
    quiz_complete: 'evaluation',
    lead_magnet_download: 'evaluation',
    chat_email: 'evaluation',
    offer_view: 'desire',
    checkout_start: 'desire',
    purchase: 'sale',
    repeat_purchase: 'retention',
    refund: null,
    unsubscribe: null,
  };

  it('maps every event type as the issue says', () => {
    expect(DEFAULT_STAGE_RULES).toEqual(expected);
    for (const type of EVENT_TYPES) {
      const stage = expected[type];
      expect(stageForEvent(type, null), type).toBe(stage === null ? null : STAGE_INDEX[stage as keyof typeof STAGE_INDEX]);
    }
  });

  it('events that move no stage leave progress empty', () => {
    const p = run([
      { type: 'form_start', at: T },
      { type: 'quiz_answer', at: T },
      { type: 'refund', at: T },
      { type: 'unsubscribe', at: T },
    ]);
    expect(furthestStage(p)).toBe(-1);
    expect(p.reachedAt.every((x) => x === null)).toBe(true);
  });

  it('sections: TOFU = awareness, MOFU = interest + evaluation, BOFU = desire + sale + retention', () => {
    expect(SECTION_OF_STAGE).toEqual({
      awareness: 'TOFU',
      interest: 'MOFU',
      evaluation: 'MOFU',
      desire: 'BOFU',
      sale: 'BOFU',
      retention: 'BOFU',
    });
  });

  it('utcDay is the UTC calendar day', () => {
    expect(utcDay(Date.UTC(2026, 0, 10, 0, 0, 0))).toBe('2026-01-10');
    expect(utcDay(Date.UTC(2026, 0, 10, 23, 59, 59, 999))).toBe('2026-01-10');
    expect(utcDay(Date.UTC(2026, 0, 11) - 1)).toBe('2026-01-10');
    expect(utcDay(Date.UTC(2026, 0, 11))).toBe('2026-01-11');
  });
});

describe('per-funnel overrides', () => {
  it('by event type: remaps, and null switches an event off', () => {
    const overrides: StageOverrides = { events: { cta_click: 'evaluation', form_start: 'interest', offer_view: null } };
    expect(stageForEvent('cta_click', null, overrides)).toBe(STAGE_INDEX.evaluation);
    expect(stageForEvent('form_start', null, overrides)).toBe(STAGE_INDEX.interest);
    expect(stageForEvent('offer_view', null, overrides)).toBeNull();
    expect(stageForEvent('engaged', null, overrides)).toBe(STAGE_INDEX.interest); // untouched default
  });

  it('by page slug, for page views only ("views of the pricing page count as desire")', () => {
    const overrides: StageOverrides = { pages: { pricing: 'desire' } };
    expect(stageForEvent('page_view', 'pricing', overrides)).toBe(STAGE_INDEX.desire);
    expect(stageForEvent('page_view', 'home', overrides)).toBe(STAGE_INDEX.awareness);
    expect(stageForEvent('page_view', null, overrides)).toBe(STAGE_INDEX.awareness);
    expect(stageForEvent('engaged', 'pricing', overrides)).toBe(STAGE_INDEX.interest);
    const p = run([{ type: 'page_view', at: T, pageSlug: 'pricing' }], overrides);
    expect(reached(p)).toMatchObject({ awareness: T, interest: T, evaluation: T, desire: T, sale: null });
  });

  it('a page override wins over an event override of page views', () => {
    const overrides: StageOverrides = { events: { page_view: 'interest' }, pages: { pricing: 'desire' } };
    expect(stageForEvent('page_view', 'pricing', overrides)).toBe(STAGE_INDEX.desire);
    expect(stageForEvent('page_view', 'home', overrides)).toBe(STAGE_INDEX.interest);
  });

  it('page slugs that are Object.prototype member names are just slugs', () => {
    const overrides: StageOverrides = { pages: { pricing: 'desire' } };
    for (const slug of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(stageForEvent('page_view', slug, overrides), slug).toBe(STAGE_INDEX.awareness);
    }
  });

  it('an unknown stage name in stored settings is ignored (the default applies)', () => {
    const overrides = { events: { engaged: 'nirvana' }, pages: { pricing: 'heaven' } } as unknown as StageOverrides;
    expect(stageForEvent('engaged', null, overrides)).toBe(STAGE_INDEX.interest);
    expect(stageForEvent('page_view', 'pricing', overrides)).toBe(STAGE_INDEX.awareness);
  });
});

describe('applyEvent', () => {
  it('keeps the first time each stage was reached and only moves forward', () => {
    const p = run([
      { type: 'page_view', at: T },
      { type: 'engaged', at: T + MIN },
      { type: 'page_view', at: T + 2 * MIN },
      { type: 'engaged', at: T + 3 * MIN },
    ]);
    expect(reached(p)).toEqual({ awareness: T, interest: T + MIN, evaluation: null, desire: null, sale: null, retention: null });
    expect(furthestStage(p)).toBe(STAGE_INDEX.interest);
  });

  it('jumping ahead counts as reaching every earlier stage, at that time', () => {
    const p = run([{ type: 'checkout_start', at: T }]);
    expect(reached(p)).toEqual({ awareness: T, interest: T, evaluation: T, desire: T, sale: null, retention: null });
  });

  it('a later jump ahead does not move earlier first-reach times', () => {
    const p = run([
      { type: 'page_view', at: T },
      { type: 'offer_view', at: T + 5 * MIN },
    ]);
    expect(reached(p)).toEqual({
      awareness: T,
      interest: T + 5 * MIN,
      evaluation: T + 5 * MIN,
      desire: T + 5 * MIN,
      sale: null,
      retention: null,
    });
  });

  it('an earlier event arriving later pulls first-reach times back', () => {
    const p = run([
      { type: 'offer_view', at: T + 5 * MIN },
      { type: 'engaged', at: T + MIN },
      { type: 'page_view', at: T },
    ]);
    expect(reached(p)).toEqual({
      awareness: T,
      interest: T + MIN,
      evaluation: T + 5 * MIN,
      desire: T + 5 * MIN,
      sale: null,
      retention: null,
    });
  });

  it('does not mutate its input', () => {
    const p0 = emptyProgress();
    const p1 = applyEvent(p0, { type: 'purchase', at: T });
    expect(p0).toEqual(emptyProgress());
    applyEvent(p1, { type: 'purchase', at: T + MIN });
    expect(p1.reachedAt[STAGE_INDEX.retention]).toBeNull();
    expect(p1.firstPurchaseAt).toBe(T);
  });
});

describe('purchases and retention', () => {
  it('one purchase is a sale, not retention', () => {
    const p = run([{ type: 'purchase', at: T }]);
    expect(reached(p)).toEqual({ awareness: T, interest: T, evaluation: T, desire: T, sale: T, retention: null });
  });

  it('a second purchase is retention at the later purchase, in either arrival order', () => {
    const a = { type: 'purchase' as const, at: T };
    const b = { type: 'purchase' as const, at: T + 3 * MIN };
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const p = run(order);
      expect(p.reachedAt[STAGE_INDEX.sale]).toBe(T);
      expect(p.reachedAt[STAGE_INDEX.retention]).toBe(T + 3 * MIN);
    }
  });

  it('with three purchases, retention is at the second one, whatever the order', () => {
    const times = [T + 7 * MIN, T, T + 2 * MIN];
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const perm of perms) {
      const p = run(perm.map((i) => ({ type: 'purchase', at: times[i]! })));
      expect(p.reachedAt[STAGE_INDEX.sale], perm.join()).toBe(T);
      expect(p.reachedAt[STAGE_INDEX.retention], perm.join()).toBe(T + 2 * MIN);
    }
  });

  it('two purchases at the same millisecond are a sale and a retention at that time', () => {
    const p = run([
      { type: 'purchase', at: T },
      { type: 'purchase', at: T },
    ]);
    expect(p.reachedAt[STAGE_INDEX.retention]).toBe(T);
  });

  it('a repeat purchase is retention on its own (and fills every earlier stage)', () => {
    const p = run([{ type: 'repeat_purchase', at: T }]);
    expect(reached(p)).toEqual({ awareness: T, interest: T, evaluation: T, desire: T, sale: T, retention: T });
  });

  it('a purchase after a repeat purchase keeps the earlier retention time', () => {
    const p = run([
      { type: 'purchase', at: T + 10 * MIN },
      { type: 'repeat_purchase', at: T + 2 * MIN },
    ]);
    expect(p.reachedAt[STAGE_INDEX.sale]).toBe(T + 2 * MIN);
    expect(p.reachedAt[STAGE_INDEX.retention]).toBe(T + 2 * MIN);
  });

  it('a refund moves nothing back', () => {
    const p = run([
      { type: 'purchase', at: T },
      { type: 'refund', at: T + MIN },
    ]);
    expect(furthestStage(p)).toBe(STAGE_INDEX.sale);
  });

  it('a purchase remapped by the funnel is not counted as a sale', () => {
    const overrides: StageOverrides = { events: { purchase: 'desire' } };
    const p = run(
      [
        { type: 'purchase', at: T },
        { type: 'purchase', at: T + MIN },
      ],
      overrides,
    );
    expect(furthestStage(p)).toBe(STAGE_INDEX.desire);
  });
});

describe('order independence (property)', () => {
  const eventArb = fc.record({
    type: fc.constantFrom(...EVENT_TYPES),
    at: fc.integer({ min: T, max: T + 3 * 24 * 60 * MIN }),
    pageSlug: fc.constantFrom(null, 'home', 'pricing', 'quiz'),
  });
  const overridesArb: fc.Arbitrary<StageOverrides> = fc.record(
    {
      events: fc.dictionary(fc.constantFrom(...EVENT_TYPES), fc.constantFrom(null, ...FUNNEL_STAGES), { maxKeys: 4 }),
      pages: fc.dictionary(fc.constantFrom('home', 'pricing', 'quiz'), fc.constantFrom(...FUNNEL_STAGES), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  );

  it('any permutation gives the same progress; first-reach times are monotone by stage', () => {
    fc.assert(
      fc.property(
        fc
          .array(eventArb, { minLength: 1, maxLength: 12 })
          .chain((events) =>
            fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })),
          ),
        overridesArb,
        ([events, shuffled], overrides) => {
          const a = run(events, overrides);
          const b = run(shuffled, overrides);
          expect(b).toEqual(a);
          // Every reached stage has all earlier stages reached no later.
          for (let s = 1; s < FUNNEL_STAGES.length; s++) {
            const cur = a.reachedAt[s];
            if (cur === null || cur === undefined) continue;
            const prev = a.reachedAt[s - 1];
            expect(prev).not.toBeNull();
            expect(prev!).toBeLessThanOrEqual(cur);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('changedStages and furthestStage', () => {
  it('lists exactly the stages whose first time changed', () => {
    const before = run([{ type: 'engaged', at: T + MIN }]);
    const after = applyEvent(before, { type: 'page_view', at: T });
    expect(changedStages(before, after)).toEqual([{ stage: STAGE_INDEX.awareness, from: T + MIN, to: T }]);
    const later = applyEvent(after, { type: 'offer_view', at: T + 2 * MIN });
    expect(changedStages(after, later)).toEqual([
      { stage: STAGE_INDEX.evaluation, from: null, to: T + 2 * MIN },
      { stage: STAGE_INDEX.desire, from: null, to: T + 2 * MIN },
    ]);
    expect(changedStages(later, later)).toEqual([]);
  });

  it('furthest stage is the highest reached, -1 for none', () => {
    expect(furthestStage(emptyProgress())).toBe(-1);
    expect(furthestStage(run([{ type: 'page_view', at: T }]))).toBe(0);
    expect(furthestStage(run([{ type: 'repeat_purchase', at: T }]))).toBe(FUNNEL_STAGES.length - 1);
  });
});

describe('duration buckets', () => {
  it('bucket 0 holds everything under a second, including 0', () => {
    for (const ms of [0, 1, 500, 999]) expect(durationBucket(ms)).toBe(0);
    expect(durationBucket(1000)).toBe(1);
  });

  it('four buckets per doubling', () => {
    expect(durationBucket(2000)).toBe(5);
    expect(durationBucket(4000)).toBe(9);
    expect(durationBucket(1999)).toBe(4);
    expect(durationBucket(60 * 60 * 1000)).toBe(1 + Math.floor(4 * Math.log2(3600)));
  });

  it('is monotone, and each bucket value falls inside its own bucket within ±9%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90 * 24 * 3600 * 1000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, d) => {
        expect(durationBucket(a + d)).toBeGreaterThanOrEqual(durationBucket(a));
        if (a >= 1000) {
          const v = bucketValueMs(durationBucket(a));
          expect(Math.abs(v - a) / a).toBeLessThanOrEqual(0.0906);
        }
      }),
      { numRuns: 500 },
    );
    for (let b = 0; b < 120; b++) expect(durationBucket(bucketValueMs(b)), `bucket ${b}`).toBe(b);
  });
});

describe('medianFromHistogram', () => {
  const h = (entries: Array<[number, number]>) => new Map(entries);

  it('is null for an empty histogram', () => {
    expect(medianFromHistogram(h([]))).toBeNull();
    expect(medianFromHistogram(h([[5, 0]]))).toBeNull();
  });

  it('odd count: the middle value', () => {
    expect(
      medianFromHistogram(
        h([
          [3, 1],
          [1, 1],
          [9, 1],
        ]),
      ),
    ).toBe(bucketValueMs(3));
    expect(medianFromHistogram(h([[0, 1]]))).toBe(0);
  });

  it('even count: the lower middle', () => {
    expect(
      medianFromHistogram(
        h([
          [1, 1],
          [2, 1],
        ]),
      ),
    ).toBe(bucketValueMs(1));
    expect(
      medianFromHistogram(
        h([
          [7, 2],
          [2, 2],
        ]),
      ),
    ).toBe(bucketValueMs(2));
    expect(
      medianFromHistogram(
        h([
          [7, 2],
          [2, 1],
          [4, 1],
        ]),
      ),
    ).toBe(bucketValueMs(4));
  });

  it('equals the lower-middle element of the sorted durations (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }), { minLength: 1, maxLength: 40 }), (durations) => {
        const buckets = durations.map(durationBucket).sort((a, b) => a - b);
        const counts = new Map<number, number>();
        for (const b of buckets) counts.set(b, (counts.get(b) ?? 0) + 1);
        expect(medianFromHistogram(counts)).toBe(bucketValueMs(buckets[Math.floor((buckets.length - 1) / 2)]!));
      }),
    );
  });
});
