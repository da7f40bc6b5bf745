import type { InferResponseType } from 'hono/client';
import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { formatDate } from '../../format';
import { confirm } from '../../shell/confirm';
import { Dialog } from '../../shell/dialog';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource, type Resource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { isOwner, session } from '../../state';
import { CopyButton } from '../funnels/copy-button';
import { OwnerOnlyNote, ownerOnly, SettingsView } from './frame';

type Member = InferResponseType<typeof api.workspace.members.$get, 200>['members'][number];
type Invitation = InferResponseType<typeof api.workspace.invitations.$post, 201>;
type Role = Member['role'];

const ROLES: Array<{ role: Role; label: string; note: string }> = [
  { role: 'owner', label: 'Owner', note: 'everything, members, API keys and webhooks included' },
  { role: 'editor', label: 'Editor', note: 'builds funnels, works deals, edits scoring and rules' },
  { role: 'viewer', label: 'Viewer', note: 'reads everything, changes nothing' },
];

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

/** Members and their roles, invitations by link; owners manage, everyone else reads. */
export default function Members() {
  const members = useResource(() => call(api.workspace.members.$get()));
  // Only owners may list invitations: nobody else asks (and sees a 403).
  const invitations = useResource(() => (isOwner.value ? call(api.workspace.invitations.$get()) : Promise.resolve(null)), [isOwner.value]);
  const [created, setCreated] = useState<Invitation | null>(null);

  return (
    <SettingsView title="Members" lede="Who works in this workspace and what each of them may do.">
      <OwnerOnlyNote>Only owners invite people, change roles and remove members.</OwnerOnlyNote>

      <section class="panel" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <p class="panel-note muted">
          You get a link to send them however you like. It works once, for 7 days; they sign in or create an account to join.
        </p>
        <InviteForm
          onCreated={(inv) => {
            setCreated(inv);
            invitations.reload();
          }}
        />
        {created ? (
          <div class="reveal" role="region" aria-label="Invitation link">
            <h3>Invitation link for {created.email ?? 'anyone with the link'}</h3>
            <div class="reveal-value">
              <input aria-label="Invitation link" readOnly value={created.url} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={created.url} label="Copy link" what="Invitation link" class="button" />
            </div>
            <p class="reveal-warning">
              Copy it now: the link is shown only once. They join as {created.role}; it expires on {formatDate(created.expiresAt)}.
            </p>
            <button type="button" class="button small secondary" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        ) : null}
        {isOwner.value ? <OpenInvitations resource={invitations} /> : null}
      </section>

      <section class="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {members.error ? <InlineError error={members.error} onRetry={members.reload} /> : null}
        {!members.data && members.loading ? <Skeleton rows={3} label="Loading members…" /> : null}
        {members.data ? (
          <MemberTable
            members={members.data.members}
            onChanged={members.reload}
            onTwoFactorReset={(userId) =>
              members.mutate((d) => ({ members: d.members.map((m) => (m.userId === userId ? { ...m, twoFactor: false } : m)) }))
            }
          />
        ) : null}
        <dl class="role-notes muted small">
          {ROLES.map((r) => (
            <div key={r.role}>
              <dt>{r.label}</dt>
              <dd>{r.note}</dd>
            </div>
          ))}
        </dl>
      </section>
    </SettingsView>
  );
}

function InviteForm(props: { onCreated: (invitation: Invitation) => void }) {
  const [role, setRole] = useState<Role>('editor');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invitation = await call(api.workspace.invitations.$post({ json: { role, ...(email.trim() ? { email: email.trim() } : {}) } }));
      toast(invitation.emailed ? `Invitation emailed to ${invitation.email}` : 'Invitation link created');
      setEmail('');
      props.onCreated(invitation);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const locked = ownerOnly();
  return (
    <form onSubmit={submit} noValidate class="form-row invite-form">
      <TextField
        id="invite-email"
        label="Their email (optional)"
        type="email"
        autoComplete="off"
        value={email}
        hint="We email them the link. Without an address, copy the link and send it yourself; anyone with it can join."
        error={error?.fields.email}
        onInput={(e) => setEmail(e.currentTarget.value)}
        {...locked}
      />
      <div class="field">
        <label for="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} {...locked}>
          {ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.label}
            </option>
          ))}
        </select>
        {error?.fields.role ? <p class="field-error">{error.fields.role}</p> : null}
      </div>
      <div class="field form-submit">
        <button type="submit" class="button" {...locked} disabled={locked.disabled || busy}>
          {busy ? 'Creating…' : 'Create invitation link'}
        </button>
      </div>
      {error && !error.fields.email && !error.fields.role ? <InlineError error={error} /> : null}
    </form>
  );
}

type OpenInvitation = InferResponseType<typeof api.workspace.invitations.$get, 200>['invitations'][number];

