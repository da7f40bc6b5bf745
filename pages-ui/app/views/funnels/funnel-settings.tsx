import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { canEdit, isOwner } from '../../state';
import { confirmByName } from './typed-confirm';
import type { Funnel } from './types';

/** A conflict (slug or domain taken) carries no field path; it belongs to the field that was sent. */
function fieldError(error: ApiError | null, field: string): string | undefined {
  if (!error) return undefined;
  return error.fields[field] ?? (error.code === 'already_exists' ? error.message : undefined);
}

/** The funnel's name and address. A new slug breaks every shared link, so it is said beside the field and asked before saving. */
export function NameAndAddress(props: { funnel: Funnel; onFunnel: (f: Funnel) => void }) {
  const { funnel } = props;
  const [name, setName] = useState(funnel.name);
  const [slug, setSlug] = useState(funnel.slug);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setName(funnel.name);
    setSlug(funnel.slug);
  }, [funnel.name, funnel.slug]);

  const slugChanged = slug.trim() !== funnel.slug;
  const changed = name.trim() !== funnel.name || slugChanged;

  const save = async (e: Event) => {
    e.preventDefault();
    if (slugChanged) {
      const ok = await confirm({
        title: 'Change the funnel’s address?',
        message: `Links to /p/${funnel.slug} stop working at once: ads, emails and QR codes that point there will show “page not found”. The pages move to /p/${slug.trim()}.`,
        confirmLabel: 'Change address',
        danger: true,
      });
      if (!ok) return;
    }
    setBusy(true);
    setError(null);
    try {
      const fresh = await call(
        api.funnels[':id'].$patch({
          param: { id: funnel.id },
          json: { ...(name.trim() !== funnel.name ? { name } : {}), ...(slugChanged ? { slug: slug.trim() } : {}) },
        }),
      );
      props.onFunnel(fresh);
      toast(slugChanged ? `Address changed to /p/${fresh.slug}` : 'Funnel renamed');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const slugError = fieldError(error, 'slug');
  const general = error && !error.fields.name && !slugError ? error : null;
  return (
    <section class="panel" aria-labelledby="address-heading">
      <h2 id="address-heading">Name and address</h2>
      <form onSubmit={save} noValidate class="settings-form">
        {general ? <InlineError error={general} /> : null}
        <TextField
          id="funnel-settings-name"
          label="Name"
          value={name}
          error={error?.fields.name}
          maxLength={120}
          autocomplete="off"
          {...editable()}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setError(null);
          }}
        />
        <TextField
          id="funnel-settings-slug"
          label="Slug"
          value={slug}
          error={slugError}
          maxLength={64}
          autocomplete="off"
          spellcheck={false}
          hint={
            <>
              Visitors open the funnel at <code>/p/{slug.trim() || funnel.slug}</code>.
            </>
          }
          {...editable()}
          onInput={(e) => {
            setSlug(e.currentTarget.value);
            setError(null);
          }}
        />
        {slugChanged ? (
          <p class="warning" role="note" id="slug-warning">
            Changing the slug breaks links: everything that points at <code>/p/{funnel.slug}</code> (ads, emails, QR codes) stops working.
          </p>
        ) : null}
        <button type="submit" class="button" {...editable()} disabled={!canEdit.value || busy || !changed}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </form>
    </section>
  );
}

/**
 * Cookieless mode is the workspace's (every funnel's pages run the same tracker); only owners change
 * it, so editors see it with the reason it is locked.
 */
export function CookielessSetting() {
  const ws = useResource(() => call(api.workspace.$get()));
  /** The value being saved: the switch shows it at once, and goes back if the save fails. */
  const [saving, setSaving] = useState<boolean | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const saved = ws.data?.settings.cookieless === true;
  const on = saving ?? saved;
  const busy = saving !== null;

  const toggle = async (value: boolean) => {
    setSaving(value);
    setError(null);
    try {
      const result = await call(api.workspace.settings.$patch({ json: { cookieless: value } }));
      ws.mutate((w) => ({ ...w, settings: result.settings }));
      toast(value ? 'Cookieless mode is on' : 'Cookieless mode is off');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(null);
    }
  };

  if (ws.error) return <InlineError error={ws.error} onRetry={() => ws.reload()} title="The tracking settings did not load." />;
  if (!ws.data) return <Skeleton rows={1} label="Loading the tracking settings…" />;
  const locked = !isOwner.value;
  return (
    <div class="setting">
      {error ? <InlineError error={error} onRetry={() => void toggle(!on)} /> : null}
      <div class="toggle-row">
        <input
          type="checkbox"
          role="switch"
          id="cookieless"
          class="switch"
          checked={on}
          disabled={locked || busy}
          aria-describedby="cookieless-help"
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <label for="cookieless">Cookieless mode</label>
      </div>
      <p class="field-hint" id="cookieless-help">
        Nothing is stored on visitors’ devices (no cookie, no local storage), which in many places means tracking needs no cookie consent;
        check the rules you work under. Visitors are recognised within one day only, from a daily-salted hash of their address and browser:
        someone who comes back tomorrow counts as a new visitor, so journeys across days are not joined up. Applies to every funnel in this
        workspace.
        {locked ? ' Only a workspace owner can change it.' : ''}
      </p>
    </div>
  );
}

/** Deleting takes the funnel's pages offline at once, so the funnel's name must be typed first. */
export function DeleteFunnel(props: { funnel: Funnel }) {
  const { route } = useLocation();
  const [error, setError] = useState<ApiError | null>(null);
  const { funnel } = props;
  const remove = async () => {
    const pages = funnel.pages.length;
    const live = funnel.pages.filter((p) => p.publishedVersionId).length;
    const ok = await confirmByName({
      title: `Delete “${funnel.name}”?`,
      name: funnel.name,
      confirmLabel: 'Delete funnel',
      children: (
        <p>
          Its {pages === 1 ? 'page' : `${pages} pages`}
          {live ? ` (${live} published)` : ''}, their version history and its visit statistics are deleted, and{' '}
          <code>/p/{funnel.slug}</code> stops answering at once; its raw tracking events are removed in the background. Leads it brought in
          stay in Leads. This cannot be undone.
        </p>
      ),
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.funnels[':id'].$delete({ param: { id: funnel.id } }));
      toast(`Funnel “${funnel.name}” deleted`);
      route('/app/funnels');
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <div class="setting">
      {error ? <InlineError error={error} onRetry={() => void remove()} /> : null}
      <button type="button" class="button danger-outline" onClick={() => void remove()} {...editable()}>
        Delete funnel…
      </button>
      <p class="field-hint">Deletes the funnel and its pages; the leads stay.</p>
    </div>
  );
}
