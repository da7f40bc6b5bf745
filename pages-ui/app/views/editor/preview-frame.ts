/**
 * Puts a rendered landing page into the preview iframe without reloading it: the page's CSS goes
 * in as a constructed stylesheet (CSSOM is not inline style, so the app's strict CSP, which a
 * srcdoc frame inherits, allows it), and the body is patched node by node, so only the sections
 * that changed are touched, images already loaded stay, and the scroll position is kept. While
 * the member types, only the one block whose HTML changed is parsed and patched at all.
 *
 * What the preview leaves out on purpose: scripts (the preview shows the page as it arrives,
 * without JavaScript — the iframe is sandboxed without scripts anyway) and third-party players
 * (a video shows a placeholder with its title, since a sandboxed frame cannot run them).
 */

/** Editor-only styles inside the preview: the selected block's outline and the hover hint. */
const EDITOR_CSS = `
[data-block-index]{cursor:pointer}
[data-block-index]:hover{outline:2px dashed #818cf8;outline-offset:-2px}
[data-block-index].lf-selected{outline:3px solid #4338ca;outline-offset:-3px}
.lf-video-placeholder{display:grid;place-items:center;aspect-ratio:16/9;width:100%;border-radius:8px;background:#111827;color:#fff;font:600 1rem system-ui,sans-serif;text-align:center;padding:1rem}
`;

/** A rendering cut at its blocks: the HTML of each block's section, and everything else. */
interface Cut {
  frame: string;
  blocks: string[];
}

/**
 * The blocks' sections are the consecutive children of <main> (render-page.tsx) and the only
 * <section> elements of a page; text and attributes never hold a raw "<".
 */
function cut(markup: string): Cut | null {
  const start = markup.indexOf('<main>');
  const end = markup.lastIndexOf('</main>');
  if (start < 0 || end < start) return null;
  const at: number[] = [];
  for (let i = markup.indexOf('<section ', start); i >= 0 && i < end; i = markup.indexOf('<section ', i + 1)) at.push(i);
  const blocks = at.map((from, k) => markup.slice(from, at[k + 1] ?? end));
  return { frame: markup.slice(0, at[0] ?? end) + markup.slice(end), blocks };
}

export class PreviewFrame {
  #doc: Document;
  #parser = new DOMParser();
  #template: HTMLTemplateElement;
  #pageSheet: CSSStyleSheet;
  #css = '';
  #last: Cut | null = null;

