import type { FunnelReport, FunnelSections } from '../../../../workers/contract';
import { formatCount, formatShare } from '../../format';
import { ChartCard, compact, Svg } from './chart-card';
import { Delta } from './compare';

export const STAGE_LABELS: Record<string, string> = {
  awareness: 'Awareness',
  interest: 'Interest',
  evaluation: 'Evaluation',
  desire: 'Desire',
  sale: 'Sale',
  retention: 'Retention',
};

/** A median read from buckets: "≈ 4.2 min", "under 1 s" (never "0"), "—" without data. */
export function formatMedian(ms: number | null, range: { lowMs: number; highMs: number } | null): string {
  if (ms === null || range === null) return '—';
  if (range.highMs <= 1000) return 'under 1 s';
  const s = ms / 1000;
  if (s < 60) return `≈ ${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const min = s / 60;
  if (min < 60) return `≈ ${min < 10 ? min.toFixed(1) : Math.round(min)} min`;
  const h = min / 60;
  return h < 48 ? `≈ ${h.toFixed(1)} h` : `≈ ${(h / 24).toFixed(1)} days`;
}

const ROW = 48;
const COLOURS = ['#4338ca', '#5b4fd6', '#7463e0', '#8e79e8', '#a78fef', '#c0a8f4'];

/** The six stages as a funnel: visitors per stage, the step conversion and median time between them. */
export function FunnelChart({ report, sections }: { report: FunnelReport; sections: FunnelSections }) {
  const top = Math.max(1, report.stages[0]!.visitors);
  const desc = report.stages
    .map(
      (s, i) =>
        `${STAGE_LABELS[s.stage]}: ${formatCount(s.visitors)} visitors` +
        (i === 0
          ? ''
          : `, ${formatShare(s.conversionFromPrevious)} of the previous stage, median time ${formatMedian(s.medianMsFromPrevious, s.medianRangeMs)}`),
    )
    .join('; ');
  return (
    <ChartCard
      id="funnel"
      title={`Funnel: ${report.funnel.name}`}
      wide
      extra={<Sections sections={sections} />}
      chart={(width) => {
        const labelW = width < 480 ? 84 : 110;
        const barMax = width - labelW - 8;
        return (
          <Svg
            id="funnel"
            width={width}
            height={report.stages.length * ROW}
            title={`Visitors per funnel stage, ${report.funnel.name}`}
            desc={desc}
          >
            {report.stages.map((s, i) => {
              const w = Math.max(2, (s.visitors / top) * barMax);
              const y = i * ROW;
              const x = labelW + (barMax - w) / 2;
              const inside = w > 70;
              return (
                <g key={s.stage}>
                  <text x={0} y={y + 20} class="chart-label">
                    {STAGE_LABELS[s.stage]}
                  </text>
                  {i > 0 ? (
                    <text x={0} y={y + 36} class="chart-note">
                      {formatShare(s.conversionFromPrevious)} · {formatMedian(s.medianMsFromPrevious, s.medianRangeMs)}
                    </text>
                  ) : (
                    <text x={0} y={y + 36} class="chart-note">
                      entered
                    </text>
                  )}
                  <rect x={x} y={y + 6} width={w} height={ROW - 14} rx={4} fill={COLOURS[i]} />
                  <text
                    x={inside ? x + w / 2 : x + w + 6}
                    y={y + 6 + (ROW - 14) / 2 + 5}
                    text-anchor={inside ? 'middle' : 'start'}
                    class={inside ? 'chart-value on-bar' : 'chart-value'}
                  >
                    {compact(s.visitors)}
                  </text>
                </g>
              );
            })}
          </Svg>
        );
      }}
      table={() => (
        <table class="table" data-table="funnel">
          <caption class="visually-hidden">Visitors per stage, {report.funnel.name}</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">
                Visitors
              </th>
              <th scope="col" class="num">
                Previous period
              </th>
              <th scope="col" class="num">
                From previous stage
              </th>
              <th scope="col" class="num">
                Median time from previous (≈ ±9 %)
              </th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr key={s.stage} data-stage={s.stage}>
                <th scope="row">{STAGE_LABELS[s.stage]}</th>
                <td class="num" data-value={s.visitors}>
                  {formatCount(s.visitors)} <Delta current={s.visitors} previous={s.previousPeriodVisitors} />
                </td>
                <td class="num">{formatCount(s.previousPeriodVisitors)}</td>
                <td class="num">{formatShare(s.conversionFromPrevious)}</td>
                <td class="num">{formatMedian(s.medianMsFromPrevious, s.medianRangeMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

/** TOFU / MOFU / BOFU as people: reached (got at least this far) and now in (furthest stage inside). */
function Sections({ sections }: { sections: FunnelSections }) {
  return (
    <div class="sections">
      <p class="muted small">
        People who arrived in the period, each counted once: <strong>reached</strong> = got at least to the section, <strong>now in</strong>{' '}
        = their furthest stage is inside it.
      </p>
      <dl class="tiles" data-table="sections">
        {sections.sections.map((s) => (
          <div class="tile" key={s.section} data-section={s.section}>
            <dt>
              {s.section} <span class="muted small">({s.stages.map((st) => STAGE_LABELS[st]).join(', ')})</span>
            </dt>
            <dd>
              <span class="tile-number" data-value={s.reached}>
                {formatCount(s.reached)}
              </span>{' '}
              reached <Delta current={s.reached} previous={s.previous.reached} />
              <br />
              <span class="muted small">
                <span data-current={s.current}>{formatCount(s.current)}</span> now in · {formatShare(s.shareOfVisitors)} of visitors
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
