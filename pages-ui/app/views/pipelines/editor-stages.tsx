/**
 * The stages of a pipeline, in board order. Drag a row by its handle, or focus the handle and press
 * Alt+↑ / Alt+↓ (or use the row's ↑ / ↓ buttons) to reorder: the move shows at once, is announced,
 * and the whole order is sent (one send at a time; a refusal puts back the server's order). Each
 * field saves when it is left (Enter or Tab), with the server's message beside it when refused.
 */
import { combine } from '@atlaskit/pragmatic-drag-and-drop/combine';
import { draggable, dropTargetForElements, monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError, call } from '../../api';
import { formatTotals } from '../../format';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { toast } from '../../shell/toasts';
import { canEdit } from '../../state';
import { dropIndex, edgeAt, moveAnnouncement, moveItem, type Edge } from '../funnels/reorder';
import { DeleteStageDialog } from './editor-delete-stage';
import {
  asApiError,
  deals,
  fieldErrors,
  KIND_LABELS,
  numberOrText,
  type Pipeline,
  type Stage,
  type StageKind,
  type StagePatch,
} from './editor-types';

const DRAG_TYPE = 'pipeline-stage';

/** What keeps the focus in a stage's row after it moves: whatever moved it, so the next press moves it again. */
type FocusPart = 'handle' | 'name' | 'up' | 'down';
const FOCUS_SELECTOR: Record<FocusPart, string> = {
  handle: '.drag-handle',
  name: '.pe-field-name input',
  up: '.pe-move-up',
  down: '.pe-move-down',
};

interface DragState {
  dragging: string | null;
  over: { id: string; edge: Edge } | null;
}

