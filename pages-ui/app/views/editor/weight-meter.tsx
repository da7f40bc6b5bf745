/**
 * The page-weight meter: the published page's first response (gzip) against the 14 KB of a first
 * round trip, and the JavaScript it ships — measured on the very HTML the publisher will store,
 * a moment after each change.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { FIRST_ROUND_TRIP_BYTES, kb, measurePage, publishedHtml, type PageWeight } from './page-weight';

const SETTLE_MS = 250;

export function usePageWeight(html: string): PageWeight | null {
  const [weight, setWeight] = useState<PageWeight | null>(null);
  useEffect(() => {
    if (!html) return;
    let current = true;
    const timer = setTimeout(() => {
      measurePage(publishedHtml(html)).then(
        (w) => current && setWeight(w),
        () => current && setWeight(null),
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [html]);
  return weight;
}

/** One line in the preview's header: "First response 9.8 KB of 14 KB · JS 1.2 KB". */
export function WeightMeter(props: { html: string }) {
  const weight = usePageWeight(props.html);
  if (!weight) return <span class="weight muted">Measuring…</span>;
  return <WeightSummary weight={weight} />;
}

export function WeightSummary(props: { weight: PageWeight; long?: boolean }) {
  const { weight } = props;
  const id = useId();
  const over = weight.gzipBytes > FIRST_ROUND_TRIP_BYTES;
  return (
    <span class={over ? 'weight weight-over' : 'weight'}>
      <label class="weight-label" for={id}>
        First response
      </label>
      <meter
        id={id}
        min={0}
        max={FIRST_ROUND_TRIP_BYTES}
        low={FIRST_ROUND_TRIP_BYTES * 0.75}
        high={FIRST_ROUND_TRIP_BYTES * 0.95}
        optimum={0}
        value={Math.min(weight.gzipBytes, FIRST_ROUND_TRIP_BYTES)}
        aria-valuetext={`${kb(weight.gzipBytes)} of ${kb(FIRST_ROUND_TRIP_BYTES)}`}
      />
      <span class="weight-figure">
        {kb(weight.gzipBytes)} / {kb(FIRST_ROUND_TRIP_BYTES)}
      </span>
      <span class="weight-js">· JS {kb(weight.jsGzipBytes)}</span>
      {props.long ? (
        <span class="weight-note">
          {over
            ? ' Over the first round trip: visitors on slow phones wait an extra round trip. Fewer or smaller blocks help.'
            : ' Arrives in the first round trip.'}{' '}
          {weight.hasIslands
            ? 'The quiz or chat ships its script; forms work without it.'
            : 'No quiz or chat script: only the small visitor tracker runs.'}
        </span>
      ) : null}
    </span>
  );
}
