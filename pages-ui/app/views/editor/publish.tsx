/**
 * Publishing from the editor: Publish (after the accessibility findings and the page weight —
 * warnings can be published anyway, problems are fixed first), a shareable preview link of the
 * draft, and the versions drawer: who published what and when, one-click rollback, unpublish.
 */
import type { ReadonlySignal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import type { AccessibilityFinding } from '../../../../workers/contract/page-editor';
import type { ApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { Dialog } from '../../shell/dialog';
import { InlineError, Skeleton } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { countFindings, countsText, FindingsList } from './checks';
import { Drawer } from './drawer';
import { MenuButton } from './menu';
import {
  createPreviewLink,
  draftOf,
  revokePreviewLinks,
  EditConflictError,
  loadPage,
  loadVersions,
  publishPage,
  restoreVersion,
  unpublishPage,
  type LoadedFunnel,
  type LoadedPage,
  type VersionList,
} from './editor-api';
import type { EditorState } from './state';
import type { PageWeight } from './page-weight';
import { WeightSummary } from './weight-meter';

const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });

interface PublishProps {
  editor: EditorState;
  page: LoadedPage;
  funnel: LoadedFunnel;
  /** The page weight as last measured. */
  weight: ReadonlySignal<PageWeight | null>;
  findings: ReadonlySignal<AccessibilityFinding[]>;
  onPageChange: (page: LoadedPage) => void;
  onSelectBlock: (id: string | null) => void;
}

