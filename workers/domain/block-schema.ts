/**
 * The block schemas as JSON Schema, for the editor's inspector: one schema per block type,
 * generated from the very zod schemas that validate every save (blocks.ts, `z.toJSONSchema`,
 * input form), with a title and a help text on every field and an `x-widget` hint where a plain
 * text box would not do (rich text, colours, images, money, dates, where a button leads). The
 * inspector builds its form from this, so a field added to a block shows up in the editor
 * without UI work, and the server's validation messages (paths like `blocks.3.headline`) land
 * next to the field they are about.
 */
import * as z from 'zod';
import { blockSchema, pageContentSchema, type Block } from './blocks';

/** How the inspector should edit a field, beyond what its JSON type says. */
export type InspectorWidget =
  'hidden' | 'textarea' | 'richtext' | 'color' | 'image' | 'asset' | 'money-minor' | 'datetime-ms' | 'link-target' | 'currency';

interface FieldLabel {
  title: string;
  description?: string;
  widget?: InspectorWidget;
}

type BlockType = Block['type'];

/** What each block is, for the palette. */
const BLOCK_TYPES: Record<BlockType, { title: string; description: string }> = {
  hero: { title: 'Hero', description: 'The headline at the top of the page, with an optional image and button.' },
  rich_text: { title: 'Text', description: 'Paragraphs, headings, lists and links.' },
  image: { title: 'Image', description: 'A picture with alt text and an optional caption.' },
  features: { title: 'Features', description: 'A grid of benefits, each with a title and a short text.' },
  testimonials: { title: 'Testimonials', description: 'Quotes from customers, with names and ratings.' },
  cta: { title: 'Button', description: 'A call to action: a button to another page or site.' },
  lead_form: { title: 'Form', description: 'Captures leads: email and other fields, with consent.' },
  quiz: { title: 'Quiz', description: 'Questions with scored answers, branching and outcomes; asks for the email.' },
  lead_magnet: { title: 'Lead magnet', description: 'A download (e.g. a PDF guide) given in exchange for an email.' },
  chat_capture: { title: 'Chat capture', description: 'A short chat-style conversation that ends by asking for the email.' },
  offer: { title: 'Offer', description: 'A product with price, bullets and a buy button.' },
  countdown: { title: 'Countdown', description: 'Time left until a deadline.' },
  faq: { title: 'FAQ', description: 'Questions and answers that open one at a time.' },
  video: { title: 'Video', description: 'An embedded YouTube or Vimeo video.' },
};

const TARGET: FieldLabel = {
  title: 'Leads to',
  description: 'Another page of this funnel, the next page, or a web address.',
  widget: 'link-target',
};
const CONSENT: FieldLabel = {
  title: 'Consent checkbox',
  description: 'The wording is stored word for word with each lead, as the record of what they agreed to.',
};

/** Labels by field name, for every block; `[]` marks an array's items. */
const COMMON: Record<string, FieldLabel> = {
  type: { title: 'Block type', widget: 'hidden' },
  id: {
    title: 'Block id',
    description: 'Names the block in the page address (#id) and in form posts: lower-case letters, digits, “-” and “_”.',
  },
  title: { title: 'Title' },
  description: { title: 'Description', widget: 'textarea' },
  note: { title: 'Small print', description: 'A reassuring line under the button, e.g. “Takes 60 seconds”.' },
  submitLabel: { title: 'Button text' },
  consent: CONSENT,
  'consent.text': { title: 'Consent wording', widget: 'textarea', description: CONSENT.description },
  'consent.required': { title: 'Consent required', description: 'Without the tick, the form is not sent.' },
  successTarget: {
    ...TARGET,
    title: 'After sending, go to',
    description: 'Where visitors go once the form is sent; the next page when empty.',
  },
  'successTarget.kind': { title: 'Kind of destination' },
  'successTarget.slug': { title: 'Page' },
  'successTarget.url': { title: 'Web address' },
  'target.kind': { title: 'Kind of destination' },
  'target.slug': { title: 'Page' },
  'target.url': { title: 'Web address' },
  image: { title: 'Image' },
  'image.src': { title: 'Image', widget: 'image' },
  'image.alt': { title: 'Alt text', description: 'What the image shows, for screen readers and when it does not load.' },
  fields: { title: 'Fields', description: 'Exactly one email field; at most one name, phone and company field.' },
  'fields[].name': { title: 'Field name', description: 'The key the answer is stored under, e.g. “company_size”.' },
  'fields[].label': { title: 'Label' },
  'fields[].kind': { title: 'Kind' },
  'fields[].required': { title: 'Required' },
  'fields[].options': { title: 'Choices', description: 'The options of a select field, one per line.' },
  'fields[].utmParam': { title: 'UTM parameter', description: 'Which campaign parameter of the visit this hidden field keeps.' },
  'fields[].placeholder': { title: 'Placeholder' },
  emailPrompt: { title: 'Email question', description: 'Asked right before the email field.' },
  followUpEmail: {
    title: 'Follow-up email',
    description:
      'Sent once to each person who leaves their email here, right after they do, with an unsubscribe link. Without it, nothing is sent: do not promise an email on the page then.',
  },
  'followUpEmail.subject': { title: 'Email subject' },
  'followUpEmail.body': {
    title: 'Email text',
    description: 'Plain text; blank lines start new paragraphs and https:// addresses become links.',
    widget: 'textarea',
  },
  avatar: { title: 'Avatar', widget: 'image' },
};

