import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockSchema, type QuizBlock } from '../../workers/domain/blocks';
import {
  answersOnPath,
  evaluateQuizPost,
  nextQuestionId,
  parseQuizAnswers,
  questionCountText,
  questionsShownWithoutScript,
  quizAnswersToFormValues,
  quizPath,
  quizPathBounds,
  quizTags,
  scoreQuiz,
  validateQuizAnswers,
  type QuizAnswers,
} from '../../workers/domain/quiz';
import { evaluateQuizForm } from '../../workers/domain/quiz-submission';

/**
 * skin → pores → breakouts ─(rarely: jump)→ products
 *                         └─(else)→ shine → products ─(none: end)
 */
const quiz = blockSchema.parse({
  type: 'quiz',
  id: 'skin',
  title: 'Skin quiz',
  questions: [
    {
      id: 'feel',
      text: 'How does your skin feel?',
      multiple: false,
      answers: [
        { id: 'tight', label: 'Tight', points: 1, tags: ['dry-skin'] },
        { id: 'fine', label: 'Fine', points: 2 },
        { id: 'shiny', label: 'Shiny', points: 3, tags: ['oily-skin'] },
      ],
    },
    {
      id: 'pores',
      text: 'Pores?',
      multiple: false,
      answers: [
        { id: 'small', label: 'Small', points: 1 },
        { id: 'large', label: 'Large', points: 3 },
      ],
    },
    {
      id: 'breakouts',
      text: 'Breakouts?',
      multiple: false,
      answers: [
        { id: 'rarely', label: 'Rarely', points: 1, next: 'products' },
        { id: 'often', label: 'Often', points: 3 },
        { id: 'never_again', label: 'I would rather stop here', points: 0, next: 'end' },
      ],
    },
    {
      id: 'shine',
      text: 'Shine?',
      multiple: false,
      answers: [
        { id: 'no', label: 'No', points: 1 },
        { id: 'yes', label: 'Yes', points: 3, tags: ['oily-skin', 'blots-daily'] },
      ],
    },
    {
      id: 'products',
      text: 'Products you use?',
      multiple: true,
      answers: [
        { id: 'cleanser', label: 'Cleanser', points: 1 },
        { id: 'spf', label: 'Sunscreen', points: 2, tags: ['uses-spf'] },
      ],
    },
  ],
  outcomes: [
    { id: 'dry', title: 'Dry', description: 'Dry skin.', minScore: 0, maxScore: 6 },
    { id: 'balanced', title: 'Balanced', description: 'Balanced skin.', minScore: 7, maxScore: 9 },
    { id: 'oily', title: 'Oily', description: 'Oily skin.', minScore: 10, maxScore: 13 },
  ],
  askEmailBeforeOutcome: true,
  consent: { text: 'Email me tips.', required: false },
}) as QuizBlock;

const ids = (questions: Array<{ id: string }>) => questions.map((question) => question.id);

describe('quiz paths', () => {
  it('goes through the questions in order by default', () => {
    expect(ids(quizPath(quiz, {}))).toEqual(['feel', 'pores', 'breakouts', 'shine', 'products']);
  });

  it('follows a jump and stops at "end"', () => {
    expect(ids(quizPath(quiz, { breakouts: ['rarely'] }))).toEqual(['feel', 'pores', 'breakouts', 'products']);
    expect(ids(quizPath(quiz, { breakouts: ['never_again'] }))).toEqual(['feel', 'pores', 'breakouts']);
  });

  it('names the next unanswered question on the path, then null', () => {
    expect(nextQuestionId(quiz, {})).toBe('feel');
    expect(nextQuestionId(quiz, { feel: ['fine'], pores: ['small'] })).toBe('breakouts');
    expect(nextQuestionId(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['rarely'] })).toBe('products');
    expect(nextQuestionId(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['never_again'] })).toBeNull();
    expect(nextQuestionId(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['often'], shine: ['no'], products: ['spf'] })).toBeNull();
  });

  it('drops answers that a changed branch moved off the path', () => {
    const answers = { feel: ['fine'], pores: ['small'], breakouts: ['rarely'], shine: ['yes'], products: ['spf'] };
    expect(answersOnPath(quiz, answers)).toEqual({ feel: ['fine'], pores: ['small'], breakouts: ['rarely'], products: ['spf'] });
  });

  it('shows the no-script form up to the first open branching question', () => {
    expect(ids(questionsShownWithoutScript(quiz, {}))).toEqual(['feel', 'pores', 'breakouts']);
    expect(ids(questionsShownWithoutScript(quiz, { breakouts: ['often'] }))).toEqual(['feel', 'pores', 'breakouts', 'shine', 'products']);
  });
});

