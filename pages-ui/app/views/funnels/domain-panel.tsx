import { useEffect, useState } from 'preact/hooks';
import type { DomainCheck } from '../../../../workers/contract';
import { api, type ApiError, call, asApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { toast } from '../../shell/toasts';
import { canEdit } from '../../state';
import { CopyButton } from './copy-button';
import type { Funnel } from './types';

const STATUS_TEXT: Record<DomainCheck['status'], string> = {
  connected: 'Connected',
  pending: 'Waiting for DNS',
  wrong_target: 'Points elsewhere',
  timeout: 'DNS did not answer',
  lookup_failed: 'Check failed',
  not_set: 'No domain',
  no_app_host: 'Not available',
};

/**
 * The funnel on the marketer's own host name: the name, the DNS record to create at their DNS
 * provider (each value with a copy button), and a check of whether DNS leads here yet.
 */
export function DomainPanel(props: { funnel: Funnel; onFunnel: (f: Funnel) => void }) {
  const { funnel } = props;
  const [domain, setDomain] = useState(funnel.customDomain ?? '');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [check, setCheck] = useState<DomainCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  useEffect(() => setDomain(funnel.customDomain ?? ''), [funnel.customDomain]);

  const runCheck = async () => {
    setChecking(true);
    setCheckError(null);
    try {
      setCheck(await call(api.funnels[':id']['domain-check'].$get({ param: { id: funnel.id } })));
    } catch (err) {
      setCheckError(asApiError(err));
    } finally {
      setChecking(false);
    }
  };
  // The record to create is part of the check's answer: fetch it as soon as there is a domain.
  useEffect(() => {
    setCheck(null);
    if (funnel.customDomain) void runCheck();
  }, [funnel.id, funnel.customDomain]);

  const save = async (value: string | null) => {
    if (value === null) {
      const ok = await confirm({
        title: `Remove ${funnel.customDomain}?`,
        message: `Visitors opening https://${funnel.customDomain}/ stop getting this funnel; /p/${funnel.slug} keeps working.`,
        confirmLabel: 'Remove domain',
        danger: true,
      });
      if (!ok) return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      const fresh = await call(api.funnels[':id'].$patch({ param: { id: funnel.id }, json: { customDomain: value } }));
      props.onFunnel(fresh);
      toast(value ? `Domain set to ${fresh.customDomain}: now create its DNS record` : 'Custom domain removed');
    } catch (err) {
      setSaveError(asApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const typed = domain.trim().toLowerCase();
  const fieldError = saveError?.fields.customDomain ?? (saveError?.code === 'already_exists' ? saveError.message : undefined);
  const record = check?.record;
  return (
    <section class="panel" aria-labelledby="domain-heading">
      <h2 id="domain-heading">Custom domain</h2>
      <form
        class="settings-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(typed || null);
        }}
      >
        {saveError && !fieldError ? <InlineError error={saveError} /> : null}
        <TextField
          id="custom-domain"
          label="Domain"
          hint="A host name you own, e.g. offers.example.com: the funnel’s first page answers at its root."
          value={domain}
          error={fieldError}
          placeholder="offers.example.com"
          autocomplete="off"
          spellcheck={false}
          inputMode="url"
          {...editable()}
          onInput={(e) => {
            setDomain(e.currentTarget.value);
            setSaveError(null);
          }}
        />
        <div class="button-row">
          <button type="submit" class="button" {...editable()} disabled={!canEdit.value || saving || typed === (funnel.customDomain ?? '')}>
            {saving ? 'Saving…' : 'Save domain'}
          </button>
          {funnel.customDomain ? (
            <button
              type="button"
              class="button secondary"
              {...editable()}
              disabled={!canEdit.value || saving}
              onClick={() => void save(null)}
            >
              Remove domain
            </button>
          ) : null}
        </div>
      </form>
      {funnel.customDomain ? (
        <div class="dns">
          <h3 class="sub-heading">DNS record to create</h3>
          {record ? (
            <>
              <p class="field-hint">At the company where you manage {funnel.customDomain} (your DNS provider), add this record:</p>
              <table class="table dns-record">
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>{record.type}</td>
                    <td>
                      <code>{record.name}</code> <CopyButton text={record.name} label="Copy" what="Record name" />
                    </td>
                    <td>
                      <code>{record.value}</code> <CopyButton text={record.value} label="Copy" what="Record value" />
                    </td>
                  </tr>
                </tbody>
              </table>
            </>
          ) : null}
          {checkError ? <InlineError error={checkError} onRetry={() => void runCheck()} title="The DNS check failed." /> : null}
          <div class="dns-status" role="status" aria-live="polite">
            {checking ? (
              <p>Checking DNS…</p>
            ) : check ? (
              <p>
                <span class={check.resolves ? 'status status-live' : 'status status-pending'}>{STATUS_TEXT[check.status]}</span>{' '}
                {check.message}
              </p>
            ) : null}
          </div>
          <button type="button" class="button secondary" onClick={() => void runCheck()} disabled={checking}>
            {checking ? 'Checking…' : 'Check DNS'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
