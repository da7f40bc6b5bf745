import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, ApiError, call } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { toast } from '../../shell/toasts';
import { slugify } from './slug';

/** Creates a blank funnel from a name and slug; the server's messages appear next to the fields. */
export function NewFunnelDialog(props: { onClose: () => void }) {
  const { route } = useLocation();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const funnel = await call(api.funnels.$post({ json: { name, slug } }));
      toast(`Funnel “${funnel.name}” created`);
      props.onClose();
      route(`/app/funnels/${funnel.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', 'Something went wrong.'));
      setBusy(false);
    }
  };

  const fields = error?.fields ?? {};
  // A taken slug comes back as a conflict, not a field message: it belongs next to the slug all the same.
  const slugError = fields.slug ?? (error?.code === 'already_exists' ? error.message : undefined);
  const general = error && !fields.name && !slugError ? error : null;
  return (
    <Dialog title="New funnel" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {general ? <InlineError error={general} /> : null}
        <TextField
          id="funnel-name"
          label="Name"
          value={name}
          error={fields.name}
          autocomplete="off"
          maxLength={120}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setName(value);
            if (!slugEdited) setSlug(slugify(value));
          }}
        />
        <TextField
          id="funnel-slug"
          label="Address"
          hint={
            <>
              Visitors open it at <code>/p/{slug || 'your-funnel'}</code>. Lower-case letters, digits and “-”.
            </>
          }
          value={slug}
          error={slugError}
          autocomplete="off"
          spellcheck={false}
          maxLength={64}
          onInput={(e) => {
            setSlug(e.currentTarget.value);
            setSlugEdited(true);
          }}
        />
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create funnel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