describe('quizPathBounds', () => {
  it('gives the fewest and most questions still possible, exact once the branch is answered', () => {
    // "end" after breakouts: 3; "rarely": 4 (shine skipped); "often": 5.
    expect(quizPathBounds(quiz, {})).toEqual({ min: 3, max: 5 });
    expect(quizPathBounds(quiz, { feel: ['fine'], pores: ['small'] })).toEqual({ min: 3, max: 5 });
    expect(quizPathBounds(quiz, { breakouts: ['rarely'] })).toEqual({ min: 4, max: 4 });
    expect(quizPathBounds(quiz, { breakouts: ['often'] })).toEqual({ min: 5, max: 5 });
    expect(quizPathBounds(quiz, { breakouts: ['never_again'] })).toEqual({ min: 3, max: 3 });
  });

  it('always contains the length of the path actually taken (property)', () => {
    const answer = fc.constantFrom('rarely', 'often', 'never_again');
    fc.assert(
      fc.property(answer, (breakouts) => {
        const taken = quizPath(quiz, { breakouts: [breakouts] }).length;
        const before = quizPathBounds(quiz, {});
        expect(taken).toBeGreaterThanOrEqual(before.min);
        expect(taken).toBeLessThanOrEqual(before.max);
        expect(quizPathBounds(quiz, { breakouts: [breakouts] })).toEqual({ min: taken, max: taken });
      }),
    );
  });

  it('says the count in words a visitor reads', () => {
    expect(questionCountText({ min: 4, max: 4 })).toBe('4');
    expect(questionCountText({ min: 4, max: 5 })).toBe('4 or 5');
    expect(questionCountText({ min: 3, max: 5 })).toBe('3–5');
  });
});

describe('validateQuizAnswers', () => {
  const full: QuizAnswers = { feel: ['shiny'], pores: ['large'], breakouts: ['often'], shine: ['yes'], products: ['cleanser', 'spf'] };

  it('accepts one complete walk and returns its path', () => {
    expect(validateQuizAnswers(quiz, full)).toEqual({ ok: true, path: ['feel', 'pores', 'breakouts', 'shine', 'products'] });
    expect(validateQuizAnswers(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['rarely'], products: ['spf'] })).toEqual({
      ok: true,
      path: ['feel', 'pores', 'breakouts', 'products'],
    });
    expect(validateQuizAnswers(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['never_again'] })).toEqual({
      ok: true,
      path: ['feel', 'pores', 'breakouts'],
    });
  });

  it('rejects a missing answer on the path', () => {
    const { shine: _, ...missing } = full;
    expect(validateQuizAnswers(quiz, missing)).toEqual({ ok: false, message: 'Answer "Shine?".', questionId: 'shine' });
    expect(validateQuizAnswers(quiz, { ...full, shine: [] })).toMatchObject({ ok: false, questionId: 'shine' });
  });

  it('rejects an answer to a question the branch skipped', () => {
    const skipped = { ...full, breakouts: ['rarely'] };
    expect(validateQuizAnswers(quiz, skipped)).toMatchObject({ ok: false, questionId: 'shine' });
  });

  it('rejects several answers to a single-choice question', () => {
    expect(validateQuizAnswers(quiz, { ...full, feel: ['tight', 'fine'] })).toEqual({
      ok: false,
      message: 'Choose only one answer to "How does your skin feel?".',
      questionId: 'feel',
    });
  });

  it('rejects unknown questions, unknown answers and repeated answers', () => {
    expect(validateQuizAnswers(quiz, { ...full, bogus: ['x'] })).toEqual({
      ok: false,
      message: 'There is no question "bogus" in this quiz.',
    });
    expect(validateQuizAnswers(quiz, { ...full, pores: ['medium'] })).toMatchObject({ ok: false, questionId: 'pores' });
    expect(validateQuizAnswers(quiz, { ...full, products: ['spf', 'spf'] })).toMatchObject({
      ok: false,
      message: 'An answer was given twice.',
    });
  });

  it('rejects inherited property names as question ids', () => {
    expect(validateQuizAnswers(quiz, { ...full, constructor: ['x'] })).toMatchObject({ ok: false });
  });
});

