import { renderToString } from 'preact-render-to-string';
import { BOOTSTRAP_ELEMENT_ID, type AppBootstrap } from '../../workers/contract';

export interface AppDocumentProps {
  bootstrap: AppBootstrap;
  /** Per-request CSP nonce: the only scripts that run carry it. */
  nonce: string;
  /** URLs of the entry module, its static imports and stylesheets (from the build manifest). */
  entry: string;
  preload: string[];
  css: string[];
}

/** JSON inside a <script> element: `<` escaped so no value can close the element or open a comment. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The document every `/app` URL answers with: the stylesheet, the bootstrap data and one module
 * script, around a skeleton with the app's own classes, so the first paint already has the
 * header and the layout the app then fills in (no shift when it mounts).
 */
function AppDocument(props: AppDocumentProps) {
  const workspace = props.bootstrap.workspaces.find((w) => w.id === props.bootstrap.workspaceId);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="data:," />
        <title>{workspace ? `${workspace.name} · Leadflare` : 'Leadflare'}</title>
        {props.css.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        <link rel="modulepreload" href={props.entry} nonce={props.nonce} />
        {props.preload.map((href) => (
          <link rel="modulepreload" href={href} nonce={props.nonce} />
        ))}
      </head>
      <body>
        <div id="app">
          <div class="shell" aria-busy="true">
            <header class="topbar">
              <span class="brand">Leadflare</span>
            </header>
            <main class="main" id="main">
              <div class="skeleton skeleton-title" />
              <div class="skeleton skeleton-line" />
              <div class="skeleton skeleton-line" />
              <noscript>
                <p class="notice">
                  The Leadflare app needs JavaScript. Your published pages and their forms work without it.{' '}
                  <a href="/api/docs">The API reference</a> does too.
                </p>
              </noscript>
            </main>
          </div>
        </div>
        <script
          type="application/json"
          id={BOOTSTRAP_ELEMENT_ID}
          nonce={props.nonce}
          dangerouslySetInnerHTML={{ __html: inlineJson(props.bootstrap) }}
        />
        <script type="module" src={props.entry} nonce={props.nonce} />
      </body>
    </html>
  );
}

export function renderAppDocument(props: AppDocumentProps): string {
  return '<!doctype html>' + renderToString(<AppDocument {...props} />);
}
