/**
 * The human API reference at `/api/docs`: the OpenAPI document rendered on the server as one
 * readable page (no script, no CDN), grouped by resource, with each operation's auth, parameters,
 * body (with its example) and responses.
 */
import { renderToString } from 'preact-render-to-string';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  op: Json;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1f26;background:#f7f8fa}
a{color:#4338ca}.layout{display:grid;grid-template-columns:240px 1fr;max-width:1200px;margin:0 auto}
nav{position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto;padding:1.5rem 1rem;border-right:1px solid #e3e6ec}
nav h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#555d6b;margin:1rem 0 .3rem}nav ul{list-style:none;margin:0;padding:0}
nav li a{display:block;padding:.15rem 0;font-size:.85rem;text-decoration:none;overflow-wrap:anywhere}main{padding:1.5rem 2rem;min-width:0}
section.op{background:#fff;border:1px solid #e3e6ec;border-radius:10px;padding:1rem 1.25rem;margin:0 0 1rem}
.sig{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.95rem;overflow-wrap:anywhere}.method{display:inline-block;min-width:4.2rem;font-weight:700}
.get{color:#067647}.post{color:#4338ca}.put,.patch{color:#b54708}.delete{color:#b42318}
h3{margin:.25rem 0}h4{margin:1rem 0 .3rem;font-size:.9rem}table{border-collapse:collapse;width:100%;font-size:.875rem}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #eef0f4}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.82rem}
pre{background:#f3f4f6;border-radius:6px;padding:.6rem .8rem;overflow:auto;max-height:22rem}.muted{color:#555d6b}.auth{font-size:.85rem;color:#555d6b}
@media (max-width:760px){.layout{grid-template-columns:1fr}nav{position:static;max-height:none;border-right:0;border-bottom:1px solid #e3e6ec}main{padding:1rem}}
`;

const AUTH_TEXT: Record<string, string> = {
  session: 'Signed in (session cookie); `X-Workspace-Id` picks the workspace.',
  apiKey: 'Workspace API key: `Authorization: Bearer lf_key_…`.',
};

const anchor = (o: Operation) => `${o.method}-${o.path.replace(/[^a-zA-Z0-9]+/g, '-')}`;

function typeOf(schema: Json | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map(typeOf).filter(Boolean).join(' | ');
  return typeof schema.type === 'string' ? schema.type : Array.isArray(schema.type) ? schema.type.join(' | ') : 'object';
}

function constraints(schema: Json): string {
  const parts: string[] = [];
  if (schema.minLength !== undefined) parts.push(`min length ${String(schema.minLength)}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${String(schema.maxLength)}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${String(schema.minimum)}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${String(schema.maximum)}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

function Fields(props: { schema: Json }) {
  const properties = (props.schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((props.schema.required as string[] | undefined) ?? []);
  const names = Object.keys(properties);
  if (!names.length) return null;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
              {required.has(name) && properties[name]!.default === undefined ? ' *' : ''}
            </td>
            <td>
              <code>{typeOf(properties[name])}</code>
            </td>
            <td>{[properties[name]!.description, constraints(properties[name]!)].filter(Boolean).join(' · ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationView(props: { o: Operation }) {
  const { o } = props;
  const op = o.op;
  const params = (op.parameters ?? []) as Json[];
  const bodyContent = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const [bodyType, body] = Object.entries(bodyContent)[0] ?? [];
  const bodySchema = body?.schema as Json | undefined;
  const example = (bodySchema?.examples as unknown[] | undefined)?.[0];
  const security = (op.security ?? []) as Json[];
  const auth = security.map((s) => AUTH_TEXT[Object.keys(s)[0]!]).filter(Boolean);
  return (
    <section class="op" id={anchor(o)} aria-labelledby={`${anchor(o)}-title`}>
      <h3 id={`${anchor(o)}-title`}>{op.summary as string}</h3>
      <p class="sig">
        <span class={`method ${o.method}`}>{o.method.toUpperCase()}</span> {o.path}
      </p>
      {op.description ? <p>{op.description as string}</p> : null}
      <p class="auth">
        {auth.length ? auth.join(' ') : 'No sign-in needed.'}
        {op['x-required-role'] ? ` Needs the ${op['x-required-role'] as string} role.` : ''}
      </p>
      {params.length ? (
        <>
          <h4>Parameters</h4>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Type</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {params.map((p) => (
                <tr key={`${p.in as string}-${p.name as string}`}>
                  <td>
                    <code>{p.name as string}</code>
                    {p.required ? ' *' : ''}
                  </td>
                  <td>{p.in as string}</td>
                  <td>
                    <code>{typeOf(p.schema as Json)}</code>
                  </td>
                  <td>{[p.description, constraints(p.schema as Json)].filter(Boolean).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {bodySchema ? (
        <>
          <h4>
            Body <span class="muted">({bodyType})</span>
          </h4>
          <Fields schema={bodySchema} />
          {example !== undefined ? (
            <>
              <h4>Example</h4>
              <pre>{JSON.stringify(example, null, 2)}</pre>
            </>
          ) : null}
        </>
      ) : null}
      <h4>Responses</h4>
      <table>
        <tbody>
          {Object.entries(op.responses as Record<string, Json>).map(([status, r]) => (
            <tr key={status}>
              <th scope="row">{status}</th>
              <td>
                {String(r.description)
                  .split('\n\n')
                  .map((line) => (
                    <div key={line}>{line}</div>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Reference(props: { doc: Json }) {
  const info = props.doc.info as Json;
  const byTag = new Map<string, Operation[]>();
  for (const [path, methods] of Object.entries(props.doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['API'])[0]!;
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${info.title as string} reference`}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <div class="layout">
          <nav aria-label="Operations">
            <a href="#top">
              <strong>{info.title as string}</strong>
            </a>
            {[...byTag].map(([tag, ops]) => (
              <div key={tag}>
                <h2>{tag}</h2>
                <ul>
                  {ops.map((o) => (
                    <li key={anchor(o)}>
                      <a href={`#${anchor(o)}`}>{o.op.summary as string}</a>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </nav>
          <main id="top">
            <h1>{info.title as string}</h1>
            <p>{info.description as string}</p>
            <p>
              Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
            </p>
            {[...byTag].map(([tag, ops]) => (
              <div key={tag}>
                <h2>{tag}</h2>
                {ops.map((o) => (
                  <OperationView key={anchor(o)} o={o} />
                ))}
              </div>
            ))}
          </main>
        </div>
      </body>
    </html>
  );
}

export function renderApiReference(doc: Json): string {
  return '<!doctype html>' + renderToString(<Reference doc={doc} />);
}
