import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import type { TemplateSummary } from '../../../../workers/contract';
import { api, type ApiError, call, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { NameAndSlugFields, serverSlugError, useNameAndSlug } from './funnel-fields';
import { STAGE_LABELS } from './stages';

/**
 * "Use this template": the funnel's name and slug (the template's suggestions, checked as they
 * change; a slug taken anywhere comes back from the server and shows at the field), whether to
 * publish at once, then the new funnel opens.
 */
export function UseTemplateDialog(props: { template: TemplateSummary; takenSlugs: readonly string[]; onClose: () => void }) {
  const t = props.template;
  const { route } = useLocation();
  const fields = useNameAndSlug({ name: t.suggestedName, slug: t.suggestedSlug }, props.takenSlugs);
  const [publish, setPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await call(
        api.templates[':id'].funnels.$post({ param: { id: t.id }, json: { name: fields.name, slug: fields.slug, publish } }),
      );
      toast(`Funnel “${created.funnel.name}” created from ${t.name}; qualified leads go to ${created.pipeline.name}`);
      route(`/app/funnels/${created.funnel.id}`);
    } catch (err) {
      setError(asApiError(err, 'Something went wrong.'));
      setBusy(false);
    }
  };

  const general = error && !error.fields.name && !serverSlugError(error) ? error : null;
  return (
    <Dialog title={`Use “${t.name}”`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <p class="muted small">
          {t.pages.length} pages ({t.pages.map((p) => `${p.name}: ${STAGE_LABELS[p.stage] ?? p.stage}`).join(', ')}), lead scoring and the
          rule “{t.qualification.name}”.
        </p>
        {general ? <InlineError error={general} /> : null}
        <NameAndSlugFields idPrefix="template-funnel" state={fields} error={error} onEdit={() => setError(null)} />
        <div class="field checkbox-field">
          <input id="template-publish" type="checkbox" checked={publish} onChange={(e) => setPublish(e.currentTarget.checked)} />
          <label for="template-publish">Publish the pages now</label>
        </div>
        <p class="field-hint">Leave it off to edit the drafts first; visitors see nothing until you publish.</p>
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
