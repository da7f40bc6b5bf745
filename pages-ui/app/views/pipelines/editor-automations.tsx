/**
 * The article's B2C automations for this pipeline: browse and checkout abandonment, purchase (and
 * post-purchase after some days) and unsubscribe, each with its stage and delay; which funnels feed
 * them; on / off; "Run now" instead of waiting for the scheduler; and the latest steps they took.
 * A pipeline that never saved any starts from the configuration the server suggests from its stages.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, call } from '../../api';
import { formatDate } from '../../format';
import { editable } from '../../shell/can-edit';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { canEdit } from '../../state';
import { asApiError, numberOrText, type AutomationConfig, type AutomationRun, type Pipeline, type Stage } from './editor-types';

interface Draft {
  enabled: boolean;
  allFunnels: boolean;
  funnelIds: string[];
  browse: { on: boolean; stageId: string; afterHours: string };
  checkout: { on: boolean; stageId: string; afterMinutes: string };
  purchase: { on: boolean; wonStageId: string; postPurchaseStageId: string; postPurchaseAfterDays: string };
  unsubscribe: { on: boolean; lostStageId: string; reason: string };
}

const AUTOMATION_LABELS: Record<string, string> = {
  'automation:browse_abandonment': 'Browse abandonment',
  'automation:checkout_abandonment': 'Checkout abandonment',
  'automation:purchase': 'Purchase',
  'automation:post_purchase': 'Post-purchase',
  'automation:unsubscribe': 'Unsubscribe',
};

/** The form's values: each step from the stored configuration, else from the suggestion (switched off), else the first stage of its kind. */
function draftOf(stored: AutomationConfig | null, defaults: AutomationConfig, stages: Stage[]): Draft {
  const c = stored ?? defaults;
  const first = (kind: Stage['kind']) => stages.find((s) => s.kind === kind)?.id ?? '';
  const browse = c.browseAbandonment ?? defaults.browseAbandonment;
  const checkout = c.checkoutAbandonment ?? defaults.checkoutAbandonment;
  const purchase = c.purchase ?? defaults.purchase;
  const unsubscribe = c.unsubscribe ?? defaults.unsubscribe;
  return {
    enabled: stored?.enabled ?? false,
    allFunnels: c.funnelIds === null,
    funnelIds: c.funnelIds ?? [],
    browse: { on: !!c.browseAbandonment, stageId: browse?.stageId ?? first('open'), afterHours: String(browse?.afterHours ?? 4) },
    checkout: {
      on: !!c.checkoutAbandonment,
      stageId: checkout?.stageId ?? first('open'),
      afterMinutes: String(checkout?.afterMinutes ?? 60),
    },
    purchase: {
      on: !!c.purchase,
      wonStageId: purchase?.wonStageId ?? first('won'),
      postPurchaseStageId: purchase?.postPurchaseStageId ?? '',
      postPurchaseAfterDays: String(purchase?.postPurchaseAfterDays ?? 7),
    },
    unsubscribe: {
      on: !!c.unsubscribe,
      lostStageId: unsubscribe?.lostStageId ?? first('lost'),
      reason: unsubscribe?.reason ?? 'unsubscribed',
    },
  };
}

async function loadAutomations(pipelineId: string) {
  const [automations, { funnels }] = await Promise.all([
    call(api.pipelines[':id'].automations.$get({ param: { id: pipelineId } })),
    call(api.funnels.$get()),
  ]);
  return { ...automations, funnels: funnels.map((f) => ({ id: f.id, name: f.name })) };
}

