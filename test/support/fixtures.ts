import { FONT_STACKS, type FontStack, type PageContent } from '../../workers/domain/blocks';
import type { InferRequestType } from 'hono/client';
import type { TestClient } from './app';

type Api = TestClient['rpc']['api'];
/** A new page as the API takes it, and one of its blocks (the route's own input types). */
export type NewPage = InferRequestType<Api['funnels'][':id']['pages']['$post']>['json'];
export type PageBlock = NewPage['content']['blocks'][number];
export type PageEdit = Omit<InferRequestType<Api['pages'][':id']['$patch']>['json'], 'baseRevision'>;

/** Saves an edit on top of the page's current revision, as the editor does after loading the page. */
export async function savePage(client: TestClient, pageId: string, edit: PageEdit) {
  const page = await (await client.rpc.api.pages[':id'].$get({ param: { id: pageId } })).json();
  return client.rpc.api.pages[':id'].$patch({ param: { id: pageId }, json: { ...edit, baseRevision: page.revision } });
}

const fontStack = Object.keys(FONT_STACKS)[0] as FontStack;

/** A small valid page with one lead form, for tests that need a form of their own. */
export function leadFormPage(overrides: { title?: string; consent?: string } = {}): PageContent {
  return {
    settings: {
      title: overrides.title ?? 'Spring newsletter',
      noindex: false,
      theme: { primary: '#9d174d', background: '#fffaf8', text: '#1c1f26', fontStack },
    },
    blocks: [
      { id: 'hero', type: 'hero', headline: 'Get the spring offers first' },
      {
        id: 'signup',
        type: 'lead_form',
        title: 'Join the list',
        fields: [
          { name: 'email', label: 'Email', kind: 'email', required: true },
          { name: 'name', label: 'Name', kind: 'name', required: false },
          { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
        ],
        submitLabel: 'Subscribe',
        consent: { text: overrides.consent ?? 'Email me offers from Demo Shop. I can unsubscribe at any time.', required: true },
      },
    ],
  };
}

/** Signs in as the demo owner, creates a funnel with one published lead-form page; returns its ids. */
export async function publishLeadFormFunnel(client: TestClient, slug = 'spring'): Promise<{ funnelId: string; pageId: string }> {
  const funnel = await (await client.rpc.api.funnels.$post({ json: { name: 'Spring', slug } })).json();
  const page = await (
    await client.rpc.api.funnels[':id'].pages.$post({
      param: { id: funnel.id },
      json: { slug: 'join', name: 'Join', kind: 'landing', content: leadFormPage() },
    })
  ).json();
  const published = await client.rpc.api.pages[':id'].publish.$post({ param: { id: page.id }, json: {} });
  if (published.status !== 201) throw new Error(`publish failed: ${String(published.status)} ${await published.text()}`);
  return { funnelId: funnel.id, pageId: page.id };
}
