/**
 * The page content model: page settings plus a list of typed blocks, validated by one zod
 * discriminated union. The admin editor, the API and the publisher all use this schema, so a
 * page that reaches the renderer is known to be well-formed: URLs have safe schemes, ids are
 * unique, forms have exactly one email field, quiz branches only jump forward.
 */
import * as z from 'zod';
import { FONT_STACKS, type FontStack } from './font-stacks';
import { ICON_NAMES, iconFromEmoji } from './icons';
import { literalLinkTargets, richTextHrefs } from './rich-text';
import { hiddenUrlMeaning, isHttpUrl, isHttpsUrl, isImageSource, isSafeLinkHref, MAX_URL_LENGTH, schemeOf } from './safe-urls';
import { isValidVideoId, VIDEO_PROVIDERS } from './video-embeds';

// ── Building blocks ──────────────────────────────────────────────────────────

/** Visible text: trimmed, never empty, bounded. */
const text = (max: number) => z.string().trim().min(1, 'This cannot be empty.').max(max);

/** Ids of blocks within a page: they end up in HTML ids and form posts. */
const blockIdSchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'Use 1–64 lower-case letters, digits, "-" or "_".');

/**
 * Names every plain object already has (`constructor`): a question, step or field called that
 * would be looked up in a record of answers as the prototype's member, not as the visitor's value.
 */
const notInherited = (name: string) => !(name in Object.prototype);
const INHERITED_NAME = 'This name is reserved.';

/** Ids of quiz questions, answers, outcomes and chat steps: they become form field names. */
const itemId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'Use a lower-case letter followed by up to 31 letters, digits or "_".')
  .refine(notInherited, INHERITED_NAME);

export const pageSlugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'Use lower-case letters, digits and "-", up to 64 characters.');

const httpUrl = z.string().max(MAX_URL_LENGTH).refine(isHttpUrl, 'Use a full http:// or https:// address.');
const httpsUrl = z.string().max(MAX_URL_LENGTH).refine(isHttpsUrl, 'Use a full https:// address.');
const imageSource = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine(isImageSource, 'Use an https:// address or a path on this site starting with "/".');

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #1f6feb.');

/** Intrinsic size in pixels: lets the browser reserve the image's space, so nothing shifts when it loads. */
const pixels = z.int().min(1).max(8000);

/** `alt` may be empty: that marks an image as decorative for screen readers. */
const imageSchema = z.object({ src: imageSource, alt: z.string().trim().max(300), width: pixels.optional(), height: pixels.optional() });

/**
 * An icon by name (domain/icons.ts). Emoji saved before icons had names are read as the icon they
 * stood for, so older pages still validate.
 */
const iconSchema = z.preprocess(
  (value) => (typeof value === 'string' ? (iconFromEmoji(value) ?? value) : value),
  z.enum(ICON_NAMES, { error: `Choose one of the icons: ${ICON_NAMES.join(', ')}.` }),
);

/** Where a button or link goes: another page of the funnel, the next page, or an http(s) URL. */
const ctaTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), slug: pageSlugSchema }),
  z.object({ kind: z.literal('next') }),
  z.object({ kind: z.literal('url'), url: httpUrl }),
]);

const consentSchema = z.object({
  /** Stored verbatim with the lead, so it is exactly what the visitor agreed to. */
  text: text(500),
  required: z.boolean(),
});

// ── Form fields ──────────────────────────────────────────────────────────────

const FORM_FIELD_KINDS = ['email', 'name', 'phone', 'company', 'text', 'textarea', 'select', 'hidden_utm'] as const;
const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
/** Field names every capture form uses for itself: the honeypot and the consent checkbox. */
const RESERVED_FIELD_NAMES = ['website', 'consent'] as const;
/** Kinds that map onto a lead's own columns, so a form may have at most one of each. */
const SINGLE_USE_KINDS = ['email', 'name', 'phone', 'company'] as const;

const fieldName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use a lower-case letter followed by up to 39 letters, digits or "_".')
  .refine((name) => !(RESERVED_FIELD_NAMES as readonly string[]).includes(name) && notInherited(name), INHERITED_NAME);