/** Labels particular to one block type (they win over COMMON). */
const PER_TYPE: Partial<Record<BlockType, Record<string, FieldLabel>>> = {
  hero: {
    headline: { title: 'Headline', description: 'The page’s main heading (h1 on the first hero).' },
    subheadline: { title: 'Subheadline', widget: 'textarea' },
    cta: { title: 'Button' },
    'cta.label': { title: 'Button text' },
    'cta.target': TARGET,
  },
  rich_text: {
    markdown: {
      title: 'Text',
      description: 'Paragraphs, ## and ### headings, - lists, **bold**, *italic* and [links](https://…).',
      widget: 'richtext',
    },
  },
  image: {
    src: { title: 'Image', widget: 'image' },
    alt: { title: 'Alt text', description: 'What the image shows, for screen readers and when it does not load.' },
    caption: { title: 'Caption' },
    width: { title: 'Width (px)', description: 'The image’s own size: the page reserves the space, so nothing jumps while it loads.' },
    height: { title: 'Height (px)' },
  },
  features: {
    items: { title: 'Features' },
    'items[].title': { title: 'Feature' },
    'items[].text': { title: 'Text', widget: 'textarea' },
    'items[].icon': { title: 'Icon', description: 'A short symbol shown above the feature (decorative).' },
  },
  testimonials: {
    items: { title: 'Testimonials' },
    'items[].quote': { title: 'Quote', widget: 'textarea' },
    'items[].author': { title: 'Name' },
    'items[].role': { title: 'Role or company' },
    'items[].avatar': { title: 'Photo', widget: 'image' },
    'items[].rating': { title: 'Stars', description: '1 to 5.' },
  },
  cta: { label: { title: 'Button text' }, target: TARGET },
  quiz: {
    intro: { title: 'Introduction', widget: 'textarea' },
    questions: { title: 'Questions' },
    'questions[].id': { title: 'Question id', description: 'Answers jump to a later question by its id.' },
    'questions[].text': { title: 'Question' },
    'questions[].multiple': { title: 'Several answers allowed', description: 'Only single-choice questions can branch.' },
    'questions[].answers': { title: 'Answers' },
    'questions[].answers[].id': { title: 'Answer id' },
    'questions[].answers[].label': { title: 'Answer' },
    'questions[].answers[].points': { title: 'Points', description: 'Added to the visitor’s score (may be negative).' },
    'questions[].answers[].next': {
      title: 'Then go to',
      description: 'A later question’s id, or “end”; the next question when empty. Branches only jump forward.',
    },
    'questions[].answers[].tags': { title: 'Tags', description: 'For sales, never shown to visitors, e.g. dry-skin.' },
    outcomes: { title: 'Outcomes', description: 'Shown by score range; ranges must not overlap.' },
    'outcomes[].id': { title: 'Outcome id', description: 'Qualification rules can match on it.' },
    'outcomes[].title': { title: 'Outcome' },
    'outcomes[].description': { title: 'What it says', widget: 'textarea' },
    'outcomes[].minScore': { title: 'From score' },
    'outcomes[].maxScore': { title: 'To score' },
    askEmailBeforeOutcome: { title: 'Ask for the email before the outcome' },
    submitLabel: { title: 'Button text', description: '“See my result” when empty.' },
  },
  lead_magnet: {
    assetName: { title: 'What they get', description: 'e.g. “The 5-minute skincare routine (PDF, 4 pages)”.' },
    assetPath: {
      title: 'File',
      description: 'Under /assets/gated/ (only reachable through each lead’s expiring link) or an https:// address.',
      widget: 'asset',
    },
    cover: { title: 'Cover image' },
    'cover.src': { title: 'Cover image', widget: 'image' },
    'cover.alt': { title: 'Alt text', description: 'What the cover shows, for screen readers.' },
    fields: { title: 'Fields', description: 'The email, and optionally the name.' },
  },
  chat_capture: {
    botName: { title: 'Bot name' },
    avatar: { title: 'Bot avatar', widget: 'image' },
    steps: { title: 'Conversation' },
    'steps[].id': { title: 'Step id', description: 'The answer is stored under it.' },
    'steps[].prompt': { title: 'Bot says', widget: 'textarea' },
    'steps[].kind': { title: 'Answer by', description: '“choice”: buttons; “text”: typing.' },
    'steps[].options': { title: 'Choices' },
    doneMessage: { title: 'Last message', description: 'The bot’s thank-you once the email is in.' },
    submitLabel: { title: 'Send button text' },
  },
  offer: {
    badge: { title: 'Badge', description: 'e.g. “Best value”.' },
    image: { title: 'Product image' },
    priceMinor: { title: 'Price', description: 'In cents (minor units): 4900 is 49.00.', widget: 'money-minor' },
    currency: { title: 'Currency', description: 'Three letters, e.g. USD or EUR.', widget: 'currency' },
    compareAtMinor: { title: 'Was (crossed-out price)', description: 'In cents; above the price.', widget: 'money-minor' },
    bullets: { title: 'What is included' },
    buyLabel: { title: 'Buy button text' },
    buyTarget: { ...TARGET, title: 'Buy button leads to' },
  },
  countdown: {
    endsAt: { title: 'Ends at', description: 'The deadline (UTC); the page counts down to it.', widget: 'datetime-ms' },
    label: { title: 'Label', description: 'e.g. “Offer ends in”.' },
    expiredText: { title: 'After the deadline', description: 'Shown once the time is up.' },
  },
  faq: {
    items: { title: 'Questions' },
    'items[].question': { title: 'Question' },
    'items[].answer': { title: 'Answer', widget: 'textarea' },
  },
  video: {
    provider: { title: 'Provider' },
    videoId: { title: 'Video id', description: 'The id in the video’s address, e.g. dQw4w9WgXcQ.' },
    title: { title: 'Title', description: 'Names the video for screen readers.' },
  },
};

