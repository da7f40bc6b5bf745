import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SCORING,
  EVENT_BIT,
  effectiveFurthestStage,
  effectiveMask,
  latestAnswer,
  latestQuizOutcome,
  maskOf,
  scoreFunnel,
  scoreLead,
  scoringConfigOf,
  scoringConfigSchema,
  typesInMask,
  type FunnelHistory,
  type ScoringConfig,
  type SubmissionHistory,
} from '../../workers/domain/scoring';
import { EVENT_TYPES, STAGE_INDEX } from '../../workers/domain/stages';
import { DEMO_SCORING } from '../../db/seed';

const T = Date.UTC(2026, 10, 1);

const config = (partial: Partial<ScoringConfig>): ScoringConfig => scoringConfigSchema.parse(partial);
const history = (partial: Partial<FunnelHistory> = {}): FunnelHistory => ({
  funnelId: 'f1',
  eventMask: 0,
  furthestStage: -1,
  submissions: [],
  ...partial,
});
let n = 0;
const submission = (partial: Partial<SubmissionHistory> = {}): SubmissionHistory => ({
  id: `s${String(++n).padStart(4, '0')}`,
  createdAt: T,
  blockType: 'lead_form',
  data: { email: 'ava@example.com', fields: {} },
  quizOutcome: null,
  quizScore: null,
  ...partial,
});
const total = (c: ScoringConfig, h: FunnelHistory) => scoreFunnel(c, h).reduce((s, i) => s + i.points, 0);

describe('event masks', () => {
  it('maps each event type to its bit in EVENT_TYPES order, and back', () => {
    expect(EVENT_BIT.page_view).toBe(1);
    expect(EVENT_BIT.engaged).toBe(2);
    expect(EVENT_BIT[EVENT_TYPES[15]]).toBe(1 << 15);
    expect(typesInMask(maskOf(['quiz_complete', 'page_view', 'purchase']))).toEqual(['page_view', 'quiz_complete', 'purchase']);
  });

  it('adds the events a submission implies to the visitors’ events', () => {
    const h = history({
      eventMask: maskOf(['page_view']),
      submissions: [
        submission({ blockType: 'quiz', quizOutcome: 'oily', quizScore: 11 }),
        submission({ blockType: 'lead_magnet' }),
        submission({ blockType: 'chat_capture' }),
      ],
    });
    expect(typesInMask(effectiveMask(h))).toEqual(['page_view', 'form_submit', 'quiz_complete', 'lead_magnet_download', 'chat_email']);
    // A quiz submission whose page version no longer says which block it came from is still a quiz (it has a score).
    expect(typesInMask(effectiveMask(history({ submissions: [submission({ blockType: null, quizScore: 4 })] })))).toEqual([
      'form_submit',
      'quiz_complete',
    ]);
    expect(effectiveMask(history({ submissions: [submission({ blockType: null })] }))).toBe(0);
  });

  it('counts the stage a submission’s event reaches, under the funnel’s own mapping', () => {
    const quizOnly = history({ furthestStage: STAGE_INDEX.interest, submissions: [submission({ blockType: 'quiz', quizScore: 5 })] });
    expect(effectiveFurthestStage(quizOnly)).toBe(STAGE_INDEX.evaluation);
    expect(effectiveFurthestStage(quizOnly, { events: { quiz_complete: 'desire' } })).toBe(STAGE_INDEX.desire);
    // What ingest already recorded is not re-derived: the visitors' furthest stage stands.
    expect(effectiveFurthestStage(history({ furthestStage: STAGE_INDEX.sale, eventMask: maskOf(['purchase']) }))).toBe(STAGE_INDEX.sale);
  });
});

