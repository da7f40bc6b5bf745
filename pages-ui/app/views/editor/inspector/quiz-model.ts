/**
 * The quiz builder's reasoning, pure: where an answer may branch to, which scores visitors can
 * end up with and whether every one of them gets an outcome, and the "walk the quiz" state. The
 * walk uses the domain's own path and score functions (workers/domain/quiz.ts), so the marketer
 * sees exactly the path and outcome a visitor would.
 */
import type { QuizBlock, QuizQuestion } from '../../../../../workers/domain/blocks';
import {
  answersOnPath,
  nextQuestionId,
  quizPath,
  quizTags,
  scoreQuiz,
  type QuizAnswers,
  type QuizScore,
} from '../../../../../workers/domain/quiz';

export interface BranchOption {
  /** `undefined`: the next question in order (the schema's default). */
  value: string | undefined;
  label: string;
}

export function questionName(question: QuizQuestion, index: number): string {
  return `Q${index + 1}: ${question.text}`;
}

/**
 * Where an answer of question `index` may lead: on to the next question, any *later* question
 * (branches only jump forward, so every path ends), or straight to the end.
 */
export function branchOptions(quiz: Pick<QuizBlock, 'questions'>, index: number): BranchOption[] {
  const next = quiz.questions[index + 1];
  const options: BranchOption[] = [{ value: undefined, label: next ? `Next question (Q${index + 2})` : 'End of the quiz' }];
  quiz.questions.forEach((question, i) => {
    if (i > index + 1) options.push({ value: question.id, label: `Skip to ${questionName(question, i)}` });
  });
  if (next) options.push({ value: 'end', label: 'End of the quiz' });
  return options;
}

/** Index of the question an answer leads to from `index` (null: the end), by the rule quizPath follows. */
function leadsTo(quiz: Pick<QuizBlock, 'questions'>, index: number, next: string | undefined): number | null {
  if (next === 'end') return null;
  const target = next === undefined ? -1 : quiz.questions.findIndex((q) => q.id === next);
  const to = target > index ? target : index + 1;
  return to < quiz.questions.length ? to : null;
}

/** Above this many distinct totals the exact set is given up for its bounds (a huge quiz, not a real one). */
const MAX_TRACKED_SCORES = 20_000;

/** Every total score a visitor can finish with (null when there are too many to list: use `scoreBounds`). */
export function reachableScores(quiz: Pick<QuizBlock, 'questions'>): Set<number> | null {
  const count = quiz.questions.length;
  // From the last question back: the totals collected from question i to the end.
  const from: Array<Set<number> | null> = new Array<Set<number> | null>(count + 1).fill(null);
  const end = new Set([0]);
  const at = (i: number | null) => (i === null ? end : from[i]);
  for (let i = count - 1; i >= 0; i--) {
    const question = quiz.questions[i]!;
    const totals = new Set<number>();
    const add = (points: number, rest: Set<number> | null | undefined) => {
      if (!rest) return false;
      for (const r of rest) totals.add(points + r);
      return totals.size <= MAX_TRACKED_SCORES;
    };
    let ok = true;
    if (question.multiple) {
      // Any non-empty set of answers; multiple-choice questions never branch.
      const sums = new Set<number>();
      for (const answer of question.answers) {
        for (const s of [...sums]) sums.add(s + answer.points);
        sums.add(answer.points);
        if (sums.size > MAX_TRACKED_SCORES) return null;
      }
      const rest = at(leadsTo(quiz, i, undefined));
      for (const s of sums) ok &&= add(s, rest);
    } else {
      for (const answer of question.answers) ok &&= add(answer.points, at(leadsTo(quiz, i, answer.next)));
    }
    if (!ok) return null;
    from[i] = totals;
  }
  return count ? from[0]! : end;
}

/** The lowest and highest total a visitor can finish with. */
export function scoreBounds(quiz: Pick<QuizBlock, 'questions'>): { min: number; max: number } {
  const count = quiz.questions.length;
  const min = new Array<number>(count + 1).fill(0);
  const max = new Array<number>(count + 1).fill(0);
  const lo = (i: number | null) => (i === null ? 0 : min[i]!);
  const hi = (i: number | null) => (i === null ? 0 : max[i]!);
  for (let i = count - 1; i >= 0; i--) {
    const question = quiz.questions[i]!;
    if (question.multiple) {
      const points = question.answers.map((a) => a.points);
      const negatives = points.filter((p) => p < 0);
      const positives = points.filter((p) => p > 0);
      const next = leadsTo(quiz, i, undefined);
      min[i] = (negatives.length ? negatives.reduce((a, b) => a + b, 0) : Math.min(...points)) + lo(next);
      max[i] = (positives.length ? positives.reduce((a, b) => a + b, 0) : Math.max(...points)) + hi(next);
    } else {
      min[i] = Math.min(...question.answers.map((a) => a.points + lo(leadsTo(quiz, i, a.next))));
      max[i] = Math.max(...question.answers.map((a) => a.points + hi(leadsTo(quiz, i, a.next))));
    }
  }
  return count ? { min: min[0]!, max: max[0]! } : { min: 0, max: 0 };
}

export interface ScoreRange {
  from: number;
  to: number;
}

