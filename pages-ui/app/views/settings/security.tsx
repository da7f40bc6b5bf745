import type { InferResponseType } from 'hono/client';
import { useMemo, useState } from 'preact/hooks';
import { encode } from 'uqr';
import { api, type ApiError, asApiError, call } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource, type Resource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { formatDate } from '../../format';
import { isOwner, workspace, workspaceId } from '../../state';
import { CopyButton } from '../funnels/copy-button';
import { OWNER_NOTE_ID, OwnerOnlyNote, SettingsView } from './frame';

type Status = InferResponseType<(typeof api.me)['two-factor']['$get'], 200>;
type Setup = InferResponseType<(typeof api.me)['two-factor']['setup']['$post'], 200>;

/** The member's own account security: two-factor authentication, and (for owners) requiring it in the workspace. */
export default function SecurityPage() {
  const status = useResource(() => call(api.me['two-factor'].$get()));
  const blockedHere = status.data ? !status.data.enabled && status.data.requiredBy.some((w) => w.id === workspaceId.value) : false;
  return (
    <SettingsView
      title="Security"
      lede="Protect your account with a second step at sign-in: a code from an authenticator app on your phone."
    >
      {status.data && !status.data.enabled && status.data.requiredBy.length > 0 ? (
        <p class="owner-note" role="status">
          <strong>
            {status.data.requiredBy.map((w) => w.name).join(', ')} {status.data.requiredBy.length === 1 ? 'requires' : 'require'} two-factor
            authentication.
          </strong>{' '}
          Set it up below to keep working there; it takes about a minute.
        </p>
      ) : null}
      <section class="panel" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor authentication</h2>
        {status.error ? <InlineError error={status.error} onRetry={status.reload} /> : null}
        {!status.data && status.loading ? <Skeleton rows={2} label="Loading your security settings…" /> : null}
        {status.data ? <TwoFactor resource={status} /> : null}
      </section>
      {status.data && !blockedHere ? <WorkspaceRequirement twoFactorOn={status.data.enabled} onChanged={status.reload} /> : null}
    </SettingsView>
  );
}

function TwoFactor(props: { resource: Resource<Status> }) {
  const { resource } = props;
  const data = resource.data!;
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<'disable' | 'regenerate' | null>(null);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      setSetup(await call(api.me['two-factor'].setup.$post()));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setStarting(false);
    }
  };

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          resource.reload();
        }}
      />
    );
  }
  if (setup) {
    return (
      <Enrolment
        setup={setup}
        onCancel={() => setSetup(null)}
        onEnabled={(recoveryCodes) => {
          setSetup(null);
          setCodes(recoveryCodes);
          // The workspace switch below reads it: it may be turned on from now.
          resource.reload();
          toast('Two-factor authentication is on');
        }}
      />
    );
  }
  if (!data.enabled) {
    return (
      <>
        <p>
          <span class="status">Off</span> Signing in takes only your password. With two-factor authentication, it also takes a 6-digit code
          from an app like Google Authenticator, 1Password or Authy, so a stolen password alone does not get anyone in.
        </p>
        {error ? <InlineError error={error} /> : null}
        <button type="button" class="button" disabled={starting} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Set up two-factor authentication'}
        </button>
      </>
    );
  }
  return (
    <>
      <p>
        <span class="status status-live">On</span> since {formatDate(data.enabledAt!)}. Sign-in asks for a code from your authenticator app.
      </p>
      <p class={data.recoveryCodesLeft <= 2 ? 'field-error' : 'muted'}>
        {data.recoveryCodesLeft === 0
          ? 'You have no recovery codes left: make new ones so you can still sign in without your phone.'
          : `${data.recoveryCodesLeft} of 10 recovery codes left.`}
      </p>
      <div class="form-row">
        <button type="button" class="button secondary" onClick={() => setDialog('regenerate')}>
          New recovery codes
        </button>
        <button
          type="button"
          class="button danger-outline"
          disabled={data.requiredBy.length > 0}
          aria-describedby={data.requiredBy.length > 0 ? 'two-factor-required-note' : undefined}
          onClick={() => setDialog('disable')}
        >
          Turn off
        </button>
      </div>
      {data.requiredBy.length > 0 ? (
        <p class="muted small" id="two-factor-required-note">
          It stays on while you are a member of {data.requiredBy.map((w) => w.name).join(', ')}, which{' '}
          {data.requiredBy.length === 1 ? 'requires' : 'require'} it.
        </p>
      ) : null}
      {dialog ? (
        <ProofDialog
          action={dialog}
          onClose={() => setDialog(null)}
          onDone={(recoveryCodes) => {
            setDialog(null);
            if (recoveryCodes) {
              setCodes(recoveryCodes);
              toast('New recovery codes made; the old ones no longer work');
            } else {
              toast('Two-factor authentication is off');
              resource.reload();
            }
          }}
        />
      ) : null}
    </>
  );
}

