import { api, call } from '../../api';
import { formatCount, formatShare } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { DomainPanel } from './domain-panel';
import { DuplicateFunnel } from './duplicate-funnel';
import { EmbedPanel } from './embed-panel';
import { CookielessSetting, DeleteFunnel, NameAndAddress } from './funnel-settings';
import { PagesPanel, type PageNumbers } from './pages-panel';
import { TurnstilePanel } from './turnstile-panel';
import './funnels.css';

/**
 * One funnel: its last 30 days at the top, its pages in visiting order (reorder, stage, numbers,
 * add, delete, open in the editor), then its settings: name and address, tracking, deletion.
 */
export default function FunnelDetail(props: { id: string }) {
  const funnel = useResource(() => call(api.funnels[':id'].$get({ param: { id: props.id } })), [props.id]);
  const stats = useResource(() => call(api.funnels.stats.$get({ query: {} })), [props.id]);
  const pageStats = useResource(async () => {
    const result = await call(api.funnels[':id']['page-stats'].$get({ param: { id: props.id }, query: {} }));
    return new Map<string, PageNumbers>(result.pages.map((p) => [p.pageId, { views: p.views, conversions: p.conversions }]));
  }, [props.id]);
  // The slugs taken in this workspace, for the duplicate dialog's live check.
  const funnels = useResource(() => call(api.funnels.$get()), [props.id]);
  const f = funnel.data;
  const numbers = stats.data?.funnels.find((s) => s.funnelId === props.id);

  if (funnel.error?.status === 404) {
    return (
      <View title="Funnel not found" crumbs={[{ href: '/app/funnels', label: 'Funnels' }]}>
        <EmptyState title="There is no such funnel in this workspace" action={<a href="/app/funnels">See all funnels</a>}>
          It may have been deleted, or it belongs to another of your workspaces: switch workspace in the menu.
        </EmptyState>
      </View>
    );
  }

  const firstLive = f?.pages[0]?.publishedVersionId ? f.pages[0] : undefined;
  return (
    <View
      title={f?.name ?? 'Funnel'}
      crumbs={[{ href: '/app/funnels', label: 'Funnels' }]}
      lede={
        f ? (
          <>
            {firstLive ? 'Live at ' : 'Will answer at '}
            {firstLive ? (
              <a href={`/p/${f.slug}`} target="_blank" rel="noopener">
                /p/{f.slug}
              </a>
            ) : (
              <code>/p/{f.slug}</code>
            )}
            {f.customDomain ? <> and https://{f.customDomain}/</> : null}
            {firstLive ? null : ' once its first page is published.'}
          </>
        ) : undefined
      }
      actions={
        firstLive && f ? (
          <a class="button secondary" href={`/p/${f.slug}`} target="_blank" rel="noopener">
            View live funnel<span class="visually-hidden"> (opens a new tab)</span>
          </a>
        ) : undefined
      }
    >
      {funnel.error ? <InlineError error={funnel.error} onRetry={() => funnel.reload()} title="The funnel did not load." /> : null}
      {!f && funnel.loading ? <Skeleton rows={6} label="Loading the funnel…" /> : null}
      {f ? (
        <>
          <section aria-labelledby="numbers-heading" class="funnel-numbers">
            <h2 id="numbers-heading" class="visually-hidden">
              Last 30 days
            </h2>
            {stats.error ? (
              <InlineError error={stats.error} onRetry={() => stats.reload()} title="The numbers did not load." />
            ) : (
              <dl class="metrics metric-cards">
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
            <p class="muted small">
              Last 30 days{stats.data ? `, ${stats.data.period.from} to ${stats.data.period.to}` : ''}. Conversion is leads ÷ visitors.{' '}
              <a href={`/app/leads?funnel=${encodeURIComponent(f.id)}`}>See this funnel’s leads</a>
            </p>
          </section>
          <PagesPanel
            funnel={f}
            numbers={pageStats.data}
            numbersError={pageStats.error}
            onNumbersRetry={() => pageStats.reload()}
            onFunnel={(fresh) => funnel.mutate(() => fresh)}
            onReload={() => {
              funnel.reload();
              pageStats.reload();
            }}
          />
          <NameAndAddress funnel={f} onFunnel={(fresh) => funnel.mutate(() => fresh)} />
          <DomainPanel funnel={f} onFunnel={(fresh) => funnel.mutate(() => fresh)} />
          <section class="panel" aria-labelledby="tracking-heading">
            <h2 id="tracking-heading">Tracking</h2>
            <CookielessSetting />
          </section>
          <EmbedPanel funnel={f} />
          <TurnstilePanel funnel={f} />
          <section class="panel danger-zone" aria-labelledby="danger-heading">
            <h2 id="danger-heading">Duplicate or delete</h2>
            <DuplicateFunnel funnel={f} takenSlugs={funnels.data?.funnels.map((x) => x.slug) ?? []} />
            <DeleteFunnel funnel={f} />
          </section>
        </>
      ) : null}
    </View>
  );
}