export interface OutcomeCoverage {
  bounds: { min: number; max: number };
  /** Scores a visitor can finish with that no outcome's range holds: they would see no result. */
  gaps: ScoreRange[];
  /** Pairs of outcomes whose ranges share scores (the schema refuses these). */
  overlaps: Array<{ a: string; b: string; range: ScoreRange }>;
  /** Outcomes no visitor can reach with any combination of answers. */
  unreachable: string[];
}

/** Consecutive integers → ranges: [1, 2, 3, 7] → 1–3, 7–7. */
function toRanges(values: number[]): ScoreRange[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: ScoreRange[] = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last && v === last.to + 1) last.to = v;
    else out.push({ from: v, to: v });
  }
  return out;
}

/** Whether each reachable score has an outcome, where ranges overlap, and which outcomes nobody reaches. */
export function outcomeCoverage(quiz: Pick<QuizBlock, 'questions' | 'outcomes'>): OutcomeCoverage {
  const bounds = scoreBounds(quiz);
  const reachable = reachableScores(quiz);
  const covered = (score: number) => quiz.outcomes.some((o) => score >= o.minScore && score <= o.maxScore);
  let gaps: ScoreRange[];
  if (reachable) {
    gaps = toRanges([...reachable].filter((score) => !covered(score)));
  } else {
    // Too many totals to list: the gaps between the ranges, within the bounds.
    const uncovered: number[] = [];
    for (let s = bounds.min; s <= bounds.max && uncovered.length < MAX_TRACKED_SCORES; s++) if (!covered(s)) uncovered.push(s);
    gaps = toRanges(uncovered);
  }
  const overlaps: OutcomeCoverage['overlaps'] = [];
  quiz.outcomes.forEach((a, i) => {
    for (const b of quiz.outcomes.slice(i + 1)) {
      const from = Math.max(a.minScore, b.minScore);
      const to = Math.min(a.maxScore, b.maxScore);
      if (from <= to) overlaps.push({ a: a.id, b: b.id, range: { from, to } });
    }
  });
  const unreachable = quiz.outcomes
    .filter((o) =>
      reachable ? ![...reachable].some((s) => s >= o.minScore && s <= o.maxScore) : o.maxScore < bounds.min || o.minScore > bounds.max,
    )
    .map((o) => o.id);
  return { bounds, gaps, overlaps, unreachable };
}

export interface WalkState {
  /** The questions on the path so far and, for unanswered ones, the path they lead to by default. */
  path: QuizQuestion[];
  /** The question to answer next, or null when the walk is complete. */
  current: QuizQuestion | null;
  /** 1-based position of `current` on the path (the path's length when complete). */
  position: number;
  /** The result, once every question on the path is answered. */
  result: QuizScore | null;
  /** The tags the answers so far give the lead (what sales will see). */
  tags: string[];
}

export function walkState(quiz: QuizBlock, answers: QuizAnswers): WalkState {
  const path = quizPath(quiz, answers);
  const currentId = nextQuestionId(quiz, answers);
  const current = currentId === null ? null : (path.find((q) => q.id === currentId) ?? null);
  const position = current ? path.indexOf(current) + 1 : path.length;
  const onPath = answersOnPath(quiz, answers);
  return { path, current, position, result: current ? null : scoreQuiz(quiz, onPath), tags: quizTags(quiz, onPath) };
}

/**
 * Picks an answer in the walk: a single-choice question takes it as its answer (answers of
 * questions the new branch skips are dropped, as the visitor's would be); a multiple-choice one
 * toggles it.
 */
export function chooseAnswer(quiz: QuizBlock, answers: QuizAnswers, questionId: string, answerId: string): QuizAnswers {
  const question = quiz.questions.find((q) => q.id === questionId);
  if (!question) return answers;
  if (!question.multiple) return answersOnPath(quiz, { ...answers, [questionId]: [answerId] });
  const chosen = answers[questionId] ?? [];
  const next = chosen.includes(answerId) ? chosen.filter((id) => id !== answerId) : [...chosen, answerId];
  const copy = { ...answers };
  if (next.length) copy[questionId] = next;
  else delete copy[questionId];
  return copy;
}

/** Answers that still name questions and answers of the quiz (after the marketer edited it mid-walk). */
export function pruneAnswers(quiz: QuizBlock, answers: QuizAnswers): QuizAnswers {
  const kept: QuizAnswers = {};
  for (const question of quiz.questions) {
    const chosen = (answers[question.id] ?? []).filter((id) => question.answers.some((a) => a.id === id));
    const single = question.multiple ? chosen : chosen.slice(0, 1);
    if (single.length) kept[question.id] = single;
  }
  return answersOnPath(quiz, kept);
}

/** The quiz without question `questionId`, and without branches that pointed at it (they fall back to "next"). */
export function withoutQuestion(quiz: QuizBlock, questionId: string): QuizBlock {
  return {
    ...quiz,
    questions: quiz.questions
      .filter((q) => q.id !== questionId)
      .map((q) => ({
        ...q,
        answers: q.answers.map((a) => {
          if (a.next !== questionId) return a;
          const { next: _dropped, ...rest } = a;
          return rest;
        }),
      })),
  };
}
