import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { NameAndSlugFields, serverSlugError, useNameAndSlug } from './funnel-fields';

/** Creates a blank funnel from a name and slug, then opens it to add pages. */
export function NewFunnelDialog(props: { onClose: () => void; takenSlugs: readonly string[] }) {
  const { route } = useLocation();
  const fields = useNameAndSlug({ name: '', slug: '' }, props.takenSlugs);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const funnel = await call(api.funnels.$post({ json: { name: fields.name, slug: fields.slug } }));
      toast(`Funnel “${funnel.name}” created`);
      route(`/app/funnels/${funnel.id}`);
    } catch (err) {
      setError(asApiError(err, 'Something went wrong.'));
      setBusy(false);
    }
  };

  const general = error && !error.fields.name && !serverSlugError(error) ? error : null;
  return (
    <Dialog title="New blank funnel" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {general ? <InlineError error={general} /> : null}
        <NameAndSlugFields idPrefix="funnel" state={fields} error={error} onEdit={() => setError(null)} />
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy || !fields.valid}>
            {busy ? 'Creating…' : 'Create funnel'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
