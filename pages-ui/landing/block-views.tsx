/** Server views of the content blocks (everything that is not a capture form). */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type {
  CountdownBlock,
  CtaBlock,
  FaqBlock,
  FeaturesBlock,
  HeroBlock,
  ImageBlock,
  OfferBlock,
  TestimonialsBlock,
  VideoBlock,
} from '../../workers/domain/blocks';
import { ctaLink } from '../../workers/domain/funnel-links';
import { isHttpUrl } from '../../workers/domain/safe-urls';
import { videoEmbedUrl } from '../../workers/domain/video-embeds';
import { formatMoney } from '../format';
import { ButtonLabel } from './button-label';
import { Icon } from './icons';
import type { RenderContext } from './render-context';

/** The position of the block being rendered, provided only for the editor's preview (`RenderContext.markBlocks`). */
export const BlockIndex = createContext<number | undefined>(undefined);

export function Section(props: { id: string; class?: string; children: ComponentChildren }) {
  return (
    <section id={props.id} class={props.class ? `b ${props.class}` : 'b'} data-block-index={useContext(BlockIndex)}>
      <div class="w">{props.children}</div>
    </section>
  );
}

/** A block title (always h2: the page's only h1 is its first hero headline). */
export function BlockTitle(props: { text: string | undefined; center?: boolean }) {
  if (!props.text) return null;
  return <h2 class={props.center ? 'c' : undefined}>{props.text}</h2>;
}

/** Plain text with blank-line-separated paragraphs. */
export function Paragraphs(props: { text: string }) {
  return (
    <>
      {props.text.split(/\n\s*\n/).map((paragraph) => (
        <p>{paragraph.trim()}</p>
      ))}
    </>
  );
}

/** An image with its intrinsic size when known: the browser reserves the space before it loads. */
function Img(props: {
  image: { src: string; alt: string; width?: number | undefined; height?: number | undefined };
  class?: string;
  loading?: 'lazy';
  fetchpriority?: 'high';
}) {
  const { image } = props;
  return (
    <img
      class={props.class}
      src={image.src}
      alt={image.alt}
      width={image.width}
      height={image.height}
      loading={props.loading}
      decoding={props.loading ? 'async' : undefined}
      fetchpriority={props.fetchpriority}
    />
  );
}

/**
 * A link to a CTA target. When the target is a page of the funnel visitors cannot open yet (not
 * published), the label stays as plain text — as a form whose next page is unpublished thanks the
 * visitor in place rather than sending them to a 404; when it leads nowhere at all (the next page
 * of the last one), nothing is shown. `data-lf-cta` (the block id) makes the tracker report a
 * click as `cta_click`, or as `trackAs` when given.
 */
function TargetLink(props: {
  target: CtaBlock['target'];
  ctx: RenderContext;
  class: string;
  blockId: string;
  trackAs?: 'checkout_start';
  children: ComponentChildren;
}) {
  const link = ctaLink(props.target, props.ctx);
  const href = link.href;
  if (href === null) {
    return link.unpublished ? (
      <p>
        <strong>{props.children}</strong>
      </p>
    ) : null;
  }
  return (
    <a
      class={props.class}
      href={href}
      rel={isHttpUrl(href) ? 'noopener' : undefined}
      data-lf-cta={props.blockId}
      data-lf-event={props.trackAs}
    >
      {props.children}
    </a>
  );
}

export function HeroView(props: { block: HeroBlock; ctx: RenderContext; isPageHeading: boolean }) {
  const { block } = props;
  const Heading = props.isPageHeading ? 'h1' : 'h2';
  return (
    <Section id={block.id} class={block.image ? 'hero img' : 'hero'}>
      <div class={block.image ? undefined : 'c n'}>
        <Heading>{block.headline}</Heading>
        {block.subheadline && <p class="lead">{block.subheadline}</p>}
        {block.cta && (
          <TargetLink target={block.cta.target} ctx={props.ctx} class="btn lg" blockId={block.id}>
            <ButtonLabel text={block.cta.label} />
          </TargetLink>
        )}
      </div>
      {/* The hero image is the largest paint: fetched first, never lazily. */}
      {block.image && <Img image={block.image} fetchpriority="high" />}
    </Section>
  );
}

export function ImageView(props: { block: ImageBlock }) {
  const { block } = props;
  return (
    <Section id={block.id}>
      <figure class="c">
        <Img image={block} loading="lazy" />
        {block.caption && <figcaption>{block.caption}</figcaption>}
      </figure>
    </Section>
  );
}

