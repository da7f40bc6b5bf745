import type { InferResponseType } from 'hono/client';
import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { confirm } from '../../shell/confirm';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource, type Resource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { SettingsView } from './frame';

type Sessions = InferResponseType<typeof api.me.sessions.$get, 200>;
type Session = Sessions['sessions'][number];

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });

/** "Just now", "12 min ago", "3 h ago", then the date and time: sessions record their use to the minute. */
function formatWhen(ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 2) return 'Just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return dateTime.format(ms);
}

/** The member's own signed-in devices: where they are signed in, and a way to sign any of them out. */
export default function SessionsPage() {
  const sessions = useResource(() => call(api.me.sessions.$get()));
  return (
    <SettingsView title="Sessions" lede="Where you are signed in to Leadflare. Sign out any device you do not recognise or no longer use.">
      <section class="panel" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Your sessions</h2>
        <p class="panel-note muted">These are yours alone, in every workspace; other members see only their own.</p>
        {sessions.error ? <InlineError error={sessions.error} onRetry={sessions.reload} /> : null}
        {!sessions.data && sessions.loading ? <Skeleton rows={2} label="Loading sessions…" /> : null}
        {sessions.data ? <SessionList resource={sessions} /> : null}
      </section>
    </SettingsView>
  );
}

function SessionList(props: { resource: Resource<Sessions> }) {
  const { resource } = props;
  const [error, setError] = useState<{ id: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // This device first, then the others by when they were last used (the API's order).
  const list = [...resource.data!.sessions].sort((a, b) => Number(b.current) - Number(a.current));
  const others = list.filter((s) => !s.current);

  const signOut = async (s: Session) => {
    const ok = await confirm({
      title: `Sign out ${s.device}?`,
      message: `That device (signed in ${formatWhen(s.createdAt).toLowerCase()}) has to sign in again with your password to get back in.`,
      confirmLabel: 'Sign out device',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.me.sessions[':id'].$delete({ param: { id: s.id } }));
      resource.mutate((d) => d && { sessions: d.sessions.filter((x) => x.id !== s.id) });
      toast(`${s.device} signed out`);
    } catch (err) {
      setError({ id: s.id, message: asApiError(err).message });
    }
  };

  const signOutOthers = async () => {
    const ok = await confirm({
      title: `Sign out ${others.length === 1 ? 'the other session' : `all ${others.length} other sessions`}?`,
      message: 'Every device but this one has to sign in again with your password. You stay signed in here.',
      confirmLabel: 'Sign out other sessions',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    setBusy(true);
    try {
      const { signedOut } = await call(api.me.sessions.$delete());
      resource.mutate((d) => d && { sessions: d.sessions.filter((x) => x.current) });
      toast(signedOut === 1 ? '1 other session signed out' : `${signedOut} other sessions signed out`);
    } catch (err) {
      setError({ id: 'others', message: asApiError(err).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <table class="table stack">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((s) => (
            <tr key={s.id} aria-current={s.current ? 'true' : undefined}>
              <th scope="row" data-label="Device">
                <span title={s.userAgent ?? undefined}>{s.device}</span>
                {s.current ? (
                  <>
                    {' '}
                    <span class="status status-live">This device</span>
                  </>
                ) : null}
              </th>
              <td data-label="Signed in">{formatWhen(s.createdAt)}</td>
              <td data-label="Last used">{s.current ? 'Now' : formatWhen(s.lastUsedAt)}</td>
              <td data-label="Actions">
                {s.current ? (
                  <span class="muted small">You are using it</span>
                ) : (
                  <button
                    type="button"
                    class="button small danger-outline"
                    aria-label={`Sign out ${s.device}, last used ${formatWhen(s.lastUsedAt).toLowerCase()}`}
                    onClick={() => void signOut(s)}
                  >
                    Sign out
                  </button>
                )}
                {error?.id === s.id ? (
                  <p class="row-error" role="alert">
                    {error.message}
                  </p>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {others.length > 0 ? (
        <div class="form-row">
          <button type="button" class="button secondary" disabled={busy} onClick={() => void signOutOthers()}>
            {busy ? 'Signing out…' : 'Sign out all other sessions'}
          </button>
          {error?.id === 'others' ? <InlineError error={error.message} /> : null}
        </div>
      ) : (
        <p class="muted">You are signed in on this device only.</p>
      )}
    </>
  );
}
