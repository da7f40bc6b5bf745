/**
 * A figure against the previous period: ↑/↓ and the change in %, coloured and worded as better or
 * worse (for costs and durations lower is better), with the full sentence for screen readers.
 */
export function changeOf(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

export function Delta(props: { current: number; previous: number; lowerIsBetter?: boolean; label?: string }) {
  const change = changeOf(props.current, props.previous);
  if (change === null)
    return (
      <span class="delta flat">
        new<span class="visually-hidden"> (none in the previous period)</span>
      </span>
    );
  const pct = Math.abs(change * 100);
  const text = pct >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  if (change === 0 || text === '0.0')
    return (
      <span class="delta flat">
        ±0%<span class="visually-hidden"> — the same as the previous period</span>
      </span>
    );
  const up = change > 0;
  const better = up !== !!props.lowerIsBetter;
  return (
    <span class={`delta ${better ? 'better' : 'worse'}`}>
      <span aria-hidden="true">
        {up ? '↑' : '↓'} {text}%
      </span>
      <span class="visually-hidden">
        {up ? 'up' : 'down'} {text}% from the previous period ({props.previous.toLocaleString('en-US')}), {better ? 'better' : 'worse'}
      </span>
    </span>
  );
}
