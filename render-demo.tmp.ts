import { DEMO_FUNNEL_PAGES } from './pages-ui/landing/demo-funnel';
import { renderPublishedHtml } from './pages-ui/landing/funnel-page';
import { FUNNEL_TEMPLATES } from './workers/domain/templates';
const out: string[] = [];
for (const t of FUNNEL_TEMPLATES) { const sib = t.pages.map((p, i) => ({ slug: p.slug, position: i })); for (const p of t.pages) out.push(renderPublishedHtml(p.content, t.suggestedSlug, p.slug, sib)); }
process.stdout.write(out.join('\n=====\n'));
