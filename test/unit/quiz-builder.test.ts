/**
 * The quiz builder's reasoning: branch targets only forward, the scores visitors can finish with,
 * outcome gaps, overlaps and unreachable outcomes, and the walk — which must agree with the
 * domain's path and score functions, i.e. with what visitors get.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockSchema, type QuizBlock } from '../../workers/domain/blocks';
import { quizPath, scoreQuiz, validateQuizAnswers, type QuizAnswers } from '../../workers/domain/quiz';
import {
  branchOptions,
  chooseAnswer,
  outcomeCoverage,
  pruneAnswers,
  reachableScores,
  scoreBounds,
  walkState,
  withoutQuestion,
} from '../../pages-ui/app/views/editor/inspector/quiz-model';
import { parseTags } from '../../pages-ui/app/views/editor/inspector/quiz-builder';

const quiz = blockSchema.parse({
  type: 'quiz',
  id: 'fit',
  title: 'Which plan fits?',
  askEmailBeforeOutcome: true,
  questions: [
    {
      id: 'size',
      text: 'Team size?',
      multiple: false,
      answers: [
        { id: 'solo', label: 'Just me', points: 0, next: 'budget', tags: ['solo'] },
        { id: 'team', label: 'A team', points: 5 },
        { id: 'browsing', label: 'Just looking', points: 0, next: 'end' },
      ],
    },
    {
      id: 'tools',
      text: 'Tools you use?',
      multiple: true,
      answers: [
        { id: 'crm', label: 'CRM', points: 2 },
        { id: 'mail', label: 'Email', points: 1 },
      ],
    },
    {
      id: 'budget',
      text: 'Budget?',
      multiple: false,
      answers: [
        { id: 'low', label: 'Low', points: 1 },
        { id: 'high', label: 'High', points: 10, tags: ['big-budget'] },
      ],
    },
  ],
  outcomes: [
    { id: 'starter', title: 'Starter', description: 'Start small.', minScore: 0, maxScore: 5 },
    { id: 'pro', title: 'Pro', description: 'Go pro.', minScore: 10, maxScore: 30 },
    { id: 'ghost', title: 'Never', description: 'Nobody gets here.', minScore: 100, maxScore: 200 },
  ],
}) as QuizBlock;

describe('branch targets', () => {
  it('offers the next question, only later questions and the end', () => {
    expect(branchOptions(quiz, 0)).toEqual([
      { value: undefined, label: 'Next question (Q2)' },
      { value: 'budget', label: 'Skip to Q3: Budget?' },
      { value: 'end', label: 'End of the quiz' },
    ]);
    expect(branchOptions(quiz, 1)).toEqual([
      { value: undefined, label: 'Next question (Q3)' },
      { value: 'end', label: 'End of the quiz' },
    ]);
    expect(branchOptions(quiz, 2)).toEqual([{ value: undefined, label: 'End of the quiz' }]);
  });

  it('drops branches to a deleted question (they go on to the next one)', () => {
    const without = withoutQuestion(quiz, 'budget');
    expect(without.questions.map((q) => q.id)).toEqual(['size', 'tools']);
    expect(without.questions[0]!.answers[0]).toEqual({ id: 'solo', label: 'Just me', points: 0, tags: ['solo'] });
    expect(without.questions[0]!.answers[2]!.next).toBe('end');
  });
});

describe('scores and outcomes', () => {
  it('lists every total a visitor can finish with', () => {
    // solo → budget: 1 or 10; team → tools (1, 2 or 3) → budget (1 or 10); browsing: 0.
    expect([...reachableScores(quiz)!].sort((a, b) => a - b)).toEqual([0, 1, 7, 8, 9, 10, 16, 17, 18]);
    expect(scoreBounds(quiz)).toEqual({ min: 0, max: 18 });
  });

  it('finds scores with no outcome, overlapping ranges and outcomes nobody reaches', () => {
    const coverage = outcomeCoverage(quiz);
    expect(coverage.gaps).toEqual([{ from: 7, to: 9 }]);
    expect(coverage.overlaps).toEqual([]);
    expect(coverage.unreachable).toEqual(['ghost']);
    const overlapping = { ...quiz, outcomes: [quiz.outcomes[0]!, { ...quiz.outcomes[1]!, minScore: 4 }] };
    expect(outcomeCoverage(overlapping).overlaps).toEqual([{ a: 'starter', b: 'pro', range: { from: 4, to: 5 } }]);
    expect(outcomeCoverage(overlapping).gaps).toEqual([]);
  });

  it('agrees with the domain: every reachable total is the score of some complete walk, and bounds hold', () => {
    // Enumerate every complete walk with the domain's own functions and compare.
    const totals = new Set<number>();
    const explore = (answers: QuizAnswers) => {
      const state = walkState(quiz, answers);
      if (!state.current) {
        expect(validateQuizAnswers(quiz, answers).ok).toBe(true);
        totals.add(state.result!.score);
        return;
      }
      const q = state.current;
      const choices = q.multiple ? [['crm'], ['mail'], ['crm', 'mail']] : q.answers.map((a) => [a.id]);
      for (const chosen of choices) explore({ ...answers, [q.id]: chosen });
    };
    explore({});
    expect([...totals].sort((a, b) => a - b)).toEqual([...reachableScores(quiz)!].sort((a, b) => a - b));
  });

  it('bounds contain every reachable total on random quizzes', () => {
    const answer = (id: string) => fc.record({ id: fc.constant(id), label: fc.constant(id), points: fc.integer({ min: -5, max: 5 }) });
    const arbitraryQuiz = fc.array(
      fc.tuple(fc.boolean(), fc.integer({ min: 2, max: 4 }), fc.array(answer('a'), { minLength: 4, maxLength: 4 })),
      {
        minLength: 1,
        maxLength: 5,
      },
    );
    fc.assert(
      fc.property(arbitraryQuiz, (shape) => {
        const questions = shape.map(([multiple, n, answers], qi) => ({
          id: `q${qi}`,
          text: `Q${qi}`,
          multiple,
          answers: answers.slice(0, n).map((a, ai) => ({
            ...a,
            id: `a${ai}`,
            // Single-choice answers jump forward or end sometimes.
            ...(!multiple && ai === 1 && qi + 2 < shape.length ? { next: `q${qi + 2}` } : {}),
            ...(!multiple && ai === 2 ? { next: 'end' } : {}),
          })),
        }));
        const q = { questions } as QuizBlock;
        const scores = [...reachableScores(q)!];
        const bounds = scoreBounds(q);
        expect(Math.min(...scores)).toBe(bounds.min);
        expect(Math.max(...scores)).toBe(bounds.max);
      }),
      { numRuns: 200 },
    );
  });
});

describe('walk the quiz', () => {
  it('follows the branch of each answer, counts the path’s questions and shows the outcome', () => {
    let answers: QuizAnswers = {};
    let state = walkState(quiz, answers);
    expect(state.current?.id).toBe('size');
    expect([state.position, state.path.length]).toEqual([1, 3]);

    answers = chooseAnswer(quiz, answers, 'size', 'solo');
    state = walkState(quiz, answers);
    // "Just me" skips the tools question: this path asks 2.
    expect(state.current?.id).toBe('budget');
    expect([state.position, state.path.length]).toEqual([2, 2]);

    answers = chooseAnswer(quiz, answers, 'budget', 'high');
    state = walkState(quiz, answers);
    expect(state.current).toBeNull();
    expect(state.result).toEqual({ score: 10, outcome: { id: 'pro', title: 'Pro', description: 'Go pro.' } });
    // What sales will see on the lead: the tags of the answers on this path.
    expect(state.tags).toEqual(['solo', 'big-budget']);
    expect(state.result).toEqual(scoreQuiz(quiz, answers));
    expect(quizPath(quiz, answers).map((q) => q.id)).toEqual(['size', 'budget']);
  });

  it('drops answers a changed branch leaves behind, toggles multiple choice, and ends early on "end"', () => {
    let answers = chooseAnswer(quiz, {}, 'size', 'team');
    answers = chooseAnswer(quiz, answers, 'tools', 'crm');
    answers = chooseAnswer(quiz, answers, 'tools', 'mail');
    expect(answers.tools).toEqual(['crm', 'mail']);
    answers = chooseAnswer(quiz, answers, 'tools', 'crm');
    expect(answers.tools).toEqual(['mail']);
    answers = chooseAnswer(quiz, answers, 'size', 'browsing');
    expect(answers).toEqual({ size: ['browsing'] });
    const state = walkState(quiz, answers);
    expect(state.current).toBeNull();
    expect(state.path.length).toBe(1);
    // A score of 0 is the starter outcome.
    expect(state.result?.outcome?.id).toBe('starter');
  });

  it('reads typed tags as lower-case words joined by "-", and no tags as none', () => {
    expect(parseTags('Dry skin, sensitive ,, BREAKOUT-prone')).toEqual(['dry-skin', 'sensitive', 'breakout-prone']);
    expect(parseTags('dry-skin, Dry skin, ')).toEqual(['dry-skin']);
    expect(parseTags(' , ')).toBeUndefined();
  });

  it('keeps only answers that still exist after the quiz was edited mid-walk', () => {
    const answers = { size: ['team'], tools: ['crm', 'gone'], nope: ['x'] };
    expect(pruneAnswers(quiz, answers)).toEqual({ size: ['team'], tools: ['crm'] });
    expect(pruneAnswers(withoutQuestion(quiz, 'tools'), answers)).toEqual({ size: ['team'] });
  });
});
