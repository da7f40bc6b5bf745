import { useState } from 'preact/hooks';
import { PRESETS, presetPeriod, type DashboardQuery, type PresetKey } from './range';

/**
 * The range (presets, or custom from–to applied with a button so a half-typed date loads nothing)
 * and the funnel, source and pipeline the charts are for. Every change goes to the URL.
 */
export function Filters(props: {
  query: DashboardQuery;
  onChange: (next: Partial<DashboardQuery>) => void;
  funnels: Array<{ id: string; name: string }>;
  pipelines: Array<{ id: string; name: string }>;
  sources: string[];
}) {
  const q = props.query;
  const [custom, setCustom] = useState(q.range === 'custom');
  const [from, setFrom] = useState(q.period.from);
  const [to, setTo] = useState(q.period.to);
  const [error, setError] = useState('');
  const pick = (key: PresetKey) => {
    if (key === 'custom') {
      setCustom(true);
      return;
    }
    setCustom(false);
    setError('');
    props.onChange({ range: key, period: presetPeriod(key, Date.now()) });
  };
  const apply = (e: Event) => {
    e.preventDefault();
    if (!from || !to) return setError('Pick both days.');
    if (from > to) return setError('“From” must not be after “to”.');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > 366) return setError('Pick at most a year.');
    setError('');
    props.onChange({ range: 'custom', period: { from, to } });
  };
  return (
    <form class="dashboard-filters" onSubmit={apply} aria-label="Dashboard period and filters">
      <div class="dash-field">
        <label for="dash-period">Period</label>
        <select
          id="dash-period"
          value={custom ? 'custom' : q.range}
          onChange={(e) => pick((e.target as HTMLSelectElement).value as PresetKey)}
        >
          {PRESETS.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {custom ? (
        <>
          <div class="dash-field">
            <label for="dash-from">From</label>
            <input
              id="dash-from"
              type="date"
              value={from}
              max={to}
              onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
              aria-describedby="range-error"
            />
          </div>
          <div class="dash-field">
            <label for="dash-to">To</label>
            <input
              id="dash-to"
              type="date"
              value={to}
              min={from}
              onInput={(e) => setTo((e.target as HTMLInputElement).value)}
              aria-describedby="range-error"
            />
          </div>
          <button type="submit" class="button secondary">
            Apply
          </button>
          <p id="range-error" class="field-error" role="alert">
            {error}
          </p>
        </>
      ) : null}
      {props.funnels.length > 1 ? (
        <div class="dash-field">
          <label for="dash-funnel">Funnel</label>
          <select
            id="dash-funnel"
            value={q.funnel ?? props.funnels[0]!.id}
            onChange={(e) => props.onChange({ funnel: (e.target as HTMLSelectElement).value })}
          >
            {props.funnels.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div class="dash-field">
        <label for="dash-source">Source</label>
        <select
          id="dash-source"
          value={q.source === null ? '*' : q.source}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            props.onChange({ source: v === '*' ? null : v });
          }}
        >
          <option value="*">All sources</option>
          {props.sources.map((s) => (
            <option key={s} value={s}>
              {s || '(direct)'}
            </option>
          ))}
        </select>
      </div>
      {props.pipelines.length > 1 ? (
        <div class="dash-field">
          <label for="dash-pipeline">Pipeline</label>
          <select
            id="dash-pipeline"
            value={q.pipeline ?? props.pipelines[0]!.id}
            onChange={(e) => props.onChange({ pipeline: (e.target as HTMLSelectElement).value })}
          >
            {props.pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </form>
  );
}
