import { canEdit, workspace } from '../state';

/** The id of the layout's read-only note: editing controls point at it with aria-describedby. */
export const READ_ONLY_NOTE_ID = 'read-only-note';

/**
 * Props for a control that changes something: disabled for viewers, described by the note that
 * says why. Spread on any button or input: `<button {...editable()}>New funnel</button>`.
 */
export function editable(): { disabled: boolean; 'aria-describedby'?: string } {
  return canEdit.value ? { disabled: false } : { disabled: true, 'aria-describedby': READ_ONLY_NOTE_ID };
}

/** Shown on every view (by the layout) when the member is a viewer of the current workspace. */
export function ReadOnlyNote() {
  if (canEdit.value || !workspace.value) return null;
  return (
    <p class="read-only-note" id={READ_ONLY_NOTE_ID}>
      <strong>View only.</strong> You are a viewer in {workspace.value.name}, so editing is turned off. Ask an owner to make you an editor.
    </p>
  );
}
