/**
 * Rich text as the renderer reads it (workers/domain/rich-text.ts): a textarea of the markdown
 * subset under a formatting toolbar — heading 2 and 3, bold, italic, link, bullet list — with
 * Ctrl/⌘+B, I and K, and pasted HTML cleaned into the subset. The markdown stays visible: what is
 * stored is what is seen, and nothing pasted can smuggle markup in.
 */
import { useRef, useState } from 'preact/hooks';
import { isSafeLinkHref } from '../../../../../workers/domain/safe-urls';
import { Dialog } from '../../../shell/dialog';
import type { StringField } from './field-model';
import { FieldShell, fieldMeta } from './field-shell';
import { announce, controlId, issueAt, useForm, valueAt, type FieldProps } from './form-context';
import { applyLink, insertText, linkAt, toggleBulletList, toggleHeading, toggleInline, type Edit } from './markdown-format';
import { htmlToMarkdown } from './paste-cleaner';

type Tool = { key: string; label: string; short: string; shortcut?: string; run(edit: Edit): Edit | 'link' };

const TOOLS: Tool[] = [
  { key: 'h2', label: 'H2 heading', short: 'H2', run: (e) => toggleHeading(e, 2) },
  { key: 'h3', label: 'H3 subheading', short: 'H3', run: (e) => toggleHeading(e, 3) },
  { key: 'bold', label: 'Bold', short: 'B', shortcut: 'B', run: (e) => toggleInline(e, '**') },
  { key: 'italic', label: 'Italic', short: 'I', shortcut: 'I', run: (e) => toggleInline(e, '*') },
  { key: 'link', label: 'Link', short: 'Link', shortcut: 'K', run: () => 'link' },
  { key: 'list', label: 'Bullet list', short: '• List', run: (e) => toggleBulletList(e) },
];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

/**
 * Replaces the textarea's text with `next` as an edit of the changed middle only, through the
 * browser's own editing (so Ctrl+Z in the field undoes it), then sets the selection.
 */
function applyToTextarea(el: HTMLTextAreaElement, next: Edit): void {
  const old = el.value;
  let start = 0;
  while (start < old.length && start < next.text.length && old[start] === next.text[start]) start++;
  let endOld = old.length;
  let endNew = next.text.length;
  while (endOld > start && endNew > start && old[endOld - 1] === next.text[endNew - 1]) {
    endOld--;
    endNew--;
  }
  el.focus();
  el.setSelectionRange(start, endOld);
  const middle = next.text.slice(start, endNew);
  const done = middle ? document.execCommand('insertText', false, middle) : document.execCommand('delete', false);
  if (!done || el.value !== next.text) {
    el.value = next.text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }
  el.setSelectionRange(next.start, next.end);
}

