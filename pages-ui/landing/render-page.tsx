/**
 * Landing pages: validated page content → one complete HTML document, rendered by Preact (so
 * every piece of marketer or visitor text is escaped by the renderer, never concatenated). The
 * document carries its own CSS, the islands script only when it has a quiz or chat capture, and
 * (except in draft previews) the visitor tracker.
 */
import { renderToString } from 'preact-render-to-string';
import type { Block, PageContent } from '../../workers/domain/blocks';
import { videoFrameOrigin } from '../../workers/domain/video-embeds';
import {
  BlockIndex,
  CountdownView,
  CtaView,
  FaqView,
  FeaturesView,
  HeroView,
  ImageView,
  OfferView,
  Section,
  TestimonialsView,
  VideoView,
} from './block-views';
import { ChatView, LeadFormView, LeadMagnetView, QuizView } from './capture-views';
import { TRACKER_JS, TRACKER_JS_SHA256 } from '../tracker/generated';
import { COUNTDOWN_JS, COUNTDOWN_JS_SHA256 } from './generated/countdown';
import { ISLANDS_JS, ISLANDS_JS_SHA256 } from './generated/islands';
import type { RenderContext } from './render-context';
import { RichText } from './rich-text';
import { landingCss } from './styles';
import { buttonStyleCss, themeCss } from './theme';

export { HONEYPOT_FIELD, SUBMISSION_TOKEN_PLACEHOLDER } from './form-constants';
export type { RenderContext } from './render-context';

function BlockView(props: { block: Block; ctx: RenderContext; isPageHeading: boolean; lang: string }) {
  const { block, ctx } = props;
  switch (block.type) {
    case 'hero':
      return <HeroView block={block} ctx={ctx} isPageHeading={props.isPageHeading} />;
    case 'rich_text':
      return (
        <Section id={block.id}>
          <div class="n">
            <RichText markdown={block.markdown} />
          </div>
        </Section>
      );
    case 'image':
      return <ImageView block={block} />;
    case 'features':
      return <FeaturesView block={block} />;
    case 'testimonials':
      return <TestimonialsView block={block} />;
    case 'cta':
      return <CtaView block={block} ctx={ctx} />;
    case 'lead_form':
      return <LeadFormView block={block} ctx={ctx} />;
    case 'quiz':
      return <QuizView block={block} ctx={ctx} />;
    case 'lead_magnet':
      return <LeadMagnetView block={block} ctx={ctx} />;
    case 'chat_capture':
      return <ChatView block={block} ctx={ctx} />;
    case 'offer':
      return <OfferView block={block} ctx={ctx} />;
    case 'countdown':
      return <CountdownView block={block} ctx={ctx} lang={props.lang} />;
    case 'faq':
      return <FaqView block={block} />;
    case 'video':
      return <VideoView block={block} />;
  }
}

const ISLAND_BLOCK_TYPES: ReadonlySet<Block['type']> = new Set(['quiz', 'chat_capture']);

/** Whether a page can show an island (a quiz or a chat capture), i.e. may run the islands script. */
function pageHasIslands(content: PageContent): boolean {
  return content.blocks.some((block) => ISLAND_BLOCK_TYPES.has(block.type));
}

/** Whether this rendering shows an island: a finished quiz or chat is plain HTML. */
function rendersIslands(content: PageContent, ctx: RenderContext): boolean {
  return content.blocks.some(
    (block) =>
      (block.type === 'quiz' && ctx.quizResult?.blockId !== block.id) ||
      (block.type === 'chat_capture' && ctx.formDone?.blockId !== block.id),
  );
}

/** Whether this rendering shows a running countdown (one past its deadline is plain text). */
function rendersCountdown(content: PageContent, ctx: RenderContext): boolean {
  return content.blocks.some((block) => block.type === 'countdown' && !(ctx.now !== undefined && ctx.now >= block.endsAt));
}

