/**
 * The embeddable form: `<script src="https://<host>/embed.js" data-form="<pageId>.<blockId>" async></script>`
 * renders a Leadflare lead form into any site (a Shopify theme, a blog) inside a shadow root, so the
 * host page's CSS cannot break it and ours cannot leak. It posts cross-origin to the capture
 * endpoint, which only accepts origins the workspace allows. Plain DOM, no framework: it must be
 * tiny and run on pages we do not control.
 */
interface EmbedField {
  name: string;
  label: string;
  kind: string;
  required: boolean;
  options?: string[];
  placeholder?: string;
  utmParam?: string;
}

interface EmbedDefinition {
  title?: string;
  fields: EmbedField[];
  consent?: { text: string; required: boolean };
  submitLabel: string;
  successMessage: string;
  token: string;
  /** Set when the funnel asks for Cloudflare Turnstile. */
  turnstile?: { siteKey: string } | null;
}

interface TurnstileApi {
  render(container: HTMLElement, options: { sitekey: string; 'response-field': boolean }): string;
  getResponse(widgetId: string): string | undefined;
  reset(widgetId: string): void;
}

const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
let turnstileLoading: Promise<TurnstileApi> | undefined;

/** Turnstile's script, loaded once per page (the host page may have it already). */
function loadTurnstile(): Promise<TurnstileApi> {
  const existing = (self as { turnstile?: TurnstileApi }).turnstile;
  if (existing) return Promise.resolve(existing);
  return (turnstileLoading ??= new Promise((resolve, reject) => {
    const script = el('script', { src: TURNSTILE_SCRIPT, async: '' });
    script.onload = () => {
      const api = (self as { turnstile?: TurnstileApi }).turnstile;
      if (api) resolve(api);
      else reject(new Error('Turnstile did not start'));
    };
    script.onerror = () => reject(new Error('Turnstile did not load'));
    document.head.append(script);
  }));
}

