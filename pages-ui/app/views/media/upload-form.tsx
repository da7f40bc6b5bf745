import { useEffect, useRef, useState } from 'preact/hooks';
import { ALT_MAX_LENGTH } from '../../../../workers/contract';
import { type ApiError, asApiError } from '../../api';
import { formatBytes, looksLikeImage, readAsDataUrl, uploadMedia, type MediaItem } from './media-api';

let nextFormId = 1;

export interface UploadFormProps {
  /** A file already chosen (dropped on the page); otherwise the form has its own file chooser. */
  file?: File;
  /** What the chooser offers: images only (an image field) or anything the library takes. */
  accept?: 'image' | 'pdf' | 'any';
  onUploaded: (item: MediaItem) => void;
  onCancel?: () => void;
  /** The primary button's words, e.g. "Upload and use". */
  submitLabel?: string;
}

const ACCEPT = {
  image: 'image/png,image/jpeg,image/webp,image/gif,image/svg+xml',
  pdf: 'application/pdf',
  any: 'image/png,image/jpeg,image/webp,image/gif,image/svg+xml,application/pdf',
};

/**
 * One upload: the file, a preview, the alt text every image needs, and the server's verdict. A
 * refused upload shows the server's own message (wrong type, too large, unsafe SVG) and leaves
 * nothing behind; the marketer can pick another file at once.
 */
export function UploadForm(props: UploadFormProps) {
  const id = useRef(`upload-${nextFormId++}`).current;
  const [file, setFile] = useState<File | null>(props.file ?? null);
  const [preview, setPreview] = useState<string | null>(null);
  const [alt, setAlt] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [altError, setAltError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The server found an image where the browser did not guess one (a renamed file): ask for alt text too. */
  const [needsAlt, setNeedsAlt] = useState(false);
  const altRef = useRef<HTMLTextAreaElement>(null);

  const isImage = file ? looksLikeImage(file) || needsAlt : props.accept === 'image';

  useEffect(() => {
    setPreview(null);
    if (!file || !looksLikeImage(file)) return;
    let live = true;
    readAsDataUrl(file).then(
      (url) => live && setPreview(url),
      () => live && setPreview(null),
    );
    return () => void (live = false);
  }, [file]);

  const choose = (next: File | null) => {
    setFile(next);
    setError(null);
    setAltError(null);
    setNeedsAlt(false);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file || busy) return;
    if (isImage && !alt.trim()) {
      setAltError('Describe the image for people who cannot see it (alt text).');
      altRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setAltError(null);
    try {
      props.onUploaded(await uploadMedia(file, isImage ? alt : undefined));
    } catch (err) {
      const apiError = asApiError(err, 'The upload failed. Try again.');
      if (apiError.fields.alt) {
        setNeedsAlt(true);
        setAltError(apiError.fields.alt);
        requestAnimationFrame(() => altRef.current?.focus());
      } else {
        setError(apiError);
      }
    } finally {
      setBusy(false);
    }
  };

  const describedBy = [`${id}-alt-hint`, altError ? `${id}-alt-error` : ''].filter(Boolean).join(' ');
  return (
    <form class="upload-form" onSubmit={submit} noValidate aria-busy={busy}>
      {props.file ? (
        <p class="upload-file">
          <strong>{file?.name}</strong> <span class="muted">{file ? formatBytes(file.size) : ''}</span>
        </p>
      ) : (
        <div class="field">
          <label for={`${id}-file`}>{props.accept === 'image' ? 'Image file' : props.accept === 'pdf' ? 'PDF file' : 'File'}</label>
          <p class="field-hint" id={`${id}-file-hint`}>
            {props.accept === 'pdf'
              ? 'A PDF of up to 20 MB.'
              : props.accept === 'image'
                ? 'PNG, JPEG, WebP, GIF or SVG, up to 5 MB.'
                : 'Images (PNG, JPEG, WebP, GIF, SVG; 5 MB) or PDFs (20 MB).'}
          </p>
          <input
            id={`${id}-file`}
            type="file"
            accept={ACCEPT[props.accept ?? 'any']}
            aria-describedby={`${id}-file-hint${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? true : undefined}
            onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
      )}
      {preview ? <img class="upload-preview" src={preview} alt="" /> : null}
      {isImage && file ? (
        <div class="field">
          <label for={`${id}-alt`}>Alt text</label>
          <p class="field-hint" id={`${id}-alt-hint`}>
            What the picture shows, for people who cannot see it, e.g. “Three bottles of the serum on a marble shelf”.
          </p>
          <textarea
            id={`${id}-alt`}
            ref={altRef}
            rows={2}
            maxLength={ALT_MAX_LENGTH}
            required
            value={alt}
            aria-invalid={altError ? true : undefined}
            aria-describedby={describedBy}
            onInput={(e) => {
              setAlt(e.currentTarget.value);
              if (altError && e.currentTarget.value.trim()) setAltError(null);
            }}
          />
          {altError ? (
            <p class="field-error" id={`${id}-alt-error`}>
              {altError}
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <div class="inline-error upload-error" role="alert" id={`${id}-error`}>
          <p>
            <strong>{file ? `“${file.name}” was not uploaded.` : 'Not uploaded.'}</strong> {error.message}
            {error.retryable ? '' : ' Nothing was stored.'}
          </p>
        </div>
      ) : null}
      <div class="dialog-actions">
        {props.onCancel ? (
          <button type="button" class="button secondary" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" class="button" disabled={!file || busy}>
          {busy ? 'Uploading…' : (props.submitLabel ?? 'Upload')}
        </button>
      </div>
    </form>
  );
}