/** The otpauth URI as an SVG QR code: one path of dark modules, drawn by Preact (no HTML strings). */
function QrCode(props: { text: string }) {
  const { path, size } = useMemo(() => {
    const qr = encode(props.text, { ecc: 'M', border: 2 });
    let d = '';
    qr.data.forEach((row, y) => row.forEach((dark, x) => (d += dark ? `M${x} ${y}h1v1h-1z` : '')));
    return { path: d, size: qr.size };
  }, [props.text]);
  return (
    <svg
      class="qr-code"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label="QR code to scan with your authenticator app"
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

function Enrolment(props: { setup: Setup; onCancel: () => void; onEnabled: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const grouped = props.setup.secret.match(/.{1,4}/g)!.join(' ');
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call(api.me['two-factor'].confirm.$post({ json: { code } }));
      props.onEnabled(result.recoveryCodes);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="two-factor-setup">
      <ol class="two-factor-steps">
        <li>
          <h3>Scan this QR code with your authenticator app</h3>
          <QrCode text={props.setup.otpauthUri} />
          <p class="muted small">Can’t scan it? Enter this key in the app instead (time-based):</p>
          <div class="reveal-value">
            <code class="two-factor-secret" aria-label="Setup key">
              {grouped}
            </code>
            <CopyButton text={props.setup.secret} label="Copy key" what="Setup key" />
          </div>
        </li>
        <li>
          <h3>Enter the 6-digit code the app shows</h3>
          <form onSubmit={submit} noValidate class="inline-form">
            <TextField
              id="two-factor-code"
              label="Code from the app"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              value={code}
              error={error?.fields.code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            {error && !error.fields.code ? <InlineError error={error} /> : null}
            <div class="form-row">
              <button type="submit" class="button" disabled={busy || code.trim().length < 6}>
                {busy ? 'Checking…' : 'Turn on'}
              </button>
              <button type="button" class="button secondary" onClick={props.onCancel}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

function RecoveryCodes(props: { codes: string[]; onDone: () => void }) {
  const text = `Leadflare recovery codes\nEach code signs you in once when you do not have your authenticator app.\n\n${props.codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'leadflare-recovery-codes.txt';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <div class="reveal" role="region" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Save your recovery codes</h3>
      <p>If you lose your phone, each of these codes signs you in once instead of a code from the app.</p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p class="reveal-warning">Keep them somewhere safe, like a password manager. You will not see them again.</p>
      <div class="form-row">
        <CopyButton text={props.codes.join('\n')} label="Copy codes" what="Recovery codes" class="button secondary" />
        <button type="button" class="button secondary" onClick={download}>
          Download .txt
        </button>
        <button type="button" class="button" onClick={props.onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

/** Turning 2FA off or making new recovery codes is proven with a current code, or the password. */
function ProofDialog(props: { action: 'disable' | 'regenerate'; onClose: () => void; onDone: (codes?: string[]) => void }) {
  const [by, setBy] = useState<'code' | 'password'>('code');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const disable = props.action === 'disable';
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const json = by === 'code' ? { code: value } : { password: value };
    try {
      if (disable) {
        await call(api.me['two-factor'].$delete({ json }));
        props.onDone();
      } else {
        props.onDone((await call(api.me['two-factor']['recovery-codes'].$post({ json }))).recoveryCodes);
      }
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = error?.fields[by];
  return (
    <Dialog title={disable ? 'Turn off two-factor authentication?' : 'Make new recovery codes?'} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <p>
          {disable
            ? 'Signing in will take only your password again. Confirm it is you:'
            : 'Your current recovery codes stop working. Confirm it is you:'}
        </p>
        {by === 'code' ? (
          <TextField
            key="code"
            id="proof-code"
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={40}
            value={value}
            error={fieldError}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        ) : (
          <TextField
            key="password"
            id="proof-password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            value={value}
            error={fieldError}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        )}
        <p>
          <button
            type="button"
            class="security-link"
            onClick={() => {
              setBy(by === 'code' ? 'password' : 'code');
              setValue('');
              setError(null);
            }}
          >
            {by === 'code' ? 'Use your password instead' : 'Use a code instead'}
          </button>
        </p>
        {error && !fieldError ? <InlineError error={error} /> : null}
        <div class="form-row">
          <button type="submit" class={disable ? 'button danger' : 'button'} disabled={busy || value.trim() === ''}>
            {busy ? 'Checking…' : disable ? 'Turn off' : 'Make new codes'}
          </button>
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The workspace's switch: owners only, and only with 2FA on themselves (the API refuses otherwise too). */
function WorkspaceRequirement(props: { twoFactorOn: boolean; onChanged: () => void }) {
  const ws = useResource(() => call(api.workspace.$get()), [workspaceId.value]);
  const [saving, setSaving] = useState<boolean | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const needsOwn = isOwner.value && !props.twoFactorOn;
  const locked = !isOwner.value || (needsOwn && ws.data?.settings.requireTwoFactor !== true);
  const toggle = async (value: boolean) => {
    setSaving(value);
    setError(null);
    try {
      const { settings } = await call(api.workspace.settings.$patch({ json: { requireTwoFactor: value } }));
      ws.mutate((w) => ({ ...w, settings }));
      // The member's own status lists the workspaces requiring it (and so whether they may turn it off).
      props.onChanged();
      toast(value ? 'Two-factor authentication is now required' : 'Two-factor authentication is no longer required');
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSaving(null);
    }
  };
  const on = saving ?? ws.data?.settings.requireTwoFactor === true;
  const describedBy = ['require-two-factor-help', needsOwn ? 'require-two-factor-own' : '', !isOwner.value ? OWNER_NOTE_ID : '']
    .filter(Boolean)
    .join(' ');
  return (
    <section class="panel" aria-labelledby="workspace-security-heading">
      <h2 id="workspace-security-heading">Workspace: {workspace.value?.name}</h2>
      <OwnerOnlyNote>Only owners decide whether members need two-factor authentication.</OwnerOnlyNote>
      {ws.error ? <InlineError error={ws.error} onRetry={ws.reload} /> : null}
      {!ws.data && ws.loading ? <Skeleton rows={1} label="Loading the workspace…" /> : null}
      {ws.data ? (
        <div class="setting">
          {error ? <InlineError error={error.fields.requireTwoFactor ?? error} /> : null}
          <div class="toggle-row">
            <input
              type="checkbox"
              role="switch"
              id="require-two-factor"
              class="switch"
              checked={on}
              disabled={locked || saving !== null}
              aria-describedby={describedBy}
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
            <label for="require-two-factor">Require two-factor authentication</label>
          </div>
          <p class="field-hint" id="require-two-factor-help">
            Members without it are sent to set it up when they next open the app, and cannot use this workspace until they have. API keys
            keep working.
          </p>
          {needsOwn ? (
            <p class="field-hint" id="require-two-factor-own">
              Turn on two-factor authentication for your own account first (above).
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