export function StagesPanel(props: { pipeline: Pipeline; onPipeline: (p: Pipeline) => void; onReload: () => void }) {
  const { pipeline } = props;
  const [order, setOrder] = useState<Stage[]>(pipeline.stages);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<{ error: ApiError; retry?: (() => void) | undefined } | null>(null);
  const [drag, setDrag] = useState<DragState>({ dragging: null, over: null });
  const [deleting, setDeleting] = useState<Stage | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const confirmed = useRef(pipeline.stages);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);
  const generation = useRef(0);
  const focusAfter = useRef<{ id: string; part: FocusPart | 'add' } | null>(null);
  const orderRef = useRef(order);
  orderRef.current = order;

  useEffect(() => {
    confirmed.current = pipeline.stages;
    if (pending.current === 0) setOrder(pipeline.stages);
  }, [pipeline]);

  // Before paint, so a second Alt+arrow press moves the same stage again.
  useLayoutEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-stage-id="${CSS.escape(target.id)}"]`);
    let el =
      target.part === 'add'
        ? document.getElementById('pe-new-stage-name')
        : row?.querySelector<HTMLButtonElement>(FOCUS_SELECTOR[target.part]);
    // The ↑ button of a stage that reached the top is disabled: its handle keeps the focus instead.
    if (el instanceof HTMLButtonElement && el.disabled) el = row?.querySelector<HTMLElement>('.drag-handle') ?? null;
    if (!el) return;
    focusAfter.current = null;
    el.focus();
  }, [order]);

  const move = (stageId: string, to: number) => {
    const current = orderRef.current;
    const from = current.findIndex((s) => s.id === stageId);
    if (from < 0 || to < 0 || to >= current.length || from === to) return;
    const stage = current[from]!;
    const next = moveItem(current, from, to);
    orderRef.current = next;
    setOrder(next);
    setAnnouncement(moveAnnouncement(stage.name, to, current.length));
    setError(null);
    pending.current++;
    const gen = generation.current;
    queue.current = queue.current.then(async () => {
      try {
        // A later move sends the whole order, this one included.
        if (gen !== generation.current || pending.current > 1) return;
        const stageIds = orderRef.current.map((s) => s.id);
        const fresh = await call(api.pipelines[':id'].stages.order.$put({ param: { id: pipeline.id }, json: { stageIds } }));
        confirmed.current = fresh.stages;
        if (pending.current === 1) props.onPipeline(fresh);
      } catch (err) {
        generation.current++;
        const apiError = asApiError(err);
        orderRef.current = confirmed.current;
        setOrder(confirmed.current);
        setAnnouncement(`${stage.name} could not be moved: ${apiError.message}`);
        // A stage added or removed elsewhere meanwhile: show the pipeline as it is now.
        if (apiError.status === 400) props.onReload();
        setError({ error: apiError, retry: apiError.retryable ? () => move(stageId, to) : undefined });
      } finally {
        pending.current--;
        if (pending.current === 0) {
          orderRef.current = confirmed.current;
          setOrder(confirmed.current);
        }
      }
    });
  };

  const moveBy = (stageId: string, delta: number, part: FocusPart = 'handle') => {
    const from = orderRef.current.findIndex((s) => s.id === stageId);
    focusAfter.current = { id: stageId, part };
    move(stageId, from + delta);
  };

  useEffect(
    () =>
      monitorForElements({
        canMonitor: ({ source }) => source.data.type === DRAG_TYPE,
        onDrop: ({ source, location }) => {
          setDrag({ dragging: null, over: null });
          const target = location.current.dropTargets[0];
          if (!target) return;
          const current = orderRef.current;
          const from = current.findIndex((s) => s.id === source.data.stageId);
          const over = current.findIndex((s) => s.id === target.data.stageId);
          if (from < 0 || over < 0) return;
          move(source.data.stageId as string, dropIndex(from, over, target.data.edge as Edge));
        },
      }),
    [],
  );

  /** A field change of one stage; resolves to the server's field messages (empty when saved). */
  const patch = async (stage: Stage, json: StagePatch, done: string): Promise<Record<string, string>> => {
    try {
      await call(api.pipelines[':id'].stages[':stageId'].$patch({ param: { id: pipeline.id, stageId: stage.id }, json }));
      // The answer is the stage alone; the pipeline (named won / lost stages, order) may have moved with it.
      props.onPipeline(await call(api.pipelines[':id'].$get({ param: { id: pipeline.id } })));
      toast(done);
      return {};
    } catch (err) {
      const apiError = asApiError(err);
      const fields = fieldErrors(apiError);
      if (Object.keys(fields).length) return fields;
      return { _: apiError.message };
    }
  };

  const remove = async (stage: Stage) => {
    setError(null);
    if (stage.dealCount > 0) return setDeleting(stage);
    const ok = await confirm({
      title: `Delete the stage “${stage.name}”?`,
      message: 'It holds no deals. It disappears from the board and from this pipeline’s reports.',
      confirmLabel: 'Delete stage',
      danger: true,
    });
    if (!ok) return;
    try {
      await call(api.pipelines[':id'].stages[':stageId'].$delete({ param: { id: pipeline.id, stageId: stage.id }, query: {} }));
      afterDelete(stage, null);
    } catch (err) {
      const apiError = asApiError(err);
      // Deals arrived since the page loaded: ask where they go.
      if (apiError.code === 'stage_has_deals') {
        const fresh = await call(api.pipelines[':id'].$get({ param: { id: pipeline.id } })).catch(() => null);
        if (fresh) props.onPipeline(fresh);
        const now = fresh?.stages.find((s) => s.id === stage.id);
        setDeleting(now ?? { ...stage, dealCount: Math.max(1, stage.dealCount) });
      } else setError({ error: apiError, retry: apiError.retryable ? () => void remove(stage) : undefined });
    }
  };

  const afterDelete = (stage: Stage, moved: { count: number; to: string } | null) => {
    const index = orderRef.current.findIndex((s) => s.id === stage.id);
    const neighbour = orderRef.current[index + 1] ?? orderRef.current[index - 1];
    focusAfter.current = neighbour ? { id: neighbour.id, part: 'handle' } : { id: '', part: 'add' };
    const message = moved ? `Stage “${stage.name}” deleted; ${deals(moved.count)} moved to “${moved.to}”` : `Stage “${stage.name}” deleted`;
    setAnnouncement(message);
    toast(message);
    setDeleting(null);
    props.onReload();
  };

  return (
    <section class="panel" aria-labelledby="pe-stages-heading">
      <div class="panel-head">
        <h2 id="pe-stages-heading">Stages</h2>
      </div>
      <p class="muted panel-note" id="pe-reorder-hint">
        Stages are the board’s columns, left to right. Drag a stage by its handle, or focus the handle and press Alt+↑ or Alt+↓, to move it.
        Changes save when you leave a field.
      </p>
      <p class="visually-hidden" role="status" aria-live="assertive">
        {announcement}
      </p>
      {error ? <InlineError error={error.error} onRetry={error.retry} /> : null}
      <ol class="pe-stages" ref={listRef} aria-labelledby="pe-stages-heading" aria-describedby="pe-reorder-hint">
        {order.map((stage, index) => (
          <StageRow
            key={stage.id}
            stage={stage}
            index={index}
            count={order.length}
            drag={drag}
            setDrag={setDrag}
            onMove={(delta, part) => moveBy(stage.id, delta, part)}
            onPatch={(json, done) => patch(stage, json, done)}
            onDelete={() => void remove(stage)}
          />
        ))}
      </ol>
      <AddStage
        pipeline={pipeline}
        stages={order}
        onAdded={(stage) => {
          setAnnouncement(`Stage “${stage.name}” added at position ${stage.position + 1}.`);
          toast(`Stage “${stage.name}” added`);
          props.onReload();
        }}
      />
      {deleting ? (
        <DeleteStageDialog
          pipeline={pipeline}
          stage={deleting}
          stages={order}
          onClose={() => setDeleting(null)}
          onDeleted={(moved) => afterDelete(deleting, moved)}
        />
      ) : null}
    </section>
  );
}

interface RowProps {
  stage: Stage;
  index: number;
  count: number;
  drag: DragState;
  setDrag: (update: (d: DragState) => DragState) => void;
  onMove: (delta: number, part?: FocusPart) => void;
  onPatch: (json: StagePatch, done: string) => Promise<Record<string, string>>;
  onDelete: () => void;
}

/** The value a field shows for a stage: closing stages have a fixed probability and never rot. */
const probabilityText = (s: Stage) => String(s.winProbability);
const rottingText = (s: Stage) => (s.rottingDays === null ? '' : String(s.rottingDays));

function StageRow(props: RowProps) {
  const { stage, index, count } = props;
  const row = useRef<HTMLLIElement>(null);
  const handle = useRef<HTMLButtonElement>(null);
  const [name, setName] = useState(stage.name);
  const [probability, setProbability] = useState(probabilityText(stage));
  const [rotting, setRotting] = useState(rottingText(stage));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const over = props.drag.over?.id === stage.id ? props.drag.over.edge : null;
  const open = stage.kind === 'open';
  const edit = editable();
  const ids = {
    name: `pe-stage-${stage.id}-name`,
    kind: `pe-stage-${stage.id}-kind`,
    p: `pe-stage-${stage.id}-p`,
    rot: `pe-stage-${stage.id}-rot`,
  };

  // The server's values win after a save or a reload; a field with an error keeps what was typed.
  useEffect(() => {
    if (!errors.name) setName(stage.name);
    if (!errors.winProbability) setProbability(probabilityText(stage));
    if (!errors.rottingDays) setRotting(rottingText(stage));
  }, [stage]);

  useEffect(() => {
    const element = row.current!;
    return combine(
      draggable({
        element,
        dragHandle: handle.current!,
        canDrag: () => canEdit.value,
        getInitialData: () => ({ type: DRAG_TYPE, stageId: stage.id }),
        onDragStart: () => props.setDrag(() => ({ dragging: stage.id, over: null })),
      }),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => source.data.type === DRAG_TYPE && source.data.stageId !== stage.id,
        getData: ({ input }) => ({ stageId: stage.id, edge: edgeAt(input.clientY, element.getBoundingClientRect()) }),
        onDrag: ({ self }) => {
          const edge = self.data.edge as Edge;
          props.setDrag((d) => (d.over?.id === stage.id && d.over.edge === edge ? d : { ...d, over: { id: stage.id, edge } }));
        },
        onDragLeave: () => props.setDrag((d) => (d.over?.id === stage.id ? { ...d, over: null } : d)),
      }),
    );
  }, [stage.id]);

  const save = async (json: StagePatch, done: string, fields: string[]) => {
    setBusy(true);
    const result = await props.onPatch(json, done);
    setBusy(false);
    setErrors((e) => {
      const next = { ...e };
      for (const f of [...fields, '_']) delete next[f];
      return { ...next, ...result };
    });
  };

  const commitName = () => {
    if (name.trim() === stage.name && !errors.name) return;
    void save({ name }, `Stage renamed to “${name.trim()}”`, ['name']);
  };
  const commitProbability = () => {
    if (!open || (probability === probabilityText(stage) && !errors.winProbability)) return;
    void save({ winProbability: numberOrText(probability) as number }, `“${stage.name}” now has a ${probability.trim()}% win probability`, [
      'winProbability',
    ]);
  };
  const commitRotting = () => {
    if (!open || (rotting === rottingText(stage) && !errors.rottingDays)) return;
    const value = rotting.trim() === '' ? null : (numberOrText(rotting) as number);
    void save(
      { rottingDays: value },
      value === null ? `Deals in “${stage.name}” no longer rot` : `Deals in “${stage.name}” rot after ${rotting.trim()} days`,
      ['rottingDays'],
    );
  };
  const changeKind = (kind: StageKind) => {
    // An open stage needs a probability of its own; a closing stage's 100 or 0 was never chosen, so start at 50.
    const json: StagePatch = kind === 'open' ? { kind, winProbability: 50 } : { kind };
    void save(json, `“${stage.name}” is now ${kind === 'open' ? 'an open' : `a ${kind}`} stage`, ['kind']);
  };
  const onEnter = (commit: () => void) => (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    }
  };

  const classes = ['pe-stage', `pe-kind-${stage.kind}`, props.drag.dragging === stage.id ? 'is-dragging' : '', over ? `drop-${over}` : '']
    .filter(Boolean)
    .join(' ');
  const described = (id: string, key: string) => (errors[key] ? `${id}-error` : edit['aria-describedby']);

  return (
    <li ref={row} class={classes} data-stage-id={stage.id} aria-busy={busy ? true : undefined}>
      <button
        ref={handle}
        type="button"
        class="drag-handle"
        aria-label={`Reorder “${stage.name}”, position ${index + 1} of ${count}`}
        aria-describedby="pe-reorder-hint"
        aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
        {...edit}
        onKeyDown={(e) => {
          if (!e.altKey || !canEdit.value) return;
          if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
            e.preventDefault();
            props.onMove(e.key === 'ArrowUp' ? -1 : 1);
          }
        }}
      >
        <svg viewBox="0 0 12 20" width="12" height="20" aria-hidden="true" focusable="false">
          {[3, 10, 17].map((y) => (
            <g key={y}>
              <circle cx="3" cy={y} r="1.6" />
              <circle cx="9" cy={y} r="1.6" />
            </g>
          ))}
        </svg>
      </button>
      <span class="pe-step" aria-hidden="true">
        {index + 1}
      </span>
      <div class="pe-field pe-field-name">
        <label for={ids.name} class="small-label">
          Stage name
        </label>
        <input
          id={ids.name}
          value={name}
          maxLength={100}
          autocomplete="off"
          aria-invalid={errors.name ? true : undefined}
          {...edit}
          aria-describedby={described(ids.name, 'name')}
          onInput={(e) => setName(e.currentTarget.value)}
          onBlur={commitName}
          onKeyDown={(e) => {
            if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && canEdit.value) {
              e.preventDefault();
              props.onMove(e.key === 'ArrowUp' ? -1 : 1, 'name');
            } else onEnter(commitName)(e);
          }}
        />
        {errors.name ? (
          <p class="field-error" id={`${ids.name}-error`}>
            {errors.name}
          </p>
        ) : null}
      </div>
      <div class="pe-field pe-field-kind">
        <label for={ids.kind} class="small-label">
          Kind
        </label>
        <select
          id={ids.kind}
          value={stage.kind}
          {...edit}
          aria-describedby={described(ids.kind, 'kind')}
          aria-invalid={errors.kind ? true : undefined}
          disabled={edit.disabled || busy}
          onChange={(e) => changeKind(e.currentTarget.value as StageKind)}
        >
          {(Object.keys(KIND_LABELS) as StageKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        {errors.kind ? (
          <p class="field-error" id={`${ids.kind}-error`}>
            {errors.kind}
          </p>
        ) : null}
      </div>
      <div class="pe-field pe-field-p">
        <label for={ids.p} class="small-label">
          Win %
        </label>
        <input
          id={ids.p}
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          step={1}
          value={probability}
          title={open ? undefined : `A ${stage.kind} stage always has ${stage.winProbability}%`}
          aria-invalid={errors.winProbability ? true : undefined}
          {...edit}
          disabled={edit.disabled || !open}
          aria-describedby={described(ids.p, 'winProbability')}
          onInput={(e) => setProbability(e.currentTarget.value)}
          onBlur={commitProbability}
          onKeyDown={onEnter(commitProbability)}
        />
        {errors.winProbability ? (
          <p class="field-error" id={`${ids.p}-error`}>
            {errors.winProbability}
          </p>
        ) : null}
      </div>
      <div class="pe-field pe-field-rot">
        <label for={ids.rot} class="small-label">
          Rotting (days)
        </label>
        <input
          id={ids.rot}
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          step={1}
          value={rotting}
          placeholder={open ? 'Never' : '—'}
          aria-invalid={errors.rottingDays ? true : undefined}
          {...edit}
          disabled={edit.disabled || !open}
          aria-describedby={described(ids.rot, 'rottingDays')}
          onInput={(e) => setRotting(e.currentTarget.value)}
          onBlur={commitRotting}
          onKeyDown={onEnter(commitRotting)}
        />
        {errors.rottingDays ? (
          <p class="field-error" id={`${ids.rot}-error`}>
            {errors.rottingDays}
          </p>
        ) : null}
      </div>
      <div class="pe-deals">
        <span class="small-label">Deals</span>
        <span>
          {stage.dealCount}
          {stage.dealCount ? <span class="muted"> · {formatTotals(stage.totals)}</span> : null}
        </span>
      </div>
      <div class="pe-actions">
        <button
          type="button"
          class="button small secondary pe-icon pe-move-up"
          {...edit}
          disabled={edit.disabled || index === 0}
          onClick={() => props.onMove(-1, 'up')}
        >
          <span aria-hidden="true">↑</span>
          <span class="visually-hidden">Move “{stage.name}” up</span>
        </button>
        <button
          type="button"
          class="button small secondary pe-icon pe-move-down"
          {...edit}
          disabled={edit.disabled || index === count - 1}
          onClick={() => props.onMove(1, 'down')}
        >
          <span aria-hidden="true">↓</span>
          <span class="visually-hidden">Move “{stage.name}” down</span>
        </button>
        <button type="button" class="button small danger-outline" {...edit} onClick={props.onDelete}>
          Delete<span class="visually-hidden"> “{stage.name}”</span>…
        </button>
      </div>
      {errors._ ? (
        <p class="field-error pe-row-error" role="alert">
          {errors._}
        </p>
      ) : null}
    </li>
  );
}

/** A new stage: by default after the last open stage, before the closing ones, as HubSpot's editor puts it. */
function AddStage(props: { pipeline: Pipeline; stages: Stage[]; onAdded: (stage: Stage) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<StageKind>('open');
  const [probability, setProbability] = useState('20');
  const [rotting, setRotting] = useState('');
  const [position, setPosition] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const edit = editable();
  const open = kind === 'open';

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const stage = await call(
        api.pipelines[':id'].stages.$post({
          param: { id: props.pipeline.id },
          json: {
            name,
            kind,
            ...(open ? { winProbability: numberOrText(probability) as number } : {}),
            ...(open && rotting.trim() ? { rottingDays: numberOrText(rotting) as number } : {}),
            ...(position ? { position: Number(position) } : {}),
          },
        }),
      );
      setName('');
      setPosition('');
      props.onAdded(stage);
      document.getElementById('pe-new-stage-name')?.focus();
    } catch (err) {
      const apiError = asApiError(err);
      const fields = fieldErrors(apiError);
      if (Object.keys(fields).length) setErrors(fields);
      else setMessage(apiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="pe-add" onSubmit={submit} noValidate aria-labelledby="pe-add-heading">
      <h3 id="pe-add-heading">Add a stage</h3>
      {message ? <InlineError error={message} /> : null}
      <div class="form-row">
        <TextField
          id="pe-new-stage-name"
          label="Name"
          value={name}
          maxLength={100}
          autocomplete="off"
          placeholder="Wishlisted"
          error={errors.name}
          {...edit}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setErrors(({ name: _name, ...rest }) => rest);
          }}
        />
        <div class="field">
          <label for="pe-new-stage-kind">Kind</label>
          <select id="pe-new-stage-kind" value={kind} {...edit} onChange={(e) => setKind(e.currentTarget.value as StageKind)}>
            {(Object.keys(KIND_LABELS) as StageKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {open ? (
          <TextField
            id="pe-new-stage-p"
            label="Win probability (%)"
            type="number"
            min={0}
            max={100}
            value={probability}
            error={errors.winProbability}
            {...edit}
            onInput={(e) => setProbability(e.currentTarget.value)}
          />
        ) : null}
        {open ? (
          <TextField
            id="pe-new-stage-rot"
            label="Rotting (days)"
            type="number"
            min={1}
            max={3650}
            value={rotting}
            placeholder="Never"
            error={errors.rottingDays}
            {...edit}
            onInput={(e) => setRotting(e.currentTarget.value)}
          />
        ) : null}
        <div class="field">
          <label for="pe-new-stage-position">Place</label>
          <select id="pe-new-stage-position" value={position} {...edit} onChange={(e) => setPosition(e.currentTarget.value)}>
            <option value="">After the last open stage</option>
            <option value="0">First</option>
            {props.stages.map((s, i) => (
              <option key={s.id} value={String(i + 1)}>
                After “{s.name}”
              </option>
            ))}
          </select>
          {errors.position ? <p class="field-error">{errors.position}</p> : null}
        </div>
      </div>
      <button type="submit" class="button" {...edit} disabled={edit.disabled || busy}>
        {busy ? 'Adding…' : 'Add stage'}
      </button>
    </form>
  );
}
