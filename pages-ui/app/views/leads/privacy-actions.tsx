import { useState } from 'preact/hooks';
import type { LeadDetail } from '../../../../workers/contract';
import { api, asApiError, call, type ApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { TextField } from '../../shell/fields';
import { toast } from '../../shell/toasts';
import { isOwner, workspaceId } from '../../state';

const OWNER_ONLY_ID = 'erase-owner-only';

function exportHref(id: string): string {
  const url = api.leads[':id'].export.$url({ param: { id } });
  if (workspaceId.value) url.searchParams.set('workspace', workspaceId.value);
  return `${url.pathname}${url.search}`;
}

/** "Export data" (a JSON download) and "Erase personal data" (owners; typed confirmation) for a lead. */
export function LeadPrivacyActions(props: { lead: LeadDetail; onErased: () => void }) {
  const { lead } = props;
  const [open, setOpen] = useState(false);
  const owner = isOwner.value;
  return (
    <div class="lead-privacy-actions">
      <a class="button secondary" href={exportHref(lead.id)} download>
        Export data
      </a>
      {lead.erasedAt === null ? (
        <>
          <button
            type="button"
            class="button danger-outline"
            disabled={!owner}
            aria-describedby={owner ? undefined : OWNER_ONLY_ID}
            onClick={() => setOpen(true)}
          >
            Erase personal data
          </button>
          {owner ? null : (
            <span class="visually-hidden" id={OWNER_ONLY_ID}>
              Only owners can erase a lead’s personal data.
            </span>
          )}
        </>
      ) : null}
      {open ? (
        <EraseDialog
          lead={lead}
          onClose={() => setOpen(false)}
          onErased={() => {
            setOpen(false);
            props.onErased();
          }}
        />
      ) : null}
    </div>
  );
}

function EraseDialog(props: { lead: LeadDetail; onClose: () => void; onErased: () => void }) {
  const { lead } = props;
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const matches = typed.trim() === 'ERASE' || typed.trim().toLowerCase() === lead.email.toLowerCase();

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await call(api.leads[':id'].erase.$post({ param: { id: lead.id }, json: { confirm: typed.trim() } }));
      toast('Personal data erased');
      props.onErased();
    } catch (err) {
      setError(asApiError(err, 'The erasure did not go through.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Erase this lead’s personal data?" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} class="erase-form">
        <p>
          Their email, name, phone, company and everything they typed are removed from the lead, its submissions and consents, its journey,
          the deals made from it and their activities, and webhook deliveries. Counts, stages and deal values stay, so your reports do not
          change. Consent records keep only a fingerprint of the wording and the time. <strong>This cannot be undone.</strong>
        </p>
        <p>Download their data first if they asked for a copy.</p>
        <TextField
          id="erase-confirm"
          label={`Type ${lead.email} or ERASE to confirm`}
          value={typed}
          autoComplete="off"
          spellcheck={false}
          error={error ? (error.fields.confirm ?? error.message) : undefined}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button danger" disabled={!matches || busy}>
            {busy ? 'Erasing…' : 'Erase personal data'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
