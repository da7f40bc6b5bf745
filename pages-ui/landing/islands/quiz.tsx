/**
 * The quiz island: one question at a time with progress, branching and a Back button, then the
 * email step. It never stores anything itself: the answers go into hidden `q_<id>` inputs of a
 * real form that is posted to the page, exactly like the no-script version.
 *
 * Class components rather than hooks: preact/hooks would cost ~1 KB gzip of the 8 KB budget.
 */
import { Component, createRef } from 'preact';
import { CONSENT_FIELD, EMAIL_CAPTURE_FIELD, EMAIL_FIELD, isCheckboxTicked } from '../../../workers/domain/form-submission';
import {
  answersOnPath,
  nextQuestionId,
  parseQuizAnswers,
  QUIZ_MESSAGES,
  QUIZ_SHOWN_FIELD,
  questionCountText,
  quizAnswerField,
  quizPath,
  quizPathBounds,
  type QuizAnswers,
} from '../../../workers/domain/quiz';
import { ButtonLabel } from '../button-label';
import { DEFAULT_QUIZ_EMAIL_PROMPT, DEFAULT_QUIZ_SUBMIT_LABEL } from '../form-constants';
import { ConsentField, FieldError, InputField, fieldDomId, FormMeta, invalidAttributes } from '../form-parts';
import type { FormBinding, QuizIslandData } from './props';

type QuizIslandProps = QuizIslandData & { form: FormBinding };

/** Reports a quiz step to the visitor tracker (pages-ui/tracker), if the page runs it. */
function track(type: 'quiz_start' | 'quiz_answer' | 'quiz_complete', props: Record<string, unknown>) {
  document.dispatchEvent(new CustomEvent('lf:track', { detail: { type, props } }));
}

interface QuizIslandState {
  answers: QuizAnswers;
  /** The question on screen; null is the email step. */
  current: string | null;
  picked: string[];
  error: string | undefined;
  email: string;
  consented: boolean;
  sending: boolean;
}

export class QuizIsland extends Component<QuizIslandProps, QuizIslandState> {
  private formRef = createRef<HTMLFormElement>();
  private headingRef = createRef<HTMLHeadingElement>();
  private started = false;

  constructor(props: QuizIslandProps) {
    super(props);
    const { quiz, values = {}, errors = {} } = props;
    // A re-render after a failed post resumes where the visitor was: usually the email step.
    const answers = answersOnPath(quiz, parseQuizAnswers(values));
    const current = nextQuestionId(quiz, answers);
    this.state = {
      answers,
      current,
      picked: [],
      error: current ? errors[quizAnswerField(current)] : undefined,
      email: values[EMAIL_FIELD] ?? '',
      consented: isCheckboxTicked(values[CONSENT_FIELD]),
      sending: false,
    };
  }

  // Not on mount: loading the page must not scroll to the quiz; focus follows the visitor's steps.
  override componentDidUpdate(_: QuizIslandProps, previous: QuizIslandState) {
    if (this.state.sending && !previous.sending) this.formRef.current?.submit();
    else if (this.state.current !== previous.current) this.headingRef.current?.focus();
  }

  private show(questionId: string | null, answers: QuizAnswers) {
    this.setState({ answers, current: questionId, picked: (questionId && answers[questionId]) || [], error: undefined });
  }

  private onSubmit = (event: Event) => {
    const { quiz } = this.props;
    const { answers, picked } = this.state;
    const question = quiz.questions.find((candidate) => candidate.id === this.state.current);
    if (!question) return; // The email step posts the form for real.
    event.preventDefault();
    if (!picked.length) {
      this.setState({ error: question.multiple ? QUIZ_MESSAGES.chooseSome : QUIZ_MESSAGES.chooseOne });
      return;
    }
    const block = this.props.form.blockId;
    // Answer ids comma-joined, as the form posts them: beacon props are flat, short strings.
    track('quiz_answer', { block, question: question.id, answers: picked.join(',').slice(0, 200) });
    const next = answersOnPath(quiz, { ...answers, [question.id]: picked });
    const nextPath = quizPath(quiz, next);
    const following = nextPath[nextPath.indexOf(question) + 1];
    if (!following) track('quiz_complete', { block });
    if (following) this.show(following.id, next);
    else if (quiz.askEmailBeforeOutcome) this.show(null, next);
    else this.setState({ answers: next, sending: true });
  };

