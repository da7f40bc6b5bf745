/**
 * "New pipeline": a name and a template (blank, B2B sales, B2C e-commerce) with the stages each
 * one brings, created through POST /api/pipelines; the caller opens the new board.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, call, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { TextField } from '../../shell/fields';
import { InlineError } from '../../shell/feedback';
import './new-pipeline.css';

const TEMPLATES = [
  { key: 'blank', name: 'Blank', stages: 'New → Closed won → Closed lost' },
  {
    key: 'b2b',
    name: 'B2B sales',
    stages: 'Prospecting → Lead qualification → Demo or meeting → Proposal → Negotiation → Closed won → Closed lost → Post-purchase',
  },
  {
    key: 'b2c',
    name: 'B2C e-commerce',
    stages: 'Lead generation → Lead qualification → Browse abandonment → Checkout abandonment → Closed won → Closed lost → Post-purchase',
  },
] as const;

type TemplateKey = (typeof TEMPLATES)[number]['key'];

export function NewPipelineDialog(props: { onClose: () => void; onCreated: (pipeline: { id: string; name: string }) => void }) {
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<TemplateKey>('b2c');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setErrors({ name: 'Give the pipeline a name.' });
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const pipeline = await call(api.pipelines.$post({ json: { name: name.trim(), template } }));
      props.onCreated({ id: pipeline.id, name: pipeline.name });
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setErrors(err.fields);
      else if (err instanceof ApiError && err.code === 'pipeline_name_taken') setErrors({ name: err.message });
      else setMessage(asApiError(err, 'The pipeline was not created.'));
      setBusy(false);
    }
  };

  return (
    <Dialog title="New pipeline" onClose={props.onClose}>
      <form onSubmit={submit} noValidate class="new-pipeline">
        {message ? <InlineError error={message} /> : null}
        <TextField
          id="new-pipeline-name"
          label="Name"
          value={name}
          maxLength={120}
          placeholder="Demo B2C e-commerce pipeline - 1"
          error={errors.name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <fieldset class="template-choice">
          <legend>Start from</legend>
          {TEMPLATES.map((t) => (
            <label key={t.key} class={template === t.key ? 'template-option is-chosen' : 'template-option'}>
              <input type="radio" name="template" value={t.key} checked={template === t.key} onChange={() => setTemplate(t.key)} />
              <span>
                <strong>{t.name}</strong>
                <span class="muted template-stages">{t.stages}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create pipeline'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
