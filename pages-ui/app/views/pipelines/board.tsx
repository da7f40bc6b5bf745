import { useEffect, useState } from 'preact/hooks';
import type { BoardCard, BoardColumn, BoardStage } from '../../../../workers/contract';
import { api, ApiError, call } from '../../api';
import { formatCount, formatMoney, formatTotals, parseAmount } from '../../format';
import { editable } from '../../shell/can-edit';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { workspaceId } from '../../state';

const DAY_MS = 86_400_000;

type Totals = BoardColumn['totals'];
const weighted = (list: Totals) => formatTotals(list.map((t) => ({ currency: t.currency, valueMinor: t.weightedValueMinor })));

async function loadBoard(id: string) {
  const [board, { pipelines }] = await Promise.all([
    call(api.pipelines[':id'].board.$get({ param: { id }, query: {} })),
    call(api.pipelines.$get()),
  ]);
  return { board, others: pipelines.filter((p) => p.id !== id).map((p) => ({ id: p.id, name: p.name })) };
}

/**
 * The pipeline as a sales team works it: a column per stage in order with its count, value and
 * weighted forecast; cards with a move control; the next 50 cards of a column on demand; add a deal.
 */
export default function PipelineBoard(props: { id: string }) {
  const data = useResource(() => loadBoard(props.id), [props.id]);
  /** Cards loaded with "Show more", per stage, after the board's first page. */
  const [more, setMore] = useState<Record<string, { deals: BoardCard[]; next: string | null }>>({});
  const [focusDeal, setFocusDeal] = useState<string | null>(null);

  useEffect(() => setMore({}), [data.data]);
  useEffect(() => {
    if (!focusDeal || data.loading) return;
    document.getElementById(`deal-${focusDeal}`)?.focus();
    setFocusDeal(null);
  }, [focusDeal, data.loading]);

  if (data.error?.status === 404) {
    return (
      <View title="Pipeline not found" crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}>
        <EmptyState title="There is no such pipeline in this workspace" action={<a href="/app/pipelines">See all pipelines</a>}>
          It may have been deleted, or it belongs to another of your workspaces.
        </EmptyState>
      </View>
    );
  }
  const board = data.data?.board;
  const stages = board?.columns.map((c) => c.stage) ?? [];

  const loadMore = async (column: BoardColumn) => {
    const next = more[column.stage.id]?.next ?? column.next;
    if (!next) return;
    const query = new URL(next, location.origin).searchParams;
    try {
      const page = await call(
        api.pipelines[':id'].board.stages[':stageId'].$get({
          param: { id: props.id, stageId: column.stage.id },
          query: { after: query.get('after') ?? undefined, limit: query.get('limit') ?? undefined },
        }),
      );
      setMore((m) => ({
        ...m,
        [column.stage.id]: { deals: [...(m[column.stage.id]?.deals ?? []), ...page.deals], next: page.next },
      }));
    } catch (err) {
      toast(err instanceof ApiError ? err.message : 'The next cards did not load.', 'error');
    }
  };

  return (
    <View
      title={board?.pipeline.name ?? 'Pipeline'}
      crumbs={[{ href: '/app/pipelines', label: 'Pipelines' }]}
      lede={
        board ? (
          <>
            <strong>{formatCount(board.count)}</strong> {board.count === 1 ? 'deal' : 'deals'} worth{' '}
            <strong>{formatTotals(board.totals)}</strong> · weighted forecast <strong>{weighted(board.totals)}</strong> ·{' '}
            <a
              href={`${api.exports.pipelines[':id'].board.$url({ param: { id: props.id } }).pathname}?workspace=${workspaceId.value ?? ''}`}
            >
              Download as CSV
            </a>
          </>
        ) : undefined
      }
    >
      {data.error ? <InlineError error={data.error} onRetry={data.reload} title="The board did not load." /> : null}
      {!board && data.loading ? <Skeleton rows={6} label="Loading the board…" /> : null}
      {data.data && data.data.others.length ? (
        <p class="muted">
          Other pipelines:{' '}
          {data.data.others.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ', ' : ''}
              <a href={`/app/pipelines/${p.id}`}>{p.name}</a>
            </span>
          ))}
        </p>
      ) : null}
      {board ? (
        <>
          <AddDeal
            pipelineId={board.pipeline.id}
            stages={stages}
            onAdded={(name) => {
              toast(`Deal “${name}” added`);
              data.reload();
            }}
          />
          <ol class="board" aria-label="Stages">
            {board.columns.map((column) => {
              const extra = more[column.stage.id];
              const deals = extra ? [...column.deals, ...extra.deals] : column.deals;
              const next = extra ? extra.next : column.next;
              const headingId = `stage-${column.stage.id}`;
              return (
                <li key={column.stage.id} class="column" aria-labelledby={headingId}>
                  <div class="kind">{column.stage.kind === 'open' ? `${column.stage.winProbability}% win` : column.stage.kind}</div>
                  <h2 id={headingId}>{column.stage.name}</h2>
                  <div class="column-meta">
                    <div>
                      {formatCount(column.count)} {column.count === 1 ? 'deal' : 'deals'} · {formatTotals(column.totals)}
                    </div>
                    {column.stage.kind === 'open' ? <div>Weighted {weighted(column.totals)}</div> : null}
                    {column.rottingCount ? <div class="rotting">{formatCount(column.rottingCount)} rotting</div> : null}
                  </div>
                  {column.count === 0 ? <p class="muted">No deals</p> : null}
                  {deals.map((deal) => (
                    <DealCard
                      key={deal.id}
                      deal={deal}
                      stage={column.stage}
                      stages={stages}
                      now={board.generatedAt}
                      onMoved={(to) => {
                        toast(`Moved “${deal.name}” to ${to.name}`);
                        setFocusDeal(deal.id);
                        data.reload();
                      }}
                    />
                  ))}
                  {next ? (
                    <button type="button" class="button secondary small" onClick={() => void loadMore(column)}>
                      Show the next {Math.min(50, column.count - deals.length)} of {formatCount(column.count - deals.length)} more
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </View>
  );
}

function DealCard(props: { deal: BoardCard; stage: BoardStage; stages: BoardStage[]; now: number; onMoved: (to: BoardStage) => void }) {
  const { deal } = props;
  const [target, setTarget] = useState(props.stage.id);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const to = props.stages.find((s) => s.id === target);
  const idleDays = Math.floor((props.now - deal.stageEnteredAt) / DAY_MS);
  const edit = editable();

  const move = async (e: Event) => {
    e.preventDefault();
    if (!to || to.id === props.stage.id) return setError('Choose another stage.');
    setBusy(true);
    setError(null);
    try {
      await call(
        api.deals[':id'].move.$post({
          param: { id: deal.id },
          json: { stageId: to.id, ...(reason.trim() ? { lostReason: reason.trim() } : {}) },
        }),
      );
      props.onMoved(to);
    } catch (err) {
      setError(err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : 'The deal did not move.');
      setBusy(false);
    }
  };

  return (
    <article class={deal.rotting ? 'deal rotting-deal' : 'deal'} id={`deal-${deal.id}`} aria-label={deal.name} tabIndex={-1}>
      <strong class="deal-name">{deal.name}</strong>
      <div>{formatMoney(deal.valueMinor, deal.currency)}</div>
      {deal.rotting ? <div class="rotting">Rotting: {idleDays} days in this stage</div> : null}
      <form class="move" onSubmit={move}>
        <label for={`move-${deal.id}`}>Move to</label>
        <select id={`move-${deal.id}`} value={target} onChange={(e) => setTarget(e.currentTarget.value)} {...edit}>
          {props.stages.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        {to?.kind === 'lost' ? (
          <>
            <label for={`reason-${deal.id}`}>Lost reason</label>
            <input
              id={`reason-${deal.id}`}
              value={reason}
              maxLength={500}
              onInput={(e) => setReason(e.currentTarget.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `move-${deal.id}-error` : undefined}
              {...edit}
            />
          </>
        ) : null}
        {error ? (
          <p class="field-error" id={`move-${deal.id}-error`} role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="button small" {...edit} disabled={edit.disabled || busy}>
          Move
        </button>
      </form>
    </article>
  );
}

function AddDeal(props: { pipelineId: string; stages: BoardStage[]; onAdded: (name: string) => void }) {
  const firstOpen = props.stages.find((s) => s.kind === 'open') ?? props.stages[0];
  const [name, setName] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [stageId, setStageId] = useState(firstOpen?.id ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const edit = editable();

  const submit = async (e: Event) => {
    e.preventDefault();
    const code = currency.trim().toUpperCase();
    const value = /^[A-Z]{3}$/.test(code) ? parseAmount(amount, code) : { minor: 0 };
    if ('error' in value) return setErrors({ amount: value.error });
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const deal = await call(
        api.deals.$post({ json: { pipelineId: props.pipelineId, stageId, name: name.trim(), valueMinor: value.minor, currency: code } }),
      );
      setName('');
      setAmount('');
      props.onAdded(deal.name);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      else setMessage(err instanceof ApiError ? err.message : 'The deal was not added.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel add-deal" onSubmit={submit} noValidate aria-labelledby="add-deal">
      <h2 id="add-deal">Add a deal</h2>
      {message ? <InlineError error={message} /> : null}
      <div class="form-row">
        <TextField
          id="deal-name"
          label="Deal name"
          value={name}
          maxLength={200}
          placeholder="Cosmetics set - Ava Smith"
          error={errors.name}
          onInput={(e) => setName(e.currentTarget.value)}
          {...edit}
        />
        <TextField
          id="deal-amount"
          label="Amount"
          value={amount}
          inputMode="decimal"
          placeholder="250"
          error={errors.amount ?? errors.valueMinor}
          onInput={(e) => setAmount(e.currentTarget.value)}
          {...edit}
        />
        <TextField
          id="deal-currency"
          label="Currency"
          value={currency}
          maxLength={3}
          error={errors.currency}
          onInput={(e) => setCurrency(e.currentTarget.value)}
          {...edit}
        />
        <div class="field">
          <label for="deal-stage">Stage</label>
          <select id="deal-stage" value={stageId} onChange={(e) => setStageId(e.currentTarget.value)} {...edit}>
            {props.stages.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {errors.stageId || errors.lostReason ? <p class="field-error">{errors.stageId ?? errors.lostReason}</p> : null}
        </div>
      </div>
      <button type="submit" class="button" {...edit} disabled={edit.disabled || busy}>
        {busy ? 'Adding…' : 'Add deal'}
      </button>
    </form>
  );
}
