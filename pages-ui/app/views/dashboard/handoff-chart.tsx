import type { HandoffReport, StepRow } from '../../../../workers/contract';
import { formatCount, formatShare, formatTotals } from '../../format';
import { ChartCard, compact, Svg } from './chart-card';
import { Delta } from './compare';

export const STEP_LABELS: Record<string, string> = {
  visitors: 'Visitors',
  leads: 'Leads',
  qualified: 'Qualified',
  deals: 'Deals created',
  won: 'Won',
};
const COLOURS: Record<string, string> = { visitors: '#4338ca', leads: '#0e7490', qualified: '#0f766e', deals: '#b45309', won: '#15803d' };
const ROW = 50;
export const ORIGIN_LABELS: Record<string, string> = {
  qualification: 'qualification rule',
  automation: 'automation',
  manual: 'added by hand',
  import: 'import',
  api: 'API',
};
const ORIGIN_COLOURS: Record<string, string> = {
  qualification: '#b45309',
  automation: '#f59e0b',
  manual: '#7c2d12',
  import: '#a16207',
  api: '#fcd34d',
};
const originsOf = (s: StepRow) => (s.byOrigin ?? []).filter((o) => o.count > 0);

/** Visitors → leads → qualified → deals created → won, with counts, step conversion and values. */
export function HandoffChart({ report }: { report: HandoffReport }) {
  const steps = report.totals.steps;
  const max = Math.max(1, ...steps.map((s) => s.count));
  const previous = new Map(report.previous?.totals.steps.map((s) => [s.step, s]) ?? []);
  const value = (s: StepRow) => (s.values ? ` (${formatTotals(s.values)})` : '');
  const split = (s: StepRow) =>
    originsOf(s).length
      ? ` — from ${originsOf(s)
          .map((o) => `${ORIGIN_LABELS[o.origin]} ${formatCount(o.count)}`)
          .join(', ')}`
      : '';
  const desc = steps
    .map(
      (s, i) =>
        `${STEP_LABELS[s.step]}: ${formatCount(s.count)}${value(s)}${i ? `, ${formatShare(s.conversionFromPrevious)} of the previous step` : ''}${split(s)}`,
    )
    .join('; ');
  const dealOrigins = originsOf(steps.find((s) => s.step === 'deals')!);
  return (
    <ChartCard
      id="handoff"
      title="Funnel to pipeline handoff"
      extra={
        dealOrigins.length ? (
          <p class="legend muted small">
            Deals created, by origin:
            {dealOrigins.map((o) => (
              <span key={o.origin}>
                {' '}
                <span class="swatch" style={{ background: ORIGIN_COLOURS[o.origin] }} aria-hidden="true" />
                {ORIGIN_LABELS[o.origin]} {formatCount(o.count)}
              </span>
            ))}
          </p>
        ) : null
      }
      chart={(width) => {
        const labelW = 112;
        const barMax = width - labelW - 56;
        return (
          <Svg id="handoff" width={width} height={steps.length * ROW} title="Handoff from visitors to won deals" desc={desc}>
            {steps.map((s, i) => {
              const y = i * ROW;
              const w = Math.max(2, (s.count / max) * barMax);
              return (
                <g key={s.step}>
                  <text x={0} y={y + 18} class="chart-label">
                    {STEP_LABELS[s.step]}
                  </text>
                  <text x={0} y={y + 34} class="chart-note">
                    {i ? `${formatShare(s.conversionFromPrevious)} of prev.` : 'arrived'}
                  </text>
                  {originsOf(s).length ? (
                    originsOf(s).map((o, k, all) => {
                      const before = all.slice(0, k).reduce((n, x) => n + x.count, 0);
                      return (
                        <rect
                          key={o.origin}
                          x={labelW + (before / max) * barMax}
                          y={y + 8}
                          width={(o.count / max) * barMax}
                          height={ROW - 18}
                          fill={ORIGIN_COLOURS[o.origin]}
                        />
                      );
                    })
                  ) : (
                    <rect x={labelW} y={y + 8} width={w} height={ROW - 18} rx={3} fill={COLOURS[s.step]} />
                  )}
                  <text x={labelW + w + 6} y={y + 28} class="chart-value">
                    {compact(s.count)}
                  </text>
                  {s.values?.length ? (
                    <text x={labelW} y={y + ROW - 1} class="chart-note">
                      {formatTotals(s.values)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </Svg>
        );
      }}
      table={() => (
        <table class="table" data-table="handoff">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" class="num">
                Count
              </th>
              <th scope="col" class="num">
                Previous period
              </th>
              <th scope="col" class="num">
                From previous step
              </th>
              <th scope="col" class="num">
                Value
              </th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => {
              const before = previous.get(s.step);
              return [
                <tr key={s.step} data-step={s.step}>
                  <th scope="row">{STEP_LABELS[s.step]}</th>
                  <td class="num" data-value={s.count}>
                    {formatCount(s.count)} {before ? <Delta current={s.count} previous={before.count} /> : null}
                  </td>
                  <td class="num">{before ? formatCount(before.count) : '—'}</td>
                  <td class="num">{formatShare(s.conversionFromPrevious)}</td>
                  <td class="num">{s.values ? formatTotals(s.values) : '—'}</td>
                </tr>,
                ...originsOf(s).map((o) => (
                  <tr key={`${s.step}-${o.origin}`} data-origin={o.origin}>
                    <th scope="row" class="sub-row">
                      … from {ORIGIN_LABELS[o.origin]}
                    </th>
                    <td class="num" data-origin-count={o.count}>
                      {formatCount(o.count)}
                    </td>
                    <td class="num">—</td>
                    <td class="num">{formatShare(s.count ? o.count / s.count : null)} of deals</td>
                    <td class="num">{formatTotals(o.values)}</td>
                  </tr>
                )),
              ];
            })}
          </tbody>
        </table>
      )}
    />
  );
}
