import type { InferRequestType, InferResponseType } from 'hono/client';
import { useState } from 'preact/hooks';
import { FUNNEL_STAGES } from '../../../../workers/contract';
import { api, ApiError, call } from '../../api';
import { formatMoney, parseAmount } from '../../format';
import { editable } from '../../shell/can-edit';
import { toast } from '../../shell/toasts';
import { stageLabel } from '../leads/labels';

type Rules = (typeof api.funnels)[':id']['rules'];
type Rule = InferResponseType<Rules['$get'], 200>['rules'][number];
type NewRule = InferRequestType<Rules['$post']>['json'];
type Condition = Rule['conditions'][number];
type Action = Rule['action'];
type Pipeline = InferResponseType<typeof api.pipelines.$get, 200>['pipelines'][number];
type Member = InferResponseType<typeof api.workspace.members.$get, 200>['members'][number];
type Outcome = InferResponseType<(typeof api.funnels)[':id']['scoring']['$get'], 200>['quizOutcomes'][number];

export interface RuleContext {
  pipelines: Pipeline[];
  outcomes: Outcome[];
  members: Member[];
}

const CONDITION_KINDS: Array<{ kind: Condition['kind']; label: string }> = [
  { kind: 'score_at_least', label: 'Score is at least' },
  { kind: 'stage_reached', label: 'Reached a funnel stage' },
  { kind: 'lead_magnet_used', label: 'Used a lead magnet' },
  { kind: 'quiz_outcome_in', label: 'Quiz outcome is one of' },
  { kind: 'field', label: 'A field equals / contains' },
];

/** One condition in words, as the rule list and the dry run say it. */
export function describeCondition(c: Condition): string {
  switch (c.kind) {
    case 'score_at_least':
      return `score is at least ${c.score}`;
    case 'stage_reached':
      return `reached ${stageLabel(c.stage)}`;
    case 'lead_magnet_used':
      return 'used a lead magnet';
    case 'quiz_outcome_in':
      return `quiz outcome is ${c.outcomes.join(' or ')}`;
    case 'field':
      return `${c.field} ${c.op} “${c.value}”`;
  }
}

function describeValue(action: Action): string {
  const v = action.value;
  switch (v.kind) {
    case 'fixed':
      return formatMoney(v.amountMinor, action.currency);
    case 'offer_price':
      return `the offer price, ${formatMoney(v.offerPriceMinor, action.currency)}`;
    case 'field':
      return `the amount in “${v.field}” (else ${formatMoney(v.fallbackMinor, action.currency)})`;
    case 'quiz_outcome':
      return `an amount per quiz outcome (else ${formatMoney(v.fallbackMinor, action.currency)})`;
  }
}

export function describeAction(action: Action, context: RuleContext): string {
  const pipeline = context.pipelines.find((p) => p.id === action.pipelineId);
  const stage = pipeline?.stages.find((s) => s.id === action.stageId);
  const where = pipeline && stage ? `${stage.name} of ${pipeline.name}` : 'a pipeline stage that no longer exists';
  return `a deal in ${where}, worth ${describeValue(action)}.`;
}

function newCondition(kind: Condition['kind']): Condition {
  switch (kind) {
    case 'score_at_least':
      return { kind, score: 40 };
    case 'stage_reached':
      return { kind, stage: 'evaluation' };
    case 'lead_magnet_used':
      return { kind };
    case 'quiz_outcome_in':
      return { kind, outcomes: [] };
    case 'field':
      return { kind, field: '', op: 'equals', value: '' };
  }
}

type ValueKind = Action['value']['kind'];
const major = (minor: number, currency: string) => {
  const text = formatMoney(minor, currency).replace(/[^\d.,]/g, '');
  return text.replace(/,/g, '');
};

