import type { FunnelReport } from '../../../../workers/contract';
import { formatCount, formatShare } from '../../format';
import { ChartCard, compact, Svg } from './chart-card';

const ROW = 30;
const SHOWN = 8;
export const sourceName = (s: { source: string; medium: string; campaign: string }) =>
  [s.source || '(direct)', s.medium, s.campaign].filter(Boolean).join(' / ');

/** Visitors per source / medium / campaign, with how many of them reached evaluation (became leads or close). */
export function SourcesChart({ report }: { report: FunnelReport }) {
  const rows = report.bySource.slice(0, SHOWN);
  const max = Math.max(1, ...rows.map((r) => r.stages.awareness));
  const desc = rows.length
    ? rows
        .map((r) => `${sourceName(r)}: ${formatCount(r.stages.awareness)} visitors, ${formatCount(r.stages.evaluation)} reached evaluation`)
        .join('; ')
    : 'No visitors in this period.';
  return (
    <ChartCard
      id="sources"
      title="Sources and campaigns"
      extra={
        <p class="legend muted small">
          <span class="swatch" style={{ background: '#c7d2fe' }} aria-hidden="true" /> visitors{' '}
          <span class="swatch" style={{ background: '#4338ca' }} aria-hidden="true" /> reached evaluation
        </p>
      }
      chart={(width) =>
        rows.length === 0 ? (
          <p class="muted">No visitors in this period.</p>
        ) : (
          <Svg id="sources" width={width} height={rows.length * ROW * 1.6} title="Visitors per source and campaign" desc={desc}>
            {rows.map((r, i) => {
              const y = i * ROW * 1.6;
              const barMax = width - 50;
              const w = Math.max(2, (r.stages.awareness / max) * barMax);
              const e = (r.stages.evaluation / max) * barMax;
              return (
                <g key={sourceName(r)}>
                  <text x={0} y={y + 13} class="chart-label">
                    {sourceName(r)}
                  </text>
                  <rect x={0} y={y + 19} width={w} height={ROW - 12} rx={3} fill="#c7d2fe" />
                  <rect x={0} y={y + 19} width={e} height={ROW - 12} rx={3} fill="#4338ca" />
                  <text x={w + 6} y={y + 32} class="chart-value">
                    {compact(r.stages.awareness)}
                  </text>
                </g>
              );
            })}
          </Svg>
        )
      }
      table={() => (
        <table class="table" data-table="sources">
          <thead>
            <tr>
              <th scope="col">Source / medium / campaign</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Reached evaluation
              </th>
              <th scope="col" class="num">
                Sale
              </th>
              <th scope="col" class="num">
                Visitor → evaluation
              </th>
            </tr>
          </thead>
          <tbody>
            {report.bySource.map((r) => (
              <tr key={sourceName(r)}>
                <th scope="row">{sourceName(r)}</th>
                <td class="num">{formatCount(r.stages.awareness)}</td>
                <td class="num">{formatCount(r.stages.evaluation)}</td>
                <td class="num">{formatCount(r.stages.sale)}</td>
                <td class="num">{formatShare(r.stages.awareness ? r.stages.evaluation / r.stages.awareness : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}
