/**
 * The editor's accessibility check of a page: missing alt text, theme colours below WCAG AA
 * contrast, links and buttons without text or without a destination, empty headings and heading
 * levels that skip. A pure function of the page content (and, optionally, where the page sits in
 * its funnel), so the server lists the findings with the page's checks and the editor can run the
 * very same code in the browser on every change, before anything is saved.
 *
 * It takes unsaved, possibly half-filled content (an empty label while the marketer types), so it
 * reads every field defensively and never throws. It imports only types from blocks.ts (no zod)
 * to stay small in the editor's bundle.
 */
import type { Block, CtaTarget, PageContent } from './blocks';
import { AA_LARGE_TEXT, AA_NON_TEXT, AA_NORMAL_TEXT, contrastRatio, labelColourOn } from './colour-contrast';
import { parseRichText, type RichBlock, type RichInline } from './rich-text';

export type FindingSeverity = 'error' | 'warning';

export const ACCESSIBILITY_RULES = [
  'image-alt',
  'contrast',
  'link-text',
  'link-target',
  'heading-empty',
  'heading-order',
  'form-label',
  'frame-title',
  'page-title',
] as const;
export type AccessibilityRule = (typeof ACCESSIBILITY_RULES)[number];

export interface AccessibilityFinding {
  /** Index of the block in `content.blocks`; null for page settings (title, theme). */
  blockIndex: number | null;
  blockId: string | null;
  /** The field within the block (`image.alt`, `items.2.title`), or within the page for settings (`settings.theme.text`). */
  field: string;
  /**
   * The same field from the content's root (`blocks.3.image.alt`, `settings.theme.text`): the
   * path a validation error of `PATCH /api/pages/:id` has after its `content.` prefix.
   */
  path: string;
  rule: AccessibilityRule;
  /** `error`: fails WCAG 2.1 AA as rendered. `warning`: likely a barrier, worth a look. */
  severity: FindingSeverity;
  message: string;
}

/** Where the page sits in its funnel: lets the check see buttons that lead to no page. */
export interface FunnelPlacement {
  /** The funnel's page slugs in order. */
  pageSlugs: readonly string[];
  /** This page's slug. */
  pageSlug: string;
  /** Pages of the funnel visitors cannot open yet: published pages show buttons to them as text, without a link. */
  unpublishedSlugs?: readonly string[];
}

/** Link texts that say nothing out of context (WCAG 2.4.4). */
const VAGUE_LINK_TEXTS = new Set(['click here', 'here', 'click', 'more', 'read more', 'learn more', 'this', 'link', 'this link']);

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
const round1 = (ratio: number) => Math.floor(ratio * 10) / 10;

interface Heading {
  level: number;
  blockIndex: number | null;
  blockId: string | null;
  field: string;
  text: string;
}

class Findings {
  readonly list: AccessibilityFinding[] = [];

  add(
    blockIndex: number | null,
    blockId: string | null,
    field: string,
    rule: AccessibilityRule,
    severity: FindingSeverity,
    message: string,
  ) {
    const path = blockIndex === null ? field : `blocks.${blockIndex}.${field}`;
    this.list.push({ blockIndex, blockId, field, path, rule, severity, message });
  }
}

function inlineText(nodes: RichInline[]): string {
  return nodes.map((node) => (node.kind === 'text' ? node.text : inlineText(node.children))).join('');
}

function inlineLinks(nodes: RichInline[], into: Array<{ text: string; href: string }>): void {
  for (const node of nodes) {
    if (node.kind === 'link') into.push({ text: inlineText(node.children), href: node.href });
    if (node.kind !== 'text') inlineLinks(node.children, into);
  }
}

function richLinks(blocks: RichBlock[]): Array<{ text: string; href: string }> {
  const links: Array<{ text: string; href: string }> = [];
  for (const block of blocks) {
    if (block.kind === 'list') block.items.forEach((item) => inlineLinks(item, links));
    else inlineLinks(block.children, links);
  }
  return links;
}