const formFieldSchema = z
  .object({
    name: fieldName,
    label: text(120),
    kind: z.enum(FORM_FIELD_KINDS),
    required: z.boolean(),
    /** The choices of a `select` field. */
    options: z.array(text(120)).min(1).max(30).optional(),
    /** Which UTM parameter a `hidden_utm` field carries. */
    utmParam: z.enum(UTM_PARAMS).optional(),
    placeholder: z.string().trim().max(120).optional(),
  })
  .superRefine((field, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (field.kind === 'select' && !field.options) issue('options', 'A select field needs its options.');
    if (field.kind !== 'select' && field.options) issue('options', 'Only select fields have options.');
    if (field.options && new Set(field.options).size !== field.options.length) issue('options', 'Options must be different.');
    if (field.kind === 'hidden_utm' && !field.utmParam) issue('utmParam', 'Choose which UTM parameter this field keeps.');
    if (field.kind !== 'hidden_utm' && field.utmParam) issue('utmParam', 'Only hidden UTM fields have a UTM parameter.');
    if (field.kind === 'hidden_utm' && field.required) issue('required', 'A hidden field cannot be required.');
    // The email address is what makes a submission a lead.
    if (field.kind === 'email' && !field.required) issue('required', 'The email field must be required.');
  });

function checkFormFields(fields: FormField[], ctx: z.RefinementCtx, path: string, allowedKinds?: readonly FormField['kind'][]) {
  const names = new Set<string>();
  fields.forEach((field, i) => {
    if (names.has(field.name)) ctx.addIssue({ code: 'custom', path: [path, i, 'name'], message: 'Field names must be unique.' });
    names.add(field.name);
    if (allowedKinds && !allowedKinds.includes(field.kind)) {
      ctx.addIssue({ code: 'custom', path: [path, i, 'kind'], message: `Only ${allowedKinds.join(' and ')} fields are allowed here.` });
    }
  });
  for (const kind of SINGLE_USE_KINDS) {
    const count = fields.filter((field) => field.kind === kind).length;
    if (kind === 'email' && count !== 1) ctx.addIssue({ code: 'custom', path: [path], message: 'A form needs exactly one email field.' });
    if (kind !== 'email' && count > 1) ctx.addIssue({ code: 'custom', path: [path], message: `A form can have only one ${kind} field.` });
  }
}

function checkUniqueIds(items: Array<{ id: string }>, ctx: z.RefinementCtx, path: Array<string | number>, what: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `${what} ids must be unique.` });
    seen.add(item.id);
  });
}

// ── Blocks ───────────────────────────────────────────────────────────────────

const block = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), id: blockIdSchema, ...shape });

const heroBlock = block('hero', {
  headline: text(160),
  subheadline: text(400).optional(),
  image: imageSchema.optional(),
  cta: z.object({ label: text(60), target: ctaTargetSchema }).optional(),
});

const richTextBlock = block('rich_text', {
  markdown: text(20_000),
}).superRefine((value, ctx) => {
  const refuse = (href: string) =>
    ctx.addIssue({
      code: 'custom',
      path: ['markdown'],
      message: `Links must be http(s), mailto or a path on this site; "${href.slice(0, 60)}" is not allowed.`,
    });
  for (const href of richTextHrefs(value.markdown)) if (!isSafeLinkHref(href)) refuse(href);
  for (const target of literalLinkTargets(value.markdown)) {
    const scheme = schemeOf(target);
    if ((scheme && !['http', 'https', 'mailto'].includes(scheme)) || hiddenUrlMeaning(target)) refuse(target);
  }
});

const imageBlock = block('image', {
  src: imageSource,
  alt: z.string().trim().max(300),
  caption: text(300).optional(),
  /** Intrinsic size in pixels: lets the browser reserve space and avoid layout shift. */
  width: pixels.optional(),
  height: pixels.optional(),
});

const featuresBlock = block('features', {
  title: text(160).optional(),
  items: z
    .array(
      z.object({
        title: text(80),
        text: text(400),
        /** An icon shown above the title (decorative), drawn as inline SVG. */
        icon: iconSchema.optional(),
      }),
    )
    .min(1)
    .max(12),
});

const testimonialsBlock = block('testimonials', {
  title: text(160).optional(),
  items: z
    .array(
      z.object({
        quote: text(600),
        author: text(80),
        role: text(80).optional(),
        avatar: imageSource.optional(),
        rating: z.int().min(1).max(5).optional(),
      }),
    )
    .min(1)
    .max(12),
});

