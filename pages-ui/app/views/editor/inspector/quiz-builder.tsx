/**
 * The quiz builder: questions with their answers (label, points, and where a single-choice answer
 * leads — only to later questions, as the schema demands), outcomes by score range with warnings
 * for scores no outcome covers, overlapping ranges and outcomes no path reaches, and "Walk the
 * quiz": answer as a visitor would and see the path, its question count and the outcome,
 * computed by the domain's quiz functions — the same logic visitors get.
 */
import { useEffect, useState } from 'preact/hooks';
import type { QuizBlock, QuizQuestion } from '../../../../../workers/domain/blocks';
import type { QuizAnswers } from '../../../../../workers/domain/quiz';
import { confirm } from '../../../shell/confirm';
import { ItemActions, ItemCard, useFocusAfterRender, useListOps } from './array-field';
import { FieldShell, SwitchControl, fieldMeta } from './field-shell';
import type { ArrayField, BooleanField, NumberField, ObjectField, StringField } from './field-model';
import { announce, controlId, FieldView, issueAt, useForm, type FieldProps } from './form-context';
import { branchOptions, chooseAnswer, outcomeCoverage, pruneAnswers, questionName, walkState } from './quiz-model';
import { moveItem, newItem, removeItem } from './values';

function child<T>(node: ObjectField, key: string): T {
  return node.fields.find((f) => f.key === key) as T;
}

const NEXT_DEFAULT = '';

