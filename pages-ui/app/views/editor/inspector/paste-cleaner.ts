/**
 * Pasted HTML → the markdown subset of workers/domain/rich-text.ts. Text copied from a web page,
 * Google Docs or Word arrives as HTML full of styles, classes, scripts and tracking attributes;
 * the page keeps only what the subset can say: paragraphs, `##`/`###` headings, bullet lists,
 * bold, italic and links with safe addresses. Everything else is dropped — script, style and
 * other non-content elements with their content, every attribute but a link's address — and the
 * text is escaped, so nothing pasted can turn into markup the marketer did not write.
 *
 * The HTML is parsed with `DOMParser`, whose documents are inert: scripts do not run and images
 * do not load while the tree is walked.
 */
import { isSafeLinkHref } from '../../../../../workers/domain/safe-urls';

/** Elements dropped together with everything inside them. */
const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'picture',
  'img',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'datalist',
  'dialog',
]);

/** Elements that end a paragraph. */
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'address',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'dl',
  'dt',
  'dd',
  'hr',
  'center',
  'details',
  'summary',
  'body',
  'html',
]);

const HEADINGS: Record<string, 2 | 3> = { h1: 2, h2: 2, h3: 3, h4: 3, h5: 3, h6: 3 };
const BOLD = new Set(['b', 'strong']);
const ITALIC = new Set(['i', 'em', 'cite', 'dfn']);
const CELLS = new Set(['td', 'th']);

const MAX_OUTPUT = 20_000;
/** Where a pasted element's `style` attribute is kept for reading (see `defuseStyles`). */
const STYLE_ATTRIBUTE = 'data-pasted-style';

/** A minimal view of the DOM the walk needs (so the walk is plain logic over `DOMParser`'s tree). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

type Inline =
  { kind: 'text'; text: string } | { kind: 'strong' | 'em'; children: Inline[] } | { kind: 'link'; href: string; children: Inline[] };

type Block =
  { kind: 'paragraph'; inline: Inline[] } | { kind: 'heading'; level: 2 | 3; inline: Inline[] } | { kind: 'item'; inline: Inline[] };

interface Style {
  bold: boolean;
  italic: boolean;
}

/** Google Docs wraps a whole paste in `<b style="font-weight:normal">`, and marks bold and italic with inline styles. */
function styleOf(el: DomNode, tag: string, inherited: Style): Style {
  const css = (el.getAttribute?.(STYLE_ATTRIBUTE) ?? el.getAttribute?.('style') ?? '').toLowerCase();
  const weight = /font-weight\s*:\s*(bold|bolder|[6-9]00)/.test(css)
    ? true
    : /font-weight\s*:\s*(normal|lighter|[1-5]00)/.test(css)
      ? false
      : null;
  const italic = /font-style\s*:\s*(italic|oblique)/.test(css) ? true : /font-style\s*:\s*normal/.test(css) ? false : null;
  return {
    bold: weight ?? (BOLD.has(tag) || inherited.bold),
    italic: italic ?? (ITALIC.has(tag) || inherited.italic),
  };
}

class Walker {
  readonly blocks: Block[] = [];
  private current: Block | null = null;
  /** Inline content is collected with the style and link it carries, then grouped into runs. */
  private runs: Array<{ text: string; style: Style; href: string | null }> = [];

  private open(kind: 'paragraph' | 'item', level?: 2 | 3) {
    this.close();
    this.current = level ? { kind: 'heading', level, inline: [] } : { kind, inline: [] };
  }

  close() {
    if (!this.current) {
      if (this.runs.some((r) => r.text.trim())) this.current = { kind: 'paragraph', inline: [] };
      else {
        this.runs = [];
        return;
      }
    }
    this.current.inline = groupRuns(this.runs);
    if (this.current.inline.length) this.blocks.push(this.current);
    this.current = null;
    this.runs = [];
  }

