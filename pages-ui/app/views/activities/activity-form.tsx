import { useState } from 'preact/hooks';
import { ACTIVITY_TYPES, type Activity, type ActivityType } from '../../../../workers/contract';
import { api, type ApiError, call, asApiError } from '../../api';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { TextField } from '../../shell/fields';
import { ACTIVITY_TYPE_ICONS, ACTIVITY_TYPE_LABELS, dueDate, formatMinutes, localIsoDate } from './activity-format';

export interface AssigneeOption {
  userId: string;
  name: string;
  email: string;
}

const DURATIONS = [15, 30, 45, 60, 90, 120, 240];

const timeOf = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/**
 * Adds an activity to a deal or edits one, in a dialog: the type, what to do, the day (and a time,
 * or all day), how long, who does it and notes. A day without a time is stored as that calendar
 * date; a time is the member's own. The server's messages appear under their fields.
 */
export function ActivityDialog(props: {
  dealId: string;
  dealName: string;
  /** The activity to edit; absent: a new one. */
  activity?: Activity;
  members: AssigneeOption[];
  /** Who a new activity is for (the signed-in member). */
  defaultAssignee: string;
  onSaved: (activity: Activity) => void;
  onClose: () => void;
}) {
  const a = props.activity;
  const [type, setType] = useState<ActivityType>(a?.type ?? 'call');
  const [subject, setSubject] = useState(a?.subject ?? '');
  const [date, setDate] = useState(a ? dueDate(a) : localIsoDate(Date.now()));
  const [time, setTime] = useState(a?.hasTime ? timeOf(a.dueAt) : '');
  const [duration, setDuration] = useState(a?.durationMinutes ? String(a.durationMinutes) : '');
  const [assignee, setAssignee] = useState(a ? (a.assigneeId ?? '') : props.defaultAssignee);
  const [notes, setNotes] = useState(a?.notes ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!subject.trim()) local.subject = 'Say what the activity is, e.g. “Call Ava about the travel size”.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) local.dueAt = 'Choose the day it is due.';
    if (Object.keys(local).length) return setErrors(local);
    const hasTime = time !== '';
    const dueAt = hasTime ? new Date(`${date}T${time}`).getTime() : Date.parse(`${date}T00:00:00Z`);
    const fields = {
      type,
      subject: subject.trim(),
      dueAt,
      hasTime,
      durationMinutes: duration ? Number(duration) : null,
      assigneeId: assignee || null,
      notes: notes.trim() ? notes : null,
    };
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const saved = a
        ? await call(api.activities[':id'].$patch({ param: { id: a.id }, json: fields }))
        : await call(
            api.activities.$post({
              json: { ...fields, dealId: props.dealId, durationMinutes: fields.durationMinutes ?? undefined },
            }),
          );
      props.onSaved(saved);
    } catch (err) {
      const error = asApiError(err, 'The activity was not saved.');
      if (Object.keys(error.fields).length) setErrors(error.fields);
      else setFailure(error);
      setBusy(false);
    }
  };

  return (
    <Dialog title={a ? 'Edit activity' : `Schedule an activity for “${props.dealName}”`} onClose={props.onClose}>
      <form class="activity-form" onSubmit={submit} noValidate>
        {failure ? <InlineError error={failure} /> : null}
        <fieldset class="activity-types">
          <legend>Type</legend>
          {ACTIVITY_TYPES.map((t) => (
            <label key={t} class={t === type ? 'activity-type selected' : 'activity-type'}>
              <input type="radio" name="activity-type" value={t} checked={t === type} onChange={() => setType(t)} />
              <span aria-hidden="true">{ACTIVITY_TYPE_ICONS[t]}</span> {ACTIVITY_TYPE_LABELS[t]}
            </label>
          ))}
          {errors.type ? <p class="field-error">{errors.type}</p> : null}
        </fieldset>
        <TextField
          id="activity-subject"
          label="Subject"
          value={subject}
          maxLength={200}
          placeholder={`${ACTIVITY_TYPE_LABELS[type]} …`}
          error={errors.subject}
          onInput={(e) => setSubject(e.currentTarget.value)}
        />
        <div class="form-row activity-when">
          <TextField
            id="activity-date"
            label="Due date"
            type="date"
            value={date}
            error={errors.dueAt}
            onInput={(e) => setDate(e.currentTarget.value)}
          />
          <TextField
            id="activity-time"
            label="Time (optional)"
            type="time"
            value={time}
            hint="Empty: any time that day"
            error={errors.hasTime}
            onInput={(e) => setTime(e.currentTarget.value)}
          />
          <div class="field">
            <label for="activity-duration">Duration</label>
            <select
              id="activity-duration"
              value={duration}
              onChange={(e) => setDuration(e.currentTarget.value)}
              aria-invalid={errors.durationMinutes ? true : undefined}
              aria-describedby={errors.durationMinutes ? 'activity-duration-error' : undefined}
            >
              <option value="">None</option>
              {DURATIONS.map((m) => (
                <option key={m} value={String(m)}>
                  {formatMinutes(m)}
                </option>
              ))}
              {duration && !DURATIONS.includes(Number(duration)) ? (
                <option value={duration}>{formatMinutes(Number(duration))}</option>
              ) : null}
            </select>
            {errors.durationMinutes ? (
              <p class="field-error" id="activity-duration-error">
                {errors.durationMinutes}
              </p>
            ) : null}
          </div>
        </div>
        <div class="field">
          <label for="activity-assignee">Assigned to</label>
          <select
            id="activity-assignee"
            value={assignee}
            onChange={(e) => setAssignee(e.currentTarget.value)}
            aria-invalid={errors.assigneeId ? true : undefined}
            aria-describedby={errors.assigneeId ? 'activity-assignee-error' : undefined}
          >
            <option value="">No one</option>
            {props.members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name || m.email}
              </option>
            ))}
          </select>
          {errors.assigneeId ? (
            <p class="field-error" id="activity-assignee-error">
              {errors.assigneeId}
            </p>
          ) : null}
        </div>
        <div class="field">
          <label for="activity-notes">Notes</label>
          <textarea
            id="activity-notes"
            rows={3}
            maxLength={10_000}
            value={notes}
            onInput={(e) => setNotes(e.currentTarget.value)}
            aria-invalid={errors.notes ? true : undefined}
            aria-describedby={errors.notes ? 'activity-notes-error' : undefined}
          />
          {errors.notes ? (
            <p class="field-error" id="activity-notes-error">
              {errors.notes}
            </p>
          ) : null}
        </div>
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Saving…' : a ? 'Save activity' : 'Add activity'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
