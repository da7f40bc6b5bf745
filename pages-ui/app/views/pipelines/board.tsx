/**
 * The pipeline board as a sales team works it: a column per stage with its count, value and
 * weighted value per currency, compact cards that open the deal, drag and drop between and within
 * columns (pragmatic-drag-and-drop) with a keyboard path (Space lifts a card, arrows move it, Space
 * or Enter drops, Escape cancels) announced to screen readers. A move shows at once and is put back
 * with a message if the server refuses it; a lost stage asks for the reason first. Columns load
 * more as they scroll; owner, status and search filters live in the URL; a column adds a deal from
 * its head; the header switches pipelines and creates one from a template.
 */
import { monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { useLocation } from 'preact-iso/router';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { formatCount, formatTotals } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { canEdit, session, workspaceId } from '../../state';
import { BoardColumn } from './board-column';
import {
  boardTotals,
  columnsOf,
  dropIndex,
  findCard,
  insertCard,
  keyboardStep,
  moveCard,
  removeCard,
  replaceCard,
  withTotalsOf,
  type Card,
  type ColumnState,
  type Place,
} from './board-state';
import { CARD_DRAG, type Owner } from './deal-card';
import { LostReasonDialog } from './lost-reason';
import { NewPipelineDialog } from './new-pipeline';
import './board.css';

const STATUSES = ['open', 'won', 'lost'] as const;
type Status = (typeof STATUSES)[number];
/** Cards per column on the first load: a screenful and some, so 10,000-deal boards render quickly; the rest come as a column scrolls. */
const FIRST_PAGE = 25;
/** Cards per "load more" page. */
const PAGE = 100;
const TOTALS_REFRESH_MS = 400;

interface Filters {
  owner: string;
  status: Status | '';
  q: string;
}

function filtersFrom(query: Record<string, string | undefined>): Filters {
  const status = STATUSES.find((s) => s === query.status) ?? '';
  return { owner: query.owner ?? '', status, q: (query.q ?? '').trim() };
}

function searchOf(f: Filters): string {
  const p = new URLSearchParams();
  if (f.owner) p.set('owner', f.owner);
  if (f.status) p.set('status', f.status);
  if (f.q) p.set('q', f.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const apiFilter = (f: Filters) => ({ ...(f.owner ? { owner: f.owner } : {}), ...(f.q ? { q: f.q } : {}) });

function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s@._-]+/)
    .filter(Boolean);
  return (words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0] ?? '?').slice(0, 2)).toUpperCase();
}

const weighted = (totals: ColumnState['totals']) =>
  formatTotals(totals.map((t) => ({ currency: t.currency, valueMinor: t.weightedValueMinor })));

interface Lift {
  id: string;
  origin: Place;
  card: Card;
}

interface PendingLost {
  id: string;
  to: Place;
  origin: Place;
  card: Card;
  startedAt: number;
}