const ctaBlock = block('cta', {
  title: text(160).optional(),
  label: text(60),
  target: ctaTargetSchema,
  /** A reassurance line under the button ("Takes 60 seconds"). */
  note: text(200).optional(),
  /** A plain text link instead of a button: the quiet way out, such as "No thanks" under an upsell. */
  appearance: z.enum(['button', 'link']).optional(),
});

/**
 * A mail written by the marketer that the lead gets once, right after leaving their email in this
 * form (services/lead-mail.ts): the tips, the discount code, the confirmation a page promises.
 * Plain text; web addresses in it become links, and every such mail carries an unsubscribe link.
 */
const followUpEmailSchema = z.object({
  subject: text(150),
  body: text(5000),
});

const leadFormBlock = block('lead_form', {
  title: text(160).optional(),
  description: text(400).optional(),
  fields: z.array(formFieldSchema).min(1).max(12),
  submitLabel: text(60),
  consent: consentSchema.optional(),
  /** Where the visitor goes after submitting; the next funnel page when absent. */
  successTarget: ctaTargetSchema.optional(),
  followUpEmail: followUpEmailSchema.optional(),
}).superRefine((value, ctx) => checkFormFields(value.fields, ctx, 'fields'));

/** A segment an answer puts the lead in ("dry-skin"): kept with the submission and on the lead. */
const outcomeTag = z
  .string()
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and "-" between words, e.g. dry-skin.');

const quizAnswer = z.object({
  id: itemId,
  label: text(120),
  points: z.int().min(-1000).max(1000),
  /** A later question to jump to, or 'end'; the next question in order when absent. */
  next: z.union([itemId, z.literal('end')]).optional(),
  /** What choosing it says about the visitor, for sales and qualification rules (never shown to visitors). */
  tags: z.array(outcomeTag).max(5).optional(),
});

const quizQuestion = z.object({
  id: itemId,
  text: text(200),
  multiple: z.boolean(),
  answers: z.array(quizAnswer).min(2).max(10),
});

const quizOutcome = z.object({
  id: itemId,
  title: text(120),
  description: text(1000),
  minScore: z.int().min(-100_000).max(100_000),
  maxScore: z.int().min(-100_000).max(100_000),
});

const quizBlock = block('quiz', {
  title: text(160),
  intro: text(400).optional(),
  questions: z.array(quizQuestion).min(1).max(20),
  outcomes: z.array(quizOutcome).min(1).max(10),
  askEmailBeforeOutcome: z.boolean(),
  /** Shown above the email field when the email is asked for before the outcome. */
  emailPrompt: text(200).optional(),
  submitLabel: text(60).optional(),
  consent: consentSchema.optional(),
  /** Show the visitor their points next to the outcome; off by default, as the score is the marketer's yardstick, not the visitor's. */
  showScore: z.boolean().optional(),
}).superRefine((quiz, ctx) => {
  checkUniqueIds(quiz.questions, ctx, ['questions'], 'Question');
  checkUniqueIds(quiz.outcomes, ctx, ['outcomes'], 'Outcome');
  const position = new Map(quiz.questions.map((question, i) => [question.id, i]));
  quiz.questions.forEach((question, qi) => {
    checkUniqueIds(question.answers, ctx, ['questions', qi, 'answers'], 'Answer');
    question.answers.forEach((answer, ai) => {
      if (answer.next === undefined) return;
      const path = ['questions', qi, 'answers', ai, 'next'];
      // Branches only jump forward, so every path ends and no visitor can be sent in a loop.
      if (question.multiple) ctx.addIssue({ code: 'custom', path, message: 'Only single-choice questions can branch.' });
      else if (answer.next !== 'end' && !((position.get(answer.next) ?? -1) > qi)) {
        ctx.addIssue({ code: 'custom', path, message: 'An answer can only jump to a later question or to "end".' });
      }
    });
  });
  const ranges = quiz.outcomes.map((outcome, i) => ({ ...outcome, i })).sort((a, b) => a.minScore - b.minScore);
  ranges.forEach((outcome, k) => {
    const path = ['outcomes', outcome.i, 'minScore'];
    if (outcome.minScore > outcome.maxScore) ctx.addIssue({ code: 'custom', path, message: 'The minimum score is above the maximum.' });
    const previous = ranges[k - 1];
    if (previous && outcome.minScore <= previous.maxScore) {
      ctx.addIssue({ code: 'custom', path, message: 'Outcome score ranges must not overlap.' });
    }
  });
  if (quiz.consent && !quiz.askEmailBeforeOutcome) {
    ctx.addIssue({ code: 'custom', path: ['consent'], message: 'Consent is only asked together with the email.' });
  }
});

