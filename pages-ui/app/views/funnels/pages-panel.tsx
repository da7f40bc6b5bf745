import { draggable, dropTargetForElements, monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { combine } from '@atlaskit/pragmatic-drag-and-drop/combine';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError, call, asApiError } from '../../api';
import { formatCount, formatDate, formatShare } from '../../format';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { canEdit } from '../../state';
import { AddPageDialog } from './add-page';
import { dropIndex, edgeAt, moveAnnouncement, moveItem, type Edge } from './reorder';
import { kindLabel, pageViewStage, STAGE_LABELS, STAGE_OPTIONS, withPageStage } from './stages';
import { confirmByName } from './typed-confirm';
import type { Funnel, FunnelPage } from './types';

/** A page's numbers over the last 30 days. */
export interface PageNumbers {
  views: number;
  conversions: number;
}

interface PagesPanelProps {
  funnel: Funnel;
  /** Per page id; undefined while loading (or when the numbers failed, see `numbersError`). */
  numbers: Map<string, PageNumbers> | undefined;
  numbersError?: ApiError | undefined;
  onNumbersRetry?: () => void;
  /** The funnel as the server has it after a change made here. */
  onFunnel: (funnel: Funnel) => void;
  /** Something changed that the panel cannot patch in place (a page added or removed): load again. */
  onReload: () => void;
}

interface DragState {
  /** The page being dragged. */
  dragging: string | null;
  /** Where it would land: above or below this page. */
  over: { id: string; edge: Edge } | null;
}

const DRAG_TYPE = 'funnel-page';

/**
 * The funnel's pages in visiting order: drag a row by its handle or press Alt+↑/↓ on the handle
 * (or use the row's "Move up/down") to reorder. Each move is shown at once and announced; the
 * whole order is sent (all or nothing on the server), one send at a time, so rapid moves end in
 * the order they were made and a failure puts back the order the server has.
 */
