import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';

/** Placeholder blocks in the shape of what is loading; hidden from screen readers, which hear `label`. */
export function Skeleton(props: { rows?: number; label?: string }) {
  const rows = props.rows ?? 3;
  return (
    <div class="skeleton-block" role="status" aria-live="polite">
      <span class="visually-hidden">{props.label ?? 'Loading…'}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} class="skeleton skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}

/** What is missing, why it matters and the one thing to do next (`action`, usually a button). */
export function EmptyState(props: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <section class="empty-state" aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.children ? <p>{props.children}</p> : null}
      {props.action ? <div class="empty-action">{props.action}</div> : null}
    </section>
  );
}

/** A failed load or action, where it happened, with the way to try again. */
export function InlineError(props: { error: ApiError | string; onRetry?: () => void; title?: string }) {
  const message = typeof props.error === 'string' ? props.error : props.error.message;
  return (
    <div class="inline-error" role="alert">
      <p>
        {props.title ? <strong>{props.title} </strong> : null}
        {message}
      </p>
      {props.onRetry ? (
        <button type="button" class="button secondary" onClick={props.onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
