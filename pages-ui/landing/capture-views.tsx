/**
 * Server views of the capture blocks: lead form, lead-magnet gate, quiz and chat capture. Each is
 * a real `<form method="post">` that works without JavaScript; the quiz and chat are also island
 * roots, upgraded in the browser to their one-question-at-a-time versions. `data-lf-form` marks
 * the forms whose first touch the tracker reports as `form_start` (the quiz reports its own steps).
 */
import type {
  ChatCaptureBlock,
  Consent,
  FormField,
  LeadFormBlock,
  LeadMagnetBlock,
  QuizBlock,
  QuizQuestion,
} from '../../workers/domain/blocks';
import { CONSENT_FIELD, captureFormOf, isCheckboxTicked } from '../../workers/domain/form-submission';
import { resolveCtaTarget } from '../../workers/domain/funnel-links';
import {
  parseQuizAnswers,
  QUIZ_SHOWN_FIELD,
  questionCountText,
  quizAnswerField,
  quizPath,
  quizPathBounds,
  questionsShownWithoutScript,
} from '../../workers/domain/quiz';
import { BlockTitle, Paragraphs, Section } from './block-views';
import { ButtonLabel } from './button-label';
import { DEFAULT_QUIZ_EMAIL_PROMPT, DEFAULT_QUIZ_SUBMIT_LABEL, SUBMISSION_TOKEN_PLACEHOLDER } from './form-constants';
import {
  ConsentField,
  FieldError,
  FieldLabel,
  fieldDomId,
  FormMeta,
  InputField,
  invalidAttributes,
  resultDomId,
  type FieldProps,
} from './form-parts';
import type { ChatIslandData, QuizIslandData } from './islands/props';
import type { RenderContext } from './render-context';

type FormState = Omit<NonNullable<RenderContext['formState']>, 'blockId'>;

function formStateFor(ctx: RenderContext, blockId: string): FormState {
  return ctx.formState?.blockId === blockId ? ctx.formState : { values: {}, errors: {} };
}

/**
 * Island props as JSON inside a script element. "<" is escaped so no value (a headline such as
 * "</script><script>…") can end the element; U+2028/9 are escaped for old JS parsers.
 */
function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function IslandProps(props: { data: QuizIslandData | ChatIslandData }) {
  return <script type="application/json" dangerouslySetInnerHTML={{ __html: jsonForScript(props.data) }} />;
}

/**
 * "There is a problem" with a link to each field in error. `labels` gives the order and the field
 * names; the form-level message and an error under any other key (e.g. `_form`) are plain text.
 */
function ErrorSummary(props: { blockId: string; state: FormState; labels: Array<[name: string, label: string]> }) {
  const { blockId, state } = props;
  const errors = state.errors;
  const linked = props.labels.filter(([name]) => errors[name]);
  const unlinked = Object.keys(errors).filter((name) => !props.labels.some(([labelled]) => labelled === name));
  const plain = [...(state.message ? [state.message] : []), ...unlinked.map((name) => errors[name]!)];
  if (linked.length + plain.length === 0) return null;
  // The re-rendered page answers a post and opens at its top: focus brings the visitor (and the
  // browser's scroll) to what needs fixing, however far down the form is.
  return (
    <div class="sum" role="alert" tabindex={-1} autofocus>
      <p>
        <strong>There is a problem</strong>
      </p>
      <ul>
        {linked.map(([name, label]) => (
          <li>
            <a href={`#${fieldDomId(blockId, name)}`}>{`${label}${/[?!.:]$/.test(label) ? '' : ':'} ${errors[name]}`}</a>
          </li>
        ))}
        {plain.map((text) => (
          <li>{text}</li>
        ))}
      </ul>
    </div>
  );
}

/** Any form field: hidden UTM carrier, textarea, select, or a single-line input. */
function FieldView(props: FieldProps) {
  const { blockId, field, value, error } = props;
  if (field.kind === 'hidden_utm') return <input type="hidden" name={field.name} value={value} />;
  if (field.kind !== 'textarea' && field.kind !== 'select') return <InputField {...props} />;
  const id = fieldDomId(blockId, field.name);
  const control = { id, name: field.name, required: field.required, ...invalidAttributes(id, error) };
  return (
    <div class="fld">
      <FieldLabel fieldId={id} field={field} />
      {field.kind === 'textarea' ? (
        <textarea {...control} rows={4} value={value} />
      ) : (
        <select {...control}>
          <option value="">Choose…</option>
          {field.options?.map((option) => (
            <option value={option} selected={option === value}>
              {option}
            </option>
          ))}
        </select>
      )}
      <FieldError fieldId={id} message={error} />
    </div>
  );
}