export function FeaturesView(props: { block: FeaturesBlock }) {
  const { block } = props;
  const ItemHeading = block.title ? 'h3' : 'h2';
  return (
    <Section id={block.id}>
      <BlockTitle text={block.title} center />
      <ul class="grid">
        {block.items.map((item) => (
          <li class="card">
            {item.icon && (
              <span class="ic">
                <Icon name={item.icon} />
              </span>
            )}
            <ItemHeading>{item.title}</ItemHeading>
            <p>{item.text}</p>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function TestimonialsView(props: { block: TestimonialsBlock }) {
  const { block } = props;
  return (
    <Section id={block.id}>
      <BlockTitle text={block.title} center />
      <ul class="grid">
        {block.items.map((item) => (
          <li class="card">
            <figure>
              {item.rating && (
                <p class="stars">
                  <span aria-hidden="true">{'★'.repeat(item.rating) + '☆'.repeat(5 - item.rating)}</span>
                  <span class="sr">{`Rated ${item.rating} out of 5`}</span>
                </p>
              )}
              <blockquote>
                <p>{item.quote}</p>
              </blockquote>
              <figcaption class="who">
                {item.avatar && <img src={item.avatar} alt="" width={44} height={44} loading="lazy" />}
                <span>
                  <strong>{item.author}</strong>
                  {item.role && <small>{item.role}</small>}
                </span>
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function CtaView(props: { block: CtaBlock; ctx: RenderContext }) {
  const { block } = props;
  return (
    <Section id={block.id} class="c">
      <BlockTitle text={block.title} />
      <TargetLink target={block.target} ctx={props.ctx} class={block.appearance === 'link' ? 'quiet' : 'btn lg'} blockId={block.id}>
        <ButtonLabel text={block.label} />
      </TargetLink>
      {block.note && <p class="note">{block.note}</p>}
    </Section>
  );
}

export function OfferView(props: { block: OfferBlock; ctx: RenderContext }) {
  const { block } = props;
  return (
    <Section id={block.id}>
      {/* Half in view counts as an `offer_view` for the tracker. */}
      <div class="card offer" data-lf-offer={block.id}>
        {block.badge && <p class="badge">{block.badge}</p>}
        <h2>{block.title}</h2>
        {block.image && <Img image={block.image} loading="lazy" />}
        {block.description && <p>{block.description}</p>}
        <p class="price">
          {block.compareAtMinor !== undefined && (
            <del>
              <span class="sr">Regular price </span>
              {formatMoney(block.compareAtMinor, block.currency)}
            </del>
          )}
          <span class="sr">{block.compareAtMinor !== undefined ? 'Now ' : 'Price '}</span>
          {formatMoney(block.priceMinor, block.currency)}
        </p>
        {block.bullets.length > 0 && (
          <ul class="ticks">
            {block.bullets.map((bullet) => (
              <li>{bullet}</li>
            ))}
          </ul>
        )}
        <TargetLink target={block.buyTarget} ctx={props.ctx} class="btn lg" blockId={block.id} trackAs="checkout_start">
          <ButtonLabel text={block.buyLabel} />
        </TargetLink>
        {block.note && <p class="note">{block.note}</p>}
      </div>
    </Section>
  );
}

function formatDeadline(epochMs: number, lang: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' };
  try {
    return `${new Intl.DateTimeFormat(lang, options).format(epochMs)} UTC`;
  } catch {
    return `${new Intl.DateTimeFormat('en', options).format(epochMs)} UTC`;
  }
}

/**
 * The deadline as a date, which is what a page without JavaScript shows (a published page is
 * cached, so the date is what stays true); with JavaScript the countdown script
 * (pages-ui/landing/countdown) turns the date into days, hours, minutes and seconds left, in the
 * same box (its height is reserved, so nothing moves), and into `expiredText` at the deadline.
 * `ctx.now`, when the page is rendered per request, decides "expired" on the server.
 */
export function CountdownView(props: { block: CountdownBlock; ctx: RenderContext; lang: string }) {
  const { block } = props;
  const expired = props.ctx.now !== undefined && props.ctx.now >= block.endsAt;
  return (
    <Section id={block.id}>
      {expired ? (
        <p class="cd">{block.expiredText}</p>
      ) : (
        <div class="cd" data-lf-cd={block.endsAt} data-lf-done={block.expiredText}>
          <p>{block.label}</p>
          <p class="cdc">
            <time datetime={new Date(block.endsAt).toISOString()}>{formatDeadline(block.endsAt, props.lang)}</time>
          </p>
        </div>
      )}
    </Section>
  );
}

export function FaqView(props: { block: FaqBlock }) {
  const { block } = props;
  return (
    <Section id={block.id}>
      <div class="n">
        <BlockTitle text={block.title} center />
        {block.items.map((item) => (
          <details>
            <summary>{item.question}</summary>
            <Paragraphs text={item.answer} />
          </details>
        ))}
      </div>
    </Section>
  );
}

export function VideoView(props: { block: VideoBlock }) {
  const { block } = props;
  const src = videoEmbedUrl(block.provider, block.videoId);
  if (!src) return null;
  return (
    <Section id={block.id}>
      <div class="vid n">
        <iframe
          src={src}
          title={block.title}
          loading="lazy"
          allow="autoplay; encrypted-media; fullscreen; picture-in-picture"
          allowFullScreen
          referrerpolicy="strict-origin-when-cross-origin"
        />
      </div>
    </Section>
  );
}
