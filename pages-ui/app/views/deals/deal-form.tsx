import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ApiError, call, asApiError } from '../../api';
import { fractionDigits, parseAmount } from '../../format';
import { editable } from '../../shell/can-edit';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { toast } from '../../shell/toasts';
import { fromDateInput, toDateInput, type Deal, type Member } from './deal-data';

interface Draft {
  name: string;
  amount: string;
  currency: string;
  ownerId: string;
  expectedClose: string;
  notes: string;
}

const amountText = (minor: number, currency: string) => {
  const digits = fractionDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
};

function draftOf(deal: Deal): Draft {
  return {
    name: deal.name,
    amount: amountText(deal.valueMinor, deal.currency),
    currency: deal.currency,
    ownerId: deal.ownerId ?? '',
    expectedClose: toDateInput(deal.expectedCloseAt),
    notes: deal.notes ?? '',
  };
}

const sameDraft = (a: Draft, b: Draft) => (Object.keys(a) as Array<keyof Draft>).every((k) => a[k] === b[k]);

/**
 * The deal's own fields, edited in place: a change shows "Save changes" and "Discard", the server's
 * message for a field appears under it, and a saved deal is kept (reload shows it).
 */
export function DealForm(props: { deal: Deal; members: Member[]; onSaved: (deal: Deal) => void }) {
  const saved = draftOf(props.deal);
  const [draft, setDraft] = useState<Draft>(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const edit = editable();
  const dirty = !sameDraft(draft, saved);

  // The deal changed elsewhere on the page (a move, won / lost): follow it, unless the member is mid-edit.
  const previous = useRef(saved);
  useEffect(() => {
    const before = previous.current;
    previous.current = draftOf(props.deal);
    setDraft((d) => (sameDraft(d, before) ? previous.current : d));
  }, [props.deal]);

  const set = (key: keyof Draft) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!dirty || busy) return;
    const currency = draft.currency.trim().toUpperCase();
    const value = /^[A-Z]{3}$/.test(currency) ? parseAmount(draft.amount, currency) : null;
    const local: Record<string, string> = {};
    if (!draft.name.trim()) local.name = 'Give the deal a name.';
    if (!value) local.currency = 'Use a three-letter currency code, like USD or EUR.';
    else if ('error' in value) local.valueMinor = value.error;
    if (Object.keys(local).length || !value || 'error' in value) return setErrors(local);
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const deal = await call(
        api.deals[':id'].$patch({
          param: { id: props.deal.id },
          json: {
            name: draft.name.trim(),
            valueMinor: value.minor,
            currency,
            ownerId: draft.ownerId || null,
            expectedCloseAt: fromDateInput(draft.expectedClose),
            notes: draft.notes.trim() ? draft.notes : null,
          },
        }),
      );
      previous.current = draftOf(deal);
      setDraft(previous.current);
      props.onSaved(deal);
      toast('Deal saved');
    } catch (err) {
      const error = asApiError(err, 'The deal was not saved.');
      if (Object.keys(error.fields).length) setErrors(error.fields);
      else setMessage(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel deal-form" onSubmit={save} noValidate aria-labelledby="deal-form-heading">
      <h2 id="deal-form-heading">Details</h2>
      {message ? <InlineError error={message} onRetry={() => void save(new Event('submit'))} title="Not saved." /> : null}
      <TextField id="deal-name" label="Deal name" value={draft.name} maxLength={200} error={errors.name} onInput={set('name')} {...edit} />
      <div class="form-row deal-money">
        <TextField
          id="deal-value"
          label="Value"
          value={draft.amount}
          inputMode="decimal"
          error={errors.valueMinor}
          onInput={set('amount')}
          {...edit}
        />
        <TextField
          id="deal-currency"
          label="Currency"
          value={draft.currency}
          maxLength={3}
          autoCapitalize="characters"
          error={errors.currency}
          onInput={set('currency')}
          {...edit}
        />
      </div>
      <div class="field">
        <label for="deal-owner">Owner</label>
        <select
          id="deal-owner"
          value={draft.ownerId}
          onChange={set('ownerId')}
          aria-invalid={errors.ownerId ? true : undefined}
          aria-describedby={errors.ownerId ? 'deal-owner-error' : edit['aria-describedby']}
          disabled={edit.disabled}
        >
          <option value="">No owner</option>
          {props.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name || m.email}
            </option>
          ))}
          {draft.ownerId && !props.members.some((m) => m.userId === draft.ownerId) ? (
            <option value={draft.ownerId}>A former member</option>
          ) : null}
        </select>
        {errors.ownerId ? (
          <p class="field-error" id="deal-owner-error">
            {errors.ownerId}
          </p>
        ) : null}
      </div>
      <TextField
        id="deal-close"
        label="Expected close date"
        type="date"
        value={draft.expectedClose}
        error={errors.expectedCloseAt}
        onInput={set('expectedClose')}
        {...edit}
      />
      <div class="field">
        <label for="deal-notes">Notes</label>
        <textarea
          id="deal-notes"
          rows={5}
          maxLength={10_000}
          value={draft.notes}
          onInput={set('notes')}
          aria-invalid={errors.notes ? true : undefined}
          aria-describedby={errors.notes ? 'deal-notes-error' : edit['aria-describedby']}
          disabled={edit.disabled}
        />
        {errors.notes ? (
          <p class="field-error" id="deal-notes-error">
            {errors.notes}
          </p>
        ) : null}
      </div>
      <div class="form-actions">
        <button type="submit" class="button" {...edit} disabled={edit.disabled || !dirty || busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        {dirty ? (
          <button
            type="button"
            class="button secondary"
            onClick={() => {
              setDraft(saved);
              setErrors({});
            }}
            disabled={busy}
          >
            Discard
          </button>
        ) : null}
        <span class="muted save-state" role="status">
          {dirty ? 'Unsaved changes' : ''}
        </span>
      </div>
    </form>
  );
}
