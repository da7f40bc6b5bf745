import { formatDuration } from '../../format';
import { editable } from '../../shell/can-edit';
import type { Deal, Stage } from './deal-data';

/**
 * The pipeline's stages as a progress bar, as in Pipedrive's deal header: the stages passed and the
 * current one filled, each with the time the deal spent there; a click moves the deal there. Lost
 * stages are not on the bar: "Lost" asks for the reason first.
 */
export function StageBar(props: {
  deal: Deal;
  stages: Stage[];
  spent: Map<string, number>;
  busy: boolean;
  onMove: (stage: Stage) => void;
}) {
  const { deal } = props;
  const steps = props.stages.filter((s) => s.kind !== 'lost');
  const current = steps.findIndex((s) => s.id === deal.stageId);
  const lost = deal.status === 'lost';
  const edit = editable();
  return (
    <nav class={lost ? 'stage-bar is-lost' : 'stage-bar'} aria-label="Stage">
      <ol>
        {steps.map((stage, i) => {
          const here = stage.id === deal.stageId;
          const ms = props.spent.get(stage.id);
          const state = here ? 'current' : current >= 0 && i < current ? 'passed' : 'ahead';
          return (
            <li key={stage.id} class={`stage-bar-step ${state} kind-${stage.kind}`}>
              <button
                type="button"
                aria-current={here ? 'step' : undefined}
                title={here ? `${stage.name} (current stage)` : `Move to ${stage.name}`}
                onClick={() => !here && props.onMove(stage)}
                {...edit}
                disabled={edit.disabled || props.busy}
              >
                {here ? null : <span class="visually-hidden">Move to </span>}
                <span class="stage-bar-name">{stage.name}</span>
                <span class="stage-bar-time">
                  <span class="visually-hidden">, </span>
                  {ms !== undefined ? formatDuration(ms) : state === 'passed' ? 'skipped' : 'not yet'}
                  {here ? <span class="visually-hidden"> so far, the current stage</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
