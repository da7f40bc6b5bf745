import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** The account pages' only style, inline; their Content-Security-Policy allows it by its hash. */
export const PAGE_CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1f26;background:#f5f6f8}
a{color:#4338ca}header{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;background:#111827;color:#fff}
header a{color:#fff;text-decoration:none;font-weight:600}main{max-width:1200px;margin:0 auto;padding:1.5rem}
.card{background:#fff;border:1px solid #e3e6ec;border-radius:10px;padding:1.5rem;margin-bottom:1rem}
.narrow{max-width:420px;margin:3rem auto}label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select{width:100%;padding:.55rem .7rem;border:1px solid #c5cad3;border-radius:6px;font:inherit}
input[aria-invalid=true]{border-color:#b42318}.field-error{color:#b42318;font-size:.875rem;margin:.25rem 0 0}
button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1rem;border:0;border-radius:6px;background:#4338ca;color:#fff;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
button.link{background:none;color:#fff;padding:0;margin:0}.alert{padding:.75rem 1rem;border-radius:6px;background:#fef3f2;color:#912018;border:1px solid #fecdca}
.muted{color:#555d6b}
`;

export function Page(props: { title: string; user?: { name: string } | undefined; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Leadflare`}</title>
        <style dangerouslySetInnerHTML={{ __html: PAGE_CSS }} />
      </head>
      <body>
        <header>
          <a href="/">Leadflare</a>
          {props.user ? (
            <form method="post" action="/logout">
              <span>{props.user.name} · </span>
              <button class="link" type="submit">
                Sign out
              </button>
            </form>
          ) : (
            <a href="/login">Sign in</a>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function renderPage(node: preact.VNode): string {
  return '<!doctype html>' + renderToString(node);
}

export function FieldError(props: { id: string; message?: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="field-error" id={props.id} role="alert">
      {props.message}
    </p>
  );
}

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
}

export function TextField(props: { name: string; label: string; type?: string; state?: FormState | undefined; autocomplete?: string }) {
  const error = props.state?.errors[props.name];
  const errorId = `${props.name}-error`;
  return (
    <>
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : (props.state?.values[props.name] ?? '')}
        autocomplete={props.autocomplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        required
      />
      <FieldError id={errorId} message={error} />
    </>
  );
}
