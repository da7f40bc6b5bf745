import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { NameAndSlugFields, serverSlugError, useNameAndSlug } from './funnel-fields';
import type { Funnel } from './types';

/** A copy of the funnel to try a variant: its pages as unpublished drafts, its stages, scoring and rules; then the copy opens. */
export function DuplicateFunnel(props: { funnel: Funnel; takenSlugs: readonly string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="setting">
      <button type="button" class="button secondary" onClick={() => setOpen(true)} {...editable()}>
        Duplicate funnel…
      </button>
      <p class="field-hint">
        Copies the pages (as unpublished drafts), stage mapping, scoring and qualification rules; not the custom domain.
      </p>
      {open ? <DuplicateDialog funnel={props.funnel} takenSlugs={props.takenSlugs} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function DuplicateDialog(props: { funnel: Funnel; takenSlugs: readonly string[]; onClose: () => void }) {
  const { route } = useLocation();
  const { funnel } = props;
  const fields = useNameAndSlug({ name: `${funnel.name} (copy)`, slug: `${funnel.slug}-copy`.slice(0, 64) }, props.takenSlugs);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const copy = await call(
        api.funnels[':id'].duplicate.$post({ param: { id: funnel.id }, json: { name: fields.name, slug: fields.slug } }),
      );
      toast(`“${copy.name}” created as a copy of “${funnel.name}”`);
      props.onClose();
      route(`/app/funnels/${copy.id}`);
    } catch (err) {
      setError(asApiError(err, 'Something went wrong.'));
      setBusy(false);
    }
  };

  const general = error && !error.fields.name && !serverSlugError(error) ? error : null;
  return (
    <Dialog title={`Duplicate “${funnel.name}”`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {general ? <InlineError error={general} /> : null}
        <NameAndSlugFields idPrefix="duplicate" state={fields} error={error} onEdit={() => setError(null)} />
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy || !fields.valid}>
            {busy ? 'Duplicating…' : 'Duplicate funnel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
