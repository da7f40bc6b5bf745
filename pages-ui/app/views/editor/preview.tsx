/**
 * The live preview: the page rendered by the published pages' own renderer into a sandboxed
 * iframe (no scripts, no form posts, same origin so the editor can patch it), at desktop width
 * (1280 px, scaled to fit the pane) or phone width (390 px). Each change is rendered at once and
 * patched in place; a click on a block selects it.
 */
import { effect } from '@preact/signals';
import { useEffect, useRef, useState } from 'preact/hooks';
import { PreviewFrame } from './preview-frame';
import type * as PreviewHtml from './preview-html';
import type { PagePlace } from './preview-html';
import type { EditorState } from './state';

export type Device = 'desktop' | 'phone';
export const DEVICE_WIDTH: Record<Device, number> = { desktop: 1280, phone: 390 };

/** The renderer arrives as its own chunk, fetched once, as soon as a preview is shown. */
let renderer: Promise<typeof PreviewHtml> | null = null;
const loadRenderer = () => (renderer ??= import('./preview-html'));

/** An empty document; the editor fills it. Sandboxed without scripts: nothing in the page can run. */
const BLANK = '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>';

interface PreviewProps {
  editor: EditorState;
  place: PagePlace;
  device: Device;
  /** Each rendering, as HTML (for the page-weight meter). */
  onRendered: (html: string) => void;
}

export function Preview(props: PreviewProps) {
  const { editor } = props;
  const frameRef = useRef<HTMLIFrameElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<PreviewFrame | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [failed, setFailed] = useState<string | null>(null);
  const [render, setRender] = useState<typeof PreviewHtml.renderPreview | null>(null);
  const placeRef = useRef(props.place);
  placeRef.current = props.place;
  const onRendered = useRef(props.onRendered);
  onRendered.current = props.onRendered;
  /** True while a selection comes from a click in the preview (no scrolling then). */
  const clickedInside = useRef(false);

  // The frame document exists after its first load; then it is patched, never reloaded.
  const onLoad = () => {
    const frame = frameRef.current;
    if (!frame?.contentDocument || preview) return;
    const p = new PreviewFrame(frame);
    const doc = p.document;
    doc.addEventListener('click', (e) => {
      const target = e.target as Element | null;
      if (!target?.closest) return;
      // Links and buttons do nothing here: the preview is for looking and choosing.
      if (target.closest('a[href], button, input[type="submit"]')) e.preventDefault();
      const section = target.closest('[data-block-index]');
      const index = section ? Number(section.getAttribute('data-block-index')) : -1;
      const block = editor.content.value.blocks[index];
      if (block) {
        clickedInside.current = true;
        editor.select(block.id);
      }
    });
    doc.addEventListener('submit', (e) => e.preventDefault());
    setPreview(p);
  };

  useEffect(() => {
    let current = true;
    loadRenderer().then(
      (m) => current && setRender(() => m.renderPreview),
      () => current && setFailed('The preview could not be loaded. Reload the page to try again.'),
    );
    return () => {
      current = false;
    };
  }, []);

  // Render on every change of the draft, right after the change (a microtask, so several changes
  // made at once are one rendering), so the patch is in the very next frame the browser paints.
  useEffect(() => {
    if (!preview || !render) return;
    let queued = false;
    let live = true;
    const paint = () => {
      queued = false;
      if (!live) return;
      try {
        const html = render(editor.content.peek(), placeRef.current);
        preview.show(html);
        preview.select(editor.selectedIndex.peek(), false);
        setFailed(null);
        onRendered.current(html);
      } catch {
        // A draft the server would refuse can also trip the renderer: keep the last good preview.
        setFailed('The preview is paused until the fields marked in red are fixed.');
      }
    };
    const stop = effect(() => {
      void editor.content.value;
      if (!queued) {
        queued = true;
        queueMicrotask(paint);
      }
    });
    return () => {
      live = false;
      stop();
    };
  }, [preview, render, editor, props.place]);

  // The selected block is outlined, and scrolled to when chosen outside the preview.
  useEffect(() => {
    if (!preview) return;
    return effect(() => {
      const index = editor.selectedIndex.value;
      preview.select(index, !clickedInside.current);
      clickedInside.current = false;
    });
  }, [preview, editor]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const width = DEVICE_WIDTH[props.device];
  const scale = size.width > 0 ? Math.min(1, size.width / width) : 1;
  const height = Math.max(320, size.height / scale);
  return (
    <div class={`preview-box preview-${props.device}`} ref={box}>
      {failed ? (
        <p class="preview-paused" role="status">
          {failed}
        </p>
      ) : null}
      <div class="preview-stage" style={{ width: `${width * scale}px`, height: `${height * scale}px` }}>
        <iframe
          ref={frameRef}
          class="preview-frame"
          title={`Preview of the page at ${props.device} width (${width} px)`}
          sandbox="allow-same-origin"
          srcdoc={BLANK}
          onLoad={onLoad}
          style={{ width: `${width}px`, height: `${height}px`, transform: `scale(${scale})` }}
        />
      </div>
    </div>
  );
}