const CONSENT_LABEL = 'Consent';

function fieldLabels(fields: FormField[], consent: Consent | undefined): Array<[string, string]> {
  const labels: Array<[string, string]> = fields.filter((field) => field.kind !== 'hidden_utm').map((field) => [field.name, field.label]);
  return consent ? [...labels, [CONSENT_FIELD, CONSENT_LABEL]] : labels;
}

/** The fields of a form plus its consent checkbox, with values and messages from a failed post. */
function CaptureFields(props: { blockId: string; fields: FormField[]; consent: Consent | undefined; state: FormState }) {
  const { blockId, state } = props;
  return (
    <>
      {props.fields.map((field) => (
        <FieldView blockId={blockId} field={field} value={state.values[field.name] ?? ''} error={state.errors[field.name]} />
      ))}
      {props.consent && (
        <ConsentField
          blockId={blockId}
          consent={props.consent}
          checked={isCheckboxTicked(state.values[CONSENT_FIELD])}
          error={state.errors[CONSENT_FIELD]}
        />
      )}
    </>
  );
}

/** Shown in place of a lead form once it was submitted and no page follows. */
const LEAD_FORM_DONE_MESSAGE = 'Thank you — you are on the list. Check your inbox.';

export function LeadFormView(props: { block: LeadFormBlock; ctx: RenderContext }) {
  const { block, ctx } = props;
  const state = formStateFor(ctx, block.id);
  if (ctx.formDone?.blockId === block.id) {
    return (
      <Section id={block.id}>
        <div class="card form" role="status" id={resultDomId(block.id)}>
          <BlockTitle text={block.title} />
          <p>{LEAD_FORM_DONE_MESSAGE}</p>
        </div>
      </Section>
    );
  }
  return (
    <Section id={block.id}>
      <div class="card form">
        <BlockTitle text={block.title} />
        {block.description && <p>{block.description}</p>}
        <form method="post" action={ctx.pagePath} data-lf-form={block.id}>
          <ErrorSummary blockId={block.id} state={state} labels={fieldLabels(block.fields, block.consent)} />
          <FormMeta blockId={block.id} token={SUBMISSION_TOKEN_PLACEHOLDER} />
          <CaptureFields blockId={block.id} fields={block.fields} consent={block.consent} state={state} />
          <button type="submit" class="btn lg full">
            <ButtonLabel text={block.submitLabel} />
          </button>
        </form>
      </div>
    </Section>
  );
}

export function LeadMagnetView(props: { block: LeadMagnetBlock; ctx: RenderContext }) {
  const { block, ctx } = props;
  const state = formStateFor(ctx, block.id);
  const download = ctx.download?.blockId === block.id ? ctx.download : undefined;
  return (
    <Section id={block.id}>
      <div class="split">
        <div>
          {block.cover && (
            <img class="cover" src={block.cover.src} alt={block.cover.alt} width={block.cover.width} height={block.cover.height} />
          )}
          <h2>{block.title}</h2>
          <Paragraphs text={block.description} />
        </div>
        <div class="card">
          {download ? (
            <div role="status" id={resultDomId(block.id)}>
              <h3>Your download is ready</h3>
              <p>
                <a class="btn lg full" href={download.url} download>
                  <ButtonLabel text={`Download ${block.assetName}`} />
                </a>
              </p>
            </div>
          ) : (
            <form method="post" action={ctx.pagePath} data-lf-form={block.id}>
              <p class="note">{block.assetName}</p>
              <ErrorSummary blockId={block.id} state={state} labels={fieldLabels(block.fields, block.consent)} />
              <FormMeta blockId={block.id} token={SUBMISSION_TOKEN_PLACEHOLDER} />
              <CaptureFields blockId={block.id} fields={block.fields} consent={block.consent} state={state} />
              <button type="submit" class="btn lg full">
                <ButtonLabel text={block.submitLabel} />
              </button>
            </form>
          )}
        </div>
      </div>
    </Section>
  );
}

