import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { OWNER_NOTE_ID, OwnerOnlyNote, SettingsView } from './frame';
import { isOwner, workspaceId } from '../../state';
import { TextField } from '../../shell/fields';

const DEFAULT_RETENTION_MONTHS = 13;

function archiveHref(): string {
  const url = api.workspace.export.$url();
  if (workspaceId.value) url.searchParams.set('workspace', workspaceId.value);
  return `${url.pathname}${url.search}`;
}

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
      {ws.data ? (
        <Retention
          months={ws.data.settings.rawEventRetentionMonths ?? DEFAULT_RETENTION_MONTHS}
          locked={locked}
          onSaved={(settings) => ws.mutate((w) => ({ ...w, settings }))}
        />
      ) : null}
      <section class="panel" aria-labelledby="archive-heading">
        <h2 id="archive-heading">Export the workspace</h2>
        <p class="field-hint" id="archive-help">
          One ZIP file with every funnel, page, lead, submission, consent, pipeline, deal, activity and event of this workspace, each as
          JSON and as a spreadsheet-safe CSV. Signing secrets and API keys are left out.
        </p>
        {locked ? (
          <button type="button" class="button secondary" disabled aria-describedby={`archive-help ${OWNER_NOTE_ID}`}>
            Download archive (.zip)
          </button>
        ) : (
          <a class="button secondary" href={archiveHref()} download aria-describedby="archive-help">
            Download archive (.zip)
          </a>
        )}
      </section>
    </SettingsView>
  );
}

type Settings = Awaited<ReturnType<typeof loadSettings>>;
const loadSettings = async (months: number) =>
  (await call(api.workspace.settings.$patch({ json: { rawEventRetentionMonths: months } }))).settings;

/** How long raw events are kept: the scheduled job deletes older ones; the reports' daily totals stay. */
function Retention(props: { months: number; locked: boolean; onSaved: (settings: Settings) => void }) {
  const [value, setValue] = useState(String(props.months));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const settings = await loadSettings(Number(value));
      props.onSaved(settings);
      toast(`Raw events are kept for ${value} month${value === '1' ? '' : 's'}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="panel" aria-labelledby="retention-heading">
      <h2 id="retention-heading">Data retention</h2>
      <form onSubmit={(e) => void save(e)} class="retention-form">
        <TextField
          id="retention-months"
          label="Keep raw events for (months)"
          type="number"
          min={1}
          max={120}
          step={1}
          inputMode="numeric"
          value={value}
          disabled={props.locked || saving}
          hint="Page views, clicks and other raw events older than this are deleted every few minutes. Funnel reports, stages and leads stay, so old periods still show their numbers. 13 months unless you change it; at least 1."
          error={error ? (error.fields.rawEventRetentionMonths ?? error.message) : undefined}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <button type="submit" class="button" disabled={props.locked || saving || value === String(props.months)}>
          {saving ? 'Saving…' : 'Save retention'}
        </button>
      </form>
    </section>
  );
}