export function QuestionsEditor(props: FieldProps) {
  const ctx = useForm();
  const node = props.node as ArrayField;
  const questionNode = node.item as ObjectField;
  const answersNode = child<ArrayField>(questionNode, 'answers');
  const answerNode = answersNode.item as ObjectField;
  const quiz = ctx.root as QuizBlock;
  const ops = useListOps(props.path, 'question', (items) => newItem(node, items));
  const focusLater = useFocusAfterRender();
  const questions = quiz.questions ?? [];
  const error = issueAt(ctx, props.path);
  const full = node.maxItems !== undefined && questions.length >= node.maxItems;

  const removeQuestion = async (index: number) => {
    const question = questions[index]!;
    const pointing = questions.filter((q) => q.answers.some((a) => a.next === question.id)).length;
    const ok = await confirm({
      title: `Delete question ${index + 1}?`,
      message: `“${question.text}” and its ${question.answers.length} answers go.${pointing ? ` Answers that skipped to it will go on to the next question instead.` : ''}`,
      confirmLabel: 'Delete question',
      danger: true,
    });
    if (!ok) return;
    const next = questions
      .filter((_, i) => i !== index)
      .map((q) => ({
        ...q,
        answers: q.answers.map((a) => {
          if (a.next !== question.id) return a;
          const { next: _gone, ...rest } = a;
          return rest;
        }),
      }));
    ops.remove(index, next);
  };

  const setMultiple = (index: number, multiple: boolean) => {
    const question = questions[index]!;
    const branched = question.answers.some((a) => a.next !== undefined);
    const answers = multiple ? question.answers.map(({ next: _dropped, ...a }) => a) : question.answers;
    ctx.set([...props.path, index], { ...question, multiple, answers });
    if (multiple && branched) announce('Branches removed: only single-choice questions can jump to another question.');
  };

  return (
    <fieldset class="insp-group quiz-questions" aria-describedby={error ? `${ops.baseId}-error` : undefined}>
      <legend>
        Questions <span class="count">({questions.length})</span>
      </legend>
      {error ? (
        <p class="field-error" id={`${ops.baseId}-error`}>
          {error}
        </p>
      ) : null}
      <ol class="insp-items">
        {questions.map((question, qi) => {
          const qPath = [...props.path, qi];
          const answersPath = [...qPath, 'answers'];
          const answersBase = controlId(ctx, answersPath);
          const branches = branchOptions(quiz, qi);
          const answersError = issueAt(ctx, answersPath);
          return (
            <ItemCard
              key={question.id}
              titleId={`${ops.itemId(qi)}-title`}
              title={`Question ${qi + 1}`}
              summary={question.text}
              actions={
                <ItemActions
                  baseId={ops.itemId(qi)}
                  index={qi}
                  count={questions.length}
                  itemName={`question ${qi + 1}`}
                  canRemove={questions.length > node.minItems}
                  removeHint="A quiz needs at least one question"
                  onMove={(to) => ops.move(qi, to)}
                  onRemove={() => void removeQuestion(qi)}
                />
              }
            >
              <FieldView node={child<StringField>(questionNode, 'text')} path={[...qPath, 'text']} label="Question" />
              <SwitchControl
                node={{
                  ...child<BooleanField>(questionNode, 'multiple'),
                  description: 'Their points add up. Only single-choice questions can skip ahead.',
                }}
                path={[...qPath, 'multiple']}
                label="Visitors can choose several answers"
                onToggle={(on) => setMultiple(qi, on)}
              />
              <fieldset class="answers" aria-describedby={answersError ? `${answersBase}-error` : undefined}>
                <legend>Answers</legend>
                <p class="field-hint">
                  Tags say what an answer tells sales about the visitor (e.g. dry-skin): they are kept with the lead, never shown to
                  visitors.
                </p>
                {answersError ? (
                  <p class="field-error" id={`${answersBase}-error`}>
                    {answersError}
                  </p>
                ) : null}
                <ol class="answer-list">
                  {question.answers.map((answer, ai) => {
                    const aPath = [...answersPath, ai];
                    const rowId = `${answersBase}-item-${ai}`;
                    const nextId = controlId(ctx, [...aPath, 'next']);
                    const nextError = issueAt(ctx, [...aPath, 'next']);
                    const nextMeta = fieldMeta(nextId, nextError, {});
                    const known = branches.some((b) => (b.value ?? NEXT_DEFAULT) === (answer.next ?? NEXT_DEFAULT));
                    const target = questions.findIndex((q) => q.id === answer.next);
                    return (
                      <li key={answer.id} class="answer-row">
                        <span id={`${rowId}-title`} tabIndex={-1} class="visually-hidden">
                          Answer {ai + 1}
                        </span>
                        <FieldView
                          node={child<StringField>(answerNode, 'label')}
                          path={[...aPath, 'label']}
                          label={`Answer ${ai + 1}`}
                          compact
                        />
                        <div class="answer-points">
                          <FieldView node={child<NumberField>(answerNode, 'points')} path={[...aPath, 'points']} label="Points" compact />
                        </div>
                        {question.multiple ? null : (
                          <FieldShell meta={nextMeta} label="Then go to" class="answer-next">
                            <select
                              id={nextId}
                              value={answer.next ?? NEXT_DEFAULT}
                              aria-invalid={nextError ? true : undefined}
                              aria-describedby={nextMeta.describedBy}
                              onChange={(e) =>
                                ctx.set([...aPath, 'next'], e.currentTarget.value === NEXT_DEFAULT ? undefined : e.currentTarget.value)
                              }
                            >
                              {branches.map((b) => (
                                <option key={b.value ?? NEXT_DEFAULT} value={b.value ?? NEXT_DEFAULT}>
                                  {b.label}
                                </option>
                              ))}
                              {known ? null : (
                                <option value={answer.next}>
                                  {target >= 0
                                    ? `${questionName(questions[target]!, target)} (earlier: not allowed)`
                                    : `${answer.next} (no such question)`}
                                </option>
                              )}
                            </select>
                          </FieldShell>
                        )}
                        <TagsField path={[...aPath, 'tags']} tags={answer.tags} label={`Tags of answer ${ai + 1}`} />
                        <ItemActions
                          baseId={rowId}
                          index={ai}
                          count={question.answers.length}
                          itemName={`answer ${ai + 1} of question ${qi + 1}`}
                          canRemove={question.answers.length > answersNode.minItems}
                          removeHint={`A question needs at least ${answersNode.minItems} answers`}
                          onMove={(to) => {
                            ctx.set(answersPath, moveItem(question.answers, ai, to));
                            announce(`Answer ${ai + 1} moved to position ${to + 1}.`);
                            focusLater(
                              `${answersBase}-item-${to}-${to < ai ? (to === 0 ? 'down' : 'up') : to === question.answers.length - 1 ? 'up' : 'down'}`,
                            );
                          }}
                          onRemove={() => {
                            ctx.set(answersPath, removeItem(question.answers, ai));
                            announce(`Answer ${ai + 1} removed.`);
                            focusLater(`${answersBase}-item-${Math.min(ai, question.answers.length - 2)}-title`);
                          }}
                        />
                      </li>
                    );
                  })}
                </ol>
                <button
                  type="button"
                  class="button secondary small"
                  id={`${answersBase}-add`}
                  disabled={answersNode.maxItems !== undefined && question.answers.length >= answersNode.maxItems}
                  onClick={() => {
                    ctx.set(answersPath, [...question.answers, newItem(answersNode, question.answers)]);
                    announce(`Answer ${question.answers.length + 1} added.`);
                    focusLater(`${answersBase}-item-${question.answers.length}-title`, true);
                  }}
                >
                  Add answer
                </button>
              </fieldset>
            </ItemCard>
          );
        })}
      </ol>
      <button type="button" class="button secondary small" id={`${ops.baseId}-add`} disabled={full} onClick={() => ops.add()}>
        Add question
      </button>
    </fieldset>
  );
}

