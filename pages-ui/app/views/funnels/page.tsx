import { api, call } from '../../api';
import { formatDate } from '../../format';
import { EmptyState, InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { kindLabel } from './stages';

type Block = { id: string; type: string } & Record<string, unknown>;

const BLOCK_LABELS: Record<string, string> = {
  hero: 'Hero',
  rich_text: 'Text',
  image: 'Image',
  features: 'Features',
  testimonials: 'Testimonials',
  cta: 'Call to action',
  lead_form: 'Lead form',
  quiz: 'Quiz',
  lead_magnet: 'Lead magnet',
  chat_capture: 'Chat capture',
  offer: 'Offer',
  countdown: 'Countdown',
  faq: 'FAQ',
  video: 'Video',
};

/** The words a block shows first (its headline, title or text), to tell blocks apart in a list. */
function blockSummary(block: Block): string {
  for (const key of ['headline', 'title', 'heading', 'question', 'label', 'markdown', 'text', 'url']) {
    const value = block[key];
    if (typeof value === 'string' && value.trim()) return value.replace(/\s+/g, ' ').slice(0, 140);
  }
  const image = block.image as { alt?: string } | undefined;
  if (image?.alt) return image.alt;
  return '';
}

/** A page of a funnel: its name, status and blocks in order (read-only; the page editor edits them). */
export default function FunnelPage(props: { id: string; pageId: string }) {
  const page = useResource(() => call(api.pages[':id'].$get({ param: { id: props.pageId } })), [props.pageId]);
  // For the breadcrumb's name and the page's public address; the page shows without it.
  const funnel = useResource(() => call(api.funnels[':id'].$get({ param: { id: props.id } })), [props.id]);
  const p = page.data;
  const address = funnel.data?.pages.find((fp) => fp.id === props.pageId)?.url;
  const crumbs = [
    { href: '/app/funnels', label: 'Funnels' },
    { href: `/app/funnels/${props.id}`, label: funnel.data?.name ?? 'Funnel' },
  ];
  if (page.error?.status === 404) {
    return (
      <View title="Page not found" crumbs={crumbs}>
        <EmptyState title="There is no such page in this workspace" action={<a href={`/app/funnels/${props.id}`}>Back to the funnel</a>}>
          It may have been deleted.
        </EmptyState>
      </View>
    );
  }
  const blocks = (p?.draft as { blocks?: Block[] } | undefined)?.blocks ?? [];
  return (
    <View
      title={p?.name ?? 'Page'}
      crumbs={crumbs}
      lede={
        p ? (
          <>
            {kindLabel(p.kind)} ·{' '}
            <span class={p.publishedVersionId ? 'status status-live' : 'status'}>
              {p.publishedVersionId ? 'Published' : 'Not published'}
            </span>
            {address ? (
              <>
                {' '}
                ·{' '}
                <a href={p.publishedVersionId ? address : `${address}?preview`} target="_blank" rel="noopener">
                  {p.publishedVersionId ? `Open ${address}` : 'Preview the draft'}
                </a>
              </>
            ) : null}
          </>
        ) : undefined
      }
    >
      {page.error ? <InlineError error={page.error} onRetry={page.reload} title="The page did not load." /> : null}
      {!p && page.loading ? <Skeleton rows={5} label="Loading the page…" /> : null}
      {p ? (
        <>
          <section class="panel" aria-labelledby="blocks">
            <h2 id="blocks">Blocks</h2>
            {blocks.length === 0 ? (
              <p class="muted">This page has no blocks yet.</p>
            ) : (
              <ol class="block-list">
                {blocks.map((b) => (
                  <li key={b.id}>
                    <span class="tag">{BLOCK_LABELS[b.type] ?? b.type}</span> <span>{blockSummary(b)}</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section class="panel" aria-labelledby="versions">
            <h2 id="versions">Published versions</h2>
            {p.versions.length === 0 ? (
              <p class="muted">Not published yet.</p>
            ) : (
              <ul class="plain-list">
                {p.versions.map((v) => (
                  <li key={v.id}>
                    Version {v.version} · {formatDate(v.createdAt)}
                    {v.id === p.publishedVersionId ? (
                      <>
                        {' '}
                        <span class="status status-live">Live</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </View>
  );
}
