import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * The frame of every chart: a heading, the chart or — after "Table view" — the same numbers as a
 * table. The chart is an SVG sized by its viewBox to the card's measured width (1 unit = 1 CSS
 * pixel), so text keeps its size from 390 px to 1280 px and nothing overflows.
 */
export function ChartCard(props: {
  id: string;
  title: string;
  /** Filters or a legend shown under the heading. */
  extra?: ComponentChildren;
  /** The chart, drawn for a width in pixels. */
  chart: (width: number) => JSX.Element;
  table: () => JSX.Element;
  wide?: boolean;
}) {
  const [asTable, setAsTable] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [asTable]);
  return (
    <section class={`panel chart-card${props.wide ? ' wide' : ''}`} aria-labelledby={`${props.id}-title`} data-chart={props.id}>
      <div class="chart-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <button type="button" class="link-button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? 'Chart view' : 'Table view'}
        </button>
      </div>
      {props.extra}
      {asTable ? (
        // Focusable, so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable).
        <div class="chart-table" tabIndex={0} role="region" aria-label={`${props.title}: table`}>
          {props.table()}
        </div>
      ) : (
        <div class="chart-box" ref={box}>
          {width > 0 ? props.chart(width) : null}
        </div>
      )}
    </section>
  );
}

/**
 * An accessible SVG: `role="img"`, named by its <title> and described by its <desc>, which say the
 * numbers in words (what a screen reader reads instead of the shapes).
 */
export function Svg(props: { id: string; width: number; height: number; title: string; desc: string; children: ComponentChildren }) {
  return (
    <svg
      class="chart"
      role="img"
      viewBox={`0 0 ${props.width} ${props.height}`}
      width={props.width}
      height={props.height}
      aria-labelledby={`${props.id}-svg-title ${props.id}-svg-desc`}
    >
      <title id={`${props.id}-svg-title`}>{props.title}</title>
      <desc id={`${props.id}-svg-desc`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

/** A short number for axes and bar ends: 1,234 → "1.2k". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${(n / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
