import type { InferResponseType } from 'hono/client';
import { type api } from '../../api';
import { formatCount, formatMoney, formatShare } from '../../format';
import { ChartCard, Svg } from './chart-card';
import { Delta } from './compare';

export type PipelineStats = InferResponseType<(typeof api.pipelines)[':id']['stats']['$get'], 200>;

/** The currency with the most open value: the one the chart draws (the table lists every currency). */
function mainCurrency(stats: PipelineStats): string {
  const sums = new Map<string, number>();
  for (const s of stats.stages) for (const t of s.totals) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.valueMinor);
  return [...sums].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
}

const ROW = 44;

const dealCount = (n: number) => `${formatCount(n)} ${n === 1 ? 'deal' : 'deals'}`;

/** A stage name cut to what fits `px` at the label's bold size (about 8 px a character), with an ellipsis; the table has it whole. */
function fit(name: string, px: number): string {
  const chars = Math.floor(px / 8);
  return name.length > chars ? `${name.slice(0, chars - 1)}…` : name;
}

/** Value per stage (the deals in it now) with its weighted part, and the weighted forecast of the open deals. */
export function PipelineChart({ stats }: { stats: PipelineStats }) {
  const currency = mainCurrency(stats);
  const valueOf = (s: PipelineStats['stages'][number]) =>
    s.totals.find((t) => t.currency === currency) ?? { valueMinor: 0, weightedValueMinor: 0, count: 0 };
  const max = Math.max(1, ...stats.stages.map((s) => valueOf(s).valueMinor));
  const forecast = stats.forecast.find((f) => f.currency === currency);
  const desc =
    stats.stages
      .map(
        (s) =>
          `${s.name}: ${dealCount(s.count)}, ${formatMoney(valueOf(s).valueMinor, currency)}, weighted ${formatMoney(valueOf(s).weightedValueMinor, currency)}`,
      )
      .join('; ') +
    (forecast
      ? `. Weighted forecast of open deals: ${formatMoney(forecast.weightedValueMinor, currency)} of ${formatMoney(forecast.openValueMinor, currency)}.`
      : '');
  return (
    <ChartCard
      id="pipeline"
      title={`Pipeline value per stage: ${stats.pipeline.name}`}
      extra={
        <p class="legend muted small">
          <span class="swatch" style={{ background: '#bbf7d0' }} aria-hidden="true" /> value{' '}
          <span class="swatch" style={{ background: '#15803d' }} aria-hidden="true" /> weighted by win probability
          {forecast ? (
            <>
              {' '}
              · forecast <strong data-forecast={forecast.weightedValueMinor}>
                {formatMoney(forecast.weightedValueMinor, currency)}
              </strong>{' '}
              of {formatMoney(forecast.openValueMinor, currency)} open
            </>
          ) : null}{' '}
          · <a href={`/app/pipelines/${stats.pipeline.id}`}>Open the {stats.pipeline.name} board</a>
        </p>
      }
      chart={(width) => {
        const labelW = Math.min(150, Math.round(width * 0.36));
        const barMax = width - labelW - 80;
        return (
          <Svg id="pipeline" width={width} height={stats.stages.length * ROW} title={`Value per stage in ${currency}`} desc={desc}>
            {stats.stages.map((s, i) => {
              const v = valueOf(s);
              const y = i * ROW;
              return (
                <g key={s.id}>
                  <text x={0} y={y + 18} class="chart-label">
                    {fit(s.name, labelW - 8)}
                  </text>
                  <text x={0} y={y + 34} class="chart-note">
                    {dealCount(s.count)} · {s.kind === 'open' ? `${s.winProbability}%` : s.kind}
                  </text>
                  <rect x={labelW} y={y + 8} width={Math.max(2, (v.valueMinor / max) * barMax)} height={ROW - 16} rx={3} fill="#bbf7d0" />
                  <rect x={labelW} y={y + 8} width={(v.weightedValueMinor / max) * barMax} height={ROW - 16} rx={3} fill="#15803d" />
                  <text x={labelW + Math.max(2, (v.valueMinor / max) * barMax) + 6} y={y + 27} class="chart-value">
                    {formatMoney(v.valueMinor, currency).replace(/\.00$/, '')}
                  </text>
                </g>
              );
            })}
          </Svg>
        );
      }}
      table={() => (
        <table class="table" data-table="pipeline">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Deals
              </th>
              <th scope="col" class="num">
                Value
              </th>
              <th scope="col" class="num">
                Weighted
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.stages.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td class="num">{formatCount(s.count)}</td>
                <td class="num">{s.totals.map((t) => formatMoney(t.valueMinor, t.currency)).join(' + ') || '—'}</td>
                <td class="num">{s.totals.map((t) => formatMoney(t.weightedValueMinor, t.currency)).join(' + ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

/** Win rate, sales velocity and cycle, each against the previous period (`stats.previous`, asked for with `compare=previous`). */
export function SalesTiles({ stats }: { stats: PipelineStats }) {
  const velocity = stats.velocity[0];
  const previous = stats.previous ?? { winRate: null, velocity: [], salesCycle: { averageDays: null } };
  const prevVelocity = previous.velocity.find((v) => v.currency === velocity?.currency);
  return (
    <section class="panel" aria-labelledby="sales-title">
      <h2 id="sales-title">Win rate and sales velocity</h2>
      <dl class="tiles" data-table="sales">
        <div class="tile">
          <dt>Win rate</dt>
          <dd>
            <span class="tile-number" data-value={stats.winRate ?? ''}>
              {formatShare(stats.winRate)}
            </span>{' '}
            {stats.winRate !== null && previous.winRate !== null ? <Delta current={stats.winRate} previous={previous.winRate} /> : null}
            <br />
            <span class="muted small">
              {formatCount(stats.won.count)} won · {formatCount(stats.lost.count)} lost
            </span>
          </dd>
        </div>
        <div class="tile">
          <dt>Sales velocity</dt>
          <dd>
            <span class="tile-number">
              {velocity?.perDayMinor != null ? `${formatMoney(velocity.perDayMinor, velocity.currency)}/day` : '—'}
            </span>{' '}
            {velocity?.perDayMinor != null && prevVelocity?.perDayMinor != null ? (
              <Delta current={velocity.perDayMinor} previous={prevVelocity.perDayMinor} />
            ) : null}
            <br />
            <span class="muted small">open deals × average won value × win rate ÷ cycle days</span>
          </dd>
        </div>
        <div class="tile">
          <dt>Sales cycle</dt>
          <dd>
            <span class="tile-number">
              {stats.salesCycle.averageDays === null ? '—' : `${stats.salesCycle.averageDays.toFixed(1)} days`}
            </span>{' '}
            {stats.salesCycle.averageDays !== null && previous.salesCycle.averageDays !== null ? (
              <Delta current={stats.salesCycle.averageDays} previous={previous.salesCycle.averageDays} lowerIsBetter />
            ) : null}
            <br />
            <span class="muted small">created → won, average of {formatCount(stats.salesCycle.wonDeals)} won deals</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
