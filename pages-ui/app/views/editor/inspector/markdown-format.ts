/**
 * The rich-text toolbar's edits on the markdown subset of workers/domain/rich-text.ts, as pure
 * functions of (text, selection) → (text, selection): bold and italic wrap or unwrap the
 * selection, heading and list toggle the prefix of every selected line, link wraps the selection
 * as `[text](href)`. The result is always text the renderer's parser reads back the same way.
 */

export interface Edit {
  text: string;
  start: number;
  end: number;
}

type Marker = '**' | '*';

/** Characters the parser treats specially inside link text. */
function escapeLinkText(text: string): string {
  return text.replace(/[[\]\\]/g, (ch) => `\\${ch}`);
}

/** The word around `at`, when the cursor is inside one (so Ctrl+B with no selection bolds it). */
function wordAround(text: string, at: number): { start: number; end: number } | null {
  const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_'’-]/u.test(ch);
  if (!isWord(text[at - 1]) && !isWord(text[at])) return null;
  let start = at;
  let end = at;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  return { start, end };
}

/**
 * Whether the selection is wrapped by `marker`, judged by the runs of asterisks on both sides:
 * `*x*` and `***x***` are italic, `**x**` and `***x***` bold.
 */
function wrappedBy(text: string, start: number, end: number, marker: Marker): boolean {
  let left = 0;
  while (start - left > 0 && text[start - left - 1] === '*') left++;
  let right = 0;
  while (end + right < text.length && text[end + right] === '*') right++;
  const run = Math.min(left, right);
  return marker === '**' ? run >= 2 : run % 2 === 1;
}

/**
 * Bold (`**`) or italic (`*`): wraps the selection, or unwraps it when it is already wrapped;
 * with no selection, the word under the cursor, or a placeholder to type over.
 */
export function toggleInline(edit: Edit, marker: Marker, placeholder = marker === '**' ? 'bold text' : 'italic text'): Edit {
  let { start, end } = edit;
  const { text } = edit;
  if (start === end) {
    const word = wordAround(text, start);
    if (word) ({ start, end } = word);
  }
  const n = marker.length;
  if (start !== end && wrappedBy(text, start, end, marker)) {
    return { text: text.slice(0, start - n) + text.slice(start, end) + text.slice(end + n), start: start - n, end: end - n };
  }
  // The selection includes the markers themselves: unwrap too.
  const inner = text.slice(start, end);
  if (inner.length > 2 * n && inner.startsWith(marker) && inner.endsWith(marker) && (marker === '**' || !inner.startsWith('**'))) {
    const unwrapped = inner.slice(n, -n);
    return { text: text.slice(0, start) + unwrapped + text.slice(end), start, end: start + unwrapped.length };
  }
  // Emphasis cannot start or end with a space (the parser would not close it): keep spaces outside.
  const lead = /^\s*/.exec(inner)![0].length;
  const trail = /\s*$/.exec(inner.slice(lead))![0].length;
  const core = inner.slice(lead, inner.length - trail) || placeholder;
  const wrapped = marker + core + marker;
  const before = text.slice(0, start) + inner.slice(0, lead);
  return {
    text: before + wrapped + inner.slice(inner.length - trail) + text.slice(end),
    start: before.length + n,
    end: before.length + n + core.length,
  };
}

/** The start of the line `at` is on, and the end of the line `to` is on. */
function lineRange(text: string, at: number, to: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  // A selection ending just after a newline does not include the next line.
  const last = to > at && text[to - 1] === '\n' ? to - 1 : to;
  const nl = text.indexOf('\n', last);
  return { start, end: nl === -1 ? text.length : nl };
}

const HEADING_PREFIX = /^#{1,6}\s+/;
const BULLET_PREFIX = /^[-*]\s+/;

/** Rewrites each selected line with `change`, keeping the selection over the same lines. */
function mapLines(edit: Edit, change: (lines: string[]) => string[]): Edit {
  const range = lineRange(edit.text, edit.start, edit.end);
  const lines = edit.text.slice(range.start, range.end).split('\n');
  const replaced = change(lines).join('\n');
  const text = edit.text.slice(0, range.start) + replaced + edit.text.slice(range.end);
  return edit.start === edit.end
    ? { text, start: range.start + replaced.length, end: range.start + replaced.length }
    : { text, start: range.start, end: range.start + replaced.length };
}

/** `## ` or `### ` on the selected lines; again on a heading of that level makes them paragraphs. */
export function toggleHeading(edit: Edit, level: 2 | 3): Edit {
  const prefix = `${'#'.repeat(level)} `;
  return mapLines(edit, (lines) => {
    const content = lines.filter((line) => line.trim());
    const all = content.length > 0 && content.every((line) => line.startsWith(prefix) && !line.startsWith(`${prefix}#`));
    return lines.map((line) => {
      if (!line.trim()) return line;
      const bare = line.replace(HEADING_PREFIX, '').replace(BULLET_PREFIX, '');
      return all ? bare : prefix + bare;
    });
  });
}

/** `- ` on the selected lines (a bullet list); again removes it. */
export function toggleBulletList(edit: Edit): Edit {
  return mapLines(edit, (lines) => {
    const content = lines.filter((line) => line.trim());
    const all = content.length > 0 && content.every((line) => BULLET_PREFIX.test(line));
    return lines.map((line) => {
      if (!line.trim()) return line;
      const bare = line.replace(BULLET_PREFIX, '').replace(HEADING_PREFIX, '');
      return all ? bare : `- ${bare}`;
    });
  });
}

/** An existing `[text](href)` around the cursor or selection, so the link dialog can edit it. */
export function linkAt(text: string, start: number, end: number): { start: number; end: number; text: string; href: string } | null {
  const re = /\[((?:\\.|[^\]\\])+)\]\(([^)\s]+)\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const from = m.index;
    const to = from + m[0].length;
    if (from <= start && end <= to) return { start: from, end: to, text: m[1]!.replace(/\\(.)/g, '$1'), href: m[2]! };
    if (from > end) break;
  }
  return null;
}

/**
 * Makes the selection (or `label` when nothing is selected) a link to `href`, replacing a link the
 * selection sits in. An empty `href` removes the link and keeps its text.
 */
export function applyLink(edit: Edit, label: string, href: string): Edit {
  const existing = linkAt(edit.text, edit.start, edit.end);
  const start = existing?.start ?? edit.start;
  const end = existing?.end ?? edit.end;
  const visible = label.trim() || existing?.text || edit.text.slice(start, end).trim() || href;
  const replacement = href.trim() ? `[${escapeLinkText(visible)}](${href.trim()})` : visible;
  return {
    text: edit.text.slice(0, start) + replacement + edit.text.slice(end),
    start: start + replacement.length,
    end: start + replacement.length,
  };
}

/** Replaces the selection with `inserted` (pasted text), the cursor after it. */
export function insertText(edit: Edit, inserted: string): Edit {
  const text = edit.text.slice(0, edit.start) + inserted + edit.text.slice(edit.end);
  const at = edit.start + inserted.length;
  return { text, start: at, end: at };
}