export default function PipelineBoard(props: { id: string }) {
  const { query, route } = useLocation();
  const filters = filtersFrom(query);
  const board = useResource(
    () => call(api.pipelines[':id'].board.$get({ param: { id: props.id }, query: { limit: String(FIRST_PAGE), ...apiFilter(filters) } })),
    [props.id, filters.owner, filters.q],
  );
  const pipelines = useResource(() => call(api.pipelines.$get()));
  const members = useResource(() => call(api.workspace.members.$get()));
  const editable = canEdit.value;

  // The loaded board, and the local changes made to it since (moves, pages, quick adds).
  const base = useMemo(() => (board.data ? columnsOf(board.data) : []), [board.data]);
  const [local, setLocal] = useState<{ base: ColumnState[]; columns: ColumnState[] } | null>(null);
  const columns = local && local.base === base ? local.columns : base;
  const columnsRef = useRef(columns);
  columnsRef.current = columns;
  const baseRef = useRef(base);
  baseRef.current = base;
  const update = (change: (columns: ColumnState[]) => ColumnState[]) => {
    const next = change(columnsRef.current);
    columnsRef.current = next;
    setLocal({ base: baseRef.current, columns: next });
  };

  const now = board.data?.generatedAt ?? 0;
  const [lift, setLiftState] = useState<Lift | null>(null);
  // Keys can come faster than renders: the handler reads the lift from this ref, set at once.
  const liftRef = useRef(lift);
  const setLift = (next: Lift | null) => {
    liftRef.current = next;
    setLiftState(next);
  };
  const [pendingLost, setPendingLost] = useState<PendingLost | null>(null);
  const [message, setMessage] = useState('');
  const [paging, setPaging] = useState<Record<string, { busy: boolean; error: string | null }>>({});
  const pagingRef = useRef(new Set<string>());
  const [phoneStage, setPhoneStage] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState(filters.q);
  const inFlight = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>();
  const scroller = useRef<HTMLDivElement>(null);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const visible = filters.status ? columns.filter((c) => c.stage.kind === filters.status) : columns;
  const currentStage = visible.find((c) => c.stage.id === phoneStage)?.stage.id ?? visible[0]?.stage.id ?? null;

  const announce = (text: string) => setMessage(text);
  const go = (next: Filters) => route(`/app/pipelines/${props.id}${searchOf(next)}`, true);

  // A new board (another pipeline or filter) starts clean.
  useEffect(() => {
    setLift(null);
    setPaging({});
    pagingRef.current.clear();
  }, [base]);
  useEffect(() => setSearch(filters.q), [filters.q]);
  // Typing filters after a pause, so each key press does not reload the board.
  useEffect(() => {
    if (search.trim() === filters.q) return;
    const timer = setTimeout(() => go({ ...filtersRef.current, q: search.trim() }), 300);
    return () => clearTimeout(timer);
  }, [search]);

  // The board fills the window below its header, so the page itself does not scroll; each column does.
  useLayoutEffect(() => {
    const fit = () => {
      const el = scroller.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `${Math.max(320, window.innerHeight - top - 16)}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  });

  // When the cards are first on screen (the bench reads this mark).
  const marked = useRef<unknown>(null);
  useEffect(() => {
    if (board.data && marked.current !== board.data) {
      marked.current = board.data;
      performance.mark('lf:board-ready');
    }
  }, [board.data]);

  const stageOf = (stageId: string) => columnsRef.current.find((c) => c.stage.id === stageId)?.stage;
  const placeText = (id: string) => {
    const at = findCard(columnsRef.current, id);
    if (!at) return '';
    const column = columnsRef.current[at.column]!;
    return `${column.stage.name}, position ${at.index + 1} of ${column.deals.length}`;
  };
  const focusCard = (id: string) =>
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-deal-id="${CSS.escape(id)}"]`)?.focus());

  const refreshTotals = () => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      if (inFlight.current > 0) return refreshTotals();
      const source = baseRef.current;
      call(api.pipelines[':id'].board.$get({ param: { id: props.id }, query: { limit: '1', ...apiFilter(filtersRef.current) } })).then(
        (fresh) => baseRef.current === source && inFlight.current === 0 && update((cols) => withTotalsOf(cols, fresh)),
        () => undefined, // the optimistic totals stay; the next move or load corrects them
      );
    }, TOTALS_REFRESH_MS);
  };
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  /** Shows the move at once, saves it, and puts the card back with a message if the server refuses. */
  const persist = (id: string, to: Place, origin: Place, card: Card, startedAt: number, lostReason?: string) => {
    const boardNow = now;
    update((cols) => moveCard(moveCard(cols, id, origin, boardNow, card), id, to, boardNow));
    inFlight.current += 1;
    const position = filtersRef.current.owner || filtersRef.current.q ? 0 : to.index;
    call(api.deals[':id'].move.$post({ param: { id }, json: { stageId: to.stageId, position, ...(lostReason ? { lostReason } : {}) } }))
      .then(
        () => {
          // The card was already drawn in its new place (Preact renders in a microtask after the drop): saved is the later event.
          performance.measure('lf:board-move', { start: startedAt, end: performance.now() });
          refreshTotals();
        },
        (err: unknown) => {
          update((cols) => moveCard(cols, id, origin, boardNow, card));
          const from = stageOf(origin.stageId)?.name ?? 'its stage';
          const why = err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : 'The server did not answer.';
          const text = `“${card.name}” was not moved and is back in ${from}: ${why}`;
          toast(text, 'error');
          announce(text);
          // A refusal means this board is out of date (a stage deleted, a deal moved elsewhere): read it again.
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) board.reload();
        },
      )
      .finally(() => (inFlight.current -= 1));
  };

  /** A drop (by mouse or keyboard) at `to`: saved, or first asks for the reason when `to` is the lost stage. */
  const requestMove = (id: string, to: Place, origin: Place, card: Card, startedAt: number) => {
    if (to.stageId === origin.stageId && to.index === origin.index) return;
    const stage = stageOf(to.stageId);
    if (!stage) return;
    if (stage.kind === 'lost' && origin.stageId !== to.stageId) {
      setPendingLost({ id, to, origin, card, startedAt });
      return;
    }
    persist(id, to, origin, card, startedAt);
  };

  const handlers = useRef({ requestMove });
  handlers.current = { requestMove };

  useEffect(() => {
    if (!editable) return;
    return monitorForElements({
      canMonitor: ({ source }) => source.data.kind === CARD_DRAG,
      onDrop: ({ source, location }) => {
        const startedAt = performance.now();
        const target = location.current.dropTargets[0];
        const id = source.data.id as string;
        const cols = columnsRef.current;
        const from = findCard(cols, id);
        if (!target || !from) return;
        const origin = { stageId: cols[from.column]!.stage.id, index: from.index };
        const stageId = target.data.stageId as string;
        const column = cols.find((c) => c.stage.id === stageId);
        if (!column) return;
        let index: number;
        if (target.data.kind === 'card') {
          if (target.data.id === id) return;
          const at = column.deals.findIndex((d) => d.id === target.data.id);
          index = dropIndex(stageId === origin.stageId ? from.index : -1, at, target.data.edge as 'top' | 'bottom');
        } else {
          index = stageId === origin.stageId ? column.deals.length - 1 : column.deals.length;
        }
        // A filtered column shows some of its deals: a moved card goes to the top, where the server puts it too.
        if (filtersRef.current.owner || filtersRef.current.q) {
          if (stageId === origin.stageId) return;
          index = 0;
        }
        handlers.current.requestMove(id, { stageId, index }, origin, from.card, startedAt);
        if (column.stage.kind !== 'lost' || stageId === origin.stageId) announce(`${from.card.name} moved to ${placeText(id)}.`);
      },
    });
  }, [editable]);

  const onCardKeyDown = (e: KeyboardEvent, card: Card) => {
    if (liftRef.current || e.key !== ' ') return;
    e.preventDefault();
    // The document's listener below handles keys while a card is lifted: not this one again.
    e.stopPropagation();
    if (!editable) return announce('You are a viewer here, so deals cannot be moved.');
    const at = findCard(columnsRef.current, card.id);
    if (!at) return;
    setLift({ id: card.id, origin: { stageId: columnsRef.current[at.column]!.stage.id, index: at.index }, card });
    announce(
      `Picked up ${card.name} in ${placeText(card.id)}. Up and down arrows move it in the column, left and right to another stage; Space or Enter drops it, Escape cancels.`,
    );
  };

  /**
   * Keys while a card is lifted, listened to on the document: a step to another column re-creates
   * the card's element, and a key pressed before focus reaches the new one must still count.
   */
  const onLiftedKey = (e: KeyboardEvent) => {
    const lifted = liftRef.current;
    if (!lifted) return;
    const card = lifted.card;
    const key = e.key;
    if (key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight') {
      e.preventDefault();
      const shown = filtersRef.current.status
        ? columnsRef.current.filter((c) => c.stage.kind === filtersRef.current.status)
        : columnsRef.current;
      const isFiltered = Boolean(filtersRef.current.owner || filtersRef.current.q);
      if (isFiltered && (key === 'ArrowUp' || key === 'ArrowDown')) {
        return announce('The board is filtered, so cards keep their order; move them between stages with left and right.');
      }
      const step = keyboardStep(shown, card.id, key);
      if (!step) return announce(`${card.name} is already at the ${key === 'ArrowUp' ? 'top' : key === 'ArrowDown' ? 'bottom' : 'edge'}.`);
      update((cols) => moveCard(cols, card.id, isFiltered ? { ...step, index: 0 } : step, now, lifted.card));
      setPhoneStage(step.stageId);
      focusCard(card.id);
      announce(`${card.name}: ${placeText(card.id)}.`);
      return;
    }
    if (key === ' ' || key === 'Enter') {
      e.preventDefault();
      const startedAt = performance.now();
      setLift(null);
      const at = findCard(columnsRef.current, card.id);
      if (!at) return;
      const to = { stageId: columnsRef.current[at.column]!.stage.id, index: at.index };
      if (to.stageId === lifted.origin.stageId && to.index === lifted.origin.index) return announce(`${card.name} dropped where it was.`);
      announce(`${card.name} dropped in ${placeText(card.id)}.`);
      requestMove(card.id, to, lifted.origin, lifted.card, startedAt);
      return;
    }
    if (key === 'Escape' || key === 'Tab') {
      if (key === 'Escape') e.preventDefault();
      setLift(null);
      update((cols) => moveCard(cols, card.id, lifted.origin, now, lifted.card));
      if (key === 'Escape') focusCard(card.id);
      setPhoneStage(lifted.origin.stageId);
      announce(`Move cancelled. ${card.name} is back in ${stageOf(lifted.origin.stageId)?.name ?? 'its stage'}.`);
    }
  };

  const liftedKey = useRef(onLiftedKey);
  liftedKey.current = onLiftedKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => liftedKey.current(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const loadMore = async (stageId: string) => {
    const column = columnsRef.current.find((c) => c.stage.id === stageId);
    if (!column?.next || pagingRef.current.has(stageId)) return;
    const after = new URL(column.next, location.origin).searchParams.get('after') ?? undefined;
    const source = baseRef.current;
    pagingRef.current.add(stageId);
    setPaging((p) => ({ ...p, [stageId]: { busy: true, error: null } }));
    try {
      const page = await call(
        api.pipelines[':id'].board.stages[':stageId'].$get({
          param: { id: props.id, stageId },
          query: { after, limit: String(PAGE), ...apiFilter(filtersRef.current) },
        }),
      );
      if (baseRef.current !== source) return;
      update((cols) =>
        cols.map((c) => {
          if (c.stage.id !== stageId) return c;
          // A card moved here since the board loaded can also come in the page: keep one copy.
          const seen = new Set(c.deals.map((d) => d.id));
          return { ...c, deals: [...c.deals, ...page.deals.filter((d) => !seen.has(d.id))], next: page.next };
        }),
      );
      setPaging((p) => ({ ...p, [stageId]: { busy: false, error: null } }));
    } catch (err) {
      setPaging((p) => ({ ...p, [stageId]: { busy: false, error: err instanceof ApiError ? err.message : 'More deals did not load.' } }));
    } finally {
      pagingRef.current.delete(stageId);
    }
  };

  const newId = useRef(0);
  const quickAdd = async (stageId: string, name: string, valueMinor: number, currency: string): Promise<string | null> => {
    const temp: Card = {
      id: `new-${++newId.current}`,
      name,
      valueMinor,
      currency,
      leadId: null,
      ownerId: session.value.user.id,
      expectedCloseAt: null,
      stageEnteredAt: now,
      rotting: false,
      nextActivity: null,
    };
    update((cols) => insertCard(cols, stageId, temp, 0));
    try {
      const deal = await call(api.deals.$post({ json: { pipelineId: props.id, stageId, name, valueMinor, currency, position: 0 } }));
      update((cols) => replaceCard(cols, temp.id, { ...temp, id: deal.id, ownerId: deal.ownerId, stageEnteredAt: now }));
      announce(`Deal ${name} added to ${stageOf(stageId)?.name ?? 'the stage'}.`);
      toast(`Deal “${name}” added`);
      refreshTotals();
      return null;
    } catch (err) {
      update((cols) => removeCard(cols, temp.id));
      return err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : 'The deal was not added.';
    }
  };

  const owners = useMemo(() => {
    const map = new Map<string, Owner>();
    for (const m of members.data?.members ?? []) map.set(m.userId, { name: m.name || m.email, initials: initials(m.name || m.email) });
    return map;
  }, [members.data]);

  if (board.error?.status === 404) {
    return (
      <View title="Pipeline not found" crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}>
        <EmptyState title="There is no such pipeline in this workspace" action={<a href="/app/pipelines">See all pipelines</a>}>
          It may have been deleted, or it belongs to another of your workspaces.
        </EmptyState>
      </View>
    );
  }

  const data = board.data;
  const summary = boardTotals(visible);
  const defaultCurrency = summary.totals[0]?.currency ?? 'USD';
  const narrowed = Boolean(filters.owner || filters.q || filters.status);
  const pipelineList = pipelines.data?.pipelines ?? [];

  return (
    <View
      title={data?.pipeline.name ?? 'Pipeline'}
      crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}
      actions={
        <>
          {pipelineList.length > 1 ? (
            <label class="board-switch">
              <span class="visually-hidden">Pipeline</span>
              <select value={props.id} onChange={(e) => route(`/app/pipelines/${e.currentTarget.value}`)}>
                {pipelineList.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <a class="button secondary" href={`/app/pipelines/${props.id}/settings`}>
            {editable ? 'Edit pipeline' : 'Pipeline settings'}
          </a>
          {editable ? (
            <button type="button" class="button secondary" onClick={() => setCreating(true)}>
              New pipeline
            </button>
          ) : null}
        </>
      }
    >
      <div class="board-toolbar" role="search" aria-label="Filter deals">
        <div class="board-filter">
          <label for="board-search">Search</label>
          <input id="board-search" type="search" value={search} placeholder="Deal name" onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div class="board-filter">
          <label for="board-owner">Owner</label>
          <select id="board-owner" value={filters.owner} onChange={(e) => go({ ...filters, owner: e.currentTarget.value })}>
            <option value="">Everyone</option>
            {members.data?.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name || m.email}
              </option>
            ))}
          </select>
        </div>
        <div class="board-filter">
          <label for="board-status">Status</label>
          <select
            id="board-status"
            value={filters.status}
            onChange={(e) => go({ ...filters, status: e.currentTarget.value as Status | '' })}
          >
            <option value="">All stages</option>
            <option value="open">Open</option>
            <option value="won">Won</option>
            <option value="lost">Lost</option>
          </select>
        </div>
        {narrowed ? (
          <button type="button" class="button secondary small board-clear" onClick={() => go({ owner: '', status: '', q: '' })}>
            Clear filters
          </button>
        ) : null}
        {data ? (
          <p class="board-summary">
            <strong>{formatCount(summary.count)}</strong> {summary.count === 1 ? 'deal' : 'deals'}
            {narrowed ? ' match' : ''} · <strong>{formatTotals(summary.totals)}</strong> · weighted{' '}
            <strong>{weighted(summary.totals)}</strong> ·{' '}
            <a
              href={`${api.exports.pipelines[':id'].board.$url({ param: { id: props.id } }).pathname}?workspace=${workspaceId.value ?? ''}`}
            >
              CSV
            </a>
          </p>
        ) : null}
      </div>
      <p id="board-help" class="board-help">
        {editable
          ? 'Drag a card to another stage or place. Keyboard: Space picks a card up, arrows move it, Space or Enter drops it, Escape cancels. Enter on a card opens the deal.'
          : 'Enter on a card opens the deal.'}
      </p>
      <div class="visually-hidden" role="status" aria-live="assertive" aria-atomic="true" id="board-live">
        {message}
      </div>
      {board.error ? <InlineError error={board.error} onRetry={board.reload} title="The board did not load." /> : null}
      {!data && board.loading ? <Skeleton rows={6} label="Loading the board…" /> : null}
      {data && narrowed && summary.count === 0 ? (
        <p class="board-nomatch">
          No deals match these filters.{' '}
          <button type="button" class="link-button" onClick={() => go({ owner: '', status: '', q: '' })}>
            Show every deal
          </button>
        </p>
      ) : null}
      {data && visible.length > 1 ? (
        <div class="board-picker">
          <label for="board-stage">Stage</label>
          <select id="board-stage" value={currentStage ?? ''} onChange={(e) => setPhoneStage(e.currentTarget.value)}>
            {visible.map((c) => (
              <option key={c.stage.id} value={c.stage.id}>
                {c.stage.name} ({formatCount(c.count)})
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {data ? (
        <div class={board.loading ? 'board-scroller is-stale' : 'board-scroller'} ref={scroller}>
          {visible.map((column) => (
            <BoardColumn
              key={column.stage.id}
              column={column}
              now={now}
              owners={owners}
              liftedId={lift?.id ?? null}
              canEdit={editable}
              current={column.stage.id === currentStage}
              currency={column.totals[0]?.currency ?? defaultCurrency}
              loadingMore={paging[column.stage.id]?.busy ?? false}
              loadError={paging[column.stage.id]?.error ?? null}
              onLoadMore={(stageId) => void loadMore(stageId)}
              onCardKeyDown={onCardKeyDown}
              onQuickAdd={quickAdd}
            />
          ))}
        </div>
      ) : null}
      {pendingLost ? (
        <LostReasonDialog
          dealName={pendingLost.card.name}
          stageName={stageOf(pendingLost.to.stageId)?.name ?? 'Lost'}
          onCancel={() => {
            const p = pendingLost;
            setPendingLost(null);
            update((cols) => moveCard(cols, p.id, p.origin, now, p.card));
            setPhoneStage(p.origin.stageId);
            announce(`Move cancelled. ${p.card.name} stays in ${stageOf(p.origin.stageId)?.name ?? 'its stage'}.`);
            focusCard(p.id);
          }}
          onConfirm={(reason) => {
            const p = pendingLost;
            setPendingLost(null);
            persist(p.id, p.to, p.origin, p.card, p.startedAt, reason);
            announce(`${p.card.name} marked lost: ${reason}.`);
            focusCard(p.id);
          }}
        />
      ) : null}
      {creating ? (
        <NewPipelineDialog
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            toast(`Pipeline “${p.name}” created`);
            pipelines.reload();
            route(`/app/pipelines/${p.id}`);
          }}
        />
      ) : null}
    </View>
  );
}
