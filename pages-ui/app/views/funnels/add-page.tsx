import { useState } from 'preact/hooks';
import { api, type ApiError, call, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { slugify } from './slug';
import { defaultStageForKind, KIND_OPTIONS, pageViewStage, STAGE_OPTIONS, withPageStage } from './stages';
import type { Funnel, NewPage } from './types';

const FALLBACK_THEME: NewPage['content']['settings']['theme'] = {
  primary: '#4338ca',
  background: '#ffffff',
  text: '#1c1f26',
  fontStack: 'system',
};

/** A new page's draft: a hero with its name, in the theme of the funnel's first page so it looks like the rest. */
async function starterContent(funnel: Funnel, name: string): Promise<NewPage['content']> {
  let theme = FALLBACK_THEME;
  const first = funnel.pages[0];
  if (first) {
    const page = await call(api.pages[':id'].$get({ param: { id: first.id } })).catch(() => null);
    const draft = page?.draft as { settings?: { theme?: NewPage['content']['settings']['theme'] } } | undefined;
    if (draft?.settings?.theme) theme = draft.settings.theme;
  }
  return { settings: { title: name, noindex: false, theme }, blocks: [{ id: 'hero', type: 'hero', headline: name }] };
}

/** Name, address, kind and the stage its views count for; the page is added at the end of the funnel. */
export function AddPageDialog(props: { funnel: Funnel; onClose: () => void; onAdded: (name: string) => void }) {
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [kind, setKind] = useState<NonNullable<NewPage['kind']>>(props.funnel.pages.length ? 'custom' : 'landing');
  const [stage, setStage] = useState(defaultStageForKind(kind));
  const [stageEdited, setStageEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const content = await starterContent(props.funnel, name.trim() || 'New page');
      const page = await call(api.funnels[':id'].pages.$post({ param: { id: props.funnel.id }, json: { name, slug, kind, content } }));
      // A stage other than what views already count for becomes the page's own mapping.
      if (pageViewStage(props.funnel.settings, page.slug) !== stage) {
        await call(
          api.funnels[':id'].$patch({
            param: { id: props.funnel.id },
            json: { settings: { stages: withPageStage(props.funnel.settings, page.slug, stage) } },
          }),
        );
      }
      props.onAdded(page.name);
    } catch (err) {
      setError(asApiError(err, 'Something went wrong.'));
      setBusy(false);
    }
  };

  const fields = error?.fields ?? {};
  const slugError = fields.slug ?? (error?.code === 'already_exists' ? error.message : undefined);
  const general = error && !fields.name && !slugError ? error : null;
  const address = props.funnel.pages.length ? `/p/${props.funnel.slug}/${slug || 'page'}` : `/p/${props.funnel.slug}`;
  return (
    <Dialog title="Add a page" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {general ? <InlineError error={general} /> : null}
        <TextField
          id="page-name"
          label="Name"
          value={name}
          error={fields.name}
          autocomplete="off"
          maxLength={120}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setName(value);
            if (!slugEdited) setSlug(slugify(value));
            // The server's message was about what was sent; it goes once that changes.
            setError(null);
          }}
        />
        <TextField
          id="page-slug"
          label="Slug"
          hint={
            <>
              Its address: <code>{address}</code>
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
            setError(null);
          }}
        />
        <div class="form-row">
          <div class="field">
            <label for="page-kind">Kind</label>
            <select
              id="page-kind"
              value={kind}
              onChange={(e) => {
                const value = e.currentTarget.value as NonNullable<NewPage['kind']>;
                setKind(value);
                if (!stageEdited) setStage(defaultStageForKind(value));
              }}
            >
              {KIND_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="page-stage">Views count as</label>
            <select
              id="page-stage"
              value={stage}
              onChange={(e) => {
                setStage(e.currentTarget.value);
                setStageEdited(true);
              }}
            >
              {STAGE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p class="field-hint">The page starts with a headline in the funnel's theme; build the rest in the editor.</p>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Adding…' : 'Add page'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
