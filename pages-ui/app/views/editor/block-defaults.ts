/**
 * What a block looks like the moment it is added from the palette: complete, valid against the
 * block schema (test/unit/editor-block-defaults.test.ts parses each one), and written as a
 * marketer's first draft rather than lorem ipsum, so the preview shows a sensible section at once.
 * Pure: the editor's state calls it, the tests call it, nothing here touches the DOM.
 */
import type { Block } from '../../../../workers/domain/blocks';

export type BlockType = Block['type'];

/** The palette, in the order a page is usually built: top of page first, capture, then proof and detail. */
export const BLOCK_TYPES = [
  'hero',
  'rich_text',
  'image',
  'features',
  'testimonials',
  'cta',
  'lead_form',
  'quiz',
  'lead_magnet',
  'chat_capture',
  'offer',
  'countdown',
  'faq',
  'video',
] as const satisfies readonly BlockType[];

// Fails to compile when the schema gains a block type the palette does not offer.
type Missing = Exclude<BlockType, (typeof BLOCK_TYPES)[number]>;
const paletteIsComplete: Missing extends never ? true : Missing = true;
void paletteIsComplete;

const CONSENT_TEXT = 'Yes, email me tips and offers. I can unsubscribe at any time.';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A block id not used on the page yet: the type's name, then `-2`, `-3`… (ids end up in anchors and form posts). */
export function newBlockId(type: BlockType, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = type.replace(/_/g, '-');
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A new block of `type` with id `id`. `now` (epoch ms) dates a countdown a week ahead. */
export function defaultBlock(type: BlockType, id: string, now: number): Block {
  switch (type) {
    case 'hero':
      return {
        type,
        id,
        headline: 'Say what your visitor gets, in one line',
        subheadline: 'A sentence on who it is for and why it works. Keep it short: the button does the rest.',
        cta: { label: 'Get started', target: { kind: 'next' } },
      };
    case 'rich_text':
      return {
        type,
        id,
        markdown:
          '## A heading for this section\n\nWrite a few short paragraphs. **Bold** and *italic* work, and so do lists:\n\n- One clear benefit\n- Another one\n- A third, if you have it',
      };
    case 'image':
      return {
        type,
        id,
        src: '/assets/image-placeholder.svg',
        alt: '',
        width: 1200,
        height: 675,
      };
    case 'features':
      return {
        type,
        id,
        title: 'Why it works',
        items: [
          { icon: 'bolt', title: 'Quick to start', text: 'Say how soon the visitor sees a result.' },
          { icon: 'users', title: 'Made for them', text: 'Say who it is for, in their own words.' },
          { icon: 'shield', title: 'Nothing to lose', text: 'Name the guarantee, the free trial or the easy way out.' },
        ],
      };
    case 'testimonials':
      return {
        type,
        id,
        title: 'What customers say',
        items: [
          {
            quote: 'Put a real customer’s words here: the result they got, not just that they liked it.',
            author: 'Customer name',
            rating: 5,
          },
        ],
      };
    case 'cta':
      return { type, id, title: 'Ready when you are', label: 'Continue', target: { kind: 'next' }, note: 'Takes less than a minute.' };
    case 'lead_form':
      return {
        type,
        id,
        title: 'Get it by email',
        fields: [
          { name: 'name', label: 'First name', kind: 'name', required: false },
          { name: 'email', label: 'Email', kind: 'email', required: true },
        ],
        submitLabel: 'Send it to me',
        consent: { text: CONSENT_TEXT, required: false },
      };
    case 'quiz':
      return {
        type,
        id,
        title: 'Which option suits you?',
        intro: 'Two quick questions, then your result.',
        questions: [
          {
            id: 'q1',
            text: 'How much time do you have for this each week?',
            multiple: false,
            answers: [
              { id: 'a1', label: 'Less than an hour', points: 0 },
              { id: 'a2', label: 'A few hours', points: 2 },
            ],
          },
          {
            id: 'q2',
            text: 'Have you tried something like this before?',
            multiple: false,
            answers: [
              { id: 'a1', label: 'No, I am new to it', points: 0 },
              { id: 'a2', label: 'Yes', points: 1 },
            ],
          },
        ],
        outcomes: [
          { id: 'starter', title: 'Start small', description: 'The starter plan fits your week best.', minScore: 0, maxScore: 1 },
          { id: 'pro', title: 'Go all in', description: 'You are ready for the full programme.', minScore: 2, maxScore: 3 },
        ],
        askEmailBeforeOutcome: true,
        emailPrompt: 'Where should we send your result?',
        submitLabel: 'Show my result',
        consent: { text: CONSENT_TEXT, required: false },
      };
    case 'lead_magnet':
      return {
        type,
        id,
        title: 'Get the free guide',
        description: 'Say what is inside and what the reader can do after reading it.',
        assetName: 'The free guide (PDF)',
        assetPath: '/assets/gated/your-guide.pdf',
        fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }],
        submitLabel: 'Send me the guide',
        consent: { text: CONSENT_TEXT, required: false },
      };
    case 'chat_capture':
      return {
        type,
        id,
        botName: 'Sam',
        title: 'Questions? Ask us',
        steps: [
          {
            id: 'topic',
            prompt: 'Hi! What brings you here today?',
            kind: 'choice',
            options: ['Just looking', 'I want to buy', 'I need help'],
          },
        ],
        emailPrompt: 'What is your email, so we can get back to you?',
        consent: { text: CONSENT_TEXT, required: false },
        submitLabel: 'Send',
        doneMessage: 'Thanks! We will be in touch within a day.',
      };
    case 'offer':
      return {
        type,
        id,
        title: 'The complete package',
        description: 'Everything in one purchase.',
        priceMinor: 4900,
        currency: 'USD',
        bullets: ['What they get first', 'What they get next', 'The bonus'],
        buyLabel: 'Buy now',
        buyTarget: { kind: 'next' },
        note: '30-day money-back guarantee.',
      };
    case 'countdown':
      return { type, id, endsAt: now + 7 * DAY_MS, label: 'The offer ends in', expiredText: 'This offer has ended.' };
    case 'faq':
      return {
        type,
        id,
        title: 'Questions and answers',
        items: [
          { question: 'Who is this for?', answer: 'Say who gets the most out of it, and who should not buy it.' },
          { question: 'What if it is not for me?', answer: 'Explain your refund or cancellation policy in one or two sentences.' },
        ],
      };
    case 'video':
      // A placeholder id of the right shape; the inspector asks for the real one.
      return { type, id, provider: 'youtube', videoId: 'aqz-KE-bpKQ', title: 'Video: what you get' };
  }
}

/** A copy of `block` under a new id, placed by the caller (usually right after the original). */
export function duplicateBlock(block: Block, taken: Iterable<string>): Block {
  const used = new Set(taken);
  const base = `${block.id.replace(/-copy(?:-\d+)?$/, '')}-copy`.slice(0, 56);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return { ...structuredClone(block), id };
}