export function AutomationsPanel(props: { pipeline: Pipeline }) {
  const { pipeline } = props;
  // Stage names and kinds are part of what the server checks: load again when they change.
  const stageKey = pipeline.stages.map((s) => `${s.id}:${s.kind}:${s.name}`).join();
  const data = useResource(() => loadAutomations(pipeline.id), [pipeline.id, stageKey]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'save' | 'run' | null>(null);
  const [run, setRun] = useState<AutomationRun | null>(null);

  useEffect(() => {
    if (data.data) setDraft(draftOf(data.data.automations, data.data.defaults, pipeline.stages));
  }, [data.data]);

  if (data.error) return <InlineError error={data.error} onRetry={data.reload} title="The automations did not load." />;
  if (!data.data || !draft) return <Skeleton rows={4} label="Loading the automations…" />;
  const { automations: stored, problems, recent, funnels } = data.data;
  const stages = pipeline.stages;
  const byKind = (kind: Stage['kind']) => stages.filter((s) => s.kind === kind);
  const stageName = (id: string | null) => stages.find((s) => s.id === id)?.name ?? 'a deleted stage';
  const edit = editable();
  const locked = edit.disabled || busy !== null;
  const set = (update: (d: Draft) => Draft) => {
    setDraft((d) => (d ? update(d) : d));
    setFailure(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy('save');
    setErrors({});
    setFailure(null);
    try {
      const d = draft;
      const result = await call(
        api.pipelines[':id'].automations.$put({
          param: { id: pipeline.id },
          json: {
            enabled: d.enabled,
            funnelIds: d.allFunnels ? null : d.funnelIds,
            browseAbandonment: d.browse.on ? { stageId: d.browse.stageId, afterHours: numberOrText(d.browse.afterHours) } : null,
            checkoutAbandonment: d.checkout.on
              ? { stageId: d.checkout.stageId, afterMinutes: numberOrText(d.checkout.afterMinutes) }
              : null,
            purchase: d.purchase.on
              ? {
                  wonStageId: d.purchase.wonStageId,
                  postPurchaseStageId: d.purchase.postPurchaseStageId || null,
                  postPurchaseAfterDays: numberOrText(d.purchase.postPurchaseAfterDays),
                }
              : null,
            unsubscribe: d.unsubscribe.on ? { lostStageId: d.unsubscribe.lostStageId, reason: d.unsubscribe.reason } : null,
          },
        }),
      );
      toast(result.automations.enabled ? 'Automations saved and on' : 'Automations saved (off)');
      data.reload();
    } catch (err) {
      const apiError = asApiError(err);
      if (Object.keys(apiError.fields).length) setErrors(apiError.fields);
      setFailure(apiError);
    } finally {
      setBusy(null);
    }
  };

  const runNow = async () => {
    setBusy('run');
    setFailure(null);
    try {
      const report = await call(api.pipelines[':id'].automations.run.$post({ param: { id: pipeline.id } }));
      setRun(report.run);
      toast(`Automations ran: ${report.run.steps.length} ${report.run.steps.length === 1 ? 'step' : 'steps'} taken`);
      data.reload();
    } catch (err) {
      setFailure(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  /** A field's error, by the API's path (e.g. `browseAbandonment.afterHours`). */
  const err = (path: string) => errors[path];
  const invalid = (path: string, id: string) =>
    err(path) ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : { 'aria-describedby': edit['aria-describedby'] };
  const errorText = (path: string, id: string) =>
    err(path) ? (
      <p class="field-error" id={`${id}-error`}>
        {err(path)}
      </p>
    ) : null;
  const stageSelect = (
    id: string,
    label: string,
    path: string,
    value: string,
    options: Stage[],
    onChange: (v: string) => void,
    none?: string,
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} {...edit} {...invalid(path, id)} disabled={locked} onChange={(e) => onChange(e.currentTarget.value)}>
        {none !== undefined ? <option value="">{none}</option> : null}
        {options.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {errorText(path, id)}
    </div>
  );
  const numberField = (id: string, label: string, path: string, value: string, min: number, max: number, onChange: (v: string) => void) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={value}
        {...edit}
        {...invalid(path, id)}
        disabled={locked}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      {errorText(path, id)}
    </div>
  );
  const stepToggle = (id: string, label: string, on: boolean, onChange: (on: boolean) => void) => (
    <div class="toggle-row">
      <input type="checkbox" id={id} checked={on} {...edit} disabled={locked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
  const general = failure && !Object.keys(failure.fields).length ? failure : null;

  return (
    <section class="panel" aria-labelledby="pe-auto-heading">
      <div class="panel-head">
        <h2 id="pe-auto-heading">B2C automations</h2>
        <button
          type="button"
          class="button secondary"
          onClick={() => void runNow()}
          {...edit}
          disabled={locked || !stored?.enabled}
          aria-describedby="pe-run-help"
        >
          {busy === 'run' ? 'Running…' : 'Run now'}
        </button>
      </div>
      <p class="muted panel-note" id="pe-run-help">
        Move deals as known visitors browse, abandon a checkout, buy or unsubscribe — the article’s B2C pipeline without a sales call. They
        run on a schedule; “Run now” runs them at once {stored?.enabled ? '' : '(turn them on and save first)'}. A deal someone moved by
        hand is left where they put it.
      </p>
      {problems.length ? (
        <div class="warning" role="note">
          <p>These steps are skipped until they are fixed:</p>
          <ul>
            {problems.map((p) => (
              <li key={p.path}>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {general ? <InlineError error={general} onRetry={general.retryable ? () => void runNow() : undefined} /> : null}
      <form onSubmit={save} noValidate class="pe-auto-form">
        <div class="toggle-row">
          <input
            type="checkbox"
            role="switch"
            class="switch"
            id="pe-auto-enabled"
            checked={draft.enabled}
            {...edit}
            {...invalid('enabled', 'pe-auto-enabled')}
            disabled={locked}
            onChange={(e) => set((d) => ({ ...d, enabled: e.currentTarget.checked }))}
          />
          <label for="pe-auto-enabled">Automations on</label>
        </div>
        {errorText('enabled', 'pe-auto-enabled')}

        <fieldset class="pe-fieldset">
          <legend>Which visitors</legend>
          <div class="toggle-row">
            <input
              type="checkbox"
              id="pe-auto-all-funnels"
              checked={draft.allFunnels}
              {...edit}
              disabled={locked}
              onChange={(e) => set((d) => ({ ...d, allFunnels: e.currentTarget.checked }))}
            />
            <label for="pe-auto-all-funnels">Visitors of every funnel</label>
          </div>
          {!draft.allFunnels ? (
            <ul class="pe-funnels">
              {funnels.length === 0 ? <li class="muted">This workspace has no funnels yet.</li> : null}
              {funnels.map((f, i) => (
                <li key={f.id} class="toggle-row">
                  <input
                    type="checkbox"
                    id={`pe-auto-funnel-${f.id}`}
                    checked={draft.funnelIds.includes(f.id)}
                    {...edit}
                    {...invalid(`funnelIds.${i}`, `pe-auto-funnel-${f.id}`)}
                    disabled={locked}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      set((d) => ({ ...d, funnelIds: on ? [...d.funnelIds, f.id] : d.funnelIds.filter((x) => x !== f.id) }));
                    }}
                  />
                  <label for={`pe-auto-funnel-${f.id}`}>{f.name}</label>
                </li>
              ))}
            </ul>
          ) : null}
          {errorText('funnelIds', 'pe-auto-funnels')}
        </fieldset>

        <fieldset class="pe-fieldset">
          <legend>Browse abandonment</legend>
          {stepToggle('pe-auto-browse', 'Viewed a product or offer and did not check out', draft.browse.on, (on) =>
            set((d) => ({ ...d, browse: { ...d.browse, on } })),
          )}
          {draft.browse.on ? (
            <div class="form-row">
              {stageSelect(
                'pe-auto-browse-stage',
                'Move the deal to',
                'browseAbandonment.stageId',
                draft.browse.stageId,
                byKind('open'),
                (v) => set((d) => ({ ...d, browse: { ...d.browse, stageId: v } })),
              )}
              {numberField('pe-auto-browse-hours', 'After (hours)', 'browseAbandonment.afterHours', draft.browse.afterHours, 1, 720, (v) =>
                set((d) => ({ ...d, browse: { ...d.browse, afterHours: v } })),
              )}
            </div>
          ) : null}
        </fieldset>

        <fieldset class="pe-fieldset">
          <legend>Checkout abandonment</legend>
          {stepToggle('pe-auto-checkout', 'Started a checkout and did not pay', draft.checkout.on, (on) =>
            set((d) => ({ ...d, checkout: { ...d.checkout, on } })),
          )}
          {draft.checkout.on ? (
            <div class="form-row">
              {stageSelect(
                'pe-auto-checkout-stage',
                'Move the deal to',
                'checkoutAbandonment.stageId',
                draft.checkout.stageId,
                byKind('open'),
                (v) => set((d) => ({ ...d, checkout: { ...d.checkout, stageId: v } })),
              )}
              {numberField(
                'pe-auto-checkout-minutes',
                'After (minutes)',
                'checkoutAbandonment.afterMinutes',
                draft.checkout.afterMinutes,
                1,
                10080,
                (v) => set((d) => ({ ...d, checkout: { ...d.checkout, afterMinutes: v } })),
              )}
            </div>
          ) : null}
        </fieldset>

        <fieldset class="pe-fieldset">
          <legend>Purchase</legend>
          {stepToggle('pe-auto-purchase', 'A purchase wins the deal, with the order’s amount', draft.purchase.on, (on) =>
            set((d) => ({ ...d, purchase: { ...d.purchase, on } })),
          )}
          {draft.purchase.on ? (
            <div class="form-row">
              {stageSelect('pe-auto-won-stage', 'Won stage', 'purchase.wonStageId', draft.purchase.wonStageId, byKind('won'), (v) =>
                set((d) => ({ ...d, purchase: { ...d.purchase, wonStageId: v } })),
              )}
              {stageSelect(
                'pe-auto-post-stage',
                'Then post-purchase',
                'purchase.postPurchaseStageId',
                draft.purchase.postPurchaseStageId,
                byKind('won'),
                (v) => set((d) => ({ ...d, purchase: { ...d.purchase, postPurchaseStageId: v } })),
                'Stay in the won stage',
              )}
              {draft.purchase.postPurchaseStageId
                ? numberField(
                    'pe-auto-post-days',
                    'After (days; 0 at once)',
                    'purchase.postPurchaseAfterDays',
                    draft.purchase.postPurchaseAfterDays,
                    0,
                    365,
                    (v) => set((d) => ({ ...d, purchase: { ...d.purchase, postPurchaseAfterDays: v } })),
                  )
                : null}
            </div>
          ) : null}
        </fieldset>

        <fieldset class="pe-fieldset">
          <legend>Unsubscribe</legend>
          {stepToggle('pe-auto-unsub', 'Unsubscribed without buying: the deal is lost', draft.unsubscribe.on, (on) =>
            set((d) => ({ ...d, unsubscribe: { ...d.unsubscribe, on } })),
          )}
          {draft.unsubscribe.on ? (
            <div class="form-row">
              {stageSelect(
                'pe-auto-lost-stage',
                'Lost stage',
                'unsubscribe.lostStageId',
                draft.unsubscribe.lostStageId,
                byKind('lost'),
                (v) => set((d) => ({ ...d, unsubscribe: { ...d.unsubscribe, lostStageId: v } })),
              )}
              <div class="field">
                <label for="pe-auto-reason">Lost reason</label>
                <input
                  id="pe-auto-reason"
                  value={draft.unsubscribe.reason}
                  maxLength={200}
                  {...edit}
                  {...invalid('unsubscribe.reason', 'pe-auto-reason')}
                  disabled={locked}
                  onInput={(e) => {
                    const reason = e.currentTarget.value;
                    set((d) => ({ ...d, unsubscribe: { ...d.unsubscribe, reason } }));
                  }}
                />
                {errorText('unsubscribe.reason', 'pe-auto-reason')}
              </div>
            </div>
          ) : null}
        </fieldset>
        <button type="submit" class="button" {...edit} disabled={!canEdit.value || busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Save automations'}
        </button>
      </form>

      {run ? (
        <div class="pe-run" role="status">
          <h3>Last run, {new Date(run.ranAt).toLocaleTimeString()}</h3>
          <p>
            {run.steps.length === 0 ? 'Nothing was due.' : `${run.steps.length} ${run.steps.length === 1 ? 'step' : 'steps'} taken.`}
            {run.raced ? ` ${run.raced} left for the next run (taken by another run or moved meanwhile).` : ''}{' '}
            <span class="muted">Looked at visitor activity since {new Date(run.window.from).toLocaleString()}.</span>
          </p>
          {run.steps.length ? (
            <ul>
              {run.steps.map((s) => (
                <li key={s.key}>
                  {AUTOMATION_LABELS[`automation:${s.automation}`] ?? s.automation}: deal {s.action} in “{stageName(s.toStageId)}”
                </li>
              ))}
            </ul>
          ) : null}
          {[...run.problems, ...run.errors].map((p) => (
            <p key={p} class="field-error">
              {p}
            </p>
          ))}
        </div>
      ) : null}

      <h3 class="pe-recent-heading">Latest automated moves</h3>
      {recent.length === 0 ? (
        <p class="muted">None yet. Deals the automations create or move show here.</p>
      ) : (
        <ul class="pe-recent">
          {recent.map((r) => (
            <li key={`${r.dealId}-${r.movedAt}-${r.toStageId}`}>
              <strong>{r.dealName}</strong> {r.fromStageId ? <>from “{stageName(r.fromStageId)}” </> : null}to “{stageName(r.toStageId)}”
              <span class="muted">
                {' '}
                · {AUTOMATION_LABELS[r.movedBy ?? ''] ?? r.movedBy} · {formatDate(r.movedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