export function PagesPanel(props: PagesPanelProps) {
  const { funnel } = props;
  const [order, setOrder] = useState<FunnelPage[]>(funnel.pages);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<{ error: ApiError; retry?: () => void } | null>(null);
  const [drag, setDrag] = useState<DragState>({ dragging: null, over: null });
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [stageBusy, setStageBusy] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  /** The pages in the order the server last confirmed; moves are computed against it. */
  const confirmed = useRef(funnel.pages);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);
  /** Bumped when a move fails: moves queued behind it are dropped along with it. */
  const generation = useRef(0);
  const focusAfterMove = useRef<string | null>(null);
  const orderRef = useRef(order);
  orderRef.current = order;

  useEffect(() => {
    confirmed.current = funnel.pages;
    if (pending.current === 0) setOrder(funnel.pages);
  }, [funnel]);

  // Before paint: the moved row's handle keeps the focus, so the next Alt+arrow press moves it again.
  useLayoutEffect(() => {
    const id = focusAfterMove.current;
    if (!id) return;
    focusAfterMove.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-handle="${CSS.escape(id)}"]`)?.focus();
  }, [order]);

  const move = (pageId: string, to: number) => {
    const current = orderRef.current;
    const from = current.findIndex((p) => p.id === pageId);
    if (from < 0 || to < 0 || to >= current.length || from === to) return;
    const page = current[from]!;
    const next = moveItem(current, from, to);
    orderRef.current = next;
    setOrder(next);
    setAnnouncement(moveAnnouncement(page.name, to, current.length));
    setError(null);
    pending.current++;
    const gen = generation.current;
    queue.current = queue.current.then(async () => {
      try {
        // A move made after this one sends the whole order, this one included.
        if (gen !== generation.current || pending.current > 1) return;
        const pageIds = orderRef.current.map((p) => p.id);
        const fresh = await call(api.funnels[':id']['page-order'].$put({ param: { id: funnel.id }, json: { pageIds } }));
        confirmed.current = fresh.pages;
        if (pending.current === 1) props.onFunnel(fresh);
      } catch (err) {
        generation.current++;
        const apiError = asApiError(err, 'The page could not be moved.');
        orderRef.current = confirmed.current;
        setOrder(confirmed.current);
        setAnnouncement(`${page.name} could not be moved: ${apiError.message}`);
        // Someone added or deleted a page meanwhile: show the funnel as it is now; moving again starts from there.
        if (apiError.code === 'order_changed') props.onReload();
        setError({ error: apiError, retry: apiError.code === 'order_changed' ? undefined : () => move(pageId, to) });
      } finally {
        pending.current--;
        if (pending.current === 0) {
          orderRef.current = confirmed.current;
          setOrder(confirmed.current);
        }
      }
    });
  };

  const duplicate = async (page: FunnelPage) => {
    setError(null);
    try {
      const copy = await call(api.pages[':id'].duplicate.$post({ param: { id: page.id }, json: {} }));
      toast(`“${copy.name}” added after “${page.name}” (a draft)`);
      props.onReload();
    } catch (err) {
      setError({ error: err as ApiError, retry: () => void duplicate(page) });
    }
  };

  const moveByKeyboard = (pageId: string, delta: number) => {
    const from = orderRef.current.findIndex((p) => p.id === pageId);
    focusAfterMove.current = pageId;
    move(pageId, from + delta);
  };

  useEffect(
    () =>
      monitorForElements({
        canMonitor: ({ source }) => source.data.type === DRAG_TYPE,
        onDrop: ({ source, location }) => {
          setDrag({ dragging: null, over: null });
          const target = location.current.dropTargets[0];
          if (!target) return;
          const pageId = source.data.pageId as string;
          const overId = target.data.pageId as string;
          const edge = target.data.edge as Edge;
          const current = orderRef.current;
          const from = current.findIndex((p) => p.id === pageId);
          const over = current.findIndex((p) => p.id === overId);
          if (from < 0 || over < 0) return;
          move(pageId, dropIndex(from, over, edge));
        },
      }),
    [],
  );

  const changeStage = async (page: FunnelPage, stage: string) => {
    setStageBusy(page.id);
    setError(null);
    try {
      const fresh = await call(
        api.funnels[':id'].$patch({
          param: { id: funnel.id },
          json: { settings: { stages: withPageStage(funnel.settings, page.slug, stage) } },
        }),
      );
      props.onFunnel(fresh);
      toast(`Views of “${page.name}” now count as ${STAGE_LABELS[stage] ?? stage}`);
    } catch (err) {
      setError({ error: err as ApiError, retry: () => void changeStage(page, stage) });
    } finally {
      setStageBusy(null);
    }
  };

  const remove = async (page: FunnelPage) => {
    setMenuFor(null);
    const consequence = page.publishedVersionId
      ? `It is live at ${page.url}: visitors following links to it will get “page not found”. Its version history goes with it. Leads it brought in stay in Leads.`
      : 'It is not published, so no visitor sees it. Its draft goes with it.';
    const ok = page.publishedVersionId
      ? await confirmByName({
          title: `Delete the published page “${page.name}”?`,
          name: page.name,
          confirmLabel: 'Delete page',
          children: <p>{consequence}</p>,
        })
      : await confirm({ title: `Delete “${page.name}”?`, message: consequence, confirmLabel: 'Delete page', danger: true });
    if (!ok) return;
    setError(null);
    try {
      await call(api.pages[':id'].$delete({ param: { id: page.id } }));
      toast(`Page “${page.name}” deleted`);
      props.onReload();
    } catch (err) {
      setError({ error: err as ApiError, retry: () => void remove(page) });
    }
  };

  const empty = order.length === 0;
  return (
    <section aria-labelledby="pages-heading" class="panel">
      <div class="panel-head">
        <h2 id="pages-heading">Pages</h2>
        {!empty ? (
          <button type="button" class="button" onClick={() => setAdding(true)} {...editable()}>
            Add page
          </button>
        ) : null}
      </div>
      {!empty ? (
        <p class="muted panel-note" id="reorder-hint">
          Visitors go through the pages in this order; the first one answers at <code>/p/{funnel.slug}</code>. Drag a page by its handle, or
          focus the handle and press Alt+↑ or Alt+↓, to change the order.
        </p>
      ) : null}
      <p class="visually-hidden" role="status" aria-live="assertive">
        {announcement}
      </p>
      {error ? <InlineError error={error.error} onRetry={error.retry} /> : null}
      {props.numbersError ? (
        <InlineError error={props.numbersError} onRetry={props.onNumbersRetry} title="The page numbers did not load." />
      ) : null}
      {empty ? (
        <EmptyState
          title="This funnel has no pages yet"
          action={
            <button type="button" class="button" onClick={() => setAdding(true)} {...editable()}>
              Add the first page
            </button>
          }
        >
          Visitors start on the first page. Add a landing page, fill it with blocks in the editor and publish it.
        </EmptyState>
      ) : (
        <ol class="funnel-pages" ref={listRef} aria-describedby="reorder-hint">
          {order.map((page, index) => (
            <PageRow
              key={page.id}
              page={page}
              index={index}
              count={order.length}
              funnel={funnel}
              numbers={props.numbers?.get(page.id)}
              numbersLoading={!props.numbers && !props.numbersError}
              drag={drag}
              setDrag={setDrag}
              menuOpen={menuFor === page.id}
              onMenu={(open) => setMenuFor(open ? page.id : null)}
              onMove={(delta) => moveByKeyboard(page.id, delta)}
              onStage={(stage) => void changeStage(page, stage)}
              stageBusy={stageBusy === page.id}
              onDelete={() => void remove(page)}
              onDuplicate={() => void duplicate(page)}
            />
          ))}
        </ol>
      )}
      {adding ? (
        <AddPageDialog
          funnel={funnel}
          onClose={() => setAdding(false)}
          onAdded={(name) => {
            setAdding(false);
            toast(`Page “${name}” added`);
            props.onReload();
          }}
        />
      ) : null}
    </section>
  );
}

interface PageRowProps {
  page: FunnelPage;
  index: number;
  count: number;
  funnel: Funnel;
  numbers: PageNumbers | undefined;
  numbersLoading: boolean;
  drag: DragState;
  setDrag: (update: (d: DragState) => DragState) => void;
  menuOpen: boolean;
  onMenu: (open: boolean) => void;
  onMove: (delta: number) => void;
  onStage: (stage: string) => void;
  stageBusy: boolean;
  onDelete: () => void;
  onDuplicate: () => void;
}

function PageRow(props: PageRowProps) {
  const { page, funnel } = props;
  const row = useRef<HTMLLIElement>(null);
  const handle = useRef<HTMLButtonElement>(null);
  const stage = pageViewStage(funnel.settings, page.slug);
  const editor = `/app/funnels/${funnel.id}/pages/${page.id}`;
  const over = props.drag.over?.id === page.id ? props.drag.over.edge : null;

  useEffect(() => {
    const element = row.current!;
    return combine(
      draggable({
        element,
        dragHandle: handle.current!,
        canDrag: () => canEdit.value,
        getInitialData: () => ({ type: DRAG_TYPE, pageId: page.id }),
        onDragStart: () => props.setDrag(() => ({ dragging: page.id, over: null })),
      }),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => source.data.type === DRAG_TYPE && source.data.pageId !== page.id,
        getData: ({ input }) => ({ pageId: page.id, edge: edgeAt(input.clientY, element.getBoundingClientRect()) }),
        onDrag: ({ self }) => {
          const edge = self.data.edge as Edge;
          props.setDrag((d) => (d.over?.id === page.id && d.over.edge === edge ? d : { ...d, over: { id: page.id, edge } }));
        },
        onDragLeave: () => props.setDrag((d) => (d.over?.id === page.id ? { ...d, over: null } : d)),
      }),
    );
  }, [page.id]);

  const classes = ['funnel-page', props.drag.dragging === page.id ? 'is-dragging' : '', over ? `drop-${over}` : '']
    .filter(Boolean)
    .join(' ');
  const rate = props.numbers && props.numbers.views > 0 ? props.numbers.conversions / props.numbers.views : null;
  return (
    <li ref={row} class={classes} data-page-id={page.id}>
      <button
        ref={handle}
        type="button"
        class="drag-handle"
        data-handle={page.id}
        aria-label={`Reorder “${page.name}”, position ${props.index + 1} of ${props.count}`}
        aria-describedby="reorder-hint"
        aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
        {...editable()}
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
      <span class="page-step" aria-hidden="true">
        {props.index + 1}
      </span>
      <div class="page-main">
        <a href={editor} class="page-name">
          {page.name}
        </a>
        <span class="muted page-sub">
          {kindLabel(page.kind)} · <code>{page.url}</code>
        </span>
        <span class="page-status">
          <span class={page.publishedVersionId ? 'status status-live' : 'status'}>{page.publishedVersionId ? 'Published' : 'Draft'}</span>
          <span class="muted">Edited {formatDate(page.updatedAt)}</span>
        </span>
      </div>
      <div class="page-stage">
        <label for={`stage-${page.id}`} class="small-label">
          Counts as
        </label>
        <select
          id={`stage-${page.id}`}
          value={stage ?? ''}
          {...editable()}
          disabled={!canEdit.value || props.stageBusy}
          onChange={(e) => props.onStage(e.currentTarget.value)}
        >
          {stage === null ? (
            <option value="" disabled>
              No stage
            </option>
          ) : null}
          {STAGE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <dl class="page-numbers" aria-label={`Last 30 days of “${page.name}”`}>
        <div>
          <dt>Views</dt>
          <dd>{props.numbers ? formatCount(props.numbers.views) : props.numbersLoading ? '…' : '—'}</dd>
        </div>
        <div>
          <dt>Conversions</dt>
          <dd>
            {props.numbers ? formatCount(props.numbers.conversions) : props.numbersLoading ? '…' : '—'}
            {rate !== null ? <span class="muted rate"> ({formatShare(rate)})</span> : null}
          </dd>
        </div>
      </dl>
      <div class="page-actions">
        <a class="button small" href={editor}>
          {canEdit.value ? 'Edit' : 'Open'}
          <span class="visually-hidden"> “{page.name}”</span>
        </a>
        {page.publishedVersionId ? (
          <a class="button small secondary" href={page.url} target="_blank" rel="noopener">
            View live<span class="visually-hidden"> “{page.name}” (opens a new tab)</span>
          </a>
        ) : null}
        <RowMenu
          page={page}
          open={props.menuOpen}
          onOpen={props.onMenu}
          canUp={props.index > 0}
          canDown={props.index < props.count - 1}
          onMove={props.onMove}
          onDelete={props.onDelete}
          onDuplicate={props.onDuplicate}
        />
      </div>
    </li>
  );
}

/** The row's other actions, as a disclosure (a button and the list it shows): Escape or a click elsewhere closes it. */
function RowMenu(props: {
  page: FunnelPage;
  open: boolean;
  onOpen: (open: boolean) => void;
  canUp: boolean;
  canDown: boolean;
  onMove: (delta: number) => void;
  onDelete: () => void;
  onDuplicate: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const menuId = `menu-${props.page.id}`;
  useEffect(() => {
    if (!props.open) return;
    box.current?.querySelector<HTMLElement>('.row-menu-list button:not(:disabled)')?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) props.onOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [props.open]);
  const close = () => {
    props.onOpen(false);
    toggle.current?.focus();
  };
  const item = (label: string, action: () => void, disabled = false, danger = false) => (
    <li>
      <button
        type="button"
        class={danger ? 'menu-item danger-text' : 'menu-item'}
        disabled={disabled}
        onClick={() => {
          // Focus goes back to the toggle first, so a dialog the action opens returns it there.
          toggle.current?.focus();
          props.onOpen(false);
          action();
        }}
      >
        {label}
      </button>
    </li>
  );
  return (
    <div
      class="row-menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && props.open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        class="button small secondary"
        aria-expanded={props.open}
        aria-controls={menuId}
        onClick={() => props.onOpen(!props.open)}
      >
        More<span class="visually-hidden"> actions for “{props.page.name}”</span>
      </button>
      {props.open ? (
        <ul class="row-menu-list" id={menuId}>
          {item('Move up', () => props.onMove(-1), !props.canUp || !canEdit.value)}
          {item('Move down', () => props.onMove(1), !props.canDown || !canEdit.value)}
          {item('Duplicate page', props.onDuplicate, !canEdit.value)}
          {item('Delete page…', props.onDelete, !canEdit.value, true)}
        </ul>
      ) : null}
    </div>
  );
}
