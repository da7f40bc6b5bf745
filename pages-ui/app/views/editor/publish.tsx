/**
 * Publishing from the editor: Publish (after a look at the page's checks and weight), the
 * versions drawer (who published what when, roll back, unpublish), and a shareable preview link.
 */
import { useState } from 'preact/hooks';
import type { ApiError } from '../../api';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { Dialog } from '../../shell/dialog';
import { InlineError } from '../../shell/feedback';
import { toast } from '../../shell/toasts';
import { Drawer } from './drawer';
import { loadPage, publishPage, unpublishPage, type LoadedFunnel, type LoadedPage } from './editor-api';
import { WeightSummary, usePageWeight } from './weight-meter';
import type { EditorState } from './state';

const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });

interface PublishProps {
  editor: EditorState;
  page: LoadedPage;
  funnel: LoadedFunnel;
  /** The latest preview rendering (for the weight). */
  html: string;
  onPageChange: (page: LoadedPage) => void;
  onSelectBlock: (id: string | null) => void;
}

export function PublishControls(props: PublishProps) {
  const [open, setOpen] = useState<'publish' | 'versions' | null>(null);
  const live = props.page.publishedVersionId !== null;
  return (
    <>
      <span class={live ? 'status status-live' : 'status'}>{live ? 'Published' : 'Not published'}</span>
      <button type="button" class="button small secondary" onClick={() => setOpen('versions')}>
        Versions
      </button>
      <button type="button" class="button small" {...editable()} onClick={() => setOpen('publish')}>
        Publish
      </button>
      {open === 'publish' ? <PublishDialog {...props} onClose={() => setOpen(null)} /> : null}
      {open === 'versions' ? <VersionsDrawer {...props} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function publicUrl(funnel: LoadedFunnel, page: LoadedPage): string {
  return funnel.pages.find((p) => p.id === page.id)?.url ?? `/p/${funnel.slug}/${page.slug}`;
}

function PublishDialog(props: PublishProps & { onClose: () => void }) {
  const { editor } = props;
  const weight = usePageWeight(props.html);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      // The server publishes its draft: it must have this one first.
      if (!(await editor.flush())) {
        setError(
          editor.status.value === 'conflict'
            ? 'Someone else saved this page meanwhile. Choose which version to keep (above), then publish.'
            : editor.status.value === 'invalid'
              ? 'Some fields need a change before the page can be saved and published.'
              : (editor.failure.value?.message ?? 'The draft could not be saved.'),
        );
        return;
      }
      const version = await publishPage(props.page.id);
      props.onPageChange(await loadPage(props.page.id));
      props.onClose();
      toast(`Published version ${version.version}: ${version.url}`);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Publish this page?" onClose={props.onClose} initialFocus=".publish-confirm">
      <p>
        Visitors of <code>{publicUrl(props.funnel, props.page)}</code> get this version right away.
      </p>
      <section class="publish-section" aria-labelledby="publish-weight">
        <h3 id="publish-weight">Page weight</h3>
        {weight ? <WeightSummary weight={weight} long /> : <p class="muted">Measuring…</p>}
      </section>
      {error ? <InlineError error={error} title="Not published." /> : null}
      <div class="dialog-actions">
        <button type="button" class="button secondary" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" class="button publish-confirm" disabled={busy} onClick={() => void publish()}>
          {busy ? 'Publishing…' : 'Publish'}
        </button>
      </div>
    </Dialog>
  );
}

function VersionsDrawer(props: PublishProps & { onClose: () => void }) {
  const { page } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const live = page.publishedVersionId !== null;

  const unpublish = async () => {
    const ok = await confirm({
      title: 'Unpublish this page?',
      message: `Visitors of ${publicUrl(props.funnel, page)} will get “page gone” until you publish again. The versions stay here.`,
      confirmLabel: 'Unpublish',
      danger: true,
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      await unpublishPage(page.id);
      props.onPageChange(await loadPage(page.id));
      toast('Page unpublished');
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer title="Versions" onClose={props.onClose}>
      {error ? <InlineError error={error} /> : null}
      {page.versions.length === 0 ? (
        <p class="muted">Not published yet. Each time you publish, the version is kept here, and you can go back to it.</p>
      ) : (
        <ol class="versions">
          {page.versions.map((v) => (
            <li key={v.id} class={v.id === page.publishedVersionId ? 'version live' : 'version'}>
              <div>
                <strong>Version {v.version}</strong>{' '}
                {v.id === page.publishedVersionId ? <span class="status status-live">Live</span> : null}
                <div class="muted">{dateTime.format(v.createdAt)}</div>
              </div>
            </li>
          ))}
        </ol>
      )}
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
