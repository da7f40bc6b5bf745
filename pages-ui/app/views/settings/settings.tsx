import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { SETTINGS_PAGES, SettingsView } from './frame';
import { isOwner, session, workspaceId } from '../../state';

const ROLE_NOTES: Record<string, string> = {
  owner: 'manage members, API keys, webhooks and privacy',
  editor: 'build funnels, work deals and edit scoring',
  viewer: 'read everything and change nothing',
};

/** The settings area's front page: the workspace's name (owners rename it) and a way to every other setting. */
export default function Settings() {
  const ws = useResource(() => call(api.workspace.$get()));
  const pipelines = useResource(() => call(api.pipelines.$get()));
  return (
    <SettingsView title="Settings" lede="Your workspace, the people in it, and how Leadflare talks to your other tools.">
      <section class="panel" aria-labelledby="workspace-heading">
        <h2 id="workspace-heading">Workspace</h2>
        {ws.error ? <InlineError error={ws.error} onRetry={ws.reload} /> : null}
        {!ws.data && ws.loading ? <Skeleton rows={2} label="Loading the workspace…" /> : null}
        {ws.data ? <Rename name={ws.data.name} onRenamed={ws.reload} /> : null}
        {ws.data ? (
          <p class="muted small">
            You are {ws.data.role === 'owner' ? 'an owner' : `a ${ws.data.role}`} here: you {ROLE_NOTES[ws.data.role]}.
          </p>
        ) : null}
      </section>
      <section aria-labelledby="all-settings-heading" class="panel">
        <h2 id="all-settings-heading">All settings</h2>
        <ul class="settings-grid">
          {SETTINGS_PAGES.slice(1).map((p) => (
            <li key={p.href}>
              <a href={p.href}>
                <strong>{p.label}</strong>
                <span class="muted small">{p.about}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-labelledby="automations-heading">
        <h2 id="automations-heading">Pipeline automations</h2>
        <p class="panel-note muted">
          B2C automations (abandoned checkouts, post-purchase follow-ups) are set per pipeline, on the pipeline’s own settings page.
        </p>
        {pipelines.error ? <InlineError error={pipelines.error} onRetry={pipelines.reload} /> : null}
        {!pipelines.data && pipelines.loading ? <Skeleton rows={1} label="Loading pipelines…" /> : null}
        {pipelines.data && pipelines.data.pipelines.length === 0 ? (
          <p>
            No pipelines yet. <a href="/app/pipelines">Create a pipeline</a> first.
          </p>
        ) : null}
        {pipelines.data && pipelines.data.pipelines.length > 0 ? (
          <ul class="link-list">
            {pipelines.data.pipelines.map((p) => (
              <li key={p.id}>
                <a href={`/app/pipelines/${p.id}/settings`}>{p.name}: automation settings</a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </SettingsView>
  );
}

function Rename(props: { name: string; onRenamed: () => void }) {
  const [name, setName] = useState(props.name);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setName(props.name), [props.name]);
  if (!isOwner.value) {
    return (
      <p>
        <strong>{props.name}</strong> <span class="muted">— only owners rename the workspace.</span>
      </p>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const renamed = await call(api.workspace.$patch({ json: { name } }));
      // The switcher and titles read the session: keep it in step.
      session.value = {
        ...session.value,
        workspaces: session.value.workspaces.map((w) => (w.id === workspaceId.value ? { ...w, name: renamed.name } : w)),
      };
      toast('Workspace renamed');
      props.onRenamed();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate class="inline-form">
      <TextField
        id="workspace-name"
        label="Workspace name"
        value={name}
        maxLength={100}
        error={error?.fields.name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      {error && !error.fields.name ? <InlineError error={error} /> : null}
      <button type="submit" class="button" disabled={busy || name.trim() === props.name}>
        Save name
      </button>
    </form>
  );
}