const SETTINGS: Record<string, FieldLabel> = {
  title: { title: 'Page title', description: 'The browser tab and search result title.' },
  description: { title: 'Description', description: 'Shown by search engines and when the page is shared.', widget: 'textarea' },
  ogImage: {
    title: 'Social image',
    description: 'An https:// image shown when the page is shared (1200 × 630 works best).',
    widget: 'image',
  },
  noindex: { title: 'Hide from search engines' },
  lang: { title: 'Language', description: 'e.g. en, de or pt-BR; en when empty.' },
  theme: { title: 'Theme' },
  'theme.primary': { title: 'Primary colour', description: 'Buttons and accents.', widget: 'color' },
  'theme.background': { title: 'Background colour', widget: 'color' },
  'theme.text': { title: 'Text colour', description: 'Needs 4.5:1 contrast with the background.', widget: 'color' },
  'theme.fontStack': { title: 'Font', description: 'Fonts already on the visitor’s device: nothing to download.' },
  'theme.logo': { title: 'Logo' },
  'theme.logo.src': { title: 'Logo', widget: 'image' },
  'theme.logo.alt': { title: 'Logo alt text', description: 'Your brand’s name.' },
  'theme.buttonShape': { title: 'Button corners' },
  'theme.buttonFill': { title: 'Button style', description: 'Filled with the primary colour, or an outline.' },
};

