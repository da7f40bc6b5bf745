/**
 * The page editor at /app/funnels/:id/pages/:pageId: the outline (left), the live preview
 * rendered by the published pages' renderer (centre) and the inspector (right); on narrow screens
 * one pane at a time behind a switch. The top bar has the save state, undo/redo, the device
 * toggle, the preview link, versions and Publish. State lives in ./state.ts; this file wires it to
 * the screen, the keyboard and the URL (a warning before leaving with unsaved changes).
 */
import { useComputed, useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { accessibilityFindings } from '../../../../workers/contract/page-editor';
import type { Block } from '../../../../workers/domain/blocks';
import { canEdit } from '../../state';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { blockName } from './block-meta';
import { ChecksPanel } from './checks';
import { draftOf, draftServer, loadFunnel, loadPage, revisionOf, type LoadedFunnel, type LoadedPage } from './editor-api';
import Inspector from './inspector/inspector';
import { Outline } from './outline';
import { Palette } from './palette';
import { Preview, type Device } from './preview';
import type { PagePlace } from './preview-html';
import { PublishControls } from './publish';
import { SaveBanners, SaveIndicator } from './save-state';
import { EditorState } from './state';
import { usePageWeight, WeightMeter } from './weight-meter';
import './editor.css';

type Pane = 'outline' | 'preview' | 'inspector';
const PANES: Array<{ id: Pane; label: string }> = [
  { id: 'outline', label: 'Blocks' },
  { id: 'preview', label: 'Preview' },
  { id: 'inspector', label: 'Edit' },
];

export default function PageEditor(props: { id: string; pageId: string }) {
  const loaded = useResource(() => Promise.all([loadPage(props.pageId), loadFunnel(props.id)]), [props.id, props.pageId]);
  const crumbs = [
    { href: '/app/funnels', label: 'Funnels' },
    { href: `/app/funnels/${props.id}`, label: loaded.data?.[1].name ?? 'Funnel' },
  ];
  if (loaded.error?.status === 404) {
    return (
      <View title="Page not found" crumbs={crumbs}>
        <EmptyState title="There is no such page in this workspace" action={<a href={`/app/funnels/${props.id}`}>Back to the funnel</a>}>
          It may have been deleted, or it belongs to another workspace.
        </EmptyState>
      </View>
    );
  }
  if (!loaded.data) {
    return (
      <View title="Page editor" crumbs={crumbs}>
        {loaded.error ? <InlineError error={loaded.error} onRetry={() => loaded.reload()} title="The page did not load." /> : null}
        {loaded.loading ? <Skeleton rows={6} label="Loading the page…" /> : null}
      </View>
    );
  }
  const [page, funnel] = loaded.data;
  return <EditorScreen key={page.id} page={page} funnel={funnel} crumbs={crumbs} />;
}

/**
 * The screen, wired so that a keystroke re-renders only what shows the draft: each part reads the
 * signals it needs itself (the outline its blocks, the inspector pane the selection), and the
 * frame around them stays put.
 */
function EditorScreen(props: { page: LoadedPage; funnel: LoadedFunnel; crumbs: Array<{ href: string; label: string }> }) {
  const { funnel } = props;
  const [page, setPage] = useState(props.page);
  const readOnly = !canEdit.value;
  const editor = useMemo(
    () =>
      new EditorState({
        content: draftOf(props.page),
        revision: revisionOf(props.page),
        server: draftServer(props.page.id),
        readOnly,
        stashStore: typeof sessionStorage === 'undefined' ? null : sessionStorage,
        stashKey: `leadflare-editor-copy:${props.page.id}`,
      }),
    [props.page.id, readOnly],
  );
  // On a phone, the phone-width preview is the one that can be read without zooming.
  const device = useSignal<Device>(matchMedia('(max-width: 40rem)').matches ? 'phone' : 'desktop');
  const pane = useSignal<Pane>('preview');
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [deleted, setDeleted] = useState<{ block: Block; index: number; key: number } | null>(null);
  const html = useSignal('');
  const weight = usePageWeight(html);
  const place = useMemo<PagePlace>(
    () => ({ funnelSlug: funnel.slug, pageSlug: page.slug, siblings: funnel.pages.map((p) => ({ slug: p.slug, position: p.position })) }),
    [funnel, page.slug],
  );
  const placement = useMemo(
    () => ({
      pageSlugs: [...funnel.pages].sort((a, b) => a.position - b.position).map((p) => p.slug),
      pageSlug: page.slug,
      unpublishedSlugs: funnel.pages.filter((p) => p.publishedVersionId === null && p.id !== page.id).map((p) => p.slug),
    }),
    [funnel, page.slug, page.id],
  );
  // The same check the server runs before publishing, on every change, before anything is saved.
  const findings = useComputed(() => accessibilityFindings(editor.content.value, placement));

  useFullWidth();
  useShortcuts(editor);
  useLeaveGuard(editor);

  const openInspector = (id: string | null) => {
    editor.select(id);
    pane.value = 'inspector';
  };
  const showFirstError = () => {
    const key = Object.keys(editor.errors.peek())[0];
    const match = key ? /^blocks\.(\d+)/.exec(key) : null;
    openInspector(match ? (editor.content.peek().blocks[Number(match[1])]?.id ?? null) : null);
  };

  return (
    <View
      title={page.name}
      crumbs={props.crumbs}
      actions={
        <div class="editor-actions">
          <SaveIndicator editor={editor} />
          <HistoryButtons editor={editor} />
          <div class="button-group" role="group" aria-label="Preview width">
            {(['desktop', 'phone'] as const).map((d) => (
              <button
                key={d}
                type="button"
                class={device.value === d ? 'button small' : 'button small secondary'}
                aria-pressed={device.value === d}
                onClick={() => {
                  device.value = d;
                  pane.value = 'preview';
                }}
              >
                {d === 'desktop' ? 'Desktop' : 'Phone'}
              </button>
            ))}
          </div>
          <PublishControls
            editor={editor}
            page={page}
            funnel={funnel}
            weight={weight}
            findings={findings}
            onPageChange={setPage}
            onSelectBlock={openInspector}
          />
        </div>
      }
    >
      <div class="editor" data-pane={pane.value}>
        <SaveBanners editor={editor} onShowErrors={showFirstError} />
        <div class="pane-switch button-group" role="group" aria-label="Show">
          {PANES.map((p) => (
            <button
              key={p.id}
              type="button"
              class={pane.value === p.id ? 'button small' : 'button small secondary'}
              aria-pressed={pane.value === p.id}
              onClick={() => (pane.value = p.id)}
            >
              {p.label}
            </button>
          ))}
        </div>
        <div class="editor-panes">
          <Outline
            editor={editor}
            onAdd={() => setPaletteOpen(true)}
            onDeleted={(block, index) => setDeleted({ block, index, key: Date.now() })}
            onOpen={() => (pane.value = 'inspector')}
            footer={<ChecksPanel findings={findings} blocks={editor.content} onSelect={openInspector} />}
          />
          <section class="pane pane-preview" aria-labelledby="preview-title">
            <div class="pane-head">
              <h2 id="preview-title">Preview</h2>
              <WeightMeter weight={weight} />
            </div>
            <Preview editor={editor} place={place} device={device.value} onRendered={(h) => (html.value = h)} />
          </section>
          <InspectorPane editor={editor} readOnly={readOnly} />
        </div>
        <Announcer editor={editor} />
        {deleted ? (
          <UndoDeleteToast key={deleted.key} block={deleted.block} index={deleted.index} editor={editor} onDone={() => setDeleted(null)} />
        ) : null}
        {paletteOpen ? (
          <Palette
            after={editor.selectedBlock.peek() ? blockName(editor.selectedBlock.peek()!) : null}
            onClose={() => setPaletteOpen(false)}
            onChoose={(type) => {
              setPaletteOpen(false);
              const block = editor.addBlock(type);
              if (block) focusOutlineRow(block.id);
            }}
          />
        ) : null}
      </div>
    </View>
  );
}

function HistoryButtons(props: { editor: EditorState }) {
  const { editor } = props;
  return (
    <div class="button-group" role="group" aria-label="History">
      <button
        type="button"
        class="button small secondary"
        onClick={() => editor.undo()}
        disabled={!editor.canUndo.value}
        aria-keyshortcuts="Control+Z"
      >
        Undo
      </button>
      <button
        type="button"
        class="button small secondary"
        onClick={() => editor.redo()}
        disabled={!editor.canRedo.value}
        aria-keyshortcuts="Control+Shift+Z"
      >
        Redo
      </button>
    </div>
  );
}

/** The right pane: the selected block's form, or the page's theme and settings. */
function InspectorPane(props: { editor: EditorState; readOnly: boolean }) {
  const { editor } = props;
  const selected = editor.selectedBlock.value;
  const { settings } = editor.content.value;
  return (
    <section class="pane pane-inspector" aria-labelledby="inspector-title">
      <div class="pane-head">
        <h2 id="inspector-title">{selected ? blockName(selected) : 'Page settings'}</h2>
      </div>
      <Inspector
        block={selected}
        blockIndex={editor.selectedIndex.value}
        theme={settings.theme}
        settings={settings}
        onChangeBlock={(next) => editor.updateSelectedBlock(next)}
        onChangeTheme={(next) => editor.updateTheme(next)}
        onChangeSettings={(next) => editor.updateSettings(next)}
        errors={editor.errors.value}
        readOnly={props.readOnly}
      />
    </section>
  );
}

/** What just happened (moved, added, deleted, undone), read out by screen readers. */
function Announcer(props: { editor: EditorState }) {
  return (
    <p class="visually-hidden" aria-live="polite" aria-atomic="true">
      {props.editor.announcement.value}
    </p>
  );
}

function focusOutlineRow(id: string) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-outline-id="${CSS.escape(id)}"] .outline-select`)?.focus());
}

/** "Deleted Hero. Undo": the block comes back where it was (Ctrl+Z does the same while it is the last change). */
function UndoDeleteToast(props: { block: Block; index: number; editor: EditorState; onDone: () => void }) {
  const onDone = useRef(props.onDone);
  onDone.current = props.onDone;
  useEffect(() => {
    const timer = setTimeout(() => onDone.current(), 10_000);
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class="undo-toast" role="status">
      <span>Deleted {blockName(props.block)}.</span>
      <button
        type="button"
        class="button small secondary"
        onClick={() => {
          props.editor.restoreBlock(props.block, props.index);
          props.onDone();
          focusOutlineRow(props.block.id);
        }}
      >
        Undo
      </button>
      <button type="button" class="toast-close" aria-label="Dismiss" onClick={props.onDone}>
        ×
      </button>
    </div>
  );
}

/** The editor uses the whole window: the app's sidebar steps aside while it is open (the breadcrumb leads back). */
function useFullWidth() {
  useEffect(() => {
    document.documentElement.classList.add('lf-editor-open');
    return () => document.documentElement.classList.remove('lf-editor-open');
  }, []);
}

/** Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z (or Ctrl+Y) redo, Ctrl/⌘+S saves now — anywhere in the editor, fields included. */
function useShortcuts(editor: EditorState) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) editor.undo();
      else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) editor.redo();
      else if (key === 's' && !e.shiftKey) void editor.flush();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [editor]);
}

/**
 * Unsaved changes are not lost by leaving: a reload or closing the tab asks first; a link inside
 * the app saves before it goes (and asks when the save fails); leaving any other way sends the
 * last save with `keepalive`, so it completes after the view is gone.
 */
function useLeaveGuard(editor: EditorState) {
  const { route } = useLocation();
  useEffect(() => {
    const unsaved = () => editor.dirty.peek() || editor.status.peek() === 'conflict';
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!unsaved()) return;
      e.preventDefault();
      // Older browsers show the prompt only with a returnValue.
      e.returnValue = '';
    };
    const onClick = (e: MouseEvent) => {
      if (!unsaved() || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      const link = (e.target as Element | null)?.closest?.('a[href]');
      if (!(link instanceof HTMLAnchorElement) || link.origin !== location.origin || link.target || link.download) return;
      if (!link.pathname.startsWith('/app') || link.getAttribute('href')?.startsWith('#')) return;
      // Ahead of the router (which listens on window): hold the navigation until the draft is saved.
      e.preventDefault();
      e.stopPropagation();
      const to = link.pathname + link.search;
      void (async () => {
        if (await editor.flush()) return route(to);
        const leave = await confirm({
          title: 'Leave without saving?',
          message:
            editor.status.peek() === 'conflict'
              ? 'Someone else saved this page meanwhile; your changes are not saved. Stay to choose what to keep.'
              : 'Your latest changes could not be saved. If you leave now, they are lost.',
          confirmLabel: 'Leave without saving',
          danger: true,
        });
        if (leave) route(to);
      })();
    };
    addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', onClick, true);
      if (editor.dirty.peek() && editor.status.peek() !== 'conflict') void editor.flush({ keepalive: true });
      editor.dispose();
    };
  }, [editor]);
}
