import type { InferRequestType, InferResponseType } from 'hono/client';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { EVENT_TYPES } from '../../../../workers/contract';
import { api, ApiError, call } from '../../api';
import { formatCount, formatMoney } from '../../format';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { eventLabel } from '../leads/labels';
import { SettingsView } from './frame';
import { describeAction, describeCondition, RuleForm } from './rule-form';

type ScoringState = InferResponseType<(typeof api.funnels)[':id']['scoring']['$get'], 200>;
type Scoring = InferRequestType<(typeof api.funnels)[':id']['scoring']['$put']>['json'];
export type Rule = InferResponseType<(typeof api.funnels)[':id']['rules']['$get'], 200>['rules'][number];
type DryRun = Extract<InferResponseType<(typeof api.funnels)[':id']['rules'][':ruleId']['test']['$post'], 200>, { evaluated: number }>;

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

/** Lead scoring and qualification rules of one funnel (`/app/settings/scoring/:funnelId`; without one, the first funnel). */
export default function ScoringSettings(props: { funnelId?: string }) {
  const { route } = useLocation();
  const funnels = useResource(() => call(api.funnels.$get()));
  const list = funnels.data?.funnels;
  const funnelId = props.funnelId ?? list?.[0]?.id;
  // The bare URL shows the first funnel; the address says which, so reload and back keep it.
  useEffect(() => {
    if (!props.funnelId && list?.[0]) route(`/app/settings/scoring/${list[0].id}`, true);
  }, [props.funnelId, list]);
  const funnel = list?.find((f) => f.id === funnelId);

  return (
    <SettingsView
      title="Scoring & rules"
      lede="Points for what a lead does in a funnel, and the rules that turn leads into deals in a pipeline."
    >
      {funnels.error ? <InlineError error={funnels.error} onRetry={funnels.reload} /> : null}
      {!list && funnels.loading ? <Skeleton rows={2} label="Loading funnels…" /> : null}
      {list && list.length === 0 ? (
        <EmptyState
          title="No funnels yet"
          action={
            <a class="button" href="/app/funnels/new">
              Create a funnel
            </a>
          }
        >
          Scoring and qualification rules belong to a funnel: create one first.
        </EmptyState>
      ) : null}
      {list && list.length > 0 ? (
        <div class="field funnel-picker">
          <label for="scoring-funnel">Funnel</label>
          <select id="scoring-funnel" value={funnelId} onChange={(e) => route(`/app/settings/scoring/${e.currentTarget.value}`)}>
            {list.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {list && props.funnelId && !funnel ? (
        <InlineError error="This funnel is not in this workspace (it may have been deleted). Pick another above." />
      ) : null}
      {funnel ? (
        <>
          <ScoringEditor key={`s-${funnel.id}`} funnelId={funnel.id} />
          <Rules key={`r-${funnel.id}`} funnelId={funnel.id} />
        </>
      ) : null}
    </SettingsView>
  );
}

// ── Scoring ──────────────────────────────────────────────────────────────────

/** Text inputs for every number, so a half-typed "-" is not lost; parsed on save. */
interface Draft {
  events: Record<string, string>;
  quizOutcomes: Record<string, string>;
  fields: Array<{ field: string; equals: string; points: string }>;
  leadMagnet: string;
}

function toDraft(s: ScoringState['scoring'], outcomes: ScoringState['quizOutcomes']): Draft {
  const quiz: Record<string, string> = {};
  for (const o of outcomes) quiz[o.id] = String(s.quizOutcomes[o.id] ?? '');
  for (const [id, points] of Object.entries(s.quizOutcomes)) quiz[id] ??= String(points);
  return {
    events: Object.fromEntries(EVENT_TYPES.map((t) => [t, String(s.events[t] ?? '')])),
    quizOutcomes: quiz,
    fields: s.fields.map((f) => ({ field: f.field, equals: f.equals, points: String(f.points) })),
    leadMagnet: String(s.leadMagnet),
  };
}

/** Empty means 0 (nothing); anything else goes as typed, so the API's message names what is wrong. */
const num = (text: string) => (text.trim() === '' ? 0 : Number(text.trim()));

function fromDraft(d: Draft): Scoring {
  const events: Record<string, number> = {};
  for (const [t, v] of Object.entries(d.events)) if (v.trim() !== '' && num(v) !== 0) events[t] = num(v);
  const quizOutcomes: Record<string, number> = {};
  for (const [id, v] of Object.entries(d.quizOutcomes)) if (v.trim() !== '' && num(v) !== 0) quizOutcomes[id] = num(v);
  return {
    events,
    quizOutcomes,
    fields: d.fields.map((f) => ({ field: f.field.trim(), equals: f.equals, points: num(f.points) })),
    leadMagnet: num(d.leadMagnet),
  };
}

function ScoringEditor(props: { funnelId: string }) {
  const state = useResource(() => call(api.funnels[':id'].scoring.$get({ param: { id: props.funnelId } })), [props.funnelId]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const can = editable();
  useEffect(() => {
    if (state.data) setDraft(toDraft(state.data.scoring, state.data.quizOutcomes));
  }, [state.data]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await call(api.funnels[':id'].scoring.$put({ param: { id: props.funnelId }, json: fromDraft(draft) }));
      state.mutate(() => saved);
      toast(
        saved.rescoring === 'done'
          ? `Scoring saved; ${formatCount(saved.rescoredLeads)} ${saved.rescoredLeads === 1 ? 'lead' : 'leads'} rescored`
          : `Scoring saved; ${formatCount(saved.rescoredLeads)} leads are being rescored`,
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const reset = async () => {
    const ok = await confirm({
      title: 'Go back to the default scoring?',
      message:
        'This funnel’s own points are removed and its leads are rescored with the defaults. Rules that read the score may qualify different leads.',
      confirmLabel: 'Reset to default',
      danger: true,
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await call(api.funnels[':id'].scoring.$delete({ param: { id: props.funnelId } }));
      state.mutate(() => saved);
      toast('Scoring reset to the default');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (path: string) => error?.fields[path];
  const data = state.data;
  return (
    <section class="panel" aria-labelledby="scoring-heading">
      <div class="panel-head">
        <h2 id="scoring-heading">Lead scoring</h2>
        {data ? (
          <span class={data.isDefault ? 'status' : 'status status-live'}>{data.isDefault ? 'Default points' : 'Custom points'}</span>
        ) : null}
      </div>
      <p class="panel-note muted">
        Each thing a lead does in this funnel counts once. A lead’s score is the sum over every funnel it has been through; saving rescores
        this funnel’s leads.
      </p>
      {state.error ? <InlineError error={state.error} onRetry={state.reload} /> : null}
      {!draft && state.loading ? <Skeleton rows={6} label="Loading the scoring…" /> : null}
      {draft && data ? (
        <form onSubmit={save} noValidate>
          <table class="table stack points-table">
            <caption class="visually-hidden">Points per event</caption>
            <thead>
              <tr>
                <th scope="col">When the lead…</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {EVENT_TYPES.map((t) => (
                <tr key={t}>
                  <th scope="row" data-label="Event">
                    <label for={`points-${t}`}>{eventLabel(t)}</label>
                  </th>
                  <td data-label="Points">
                    <PointsInput
                      id={`points-${t}`}
                      value={draft.events[t] ?? ''}
                      error={field(`events.${t}`)}
                      placeholder={String(data.defaultScoring.events[t] ?? 0)}
                      disabled={can.disabled}
                      onInput={(v) => setDraft({ ...draft, events: { ...draft.events, [t]: v } })}
                    />
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row" data-label="Event">
                  <label for="points-lead-magnet">Used a lead magnet (bonus, once)</label>
                </th>
                <td data-label="Points">
                  <PointsInput
                    id="points-lead-magnet"
                    value={draft.leadMagnet}
                    error={field('leadMagnet')}
                    disabled={can.disabled}
                    onInput={(v) => setDraft({ ...draft, leadMagnet: v })}
                  />
                </td>
              </tr>
            </tbody>
          </table>

          <h3 class="subheading">Quiz outcomes</h3>
          {Object.keys(draft.quizOutcomes).length === 0 ? (
            <p class="muted">This funnel has no quiz. Add a quiz block to a page to score its outcomes here.</p>
          ) : (
            <table class="table stack points-table">
              <caption class="visually-hidden">Points per quiz outcome</caption>
              <thead>
                <tr>
                  <th scope="col">Latest outcome</th>
                  <th scope="col">Points</th>
                </tr>
              </thead>
              <tbody>
                {Object.keys(draft.quizOutcomes).map((id) => {
                  const known = data.quizOutcomes.find((o) => o.id === id);
                  return (
                    <tr key={id}>
                      <th scope="row" data-label="Outcome">
                        <label for={`points-outcome-${id}`}>
                          {known?.title ?? id}{' '}
                          <span class="muted small">({known ? `${id}, quiz on ${known.page}` : 'no longer in the quiz'})</span>
                        </label>
                      </th>
                      <td data-label="Points">
                        <PointsInput
                          id={`points-outcome-${id}`}
                          value={draft.quizOutcomes[id] ?? ''}
                          error={field(`quizOutcomes.${id}`)}
                          disabled={can.disabled}
                          onInput={(v) => setDraft({ ...draft, quizOutcomes: { ...draft.quizOutcomes, [id]: v } })}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          <h3 class="subheading">Form answers</h3>
          <p class="field-hint">Points when the lead’s latest answer to a field equals a value (not case-sensitive).</p>
          {draft.fields.map((f, i) => {
            const set = (patch: Partial<typeof f>) =>
              setDraft({ ...draft, fields: draft.fields.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div class="condition-row" key={i} role="group" aria-label={`Answer rule ${i + 1}`}>
                <SmallField
                  id={`answer-field-${i}`}
                  label="Field name"
                  value={f.field}
                  error={field(`fields.${i}.field`)}
                  disabled={can.disabled}
                  onInput={(v) => set({ field: v })}
                  placeholder="skin_type"
                />
                <SmallField
                  id={`answer-equals-${i}`}
                  label="Answer"
                  value={f.equals}
                  error={field(`fields.${i}.equals`)}
                  disabled={can.disabled}
                  onInput={(v) => set({ equals: v })}
                  placeholder="dry"
                />
                <div class="field">
                  <label for={`answer-points-${i}`}>Points</label>
                  <PointsInput
                    id={`answer-points-${i}`}
                    value={f.points}
                    error={field(`fields.${i}.points`)}
                    disabled={can.disabled}
                    onInput={(v) => set({ points: v })}
                  />
                </div>
                <button
                  type="button"
                  class="button small secondary"
                  aria-label={`Remove answer rule ${i + 1}`}
                  {...can}
                  onClick={() => setDraft({ ...draft, fields: draft.fields.filter((_, j) => j !== i) })}
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
              onClick={() => setDraft({ ...draft, fields: [...draft.fields, { field: '', equals: '', points: '10' }] })}
            >
              Add an answer rule
            </button>
          </p>
          {error && Object.keys(error.fields).length === 0 ? <InlineError error={error} /> : null}
          {error && Object.keys(error.fields).length > 0 ? (
            <p class="field-error" role="alert">
              {error.message} The fields marked above say what to change.
            </p>
          ) : null}
          <div class="button-row">
            <button type="submit" class="button" {...can} disabled={can.disabled || busy}>
              {busy ? 'Saving…' : 'Save scoring'}
            </button>
            <button
              type="button"
              class="button secondary"
              {...can}
              disabled={can.disabled || busy || data.isDefault}
              onClick={() => void reset()}
            >
              Reset to default
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

function PointsInput(props: {
  id: string;
  value: string;
  error?: string | undefined;
  placeholder?: string;
  disabled: boolean;
  onInput: (v: string) => void;
}) {
  return (
    <>
      <input
        id={props.id}
        type="text"
        inputMode="numeric"
        class="points"
        value={props.value}
        placeholder={props.placeholder ?? '0'}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </>
  );
}

export function SmallField(props: {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  disabled?: boolean;
  placeholder?: string;
  onInput: (v: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={props.value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
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

// ── Rules ────────────────────────────────────────────────────────────────────

function Rules(props: { funnelId: string }) {
  const rules = useResource(() => call(api.funnels[':id'].rules.$get({ param: { id: props.funnelId } })), [props.funnelId]);
  const pipelines = useResource(() => call(api.pipelines.$get()));
  const scoring = useResource(() => call(api.funnels[':id'].scoring.$get({ param: { id: props.funnelId } })), [props.funnelId]);
  const members = useResource(() => call(api.workspace.members.$get()));
  /** The rule being edited, or 'new'. */
  const [editing, setEditing] = useState<string | null>(null);
  const [runs, setRuns] = useState<Record<string, DryRun | ApiError | 'running'>>({});
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const can = editable();

  const context =
    pipelines.data && scoring.data && members.data
      ? { pipelines: pipelines.data.pipelines, outcomes: scoring.data.quizOutcomes, members: members.data.members }
      : null;

  const dryRun = async (rule: Rule) => {
    setRuns((r) => ({ ...r, [rule.id]: 'running' }));
    try {
      // No body: the rule is tried on the funnel's recent leads (with a body, on one lead).
      const result = (await call(
        api.funnels[':id'].rules[':ruleId'].test.$post({ param: { id: props.funnelId, ruleId: rule.id }, json: {} }),
      )) as DryRun;
      setRuns((r) => ({ ...r, [rule.id]: result }));
    } catch (err) {
      setRuns((r) => ({ ...r, [rule.id]: asApiError(err) }));
    }
  };

  const remove = async (rule: Rule) => {
    const ok = await confirm({
      title: `Delete the rule “${rule.name}”?`,
      message: 'Leads are no longer qualified by it. Deals it already made stay where they are.',
      confirmLabel: 'Delete rule',
      danger: true,
    });
    if (!ok) return;
    setRowError(null);
    try {
      await call(api.funnels[':id'].rules[':ruleId'].$delete({ param: { id: props.funnelId, ruleId: rule.id } }));
      rules.mutate((d) => ({ rules: d.rules.filter((r) => r.id !== rule.id) }));
      toast('Rule deleted');
    } catch (err) {
      setRowError({ id: rule.id, message: asApiError(err).message });
    }
  };

  const list = rules.data?.rules;
  const loadError = rules.error ?? pipelines.error ?? scoring.error ?? members.error;
  return (
    <section class="panel" aria-labelledby="rules-heading">
      <div class="panel-head">
        <h2 id="rules-heading">Qualification rules</h2>
        {editing === null && list && list.length > 0 ? (
          <button type="button" class="button small" {...can} onClick={() => setEditing('new')}>
            New rule
          </button>
        ) : null}
      </div>
      <p class="panel-note muted">
        When a lead meets every condition of a rule, it is qualified and gets a deal in the rule’s pipeline stage. Rules are tried in this
        order; a pipeline gets one deal per lead.
      </p>
      {loadError ? (
        <InlineError error={loadError} onRetry={() => [rules, pipelines, scoring, members].forEach((r) => r.error && r.reload())} />
      ) : null}
      {(!list || !context) && !loadError ? <Skeleton rows={3} label="Loading the rules…" /> : null}
      {list && context && editing === 'new' ? (
        <RuleForm
          funnelId={props.funnelId}
          context={context}
          onCancel={() => setEditing(null)}
          onSaved={(rule) => {
            rules.mutate((d) => ({ rules: [...d.rules, rule] }));
            setEditing(null);
          }}
        />
      ) : null}
      {list && context && list.length === 0 && editing !== 'new' ? (
        <EmptyState
          title="No rules yet"
          action={
            <button type="button" class="button" {...can} onClick={() => setEditing('new')}>
              New rule
            </button>
          }
        >
          Without a rule, this funnel’s leads stay leads. Add one, e.g. “score at least 40 → a deal in Lead qualification”.
        </EmptyState>
      ) : null}
      {list && context
        ? list.map((rule) =>
            editing === rule.id ? (
              <RuleForm
                key={rule.id}
                funnelId={props.funnelId}
                rule={rule}
                context={context}
                onCancel={() => setEditing(null)}
                onSaved={(saved) => {
                  rules.mutate((d) => ({ rules: d.rules.map((r) => (r.id === saved.id ? saved : r)) }));
                  setEditing(null);
                }}
              />
            ) : (
              <article class="rule" key={rule.id} aria-labelledby={`rule-${rule.id}`}>
                <div class="rule-head">
                  <h3 id={`rule-${rule.id}`}>
                    {rule.name} {rule.enabled ? null : <span class="status">Off</span>}
                  </h3>
                  <div class="row-actions">
                    <button
                      type="button"
                      class="button small secondary"
                      onClick={() => void dryRun(rule)}
                      {...can}
                      disabled={can.disabled || runs[rule.id] === 'running'}
                    >
                      {runs[rule.id] === 'running' ? 'Trying…' : 'Dry run'}
                    </button>
                    <button
                      type="button"
                      class="button small secondary"
                      aria-label={`Edit ${rule.name}`}
                      {...can}
                      onClick={() => setEditing(rule.id)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="button small danger-outline"
                      aria-label={`Delete ${rule.name}`}
                      {...can}
                      onClick={() => void remove(rule)}
                    >
                      Delete
                    </button>
                  </div>
                </div>
                <p class="small">
                  <strong>When</strong>{' '}
                  {rule.conditions.length ? rule.conditions.map(describeCondition).join(' and ') : 'any lead with history in this funnel'}{' '}
                  <strong>then</strong> {describeAction(rule.action, context)}
                </p>
                {rule.problems.length ? (
                  <p class="row-error">Skipped until fixed: {rule.problems.map((p) => p.message).join(' ')}</p>
                ) : null}
                {rowError?.id === rule.id ? <p class="row-error">{rowError.message}</p> : null}
                <DryRunResult run={runs[rule.id]} onRetry={() => void dryRun(rule)} />
              </article>
            ),
          )
        : null}
    </section>
  );
}

/** Leads listed before "Show all": enough to see why, short enough to keep the other rules in view. */
const DRY_RUN_FIRST = 10;

function DryRunResult(props: { run: DryRun | ApiError | 'running' | undefined; onRetry: () => void }) {
  const { run } = props;
  const [all, setAll] = useState(false);
  if (!run || run === 'running') return null;
  if (run instanceof ApiError) return <InlineError error={run} onRetry={props.onRetry} />;
  return (
    <div class="dry-run" role="region" aria-label="Dry run result">
      <p>
        <strong>
          {formatCount(run.matched)} of the {formatCount(run.evaluated)} most recent leads
        </strong>{' '}
        of this funnel would qualify. Nothing was changed.
      </p>
      {run.leads.length > 0 ? (
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">Lead</th>
              <th scope="col">Why</th>
              <th scope="col">Deal it would get</th>
            </tr>
          </thead>
          <tbody>
            {(all ? run.leads : run.leads.slice(0, DRY_RUN_FIRST)).map((l) => (
              <tr key={l.id}>
                <th scope="row" data-label="Lead">
                  <a href={`/app/leads/${l.id}`}>{l.name ?? l.email}</a>
                  <div class="muted small">score {l.score}</div>
                </th>
                <td data-label="Why">
                  {l.conditions.length === 0
                    ? 'Has history in this funnel (the rule has no conditions).'
                    : l.conditions.map((c, i) => (
                        <div key={i}>
                          <span class={c.met ? 'met' : 'unmet'}>{c.met ? '✓' : '✗'}</span> {describeCondition(c.condition)}
                          {c.actual !== null && typeof c.actual !== 'boolean' ? <span class="muted"> (has {String(c.actual)})</span> : null}
                        </div>
                      ))}
                </td>
                <td data-label="Deal">
                  {l.deal ? (
                    <>
                      {l.deal.name}
                      <div class="muted small">{formatMoney(l.deal.valueMinor, l.deal.currency)}</div>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No recent lead meets every condition. Loosen a condition, or wait for more leads.</p>
      )}
      {!all && run.leads.length > DRY_RUN_FIRST ? (
        <button type="button" class="button small secondary" onClick={() => setAll(true)}>
          Show all {run.leads.length} listed leads
        </button>
      ) : null}
      {run.matched > run.leads.length ? <p class="muted small">The first {run.leads.length} are listed.</p> : null}
    </div>
  );
}