/** "dry-skin, Sensitive skin" → ["dry-skin", "sensitive-skin"]: tags are lower-case, words joined by "-", each once. */
export function parseTags(text: string): string[] | undefined {
  const tags = new Set(
    text
      .split(',')
      .map((tag) => tag.trim().toLowerCase().replace(/\s+/g, '-'))
      .filter(Boolean),
  );
  return tags.size ? [...tags] : undefined;
}

/**
 * An answer's tags as one comma-separated line. What is typed is kept as typed while the field is
 * in use (a trailing comma or space is the start of the next tag), and the stored list follows
 * every keystroke; the server's messages about any one tag show under the line.
 */
function TagsField(props: { path: Array<string | number>; tags: string[] | undefined; label: string }) {
  const ctx = useForm();
  const id = controlId(ctx, props.path);
  const stored = (props.tags ?? []).join(', ');
  const [typed, setTyped] = useState(stored);
  // Changed elsewhere (undo, another editor's version loaded): show the stored tags.
  const shown = JSON.stringify(parseTags(typed) ?? []) === JSON.stringify(props.tags ?? []) ? typed : stored;
  const error = issueAt(ctx, props.path) ?? (props.tags ?? []).map((_, i) => issueAt(ctx, [...props.path, i])).find(Boolean);
  const meta = fieldMeta(id, error, {});
  return (
    <FieldShell meta={meta} label="Tags" class="answer-tags">
      <input
        id={id}
        // The visible "Tags" with the answer it belongs to, for screen readers and voice control.
        aria-label={props.label}
        value={shown}
        placeholder="dry-skin, sensitive"
        aria-invalid={error ? true : undefined}
        aria-describedby={meta.describedBy}
        autocomplete="off"
        spellcheck={false}
        onInput={(e) => {
          setTyped(e.currentTarget.value);
          ctx.set(props.path, parseTags(e.currentTarget.value));
        }}
        onBlur={() => setTyped(stored)}
      />
    </FieldShell>
  );
}

