/**
 * What the member needs to know about saving, where they look: the top bar's indicator, and when
 * something needs a decision, a banner above the panes (the conflict choice, the kept copy, a
 * failed save with its retry).
 */
import { Fragment } from 'preact';
import { confirm } from '../../shell/confirm';
import type { EditorState } from './state';

export function SaveIndicator(props: { editor: EditorState }) {
  const { editor } = props;
  const status = editor.status.value;
  const errors = Object.keys(editor.errors.value).length;
  const text =
    status === 'saved'
      ? 'Saved'
      : status === 'pending' || status === 'saving'
        ? 'Saving…'
        : status === 'failed'
          ? 'Not saved'
          : status === 'invalid'
            ? `Not saved — fix ${errors} field${errors === 1 ? '' : 's'}`
            : 'Conflict';
  return (
    <span class={`save-state save-${status}`} data-save-state={status}>
      <span class="save-dot" aria-hidden="true" />
      <span class="save-text">{text}</span>
      {status === 'failed' ? (
        <Fragment>
          {' — '}
          <button type="button" class="link-button" onClick={() => void editor.retry()}>
            retry
          </button>
        </Fragment>
      ) : null}
    </span>
  );
}

/** Banners that need the member: a conflict to resolve, a kept copy, a failed or refused save. */
export function SaveBanners(props: { editor: EditorState; onShowErrors: () => void }) {
  const { editor } = props;
  const status = editor.status.value;
  const conflict = editor.conflict.value;
  const stash = editor.stash.value;
  const failure = editor.failure.value;

  if (status === 'conflict') {
    const who = conflict?.updatedBy ? conflict.updatedBy : 'Someone else';
    return (
      <div class="editor-banner banner-conflict" role="alert">
        <div>
          <strong>{who} saved this page while you were editing.</strong> Your changes are not saved, and nothing of theirs was overwritten.{' '}
          {conflict
            ? 'Load their version to continue from it — your version is kept as a copy you can re-apply — or replace theirs with yours.'
            : failure && failure.code !== 'edit_conflict'
              ? `Their version did not load: ${failure.message}`
              : 'Loading their version…'}
        </div>
        <div class="banner-actions">
          {conflict ? (
            <Fragment>
              <button type="button" class="button small" onClick={() => editor.loadTheirs()}>
                Load their version (keep mine as a copy)
              </button>
              <button
                type="button"
                class="button small danger-outline"
                onClick={async () => {
                  const ok = await confirm({
                    title: 'Replace their version with yours?',
                    message:
                      'Their changes since you opened the page will be lost from the draft. Loading theirs and re-applying yours keeps both.',
                    confirmLabel: 'Replace with mine',
                    danger: true,
                  });
                  if (ok) void editor.overwriteWithMine();
                }}
              >
                Replace with mine
              </button>
            </Fragment>
          ) : failure && failure.code !== 'edit_conflict' ? (
            <button type="button" class="button small secondary" onClick={() => void editor.retryConflict()}>
              Try again
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <Fragment>
      {stash ? (
        <div class="editor-banner banner-stash" role="status">
          <div>
            <strong>Your version is kept as a copy.</strong> You are looking at the other version. Re-apply your changes on top of it: the
            blocks you changed, added, deleted or moved take your version, everything else stays theirs.
          </div>
          <div class="banner-actions">
            <button type="button" class="button small" onClick={() => editor.reapplyMine()} disabled={editor.readOnly}>
              Re-apply my changes
            </button>
            <button
              type="button"
              class="button small secondary"
              onClick={async () => {
                const ok = await confirm({
                  title: 'Discard your copy?',
                  message: 'The changes you could not save will be gone for good.',
                  confirmLabel: 'Discard my copy',
                  danger: true,
                });
                if (ok) editor.discardStash();
              }}
            >
              Discard my copy
            </button>
          </div>
        </div>
      ) : null}
      {status === 'failed' && failure ? (
        <div class="editor-banner banner-error" role="alert">
          <div>
            <strong>Your latest changes are not saved.</strong> {failure.message} They are kept here; saving tries again with your next
            change.
          </div>
          <div class="banner-actions">
            <button type="button" class="button small secondary" onClick={() => void editor.retry()}>
              Retry now
            </button>
          </div>
        </div>
      ) : null}
      {status === 'invalid' ? (
        <div class="editor-banner banner-error" role="alert">
          <div>
            <strong>Not saved: some fields need a change.</strong> {failure?.message ?? ''} The messages are next to the fields.
          </div>
          <div class="banner-actions">
            <button type="button" class="button small secondary" onClick={props.onShowErrors}>
              Show the first one
            </button>
          </div>
        </div>
      ) : null}
    </Fragment>
  );
}
