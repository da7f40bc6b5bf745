import type { FunnelReport } from '../../workers/contract';

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function duration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = ms / 60_000;
  if (minutes < 1) return '< 1 min';
  if (minutes < 120) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/** The funnel at a glance: visitors per stage with bars, conversion and time from the stage before. */
export function FunnelSummary({ report, publicUrl }: { report: FunnelReport; publicUrl: string }) {
  const top = Math.max(1, report.stages[0]?.visitors ?? 0);
  return (
    <section class="card" aria-labelledby={`f-${report.funnel.id}`}>
      <h2 id={`f-${report.funnel.id}`}>
        Funnel: {report.funnel.name}{' '}
        <a class="muted" href={publicUrl}>
          {publicUrl}
        </a>
      </h2>
      <p class="muted">
        {report.period.from} to {report.period.to} · TOFU {report.sections.TOFU} · MOFU {report.sections.MOFU} · BOFU {report.sections.BOFU}
      </p>
      {report.stages[0]?.visitors === 0 ? (
        <p class="empty">No visitors in this period yet. Share the funnel's link to start filling it.</p>
      ) : (
        <table class="funnel">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Visitors</th>
              <th scope="col">From previous</th>
              <th scope="col">Median time</th>
              <th scope="col">Previous period</th>
            </tr>
          </thead>
          <tbody>
            {report.stages.map((s) => (
              <tr>
                <th scope="row">{s.stage}</th>
                <td>
                  <span class="bar" style={`width:${Math.round((s.visitors / top) * 100)}%`} aria-hidden="true" />
                  {s.visitors}
                </td>
                <td>{percent(s.conversionFromPrevious)}</td>
                <td>{duration(s.medianMsFromPrevious)}</td>
                <td>{s.previousPeriodVisitors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.bySource.length > 0 ? (
        <>
          <h3>By source</h3>
          <table class="funnel">
            <thead>
              <tr>
                <th scope="col">Source / medium / campaign</th>
                <th scope="col">Awareness</th>
                <th scope="col">Evaluation</th>
                <th scope="col">Sale</th>
              </tr>
            </thead>
            <tbody>
              {report.bySource.slice(0, 8).map((s) => (
                <tr>
                  <th scope="row">{[s.source || '(direct)', s.medium, s.campaign].filter(Boolean).join(' / ')}</th>
                  <td>{s.stages.awareness}</td>
                  <td>{s.stages.evaluation}</td>
                  <td>{s.stages.sale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
