/**
 * Quiz rules, shared by the server (validating and scoring a posted quiz) and the browser island
 * (which question comes next). Pure and dependency-free: the island bundles this file, so it
 * imports only types.
 *
 * The path through a quiz: start at the first question; after a question, go where the chosen
 * answer's `next` points (a later question, or 'end'), else to the next question in order. The
 * block schema only lets single-choice answers branch, and only forward, so every path ends.
 */
import type { QuizBlock, QuizQuestion } from './blocks';

/** The part of a quiz that decides paths (the island does not receive the outcomes). */
export type QuizQuestions = Pick<QuizBlock, 'questions'>;

/** Chosen answer ids per question id. */
export type QuizAnswers = Record<string, string[]>;

export interface QuizOutcomeSummary {
  id: string;
  title: string;
  description: string;
}

export interface QuizScore {
  score: number;
  outcome: QuizOutcomeSummary | null;
}

/** Form field carrying a question's answers: `q_<questionId>`, answer ids comma-separated. */
const QUIZ_ANSWER_FIELD_PREFIX = 'q_';
/** Hidden field listing the question ids the visitor was shown (space-separated). */
export const QUIZ_SHOWN_FIELD = '_questions';

/** What a visitor is told about an unanswered question (by the island and after a post). */
export const QUIZ_MESSAGES = {
  chooseOne: 'Choose an answer.',
  chooseSome: 'Choose at least one answer.',
} as const;

export function quizAnswerField(questionId: string): string {
  return QUIZ_ANSWER_FIELD_PREFIX + questionId;
}

function isAnswered(answers: QuizAnswers, questionId: string): boolean {
  return (answers[questionId]?.length ?? 0) > 0;
}

/** Whether the answer to this question can change which question comes next. */
function isBranchingQuestion(question: QuizQuestion): boolean {
  return question.answers.some((answer) => answer.next !== undefined);
}

/** Index of the question after `index` given the answers chosen there, or null at the end. */
function followingIndex(quiz: QuizQuestions, index: number, chosen: readonly string[]): number | null {
  const question = quiz.questions[index]!;
  const jump = question.answers.find((answer) => answer.next !== undefined && chosen.includes(answer.id))?.next;
  if (jump === 'end') return null;
  const target = jump === undefined ? -1 : quiz.questions.findIndex((q) => q.id === jump);
  // A jump that is not forward (impossible after schema validation) falls back to the order.
  const next = target > index ? target : index + 1;
  return next < quiz.questions.length ? next : null;
}

/**
 * The questions on the visitor's path given the answers so far. An unanswered question is
 * followed by the next one in order, so this is also the best estimate of the remaining path.
 */
export function quizPath(quiz: QuizQuestions, answers: QuizAnswers): QuizQuestion[] {
  const path: QuizQuestion[] = [];
  let index: number | null = quiz.questions.length > 0 ? 0 : null;
  while (index !== null) {
    const question = quiz.questions[index]!;
    path.push(question);
    index = followingIndex(quiz, index, answers[question.id] ?? []);
  }
  return path;
}

/**
 * The fewest and most questions a visitor can be asked in all, given the answers so far: answered
 * questions follow their answer, unanswered branching ones may go any way their answers point.
 * "Question 2 of 5" on a path that will ask only 4 is a promise broken; a range is not.
 */
export function quizPathBounds(quiz: QuizQuestions, answers: QuizAnswers): { min: number; max: number } {
  const memo: Array<[number, number]> = [];
  const walk = (index: number | null): [number, number] => {
    if (index === null) return [0, 0];
    if (!memo[index]) {
      const question = quiz.questions[index]!;
      const chosen = answers[question.id];
      const ends = (chosen?.length ? [chosen] : question.answers.map((answer) => [answer.id])).map((choice) =>
        walk(followingIndex(quiz, index, choice)),
      );
      memo[index] = [1 + Math.min(...ends.map((end) => end[0])), 1 + Math.max(...ends.map((end) => end[1]))];
    }
    return memo[index];
  };
  const [min, max] = walk(quiz.questions.length ? 0 : null);
  return { min, max };
}

