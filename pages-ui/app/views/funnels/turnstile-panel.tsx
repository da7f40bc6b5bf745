import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, call, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { canEdit, isOwner } from '../../state';
import type { Funnel } from './types';

const DASHBOARD_URL = 'https://dash.cloudflare.com/?to=/:account/turnstile';

/**
 * Spam protection for the funnel's forms with Cloudflare Turnstile: on/off and the widget's site
 * key (editors), and the workspace's secret key (owners; written, never shown again).
 */
export function TurnstilePanel(props: { funnel: Funnel }) {
  const { funnel } = props;
  const settings = useResource(() => call(api.funnels[':id'].turnstile.$get({ param: { id: funnel.id } })), [funnel.id]);
  const [enabled, setEnabled] = useState(false);
  const [siteKey, setSiteKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const data = settings.data;
  useEffect(() => {
    if (!data) return;
    setEnabled(data.enabled);
    setSiteKey(data.siteKey ?? '');
  }, [data?.enabled, data?.siteKey]);

  const changed = data ? enabled !== data.enabled || siteKey.trim() !== (data.siteKey ?? '') : false;
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fresh = await call(
        api.funnels[':id'].turnstile.$put({ param: { id: funnel.id }, json: { enabled, siteKey: siteKey.trim() || null } }),
      );
      settings.mutate(() => fresh);
      toast(fresh.enabled ? 'Turnstile is on for this funnel’s forms' : 'Turnstile is off for this funnel’s forms');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const general = error && !error.fields.siteKey && !error.fields.enabled ? error : null;
  return (
    <section class="panel" aria-labelledby="turnstile-heading">
      <h2 id="turnstile-heading">Spam protection</h2>
      <p class="field-hint">
        Cloudflare Turnstile checks that a person is sending the form, usually without asking them anything. It is added to every form on
        this funnel’s pages and to its embedded forms; posts without a valid, unused check are refused and nothing is stored. Visitors need
        JavaScript to pass it: without it, the form says so. Create a widget for{' '}
        {funnel.customDomain ? `${location.host} and ${funnel.customDomain}` : location.host} in the{' '}
        <a href={DASHBOARD_URL} target="_blank" rel="noopener">
          Turnstile section of your Cloudflare dashboard<span class="visually-hidden"> (opens a new tab)</span>
        </a>{' '}
        and copy its site key and secret key here.
      </p>
      {settings.error ? (
        <InlineError error={settings.error} onRetry={() => settings.reload()} title="The spam protection setting did not load." />
      ) : null}
      {!data && settings.loading ? <Skeleton rows={2} label="Loading the spam protection setting…" /> : null}
      {data ? (
        <>
          <form onSubmit={save} noValidate class="settings-form">
            {general ? <InlineError error={general} /> : null}
            <div class="toggle-row">
              <input
                type="checkbox"
                role="switch"
                id="turnstile-enabled"
                class="switch"
                checked={enabled}
                {...editable()}
                aria-describedby={error?.fields.enabled ? 'turnstile-enabled-error' : 'turnstile-enabled-help'}
                aria-invalid={error?.fields.enabled ? true : undefined}
                onChange={(e) => {
                  setEnabled(e.currentTarget.checked);
                  setError(null);
                }}
              />
              <label for="turnstile-enabled">Check forms with Cloudflare Turnstile</label>
            </div>
            {error?.fields.enabled ? (
              <p class="field-error" id="turnstile-enabled-error">
                {error.fields.enabled}
              </p>
            ) : (
              <p class="field-hint" id="turnstile-enabled-help">
                {data.enabled
                  ? 'On: every form of this funnel shows the check.'
                  : 'Off: forms are protected by the honeypot, timing and rate limits only.'}
              </p>
            )}
            <TextField
              id="turnstile-site-key"
              label="Site key"
              value={siteKey}
              error={error?.fields.siteKey}
              maxLength={120}
              autocomplete="off"
              spellcheck={false}
              hint="Public: it is written into your pages. Starts like 0x4AAA…"
              {...editable()}
              onInput={(e) => {
                setSiteKey(e.currentTarget.value);
                setError(null);
              }}
            />
            <button type="submit" class="button" {...editable()} disabled={!canEdit.value || busy || !changed}>
              {busy ? 'Saving…' : 'Save spam protection'}
            </button>
          </form>
          <SecretKey secret={data.secret} onSecret={(secret) => settings.mutate((s) => ({ ...s, secret }))} />
        </>
      ) : null}
    </section>
  );
}

type SecretView = { source: 'workspace' | 'environment' | null; hint: string | null };

/** The workspace's secret key: its state for everyone, a write-only field for owners. */
function SecretKey(props: { secret: SecretView; onSecret: (s: SecretView) => void }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { secret } = props;
  const status =
    secret.source === 'workspace'
      ? `Set for this workspace (ends in ${secret.hint?.slice(1) ?? '…'}). It is never shown again.`
      : secret.source === 'environment'
        ? 'This installation’s secret key is used. A workspace owner can set your own instead.'
        : 'Not set: the check cannot be turned on until a workspace owner adds the secret key.';

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSecret(await call(api.workspace['turnstile-secret'].$put({ json: { secretKey: value.trim() } })));
      setValue('');
      toast('Turnstile secret key saved');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    const ok = await confirm({
      title: 'Remove the Turnstile secret key?',
      message:
        'Funnels with the check on can no longer verify it (unless this installation has its own key): their forms refuse every post until a key is added again.',
      confirmLabel: 'Remove key',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      props.onSecret(await call(api.workspace['turnstile-secret'].$delete()));
      toast('Turnstile secret key removed');
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <div class="setting">
      <h3>Secret key</h3>
      <p class="field-hint" id="turnstile-secret-status">
        {status} It verifies the check for every funnel of this workspace.
      </p>
      {isOwner.value ? (
        <form onSubmit={save} noValidate class="settings-form">
          {error && !error.fields.secretKey ? <InlineError error={error} /> : null}
          <TextField
            id="turnstile-secret-key"
            label={secret.source === 'workspace' ? 'Replace the secret key' : 'Secret key'}
            type="password"
            value={value}
            error={error?.fields.secretKey}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => {
              setValue(e.currentTarget.value);
              setError(null);
            }}
          />
          <div class="button-row">
            <button type="submit" class="button" disabled={busy || !value.trim()}>
              {busy ? 'Saving…' : 'Save secret key'}
            </button>
            {secret.source === 'workspace' ? (
              <button type="button" class="button danger-outline" onClick={() => void remove()}>
                Remove…
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <p class="field-hint">Only a workspace owner can set or change the secret key.</p>
      )}
    </div>
  );
}
