import { useLocation } from 'preact-iso/router';
import type { TemplateSummary } from '../../../../workers/contract';
import { api, call } from '../../api';
import { editable } from '../../shell/can-edit';
import { InlineError, Skeleton } from '../../shell/feedback';
import { useResource } from '../../shell/resource';
import { View } from '../../shell/view';
import { canEdit } from '../../state';
import { NewFunnelDialog } from './new-funnel';
import { STAGE_LABELS } from './stages';
import { UseTemplateDialog } from './use-template';
import './funnels.css';

/** What a funnel-creating dialog needs to know: the slugs this workspace already uses. */
async function loadGallery() {
  const [{ templates }, { funnels }] = await Promise.all([call(api.templates.$get()), call(api.funnels.$get())]);
  return { templates, takenSlugs: funnels.map((f) => f.slug) };
}

/**
 * Creating a funnel: blank, or from a template of the gallery, each shown by its first page as the
 * renderer draws it. The chosen template is in the URL (`?template=quiz-funnel`), so the dialog
 * survives a reload and Back closes it.
 */
export default function NewFunnel() {
  const { query, route, path } = useLocation();
  const gallery = useResource(loadGallery);
  const chosen = query.template;
  const template = chosen ? gallery.data?.templates.find((t) => t.id === chosen) : undefined;
  const close = () => route(path, true);

  return (
    <View
      title="New funnel"
      crumbs={[{ href: '/app/funnels', label: 'Funnels' }]}
      lede="Start from a complete funnel — pages, stages, lead scoring and a qualification rule — and make it yours, or start blank."
    >
      {gallery.error ? <InlineError error={gallery.error} onRetry={() => gallery.reload()} title="The templates did not load." /> : null}
      <ul class="template-grid" aria-label="Ways to start">
        <li class="template-card blank-card">
          <div class="thumb thumb-blank" aria-hidden="true">
            <span>+</span>
          </div>
          <div class="template-body">
            <h2 class="template-name">Blank funnel</h2>
            <p>An empty funnel: add pages one by one and build each in the editor.</p>
            <div class="template-actions">
              <StartLink class="button secondary" href={`${path}?template=blank`} label="Start blank" />
            </div>
          </div>
        </li>
        {!gallery.data && gallery.loading
          ? [1, 2, 3].map((i) => (
              <li key={i} class="template-card">
                <Skeleton rows={3} label={i === 1 ? 'Loading templates…' : ''} />
              </li>
            ))
          : null}
        {gallery.data?.templates.map((t) => (
          <TemplateCard key={t.id} template={t} href={`${path}?template=${encodeURIComponent(t.id)}`} />
        ))}
      </ul>
      {chosen === 'blank' && gallery.data ? <NewFunnelDialog onClose={close} takenSlugs={gallery.data.takenSlugs} /> : null}
      {template && gallery.data ? <UseTemplateDialog template={template} takenSlugs={gallery.data.takenSlugs} onClose={close} /> : null}
    </View>
  );
}

/**
 * A link that starts creating a funnel; for a viewer, a disabled button in its place (with the
 * read-only note as its description), like every other control they cannot use.
 */
function StartLink(props: { href: string; label: string; ariaLabel?: string; class: string }) {
  if (!canEdit.value) {
    return (
      <button type="button" class={props.class} aria-label={props.ariaLabel} {...editable()}>
        {props.label}
      </button>
    );
  }
  return (
    <a class={props.class} href={props.href} aria-label={props.ariaLabel}>
      {props.label}
    </a>
  );
}

function TemplateCard(props: { template: TemplateSummary; href: string }) {
  const t = props.template;
  const headingId = `template-${t.id}`;
  return (
    <li class="template-card">
      <div class="thumb" aria-hidden="true">
        {/*
          The renderer's own output, scaled down: a picture, not a page to use (no pointer, no focus).
          Its islands run as on a published page (a countdown ticks), but in an opaque origin that
          can reach neither the app nor its cookies, and it cannot navigate the app.
        */}
        <iframe src={t.thumbnailUrl} title={`${t.name}: first page`} tabIndex={-1} loading="lazy" sandbox="allow-scripts" scrolling="no" />
      </div>
      <div class="template-body">
        <span class="tag">{t.goalLabel}</span>
        <h2 class="template-name" id={headingId}>
          {t.name}
        </h2>
        <p>{t.description}</p>
        <ol class="template-pages" aria-label={`The ${t.pages.length} pages of ${t.name}`}>
          {t.pages.map((p) => (
            <li key={p.slug}>
              <span>{p.name}</span> <span class="muted">· {STAGE_LABELS[p.stage] ?? p.stage}</span>
            </li>
          ))}
        </ol>
        <p class="muted small">
          <strong>Qualifies:</strong> {t.qualification.summary}
        </p>
        <div class="template-actions">
          <a class="button secondary" href={t.thumbnailUrl} target="_blank" rel="noopener">
            Preview<span class="visually-hidden"> {t.name} (opens a new tab)</span>
          </a>
          <StartLink class="button" href={props.href} label="Use this template" ariaLabel={`Use this template: ${t.name}`} />
        </div>
      </div>
    </li>
  );
}