/** "5", or "4 or 5", or "3–6": how many questions a visitor is asked, as far as is known. */
export function questionCountText(bounds: { min: number; max: number }): string {
  const { min, max } = bounds;
  return min === max ? `${max}` : `${min}${max - min > 1 ? '–' : ' or '}${max}`;
}

/** The first unanswered question on the path, or null when every question on it is answered. */
export function nextQuestionId(quiz: QuizQuestions, answeredSoFar: QuizAnswers): string | null {
  return quizPath(quiz, answeredSoFar).find((question) => !isAnswered(answeredSoFar, question.id))?.id ?? null;
}

/**
 * What the no-script form shows: the path up to and including the first unanswered branching
 * question (what follows it depends on the answer), so posting the form reveals the rest.
 */
export function questionsShownWithoutScript(quiz: QuizQuestions, answers: QuizAnswers): QuizQuestion[] {
  const shown: QuizQuestion[] = [];
  for (const question of quizPath(quiz, answers)) {
    shown.push(question);
    if (isBranchingQuestion(question) && !isAnswered(answers, question.id)) break;
  }
  return shown;
}

/** The answers to questions on the path they make; answers left off it by a changed branch are dropped. */
export function answersOnPath(quiz: QuizQuestions, answers: QuizAnswers): QuizAnswers {
  const kept: QuizAnswers = {};
  for (const question of quizPath(quiz, answers)) if (answers[question.id]) kept[question.id] = answers[question.id]!;
  return kept;
}

export type QuizValidation = { ok: true; path: string[] } | { ok: false; message: string; questionId?: string };

/** Answers that name unknown questions or answers, repeat an answer, or pick several on a single-choice question. */
function checkAnswerShapes(quiz: QuizBlock, answers: QuizAnswers): Extract<QuizValidation, { ok: false }> | null {
  const byId = new Map(quiz.questions.map((question) => [question.id, question]));
  for (const [questionId, chosen] of Object.entries(answers)) {
    const question = byId.get(questionId);
    if (!question) return { ok: false, message: `There is no question "${questionId}" in this quiz.` };
    if (new Set(chosen).size !== chosen.length) return { ok: false, message: 'An answer was given twice.', questionId };
    const unknown = chosen.find((answerId) => !question.answers.some((answer) => answer.id === answerId));
    if (unknown !== undefined) return { ok: false, message: `"${unknown}" is not an answer to "${question.text}".`, questionId };
    if (!question.multiple && chosen.length > 1) return { ok: false, message: `Choose only one answer to "${question.text}".`, questionId };
  }
  return null;
}

/**
 * Whether `answers` is exactly one complete walk through the quiz: every question on the path
 * answered, nothing answered off the path, only known ids, one answer for single-choice questions.
 */
export function validateQuizAnswers(quiz: QuizBlock, answers: QuizAnswers): QuizValidation {
  const shapeError = checkAnswerShapes(quiz, answers);
  if (shapeError) return shapeError;
  const path = quizPath(quiz, answers);
  const missing = path.find((question) => !isAnswered(answers, question.id));
  if (missing) return { ok: false, message: `Answer "${missing.text}".`, questionId: missing.id };
  const onPath = new Set(path.map((question) => question.id));
  const offPath = Object.keys(answers).find((questionId) => isAnswered(answers, questionId) && !onPath.has(questionId));
  if (offPath !== undefined) {
    return { ok: false, message: `"${offPath}" was answered but is not on the path of the other answers.`, questionId: offPath };
  }
  return { ok: true, path: path.map((question) => question.id) };
}

/** Points of the answers on the path, and the outcome whose inclusive score range holds them. */
export function scoreQuiz(quiz: QuizBlock, answers: QuizAnswers): QuizScore {
  let score = 0;
  for (const question of quizPath(quiz, answers)) {
    for (const answer of question.answers) {
      if (answers[question.id]?.includes(answer.id)) score += answer.points;
    }
  }
  const outcome = quiz.outcomes.find((candidate) => score >= candidate.minScore && score <= candidate.maxScore);
  return { score, outcome: outcome ? { id: outcome.id, title: outcome.title, description: outcome.description } : null };
}

