/**
 * The pipeline editor (`/app/pipelines/:id/settings`): the pipeline's name, its stages (add,
 * rename, reorder by drag or keyboard, win probability, rotting, won / lost, delete with the deals
 * moved), which won and lost stage the board's Won / Lost buttons use, the B2C automations, and
 * deleting the pipeline. Everything a sales lead would otherwise do through the API.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call } from '../../api';
import { formatCount, formatTotals } from '../../format';
import { editable } from '../../shell/can-edit';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { canEdit, isOwner } from '../../state';
import { confirmByName } from '../funnels/typed-confirm';
import { AutomationsPanel } from './editor-automations';
import { StagesPanel } from './editor-stages';
import { asApiError, deals, fieldErrors, type Pipeline } from './editor-types';
import './editor.css';

export default function PipelineEditor(props: { id: string }) {
  const data = useResource(() => call(api.pipelines[':id'].$get({ param: { id: props.id } })), [props.id]);
  const pipeline = data.data;
  const board = `/app/pipelines/${props.id}`;

  if (data.error?.status === 404) {
    return (
      <View title="Pipeline not found" crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}>
        <EmptyState title="There is no such pipeline in this workspace" action={<a href="/app/pipelines">See all pipelines</a>}>
          It may have been deleted, or it belongs to another of your workspaces.
        </EmptyState>
      </View>
    );
  }

  const onPipeline = (fresh: Pipeline) => data.mutate(() => fresh);
  const count = pipeline?.stages.reduce((n, s) => n + s.dealCount, 0) ?? 0;
  const totals = new Map<string, number>();
  for (const s of pipeline?.stages ?? []) for (const t of s.totals) totals.set(t.currency, (totals.get(t.currency) ?? 0) + t.valueMinor);

  return (
    <View
      title="Pipeline settings"
      crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }, ...(pipeline ? [{ href: board, label: pipeline.name }] : [])]}
      actions={
        <a class="button secondary" href={board}>
          Open the board
        </a>
      }
      lede={
        pipeline ? (
          <>
            <strong>{pipeline.name}</strong> · {formatCount(pipeline.stages.length)} stages ·{' '}
            {count
              ? `${deals(count)} worth ${formatTotals([...totals].map(([currency, valueMinor]) => ({ currency, valueMinor })))}`
              : 'no deals yet'}
          </>
        ) : undefined
      }
    >
      {data.error ? <InlineError error={data.error} onRetry={data.reload} title="The pipeline did not load." /> : null}
      {!pipeline && data.loading ? <Skeleton rows={6} label="Loading the pipeline…" /> : null}
      {pipeline ? (
        <div class="pe-layout">
          <PipelineName pipeline={pipeline} onPipeline={onPipeline} />
          <StagesPanel pipeline={pipeline} onPipeline={onPipeline} onReload={data.reload} />
          <ClosingStages pipeline={pipeline} onPipeline={onPipeline} />
          <AutomationsPanel pipeline={pipeline} />
          <DeletePipeline pipeline={pipeline} dealCount={count} />
        </div>
      ) : null}
    </View>
  );
}

function PipelineName(props: { pipeline: Pipeline; onPipeline: (p: Pipeline) => void }) {
  const { pipeline } = props;
  const [name, setName] = useState(pipeline.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => setName(pipeline.name), [pipeline.name]);
  const errors = error ? fieldErrors(error) : {};
  const changed = name.trim() !== pipeline.name;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fresh = await call(api.pipelines[':id'].$patch({ param: { id: pipeline.id }, json: { name } }));
      props.onPipeline(fresh);
      toast(`Pipeline renamed to “${fresh.name}”`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="pe-name-heading">
      <h2 id="pe-name-heading">Name</h2>
      <form class="pe-name-form" onSubmit={save} noValidate>
        {error && !errors.name ? <InlineError error={error} /> : null}
        <TextField
          id="pe-pipeline-name"
          label="Pipeline name"
          value={name}
          maxLength={120}
          autocomplete="off"
          error={errors.name}
          hint="Use one pipeline per way you sell, e.g. “Online store” and “Wholesale”."
          {...editable()}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(null);
          }}
        />
        <button type="submit" class="button" {...editable()} disabled={!canEdit.value || busy || !changed}>
          {busy ? 'Saving…' : 'Save name'}
        </button>
      </form>
    </section>
  );
}

/**
 * A pipeline may have several won stages (the B2C template's "Closed won" and "Post-purchase") and
 * lost stages; the board's Won / Lost buttons and imports put deals in the ones named here.
 */
