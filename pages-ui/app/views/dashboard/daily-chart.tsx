import type { DailyPoint, HandoffDaily } from '../../../../workers/contract';
import { formatCount } from '../../format';
import { ChartCard, compact, Svg } from './chart-card';
import { Delta } from './compare';
import { shortDay } from './range';

const SERIES = [
  { key: 'visitors', label: 'Visitors', colour: '#4338ca' },
  { key: 'leads', label: 'Leads', colour: '#0e7490' },
  { key: 'deals', label: 'Deals created', colour: '#b45309' },
] as const;
type SeriesKey = (typeof SERIES)[number]['key'];

const total = (points: DailyPoint[], key: SeriesKey) => points.reduce((n, p) => n + p[key], 0);
const PANEL = 96;
const AXIS = 18;

/** Visitors, leads and deals per day: one small chart each (own scale), the previous period ghosted behind. */
export function DailyChart({ daily }: { daily: HandoffDaily }) {
  const desc = SERIES.map((s) => {
    const now = total(daily.days, s.key);
    const before = total(daily.previous, s.key);
    const peak = daily.days.reduce((b, p) => (p[s.key] > b[s.key] ? p : b), daily.days[0]!);
    return `${s.label}: ${formatCount(now)} in the period (previous period ${formatCount(before)}), peak ${formatCount(peak[s.key])} on ${shortDay(peak.day)}`;
  }).join('. ');
  return (
    <ChartCard
      id="daily"
      title="Visitors, leads and deals per day"
      wide
      extra={
        <p class="legend muted small">
          <span class="swatch solid" aria-hidden="true" /> this period <span class="swatch ghost" aria-hidden="true" /> previous period
          (same length, dashed)
        </p>
      }
      chart={(width) => {
        const left = 44;
        const plotW = width - left - 8;
        const n = daily.days.length;
        const x = (i: number) => left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
        const height = SERIES.length * (PANEL + 10) + AXIS;
        const ticks = [0, Math.floor((n - 1) / 2), n - 1].filter((v, i, a) => a.indexOf(v) === i);
        return (
          <Svg
            id="daily"
            width={width}
            height={height}
            title="Visitors, leads and deals created per day, this period and the previous one"
            desc={desc}
          >
            {SERIES.map((s, row) => {
              const top = row * (PANEL + 10);
              const max = Math.max(1, ...daily.days.map((p) => p[s.key]), ...daily.previous.map((p) => p[s.key]));
              const y = (v: number) => top + 22 + (PANEL - 26) * (1 - v / max);
              const path = (points: DailyPoint[]) =>
                points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join('');
              const area = `${path(daily.days)}L${x(n - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`;
              return (
                <g key={s.key}>
                  <text x={0} y={top + 12} class="chart-label">
                    {s.label} <tspan class="chart-note">{formatCount(total(daily.days, s.key))}</tspan>
                  </text>
                  <line x1={left} x2={left + plotW} y1={y(0)} y2={y(0)} class="axis" />
                  <line x1={left} x2={left + plotW} y1={y(max)} y2={y(max)} class="grid" />
                  <text x={left - 6} y={y(max) + 4} text-anchor="end" class="chart-note">
                    {compact(max)}
                  </text>
                  <text x={left - 6} y={y(0) + 4} text-anchor="end" class="chart-note">
                    0
                  </text>
                  <path d={path(daily.previous.slice(0, n))} class="ghost-line" />
                  <path d={area} fill={s.colour} opacity={0.1} />
                  <path d={path(daily.days)} fill="none" stroke={s.colour} stroke-width={2} stroke-linejoin="round" />
                </g>
              );
            })}
            {ticks.map((i) => (
              <text key={i} x={x(i)} y={height - 4} text-anchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'} class="chart-note">
                {shortDay(daily.days[i]!.day)}
              </text>
            ))}
          </Svg>
        );
      }}
      table={() => (
        <>
          <dl class="tiles">
            {SERIES.map((s) => (
              <div class="tile" key={s.key}>
                <dt>{s.label}</dt>
                <dd>
                  <span class="tile-number" data-total={s.key}>
                    {formatCount(total(daily.days, s.key))}
                  </span>{' '}
                  <Delta current={total(daily.days, s.key)} previous={total(daily.previous, s.key)} />
                </dd>
              </div>
            ))}
          </dl>
          <table class="table" data-table="daily">
            <caption class="visually-hidden">Per day, this period and the same day of the previous period</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {SERIES.map((s) => (
                  <th scope="col" class="num" key={s.key}>
                    {s.label}
                  </th>
                ))}
                <th scope="col">Previous period day</th>
                {SERIES.map((s) => (
                  <th scope="col" class="num" key={s.key}>
                    {s.label} (previous)
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {daily.days.map((p, i) => {
                const prev = daily.previous[i];
                return (
                  <tr key={p.day}>
                    <th scope="row">{p.day}</th>
                    {SERIES.map((s) => (
                      <td class="num" key={s.key}>
                        {formatCount(p[s.key])}
                      </td>
                    ))}
                    <td>{prev?.day ?? '—'}</td>
                    {SERIES.map((s) => (
                      <td class="num" key={s.key}>
                        {prev ? formatCount(prev[s.key]) : '—'}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    />
  );
}