function OpenInvitations(props: { resource: Resource<{ invitations: OpenInvitation[] } | null> }) {
  const { resource } = props;
  const [error, setError] = useState<{ id: string; error: ApiError } | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  const resend = async (inv: { id: string; email: string | null }) => {
    setError(null);
    setSending(inv.id);
    try {
      const again = await call(api.workspace.invitations[':id'].resend.$post({ param: { id: inv.id } }));
      resource.mutate((d) =>
        d ? { invitations: d.invitations.map((i) => (i.id === inv.id ? { ...i, expiresAt: again.expiresAt } : i)) } : d,
      );
      toast(`Invitation sent again to ${inv.email}`);
    } catch (err) {
      setError({ id: inv.id, error: asApiError(err) });
    } finally {
      setSending(null);
    }
  };
  const revoke = async (inv: { id: string; email: string | null; role: Role }) => {
    const ok = await confirm({
      title: 'Revoke this invitation?',
      message: `The link for ${inv.email ?? 'anyone with the link'} (${inv.role}) stops working at once. You can create a new one any time.`,
      confirmLabel: 'Revoke invitation',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.workspace.invitations[':id'].$delete({ param: { id: inv.id } }));
      resource.mutate((d) => (d ? { invitations: d.invitations.filter((i) => i.id !== inv.id) } : d));
      toast('Invitation revoked');
    } catch (err) {
      setError({ id: inv.id, error: asApiError(err) });
    }
  };
  if (resource.error) return <InlineError error={resource.error} onRetry={resource.reload} title="Open invitations did not load." />;
  if (!resource.data) return resource.loading ? <Skeleton rows={1} label="Loading invitations…" /> : null;
  const list = resource.data.invitations;
  return (
    <>
      <h3 class="subheading">Open invitations</h3>
      {list.length === 0 ? (
        <p class="muted">No open invitations. Links that were used, revoked or have expired are not listed.</p>
      ) : (
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((inv) => (
              <tr key={inv.id}>
                <th scope="row" data-label="For">
                  {inv.email ?? 'Anyone with the link'}
                </th>
                <td data-label="Role">{inv.role}</td>
                <td data-label="Created">{formatDate(inv.createdAt)}</td>
                <td data-label="Expires">{formatDate(inv.expiresAt)}</td>
                <td data-label="Actions">
                  {inv.email ? (
                    <>
                      <button
                        type="button"
                        class="button small secondary"
                        aria-label={`Resend the invitation to ${inv.email}`}
                        disabled={sending === inv.id}
                        onClick={() => void resend(inv)}
                      >
                        {sending === inv.id ? 'Sending…' : 'Resend'}
                      </button>{' '}
                    </>
                  ) : null}
                  <button
                    type="button"
                    class="button small danger-outline"
                    aria-label={`Revoke the invitation for ${inv.email ?? 'anyone with the link'}`}
                    onClick={() => void revoke(inv)}
                  >
                    Revoke
                  </button>
                  {error?.id === inv.id ? <p class="row-error">{error.error.message}</p> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function MemberTable(props: { members: Member[]; onChanged: () => void; onTwoFactorReset: (userId: string) => void }) {
  const me = session.value.user.id;
  const [resetting, setResetting] = useState<Member | null>(null);
  // Only owners get each member's 2FA (null for everyone else): the column is theirs.
  const showTwoFactor = props.members.some((m) => m.twoFactor !== null);
  /** The last refusal per member, shown in that member's row (e.g. the last owner cannot be demoted). */
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Record<string, Role>>({});
  const locked = ownerOnly();

  const setError = (userId: string, message: string | null) =>
    setErrors((all) => {
      const next = { ...all };
      if (message) next[userId] = message;
      else delete next[userId];
      return next;
    });

  const changeRole = async (m: Member, role: Role) => {
    if (role === m.role) return;
    if (m.userId === me && role !== 'owner') {
      const ok = await confirm({
        title: 'Change your own role?',
        message: `As ${role === 'editor' ? 'an editor' : 'a viewer'} you can no longer manage members, API keys or webhooks, and cannot undo this yourself.`,
        confirmLabel: `Make me ${role}`,
        danger: true,
      });
      if (!ok) return;
    }
    setError(m.userId, null);
    setPending((p) => ({ ...p, [m.userId]: role }));
    try {
      await call(api.workspace.members[':userId'].$patch({ param: { userId: m.userId }, json: { role } }));
      toast(`${m.name} is now ${role === 'owner' ? 'an owner' : `${role === 'editor' ? 'an editor' : 'a viewer'}`}`);
      if (m.userId === me) location.reload();
      else props.onChanged();
    } catch (err) {
      setError(m.userId, asApiError(err).message);
    } finally {
      setPending(({ [m.userId]: _, ...rest }) => rest);
    }
  };

  const remove = async (m: Member) => {
    const self = m.userId === me;
    const ok = await confirm({
      title: self ? 'Leave this workspace?' : `Remove ${m.name}?`,
      message: self
        ? 'You lose access to everything in it at once. An owner can invite you again.'
        : `${m.name} (${m.email}) loses access at once. What they made (funnels, deals, notes) stays in the workspace.`,
      confirmLabel: self ? 'Leave workspace' : 'Remove member',
      danger: true,
    });
    if (!ok) return;
    setError(m.userId, null);
    try {
      await call(api.workspace.members[':userId'].$delete({ param: { userId: m.userId } }));
      toast(self ? 'You left the workspace' : `${m.name} removed`);
      if (self) location.assign('/app');
      else props.onChanged();
    } catch (err) {
      setError(m.userId, asApiError(err).message);
    }
  };

  return (
    <>
      {props.members.length === 1 ? (
        <EmptyState title="Just you so far">
          {isOwner.value ? 'Invite your team with a link above: they join with the role you choose.' : 'An owner can invite more people.'}
        </EmptyState>
      ) : null}
      <table class="table stack">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {showTwoFactor ? <th scope="col">Two-factor</th> : null}
            <th scope="col">Joined</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => {
            const id = `role-${m.userId}`;
            const errorId = `member-error-${m.userId}`;
            return (
              <tr key={m.userId}>
                <th scope="row" data-label="Name">
                  {m.name}
                  {m.userId === me ? ' (you)' : ''}
                </th>
                <td data-label="Email">{m.email}</td>
                <td data-label="Role">
                  <label for={id} class="visually-hidden">
                    Role of {m.name}
                  </label>
                  <select
                    id={id}
                    class="role-select"
                    value={pending[m.userId] ?? m.role}
                    disabled={locked.disabled || m.userId in pending}
                    aria-describedby={[locked['aria-describedby'], errors[m.userId] ? errorId : ''].filter(Boolean).join(' ') || undefined}
                    aria-invalid={errors[m.userId] ? true : undefined}
                    onChange={(e) => void changeRole(m, e.currentTarget.value as Role)}
                  >
                    {ROLES.map((r) => (
                      <option key={r.role} value={r.role}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                {showTwoFactor ? (
                  <td data-label="Two-factor">
                    {m.twoFactor ? <span class="status status-live">On</span> : <span class="status">Off</span>}
                  </td>
                ) : null}
                <td data-label="Joined">{formatDate(m.joinedAt)}</td>
                <td data-label="Actions">
                  {isOwner.value && m.twoFactor && m.userId !== me ? (
                    <>
                      <button
                        type="button"
                        class="button small secondary"
                        aria-label={`Reset two-factor authentication of ${m.name}…`}
                        onClick={() => {
                          setError(m.userId, null);
                          setResetting(m);
                        }}
                      >
                        Reset two-factor…
                      </button>{' '}
                    </>
                  ) : null}
                  <button
                    type="button"
                    class="button small danger-outline"
                    aria-label={m.userId === me ? 'Leave this workspace' : `Remove ${m.name}`}
                    {...locked}
                    onClick={() => void remove(m)}
                  >
                    {m.userId === me ? 'Leave' : 'Remove'}
                  </button>
                  {errors[m.userId] ? (
                    <p class="row-error" id={errorId} role="alert">
                      {errors[m.userId]}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {resetting ? (
        <ResetTwoFactorDialog
          member={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setResetting(null);
            props.onTwoFactorReset(resetting.userId);
            toast(`Two-factor authentication of ${resetting.name} reset; they were signed out and emailed`);
          }}
        />
      ) : null}
    </>
  );
}

/**
 * An owner resets a member's 2FA, confirmed with the owner's own code (never the password, which
 * a thief may also have). The server refuses members of other workspaces and says why, here.
 */
function ResetTwoFactorDialog(props: { member: Member; onClose: () => void; onDone: () => void }) {
  const { member } = props;
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call(api.workspace.members[':userId']['two-factor'].reset.$post({ param: { userId: member.userId }, json: { code } }));
      props.onDone();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Reset two-factor authentication of ${member.name}?`} onClose={props.onClose}>
      <form onSubmit={submit} noValidate class="reset-two-factor">
        <p>
          Do this only for someone who lost both their authenticator app and their recovery codes, and only once you are sure it is them.
        </p>
        <ul>
          <li>Their authenticator app and recovery codes stop working.</li>
          <li>They are signed out on every device.</li>
          <li>
            They sign in with their password alone, and set two-factor authentication up again (at once, if the workspace requires it).
          </li>
          <li>We email {member.email} that you did it, and the audit log records it.</li>
        </ul>
        <TextField
          id="reset-two-factor-code"
          label="Your code, to confirm it is you"
          hint="The 6-digit code from your own authenticator app, or one of your recovery codes."
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={40}
          value={code}
          error={error?.fields.code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
        {error && !error.fields.code ? (
          <p class="field-error" role="alert">
            {error.message}
          </p>
        ) : null}
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={busy || code.trim() === ''}>
            {busy ? 'Resetting…' : 'Reset two-factor'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
