import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { ALT_MAX_LENGTH } from '../../../../workers/contract';
import { ApiError, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { Dialog } from '../../shell/dialog';
import { useCursorPages } from '../../shell/cursor-pages';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { canEdit } from '../../state';
import {
  deleteMedia,
  describeMedia,
  describeUsage,
  formatBytes,
  listMedia,
  looksLikeImage,
  mediaDetail,
  saveAlt,
  uploadMedia,
  type MediaItem,
  type MediaKind,
} from './media-api';
import { UploadForm } from './upload-form';

const FILTERS: Array<{ kind: MediaKind | undefined; label: string }> = [
  { kind: undefined, label: 'All' },
  { kind: 'image', label: 'Images' },
  { kind: 'file', label: 'PDFs' },
];

interface FileUpload {
  key: number;
  name: string;
  size: number;
  error: ApiError | null;
}

let uploadKey = 1;

/**
 * The media library: every image and lead-magnet PDF of the workspace, newest first. Upload by
 * dropping files anywhere on the screen or with the Upload button (images ask for their alt text
 * first), edit an image's alt text in place, copy its address, delete with a confirmation that
 * names the pages still using the file.
 */
export default function MediaLibrary() {
  const { query } = useLocation();
  const kind = query.kind === 'image' || query.kind === 'file' ? query.kind : undefined;
  const list = useCursorPages<MediaItem>(
    async (cursor) => {
      const page = await listMedia(kind, cursor);
      return { items: page.media, nextCursor: page.nextCursor };
    },
    [kind],
  );
  const [awaitingAlt, setAwaitingAlt] = useState<File[]>([]);
  const [files, setFiles] = useState<FileUpload[]>([]);
  const [dragging, setDragging] = useState(false);
  const chooser = useRef<HTMLInputElement>(null);
  const items = list.items;

  const added = (item: MediaItem) => {
    if (!kind || kind === item.kind) list.mutate((media) => [item, ...media.filter((m) => m.id !== item.id)]);
    toast(`“${item.originalName}” uploaded`);
  };

  const uploadFile = async (file: File) => {
    const key = uploadKey++;
    setFiles((fs) => [...fs, { key, name: file.name, size: file.size, error: null }]);
    try {
      added(await uploadMedia(file));
      setFiles((fs) => fs.filter((f) => f.key !== key));
    } catch (err) {
      const error = asApiError(err, 'The upload failed. Try again.');
      // The bytes were an image after all (a renamed file): ask for its alt text like any image.
      if (error.fields.alt) {
        setFiles((fs) => fs.filter((f) => f.key !== key));
        setAwaitingAlt((q) => [...q, file]);
      } else {
        setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, error } : f)));
      }
    }
  };

  const take = (chosen: FileList | File[] | null | undefined) => {
    if (!chosen || !canEdit.value) return;
    const all = Array.from(chosen);
    setAwaitingAlt((q) => [...q, ...all.filter(looksLikeImage)]);
    for (const file of all.filter((f) => !looksLikeImage(f))) void uploadFile(file);
  };

  // Files dropped anywhere on the screen are uploaded; the Upload button is the keyboard's way.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e) || !canEdit.value) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e) || !canEdit.value) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      take(e.dataTransfer?.files);
    };
    document.addEventListener('dragenter', enter);
    document.addEventListener('dragover', over);
    document.addEventListener('dragleave', leave);
    document.addEventListener('drop', drop);
    return () => {
      document.removeEventListener('dragenter', enter);
      document.removeEventListener('dragover', over);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
    };
  }, [kind]);

  const removed = (id: string) => list.mutate((media) => media.filter((m) => m.id !== id));

  const uploadButton = (
    <button type="button" class="button" {...editable()} onClick={() => chooser.current?.click()}>
      Upload files
    </button>
  );
  const current = awaitingAlt[0];

  return (
    <View
      title="Media"
      actions={uploadButton}
      lede="Images for your pages and PDF lead magnets. Drop files anywhere on this screen to upload them."
    >
      <input
        ref={chooser}
        type="file"
        multiple
        hidden
        accept="image/png,image/jpeg,image/webp,image/gif,image/svg+xml,application/pdf"
        aria-label="Files to upload"
        onChange={(e) => {
          take(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      <nav class="media-filters" aria-label="Show">
        {FILTERS.map((f) => (
          <a key={f.label} href={f.kind ? `/app/media?kind=${f.kind}` : '/app/media'} aria-current={kind === f.kind ? 'page' : undefined}>
            {f.label}
          </a>
        ))}
      </nav>

      {files.length ? (
        <ul class="upload-status" aria-label="Uploads">
          {files.map((f) =>
            f.error ? (
              <li key={f.key} class="inline-error" role="alert">
                <p>
                  <strong>“{f.name}” was not uploaded.</strong> {f.error.message}
                  {f.error.retryable ? '' : ' Nothing was stored.'}
                </p>
                <button type="button" class="button secondary small" onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}>
                  Dismiss
                </button>
              </li>
            ) : (
              <li key={f.key} class="upload-progress" role="status">
                Uploading “{f.name}” ({formatBytes(f.size)})…
              </li>
            ),
          )}
        </ul>
      ) : null}

      {list.error ? <InlineError error={list.error} onRetry={list.reload} title="The media library did not load." /> : null}
      {!list.loaded && list.loading ? <Skeleton rows={3} label="Loading the media library…" /> : null}
      {list.loaded && items.length === 0 ? (
        <EmptyState
          title={kind === 'image' ? 'No images yet' : kind === 'file' ? 'No PDFs yet' : 'No media yet'}
          action={canEdit.value ? uploadButton : undefined}
        >
          Upload images for your pages and PDFs to give away as lead magnets. Drag files onto this screen, or choose them.
        </EmptyState>
      ) : null}
      {items.length ? (
        <ul class="media-grid" aria-label="Media files">
          {items.map((item) => (
            <MediaCard key={item.id} item={item} onRemoved={removed} />
          ))}
        </ul>
      ) : null}
      {list.moreError ? <InlineError error={list.moreError} onRetry={list.loadMore} title="More files did not load." /> : null}
      {list.hasMore ? (
        <p class="load-more">
          <button type="button" class="button secondary" disabled={list.moreBusy} onClick={list.loadMore}>
            {list.moreBusy ? 'Loading…' : 'Show older files'}
          </button>
        </p>
      ) : null}

      {dragging ? (
        <div class="drop-overlay" aria-hidden="true">
          <p>Drop to upload</p>
        </div>
      ) : null}
      {current ? (
        <Dialog title="Describe the image" onClose={() => setAwaitingAlt((q) => q.slice(1))}>
          <UploadForm
            key={`${current.name}-${current.size}-${current.lastModified}`}
            file={current}
            onUploaded={(item) => {
              added(item);
              setAwaitingAlt((q) => q.slice(1));
            }}
            onCancel={() => setAwaitingAlt((q) => q.slice(1))}
          />
        </Dialog>
      ) : null}
    </View>
  );
}

function MediaCard(props: { item: MediaItem; onRemoved: (id: string) => void }) {
  const { item } = props;
  const [alt, setAlt] = useState(item.alt ?? '');
  const [saved, setSaved] = useState(item.alt ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const altId = `media-alt-${item.id}`;
  const changed = alt.trim() !== saved.trim();

  const save = async () => {
    if (!changed || busy) return;
    if (!alt.trim()) {
      setError('Images need alt text: describe what the picture shows.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await saveAlt(item.id, alt);
      setSaved(next.alt ?? '');
      setAlt(next.alt ?? '');
      toast('Alt text saved');
    } catch (err) {
      setError(err instanceof ApiError ? (err.fields.alt ?? err.message) : 'Could not save. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      const detail = await mediaDetail(item.id);
      const used = detail.usedIn;
      const ok = await confirm({
        title: `Delete “${item.originalName}”?`,
        message: used.length
          ? `It is used on ${used.map(describeUsage).join('; ')}. ${item.kind === 'image' ? 'Those pages will show a missing image' : 'Those lead magnets will have no file to send'} until you choose another. This cannot be undone.`
          : 'No page uses it. This cannot be undone.',
        confirmLabel: used.length ? 'Delete anyway' : 'Delete file',
        danger: true,
      });
      if (!ok) return;
      await deleteMedia(item.id, used.length > 0);
      toast(`“${item.originalName}” deleted`);
      props.onRemoved(item.id);
    } catch (err) {
      toast(err instanceof ApiError ? err.message : 'Could not delete the file. Try again.', 'error');
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!item.url) return;
    try {
      await navigator.clipboard.writeText(new URL(item.url, location.origin).href);
      toast('Address copied');
    } catch {
      toast('Could not copy: select the address and copy it yourself.', 'error');
    }
  };

  return (
    <li class="media-card">
      <div class="media-thumb">
        {item.url ? (
          <img
            src={item.url}
            alt={saved}
            loading="lazy"
            decoding="async"
            width={item.width ?? undefined}
            height={item.height ?? undefined}
          />
        ) : (
          <span class="file-badge" aria-hidden="true">
            PDF
          </span>
        )}
      </div>
      <div class="media-body">
        <p class="media-name">{item.originalName}</p>
        <p class="media-meta">{describeMedia(item)}</p>
        {item.kind === 'image' ? (
          <form
            class="media-alt"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label for={altId}>Alt text</label>
            <div class="media-alt-row">
              <input
                id={altId}
                value={alt}
                maxLength={ALT_MAX_LENGTH}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${altId}-error` : undefined}
                {...editable()}
                onInput={(e) => setAlt(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && changed) {
                    e.preventDefault();
                    setAlt(saved);
                    setError(null);
                  }
                }}
              />
              {changed ? (
                <button type="submit" class="button small" disabled={busy}>
                  Save
                </button>
              ) : null}
            </div>
            {error ? (
              <p class="field-error" id={`${altId}-error`}>
                {error}
              </p>
            ) : null}
          </form>
        ) : (
          <p class="media-meta">Choose it in a lead-magnet block; visitors get it through their own expiring link.</p>
        )}
        <div class="media-actions">
          {item.url ? (
            <button type="button" class="button secondary small" onClick={() => void copy()}>
              Copy address
            </button>
          ) : null}
          <button
            type="button"
            class="button danger-outline small"
            aria-label={`Delete ${item.originalName}`}
            {...editable()}
            disabled={busy || !canEdit.value}
            onClick={() => void remove()}
          >
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}
