import { formatMoney, formatTotals } from '../format';
import { FieldError, Page, type FormState } from './layout';
import type { Board } from '../../workers/contract';

type Column = Board['columns'][number];
type Card = Column['deals'][number];

export interface BoardPageProps {
  user: { name: string; email: string };
  workspace: { id: string; name: string; role: string };
  pipelines: Array<{ id: string; name: string }>;
  board: Board;
  canEdit: boolean;
  /** The add-deal form after a failed post, with its messages. */
  addDeal?: FormState;
  /** A move that was refused (e.g. lost without a reason): shown on that deal's card. */
  moveError?: { dealId: string; message: string; stageId?: string };
}

const DAY_MS = 86_400_000;

const weighted = (list: Column['totals']) => formatTotals(list.map((t) => ({ currency: t.currency, valueMinor: t.weightedValueMinor })));

/** The pipeline as a sales team works it: one column per stage, value and forecast per column, a move form on every card. */
export function PipelineBoardPage(props: BoardPageProps) {
  const { board } = props;
  const stages = board.columns.map((c) => c.stage);
  const firstOpen = stages.find((s) => s.kind === 'open');
  const form = props.addDeal;
  return (
    <Page title={board.pipeline.name} user={props.user}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={`/app?workspace=${props.workspace.id}`}>{props.workspace.name}</a> / {board.pipeline.name}
      </nav>
      <div class="card">
        <h1>{board.pipeline.name}</h1>
        {props.pipelines.length > 1 ? (
          <p class="muted">
            Other pipelines:{' '}
            {props.pipelines
              .filter((p) => p.id !== board.pipeline.id)
              .map((p, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/app/pipelines/${p.id}`}>{p.name}</a>
                </>
              ))}
          </p>
        ) : null}
        <p class="summary">
          <strong>{board.count}</strong> {board.count === 1 ? 'deal' : 'deals'} worth <strong>{formatTotals(board.totals)}</strong> ·
          weighted forecast <strong>{weighted(board.totals)}</strong>
        </p>
        <p class="muted">
          <a href={`/api/exports/pipelines/${board.pipeline.id}/board`}>Download the board as CSV</a>
        </p>
      </div>

      {props.canEdit ? (
        <form class="card add-deal" method="post" action={`/app/pipelines/${board.pipeline.id}/deals`}>
          <h2>Add a deal</h2>
          {form?.message ? (
            <p class="alert" role="alert">
              {form.message}
            </p>
          ) : null}
          <div class="row">
            <div>
              <label for="deal-name">Deal name</label>
              <input
                id="deal-name"
                name="name"
                required
                maxLength={200}
                placeholder="Cosmetics set - Ava Smith"
                value={form?.values.name ?? ''}
              />
              <FieldError id="deal-name-error" message={form?.errors.name} />
            </div>
            <div>
              <label for="deal-amount">Amount</label>
              <input id="deal-amount" name="amount" inputMode="decimal" placeholder="250" value={form?.values.amount ?? ''} />
              <FieldError id="deal-amount-error" message={form?.errors.amount} />
            </div>
            <div>
              <label for="deal-currency">Currency</label>
              <input id="deal-currency" name="currency" maxLength={3} value={form?.values.currency ?? 'USD'} />
              <FieldError id="deal-currency-error" message={form?.errors.currency} />
            </div>
            <div>
              <label for="deal-stage">Stage</label>
              <select id="deal-stage" name="stageId">
                {stages.map((s) => (
                  <option value={s.id} selected={(form?.values.stageId ?? firstOpen?.id) === s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <FieldError id="deal-stage-error" message={form?.errors.stageId ?? form?.errors.lostReason} />
            </div>
          </div>
          <button type="submit">Add deal</button>
        </form>
      ) : (
        <p class="muted">You have read-only access to this workspace.</p>
      )}

      <div class="board" role="list" aria-label="Stages">
        {board.columns.map((column) => (
          <section class="column" role="listitem" aria-labelledby={`s-${column.stage.id}`}>
            <div class="kind">{column.stage.kind === 'open' ? `${column.stage.winProbability}% win` : column.stage.kind}</div>
            <h3 id={`s-${column.stage.id}`}>{column.stage.name}</h3>
            <div class="meta">
              {column.count} {column.count === 1 ? 'deal' : 'deals'} · {formatTotals(column.totals)}
              {column.stage.kind === 'open' ? <div>Weighted {weighted(column.totals)}</div> : null}
              {column.rottingCount ? <div class="rotting">{column.rottingCount} rotting</div> : null}
            </div>
            {column.count === 0 ? <p class="empty">No deals</p> : null}
            {column.deals.map((deal) => (
              <DealCard
                deal={deal}
                column={column}
                stages={stages}
                canEdit={props.canEdit}
                now={board.generatedAt}
                error={props.moveError}
              />
            ))}
            {column.truncated ? (
              <p class="muted">
                + {column.count - column.deals.length} more
                {column.next ? (
                  <>
                    {' '}
                    (<a href={`${column.next}&workspace=${props.workspace.id}`}>next {column.deals.length}</a>)
                  </>
                ) : null}
              </p>
            ) : null}
          </section>
        ))}
      </div>
    </Page>
  );
}

function DealCard(props: {
  deal: Card;
  column: Column;
  stages: Column['stage'][];
  canEdit: boolean;
  now: number;
  error?: BoardPageProps['moveError'];
}) {
  const { deal, column } = props;
  const error = props.error?.dealId === deal.id ? props.error : undefined;
  const idleDays = Math.floor((props.now - deal.stageEnteredAt) / DAY_MS);
  return (
    <article class={deal.rotting ? 'deal rotting-deal' : 'deal'} id={`deal-${deal.id}`} aria-label={deal.name}>
      <strong>{deal.name}</strong>
      <div>{formatMoney(deal.valueMinor, deal.currency)}</div>
      {deal.rotting ? <div class="rotting">Rotting: {idleDays} days in this stage</div> : null}
      {props.canEdit ? (
        <form method="post" action={`/app/deals/${deal.id}/move`} class="move">
          <label for={`move-${deal.id}`}>Move to</label>
          <select id={`move-${deal.id}`} name="stageId">
            {props.stages.map((s) => (
              <option value={s.id} selected={(error?.stageId ?? column.stage.id) === s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <label for={`reason-${deal.id}`}>Lost reason</label>
          <input id={`reason-${deal.id}`} name="lostReason" maxLength={500} aria-invalid={error ? 'true' : undefined} />
          <FieldError id={`move-${deal.id}-error`} message={error?.message} />
          <button type="submit">Move</button>
        </form>
      ) : null}
    </article>
  );
}
