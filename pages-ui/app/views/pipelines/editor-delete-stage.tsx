import { useState } from 'preact/hooks';
import { api, type ApiError, call } from '../../api';
import { formatTotals } from '../../format';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { asApiError, deals, KIND_LABELS, type Pipeline, type Stage } from './editor-types';

/**
 * Deleting a stage that holds deals: they have to go somewhere, so the dialog asks where (the
 * next stage by default, as Pipedrive does), and why they were lost when that is a lost stage.
 * Each moved deal gets a stage-history row on the server, as a move from the board would.
 */
export function DeleteStageDialog(props: {
  pipeline: Pipeline;
  stage: Stage;
  stages: Stage[];
  onClose: () => void;
  onDeleted: (moved: { count: number; to: string } | null) => void;
}) {
  const { stage } = props;
  const others = props.stages.filter((s) => s.id !== stage.id);
  const index = props.stages.findIndex((s) => s.id === stage.id);
  const suggested = props.stages[index + 1]?.kind === 'open' ? props.stages[index + 1] : (props.stages[index - 1] ?? others[0]);
  const [moveTo, setMoveTo] = useState(suggested?.id ?? '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const target = others.find((s) => s.id === moveTo);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call(
        api.pipelines[':id'].stages[':stageId'].$delete({
          param: { id: props.pipeline.id, stageId: stage.id },
          query: { moveTo, ...(target?.kind === 'lost' && reason.trim() ? { lostReason: reason.trim() } : {}) },
        }),
      );
      props.onDeleted(result.movedDeals ? { count: result.movedDeals, to: target?.name ?? '' } : null);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  };

  const fields = error?.fields ?? {};
  return (
    <Dialog title={`Delete the stage “${stage.name}”?`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate class="pe-delete-form">
        <p>
          It holds <strong>{deals(stage.dealCount)}</strong>
          {stage.totals.length ? <> worth {formatTotals(stage.totals)}</> : null}. Choose where{' '}
          {stage.dealCount === 1 ? 'it goes' : 'they go'} before the stage is deleted; each move is kept in the deal’s history.
        </p>
        {error && !fields.moveTo && !fields.lostReason ? <InlineError error={error} /> : null}
        <div class="field">
          <label for="pe-move-to">Move the deals to</label>
          <select
            id="pe-move-to"
            value={moveTo}
            aria-invalid={fields.moveTo ? true : undefined}
            aria-describedby={fields.moveTo ? 'pe-move-to-error' : undefined}
            onChange={(e) => {
              setMoveTo(e.currentTarget.value);
              setError(null);
            }}
          >
            {others.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.kind === 'open' ? '' : ` (${KIND_LABELS[s.kind].toLowerCase()})`}
              </option>
            ))}
          </select>
          {fields.moveTo ? (
            <p class="field-error" id="pe-move-to-error">
              {fields.moveTo}
            </p>
          ) : null}
        </div>
        {target?.kind === 'lost' ? (
          <TextField
            id="pe-lost-reason"
            label="Why were they lost?"
            hint="Kept on each deal that has no lost reason yet; the reports group lost deals by it."
            value={reason}
            maxLength={500}
            error={fields.lostReason}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
          />
        ) : null}
        {target?.kind === 'won' ? <p class="warning">The deals are marked won, with today as their close date.</p> : null}
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={busy || !moveTo}>
            {busy ? 'Moving…' : `Move ${deals(stage.dealCount)} and delete`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
