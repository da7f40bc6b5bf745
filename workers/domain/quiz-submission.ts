/**
 * One posted quiz form, judged as a whole: the answers (see `evaluateQuizPost`) and, when the quiz
 * asks for it, the email and consent. The route either stores the result or re-renders the page
 * with every message at once.
 */
import type { QuizBlock } from './blocks';
import { captureFormOf, EMAIL_FIELD, validateFormValues, type CapturedValues } from './form-submission';
import { evaluateQuizPost, type QuizAnswers, type QuizOutcomeSummary } from './quiz';

export type QuizFormEvaluation =
  | {
      status: 'complete';
      answers: QuizAnswers;
      path: string[];
      score: number;
      outcome: QuizOutcomeSummary | null;
      /** The lead's details when the quiz asks for an email; null when it does not. */
      lead: { values: CapturedValues; consentGiven: boolean } | null;
    }
  /** Render the page again with `ctx.formState = { blockId, values, errors }`. */
  | { status: 'rerender'; values: Record<string, string>; errors: Record<string, string> }
  /** Not something our forms produce (unknown ids, several answers to a single-choice question): 400. */
  | { status: 'invalid'; message: string };

export function evaluateQuizForm(quiz: QuizBlock, values: Record<string, string>): QuizFormEvaluation {
  const answers = evaluateQuizPost(quiz, values);
  if (answers.status === 'invalid') return answers;

  const capture = captureFormOf(quiz);
  // The no-script form shows the email only once the whole path is on it, and browsers post empty
  // text inputs, so a missing `email` key means the visitor has not been asked yet.
  const emailAsked = capture !== null && (answers.status === 'complete' || EMAIL_FIELD in values);
  const contact = emailAsked ? validateFormValues(capture.fields, capture.consent, values) : null;

  if (answers.status === 'incomplete' || (contact && !contact.ok)) {
    return {
      status: 'rerender',
      values: answers.status === 'incomplete' ? answers.values : values,
      errors: { ...(answers.status === 'incomplete' ? answers.errors : {}), ...(contact && !contact.ok ? contact.errors : {}) },
    };
  }
  return {
    status: 'complete',
    answers: answers.answers,
    path: answers.path,
    score: answers.score,
    outcome: answers.outcome,
    lead: contact?.ok ? { values: contact.values, consentGiven: contact.consentGiven } : null,
  };
}