export function OutcomesEditor(props: FieldProps) {
  const ctx = useForm();
  const node = props.node as ArrayField;
  const outcomeNode = node.item as ObjectField;
  const quiz = ctx.root as QuizBlock;
  const ops = useListOps(props.path, 'outcome', (items) => {
    // A new outcome starts just above the highest range, so it does not overlap.
    const item = newItem(node, items) as QuizBlock['outcomes'][number];
    const top = Math.max(-1, ...(items as QuizBlock['outcomes']).map((o) => o.maxScore));
    return { ...item, minScore: top + 1, maxScore: top + 10 };
  });
  const outcomes = quiz.outcomes ?? [];
  const error = issueAt(ctx, props.path);
  const coverage = quiz.questions?.length && outcomes.length ? outcomeCoverage(quiz) : null;
  const titleOf = (id: string) => outcomes.find((o) => o.id === id)?.title ?? id;
  const range = (r: { from: number; to: number }) => (r.from === r.to ? `${r.from}` : `${r.from} to ${r.to}`);
  const warnings: string[] = [];
  if (coverage) {
    for (const gap of coverage.gaps)
      warnings.push(
        gap.from === gap.to
          ? `A score of ${gap.from} gets no outcome: those visitors would see no result.`
          : `Scores from ${range(gap)} get no outcome: those visitors would see no result.`,
      );
    for (const o of coverage.overlaps) warnings.push(`“${titleOf(o.a)}” and “${titleOf(o.b)}” both cover ${range(o.range)}.`);
    for (const id of coverage.unreachable) warnings.push(`No combination of answers reaches “${titleOf(id)}”.`);
  }

  return (
    <fieldset class="insp-group quiz-outcomes" aria-describedby={`${ops.baseId}-coverage${error ? ` ${ops.baseId}-error` : ''}`}>
      <legend>
        Outcomes <span class="count">({outcomes.length})</span>
      </legend>
      {error ? (
        <p class="field-error" id={`${ops.baseId}-error`}>
          {error}
        </p>
      ) : null}
      <div id={`${ops.baseId}-coverage`} class={warnings.length ? 'coverage warn' : 'coverage'}>
        {coverage ? (
          <p>
            Visitors finish with a score from <strong>{coverage.bounds.min}</strong> to <strong>{coverage.bounds.max}</strong>; each outcome
            covers a range of scores.
          </p>
        ) : null}
        {warnings.length ? (
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : coverage ? (
          <p class="ok">Every possible score has exactly one outcome.</p>
        ) : null}
      </div>
      <ol class="insp-items">
        {outcomes.map((outcome, i) => (
          <ItemCard
            key={outcome.id}
            titleId={`${ops.itemId(i)}-title`}
            title={`Outcome ${i + 1}`}
            summary={`${outcome.title} · ${outcome.minScore} to ${outcome.maxScore} points`}
            actions={
              <ItemActions
                baseId={ops.itemId(i)}
                index={i}
                count={outcomes.length}
                itemName={`outcome ${i + 1}`}
                canRemove={outcomes.length > node.minItems}
                removeHint="A quiz needs at least one outcome"
                onMove={(to) => ops.move(i, to)}
                onRemove={() => ops.remove(i)}
              />
            }
          >
            <FieldView node={child<StringField>(outcomeNode, 'title')} path={[...props.path, i, 'title']} label="Outcome" />
            <FieldView
              node={child<StringField>(outcomeNode, 'description')}
              path={[...props.path, i, 'description']}
              label="What visitors read"
            />
            <div class="form-row">
              <FieldView node={child<NumberField>(outcomeNode, 'minScore')} path={[...props.path, i, 'minScore']} label="From score" />
              <FieldView node={child<NumberField>(outcomeNode, 'maxScore')} path={[...props.path, i, 'maxScore']} label="To score" />
            </div>
          </ItemCard>
        ))}
      </ol>
      <button
        type="button"
        class="button secondary small"
        id={`${ops.baseId}-add`}
        disabled={node.maxItems !== undefined && outcomes.length >= node.maxItems}
        onClick={() => ops.add()}
      >
        Add outcome
      </button>
    </fieldset>
  );
}

/** Answer the quiz as a visitor would: the path taken, its question count and the outcome. */
export function QuizWalk(props: { quiz: QuizBlock }) {
  const { quiz } = props;
  const [answers, setAnswers] = useState<QuizAnswers>({});
  const [picked, setPicked] = useState<string[]>([]);
  // Edits to the quiz may remove answers the walk used: keep only what still exists.
  const valid = pruneAnswers(quiz, answers);
  useEffect(() => {
    if (JSON.stringify(valid) !== JSON.stringify(answers)) setAnswers(valid);
  });
  const state = walkState(quiz, valid);
  const current = state.current;
  const answered = state.path.filter((q) => valid[q.id]?.length);
  const headingId = `walk-${quiz.id}`;

  const choose = (question: QuizQuestion, answerIds: string[]) => {
    let next = valid;
    for (const id of answerIds) next = chooseAnswer(quiz, next, question.id, id);
    setAnswers(next);
    setPicked([]);
    const after = walkState(quiz, next);
    announce(
      after.current
        ? `Question ${after.position} of ${after.path.length}: ${after.current.text}`
        : 'The walk is complete: see the outcome.',
    );
  };

  return (
    <section class="quiz-walk" aria-labelledby={headingId}>
      <h3 id={headingId}>Walk the quiz</h3>
      <p class="muted">
        Answer as a visitor would to check the branches: the path, how many questions it asks and the outcome — by the same rules the
        published quiz uses.
      </p>
      {answered.length ? (
        <ol class="walk-path" aria-label="Your path so far">
          {answered.map((q) => {
            const index = quiz.questions.indexOf(q);
            const labels = q.answers.filter((a) => valid[q.id]!.includes(a.id)).map((a) => a.label);
            return (
              <li key={q.id}>
                <span class="walk-q">Q{index + 1}</span> {q.text} <span class="walk-a">→ {labels.join(', ')}</span>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => {
                    const copy: QuizAnswers = {};
                    for (const p of state.path) {
                      if (p.id === q.id) break;
                      if (valid[p.id]) copy[p.id] = valid[p.id]!;
                    }
                    setAnswers(copy);
                  }}
                >
                  Change<span class="visually-hidden"> the answer to question {index + 1}</span>
                </button>
              </li>
            );
          })}
        </ol>
      ) : null}
      {current ? (
        <fieldset class="walk-question">
          <legend>
            Question {state.position} of {state.path.length}
            {state.path.length !== quiz.questions.length ? ' on this path' : ''}: {current.text}
          </legend>
          {current.multiple ? (
            <>
              {current.answers.map((a) => (
                <label key={a.id} class="walk-check">
                  <input
                    type="checkbox"
                    checked={picked.includes(a.id)}
                    onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, a.id] : picked.filter((id) => id !== a.id))}
                  />
                  {a.label} <span class="muted">({a.points} points)</span>
                </label>
              ))}
              <button type="button" class="button small" disabled={!picked.length} onClick={() => choose(current, picked)}>
                Continue
              </button>
            </>
          ) : (
            <div class="walk-answers">
              {current.answers.map((a) => {
                const to = branchOptions(quiz, quiz.questions.indexOf(current)).find((b) => b.value === a.next);
                return (
                  <button key={a.id} type="button" class="button secondary walk-answer" onClick={() => choose(current, [a.id])}>
                    {a.label}
                    <span class="walk-meta">
                      {a.points} points
                      {a.next ? ` · ${a.next === 'end' ? 'ends the quiz' : (to?.label.replace('Skip to ', 'skips to ') ?? a.next)}` : ''}
                    </span>
                  </button>
                );
              })}
            </div>
          )}
        </fieldset>
      ) : state.result ? (
        <div class="walk-result" role="status">
          <p>
            This path asked <strong>{state.path.length}</strong> {state.path.length === 1 ? 'question' : 'questions'} and scored{' '}
            <strong>{state.result.score}</strong> points.
          </p>
          {state.result.outcome ? (
            <p>
              Outcome: <strong>{state.result.outcome.title}</strong> — {state.result.outcome.description}
            </p>
          ) : (
            <p class="field-error">No outcome covers a score of {state.result.score}: visitors on this path would see no result.</p>
          )}
          {state.tags.length ? (
            <p>
              Tags kept with the lead:{' '}
              {state.tags.map((tag, i) => (
                <span key={tag}>
                  {i > 0 ? ', ' : null}
                  <code>{tag}</code>
                </span>
              ))}
            </p>
          ) : null}
          {quiz.askEmailBeforeOutcome ? <p class="muted">Visitors give their email before they see it.</p> : null}
        </div>
      ) : null}
      {answered.length ? (
        <button type="button" class="button secondary small" onClick={() => setAnswers({})}>
          Start over
        </button>
      ) : null}
    </section>
  );
}