  walk(node: DomNode, style: Style, href: string | null, inList: boolean) {
    if (node.nodeType === TEXT_NODE) {
      const text = (node.nodeValue ?? '').replace(/[\s\u00a0]+/g, ' ');
      if (text) this.runs.push({ text, style, href });
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return; // comments, processing instructions, doctypes
    const tag = node.nodeName.toLowerCase();
    if (DROPPED.has(tag)) return;
    // Namespaced or custom elements (`o:p` from Word, `my-widget`) keep their text only.
    const own = styleOf(node, tag, style);
    const children = () => {
      for (let i = 0; i < node.childNodes.length; i++) this.walk(node.childNodes[i]!, own, href, inList);
    };

    if (tag === 'br') {
      // A line break inside a list item stays in the item; elsewhere it starts a new paragraph.
      if (inList) this.runs.push({ text: ' ', style, href });
      else this.close();
      return;
    }
    if (Object.hasOwn(HEADINGS, tag)) {
      this.open('paragraph', HEADINGS[tag]);
      children();
      this.close();
      return;
    }
    if (tag === 'ul' || tag === 'ol') {
      this.close();
      for (let i = 0; i < node.childNodes.length; i++) this.walk(node.childNodes[i]!, own, href, true);
      this.close();
      return;
    }
    if (tag === 'li') {
      // Nested lists flatten into the one level the subset has.
      this.open('item');
      for (let i = 0; i < node.childNodes.length; i++) {
        const child = node.childNodes[i]!;
        const childTag = child.nodeName.toLowerCase();
        if (childTag === 'ul' || childTag === 'ol') {
          this.close();
          this.walk(child, own, href, true);
          this.open('item');
        } else if (child.nodeType === ELEMENT_NODE && BLOCKS.has(childTag)) {
          // A <p> inside an <li> (Word, Docs) is the item's text, not a new paragraph.
          for (let j = 0; j < child.childNodes.length; j++) this.walk(child.childNodes[j]!, own, href, true);
        } else {
          this.walk(child, own, href, true);
        }
      }
      this.close();
      return;
    }
    if (tag === 'a') {
      const raw = (node.getAttribute?.('href') ?? '').trim();
      // Only links that can be followed from a published page: absolute http(s) and mailto.
      // Parentheses would end `[text](href)` early: they are encoded, as browsers read them the same.
      const encoded = raw.replace(/\(/g, '%28').replace(/\)/g, '%29');
      const safe = /^(https?:|mailto:)/i.test(encoded) && isSafeLinkHref(encoded) ? encoded : null;
      for (let i = 0; i < node.childNodes.length; i++) this.walk(node.childNodes[i]!, own, safe ?? href, inList);
      return;
    }
    if (CELLS.has(tag)) {
      children();
      this.runs.push({ text: ' · ', style: { bold: false, italic: false }, href: null });
      return;
    }
    if (BLOCKS.has(tag) && !inList) {
      this.close();
      children();
      this.close();
      return;
    }
    children();
  }
}

/** Adjacent runs with the same link and style become one node; bold outside italic, links outside both. */
function groupRuns(runs: Array<{ text: string; style: Style; href: string | null }>): Inline[] {
  // Trim the block's leading and trailing space and the cell separator a table row ends with.
  const trimmed = runs.map((r) => ({ ...r }));
  while (trimmed.length && !trimmed[0]!.text.trim()) trimmed.shift();
  while (trimmed.length && (!trimmed.at(-1)!.text.trim() || trimmed.at(-1)!.text === ' · ')) trimmed.pop();
  if (!trimmed.length) return [];
  trimmed[0]!.text = trimmed[0]!.text.trimStart();
  trimmed.at(-1)!.text = trimmed.at(-1)!.text.trimEnd();

  const out: Inline[] = [];
  let i = 0;
  while (i < trimmed.length) {
    const href = trimmed[i]!.href;
    const group: typeof trimmed = [];
    while (i < trimmed.length && trimmed[i]!.href === href) group.push(trimmed[i++]!);
    const styled = styleGroups(group);
    if (href) out.push({ kind: 'link', href, children: styled });
    else out.push(...styled);
  }
  return out;
}

function styleGroups(runs: Array<{ text: string; style: Style }>): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < runs.length) {
    const { bold, italic } = runs[i]!.style;
    let text = '';
    while (i < runs.length && runs[i]!.style.bold === bold && runs[i]!.style.italic === italic) text += runs[i++]!.text;
    let node: Inline = { kind: 'text', text };
    if (italic && text.trim()) node = { kind: 'em', children: [node] };
    if (bold && text.trim()) node = { kind: 'strong', children: [node] };
    out.push(node);
  }
  return out;
}