function LandingDocument(props: { content: PageContent; ctx: RenderContext }) {
  const { settings, blocks } = props.content;
  const { ctx } = props;
  const lang = settings.lang ?? 'en';
  const pageHeading = blocks.find((block) => block.type === 'hero');
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{settings.title}</title>
        {/* No favicon request per visit (on Workers each would be a billed request answering 404). */}
        <link rel="icon" href="data:," />
        {settings.description && <meta name="description" content={settings.description} />}
        {(settings.noindex || ctx.preview || ctx.sample) && <meta name="robots" content="noindex,nofollow" />}
        <meta property="og:type" content="website" />
        <meta property="og:title" content={settings.title} />
        {settings.description && <meta property="og:description" content={settings.description} />}
        {settings.ogImage && <meta property="og:image" content={settings.ogImage} />}
        <meta name="twitter:card" content={settings.ogImage ? 'summary_large_image' : 'summary'} />
        <meta name="theme-color" content={settings.theme.primary} />
        <style
          dangerouslySetInnerHTML={{
            __html:
              themeCss(settings.theme) +
              landingCss(
                blocks.map((block) => block.type),
                { logo: !!settings.theme.logo, preview: !!ctx.preview },
              ) +
              buttonStyleCss(settings.theme),
          }}
        />
      </head>
      <body>
        {ctx.preview && (
          <aside aria-label="Preview">
            <p class="pv">Draft preview: visitors still see the published version.</p>
          </aside>
        )}
        {settings.theme.logo && (
          <header class="top">
            <div class="w">
              <img
                src={settings.theme.logo.src}
                alt={settings.theme.logo.alt}
                width={settings.theme.logo.width}
                height={settings.theme.logo.height}
              />
            </div>
          </header>
        )}
        <main>
          {!pageHeading && <h1 class="sr">{settings.title}</h1>}
          {blocks.map((block, index) => {
            const view = <BlockView block={block} ctx={ctx} isPageHeading={block === pageHeading} lang={lang} />;
            return ctx.markBlocks ? <BlockIndex.Provider value={index}>{view}</BlockIndex.Provider> : view;
          })}
        </main>
        {rendersIslands(props.content, ctx) && <script type="module" dangerouslySetInnerHTML={{ __html: ISLANDS_JS }} />}
        {/* Classic, so it ticks before the first paint rather than after the deferred islands. */}
        {rendersCountdown(props.content, ctx) && <script dangerouslySetInnerHTML={{ __html: COUNTDOWN_JS }} />}
        {/* A classic script: it runs right here, before the deferred islands module can report. */}
        {!ctx.preview && !ctx.sample && <script dangerouslySetInnerHTML={{ __html: TRACKER_JS }} />}
      </body>
    </html>
  );
}

/** The full `<!doctype html>` document for a page. Forms carry `SUBMISSION_TOKEN_PLACEHOLDER`. */
export function renderLandingPage(content: PageContent, ctx: RenderContext): string {
  return `<!doctype html>${renderToString(<LandingDocument content={content} ctx={ctx} />)}`;
}

/**
 * The Content-Security-Policy for a page: nothing but its own inline style, the tracker and the
 * islands and countdown scripts (by hash; each only where its blocks are), beacons to this site,
 * images, the allow-listed video players it embeds, and form posts to this site (plus the origins
 * of external success targets, which browsers check on the redirect that follows a post).
 */
export function contentSecurityPolicy(content: PageContent): string {
  const frameOrigins = new Set<string>();
  const formOrigins = new Set<string>(["'self'"]);
  for (const block of content.blocks) {
    if (block.type === 'video') frameOrigins.add(videoFrameOrigin(block.provider));
    if ((block.type === 'lead_form' || block.type === 'chat_capture') && block.successTarget?.kind === 'url') {
      formOrigins.add(new URL(block.successTarget.url).origin);
    }
  }
  const directives = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' https: data:",
    "connect-src 'self'",
    `form-action ${[...formOrigins].join(' ')}`,
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ];
  const scripts = [`'sha256-${TRACKER_JS_SHA256}'`];
  if (pageHasIslands(content)) scripts.push(`'sha256-${ISLANDS_JS_SHA256}'`);
  if (content.blocks.some((block) => block.type === 'countdown')) scripts.push(`'sha256-${COUNTDOWN_JS_SHA256}'`);
  directives.push(`script-src ${scripts.join(' ')}`);
  if (frameOrigins.size) directives.push(`frame-src ${[...frameOrigins].join(' ')}`);
  return directives.join('; ');
}