describe('scoreQuiz', () => {
  it('adds the points of every chosen answer and picks the outcome by inclusive range', () => {
    // 3 + 3 + 3 + 3 + (1 + 2) = 15 → above every range
    expect(
      scoreQuiz(quiz, { feel: ['shiny'], pores: ['large'], breakouts: ['often'], shine: ['yes'], products: ['cleanser', 'spf'] }),
    ).toEqual({
      score: 15,
      outcome: null,
    });
    // 2 + 1 + 3 + 1 + 0 = 7 → lower bound of "balanced"
    expect(scoreQuiz(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['often'], shine: ['no'], products: [] })).toEqual({
      score: 7,
      outcome: { id: 'balanced', title: 'Balanced', description: 'Balanced skin.' },
    });
    // 2 + 1 + 1 + 2 = 6 → upper bound of "dry"
    expect(scoreQuiz(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['rarely'], products: ['spf'] }).outcome?.id).toBe('dry');
  });

  it('ignores answers off the path', () => {
    const onPath = { feel: ['fine'], pores: ['small'], breakouts: ['rarely'], products: ['spf'] };
    expect(scoreQuiz(quiz, { ...onPath, shine: ['yes'] }).score).toBe(scoreQuiz(quiz, onPath).score);
  });

  it('scores every complete walk within the range of its outcomes (property)', () => {
    const walk = fc.array(fc.nat(), { minLength: 5, maxLength: 5 }).map((choices) => {
      const answers: QuizAnswers = {};
      for (let i = 0, id = nextQuestionId(quiz, answers); id; id = nextQuestionId(quiz, answers), i++) {
        const question = quiz.questions.find((q) => q.id === id)!;
        const pick = question.answers[choices[i]! % question.answers.length]!;
        answers[id] = question.multiple ? question.answers.filter((_, k) => (choices[i]! >> k) & 1).map((a) => a.id) : [pick.id];
        if (answers[id]!.length === 0) answers[id] = [pick.id];
      }
      return answers;
    });
    fc.assert(
      fc.property(walk, (answers) => {
        const validation = validateQuizAnswers(quiz, answers);
        expect(validation.ok).toBe(true);
        const { score, outcome } = scoreQuiz(quiz, answers);
        const range = quiz.outcomes.find((o) => o.id === outcome?.id);
        if (range) expect(score >= range.minScore && score <= range.maxScore).toBe(true);
        else expect(quiz.outcomes.every((o) => score < o.minScore || score > o.maxScore)).toBe(true);
      }),
    );
  });
});

describe('quizTags', () => {
  it('gives the tags of the chosen answers on the path, each once, in the order they were met', () => {
    const answers = { feel: ['shiny'], pores: ['large'], breakouts: ['often'], shine: ['yes'], products: ['cleanser', 'spf'] };
    expect(quizTags(quiz, answers)).toEqual(['oily-skin', 'blots-daily', 'uses-spf']);
    // An answer off the path (the branch skipped "shine") gives nothing.
    expect(quizTags(quiz, { feel: ['tight'], pores: ['small'], breakouts: ['rarely'], shine: ['yes'], products: ['cleanser'] })).toEqual([
      'dry-skin',
    ]);
    expect(quizTags(quiz, { feel: ['fine'], pores: ['small'], breakouts: ['never_again'] })).toEqual([]);
  });

  it('keeps quizzes without tags valid, and refuses tags that are not short lower-case words', () => {
    const tagged = (tags: unknown) => {
      const copy = structuredClone(quiz) as unknown as { questions: Array<{ answers: Array<Record<string, unknown>> }> };
      copy.questions[0]!.answers[0]!.tags = tags;
      const result = blockSchema.safeParse(copy);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    };
    expect(tagged(undefined)).toEqual([]);
    expect(tagged([])).toEqual([]);
    expect(tagged(['Dry skin'])).toEqual([
      'questions.0.answers.0.tags.0: Use lower-case letters, digits and "-" between words, e.g. dry-skin.',
    ]);
    expect(tagged(['a', 'b', 'c', 'd', 'e', 'f'])).toHaveLength(1);
  });
});

describe('quiz form values', () => {
  it('round-trips answers through q_<id> fields', () => {
    const answers = { feel: ['fine'], products: ['cleanser', 'spf'] };
    const values = quizAnswersToFormValues(answers);
    expect(values).toEqual({ q_feel: 'fine', q_products: 'cleanser,spf' });
    expect(parseQuizAnswers({ ...values, email: 'a@example.com', q_empty: '', _token: 't' })).toEqual(answers);
  });
});