/**
 * The tags of the chosen answers on the path, each once, in the order the visitor met them: what
 * the answers say about the visitor ("dry-skin"), stored with the submission and on the lead.
 */
export function quizTags(quiz: QuizQuestions, answers: QuizAnswers): string[] {
  const tags = new Set<string>();
  for (const question of quizPath(quiz, answers)) {
    for (const answer of question.answers) {
      if (answers[question.id]?.includes(answer.id)) for (const tag of answer.tags ?? []) tags.add(tag);
    }
  }
  return [...tags];
}

/** `q_<questionId>` form values (answer ids comma-separated) → answers. Other fields are ignored. */
export function parseQuizAnswers(values: Record<string, string>): QuizAnswers {
  const answers: QuizAnswers = {};
  for (const [field, value] of Object.entries(values)) {
    if (!field.startsWith(QUIZ_ANSWER_FIELD_PREFIX)) continue;
    const chosen = value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (chosen.length) answers[field.slice(QUIZ_ANSWER_FIELD_PREFIX.length)] = chosen;
  }
  return answers;
}

/** Answers → the form values a re-rendered quiz reads (`q_<questionId>` → "a,b"). */
export function quizAnswersToFormValues(answers: QuizAnswers): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [questionId, chosen] of Object.entries(answers)) values[quizAnswerField(questionId)] = chosen.join(',');
  return values;
}

export type QuizPostEvaluation =
  | ({ status: 'complete'; answers: QuizAnswers; path: string[] } & QuizScore)
  /**
   * Re-render the quiz with `values` (the posted values with off-path answers dropped); `errors`
   * (keyed by `q_<id>`) is empty when posting only revealed more questions.
   */
  | { status: 'incomplete'; answers: QuizAnswers; values: Record<string, string>; errors: Record<string, string> }
  /** Not something our form can produce: answer with 400. */
  | { status: 'invalid'; message: string };

/**
 * Reads a posted quiz. The script island posts the whole path at once; the no-script form can
 * take several posts (see `questionsShownWithoutScript`), and its visitor may change an earlier
 * branching answer, which moves later answers off the path: those are dropped and the new path
 * is shown again rather than scored with answers the visitor never saw.
 */
export function evaluateQuizPost(quiz: QuizBlock, values: Record<string, string>): QuizPostEvaluation {
  const answers = parseQuizAnswers(values);
  const shapeError = checkAnswerShapes(quiz, answers);
  if (shapeError) return { status: 'invalid', message: shapeError.message };

  const path = quizPath(quiz, answers);
  const kept = answersOnPath(quiz, answers);
  const dropped = Object.keys(answers).length !== Object.keys(kept).length;
  const missing = path.filter((question) => !isAnswered(kept, question.id));
  if (!dropped && missing.length === 0) {
    return { status: 'complete', answers: kept, path: path.map((question) => question.id), ...scoreQuiz(quiz, kept) };
  }

  // Only questions the visitor actually saw unanswered get a message; newly revealed ones do not.
  const shownField = values[QUIZ_SHOWN_FIELD];
  const shownBefore = shownField === undefined ? null : new Set(shownField.split(/[\s,]+/));
  const shownNow = new Set(questionsShownWithoutScript(quiz, kept).map((question) => question.id));
  const errors: Record<string, string> = {};
  for (const question of missing) {
    if (!dropped && shownNow.has(question.id) && (!shownBefore || shownBefore.has(question.id))) {
      errors[quizAnswerField(question.id)] = question.multiple ? QUIZ_MESSAGES.chooseSome : QUIZ_MESSAGES.chooseOne;
    }
  }
  const otherFields = Object.fromEntries(Object.entries(values).filter(([field]) => !field.startsWith(QUIZ_ANSWER_FIELD_PREFIX)));
  return { status: 'incomplete', answers: kept, values: { ...otherFields, ...quizAnswersToFormValues(kept) }, errors };
}