const leadMagnetBlock = block('lead_magnet', {
  title: text(160),
  description: text(600),
  /** What the visitor gets, e.g. "The 5-minute skincare routine (PDF, 4 pages)". */
  assetName: text(120),
  /**
   * The file: a PDF of the media library (`media:<id>`, its `leadMagnetRef`) or one under
   * /assets/gated/ — neither served publicly, only through the lead's expiring link — or an https
   * URL the link redirects to.
   */
  assetPath: z
    .string()
    .max(MAX_URL_LENGTH)
    .refine(
      (value) => isHttpsUrl(value) || /^\/assets\/gated\/[\w.-]+(\/[\w.-]+)*$/.test(value) || /^media:[0-9A-Z]{26}$/.test(value),
      'Choose a PDF from the media library, put the file under /assets/gated/, or use an https:// address.',
    ),
  cover: imageSchema.optional(),
  fields: z.array(formFieldSchema).min(1).max(2),
  submitLabel: text(60),
  consent: consentSchema.optional(),
}).superRefine((value, ctx) => checkFormFields(value.fields, ctx, 'fields', ['email', 'name']));

const chatStep = z.object({
  id: itemId.refine((id) => id !== 'email' && !(RESERVED_FIELD_NAMES as readonly string[]).includes(id), 'This id is reserved.'),
  prompt: text(300),
  kind: z.enum(['choice', 'text']),
  options: z.array(text(80)).min(2).max(8).optional(),
});

const chatCaptureBlock = block('chat_capture', {
  botName: text(40),
  avatar: imageSource.optional(),
  title: text(160).optional(),
  steps: z.array(chatStep).min(1).max(8),
  emailPrompt: text(300),
  consent: consentSchema,
  submitLabel: text(40),
  /** The bot's last line once the email is in (when the visitor stays on the page). */
  doneMessage: text(300),
  successTarget: ctaTargetSchema.optional(),
  followUpEmail: followUpEmailSchema.optional(),
}).superRefine((chat, ctx) => {
  checkUniqueIds(chat.steps, ctx, ['steps'], 'Step');
  chat.steps.forEach((step, i) => {
    if (step.kind === 'choice' && !step.options)
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'options'], message: 'A choice step needs options.' });
    if (step.kind === 'text' && step.options)
      ctx.addIssue({ code: 'custom', path: ['steps', i, 'options'], message: 'A text step has no options.' });
  });
});

const offerBlock = block('offer', {
  title: text(160),
  description: text(600).optional(),
  badge: text(40).optional(),
  image: imageSchema.optional(),
  /** Money is integer minor units: 25000 USD is $250.00. */
  priceMinor: z.int().min(0).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO 4217 code such as USD.'),
  compareAtMinor: z.int().min(0).max(1_000_000_000).optional(),
  bullets: z.array(text(160)).max(12),
  buyLabel: text(60),
  buyTarget: ctaTargetSchema,
  note: text(200).optional(),
}).superRefine((offer, ctx) => {
  if (offer.compareAtMinor !== undefined && offer.compareAtMinor <= offer.priceMinor) {
    ctx.addIssue({ code: 'custom', path: ['compareAtMinor'], message: 'The compare-at price must be above the price.' });
  }
});

const countdownBlock = block('countdown', {
  /** UTC epoch milliseconds. */
  endsAt: z.int().min(0).max(8_640_000_000_000_000),
  label: text(120),
  expiredText: text(160),
});

const faqBlock = block('faq', {
  title: text(160).optional(),
  items: z
    .array(z.object({ question: text(200), answer: text(2000) }))
    .min(1)
    .max(30),
});

const videoBlock = block('video', {
  provider: z.enum(VIDEO_PROVIDERS),
  videoId: z.string().max(32),
  /** The iframe's accessible name. */
  title: text(160),
}).superRefine((video, ctx) => {
  if (!isValidVideoId(video.provider, video.videoId)) {
    ctx.addIssue({ code: 'custom', path: ['videoId'], message: `This is not a valid ${video.provider} video id.` });
  }
});