const STYLE = `:host{all:initial;display:block;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1f26}
form{display:grid;gap:.75rem;max-width:28rem}label{font-weight:600;display:block;margin-bottom:.25rem}
input,select,textarea{box-sizing:border-box;width:100%;padding:.6rem .7rem;border:1px solid #8a8f99;border-radius:6px;font:inherit}
[aria-invalid=true]{border-color:#b42318}.err{color:#b42318;font-size:.875rem;margin:.25rem 0 0}
.consent{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}.consent input{width:auto;margin-top:.3rem}
button{padding:.7rem 1.1rem;border:0;border-radius:6px;background:#9d174d;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button[disabled]{opacity:.6}.done{padding:1rem;border-radius:8px;background:#ecfdf3;color:#05603a}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  // textContent, never innerHTML: labels come from the form's owner and are shown as text.
  if (text !== undefined) node.textContent = text;
  return node;
}

function fieldInput(field: EmbedField, id: string): HTMLElement {
  const common = { id, name: field.name, ...(field.required ? { required: '' } : {}) };
  if (field.kind === 'select') {
    const select = el('select', common);
    select.append(el('option', { value: '' }, 'Choose…'), ...(field.options ?? []).map((o) => el('option', { value: o }, o)));
    return select;
  }
  if (field.kind === 'textarea') return el('textarea', { ...common, rows: '4' });
  const type = field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : field.kind === 'hidden_utm' ? 'hidden' : 'text';
  const input = el('input', { ...common, type, ...(field.placeholder ? { placeholder: field.placeholder } : {}) });
  if (field.kind === 'hidden_utm') input.value = new URLSearchParams(location.search).get(field.utmParam ?? field.name) ?? '';
  return input;
}

async function mount(script: HTMLScriptElement): Promise<void> {
  const formId = script.dataset.form;
  if (!formId || script.dataset.mounted) return;
  script.dataset.mounted = '1';
  const base = new URL(script.src).origin;
  const host = el('div', { 'data-leadflare-form': formId });
  script.after(host);
  const root = host.attachShadow({ mode: 'open' });
  root.append(el('style', {}, STYLE));

  const res = await fetch(`${base}/embed/forms/${encodeURIComponent(formId)}`, { credentials: 'omit' });
  if (!res.ok) return;
  const def = (await res.json()) as EmbedDefinition;
  const form = el('form', { novalidate: '' });
  if (def.title) form.append(el('h2', {}, def.title));
  const uid = `lf-${Math.random().toString(36).slice(2, 8)}`;
  for (const field of def.fields) {
    const id = `${uid}-${field.name}`;
    const wrap = el('div');
    if (field.kind !== 'hidden_utm') wrap.append(el('label', { for: id }, field.label + (field.required ? ' *' : '')));
    wrap.append(fieldInput(field, id), el('p', { class: 'err', id: `${id}-err`, role: 'alert' }));
    form.append(wrap);
  }
  if (def.consent) {
    const id = `${uid}-consent`;
    const label = el('label', { class: 'consent', for: id });
    label.append(el('input', { type: 'checkbox', id, name: 'consent', value: 'yes' }), el('span', {}, def.consent.text));
    form.append(label, el('p', { class: 'err', id: `${id}-err`, role: 'alert' }));
  }
  const trap = el('div', { class: 'hp', 'aria-hidden': 'true' });
  trap.append(el('input', { name: 'website', tabindex: '-1', autocomplete: 'off' }));
  const button = el('button', { type: 'submit' }, def.submitLabel);
  const formError = el('p', { class: 'err', id: `${uid}--err`, role: 'alert' });
  // The widget lives in the page's own DOM (Turnstile's iframe does not render inside a shadow
  // root) and is shown in the form's place through a slot.
  let widget: { api: TurnstileApi; id: string } | null = null;
  if (def.turnstile) {
    const box = el('div', { slot: 'turnstile' });
    host.append(box);
    form.append(el('slot', { name: 'turnstile' }));
    const siteKey = def.turnstile.siteKey;
    loadTurnstile()
      .then((api) => (widget = { api, id: api.render(box, { sitekey: siteKey, 'response-field': false }) }))
      .catch(() => {
        formError.textContent =
          'The spam check (Cloudflare Turnstile) could not load, so this form cannot be sent. Please try again later.';
      });
  }
  form.append(trap, formError, button);
  root.append(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    const values: Record<string, string> = {};
    new FormData(form).forEach((v, k) => (values[k] = String(v)));
    try {
      const reply = await fetch(`${base}/embed/forms/${encodeURIComponent(formId)}`, {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          token: def.token,
          values,
          ...(widget ? { turnstileToken: widget.api.getResponse(widget.id) ?? '' } : {}),
        }),
      });
      // Failures use Leadflare's one error shape; validation failures list the fields.
      const body = (await reply.json().catch(() => ({}))) as {
        error?: { message?: string; fields?: Array<{ path: string; message: string }> };
      };
      for (const p of root.querySelectorAll('.err')) p.textContent = '';
      for (const i of root.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
      if (reply.ok) {
        form.replaceWith(el('p', { class: 'done', role: 'status' }, def.successMessage));
        return;
      }
      // A token is good for one post: the next try needs a fresh check.
      if (widget) widget.api.reset(widget.id);
      const fields = body.error?.fields?.length
        ? body.error.fields
        : [{ path: '', message: body.error?.message ?? 'Something went wrong. Please try again.' }];
      for (const { path, message } of fields) {
        const id = `${uid}-${path}`;
        const input = root.getElementById(id);
        input?.setAttribute('aria-invalid', 'true');
        input?.setAttribute('aria-describedby', `${id}-err`);
        (root.getElementById(`${id}-err`) ?? formError).textContent = message;
      }
    } finally {
      button.disabled = false;
    }
  });
}

for (const script of document.querySelectorAll<HTMLScriptElement>('script[data-form][src$="/embed.js"]')) void mount(script);