  private choose(multiple: boolean, answerId: string, on: boolean) {
    if (!this.started) track('quiz_start', { block: this.props.form.blockId });
    this.started = true;
    const { picked } = this.state;
    this.setState({
      picked: !multiple ? [answerId] : on ? [...picked, answerId] : picked.filter((id) => id !== answerId),
      error: undefined,
    });
  }

  override render({ quiz, errors = {}, form }: QuizIslandProps, { answers, current, picked, error, email, consented }: QuizIslandState) {
    const path = quizPath(quiz, answers);
    const question = quiz.questions.find((candidate) => candidate.id === current);
    const position = question ? path.indexOf(question) : path.length;
    const isLastQuestion = !!question && !quizPath(quiz, { ...answers, [question.id]: picked })[position + 1];
    // Counted from the answers before this question only: this one and later ones can still change the path.
    const settled: QuizAnswers = {};
    for (const step of path.slice(0, position)) settled[step.id] = answers[step.id]!;
    const bounds = quizPathBounds(quiz, settled);
    const status = question ? `Question ${position + 1} of ${questionCountText(bounds)}` : 'Last step';
    const groupId = question ? fieldDomId(form.blockId, quizAnswerField(question.id)) : '';
    return (
      <form ref={this.formRef} method="post" action={form.action} onSubmit={this.onSubmit}>
        <FormMeta blockId={form.blockId} token={form.token} />
        {Object.entries(answers).map(([questionId, chosen]) => (
          <input type="hidden" name={quizAnswerField(questionId)} value={chosen.join(',')} />
        ))}
        <input type="hidden" name={QUIZ_SHOWN_FIELD} value={path.map((step) => step.id).join(' ')} />
        <p class="prog" aria-live="polite">
          {status}
        </p>
        <div class="bar">
          <i style={{ width: `${question ? (100 * position) / bounds.max : 100}%` }} />
        </div>
        {question ? (
          <fieldset key={question.id} aria-describedby={invalidAttributes(groupId, error)['aria-describedby']}>
            <legend>
              <h3 ref={this.headingRef} tabindex={-1}>
                {question.text}
              </h3>
            </legend>
            {question.answers.map((answer, i) => (
              <label class="opt" for={i ? `${groupId}.${i}` : groupId}>
                <input
                  type={question.multiple ? 'checkbox' : 'radio'}
                  id={i ? `${groupId}.${i}` : groupId}
                  name="_pick"
                  checked={picked.includes(answer.id)}
                  onChange={(event) => this.choose(question.multiple, answer.id, event.currentTarget.checked)}
                />
                {answer.label}
              </label>
            ))}
            {/* Present before any message, so screen readers announce the message when it appears. */}
            <div aria-live="polite">
              <FieldError fieldId={groupId} message={error} />
            </div>
          </fieldset>
        ) : (
          <div>
            <h3 ref={this.headingRef} tabindex={-1}>
              {quiz.emailPrompt ?? DEFAULT_QUIZ_EMAIL_PROMPT}
            </h3>
            <InputField
              blockId={form.blockId}
              field={EMAIL_CAPTURE_FIELD}
              value={email}
              error={errors[EMAIL_FIELD]}
              onInput={(value) => this.setState({ email: value })}
            />
            {quiz.consent && (
              <ConsentField
                blockId={form.blockId}
                consent={quiz.consent}
                checked={consented}
                error={errors[CONSENT_FIELD]}
                onChange={(checked) => this.setState({ consented: checked })}
              />
            )}
          </div>
        )}
        <div class="nav">
          {position > 0 && (
            <button type="button" class="btn ghost" onClick={() => this.show(path[position - 1]!.id, answers)}>
              Back
            </button>
          )}
          <button type="submit" class="btn">
            <ButtonLabel
              text={question && !(isLastQuestion && !quiz.askEmailBeforeOutcome) ? 'Next' : (quiz.submitLabel ?? DEFAULT_QUIZ_SUBMIT_LABEL)}
            />
          </button>
        </div>
      </form>
    );
  }
}