describe('evaluateQuizPost', () => {
  const complete = { q_feel: 'fine', q_pores: 'small', q_breakouts: 'often', q_shine: 'no', q_products: 'spf' };

  it('scores a complete post', () => {
    expect(evaluateQuizPost(quiz, { ...complete, _questions: 'feel pores breakouts shine products' })).toEqual({
      status: 'complete',
      answers: { feel: ['fine'], pores: ['small'], breakouts: ['often'], shine: ['no'], products: ['spf'] },
      path: ['feel', 'pores', 'breakouts', 'shine', 'products'],
      score: 9,
      outcome: { id: 'balanced', title: 'Balanced', description: 'Balanced skin.' },
    });
  });

  it('reveals the rest of the path without messages after a branching answer (no-script step)', () => {
    const result = evaluateQuizPost(quiz, {
      q_feel: 'fine',
      q_pores: 'small',
      q_breakouts: 'often',
      _questions: 'feel pores breakouts',
      email: '',
    });
    expect(result).toEqual({
      status: 'incomplete',
      answers: { feel: ['fine'], pores: ['small'], breakouts: ['often'] },
      values: { q_feel: 'fine', q_pores: 'small', q_breakouts: 'often', _questions: 'feel pores breakouts', email: '' },
      errors: {},
    });
  });

  it('asks for answers to questions the visitor saw but skipped', () => {
    const result = evaluateQuizPost(quiz, { q_feel: 'fine', q_breakouts: 'often', _questions: 'feel pores breakouts' });
    expect(result).toMatchObject({ status: 'incomplete', errors: { q_pores: 'Choose an answer.' } });
    const multi = evaluateQuizPost(quiz, { ...complete, q_products: '', _questions: 'feel pores breakouts shine products' });
    expect(multi).toMatchObject({ status: 'incomplete', errors: { q_products: 'Choose at least one answer.' } });
  });

  it('drops answers a changed branch moved off the path and shows the new path', () => {
    const result = evaluateQuizPost(quiz, { ...complete, q_breakouts: 'rarely', _questions: 'feel pores breakouts shine products' });
    expect(result).toMatchObject({
      status: 'incomplete',
      answers: { feel: ['fine'], pores: ['small'], breakouts: ['rarely'], products: ['spf'] },
      errors: {},
    });
    expect(result.status === 'incomplete' && result.values.q_shine).toBeUndefined();
  });

  it('calls anything our forms cannot produce invalid', () => {
    expect(evaluateQuizPost(quiz, { ...complete, q_feel: 'fine,tight' }).status).toBe('invalid');
    expect(evaluateQuizPost(quiz, { ...complete, q_unknown: 'x' }).status).toBe('invalid');
    expect(evaluateQuizPost(quiz, { ...complete, q_pores: 'huge' }).status).toBe('invalid');
  });
});

describe('evaluateQuizForm', () => {
  const complete = { q_feel: 'shiny', q_pores: 'large', q_breakouts: 'often', q_shine: 'yes', q_products: 'cleanser' };

  it('completes with the lead when answers, email and consent are fine', () => {
    const result = evaluateQuizForm(quiz, { ...complete, email: ' Ava@Example.COM ', consent: 'yes' });
    expect(result).toMatchObject({
      status: 'complete',
      score: 13,
      outcome: { id: 'oily' },
      lead: { values: { email: 'ava@example.com', fields: {} }, consentGiven: true },
    });
  });

  it('returns every message at once: skipped questions and a bad email', () => {
    const result = evaluateQuizForm(quiz, { ...complete, q_shine: '', email: 'nope', _questions: 'feel pores breakouts shine products' });
    expect(result).toEqual({
      status: 'rerender',
      values: expect.objectContaining({ email: 'nope' }),
      errors: { q_shine: 'Choose an answer.', email: 'Enter a valid email address.' },
    });
  });

  it('does not ask for an email that was not on the form yet', () => {
    const result = evaluateQuizForm(quiz, { q_feel: 'fine', q_pores: 'small', q_breakouts: 'often', _questions: 'feel pores breakouts' });
    expect(result).toMatchObject({ status: 'rerender', errors: {} });
  });

  it('requires the email on a complete quiz that asks for it', () => {
    expect(evaluateQuizForm(quiz, complete)).toMatchObject({ status: 'rerender', errors: { email: 'This field is required.' } });
  });

  it('completes without a lead when the quiz does not ask for an email', () => {
    const anonymous = { ...quiz, askEmailBeforeOutcome: false, consent: undefined };
    expect(evaluateQuizForm(anonymous, complete)).toMatchObject({ status: 'complete', lead: null, outcome: { id: 'oily' } });
  });
});