/** Creates or edits a rule; the API's messages show beside the field they are about. */
export function RuleForm(props: {
  funnelId: string;
  rule?: Rule;
  context: RuleContext;
  onSaved: (rule: Rule) => void;
  onCancel: () => void;
}) {
  const { context } = props;
  const start = props.rule;
  const firstPipeline = context.pipelines[0];
  const [name, setName] = useState(start?.name ?? '');
  const [enabled, setEnabled] = useState(start?.enabled ?? true);
  const [conditions, setConditions] = useState<Condition[]>(start?.conditions ?? [{ kind: 'score_at_least', score: 40 }]);
  const [pipelineId, setPipelineId] = useState(start?.action.pipelineId ?? firstPipeline?.id ?? '');
  const [stageId, setStageId] = useState(start?.action.stageId ?? firstPipeline?.stages[0]?.id ?? '');
  const [currency, setCurrency] = useState(start?.action.currency ?? 'USD');
  const startValue = start?.action.value;
  const [valueKind, setValueKind] = useState<ValueKind>(startValue?.kind ?? 'fixed');
  const [amount, setAmount] = useState(
    startValue?.kind === 'fixed'
      ? major(startValue.amountMinor, start!.action.currency)
      : startValue?.kind === 'offer_price'
        ? major(startValue.offerPriceMinor, start!.action.currency)
        : '',
  );
  const [valueField, setValueField] = useState(startValue?.kind === 'field' ? startValue.field : 'budget');
  const [fallback, setFallback] = useState(
    startValue && start && (startValue.kind === 'field' || startValue.kind === 'quiz_outcome')
      ? major(startValue.fallbackMinor, start.action.currency)
      : '',
  );
  const [outcomeAmounts, setOutcomeAmounts] = useState<Record<string, string>>(
    startValue?.kind === 'quiz_outcome'
      ? Object.fromEntries(Object.entries(startValue.amounts).map(([k, v]) => [k, major(v, start!.action.currency)]))
      : {},
  );
  const [nameTemplate, setNameTemplate] = useState(start?.action.nameTemplate ?? '{campaign} - {lead.name}');
  const [campaign, setCampaign] = useState(start?.action.campaign ?? '');
  const [owner, setOwner] = useState(
    start?.action.owner.kind === 'member' ? start.action.owner.userId : (start?.action.owner.kind ?? 'round_robin'),
  );
  const [error, setError] = useState<ApiError | null>(null);
  /** Messages the form finds itself (amounts it cannot read), by the same paths the API uses. */
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const can = editable();
  const pipeline = context.pipelines.find((p) => p.id === pipelineId);
  const idBase = props.rule ? `rule-${props.rule.id}` : 'rule-new';
  /** Paths this render shows a message beside; the summary at the end (rendered last) lists whatever else the API named. */
  const placed = new Set<string>();
  const fieldError = (path: string) => {
    placed.add(path);
    return local[path] ?? error?.fields[path];
  };

  const money = (text: string, path: string, problems: Record<string, string>) => {
    const parsed = parseAmount(text, currency.trim().toUpperCase() || 'USD');
    if ('error' in parsed) {
      problems[path] = parsed.error;
      return 0;
    }
    return parsed.minor;
  };

  const build = (): { body: NewRule; problems: Record<string, string> } => {
    const problems: Record<string, string> = {};
    let value: NewRule['action']['value'];
    if (valueKind === 'fixed') value = { kind: 'fixed', amountMinor: money(amount, 'action.value.amountMinor', problems) };
    else if (valueKind === 'offer_price')
      value = { kind: 'offer_price', offerPriceMinor: money(amount, 'action.value.offerPriceMinor', problems) };
    else if (valueKind === 'field')
      value = { kind: 'field', field: valueField.trim(), fallbackMinor: money(fallback, 'action.value.fallbackMinor', problems) };
    else {
      const amounts: Record<string, number> = {};
      for (const [id, text] of Object.entries(outcomeAmounts))
        if (text.trim()) amounts[id] = money(text, `action.value.amounts.${id}`, problems);
      value = { kind: 'quiz_outcome', amounts, fallbackMinor: money(fallback, 'action.value.fallbackMinor', problems) };
    }
    const ownerValue: NewRule['action']['owner'] =
      owner === 'none' ? { kind: 'none' } : owner === 'round_robin' ? { kind: 'round_robin' } : { kind: 'member', userId: owner };
    return {
      problems,
      body: {
        name,
        enabled,
        conditions,
        action: {
          pipelineId,
          stageId,
          value,
          currency,
          nameTemplate,
          ...(campaign.trim() ? { campaign } : {}),
          owner: ownerValue,
        },
      },
    };
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const { body, problems } = build();
    setLocal(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const saved = props.rule
        ? await call(api.funnels[':id'].rules[':ruleId'].$patch({ param: { id: props.funnelId, ruleId: props.rule.id }, json: body }))
        : await call(api.funnels[':id'].rules.$post({ param: { id: props.funnelId }, json: body }));
      toast(props.rule ? 'Rule saved' : 'Rule added');
      props.onSaved(saved);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const setCondition = (i: number, next: Condition) => setConditions(conditions.map((c, j) => (j === i ? next : c)));
  if (context.pipelines.length === 0) {
    return (
      <div class="inline-error" role="alert">
        <p>
          A rule puts qualified leads into a pipeline, and this workspace has none yet. <a href="/app/pipelines">Create a pipeline</a>, then
          come back.
        </p>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Close
        </button>
      </div>
    );
  }

  return (
    <form class="rule-form panel" onSubmit={submit} noValidate aria-label={props.rule ? `Edit ${props.rule.name}` : 'New rule'}>
      <h3 class="subheading">{props.rule ? `Edit “${props.rule.name}”` : 'New rule'}</h3>
      <Input
        id={`${idBase}-name`}
        label="Name"
        value={name}
        error={fieldError('name')}
        onInput={setName}
        disabled={can.disabled}
        placeholder="Quiz takers with a high score"
      />
      <div class="toggle-row field">
        <input
          type="checkbox"
          role="switch"
          class="switch"
          id={`${idBase}-enabled`}
          checked={enabled}
          disabled={can.disabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        <label for={`${idBase}-enabled`}>Rule is on</label>
      </div>

      <fieldset>
        <legend>When a lead meets all of these</legend>
        {conditions.length === 0 ? <p class="muted small">No conditions: every lead with history in this funnel qualifies.</p> : null}
        {conditions.map((c, i) => {
          const base = `${idBase}-conditions-${i}`;
          return (
            <div class="condition-row" key={i} role="group" aria-label={`Condition ${i + 1}`}>
              <div class="field">
                <label for={`${base}-kind`}>Condition</label>
                <select
                  id={`${base}-kind`}
                  value={c.kind}
                  disabled={can.disabled}
                  onChange={(e) => setCondition(i, newCondition(e.currentTarget.value as Condition['kind']))}
                >
                  {CONDITION_KINDS.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </div>
              {c.kind === 'score_at_least' ? (
                <Input
                  id={`${base}-score`}
                  label="Score"
                  inputMode="numeric"
                  value={String(c.score)}
                  error={fieldError(`conditions.${i}.score`)}
                  disabled={can.disabled}
                  onInput={(v) => setCondition(i, { ...c, score: v.trim() === '' || v.trim() === '-' ? 0 : Number(v) })}
                />
              ) : null}
              {c.kind === 'stage_reached' ? (
                <div class="field">
                  <label for={`${base}-stage`}>Stage (or later)</label>
                  <select
                    id={`${base}-stage`}
                    value={c.stage}
                    disabled={can.disabled}
                    onChange={(e) => setCondition(i, { ...c, stage: e.currentTarget.value as typeof c.stage })}
                  >
                    {FUNNEL_STAGES.map((s) => (
                      <option key={s} value={s}>
                        {stageLabel(s)}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              {c.kind === 'quiz_outcome_in' ? (
                context.outcomes.length ? (
                  <fieldset
                    class="check-list"
                    aria-describedby={fieldError(`conditions.${i}.outcomes`) ? `${base}-outcomes-error` : undefined}
                  >
                    <legend>Outcomes</legend>
                    {context.outcomes.map((o) => (
                      <label key={o.id}>
                        <input
                          type="checkbox"
                          checked={c.outcomes.includes(o.id)}
                          disabled={can.disabled}
                          onChange={(e) =>
                            setCondition(i, {
                              ...c,
                              outcomes: e.currentTarget.checked ? [...c.outcomes, o.id] : c.outcomes.filter((x) => x !== o.id),
                            })
                          }
                        />
                        <span>{o.title ?? o.id}</span>
                      </label>
                    ))}
                    {fieldError(`conditions.${i}.outcomes`) ? (
                      <p class="field-error" id={`${base}-outcomes-error`}>
                        {fieldError(`conditions.${i}.outcomes`)}
                      </p>
                    ) : null}
                  </fieldset>
                ) : (
                  <p class="field-error">This funnel has no quiz: choose another condition.</p>
                )
              ) : null}
              {c.kind === 'field' ? (
                <>
                  <Input
                    id={`${base}-field`}
                    label="Field name"
                    value={c.field}
                    error={fieldError(`conditions.${i}.field`)}
                    disabled={can.disabled}
                    placeholder="company"
                    onInput={(v) => setCondition(i, { ...c, field: v.trim() })}
                  />
                  <div class="field">
                    <label for={`${base}-op`}>Test</label>
                    <select
                      id={`${base}-op`}
                      value={c.op}
                      disabled={can.disabled}
                      onChange={(e) => setCondition(i, { ...c, op: e.currentTarget.value as typeof c.op })}
                    >
                      <option value="equals">equals</option>
                      <option value="contains">contains</option>
                    </select>
                  </div>
                  <Input
                    id={`${base}-value`}
                    label="Value"
                    value={c.value}
                    error={fieldError(`conditions.${i}.value`)}
                    disabled={can.disabled}
                    onInput={(v) => setCondition(i, { ...c, value: v })}
                  />
                </>
              ) : null}
              <button
                type="button"
                class="button small secondary"
                aria-label={`Remove condition ${i + 1}`}
                {...can}
                onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </div>
          );
        })}
        <p>
          <button
            type="button"
            class="button small secondary"
            {...can}
            disabled={can.disabled || conditions.length >= 20}
            onClick={() => setConditions([...conditions, newCondition('score_at_least')])}
          >
            Add a condition
          </button>
        </p>
      </fieldset>

      <fieldset>
        <legend>Then open a deal</legend>
        <div class="form-row">
          <div class="field">
            <label for={`${idBase}-action-pipelineId`}>Pipeline</label>
            <select
              id={`${idBase}-action-pipelineId`}
              value={pipelineId}
              disabled={can.disabled}
              onChange={(e) => {
                const next = context.pipelines.find((p) => p.id === e.currentTarget.value);
                setPipelineId(e.currentTarget.value);
                setStageId(next?.stages[0]?.id ?? '');
              }}
            >
              {context.pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            {fieldError('action.pipelineId') ? <p class="field-error">{fieldError('action.pipelineId')}</p> : null}
          </div>
          <div class="field">
            <label for={`${idBase}-action-stageId`}>Stage</label>
            <select
              id={`${idBase}-action-stageId`}
              value={stageId}
              disabled={can.disabled}
              onChange={(e) => setStageId(e.currentTarget.value)}
            >
              {(pipeline?.stages ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            {fieldError('action.stageId') ? <p class="field-error">{fieldError('action.stageId')}</p> : null}
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for={`${idBase}-value-kind`}>Deal value</label>
            <select
              id={`${idBase}-value-kind`}
              value={valueKind}
              disabled={can.disabled}
              onChange={(e) => setValueKind(e.currentTarget.value as ValueKind)}
            >
              <option value="fixed">A fixed amount</option>
              <option value="offer_price">The offer’s price</option>
              <option value="field">An amount the lead typed</option>
              <option value="quiz_outcome">An amount per quiz outcome</option>
            </select>
          </div>
          <Input
            id={`${idBase}-action-currency`}
            label="Currency"
            value={currency}
            error={fieldError('action.currency')}
            disabled={can.disabled}
            onInput={setCurrency}
            maxLength={3}
          />
        </div>
        {valueKind === 'fixed' || valueKind === 'offer_price' ? (
          <Input
            id={`${idBase}-amount`}
            label={valueKind === 'fixed' ? 'Amount' : 'Offer price'}
            inputMode="decimal"
            value={amount}
            placeholder="250"
            error={fieldError(valueKind === 'fixed' ? 'action.value.amountMinor' : 'action.value.offerPriceMinor')}
            disabled={can.disabled}
            onInput={setAmount}
          />
        ) : null}
        {valueKind === 'field' ? (
          <div class="form-row">
            <Input
              id={`${idBase}-value-field`}
              label="Field with the amount"
              value={valueField}
              error={fieldError('action.value.field')}
              disabled={can.disabled}
              onInput={setValueField}
            />
            <Input
              id={`${idBase}-fallback`}
              label="When it is empty"
              inputMode="decimal"
              value={fallback}
              placeholder="0"
              error={fieldError('action.value.fallbackMinor')}
              disabled={can.disabled}
              onInput={setFallback}
            />
          </div>
        ) : null}
        {valueKind === 'quiz_outcome' ? (
          <div class="form-row">
            {context.outcomes.map((o) => (
              <Input
                key={o.id}
                id={`${idBase}-amount-${o.id}`}
                label={o.title ?? o.id}
                inputMode="decimal"
                value={outcomeAmounts[o.id] ?? ''}
                error={fieldError(`action.value.amounts.${o.id}`)}
                disabled={can.disabled}
                onInput={(v) => setOutcomeAmounts({ ...outcomeAmounts, [o.id]: v })}
              />
            ))}
            <Input
              id={`${idBase}-fallback`}
              label="Other outcomes"
              inputMode="decimal"
              value={fallback}
              placeholder="0"
              error={fieldError('action.value.fallbackMinor')}
              disabled={can.disabled}
              onInput={setFallback}
            />
          </div>
        ) : null}
        <Input
          id={`${idBase}-action-nameTemplate`}
          label="Deal name"
          hint="Use {campaign}, {lead.name}, {lead.email}, {lead.company}, {funnel.name} or {quiz.outcome}."
          value={nameTemplate}
          error={fieldError('action.nameTemplate')}
          disabled={can.disabled}
          onInput={setNameTemplate}
        />
        <div class="form-row">
          <Input
            id={`${idBase}-action-campaign`}
            label="Campaign (optional)"
            hint="What {campaign} says; empty: the lead’s UTM campaign, else the funnel’s name."
            value={campaign}
            error={fieldError('action.campaign')}
            disabled={can.disabled}
            onInput={setCampaign}
          />
          <div class="field">
            <label for={`${idBase}-action-owner`}>Deal owner</label>
            <select id={`${idBase}-action-owner`} value={owner} disabled={can.disabled} onChange={(e) => setOwner(e.currentTarget.value)}>
              <option value="round_robin">Owners and editors in turn</option>
              <option value="none">Nobody yet</option>
              {context.members
                .filter((m) => m.role !== 'viewer')
                .map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name}
                  </option>
                ))}
            </select>
            {fieldError('action.owner.userId') ? <p class="field-error">{fieldError('action.owner.userId')}</p> : null}
          </div>
        </div>
      </fieldset>
      <ErrorSummary error={error} placed={placed} />
      {Object.keys(local).length ? (
        <p class="field-error" role="alert">
          Some amounts could not be read; see the fields marked above.
        </p>
      ) : null}
      <div class="button-row">
        <button type="submit" class="button" {...can} disabled={can.disabled || busy}>
          {busy ? 'Saving…' : props.rule ? 'Save rule' : 'Add rule'}
        </button>
        <button type="button" class="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The API's answer to a refused save: beside each field it names that the form shows, and here everything else. */
function ErrorSummary(props: { error: ApiError | null; placed: Set<string> }) {
  const { error } = props;
  if (!error) return null;
  const elsewhere = Object.entries(error.fields).filter(([path]) => !props.placed.has(path));
  const besideFields = Object.keys(error.fields).length > elsewhere.length;
  return (
    <div class="inline-error" role="alert">
      <p>
        {error.message}
        {besideFields ? ' The fields marked above say what to change.' : ''}
      </p>
      {elsewhere.length ? (
        <ul>
          {elsewhere.map(([path, message]) => (
            <li key={path}>{path ? `${path}: ${message}` : message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Input(props: {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal';
  maxLength?: number;
  onInput: (v: string) => void;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        value={props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