  constructor(frame: HTMLIFrameElement) {
    const doc = frame.contentDocument;
    const win = frame.contentWindow as (Window & typeof globalThis) | null;
    if (!doc || !win) throw new Error('The preview frame has no document yet.');
    this.#doc = doc;
    this.#template = doc.createElement('template');
    // Sheets must be made by the frame's own realm to be adopted by its document.
    this.#pageSheet = new win.CSSStyleSheet();
    const editorSheet = new win.CSSStyleSheet();
    editorSheet.replaceSync(EDITOR_CSS);
    doc.adoptedStyleSheets = [this.#pageSheet, editorSheet];
  }

  get document(): Document {
    return this.#doc;
  }

  /** Shows `html` (a whole landing-page document) in the frame. */
  show(html: string): void {
    // The <style> and <script> elements are taken out of the text before parsing: Chromium checks
    // a parsed document's inline styles against the app's CSP too (and logs each refusal).
    let css = '';
    const markup = html
      .replace(/<style\b[^>]*>([\s\S]*?)<\/style>/g, (_, text: string) => ((css += text), ''))
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    if (css !== this.#css) {
      this.#pageSheet.replaceSync(css);
      this.#css = css;
    }
    const parts = cut(markup);
    if (parts && this.#patchBlocks(parts)) return;
    this.#last = parts;
    const next = this.#parser.parseFromString(markup, 'text/html');
    const lang = next.documentElement.getAttribute('lang');
    if (lang) this.#doc.documentElement.setAttribute('lang', lang);
    this.#doc.title = next.title;
    for (const frame of next.querySelectorAll('iframe')) frame.replaceWith(videoPlaceholder(next, frame));
    this.#untabbable(next);
    patchChildren(this.#doc, this.#doc.body, next.body);
  }

  /**
   * The quick path: when only blocks' own HTML changed (typing, a setting of one block), each of
   * those sections is parsed alone and patched; false when anything else changed.
   */
  #patchBlocks(parts: Cut): boolean {
    const last = this.#last;
    if (!last || last.frame !== parts.frame || last.blocks.length !== parts.blocks.length) return false;
    const changed = parts.blocks.flatMap((html, i) => (html === last.blocks[i] ? [] : [i]));
    const sections = changed.map((i) => this.#doc.querySelector(`main > [data-block-index="${i}"]`));
    if (sections.some((el) => !el)) return false;
    changed.forEach((i, k) => {
      this.#template.innerHTML = parts.blocks[i]!;
      const fragment = this.#template.content;
      for (const frame of fragment.querySelectorAll('iframe')) frame.replaceWith(videoPlaceholder(this.#doc, frame));
      this.#untabbable(fragment);
      patchNode(this.#doc, sections[k]!, fragment.firstElementChild!);
    });
    this.#last = parts;
    return true;
  }

  /**
   * The preview is for looking and choosing a block, not for using the page: its links, buttons
   * and fields are taken out of the Tab order, so keyboard users go from the outline straight to
   * the inspector (screen readers still read the preview).
   */
  #untabbable(root: ParentNode): void {
    for (const el of root.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]')) {
      const was = el.getAttribute('tabindex');
      if (was === '-1') continue;
      el.setAttribute('tabindex', '-1');
      // The page's own value, kept beside it (the preview's tests compare the page as rendered).
      el.setAttribute('data-lf-untabbable', was ?? '');
    }
  }

  /** Marks the selected block and scrolls it into view when it is off screen. */
  select(index: number, scroll: boolean): void {
    for (const el of this.#doc.querySelectorAll('.lf-selected')) el.classList.remove('lf-selected');
    const el = this.#doc.querySelector(`[data-block-index="${index}"]`);
    if (!el) return;
    el.classList.add('lf-selected');
    if (scroll) {
      const rect = el.getBoundingClientRect();
      const view = this.#doc.defaultView;
      if (view && (rect.bottom < 0 || rect.top > view.innerHeight)) el.scrollIntoView({ block: 'start' });
    }
  }
}

function videoPlaceholder(doc: Document, frame: Element): Element {
  const box = doc.createElement('div');
  box.className = 'lf-video-placeholder';
  box.setAttribute('role', 'img');
  const title = frame.getAttribute('title') ?? 'Video';
  box.setAttribute('aria-label', title);
  box.textContent = `▶ ${title} — plays on the published page`;
  return box;
}

/** Makes `target`'s children equal to `source`'s, reusing every node that has not changed. */
function patchChildren(doc: Document, target: Element, source: Element): void {
  const oldNodes = [...target.childNodes];
  const newNodes = [...source.childNodes];
  // Elements with an id (each block's section has one) are matched by id, so a moved block moves.
  const byId = new Map<string, Element>();
  for (const node of oldNodes) if (node.nodeType === 1 && (node as Element).id) byId.set((node as Element).id, node as Element);

  let cursor: ChildNode | null = target.firstChild;
  for (const incoming of newNodes) {
    let reuse: ChildNode | null = null;
    const keyed = incoming.nodeType === 1 && (incoming as Element).id ? byId.get((incoming as Element).id) : undefined;
    if (keyed && keyed.nodeName === incoming.nodeName) {
      reuse = keyed;
      byId.delete(keyed.id);
    } else if (cursor && cursor.nodeName === incoming.nodeName && !(cursor.nodeType === 1 && (cursor as Element).id)) {
      reuse = cursor;
    }
    if (reuse) {
      if (reuse !== cursor) target.insertBefore(reuse, cursor);
      else cursor = cursor.nextSibling;
      patchNode(doc, reuse, incoming);
    } else {
      target.insertBefore(doc.importNode(incoming, true), cursor);
    }
  }
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function patchNode(doc: Document, target: ChildNode, source: ChildNode): void {
  if (target.isEqualNode(source)) return;
  if (target.nodeType !== 1) {
    target.nodeValue = source.nodeValue;
    return;
  }
  const el = target as Element;
  const from = source as Element;
  const selected = el.classList.contains('lf-selected');
  // An FAQ answer the member opened in the preview stays open while they type elsewhere.
  const keep = (name: string) => name === 'open' && el.nodeName === 'DETAILS';
  for (const attr of [...el.attributes]) if (!from.hasAttribute(attr.name) && !keep(attr.name)) el.removeAttribute(attr.name);
  for (const attr of [...from.attributes]) if (el.getAttribute(attr.name) !== attr.value) el.setAttribute(attr.name, attr.value);
  if (selected) el.classList.add('lf-selected');
  patchChildren(doc, el, from);
}