/** A radio group (or checkbox group) in a fieldset; the first control carries the group's id. */
function ChoiceGroup(props: {
  blockId: string;
  name: string;
  legend: string;
  legendClass?: string;
  multiple: boolean;
  choices: Array<{ value: string; label: string }>;
  chosen: readonly string[];
  required: boolean;
  error: string | undefined;
  autofocus?: boolean;
}) {
  const groupId = fieldDomId(props.blockId, props.name);
  const invalid = invalidAttributes(groupId, props.error);
  return (
    <fieldset aria-describedby={invalid['aria-describedby']}>
      <legend class={props.legendClass}>
        {props.legend}
        {props.multiple && <span class="opt-l"> (choose all that apply)</span>}
      </legend>
      {props.choices.map((choice, i) => {
        const id = i === 0 ? groupId : `${groupId}.${i}`;
        return (
          <label class="opt" for={id}>
            <input
              type={props.multiple ? 'checkbox' : 'radio'}
              id={id}
              name={props.name}
              value={choice.value}
              checked={props.chosen.includes(choice.value)}
              required={props.required && !props.multiple}
              aria-invalid={invalid['aria-invalid']}
              autofocus={props.autofocus && i === 0}
            />
            {choice.label}
          </label>
        );
      })}
      <FieldError fieldId={groupId} message={props.error} />
    </fieldset>
  );
}

/** "4 or 5 questions, depending on your answers", or "4 questions" once the path is known. */
function quizLengthText(quiz: QuizBlock, answers: Record<string, string[]>): string {
  const bounds = quizPathBounds(quiz, answers);
  const count = questionCountText(bounds);
  const noun = bounds.max === 1 ? 'question' : 'questions';
  return bounds.min === bounds.max ? `${count} ${noun}` : `${count} ${noun}, depending on your answers`;
}

function QuestionGroup(props: {
  blockId: string;
  question: QuizQuestion;
  number: number;
  chosen: string[];
  error: string | undefined;
  autofocus: boolean;
}) {
  const { question } = props;
  return (
    <ChoiceGroup
      autofocus={props.autofocus}
      blockId={props.blockId}
      name={quizAnswerField(question.id)}
      legend={`${props.number}. ${question.text}`}
      multiple={question.multiple}
      choices={question.answers.map((answer) => ({ value: answer.id, label: answer.label }))}
      chosen={props.chosen}
      required
      error={props.error}
    />
  );
}

function QuizResultView(props: { block: QuizBlock; ctx: RenderContext; result: NonNullable<RenderContext['quizResult']> }) {
  const { block, ctx, result } = props;
  const next = resolveCtaTarget({ kind: 'next' }, ctx);
  return (
    <Section id={block.id}>
      <div class="card form c" role="status" id={resultDomId(block.id)}>
        <p class="prog">Your result</p>
        <h2>{result.outcome?.title ?? 'Thanks for taking the quiz!'}</h2>
        {result.outcome && <Paragraphs text={result.outcome.description} />}
        {block.showScore && <p class="note">{`Your score: ${result.score}`}</p>}
        {next && (
          <p>
            <a class="btn lg" href={next}>
              Continue
            </a>
          </p>
        )}
      </div>
    </Section>
  );
}

/**
 * Without JavaScript the quiz is one form showing the questions on the visitor's path up to the
 * first open branching question; posting it reveals the rest (see `questionsShownWithoutScript`).
 * The email and consent appear once the whole path is on the form.
 */
export function QuizView(props: { block: QuizBlock; ctx: RenderContext }) {
  const { block, ctx } = props;
  const result = ctx.quizResult?.blockId === block.id ? ctx.quizResult : undefined;
  if (result) return <QuizResultView block={block} ctx={ctx} result={result} />;

  const state = formStateFor(ctx, block.id);
  const answers = parseQuizAnswers(state.values);
  const shown = questionsShownWithoutScript(block, answers);
  const complete = shown.length === quizPath(block, answers).length;
  // After a post that only revealed the rest of the path, focus (and the scroll) goes to the first new question.
  const revealed = ctx.formState?.blockId === block.id && Object.keys(state.errors).length === 0 && !state.message;
  const firstOpen = revealed ? shown.find((question) => !answers[question.id]) : undefined;
  const capture = complete ? captureFormOf(block) : null;
  const labels: Array<[string, string]> = [
    ...shown.map((question): [string, string] => [quizAnswerField(question.id), question.text]),
    ...(capture ? fieldLabels(capture.fields, capture.consent) : []),
  ];
  // Outcomes are scored on the server; tags are the marketer's notes about the visitor, not for their page.
  const { outcomes: _scoredOnTheServer, ...rest } = block;
  const quizForIsland = {
    ...rest,
    questions: block.questions.map((question) => ({
      ...question,
      answers: question.answers.map(({ tags: _forSales, ...answer }) => answer),
    })),
  };
  return (
    <Section id={block.id}>
      <div class="card form">
        <h2>{block.title}</h2>
        {block.intro && <p>{block.intro}</p>}
        <div data-island="quiz">
          <form method="post" action={ctx.pagePath}>
            <ErrorSummary blockId={block.id} state={state} labels={labels} />
            <FormMeta blockId={block.id} token={SUBMISSION_TOKEN_PLACEHOLDER} />
            <input type="hidden" name={QUIZ_SHOWN_FIELD} value={shown.map((question) => question.id).join(' ')} />
            <p class="prog">{quizLengthText(block, answers)}</p>
            {shown.map((question, i) => (
              <QuestionGroup
                blockId={block.id}
                question={question}
                number={i + 1}
                chosen={answers[question.id] ?? []}
                error={state.errors[quizAnswerField(question.id)]}
                autofocus={question === firstOpen}
              />
            ))}
            {capture && (
              <>
                <p>
                  <strong>{block.emailPrompt ?? DEFAULT_QUIZ_EMAIL_PROMPT}</strong>
                </p>
                <CaptureFields blockId={block.id} fields={capture.fields} consent={capture.consent} state={state} />
              </>
            )}
            <button type="submit" class="btn lg full">
              <ButtonLabel text={complete ? (block.submitLabel ?? DEFAULT_QUIZ_SUBMIT_LABEL) : 'Continue'} />
            </button>
          </form>
        </div>
        <IslandProps data={{ quiz: quizForIsland, ...islandState(ctx, block.id) }} />
      </div>
    </Section>
  );
}

