/**
 * A "from – to" pair of date filters, each bounding the other so the range cannot be turned inside
 * out, laid out as two `.filter` cells of a list view's filter bar (leads, audit log).
 */
export function DateRangeFilter(props: {
  /** Prefix of the two inputs' ids: `<prefix>-from`, `<prefix>-to`. */
  idPrefix: string;
  labels: { from: string; to: string };
  from: string;
  to: string;
  onChange: (change: { from: string } | { to: string }) => void;
}) {
  const { idPrefix, labels, from, to, onChange } = props;
  return (
    <>
      <div class="filter">
        <label for={`${idPrefix}-from`}>{labels.from}</label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          value={from}
          max={to || undefined}
          onChange={(e) => onChange({ from: e.currentTarget.value })}
        />
      </div>
      <div class="filter">
        <label for={`${idPrefix}-to`}>{labels.to}</label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          value={to}
          min={from || undefined}
          onChange={(e) => onChange({ to: e.currentTarget.value })}
        />
      </div>
    </>
  );
}
