/**
 * Image and file fields: a preview with Choose / Replace / Remove through the media picker, the
 * image's alt text right under it (a library image brings its own), and its address for images
 * hosted elsewhere. A lead magnet's file is a PDF from the library (`media:<id>`) or an https link.
 */
import { useState } from 'preact/hooks';
import { isImageSource } from '../../../../../workers/domain/safe-urls';
import { useResource } from '../../../shell/resource';
import { mediaDetail, type MediaItem } from '../../media/media-api';
import type { FieldNode, StringField } from './field-model';
import { controlId, FieldView, issueAt, useForm, valueAt, type FieldProps } from './form-context';
import { MediaPicker } from './media-picker';
import type { Path } from './values';

const ALT_HELP = 'Describe the picture for people who cannot see it. Leave empty only if it is decoration.';

const text = (key: string, label: string, extra: Partial<StringField> = {}): StringField => ({
  kind: 'string',
  key,
  pattern: key,
  label,
  required: true,
  advanced: false,
  multiline: false,
  ...extra,
});

const SRC_NODE = text('src', 'Image address', {
  maxLength: 2048,
  description: 'An https:// address, or a path on this site such as /media/….',
});
const ALT_NODE = text('alt', 'Alt text', { maxLength: 300, description: ALT_HELP });
const size = (key: 'width' | 'height', label: string): FieldNode => ({
  kind: 'number',
  key,
  pattern: key,
  label,
  required: false,
  advanced: true,
  integer: true,
  minimum: 1,
  maximum: 8000,
});

function Preview(props: { src: string | undefined; alt: string }) {
  if (!props.src || !isImageSource(props.src)) return <div class="image-preview empty" aria-hidden="true" />;
  return (
    <div class="image-preview">
      <img src={props.src} alt={props.alt ? `Preview: ${props.alt}` : 'Preview of the chosen image'} />
    </div>
  );
}

/**
 * An image object `{ src, alt, width?, height? }` at `objectPath` — a hero's image, a theme's logo,
 * or the image block itself (`objectPath` = []).
 */
export function ImageControl(props: { node: FieldNode; objectPath: Path; optional: boolean; label: string }) {
  const ctx = useForm();
  const [picking, setPicking] = useState(false);
  const { objectPath } = props;
  const image = valueAt<{ src?: string; alt?: string; width?: number; height?: number }>(ctx, objectPath);
  const present = objectPath.length === 0 ? true : image !== undefined;
  const hasSize = props.node.kind === 'object' ? props.node.fields.some((f) => f.key === 'width') : true;
  const srcError = issueAt(ctx, [...objectPath, 'src']);
  const chooseId = `${controlId(ctx, objectPath)}-choose`;

  const use = (item: MediaItem) => {
    setPicking(false);
    if (!item.url) return;
    const next: Record<string, unknown> = { ...(image ?? {}), src: item.url, alt: item.alt ?? '' };
    if (hasSize) {
      // A picture without a stated size (some SVGs) must not keep the old picture's size.
      next.width = item.width ?? undefined;
      next.height = item.height ?? undefined;
      if (next.width === undefined) delete next.width;
      if (next.height === undefined) delete next.height;
    }
    ctx.set(objectPath, next);
    requestAnimationFrame(() => document.getElementById(controlId(ctx, [...objectPath, 'alt']))?.focus());
  };

  return (
    <fieldset class="insp-group image-field">
      <legend>
        {props.label}
        {props.optional ? <span class="optional"> (optional)</span> : null}
      </legend>
      {present && image?.src ? <Preview src={image.src} alt={image.alt ?? ''} /> : null}
      <div class="image-actions">
        <button type="button" class="button secondary small" id={chooseId} onClick={() => setPicking(true)}>
          {present && image?.src ? 'Replace image' : 'Choose image'}
        </button>
        {props.optional && present ? (
          <button type="button" class="button danger-outline small" onClick={() => ctx.set(objectPath, undefined)}>
            Remove image
          </button>
        ) : null}
      </div>
      {srcError && !present ? <p class="field-error">{srcError}</p> : null}
      {present ? (
        <>
          <FieldView node={ALT_NODE} path={[...objectPath, 'alt']} />
          <details class="insp-advanced" open={!!srcError || undefined}>
            <summary>Address{hasSize ? ' and size' : ''}</summary>
            <FieldView node={SRC_NODE} path={[...objectPath, 'src']} />
            {hasSize ? (
              <div class="form-row">
                <FieldView node={size('width', 'Width (px)')} path={[...objectPath, 'width']} />
                <FieldView node={size('height', 'Height (px)')} path={[...objectPath, 'height']} />
              </div>
            ) : null}
          </details>
        </>
      ) : null}
      {picking ? <MediaPicker kind="image" onChoose={use} onClose={() => setPicking(false)} /> : null}
    </fieldset>
  );
}