export function RichTextControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const { node, path } = props;
  const value = valueAt<string>(ctx, path) ?? '';
  const id = controlId(ctx, path);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkEdit, setLinkEdit] = useState<{ edit: Edit; text: string; href: string; existing: boolean } | null>(null);
  const max = node.maxLength;
  const meta = fieldMeta(id, issueAt(ctx, path), { hint: true, counter: max !== undefined });

  const current = (): Edit => {
    const el = textarea.current!;
    return { text: el.value, start: el.selectionStart, end: el.selectionEnd };
  };

  const run = (tool: Tool) => {
    if (ctx.readOnly || !textarea.current) return;
    const edit = current();
    const result = tool.run(edit);
    if (result === 'link') {
      const existing = linkAt(edit.text, edit.start, edit.end);
      setLinkEdit({
        edit,
        text: existing?.text ?? edit.text.slice(edit.start, edit.end),
        href: existing?.href ?? '',
        existing: !!existing,
      });
      return;
    }
    applyToTextarea(textarea.current, result);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const tool = TOOLS.find((t) => t.shortcut && t.shortcut.toLowerCase() === e.key.toLowerCase());
    if (!tool) return;
    e.preventDefault();
    run(tool);
  };

  const onPaste = (e: ClipboardEvent) => {
    const html = e.clipboardData?.getData('text/html');
    if (!html || !textarea.current) return;
    e.preventDefault();
    const cleaned = htmlToMarkdown(html) || e.clipboardData?.getData('text/plain') || '';
    const edit = current();
    // Paragraphs, headings and lists pasted mid-line start and end on lines of their own.
    let inserted = cleaned;
    if (cleaned.includes('\n')) {
      const before = edit.text.slice(0, edit.start);
      const after = edit.text.slice(edit.end);
      if (before && !before.endsWith('\n')) inserted = `\n\n${inserted}`;
      if (after && !after.startsWith('\n')) inserted = `${inserted}\n\n`;
    }
    applyToTextarea(textarea.current, insertText(edit, inserted));
    announce('Pasted text cleaned: headings, lists, bold, italic and links kept; everything else removed.');
  };

  // Arrow keys move between the toolbar's buttons (one tab stop for the whole toolbar).
  const onToolbarKey = (e: KeyboardEvent) => {
    const last = TOOLS.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? focusIndex + 1
        : e.key === 'ArrowLeft'
          ? focusIndex - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    const index = (next + TOOLS.length) % TOOLS.length;
    setFocusIndex(index);
    toolbar.current?.querySelectorAll<HTMLButtonElement>('button')[index]?.focus();
  };

  const hrefError =
    linkEdit && linkEdit.href.trim() && !isSafeLinkHref(linkEdit.href.trim())
      ? 'Use an https:// address, mailto: or a path on this site such as /pricing.'
      : null;

  return (
    <FieldShell
      meta={meta}
      label={props.label ?? node.label}
      optional={!node.required}
      hint={`Headings, bold, italic, links and bullet lists. ${MOD}B bold, ${MOD}I italic, ${MOD}K link. Pasted formatting is cleaned.`}
      counter={max !== undefined ? { length: value.length, max } : undefined}
      class="rich-text"
    >
      <div
        class="rt-toolbar"
        role="toolbar"
        aria-label={`Formatting for ${props.label ?? node.label}`}
        aria-controls={id}
        ref={toolbar}
        onKeyDown={onToolbarKey}
      >
        {TOOLS.map((tool, i) => (
          <button
            key={tool.key}
            type="button"
            class={`rt-button rt-${tool.key}`}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={tool.label}
            title={tool.shortcut ? `${tool.label} (${MOD}${tool.shortcut})` : tool.label}
            aria-keyshortcuts={tool.shortcut ? `${isMac ? 'Meta' : 'Control'}+${tool.shortcut}` : undefined}
            // Keep the selection in the textarea when the button is pressed with the mouse.
            onMouseDown={(e) => e.preventDefault()}
            onFocus={() => setFocusIndex(i)}
            onClick={() => run(tool)}
          >
            <span aria-hidden="true">{tool.short}</span>
          </button>
        ))}
      </div>
      <textarea
        id={id}
        ref={textarea}
        class="rt-text"
        rows={Math.min(20, Math.max(6, value.split('\n').length + 1))}
        value={value}
        aria-invalid={meta.error ? true : undefined}
        aria-describedby={meta.describedBy}
        onInput={(e) => ctx.set(path, !node.required && e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {linkEdit ? (
        <Dialog title={linkEdit.existing ? 'Edit link' : 'Add a link'} onClose={() => setLinkEdit(null)} initialFocus={`#${id}-link-href`}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (hrefError || !linkEdit.href.trim()) return;
              const result = applyLink(linkEdit.edit, linkEdit.text, linkEdit.href);
              setLinkEdit(null);
              requestAnimationFrame(() => textarea.current && applyToTextarea(textarea.current, result));
            }}
          >
            <div class="field">
              <label for={`${id}-link-text`}>Text</label>
              <input
                id={`${id}-link-text`}
                value={linkEdit.text}
                onInput={(e) => setLinkEdit({ ...linkEdit, text: e.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for={`${id}-link-href`}>Link address</label>
              <p class="field-hint" id={`${id}-link-hint`}>
                https://…, mailto:… or a page of this site such as /pricing.
              </p>
              <input
                id={`${id}-link-href`}
                type="text"
                inputMode="url"
                spellcheck={false}
                value={linkEdit.href}
                aria-invalid={hrefError ? true : undefined}
                aria-describedby={`${id}-link-hint${hrefError ? ` ${id}-link-error` : ''}`}
                onInput={(e) => setLinkEdit({ ...linkEdit, href: e.currentTarget.value })}
              />
              {hrefError ? (
                <p class="field-error" id={`${id}-link-error`}>
                  {hrefError}
                </p>
              ) : null}
            </div>
            <div class="dialog-actions">
              {linkEdit.existing ? (
                <button
                  type="button"
                  class="button danger-outline"
                  onClick={() => {
                    const result = applyLink(linkEdit.edit, linkEdit.text, '');
                    setLinkEdit(null);
                    requestAnimationFrame(() => textarea.current && applyToTextarea(textarea.current, result));
                  }}
                >
                  Remove link
                </button>
              ) : null}
              <button type="button" class="button secondary" onClick={() => setLinkEdit(null)}>
                Cancel
              </button>
              <button type="submit" class="button" disabled={!linkEdit.href.trim() || !!hrefError}>
                Apply
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </FieldShell>
  );
}
