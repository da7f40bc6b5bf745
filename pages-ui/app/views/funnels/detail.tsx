import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, type ApiError, call } from '../../api';
import { formatCount, formatDate, formatShare } from '../../format';
import { editable } from '../../shell/can-edit';
import { confirm } from '../../shell/confirm';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { canEdit } from '../../state';
import { toast } from '../../shell/toasts';
import { View } from '../../shell/view';
import { kindLabel, pageViewStage, STAGE_LABELS } from './stages';

/** A new funnel's first page: a landing page with one headline, ready for the page editor. */
function starterPage(funnelName: string) {
  return {
    slug: 'start',
    name: 'Landing page',
    kind: 'landing' as const,
    content: {
      settings: {
        title: funnelName,
        noindex: false,
        theme: { primary: '#4338ca', background: '#ffffff', text: '#1c1f26', fontStack: 'system' as const },
      },
      blocks: [{ id: 'hero', type: 'hero' as const, headline: funnelName }],
    },
  };
}

/** One funnel: its numbers for the last 30 days and its pages in order, each with its stage and status. */
export default function FunnelDetail(props: { id: string }) {
  const { route } = useLocation();
  const funnel = useResource(() => call(api.funnels[':id'].$get({ param: { id: props.id } })), [props.id]);
  const stats = useResource(() => call(api.funnels.stats.$get({ query: {} })), [props.id]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const f = funnel.data;
  const numbers = stats.data?.funnels.find((s) => s.funnelId === props.id);

  const addFirstPage = async () => {
    if (!f) return;
    setBusy(true);
    setActionError(null);
    try {
      const page = await call(api.funnels[':id'].pages.$post({ param: { id: f.id }, json: starterPage(f.name) }));
      toast('Landing page added');
      route(`/app/funnels/${f.id}/pages/${page.id}`);
    } catch (err) {
      setActionError(err as ApiError);
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!f) return;
    const pages = f.pages.length;
    const ok = await confirm({
      title: `Delete “${f.name}”?`,
      message: `Its ${pages === 1 ? 'page' : `${pages} pages`} stop answering at /p/${f.slug} at once, and the funnel's reports go with it. Leads it brought in stay in Leads.`,
      confirmLabel: 'Delete funnel',
      danger: true,
    });
    if (!ok) return;
    setActionError(null);
    try {
      await call(api.funnels[':id'].$delete({ param: { id: f.id } }));
      toast(`Funnel “${f.name}” deleted`);
      route('/app/funnels');
    } catch (err) {
      setActionError(err as ApiError);
    }
  };

  if (funnel.error?.status === 404) {
    return (
      <View title="Funnel not found" crumbs={[{ href: '/app/funnels', label: 'Funnels' }]}>
        <EmptyState title="There is no such funnel in this workspace" action={<a href="/app/funnels">See all funnels</a>}>
          It may have been deleted, or it belongs to another of your workspaces: switch workspace in the menu.
        </EmptyState>
      </View>
    );
  }

  return (
    <View
      title={f?.name ?? 'Funnel'}
      crumbs={[{ href: '/app/funnels', label: 'Funnels' }]}
      lede={
        f ? (
          <>
            Live at{' '}
            <a href={`/p/${f.slug}`} target="_blank" rel="noopener">
              /p/{f.slug}
            </a>
            {f.customDomain ? <> and https://{f.customDomain}/</> : null}
          </>
        ) : undefined
      }
      actions={
        f ? (
          <button type="button" class="button danger-outline" onClick={() => void remove()} {...editable()}>
            Delete funnel
          </button>
        ) : undefined
      }
    >
      {funnel.error ? <InlineError error={funnel.error} onRetry={funnel.reload} title="The funnel did not load." /> : null}
      {actionError ? <InlineError error={actionError} /> : null}
      {!f && funnel.loading ? <Skeleton rows={5} label="Loading the funnel…" /> : null}
      {f ? (
        <>
          <section aria-labelledby="numbers" class="panel">
            <h2 id="numbers">Last 30 days</h2>
            {stats.error ? (
              <InlineError error={stats.error} onRetry={stats.reload} />
            ) : (
              <dl class="metrics">
                <div>
                  <dt>Visitors</dt>
                  <dd>{numbers ? formatCount(numbers.visitors) : '…'}</dd>
                </div>
                <div>
                  <dt>Leads</dt>
                  <dd>{numbers ? formatCount(numbers.leads) : '…'}</dd>
                </div>
                <div>
                  <dt>Conversion</dt>
                  <dd>{numbers ? formatShare(numbers.conversion) : '…'}</dd>
                </div>
              </dl>
            )}
          </section>
          <section aria-labelledby="pages" class="panel">
            <h2 id="pages">Pages</h2>
            {f.pages.length === 0 ? (
              <EmptyState
                title="This funnel has no pages yet"
                action={
                  <button
                    type="button"
                    class="button"
                    onClick={() => void addFirstPage()}
                    {...editable()}
                    disabled={busy || !canEdit.value}
                  >
                    {busy ? 'Adding…' : 'Add a landing page'}
                  </button>
                }
              >
                Visitors start on the first page. Add a landing page, then fill it with blocks and publish it.
              </EmptyState>
            ) : (
              <ol class="page-list">
                {f.pages.map((p, i) => {
                  const stage = pageViewStage(f.settings, p.slug);
                  return (
                    <li key={p.id} class="page-row">
                      <span class="page-step" aria-hidden="true">
                        {i + 1}
                      </span>
                      <div class="page-main">
                        <a href={`/app/funnels/${f.id}/pages/${p.id}`} class="page-name">
                          {p.name}
                        </a>
                        <span class="muted">
                          {kindLabel(p.kind)} · <code>{p.url}</code>
                        </span>
                      </div>
                      <div class="page-meta">
                        <span class="tag">{stage ? `Stage: ${STAGE_LABELS[stage]}` : 'No stage'}</span>
                        <span class={p.publishedVersionId ? 'status status-live' : 'status'}>
                          {p.publishedVersionId ? 'Published' : 'Not published'}
                        </span>
                        <span class="muted">Edited {formatDate(p.updatedAt)}</span>
                      </div>
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        </>
      ) : null}
    </View>
  );
}