/** `submitLabel` → “Submit label”: the fallback for a field nobody labelled yet. */
function humanise(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

type JsonSchema = Record<string, unknown>;

/**
 * Puts a title (and help text and widget, where known) on every property, walking objects,
 * array items and union options. `labelOf(path)` gets paths like `cta.target.url` or `items[].title`.
 */
function annotate(node: unknown, path: string, labelOf: (path: string) => FieldLabel | undefined): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    for (const [key, child] of Object.entries(properties)) {
      const childPath = path ? `${path}.${key}` : key;
      const label = labelOf(childPath);
      child.title ??= label?.title ?? humanise(key);
      if (label?.description) child.description ??= label.description;
      if (label?.widget) child['x-widget'] = label.widget;
      annotate(child, childPath, labelOf);
    }
  }
  if (schema.items) annotate(schema.items, `${path}[]`, labelOf);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) for (const option of options) annotate(option, path, labelOf);
  }
}

/** The label for `path` in a block of `type`: its own, else the common one (by full path, then by last field name). */
function blockLabel(type: BlockType, path: string): FieldLabel | undefined {
  const own = PER_TYPE[type]?.[path];
  if (own) return own;
  if (COMMON[path]) return COMMON[path];
  // `cta.target.url` → `target.url`, then `url`.
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) {
    const tail = parts.slice(i).join('.');
    const label = PER_TYPE[type]?.[tail] ?? COMMON[tail];
    if (label) return label;
  }
  return undefined;
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  // Detached from zod's output, which may share one object between places a schema is reused.
  return structuredClone(json);
}

export interface BlockTypeSchema {
  type: BlockType;
  title: string;
  description: string;
  /** Whether visitors post it (it becomes a submission, usually a lead). */
  captures: boolean;
  /** Whether it ships JavaScript (the quiz and chat islands); every other block is plain HTML. */
  shipsJs: boolean;
  /** JSON Schema (2020-12) of the block as the API takes it. */
  schema: JsonSchema;
  /** A valid block of this type to insert from the palette (give it a fresh `id`). */
  example: Block;
}

export interface BlockSchemaDocument {
  blocks: BlockTypeSchema[];
  /** JSON Schema of the page settings (title, SEO, theme). */
  settings: JsonSchema;
}

const CAPTURE_TYPES: ReadonlySet<BlockType> = new Set(['lead_form', 'quiz', 'lead_magnet', 'chat_capture']);
const ISLAND_TYPES: ReadonlySet<BlockType> = new Set(['quiz', 'chat_capture']);

const consent = { text: 'Email me about this offer. I can unsubscribe at any time.', required: true };
const emailField = { name: 'email', label: 'Email', kind: 'email' as const, required: true };

