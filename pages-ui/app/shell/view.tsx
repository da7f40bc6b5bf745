import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { workspace } from '../state';

export interface ViewProps {
  /** The view's heading; also the document title. */
  title: string;
  /** Breadcrumb links above the heading, e.g. back to the list. */
  crumbs?: Array<{ href: string; label: string }>;
  /** Buttons beside the heading (a primary action such as "New funnel"). */
  actions?: ComponentChildren;
  /** A line under the heading. */
  lede?: ComponentChildren;
  children?: ComponentChildren;
}

/**
 * The frame of every view: breadcrumbs, the one `<h1>` (focused after each navigation, see
 * app.tsx, so screen readers announce the new view), the actions, then the content.
 */
export function View(props: ViewProps) {
  const name = workspace.value?.name;
  useEffect(() => {
    document.title = [props.title, name, 'Leadflare'].filter(Boolean).join(' · ');
  }, [props.title, name]);
  return (
    <div class="view">
      {props.crumbs?.length ? (
        <nav class="crumbs" aria-label="Breadcrumb">
          <ol>
            {props.crumbs.map((c) => (
              <li key={c.href}>
                <a href={c.href}>{c.label}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div class="view-head">
        <h1 tabIndex={-1} class="view-title">
          {props.title}
        </h1>
        {props.actions ? <div class="view-actions">{props.actions}</div> : null}
      </div>
      {props.lede ? <p class="lede">{props.lede}</p> : null}
      {props.children}
    </div>
  );
}

/** Moves focus to the current view's heading (after a navigation, not on the first load). */
export function focusViewHeading(): void {
  const heading = document.querySelector<HTMLElement>('#main h1');
  heading?.focus({ preventScroll: true });
}