/**
 * A string that is an image's address (an avatar, the social image). Open Graph images are
 * fetched by other sites, so the social image takes the full address of the library file.
 */
export function ImageSrcControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const [picking, setPicking] = useState(false);
  const value = valueAt<string>(ctx, props.path);
  const absolute = props.node.key === 'ogImage';
  return (
    <div class="insp-field image-src-field">
      {value ? <Preview src={value} alt="" /> : null}
      <FieldView node={{ ...props.node, widget: undefined }} path={props.path} label={props.label ?? props.node.label} />
      <div class="image-actions">
        <button type="button" class="button secondary small" onClick={() => setPicking(true)}>
          {value ? 'Replace from the library' : 'Choose from the library'}
        </button>
        {value && !props.node.required ? (
          <button type="button" class="button danger-outline small" onClick={() => ctx.set(props.path, undefined)}>
            Remove
          </button>
        ) : null}
      </div>
      {picking ? (
        <MediaPicker
          kind="image"
          onChoose={(item) => {
            setPicking(false);
            if (item.url) ctx.set(props.path, absolute ? new URL(item.url, location.origin).href : item.url);
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
    </div>
  );
}

const MEDIA_REF = /^media:([0-9A-Z]{26})$/;

/** A lead magnet's file: a PDF of the library (delivered through the lead's expiring link) or an https address. */
export function FileControl(props: FieldProps & { node: StringField }) {
  const ctx = useForm();
  const [picking, setPicking] = useState(false);
  const value = valueAt<string>(ctx, props.path) ?? '';
  const mediaId = MEDIA_REF.exec(value)?.[1];
  const file = useResource(() => (mediaId ? mediaDetail(mediaId) : Promise.resolve(null)), [mediaId]);
  const error = issueAt(ctx, props.path);
  const id = controlId(ctx, props.path);
  // An address typed below shows its own message there; a library file's (or a missing file's) shows here.
  const shownHere = !!mediaId || !value;
  return (
    <fieldset class="insp-group file-field" aria-describedby={`${id}-about${error && shownHere ? ` ${id}-file-error` : ''}`}>
      <legend>{props.label ?? props.node.label}</legend>
      <p class="field-hint" id={`${id}-about`}>
        {props.node.description}
      </p>
      <p class="file-current">
        {mediaId ? (
          file.data ? (
            <>
              <span class="file-badge small" aria-hidden="true">
                PDF
              </span>{' '}
              <strong>{file.data.originalName}</strong> <span class="muted">from the media library</span>
            </>
          ) : file.error ? (
            <span class="field-error">This file is no longer in the media library: choose another.</span>
          ) : (
            'Loading…'
          )
        ) : value ? (
          <code>{value}</code>
        ) : (
          <span class="muted">No file chosen yet.</span>
        )}
      </p>
      <button type="button" class="button secondary small" onClick={() => setPicking(true)}>
        {value ? 'Choose another PDF' : 'Choose a PDF'}
      </button>
      <details class="insp-advanced" open={(!!value && !mediaId) || undefined}>
        <summary>Or link to a file elsewhere</summary>
        <FieldView
          node={{ ...props.node, widget: undefined, label: 'File address', description: 'An https:// address of the file.' }}
          path={props.path}
        />
      </details>
      {error && shownHere ? (
        <p class="field-error" id={`${id}-file-error`}>
          {error}
        </p>
      ) : null}
      {picking ? (
        <MediaPicker
          kind="file"
          onChoose={(item) => {
            setPicking(false);
            if (item.leadMagnetRef) ctx.set(props.path, item.leadMagnetRef);
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
    </fieldset>
  );
}