describe('scoreFunnel', () => {
  const c = config({
    events: { page_view: 1, quiz_complete: 20, form_submit: 10, lead_magnet_download: 15, unsubscribe: -30 },
    quizOutcomes: { oily: 30, balanced: 20 },
    fields: [{ field: 'routine', equals: 'None yet', points: 15 }],
    leadMagnet: 10,
  });

  it('counts each event type once per funnel', () => {
    expect(total(c, history({ eventMask: maskOf(['page_view']) }))).toBe(1);
    // A quiz submitted twice, and also reported by the island: still one quiz_complete and one form_submit.
    const twice = history({
      eventMask: maskOf(['page_view', 'quiz_complete', 'form_submit']),
      submissions: [
        submission({ blockType: 'quiz', quizOutcome: 'balanced', quizScore: 8 }),
        submission({ blockType: 'quiz', quizOutcome: 'balanced', quizScore: 8 }),
      ],
    });
    expect(total(c, twice)).toBe(1 + 20 + 10 + 20);
  });

  it('scores the latest quiz outcome only: a retaken quiz replaces the earlier result', () => {
    const retaken = history({
      submissions: [
        submission({ blockType: 'quiz', quizOutcome: 'oily', quizScore: 11, createdAt: T }),
        submission({ blockType: 'quiz', quizOutcome: 'balanced', quizScore: 8, createdAt: T + 1000 }),
      ],
    });
    expect(latestQuizOutcome(retaken)).toBe('balanced');
    expect(scoreFunnel(c, retaken).filter((i) => i.kind === 'quiz_outcome')).toEqual([
      { funnelId: 'f1', kind: 'quiz_outcome', key: 'balanced', points: 20 },
    ]);
    // Same time: the larger id is the later one, whatever order the rows come in.
    const tie = [
      submission({ blockType: 'quiz', quizOutcome: 'oily', quizScore: 11 }),
      submission({ blockType: 'quiz', quizOutcome: 'balanced', quizScore: 8 }),
    ];
    expect(latestQuizOutcome(history({ submissions: tie }))).toBe('balanced');
    expect(latestQuizOutcome(history({ submissions: [...tie].reverse() }))).toBe('balanced');
  });

  it('scores a form answer by its latest value, trimmed and case-insensitive', () => {
    const chat = (routine: string, createdAt = T) =>
      submission({ blockType: 'chat_capture', createdAt, data: { email: 'a@b.co', fields: { routine } } });
    expect(scoreFunnel(c, history({ submissions: [chat('  none YET ')] })).find((i) => i.kind === 'field')).toMatchObject({
      key: 'routine=None yet',
      points: 15,
    });
    expect(scoreFunnel(c, history({ submissions: [chat('None yet', T), chat('3 or more', T + 1)] })).some((i) => i.kind === 'field')).toBe(
      false,
    );
    expect(latestAnswer(history({ submissions: [chat('None yet', T + 5), chat('3 or more', T + 1)] }), 'routine')).toBe('None yet');
  });

  it('gives lead-magnet points once, for a download event or an ebook submission', () => {
    const magnet = (h: FunnelHistory) => scoreFunnel(c, h).filter((i) => i.kind === 'lead_magnet');
    expect(magnet(history({ eventMask: maskOf(['lead_magnet_download']) }))).toHaveLength(1);
    expect(
      magnet(history({ submissions: [submission({ blockType: 'lead_magnet' }), submission({ blockType: 'lead_magnet' })] })),
    ).toHaveLength(1);
    expect(magnet(history({ eventMask: maskOf(['page_view']) }))).toHaveLength(0);
  });

  it('allows negative points (an unsubscribe) and leaves zero-point items out', () => {
    expect(total(c, history({ eventMask: maskOf(['page_view', 'unsubscribe', 'engaged']) }))).toBe(1 - 30);
    expect(scoreFunnel(c, history({ eventMask: maskOf(['engaged']) }))).toEqual([]);
  });

  it('sums a lead’s funnels, each with its own config', () => {
    const other = config({ events: { page_view: 100 } });
    const score = scoreLead(
      [history({ funnelId: 'f1', eventMask: maskOf(['page_view']) }), history({ funnelId: 'f2', eventMask: maskOf(['page_view']) })],
      (id) => (id === 'f1' ? c : other),
    );
    expect(score.score).toBe(101);
  });

  it('is order- and duplicate-independent: any shuffle, split or repeat of the same history scores the same', () => {
    const eventType = fc.constantFrom(...EVENT_TYPES);
    const sub = fc.record({
      blockType: fc.constantFrom('lead_form', 'quiz', 'lead_magnet', 'chat_capture', null),
      outcome: fc.constantFrom('oily', 'balanced', 'dry', null),
      routine: fc.constantFrom('None yet', '1 or 2', undefined),
      at: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(eventType, { maxLength: 30 }),
        fc.array(sub, { maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (events, subs, visitors) => {
          const rows = subs.map((s, i) =>
            submission({
              id: `x${i}`,
              createdAt: T + s.at,
              blockType: s.blockType,
              quizOutcome: s.outcome,
              quizScore: s.outcome ? 5 : null,
              data: { email: 'a@b.co', fields: s.routine ? { routine: s.routine } : {} },
            }),
          );
          const once = history({ eventMask: maskOf(events), submissions: rows });
          // The same events delivered twice, in reverse, spread over several visitors whose masks are OR-ed; submissions reversed.
          const masks = Array.from({ length: visitors }, () => 0);
          [...events, ...events].reverse().forEach((e, i) => (masks[i % visitors]! |= maskOf([e])));
          const again = history({ eventMask: masks.reduce((a, b) => a | b, 0), submissions: [...rows].reverse() });
          expect(total(c, again)).toBe(total(c, once));
          expect(total(DEFAULT_SCORING, again)).toBe(total(DEFAULT_SCORING, once));
        },
      ),
    );
  });
});

describe('scoring config', () => {
  it('fills defaults, and refuses unknown event types, fractional points and unknown keys', () => {
    expect(scoringConfigSchema.parse({})).toEqual({ events: {}, quizOutcomes: {}, fields: [], leadMagnet: 0 });
    expect(scoringConfigSchema.safeParse({ events: { visit: 5 } }).success).toBe(false);
    expect(scoringConfigSchema.safeParse({ events: { page_view: 1.5 } }).success).toBe(false);
    expect(scoringConfigSchema.safeParse({ events: { page_view: 5000 } }).success).toBe(false);
    expect(scoringConfigSchema.safeParse({ bonus: 5 }).success).toBe(false);
    expect(scoringConfigSchema.safeParse({ fields: [{ field: 'Bad Name', equals: 'x', points: 1 }] }).success).toBe(false);
  });

  it('uses the default for a funnel with no config or a stored one that no longer validates', () => {
    expect(scoringConfigOf({})).toEqual({ config: DEFAULT_SCORING, isDefault: true });
    expect(scoringConfigOf({ scoring: { events: { nope: 1 } } })).toEqual({ config: DEFAULT_SCORING, isDefault: true });
    expect(scoringConfigOf({ scoring: { leadMagnet: 7 } })).toEqual({
      config: { events: {}, quizOutcomes: {}, fields: [], leadMagnet: 7 },
      isDefault: false,
    });
    expect(scoringConfigSchema.safeParse(DEFAULT_SCORING).success).toBe(true);
  });

  it('demo config: a quiz completed with a high score reaches the demo rule’s 60 on its own; a low one does not', () => {
    expect(scoringConfigSchema.parse(DEMO_SCORING)).toEqual(DEMO_SCORING);
    const quiz = (outcome: string) =>
      total(DEMO_SCORING, history({ submissions: [submission({ blockType: 'quiz', quizOutcome: outcome, quizScore: 10 })] }));
    expect(quiz('oily')).toBe(60);
    expect(quiz('balanced')).toBe(50);
    expect(quiz('dry')).toBe(40);
  });
});
