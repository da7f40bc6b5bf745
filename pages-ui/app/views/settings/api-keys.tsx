import type { InferResponseType } from 'hono/client';
import { useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { formatDate } from '../../format';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { useResource } from '../../shell/resource';
import { toast } from '../../shell/toasts';
import { isOwner } from '../../state';
import { CopyButton } from '../funnels/copy-button';
import { OwnerOnlyNote, ownerOnly, SettingsView } from './frame';

type NewKey = InferResponseType<(typeof api.workspace)['api-keys']['$post'], 201>;
type ApiKey = InferResponseType<(typeof api.workspace)['api-keys']['$get'], 200>['apiKeys'][number];

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));

/** Workspace API keys for /api/v1: created (shown once), listed by prefix, revoked. Owners only. */
export default function ApiKeys() {
  // The API lists keys to owners only; others get the note instead of a 403.
  const keys = useResource(() => (isOwner.value ? call(api.workspace['api-keys'].$get()) : Promise.resolve(null)), [isOwner.value]);
  const [created, setCreated] = useState<NewKey | null>(null);

  return (
    <SettingsView
      title="API keys"
      lede={
        <>
          Your own code sends leads and events to <code>/api/v1</code> with a key, as <code>Authorization: Bearer &lt;key&gt;</code>.
        </>
      }
    >
      <OwnerOnlyNote>Only owners see, create and revoke API keys.</OwnerOnlyNote>
      <section class="panel" aria-labelledby="new-key-heading">
        <h2 id="new-key-heading">Create a key</h2>
        <NewKeyForm
          onCreated={(key) => {
            setCreated(key);
            keys.reload();
          }}
        />
        {created ? (
          <div class="reveal" role="region" aria-label="Your new API key">
            <h3>Your new key “{created.name}”</h3>
            <div class="reveal-value">
              <input aria-label="New API key" readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton text={created.key} label="Copy key" what="API key" class="button" />
            </div>
            <p class="reveal-warning">
              Copy it now and keep it somewhere safe: you will not see it again. Leadflare stores only a hash of it.
            </p>
            <button type="button" class="button small secondary" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        ) : null}
      </section>
      {isOwner.value ? (
        <section class="panel" aria-labelledby="keys-heading">
          <h2 id="keys-heading">Keys</h2>
          {keys.error ? <InlineError error={keys.error} onRetry={keys.reload} /> : null}
          {!keys.data && keys.loading ? <Skeleton rows={2} label="Loading API keys…" /> : null}
          {keys.data ? (
            <KeyTable
              keys={keys.data.apiKeys}
              onRevoked={(id, at) =>
                keys.mutate((d) => d && { apiKeys: d.apiKeys.map((k) => (k.id === id ? { ...k, revokedAt: at } : k)) })
              }
            />
          ) : null}
        </section>
      ) : null}
    </SettingsView>
  );
}

function NewKeyForm(props: { onCreated: (key: NewKey) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const locked = ownerOnly();
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await call(api.workspace['api-keys'].$post({ json: { name } }));
      toast('API key created');
      setName('');
      props.onCreated(key);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate class="add-row">
      <TextField
        id="key-name"
        label="Name"
        hint="What uses it, so you know which to revoke later, e.g. “Shopify”."
        value={name}
        maxLength={80}
        error={error?.fields.name}
        onInput={(e) => setName(e.currentTarget.value)}
        {...locked}
      />
      <button type="submit" class="button" {...locked} disabled={locked.disabled || busy}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
      {error && !error.fields.name ? <InlineError error={error} /> : null}
    </form>
  );
}

function KeyTable(props: { keys: ApiKey[]; onRevoked: (id: string, at: number) => void }) {
  const [error, setError] = useState<{ id: string; message: string } | null>(null);
  if (props.keys.length === 0) {
    return (
      <EmptyState title="No API keys yet">
        Create one above for each tool that sends leads to Leadflare, so each can be revoked on its own.
      </EmptyState>
    );
  }
  const revoke = async (key: ApiKey) => {
    const ok = await confirm({
      title: `Revoke “${key.name}”?`,
      message: `Requests with the key ${key.prefix}… are refused from now on. Whatever uses it stops sending leads until it gets a new key.`,
      confirmLabel: 'Revoke key',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await call(api.workspace['api-keys'][':id'].$delete({ param: { id: key.id } }));
      props.onRevoked(key.id, Date.now());
      toast(`Key “${key.name}” revoked`);
    } catch (err) {
      setError({ id: key.id, message: asApiError(err).message });
    }
  };
  // Live keys first, newest first; revoked ones stay listed below for the record.
  const sorted = [...props.keys].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt - a.createdAt);
  return (
    <table class="table stack">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span class="visually-hidden">Status and actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((k) => (
          <tr key={k.id} class={k.revokedAt ? 'muted' : undefined}>
            <th scope="row" data-label="Name">
              {k.name}
            </th>
            <td data-label="Key">
              <code>{k.prefix}…</code>
            </td>
            <td data-label="Created">{formatDate(k.createdAt)}</td>
            <td data-label="Last used">{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never'}</td>
            <td data-label="Status">
              {k.revokedAt ? (
                <span class="status">Revoked {formatDate(k.revokedAt)}</span>
              ) : (
                <button type="button" class="button small danger-outline" aria-label={`Revoke ${k.name}`} onClick={() => void revoke(k)}>
                  Revoke
                </button>
              )}
              {error?.id === k.id ? (
                <p class="row-error" role="alert">
                  {error.message}
                </p>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
