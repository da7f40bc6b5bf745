import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, call } from '../../api';
import { formatDate } from '../../format';
import { InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { isOwner, session, workspaceId } from '../../state';

const ROLE_NOTES: Record<string, string> = {
  owner: 'manages members, API keys and webhooks',
  editor: 'builds funnels and works deals',
  viewer: 'reads everything, changes nothing',
};

/** The workspace's name (owners rename it) and its members with their roles. */
export default function Settings() {
  const ws = useResource(() => call(api.workspace.$get()));
  const members = useResource(() => call(api.workspace.members.$get()));
  return (
    <View title="Settings" lede="Your workspace and the people in it.">
      <section class="panel" aria-labelledby="workspace-heading">
        <h2 id="workspace-heading">Workspace</h2>
        {ws.error ? <InlineError error={ws.error} onRetry={ws.reload} /> : null}
        {!ws.data && ws.loading ? <Skeleton rows={2} label="Loading the workspace…" /> : null}
        {ws.data ? <Rename name={ws.data.name} onRenamed={ws.reload} /> : null}
      </section>
      <section class="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {members.error ? <InlineError error={members.error} onRetry={members.reload} /> : null}
        {!members.data && members.loading ? <Skeleton rows={3} label="Loading members…" /> : null}
        {members.data ? (
          <table class="table stack">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.userId}>
                  <th scope="row" data-label="Name">
                    {m.name}
                    {m.userId === session.value.user.id ? ' (you)' : ''}
                  </th>
                  <td data-label="Email">{m.email}</td>
                  <td data-label="Role">
                    {m.role} <span class="muted">— {ROLE_NOTES[m.role]}</span>
                  </td>
                  <td data-label="Joined">{formatDate(m.joinedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </View>
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
