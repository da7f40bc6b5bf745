import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { OWNER_NOTE_ID, OwnerOnlyNote, SettingsView } from './frame';
import { isOwner } from '../../state';

type Key = 'cookieless' | 'honorPrivacySignals';

const SETTINGS: Array<{ key: Key; label: string; on: string; off: string; help: string }> = [
  {
    key: 'cookieless',
    label: 'Cookieless mode',
    on: 'Cookieless mode is on',
    off: 'Cookieless mode is off',
    help: 'Nothing is stored on visitors’ devices (no cookie, no local storage), which in many places means tracking needs no cookie consent; check the rules you work under. Visitors are recognised within one day only, from a daily-salted hash of their address and browser, so someone who comes back tomorrow counts as a new visitor.',
  },
  {
    key: 'honorPrivacySignals',
    label: 'Honour privacy signals (GPC and Do Not Track)',
    on: 'Privacy signals are honoured',
    off: 'Privacy signals are ignored',
    help: 'Visitors whose browser sends Global Privacy Control or Do Not Track are not tracked at all: no visitor, no page views, no events. Their form submissions still arrive as leads, with the consent they gave.',
  },
];

/** How visitors are tracked: workspace-wide switches (every funnel's pages run the same tracker). */
export default function Privacy() {
  const ws = useResource(() => call(api.workspace.$get()));
  const [saving, setSaving] = useState<{ key: Key; value: boolean } | null>(null);
  const [error, setError] = useState<{ key: Key; error: ApiError } | null>(null);
  const locked = !isOwner.value;

  const toggle = async (key: Key, value: boolean) => {
    const setting = SETTINGS.find((s) => s.key === key)!;
    setSaving({ key, value });
    setError(null);
    try {
      const { settings } = await call(api.workspace.settings.$patch({ json: { [key]: value } }));
      ws.mutate((w) => ({ ...w, settings }));
      toast(value ? setting.on : setting.off);
    } catch (err) {
      setError({ key, error: err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)) });
    } finally {
      setSaving(null);
    }
  };

  return (
    <SettingsView
      title="Privacy"
      lede="How your funnels treat visitors. These apply to every funnel in this workspace; changes reach published pages at once."
    >
      <OwnerOnlyNote>Only owners change how visitors are tracked.</OwnerOnlyNote>
      <section class="panel" aria-labelledby="tracking-heading">
        <h2 id="tracking-heading">Tracking</h2>
        {ws.error ? <InlineError error={ws.error} onRetry={ws.reload} /> : null}
        {!ws.data && ws.loading ? <Skeleton rows={2} label="Loading the privacy settings…" /> : null}
        {ws.data
          ? SETTINGS.map((s) => {
              const on = saving?.key === s.key ? saving.value : ws.data!.settings[s.key] === true;
              return (
                <div class="setting" key={s.key}>
                  {error?.key === s.key ? <InlineError error={error.error} onRetry={() => void toggle(s.key, !on)} /> : null}
                  <div class="toggle-row">
                    <input
                      type="checkbox"
                      role="switch"
                      id={`privacy-${s.key}`}
                      class="switch"
                      checked={on}
                      disabled={locked || saving !== null}
                      aria-describedby={`privacy-${s.key}-help${locked ? ` ${OWNER_NOTE_ID}` : ''}`}
                      onChange={(e) => void toggle(s.key, e.currentTarget.checked)}
                    />
                    <label for={`privacy-${s.key}`}>{s.label}</label>
                  </div>
                  <p class="field-hint" id={`privacy-${s.key}-help`}>
                    {s.help}
                  </p>
                </div>
              );
            })
          : null}
      </section>
    </SettingsView>
  );
}