/** The failed-post state for an island, only when it belongs to that island's block. */
function islandState(ctx: RenderContext, blockId: string) {
  return ctx.formState?.blockId === blockId ? { values: ctx.formState.values, errors: ctx.formState.errors } : {};
}

function ChatHeader(props: { block: ChatCaptureBlock }) {
  return (
    <p class="chat-h">
      {props.block.avatar && <img src={props.block.avatar} alt="" width={40} height={40} />}
      {props.block.botName}
    </p>
  );
}

/** Without JavaScript the chat is a form: each scripted question is a field, then email and consent. */
/** The follow-up email stays on the server: its text (a discount code, say) is what the lead gets for their address. */
function chatForIsland(block: ChatCaptureBlock): Omit<ChatCaptureBlock, 'followUpEmail'> {
  const { followUpEmail: _forTheInboxOnly, ...chat } = block;
  return chat;
}

export function ChatView(props: { block: ChatCaptureBlock; ctx: RenderContext }) {
  const { block, ctx } = props;
  const state = formStateFor(ctx, block.id);
  const capture = captureFormOf(block)!;
  const emailFields = capture.fields.filter((field) => field.kind === 'email');
  const done = ctx.formDone?.blockId === block.id;
  return (
    <Section id={block.id}>
      <BlockTitle text={block.title} center />
      <div class="card chat">
        <ChatHeader block={block} />
        {done ? (
          <div class="log" role="status" id={resultDomId(block.id)}>
            <p class="bub">{block.doneMessage}</p>
          </div>
        ) : (
          <>
            {/* On the island root, not the form: the island replaces the form but keeps its root. */}
            <div data-island="chat" data-lf-form={block.id}>
              <form method="post" action={ctx.pagePath}>
                <ErrorSummary blockId={block.id} state={state} labels={fieldLabels(capture.fields, capture.consent)} />
                <FormMeta blockId={block.id} token={SUBMISSION_TOKEN_PLACEHOLDER} />
                {block.steps.map((step) =>
                  step.kind === 'choice' ? (
                    <ChoiceGroup
                      blockId={block.id}
                      name={step.id}
                      legend={step.prompt}
                      legendClass="bub"
                      multiple={false}
                      choices={(step.options ?? []).map((option) => ({ value: option, label: option }))}
                      chosen={state.values[step.id] ? [state.values[step.id]!] : []}
                      required={false}
                      error={state.errors[step.id]}
                    />
                  ) : (
                    <div class="fld">
                      <label class="bub" for={fieldDomId(block.id, step.id)}>
                        {step.prompt}
                      </label>
                      <input
                        id={fieldDomId(block.id, step.id)}
                        name={step.id}
                        value={state.values[step.id] ?? ''}
                        {...invalidAttributes(fieldDomId(block.id, step.id), state.errors[step.id])}
                      />
                      <FieldError fieldId={fieldDomId(block.id, step.id)} message={state.errors[step.id]} />
                    </div>
                  ),
                )}
                <p class="bub">{block.emailPrompt}</p>
                <CaptureFields blockId={block.id} fields={emailFields} consent={block.consent} state={state} />
                <button type="submit" class="btn lg full">
                  <ButtonLabel text={block.submitLabel} />
                </button>
              </form>
            </div>
            <IslandProps data={{ chat: chatForIsland(block), ...islandState(ctx, block.id) }} />
          </>
        )}
      </div>
    </Section>
  );
}