export const blockSchema = z.discriminatedUnion('type', [
  heroBlock,
  richTextBlock,
  imageBlock,
  featuresBlock,
  testimonialsBlock,
  ctaBlock,
  leadFormBlock,
  quizBlock,
  leadMagnetBlock,
  chatCaptureBlock,
  offerBlock,
  countdownBlock,
  faqBlock,
  videoBlock,
]);

// ── Page ─────────────────────────────────────────────────────────────────────

// In their own module (no zod), so the renderer can run in the editor's browser bundle without the schema.
export { FONT_STACKS, type FontStack } from './font-stacks';

/** The corners of every button on the page. */
export const BUTTON_SHAPES = ['rounded', 'pill', 'square'] as const;
/** Buttons filled with the primary colour, or drawn as an outline in the link colour. */
export const BUTTON_FILLS = ['filled', 'outline'] as const;

const themeSchema = z.object({
  primary: hexColour,
  background: hexColour,
  text: hexColour,
  fontStack: z.enum(Object.keys(FONT_STACKS) as [FontStack, ...FontStack[]]),
  // Optional, with the look pages had before they could choose (rounded, filled) as the default,
  // so every page saved earlier stays valid and renders byte for byte as it did.
  buttonShape: z.enum(BUTTON_SHAPES).optional().meta({ default: 'rounded' }),
  buttonFill: z.enum(BUTTON_FILLS).optional().meta({ default: 'filled' }),
  logo: imageSchema.optional(),
});

const pageSettingsSchema = z.object({
  title: text(120),
  description: text(300).optional(),
  /** Open Graph images are fetched by other sites, so the URL must be absolute. */
  ogImage: httpsUrl.optional(),
  noindex: z.boolean(),
  /** BCP 47 language of the page, `en` when absent. */
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'Use a language tag such as en or pt-BR.')
    .optional(),
  theme: themeSchema,
});

const MAX_BLOCKS_PER_PAGE = 60;

export const pageContentSchema = z
  .object({
    settings: pageSettingsSchema,
    blocks: z.array(blockSchema).max(MAX_BLOCKS_PER_PAGE),
  })
  .superRefine((content, ctx) => checkUniqueIds(content.blocks, ctx, ['blocks'], 'Block'));

// ── Types ────────────────────────────────────────────────────────────────────

export type PageContent = z.infer<typeof pageContentSchema>;
export type PageSettings = z.infer<typeof pageSettingsSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type Block = z.infer<typeof blockSchema>;
type BlockType = Block['type'];
type BlockOf<T extends BlockType> = Extract<Block, { type: T }>;
export type FormField = z.infer<typeof formFieldSchema>;
export type FormFieldKind = FormField['kind'];
export type Consent = z.infer<typeof consentSchema>;
export type CtaTarget = z.infer<typeof ctaTargetSchema>;
export type FollowUpEmail = z.infer<typeof followUpEmailSchema>;

export type HeroBlock = BlockOf<'hero'>;
export type ImageBlock = BlockOf<'image'>;
export type FeaturesBlock = BlockOf<'features'>;
export type TestimonialsBlock = BlockOf<'testimonials'>;
export type CtaBlock = BlockOf<'cta'>;
export type LeadFormBlock = BlockOf<'lead_form'>;
export type QuizBlock = BlockOf<'quiz'>;
export type QuizQuestion = QuizBlock['questions'][number];
export type LeadMagnetBlock = BlockOf<'lead_magnet'>;
export type ChatCaptureBlock = BlockOf<'chat_capture'>;
export type OfferBlock = BlockOf<'offer'>;
export type CountdownBlock = BlockOf<'countdown'>;
export type FaqBlock = BlockOf<'faq'>;
export type VideoBlock = BlockOf<'video'>;

/** Blocks whose form a visitor can post: each becomes a submission (and usually a lead). */
export type CaptureBlock = LeadFormBlock | QuizBlock | LeadMagnetBlock | ChatCaptureBlock;
const CAPTURE_BLOCK_TYPES = ['lead_form', 'quiz', 'lead_magnet', 'chat_capture'] as const satisfies readonly CaptureBlock['type'][];

export function isCaptureBlock(block: Block): block is CaptureBlock {
  return (CAPTURE_BLOCK_TYPES as readonly string[]).includes(block.type);
}
