/**
 * How the editor names and pictures each block type (outline rows, palette, announcements), and
 * the one line that tells two blocks of the same type apart. Pure data and string functions.
 */
import type { Block } from '../../../../workers/domain/blocks';
import type { BlockType } from './block-defaults';

export interface BlockTypeInfo {
  label: string;
  /** What the block is for, in the palette. */
  hint: string;
  /** An SVG path on a 24×24 grid, drawn with a 2px stroke (decorative: the label says it). */
  icon: string;
}

export const BLOCK_INFO: Record<BlockType, BlockTypeInfo> = {
  hero: { label: 'Hero', hint: 'The headline, a line under it and the main button', icon: 'M3 5h18v14H3zM7 10h10M7 14h6' },
  rich_text: { label: 'Text', hint: 'Paragraphs, headings, lists and links', icon: 'M4 6h16M4 10h16M4 14h10M4 18h13' },
  image: {
    label: 'Image',
    hint: 'A picture with alt text and a caption',
    icon: 'M3 5h18v14H3zM3 16l5-5 4 4 3-3 6 6M15 9.5a1.5 1.5 0 1 0 0-.01',
  },
  features: { label: 'Features', hint: 'Benefits side by side', icon: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z' },
  testimonials: { label: 'Testimonials', hint: 'Quotes from customers, with ratings', icon: 'M4 5h16v10H9l-5 4zM8 9h8M8 12h5' },
  cta: { label: 'Call to action', hint: 'A button to the next step', icon: 'M3 8h18v8H3zM8 12h8M13 9l3 3-3 3' },
  lead_form: { label: 'Lead form', hint: 'Email and other fields, with consent', icon: 'M4 4h16v16H4zM7 8h10M7 12h10M7 16h5' },
  quiz: {
    label: 'Quiz',
    hint: 'Questions with points, branching and outcomes',
    icon: 'M9 9a3 3 0 1 1 4 2.8c-.6.3-1 .9-1 1.6V15M12 18v.01M3 3h18v18H3z',
  },
  lead_magnet: { label: 'Lead magnet', hint: 'A free download behind an email', icon: 'M12 3v12M7 10l5 5 5-5M4 17v3h16v-3' },
  chat_capture: {
    label: 'Chat capture',
    hint: 'A short chat that asks for the email',
    icon: 'M4 4h16v12H8l-4 4zM8 9h.01M12 9h.01M16 9h.01',
  },
  offer: { label: 'Offer', hint: 'A product with price, bullets and a buy button', icon: 'M3 12l9-9h9v9l-9 9zM16 8h.01' },
  countdown: { label: 'Countdown', hint: 'Time left until a deadline', icon: 'M12 7v5l3 3M12 21a9 9 0 1 1 0-18 9 9 0 0 1 0 18z' },
  faq: { label: 'FAQ', hint: 'Questions and answers that open and close', icon: 'M4 6h16M4 12h16M4 18h16M18 4l2 2-2 2' },
  video: { label: 'Video', hint: 'A YouTube, Vimeo or Wistia video', icon: 'M3 6h14v12H3zM17 10l4-2v8l-4-2' },
};

/** Marketer text used as a label: one line, short. */
function line(text: string, max = 80): string {
  const flat = text
    .replace(/[#*_`[\]]|\((?:https?:|mailto:|\/)[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** The words that tell this block apart: its headline, title, first question… */
export function blockSummary(block: Block): string {
  switch (block.type) {
    case 'hero':
      return line(block.headline);
    case 'rich_text':
      return line(block.markdown);
    case 'image':
      return line(block.caption ?? (block.alt || 'No alt text'));
    case 'features':
    case 'testimonials':
    case 'faq':
      return line(block.title ?? `${block.items.length} item${block.items.length === 1 ? '' : 's'}`);
    case 'cta':
      return line(block.title ? `${block.title} · ${block.label}` : block.label);
    case 'lead_form':
      return line(block.title ?? block.submitLabel);
    case 'quiz':
      return line(`${block.title} · ${block.questions.length} question${block.questions.length === 1 ? '' : 's'}`);
    case 'lead_magnet':
    case 'offer':
      return line(block.title);
    case 'chat_capture':
      return line(block.title ?? `${block.botName}: ${block.steps[0]?.prompt ?? ''}`);
    case 'countdown':
      return line(block.label);
    case 'video':
      return line(block.title);
  }
}

/** "Hero “Glow in five minutes”", for announcements and menus. */
export function blockName(block: Block): string {
  const summary = blockSummary(block);
  return summary ? `${BLOCK_INFO[block.type].label} “${summary}”` : BLOCK_INFO[block.type].label;
}
