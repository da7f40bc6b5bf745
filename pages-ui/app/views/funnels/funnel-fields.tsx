import { useState } from 'preact/hooks';
import type { ApiError } from '../../api';
import { TextField } from '../../shell/fields';
import { slugify, slugProblem } from './slug';

/** A name and the slug it suggests, and what is wrong with either: the form's own check as you type, the server's after a send. */
export function useNameAndSlug(initial: { name: string; slug: string }, takenSlugs: readonly string[]) {
  const [name, setName] = useState(initial.name);
  const [slug, setSlug] = useState(initial.slug);
  const [slugEdited, setSlugEdited] = useState(initial.slug !== '' && initial.slug !== slugify(initial.name));
  const [touched, setTouched] = useState(initial.slug !== '');
  return {
    name,
    slug,
    onName(value: string) {
      setName(value);
      if (!slugEdited) {
        setSlug(slugify(value));
        if (value) setTouched(true);
      }
    },
    onSlug(value: string) {
      setSlug(value);
      setSlugEdited(true);
      setTouched(true);
    },
    /** The live message for the slug; null while it is fine or not yet typed. */
    liveSlugProblem: touched ? slugProblem(slug, takenSlugs) : null,
    /** Whether the form may be sent (the server checks again). */
    valid: name.trim() !== '' && slugProblem(slug, takenSlugs) === null,
  };
}

/**
 * The server's word on the slug wins over the form's: a field message (400) or a conflict (409
 * `already_exists`, a slug another workspace took), shown at the slug field either way.
 */
export function serverSlugError(error: ApiError | null): string | undefined {
  if (!error) return undefined;
  return error.fields.slug ?? (error.code === 'already_exists' ? error.message : undefined);
}

export function NameAndSlugFields(props: {
  idPrefix: string;
  state: ReturnType<typeof useNameAndSlug>;
  error: ApiError | null;
  /** Cleared when the member edits the field it was about. */
  onEdit: () => void;
}) {
  const { state, error } = props;
  const slugError = serverSlugError(error) ?? state.liveSlugProblem ?? undefined;
  return (
    <>
      <TextField
        id={`${props.idPrefix}-name`}
        label="Name"
        value={state.name}
        error={error?.fields.name}
        autocomplete="off"
        maxLength={120}
        onInput={(e) => {
          state.onName(e.currentTarget.value);
          props.onEdit();
        }}
      />
      <TextField
        id={`${props.idPrefix}-slug`}
        label="Slug"
        hint={
          <>
            Visitors open it at <code>/p/{state.slug || 'your-funnel'}</code>. Lower-case letters, digits and “-”.
          </>
        }
        value={state.slug}
        error={slugError}
        autocomplete="off"
        spellcheck={false}
        maxLength={64}
        onInput={(e) => {
          state.onSlug(e.currentTarget.value);
          props.onEdit();
        }}
      />
    </>
  );
}