function ClosingStages(props: { pipeline: Pipeline; onPipeline: (p: Pipeline) => void }) {
  const { pipeline } = props;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const won = pipeline.stages.filter((s) => s.kind === 'won');
  const lost = pipeline.stages.filter((s) => s.kind === 'lost');

  const choose = async (field: 'wonStageId' | 'lostStageId', stageId: string) => {
    setBusy(field);
    setError(null);
    try {
      const fresh = await call(api.pipelines[':id'].$patch({ param: { id: pipeline.id }, json: { [field]: stageId } }));
      props.onPipeline(fresh);
      const stage = fresh.stages.find((s) => s.id === stageId);
      toast(`Deals marked ${field === 'wonStageId' ? 'won' : 'lost'} now go to “${stage?.name ?? ''}”`);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const select = (field: 'wonStageId' | 'lostStageId', label: string, options: typeof won) => {
    const id = `pe-${field}`;
    const message = error?.fields[field];
    return (
      <div class="field">
        <label for={id}>{label}</label>
        <select
          id={id}
          value={pipeline[field] ?? ''}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${id}-error` : undefined}
          {...editable()}
          disabled={!canEdit.value || busy !== null || options.length < 2}
          onChange={(e) => void choose(field, e.currentTarget.value)}
        >
          {options.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        {message ? (
          <p class="field-error" id={`${id}-error`}>
            {message}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <section class="panel" aria-labelledby="pe-closing-heading">
      <h2 id="pe-closing-heading">Closing stages</h2>
      <p class="muted panel-note">
        A stage is won or lost by its kind (set it in the list above). When a deal is marked won or lost from the board or its page, it goes
        to the stage chosen here. With only one stage of a kind there is nothing to choose.
      </p>
      {error && !Object.keys(error.fields).length ? <InlineError error={error} /> : null}
      <div class="form-row pe-closing">
        {select('wonStageId', 'Deals marked won go to', won)}
        {select('lostStageId', 'Deals marked lost go to', lost)}
      </div>
    </section>
  );
}

/** Owners only (as the API says); the pipeline's name must be typed, and its deals go with it. */
function DeletePipeline(props: { pipeline: Pipeline; dealCount: number }) {
  const { route } = useLocation();
  const [error, setError] = useState<ApiError | null>(null);
  const { pipeline, dealCount } = props;
  const owner = isOwner.value;

  const remove = async () => {
    const ok = await confirmByName({
      title: `Delete “${pipeline.name}”?`,
      name: pipeline.name,
      confirmLabel: 'Delete pipeline',
      children: (
        <p>
          Its {pipeline.stages.length} stages
          {dealCount ? (
            <>
              {' '}
              and <strong>its {deals(dealCount)}</strong>, with their stage history,
            </>
          ) : null}{' '}
          are deleted. Leads stay in Leads. This cannot be undone.
        </p>
      ),
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.pipelines[':id'].$delete({ param: { id: pipeline.id }, query: { deleteDeals: dealCount > 0 ? 'true' : 'false' } }));
      toast(`Pipeline “${pipeline.name}” deleted`);
      route('/app/pipelines');
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <section class="panel danger-zone" aria-labelledby="pe-delete-heading">
      <h2 id="pe-delete-heading">Delete this pipeline</h2>
      {error ? <InlineError error={error} onRetry={error.retryable ? () => void remove() : undefined} /> : null}
      <button
        type="button"
        class="button danger-outline"
        onClick={() => void remove()}
        disabled={!owner}
        aria-describedby={canEdit.value ? 'pe-delete-help' : 'pe-delete-help read-only-note'}
      >
        Delete pipeline…
      </button>
      <p class="field-hint" id="pe-delete-help">
        {dealCount ? `Deletes its stages and its ${deals(dealCount)}.` : 'It holds no deals; its stages go with it.'}
        {owner ? '' : ' Only a workspace owner can delete a pipeline.'}
      </p>
    </section>
  );
}