/** A button's or link's target: a destination that exists, where the page is known. */
function checkTarget(
  out: Findings,
  index: number,
  block: Block,
  field: string,
  target: CtaTarget | undefined,
  placement: FunnelPlacement | undefined,
  whatIsHidden: string,
) {
  if (!target || typeof target !== 'object') {
    out.add(index, block.id, field, 'link-target', 'error', `Choose where ${whatIsHidden} leads.`);
    return;
  }
  /** The page of this funnel it leads to, once known to exist. */
  let page: string | undefined;
  if (target.kind === 'url' && blank(target.url)) {
    out.add(index, block.id, `${field}.url`, 'link-target', 'error', `Enter the address ${whatIsHidden} leads to.`);
  } else if (target.kind === 'page') {
    field = `${field}.slug`;
    if (blank(target.slug)) out.add(index, block.id, field, 'link-target', 'error', `Choose the page ${whatIsHidden} leads to.`);
    else if (placement && !placement.pageSlugs.includes(target.slug)) {
      out.add(
        index,
        block.id,
        field,
        'link-target',
        'error',
        `${capitalise(whatIsHidden)} leads to “${target.slug}”, which is not a page of this funnel: visitors would reach a dead end.`,
      );
    } else page = target.slug;
  } else if (target.kind === 'next' && placement) {
    const position = placement.pageSlugs.indexOf(placement.pageSlug);
    if (position >= 0 && position === placement.pageSlugs.length - 1) {
      out.add(
        index,
        block.id,
        field,
        'link-target',
        'error',
        `${capitalise(whatIsHidden)} leads to the next page, but this is the funnel’s last page, so it is not shown at all.`,
      );
    } else if (position >= 0) page = placement.pageSlugs[position + 1];
  }
  // Published, a button to a page visitors cannot open yet shows its text alone: said before publishing.
  if (page !== undefined && placement?.unpublishedSlugs?.includes(page)) {
    out.add(
      index,
      block.id,
      field,
      'link-target',
      'warning',
      `${capitalise(whatIsHidden)} leads to “${page}”, which is not published: until it is, visitors see the button’s text without a link.`,
    );
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function checkAlt(
  out: Findings,
  index: number,
  block: Block,
  field: string,
  image: { src?: string; alt?: string } | undefined,
  what: string,
) {
  if (!image || blank(image.src) || !blank(image.alt)) return;
  out.add(
    index,
    block.id,
    `${field}alt`,
    'image-alt',
    'warning',
    `${capitalise(what)} has no alt text, so screen readers skip it. Describe what it shows (leave it empty only if it is purely decorative).`,
  );
}

function checkLabel(out: Findings, index: number, block: Block, field: string, value: unknown, what: string, rule: AccessibilityRule) {
  if (blank(value)) out.add(index, block.id, field, rule, 'error', `${capitalise(what)} has no text, so nobody can tell what it does.`);
}

function checkFormFields(out: Findings, index: number, block: Block, fields: unknown) {
  if (!Array.isArray(fields)) return;
  fields.forEach((field: { label?: unknown; kind?: unknown }, i) => {
    if (field?.kind === 'hidden_utm') return;
    if (blank(field?.label)) {
      out.add(
        index,
        block.id,
        `fields.${i}.label`,
        'form-label',
        'error',
        'This form field has no label: screen readers announce an unnamed box.',
      );
    }
  });
}

/** The headings the landing renderer gives a block, in document order (see pages-ui/landing). */
function blockHeadings(block: Block, index: number, isPageHeading: boolean): Heading[] {
  const heading = (level: number, field: string, text: unknown): Heading => ({
    level,
    blockIndex: index,
    blockId: block.id,
    field,
    text: typeof text === 'string' ? text : '',
  });
  switch (block.type) {
    case 'hero':
      return [heading(isPageHeading ? 1 : 2, 'headline', block.headline)];
    case 'rich_text':
      return typeof block.markdown === 'string'
        ? parseRichText(block.markdown)
            .filter((b): b is Extract<RichBlock, { kind: 'heading' }> => b.kind === 'heading')
            .map((b) => heading(b.level, 'markdown', inlineText(b.children)))
        : [];
    case 'features': {
      const titled = block.title !== undefined;
      return [
        ...(titled ? [heading(2, 'title', block.title)] : []),
        ...(Array.isArray(block.items) ? block.items.map((item, i) => heading(titled ? 3 : 2, `items.${i}.title`, item?.title)) : []),
      ];
    }
    case 'testimonials':
    case 'cta':
    case 'lead_form':
    case 'chat_capture':
    case 'faq':
      return block.title !== undefined ? [heading(2, 'title', block.title)] : [];
    case 'quiz':
    case 'lead_magnet':
    case 'offer':
      return [heading(2, 'title', block.title)];
    case 'image':
    case 'countdown':
    case 'video':
      return [];
  }
}

function checkBlock(out: Findings, block: Block, index: number, placement: FunnelPlacement | undefined) {
  switch (block.type) {
    case 'hero':
      checkAlt(out, index, block, 'image.', block.image, 'the hero image');
      if (block.cta) {
        checkLabel(out, index, block, 'cta.label', block.cta.label, 'the hero button', 'link-text');
        checkTarget(out, index, block, 'cta.target', block.cta.target, placement, 'the hero button');
      }
      return;
    case 'rich_text': {
      if (typeof block.markdown !== 'string') return;
      for (const link of richLinks(parseRichText(block.markdown))) {
        const text = link.text.trim().toLowerCase();
        if (!text) out.add(index, block.id, 'markdown', 'link-text', 'error', `The link to ${link.href} has no text.`);
        else if (VAGUE_LINK_TEXTS.has(text.replace(/[.!…]+$/, ''))) {
          out.add(
            index,
            block.id,
            'markdown',
            'link-text',
            'warning',
            `The link text “${link.text.trim()}” does not say where it goes; name the destination instead.`,
          );
        }
        if (link.href === '#' || blank(link.href)) {
          out.add(index, block.id, 'markdown', 'link-target', 'error', `The link “${link.text.trim()}” leads nowhere.`);
        }
      }
      return;
    }
    case 'image':
      if (!blank(block.src) && blank(block.alt)) {
        out.add(
          index,
          block.id,
          'alt',
          'image-alt',
          'error',
          'This image has no alt text, so screen readers skip it. Describe what it shows; a purely decorative image belongs in the theme instead.',
        );
      }
      return;
    case 'features':
      return;
    case 'testimonials':
      return;
    case 'cta':
      checkLabel(out, index, block, 'label', block.label, 'the button', 'link-text');
      checkTarget(out, index, block, 'target', block.target, placement, 'the button');
      return;
    case 'lead_form':
      checkFormFields(out, index, block, block.fields);
      checkLabel(out, index, block, 'submitLabel', block.submitLabel, 'the submit button', 'link-text');
      return;
    case 'quiz':
      if (Array.isArray(block.questions)) {
        block.questions.forEach((question, qi) => {
          if (blank(question?.text)) out.add(index, block.id, `questions.${qi}.text`, 'form-label', 'error', 'This question has no text.');
          if (Array.isArray(question?.answers)) {
            question.answers.forEach((answer, ai) => {
              if (blank(answer?.label)) {
                out.add(index, block.id, `questions.${qi}.answers.${ai}.label`, 'form-label', 'error', 'This answer has no text.');
              }
            });
          }
        });
      }
      return;
    case 'lead_magnet':
      checkAlt(out, index, block, 'cover.', block.cover, 'the cover image');
      checkFormFields(out, index, block, block.fields);
      checkLabel(out, index, block, 'submitLabel', block.submitLabel, 'the submit button', 'link-text');
      return;
    case 'chat_capture':
      checkLabel(out, index, block, 'submitLabel', block.submitLabel, 'the send button', 'link-text');
      return;
    case 'offer':
      checkAlt(out, index, block, 'image.', block.image, 'the offer image');
      checkLabel(out, index, block, 'buyLabel', block.buyLabel, 'the buy button', 'link-text');
      checkTarget(out, index, block, 'buyTarget', block.buyTarget, placement, 'the buy button');
      return;
    case 'countdown':
      return;
    case 'faq':
      if (Array.isArray(block.items)) {
        block.items.forEach((item, i) => {
          if (blank(item?.question))
            out.add(
              index,
              block.id,
              `items.${i}.question`,
              'link-text',
              'error',
              'This question has no text, so its answer cannot be opened by name.',
            );
        });
      }
      return;
    case 'video':
      if (blank(block.title)) {
        out.add(index, block.id, 'title', 'frame-title', 'error', 'The video has no title: screen readers announce an unnamed frame.');
      }
      return;
  }
}

function checkHeadings(out: Findings, headings: Heading[]) {
  let previous = 0;
  for (const h of headings) {
    // The page title stands in for a missing hero; its own finding is `page-title`.
    if (blank(h.text) && h.blockIndex !== null) {
      out.add(
        h.blockIndex,
        h.blockId,
        h.field,
        'heading-empty',
        'error',
        `An empty level-${h.level} heading: screen-reader users navigate by headings.`,
      );
    }
    if (previous && h.level > previous + 1) {
      out.add(
        h.blockIndex,
        h.blockId,
        h.field,
        'heading-order',
        'warning',
        `The heading “${h.text.trim().slice(0, 60)}” is level ${h.level} right after a level-${previous} heading; use level ${previous + 1} (${'#'.repeat(Math.max(2, previous + 1))} in rich text) so no level is skipped.`,
      );
    }
    previous = h.level;
  }
}

function checkTheme(out: Findings, content: PageContent) {
  const theme = content.settings?.theme;
  if (!theme) return;
  const body = contrastRatio(theme.text, theme.background);
  if (body !== null && body < AA_NORMAL_TEXT) {
    out.add(
      null,
      null,
      'settings.theme.text',
      'contrast',
      'error',
      `Text on the background has a contrast of ${round1(body)}:1; WCAG AA needs 4.5:1 for body text${body >= AA_LARGE_TEXT ? ' (it passes for large headings only)' : ''}.`,
    );
  }
  // Outline buttons draw their label and ring in the link colour, which the renderer derives to
  // stay readable on every surface: the primary colour is then behind no text and edges no button.
  if (theme.buttonFill !== 'outline') checkFilledButtons(out, theme);
  if (theme.logo && !blank(theme.logo.src) && blank(theme.logo.alt)) {
    out.add(null, null, 'settings.theme.logo.alt', 'image-alt', 'error', 'The logo has no alt text: give it your brand’s name.');
  }
}

function checkFilledButtons(out: Findings, theme: PageContent['settings']['theme']) {
  const label = labelColourOn(theme.primary);
  const button = contrastRatio(label, theme.primary);
  if (button !== null && button < AA_NORMAL_TEXT) {
    out.add(
      null,
      null,
      'settings.theme.primary',
      'contrast',
      button >= AA_LARGE_TEXT ? 'warning' : 'error',
      `Button labels (${label === '#ffffff' ? 'white' : 'near-black'}) on the primary colour have a contrast of ${round1(button)}:1; WCAG AA needs 4.5:1 (3:1 for large text). Pick a darker or lighter primary colour.`,
    );
  }
  const edge = contrastRatio(theme.primary, theme.background);
  if (edge !== null && edge < AA_NON_TEXT) {
    out.add(
      null,
      null,
      'settings.theme.primary',
      'contrast',
      'warning',
      `Buttons in the primary colour have a contrast of ${round1(edge)}:1 against the background; WCAG AA needs 3:1 for controls to be seen.`,
    );
  }
}

/** Every finding for the page, page settings first, then the blocks in order. */
export function accessibilityFindings(content: PageContent, placement?: FunnelPlacement): AccessibilityFinding[] {
  const out = new Findings();
  if (content.settings && blank(content.settings.title)) {
    out.add(null, null, 'settings.title', 'page-title', 'error', 'The page has no title: it names the browser tab and is read first.');
  }
  checkTheme(out, content);
  const blocks = Array.isArray(content.blocks) ? content.blocks : [];
  const pageHeading = blocks.findIndex((block) => block?.type === 'hero');
  const headings: Heading[] =
    pageHeading === -1 ? [{ level: 1, blockIndex: null, blockId: null, field: 'settings.title', text: content.settings?.title ?? '' }] : [];
  blocks.forEach((block, index) => {
    if (!block || typeof block !== 'object') return;
    checkBlock(out, block, index, placement);
    headings.push(...blockHeadings(block, index, index === pageHeading));
  });
  checkHeadings(out, headings);
  const order = (f: AccessibilityFinding) => f.blockIndex ?? -1;
  return out.list.sort((a, b) => order(a) - order(b));
}
