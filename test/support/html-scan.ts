import { createHash } from 'node:crypto';

/**
 * Reads server-rendered HTML the way a browser's tokenizer splits it into elements and attributes
 * (raw-text elements, quoted and unquoted attribute values, comments), so a test can say whether a
 * hostile value became *markup* — an element, an event-handler attribute, a script, a `javascript:`
 * link — rather than text. A substring search cannot tell `&quot; onmouseover=` (text) from
 * `" onmouseover=` (an attribute); this can.
 */

export interface ScannedElement {
  tag: string;
  attrs: Array<[name: string, value: string]>;
  /** The raw text of a `<script>`, `<style>`, `<textarea>` or `<title>`. */
  text?: string;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

const NAMED: Record<string, string> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
  nbsp: '\u00a0',
  tab: '\t',
  newline: '\n',
  colon: ':',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

export function scanHtml(html: string): ScannedElement[] {
  const out: ScannedElement[] = [];
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const next = html[lt + 1] ?? '';
    if (next === '!' || next === '?' || next === '/') {
      const end = html.indexOf('>', lt + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(next)) {
      i = lt + 1;
      continue;
    }
    let j = lt + 1;
    while (j < n && !/[\s/>]/.test(html[j]!)) j++;
    const tag = html.slice(lt + 1, j).toLowerCase();
    const attrs: Array<[string, string]> = [];
    for (;;) {
      while (j < n && /[\s/]/.test(html[j]!)) j++;
      if (j >= n || html[j] === '>') break;
      const start = j;
      j++; // a name may start with "=" (the tokenizer then takes it as part of the name)
      while (j < n && !/[\s/>=]/.test(html[j]!)) j++;
      const name = html.slice(start, j).toLowerCase();
      while (j < n && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          value = html.slice(j + 1, end < 0 ? n : end);
          j = end < 0 ? n : end + 1;
        } else {
          const begin = j;
          while (j < n && !/[\s>]/.test(html[j]!)) j++;
          value = html.slice(begin, j);
        }
      }
      attrs.push([name, decodeEntities(value)]);
    }
    i = j + 1;
    const element: ScannedElement = { tag, attrs };
    if (RAW_TEXT.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, i);
      element.text = html.slice(i, close < 0 ? n : close);
      i = close < 0 ? n : close;
    }
    out.push(element);
  }
  return out;
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'srcset', 'xlink:href', 'data', 'background', 'cite']);
/** Elements our renderer never writes into a page body: any of them in a page is an injection. */
const FOREIGN_ELEMENTS = new Set(['lf-x', 'object', 'embed', 'applet', 'frame', 'frameset', 'base', 'math', 'portal', 'isindex']);

/** What a browser would run or load: the scheme after it strips tabs, newlines and leading controls. */
export function dangerousUrl(value: string): boolean {
  const normal = value
    .replace(/[\t\n\r]/g, '')
    // eslint-disable-next-line no-control-regex -- browsers drop these before a URL scheme
    .replace(/^[\u0000-\u0020]+/, '')
    .toLowerCase();
  return /^(javascript|vbscript):/.test(normal) || /^data:(text\/html|application\/xhtml|image\/svg)/.test(normal);
}

/**
 * Markup a page must never contain, whatever its content: elements we never render, event-handler
 * attributes, scripts that are neither ours (nonce) nor inert JSON, JSON islands that no longer
 * parse (broken out of), script-running URLs and `<meta http-equiv=refresh>`. Scripts are ours when
 * they carry a nonce or their hash is in the page's `Content-Security-Policy` (pass the header).
 */
export function injectedMarkup(html: string, csp: string | null = null): string[] {
  const found: string[] = [];
  const hashes = new Set([...(csp ?? '').matchAll(/'sha256-([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]!));
  for (const el of scanHtml(html)) {
    if (FOREIGN_ELEMENTS.has(el.tag)) found.push(`<${el.tag}> element`);
    // The video block's player is the one frame a page has, and only from a known https host.
    const src = el.attrs.find(([k]) => k === 'src')?.[1] ?? '';
    if (el.tag === 'iframe' && !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com|fast\.wistia\.net)\//.test(src))
      found.push(`<iframe src="${src.slice(0, 60)}">`);
    for (const [name, value] of el.attrs) {
      if (/^on/.test(name)) found.push(`${name}= attribute on <${el.tag}>`);
      if (URL_ATTRIBUTES.has(name) && dangerousUrl(value)) found.push(`${name}="${value.slice(0, 60)}" on <${el.tag}>`);
      if (name === 'style' && /expression\(|url\(\s*['"]?\s*javascript:/i.test(value)) found.push(`style="${value.slice(0, 60)}"`);
      if (name === 'http-equiv' && /refresh/i.test(value)) found.push('<meta http-equiv=refresh>');
      if (name.includes('lfx') || value.startsWith('lfx(')) found.push(`attribute ${name}="${value.slice(0, 40)}"`);
    }
    if (el.tag === 'script') {
      const type = el.attrs.find(([k]) => k === 'type')?.[1];
      const json = type === 'application/json' || type === 'application/ld+json';
      const allowed =
        el.attrs.some(([k]) => k === 'nonce') ||
        hashes.has(
          createHash('sha256')
            .update(el.text ?? '')
            .digest('base64'),
        );
      if (!json && !allowed) found.push('a <script> neither nonced nor hashed in the CSP');
      if (json) {
        try {
          JSON.parse(el.text ?? '');
        } catch {
          found.push('a JSON island that does not parse (broken out of)');
        }
      }
    }
  }
  return found;
}
