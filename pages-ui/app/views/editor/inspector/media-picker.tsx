/**
 * Choose an image (or a lead-magnet PDF) from the media library, or upload a new one — with its
 * alt text, for images — and use it at once. The server's refusal of a bad upload (wrong type,
 * too large, unsafe SVG) is shown in the dialog and nothing is chosen.
 */
import { useRef, useState } from 'preact/hooks';
import { Dialog } from '../../../shell/dialog';
import { useCursorPages } from '../../../shell/cursor-pages';
import { InlineError, Skeleton } from '../../../shell/feedback';
import { describeMedia, listMedia, type MediaItem } from '../../media/media-api';
import { UploadForm } from '../../media/upload-form';

let pickerId = 1;

export function MediaPicker(props: { kind: 'image' | 'file'; onChoose: (item: MediaItem) => void; onClose: () => void }) {
  const id = useRef(`picker-${pickerId++}`).current;
  const [tab, setTab] = useState<'library' | 'upload'>('library');
  const [wrongKind, setWrongKind] = useState<string | null>(null);
  const list = useCursorPages<MediaItem>(
    async (cursor) => {
      const page = await listMedia(props.kind, cursor);
      return { items: page.media, nextCursor: page.nextCursor };
    },
    [props.kind],
  );
  const items = list.items;
  const noun = props.kind === 'image' ? 'image' : 'PDF';

  const tabs = [
    { key: 'library' as const, label: 'Media library' },
    { key: 'upload' as const, label: `Upload a new ${noun}` },
  ];
  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = tab === 'library' ? 'upload' : 'library';
    setTab(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };

  return (
    <Dialog title={`Choose ${props.kind === 'image' ? 'an image' : 'a PDF'}`} onClose={props.onClose} initialFocus={`#${id}-tab-library`}>
      <div class="picker">
        <div class="picker-tabs" role="tablist" aria-label="Where from" onKeyDown={onTabKey}>
          {tabs.map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              id={`${id}-tab-${t.key}`}
              aria-selected={tab === t.key}
              aria-controls={`${id}-panel-${t.key}`}
              tabIndex={tab === t.key ? 0 : -1}
              onClick={() => setTab(t.key)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {tab === 'library' ? (
          <div role="tabpanel" id={`${id}-panel-library`} aria-labelledby={`${id}-tab-library`} class="picker-panel">
            {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The media library did not load." /> : null}
            {!list.loaded && list.loading ? <Skeleton rows={2} label="Loading the media library…" /> : null}
            {list.loaded && items.length === 0 ? (
              <div class="picker-empty">
                <p>No {noun}s in the library yet.</p>
                <button type="button" class="button" onClick={() => setTab('upload')}>
                  Upload one
                </button>
              </div>
            ) : null}
            {items.length ? (
              <ul class="picker-grid" aria-label={props.kind === 'image' ? 'Images' : 'PDF files'}>
                {items.map((item) => (
                  <li key={item.id}>
                    <button type="button" class="picker-item" onClick={() => props.onChoose(item)}>
                      {item.url ? (
                        <img src={item.url} alt="" loading="lazy" decoding="async" />
                      ) : (
                        <span class="file-badge small" aria-hidden="true">
                          PDF
                        </span>
                      )}
                      <span class="picker-name">
                        <span class="visually-hidden">Use </span>
                        {item.originalName}
                      </span>
                      <span class="picker-meta">{item.alt ? `“${item.alt}”` : describeMedia(item)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            {list.moreError ? <InlineError error={list.moreError} onRetry={list.loadMore} /> : null}
            {list.hasMore ? (
              <button type="button" class="button secondary small" disabled={list.moreBusy} onClick={list.loadMore}>
                {list.moreBusy ? 'Loading…' : `Show older ${noun}s`}
              </button>
            ) : null}
          </div>
        ) : (
          <div role="tabpanel" id={`${id}-panel-upload`} aria-labelledby={`${id}-tab-upload`} class="picker-panel">
            {wrongKind ? <InlineError error={wrongKind} /> : null}
            <UploadForm
              accept={props.kind === 'image' ? 'image' : 'pdf'}
              submitLabel="Upload and use"
              onUploaded={(item) => {
                // The bytes decide the kind: a PDF chosen for an image field is stored, but cannot go here.
                if (item.kind === props.kind) props.onChoose(item);
                else
                  setWrongKind(
                    `“${item.originalName}” is ${item.kind === 'file' ? 'a PDF' : 'an image'}: it is in the media library now, but only ${noun}s can go here.`,
                  );
              }}
              onCancel={props.onClose}
            />
          </div>
        )}
      </div>
    </Dialog>
  );
}
