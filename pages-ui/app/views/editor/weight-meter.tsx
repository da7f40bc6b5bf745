/**
 * The page-weight meter: the published page's first response (gzip) against the 14 KB of a first
 * round trip, and the JavaScript it ships — measured on the very HTML the publisher will store,
 * a moment after each change.
 */
import { useSignal, useSignalEffect, type ReadonlySignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { kb, measurePage, publishedHtml, type PageWeight } from './page-weight';

const SETTLE_MS = 250;

/** The weight of the page as it is now, measured a moment after each change (one measurement for the whole editor). */
export function usePageWeight(html: ReadonlySignal<string>): ReadonlySignal<PageWeight | null> {
  const weight = useSignal<PageWeight | null>(null);
  useSignalEffect(() => {
    const text = html.value;
    if (!text) return;
    let current = true;
    const timer = setTimeout(() => {
      measurePage(publishedHtml(text)).then(
        (w) => current && (weight.value = w),
        () => current && (weight.value = null),
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  });
  return weight;
}

/** One line in the preview's header: "First response ▮▮▮▯ 9.8 / 14.0 KB · JS 1.2 KB". */
export function WeightMeter(props: { weight: ReadonlySignal<PageWeight | null> }) {
  const weight = props.weight.value;
  if (!weight) return <span class="weight muted">Measuring the page…</span>;
  return <WeightSummary weight={weight} />;
}

export function WeightSummary(props: { weight: PageWeight; long?: boolean }) {
  const { weight } = props;
  const id = useId();
  const js = weight.js.islandsGzipBytes + weight.js.trackerGzipBytes;
  return (
    <span
      class={weight.withinBudget ? 'weight' : 'weight weight-over'}
      data-gzip-bytes={weight.gzipBytes}
      data-html-bytes={weight.htmlBytes}
      data-js-bytes={js}
    >
      <label class="weight-label" for={id}>
        First response
      </label>
      <meter
        id={id}
        min={0}
        max={weight.budgetBytes}
        low={weight.budgetBytes * 0.75}
        high={weight.budgetBytes * 0.95}
        optimum={0}
        value={Math.min(weight.gzipBytes, weight.budgetBytes)}
        aria-valuetext={`${kb(weight.gzipBytes)} of ${kb(weight.budgetBytes)}`}
      />
      <span class="weight-figure">
        {kb(weight.gzipBytes)} / {kb(weight.budgetBytes)}
      </span>
      <span class="weight-js">· JS {kb(js)}</span>
      {props.long ? (
        <span class="weight-note">
          {weight.withinBudget
            ? 'The whole page arrives in the first round trip, so it shows at once even on a slow phone connection.'
            : 'Over the first round trip: visitors on slow connections wait for another round trip before anything shows. Fewer or smaller blocks help.'}{' '}
          {weight.js.shipsIslands
            ? `The quiz or chat ships ${kb(weight.js.islandsGzipBytes)} of script (its form still works without it), plus the ${kb(weight.js.trackerGzipBytes)} visitor tracker.`
            : `No quiz or chat script: only the ${kb(weight.js.trackerGzipBytes)} visitor tracker, and forms work without JavaScript.`}
        </span>
      ) : null}
    </span>
  );
}
