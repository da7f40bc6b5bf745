/**
 * The rich-text subset a marketer can write: paragraphs, `## `/`### ` headings, `- ` bullet
 * lists, **bold**, *italic* and [links](https://…). It is parsed into a small tree that the
 * renderer turns into Preact nodes, so there is no HTML anywhere on the way: `<b>` in the source
 * is shown as the text "<b>". Anything outside the subset is kept as literal text.
 */

export type RichInline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; children: RichInline[] }
  | { kind: 'em'; children: RichInline[] }
  | { kind: 'link'; href: string; children: RichInline[] };

export type RichBlock =
  | { kind: 'paragraph'; children: RichInline[] }
  | { kind: 'heading'; level: 2 | 3; children: RichInline[] }
  | { kind: 'list'; items: RichInline[][] };

const ESCAPABLE = '\\*_[]()#-`';
// Emphasis inside emphasis inside a link is plenty; the cap keeps hostile input linear-ish.
const MAX_NESTING = 4;

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\n';
}

/** Index of the delimiter closing an emphasis opened just before `from`, or -1. */
function findEmphasisClose(src: string, from: number, delimiter: '*' | '**'): number {
  if (isSpace(src[from])) return -1;
  for (let j = from; j < src.length; j++) {
    if (src[j] === '\\') {
      j++;
      continue;
    }
    if (src[j] !== '*') continue;
    const run = src[j + 1] === '*' ? 2 : 1;
    if (run === delimiter.length && j > from && !isSpace(src[j - 1])) return j;
    j += run - 1;
  }
  return -1;
}

/** `[text](href)` starting at `start`, or null. */
function matchLink(src: string, start: number): { text: string; href: string; end: number } | null {
  let depth = 0;
  for (let j = start; j < src.length; j++) {
    const ch = src[j];
    if (ch === '\\') {
      j++;
    } else if (ch === '[') {
      depth++;
    } else if (ch === ']' && --depth === 0) {
      if (src[j + 1] !== '(') return null;
      const close = src.indexOf(')', j + 2);
      if (close === -1) return null;
      const href = src.slice(j + 2, close).trim();
      if (!href || /\s/.test(href) || j === start + 1) return null;
      return { text: src.slice(start + 1, j), href, end: close + 1 };
    }
  }
  return null;
}

export function parseInline(src: string, depth = 0): RichInline[] {
  const out: RichInline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\' && i + 1 < src.length && ESCAPABLE.includes(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (depth < MAX_NESTING && ch === '*') {
      const delimiter = src[i + 1] === '*' ? '**' : '*';
      const open = i + delimiter.length;
      const close = findEmphasisClose(src, open, delimiter);
      if (close > open) {
        flush();
        const children = parseInline(src.slice(open, close), depth + 1);
        out.push(delimiter === '**' ? { kind: 'strong', children } : { kind: 'em', children });
        i = close + delimiter.length;
        continue;
      }
    }
    if (depth < MAX_NESTING && ch === '[') {
      const link = matchLink(src, i);
      if (link) {
        flush();
        out.push({ kind: 'link', href: link.href, children: parseInline(link.text, depth + 1) });
        i = link.end;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

export function parseRichText(markdown: string): RichBlock[] {
  const blocks: RichBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push({ kind: 'list', items: list.map((item) => parseInline(item)) });
    list = null;
  };

  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) {
      flushParagraph();
      flushList();
      continue;
    }
    const heading = /^(#{2,3})\s+(.+?)(?:\s+#+)?$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      blocks.push({ kind: 'heading', level: heading[1]!.length as 2 | 3, children: parseInline(heading[2]!) });
      continue;
    }
    const item = /^[-*]\s+(.+)$/.exec(line);
    if (item) {
      flushParagraph();
      (list ??= []).push(item[1]!);
      continue;
    }
    // An indented line right after a list item continues that item.
    const items: string[] | null = list;
    if (items && /^\s/.test(raw)) {
      items[items.length - 1] += ` ${line}`;
      continue;
    }
    flushList();
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return blocks;
}

function collectHrefs(nodes: RichInline[], into: string[]): void {
  for (const node of nodes) {
    if (node.kind === 'link') into.push(node.href);
    if (node.kind !== 'text') collectHrefs(node.children, into);
  }
}

/** Every link target in the text, in order (the block schema checks each one). */
export function richTextHrefs(markdown: string): string[] {
  const hrefs: string[] = [];
  for (const block of parseRichText(markdown)) {
    if (block.kind === 'list') block.items.forEach((item) => collectHrefs(item, hrefs));
    else collectHrefs(block.children, hrefs);
  }
  return hrefs;
}

/**
 * Targets of text shaped like a link that the parser keeps as literal text because the target
 * has whitespace in it — `[x](java\tscript:…)`. Shown as text they are inert, but a copy of the
 * text pasted into another editor may not be, so the block schema refuses those that hide a scheme.
 */
export function literalLinkTargets(markdown: string): string[] {
  // Bounded and without nested brackets, so hostile text cannot make the scan quadratic.
  return [...markdown.matchAll(/\[[^[\]]{0,500}\]\(([^)]{0,2048})\)/g)].map((m) => m[1]!).filter((target) => /\s/.test(target.trim()));
}
