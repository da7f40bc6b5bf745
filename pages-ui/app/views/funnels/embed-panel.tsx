import { api, call } from '../../api';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { CopyButton } from './copy-button';
import type { Funnel } from './types';

/**
 * The funnel's lead forms as snippets for another site: one `<script>` tag each, with a copy
 * button. An embed shows the published form, so a form only in a draft says it must be published
 * first; the sites allowed to post are the workspace's allowed origins.
 */
export function EmbedPanel(props: { funnel: Funnel }) {
  const { funnel } = props;
  // Pages added, removed or published change the forms: load again when the funnel does.
  const embeds = useResource(
    () => call(api.funnels[':id'].embeds.$get({ param: { id: funnel.id } })),
    [funnel.id, funnel.updatedAt, funnel.pages.map((p) => `${p.id}:${p.publishedVersionId ?? ''}`).join()],
  );
  const data = embeds.data;
  return (
    <section class="panel" aria-labelledby="embed-heading">
      <h2 id="embed-heading">Embed a form on your site</h2>
      <p class="field-hint">
        Paste a snippet where the form should appear on your own site. Leads it collects count in this funnel, with their consent wording.
      </p>
      {embeds.error ? <InlineError error={embeds.error} onRetry={() => embeds.reload()} title="The embed snippets did not load." /> : null}
      {!data && embeds.loading ? <Skeleton rows={2} label="Loading the embed snippets…" /> : null}
      {data && data.forms.length === 0 ? (
        <p class="muted">
          This funnel has no lead form yet. Add a lead form block to one of its pages in the editor, publish it, and its snippet appears
          here.
        </p>
      ) : null}
      {data?.forms.map((form) => {
        const id = `snippet-${form.embedId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return (
          <div key={form.embedId} class="embed">
            <div class="embed-head">
              <label for={id}>
                {form.title ?? 'Lead form'} <span class="muted">on {form.pageName}</span>
              </label>
              {form.published ? (
                <CopyButton text={form.snippet} label="Copy snippet" what="Embed snippet" />
              ) : (
                <span class="status">Publish the page first</span>
              )}
            </div>
            <textarea id={id} class="snippet" readOnly rows={2} value={form.snippet} onFocus={(e) => e.currentTarget.select()} />
          </div>
        );
      })}
      {data && data.forms.length > 0 ? (
        <p class="field-hint">
          {data.allowedOrigins.length
            ? `Forms may be embedded on ${data.allowedOrigins.join(', ')}.`
            : 'No site is allowed to embed forms yet: a workspace owner adds your site’s address (e.g. https://shop.example.com) to the allowed origins in Settings.'}
        </p>
      ) : null}
    </section>
  );
}