export function PublishControls(props: PublishProps) {
  const [open, setOpen] = useState<'publish' | 'versions' | null>(null);
  const previewLink = usePreviewLink(props.page.id);
  const live = props.page.publishedVersionId !== null;
  const liveUrl = publicUrl(props.funnel, props.page);
  return (
    <>
      <span class={live ? 'status status-live' : 'status'}>{live ? 'Published' : 'Not published'}</span>
      {/* Wide screens: each a button. Phones: the same three in a "More" menu. */}
      <span class="wide-actions">
        {live ? (
          <a class="button small secondary" href={liveUrl} target="_blank" rel="noopener">
            View live page
          </a>
        ) : null}
        <button type="button" class="button small secondary" onClick={() => void previewLink.make()}>
          Preview link
        </button>
        <button type="button" class="button small secondary" onClick={() => setOpen('versions')}>
          Versions
        </button>
      </span>
      <span class="narrow-actions">
        <MenuButton
          label="More"
          class="button small secondary"
          items={[
            ...(live ? [{ label: 'View live page', onSelect: () => void window.open(liveUrl, '_blank', 'noopener') }] : []),
            { label: 'Copy preview link', onSelect: () => void previewLink.make() },
            { label: 'Versions', onSelect: () => setOpen('versions') },
          ]}
        >
          More
        </MenuButton>
      </span>
      <button type="button" class="button small" {...editable()} onClick={() => setOpen('publish')}>
        Publish
      </button>
      {previewLink.dialog}
      {open === 'publish' ? <PublishDialog {...props} onClose={() => setOpen(null)} /> : null}
      {open === 'versions' ? <VersionsDrawer {...props} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function publicUrl(funnel: LoadedFunnel, page: LoadedPage): string {
  return funnel.pages.find((p) => p.id === page.id)?.url ?? `/p/${funnel.slug}/${page.slug}`;
}

/**
 * A signed link to the draft that anyone can open until it expires: copied to the clipboard, or
 * shown in a dialog to copy by hand when the browser does not allow it.
 */
function usePreviewLink(pageId: string) {
  const [shown, setShown] = useState<{ url: string; expiresAt: number } | ApiError | null>(null);
  const make = async () => {
    try {
      const created = await createPreviewLink(pageId);
      try {
        await navigator.clipboard.writeText(created.url);
        toast(`Preview link copied: anyone with it sees the draft until ${dateTime.format(created.expiresAt)}`);
      } catch {
        setShown(created);
      }
    } catch (err) {
      setShown(err as ApiError);
    }
  };
  const dialog = shown ? (
    <Dialog title="Preview link" onClose={() => setShown(null)} initialFocus="#preview-link, .dialog-actions .button">
      {'url' in shown ? (
        <>
          <p>Anyone with this link sees the current draft, never indexed, until {dateTime.format(shown.expiresAt)}.</p>
          <label for="preview-link">Link</label>
          <input id="preview-link" readOnly value={shown.url} onFocus={(e) => e.currentTarget.select()} />
        </>
      ) : (
        <InlineError error={shown} onRetry={() => void make()} title="No link was made." />
      )}
      <div class="dialog-actions">
        <button type="button" class="button secondary" onClick={() => setShown(null)}>
          Close
        </button>
      </div>
    </Dialog>
  ) : null;
  return { make, dialog };
}

function PublishDialog(props: PublishProps & { onClose: () => void }) {
  const { editor } = props;
  const weight = props.weight.value;
  const findings = props.findings.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const counts = countFindings(findings);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      // The server publishes its draft: it must have this one first.
      if (!(await editor.flush())) {
        setError(
          editor.status.value === 'conflict'
            ? 'Someone else saved this page meanwhile. Choose which version to keep (above the panes), then publish.'
            : editor.status.value === 'invalid'
              ? 'Some fields need a change before the page can be saved and published: the messages are next to them.'
              : (editor.failure.value?.message ?? 'The draft could not be saved.'),
        );
        return;
      }
      const { version, url } = await publishPage(props.page.id, editor.revision);
      props.onPageChange(await loadPage(props.page.id));
      props.onClose();
      toast(`Published: version ${version} is live at ${url}`);
    } catch (err) {
      // Someone saved the draft after this member's last save: nothing went live. The editor offers
      // their version (or mine over it), as after a refused save; the dialog says what happened.
      if (err instanceof EditConflictError) editor.conflictFound(err);
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const select = (id: string | null) => {
    props.onClose();
    props.onSelectBlock(id);
  };

  return (
    <Dialog title="Publish this page?" onClose={props.onClose} initialFocus={counts.errors ? '.finding' : '.publish-confirm'}>
      <p>
        Visitors of <code>{publicUrl(props.funnel, props.page)}</code> get this version right away. Earlier versions stay in Versions, one
        click from coming back.
      </p>
      <section class="publish-section" aria-labelledby="publish-checks">
        <h3 id="publish-checks">Accessibility</h3>
        {findings.length ? <p class="checks-count">{countsText(counts)}.</p> : null}
        {counts.errors ? (
          <p class="muted">Fix the problems first: each keeps some visitors from reading or using the page. Choose one to go to it.</p>
        ) : null}
        <FindingsList findings={findings} blocks={editor.content.value.blocks} onSelect={select} />
      </section>
      <section class="publish-section" aria-labelledby="publish-weight">
        <h3 id="publish-weight">Page weight</h3>
        {weight ? <WeightSummary weight={weight} long /> : <p class="muted">Measuring…</p>}
      </section>
      {error ? <InlineError error={error} title="Not published." /> : null}
      <div class="dialog-actions">
        <button type="button" class="button secondary publish-cancel" onClick={props.onClose}>
          Cancel
        </button>
        {counts.errors ? null : (
          <button type="button" class="button publish-confirm" disabled={busy} onClick={() => void publish()}>
            {busy ? 'Publishing…' : counts.warnings ? 'Publish anyway' : 'Publish'}
          </button>
        )}
      </div>
    </Dialog>
  );
}

function VersionsDrawer(props: PublishProps & { onClose: () => void }) {
  const { page, editor } = props;
  const [list, setList] = useState<VersionList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    setError(null);
    loadVersions(page.id).then(setList, (err: ApiError) => setError(err));
  };
  useEffect(load, [page.id, page.publishedVersionId]);
  const live = page.publishedVersionId !== null;

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const rollBack = (v: VersionList['versions'][number]) =>
    act(async () => {
      const ok = await confirm({
        title: `Roll back to version ${v.version}?`,
        message: `Version ${v.version} goes live again as a new version, and the draft becomes version ${v.version} too${
          editor.dirty.value ? ' (your unsaved changes are saved first, then replaced — Undo brings them back)' : ''
        }.`,
        confirmLabel: `Roll back to version ${v.version}`,
        danger: true,
      });
      if (!ok) return;
      if (!(await editor.flush())) throw new Error('The draft could not be saved first, so nothing was rolled back.');
      const restored = await restoreVersion(page.id, v.id, editor.revision);
      const fresh = await loadPage(page.id);
      editor.adoptServerDraft(draftOf(fresh), restored.revision);
      props.onPageChange(fresh);
      toast(`Rolled back: version ${v.version} is live again (as version ${restored.version.version})`);
    });

  const unpublish = () =>
    act(async () => {
      const ok = await confirm({
        title: 'Unpublish this page?',
        message: `Visitors of ${publicUrl(props.funnel, page)} will be told the page is gone until you publish again. The versions stay here.`,
        confirmLabel: 'Unpublish',
        danger: true,
      });
      if (!ok) return;
      await unpublishPage(page.id);
      props.onPageChange(await loadPage(page.id));
      toast('Page unpublished');
    });

  const turnOffPreviewLinks = () =>
    act(async () => {
      const ok = await confirm({
        title: 'Turn off this page’s preview links?',
        message:
          'Everyone you sent a preview link of this page will see “This preview link was turned off” instead of the draft. Links you make afterwards work as usual.',
        confirmLabel: 'Turn off preview links',
        danger: true,
      });
      if (!ok) return;
      await revokePreviewLinks(page.id);
      toast('Preview links turned off: the links made so far no longer show the draft');
    });

  return (
    <Drawer title="Versions" onClose={props.onClose}>
      {error ? <InlineError error={error} onRetry={load} /> : null}
      {!list && !error ? <Skeleton rows={3} label="Loading the versions…" /> : null}
      {list && list.versions.length === 0 ? (
        <p class="muted">Not published yet. Each time you publish, the version is kept here, and you can go back to it.</p>
      ) : null}
      {list && list.versions.length > 0 ? (
        <ol class="versions">
          {list.versions.map((v) => (
            <li key={v.id} class={v.live ? 'version live' : 'version'}>
              <div>
                <strong>Version {v.version}</strong> {v.live ? <span class="status status-live">Live</span> : null}
                <div class="muted">
                  {v.reason === 'restore'
                    ? `Rollback to version ${v.restoredFrom ?? '?'}`
                    : v.reason === 'relink'
                      ? 'Links updated'
                      : 'Published'}{' '}
                  by {v.publishedBy?.name || 'a former member'} · {dateTime.format(v.createdAt)}
                </div>
              </div>
              {v.live ? null : (
                <button
                  type="button"
                  class="button small secondary"
                  {...editable()}
                  disabled={busy || editable().disabled}
                  onClick={() => void rollBack(v)}
                >
                  Roll back to this
                </button>
              )}
            </li>
          ))}
        </ol>
      ) : null}
      <section class="preview-links" aria-labelledby="preview-links-heading">
        <h3 id="preview-links-heading">Preview links</h3>
        <p class="muted">Anyone with a preview link sees the current draft until the link expires. Sent one too widely? Turn them off.</p>
        <button
          type="button"
          class="button small secondary"
          {...editable()}
          disabled={busy || editable().disabled}
          onClick={() => void turnOffPreviewLinks()}
        >
          Turn off preview links…
        </button>
      </section>
      {live ? (
        <div class="drawer-actions">
          <button
            type="button"
            class="button danger-outline"
            {...editable()}
            disabled={busy || editable().disabled}
            onClick={() => void unpublish()}
          >
            Unpublish
          </button>
        </div>
      ) : null}
    </Drawer>
  );
}