/** A new block of each type as the palette inserts it: valid as it stands (test/unit/block-schema.test.ts). */
export const BLOCK_EXAMPLES: { [T in BlockType]: Extract<Block, { type: T }> } = {
  hero: { type: 'hero', id: 'hero', headline: 'Your headline', subheadline: 'One sentence on what visitors get.' },
  rich_text: {
    type: 'rich_text',
    id: 'text',
    markdown: '## A heading\n\nA paragraph with **bold** words and a link to [our guide](https://example.com).',
  },
  image: { type: 'image', id: 'image', src: '/assets/cosmetics-set.svg', alt: 'Describe the image', width: 1200, height: 800 },
  features: {
    type: 'features',
    id: 'features',
    title: 'Why it works',
    items: [
      { title: 'Fast', text: 'Say what the visitor gains.' },
      { title: 'Simple', text: 'And why it is easy.' },
      { title: 'Proven', text: 'And why they can trust it.' },
    ],
  },
  testimonials: {
    type: 'testimonials',
    id: 'testimonials',
    title: 'What customers say',
    items: [{ quote: 'It changed how I work.', author: 'Alex Doe', role: 'Customer', rating: 5 }],
  },
  cta: { type: 'cta', id: 'cta', label: 'Continue', target: { kind: 'next' } },
  lead_form: {
    type: 'lead_form',
    id: 'form',
    title: 'Get it by email',
    fields: [emailField, { name: 'name', label: 'Name', kind: 'name', required: false }],
    submitLabel: 'Send',
    consent,
  },
  quiz: {
    type: 'quiz',
    id: 'quiz',
    title: 'Find your match',
    questions: [
      {
        id: 'q1',
        text: 'What matters most to you?',
        multiple: false,
        answers: [
          { id: 'a1', label: 'Speed', points: 2 },
          { id: 'a2', label: 'Price', points: 1 },
        ],
      },
    ],
    outcomes: [
      { id: 'fast', title: 'The quick start', description: 'You want results fast.', minScore: 2, maxScore: 100 },
      { id: 'value', title: 'The best value', description: 'You want the most for your money.', minScore: -100, maxScore: 1 },
    ],
    askEmailBeforeOutcome: true,
    consent,
  },
  lead_magnet: {
    type: 'lead_magnet',
    id: 'download',
    title: 'Get the free guide',
    description: 'Say what is in it and why it helps.',
    assetName: 'The guide (PDF)',
    assetPath: '/assets/gated/the-5-minute-skincare-routine.pdf',
    fields: [emailField],
    submitLabel: 'Send me the guide',
    consent,
  },
  chat_capture: {
    type: 'chat_capture',
    id: 'chat',
    botName: 'Sam',
    steps: [{ id: 'goal', prompt: 'Hi! What brings you here today?', kind: 'choice', options: ['Just looking', 'Ready to buy'] }],
    emailPrompt: 'Where can I send you the details?',
    consent,
    submitLabel: 'Send',
    doneMessage: 'Thanks! Check your inbox.',
    followUpEmail: {
      subject: 'Thanks for chatting with us',
      body: 'Hi,\n\nThanks for chatting with us today. We have your answers and will get back to you soon.',
    },
  },
  offer: {
    type: 'offer',
    id: 'offer',
    title: 'The complete set',
    priceMinor: 4900,
    currency: 'USD',
    bullets: ['Everything you need', '30-day money-back guarantee'],
    buyLabel: 'Buy now',
    buyTarget: { kind: 'url', url: 'https://example.com/checkout' },
  },
  countdown: {
    type: 'countdown',
    id: 'countdown',
    endsAt: Date.UTC(2030, 0, 1),
    label: 'Offer ends in',
    expiredText: 'This offer has ended.',
  },
  faq: { type: 'faq', id: 'faq', title: 'Questions', items: [{ question: 'How does it work?', answer: 'Explain it in a few sentences.' }] },
  video: { type: 'video', id: 'video', provider: 'youtube', videoId: 'dQw4w9WgXcQ', title: 'Describe the video' },
};

/** The whole document `GET /api/blocks/schema` answers; the same for every request, so built once. */
export function blockSchemaDocument(): BlockSchemaDocument {
  const options = (blockSchema as unknown as { options: z.ZodObject[] }).options;
  const blocks = options.map((option): BlockTypeSchema => {
    const type = (option.shape.type as z.ZodLiteral<BlockType>).value;
    const schema = toJsonSchema(option);
    annotate(schema, '', (path) => blockLabel(type, path));
    return {
      type,
      ...BLOCK_TYPES[type],
      captures: CAPTURE_TYPES.has(type),
      shipsJs: ISLAND_TYPES.has(type),
      schema,
      example: BLOCK_EXAMPLES[type],
    };
  });
  const settings = toJsonSchema(pageContentSchema.shape.settings);
  annotate(settings, '', (path) => SETTINGS[path]);
  return { blocks, settings };
}

/** Every label key, so a test can tell a label that no longer names a field (a renamed one). */
export const LABELLED_PATHS = {
  common: Object.keys(COMMON),
  perType: Object.fromEntries(Object.entries(PER_TYPE).map(([type, labels]) => [type, Object.keys(labels)])) as Partial<
    Record<BlockType, string[]>
  >,
  settings: Object.keys(SETTINGS),
};