/** Escapes what the parser would read as markup: asterisks, brackets, backslashes. */
function escapeInline(text: string): string {
  return text.replace(/[\\*[\]]/g, (ch) => `\\${ch}`);
}

function serialiseInline(nodes: Inline[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += escapeInline(node.text);
      continue;
    }
    const inner = serialiseInline(node.children);
    if (!inner.trim()) {
      out += inner;
      continue;
    }
    // Emphasis must hug its text ("**bold** ", not "**bold **"), or the parser leaves it open.
    const lead = /^\s*/.exec(inner)![0];
    const trail = /\s*$/.exec(inner)![0];
    const core = inner.slice(lead.length, inner.length - trail.length);
    if (node.kind === 'link') out += `${lead}[${core}](${node.href})${trail}`;
    else {
      const marker = node.kind === 'strong' ? '**' : '*';
      out += `${lead}${marker}${core}${marker}${trail}`;
    }
  }
  return out;
}

/** A line that would start a heading or a list item when it is meant as text. */
function escapeLineStart(line: string): string {
  return line.replace(/^(#{2,3}\s|-\s)/, '\\$1');
}

function serialise(blocks: Block[]): string {
  const out: string[] = [];
  let previous: Block['kind'] | null = null;
  for (const block of blocks) {
    const text = serialiseInline(block.inline).replace(/\s+/g, ' ').trim();
    if (!text) continue;
    // List items sit on consecutive lines; anything else is separated by a blank line.
    if (out.length) out.push(block.kind === 'item' && previous === 'item' ? '\n' : '\n\n');
    if (block.kind === 'heading') out.push(`${'#'.repeat(block.level)} ${text}`);
    else if (block.kind === 'item') out.push(`- ${text}`);
    else out.push(escapeLineStart(text));
    previous = block.kind;
  }
  return out.join('');
}

/** Reads an HTML document tree (from `DOMParser`) into the markdown subset. */
export function documentToMarkdown(root: DomNode): string {
  const walker = new Walker();
  walker.walk(root, { bold: false, italic: false }, null, false);
  walker.close();
  return serialise(walker.blocks).slice(0, MAX_OUTPUT);
}

/**
 * Chromium checks the inline styles of a parsed document against the app's CSP (`style-src
 * 'self'`) and logs every one it refuses. Style sheets are dropped before parsing, and `style`
 * attributes — read only for bold and italic — are renamed so they are never applied.
 */
function defuseStyles(html: string): string {
  // An unclosed <style> runs to the end of the markup, as the parser would read it.
  return html.replace(/<style\b[^>]*>[\s\S]*?(?:<\/style\s*>|$)/gi, '').replace(/(<[^>]*?\s)style(\s*=)/gi, `$1${STYLE_ATTRIBUTE}$2`);
}

/** Pasted HTML → markdown subset. Uses the browser's `DOMParser` (inert: nothing runs or loads). */
export function htmlToMarkdown(html: string): string {
  const doc = new DOMParser().parseFromString(defuseStyles(html), 'text/html');
  return documentToMarkdown(doc.body);
}
