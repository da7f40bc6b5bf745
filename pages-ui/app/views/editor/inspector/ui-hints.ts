/**
 * What the schema cannot say. Labels and help texts come from the block schema document (the
 * titles and descriptions of workers/domain/block-schema.ts, which `GET /api/blocks/schema`
 * serves); these hints add the inspector's own decisions — which control, which choices read how,
 * what a new item starts as, what is tucked under "Advanced" — and the inspector's own words only
 * where its control differs from what the schema describes (a price typed as 49.00, not in cents;
 * a date in the marketer's time zone, not UTC).
 */
import type { FieldHints } from './field-model';

const TARGET_LABELS = { page: 'A page of this funnel', next: 'The next page', url: 'A web address' };

export const FIELD_HINTS: FieldHints = {
  // ── Anywhere ──────────────────────────────────────────────────────────────────────────────────
  '*.id': { advanced: true },
  '**.width': { advanced: true },
  '**.height': { advanced: true },
  '**.src': { multiline: false },
  '**.avatar': { widget: 'image-src', multiline: false },
  '**.image': { toggleLabel: 'Add an image' },
  '**.cover': { toggleLabel: 'Add a cover image' },
  '**.target': { optionLabels: TARGET_LABELS, display: 'radio', initial: { kind: 'next' } },
  '**.slug': { widget: 'page-slug' },
  '**.url': { placeholder: 'https://', multiline: false },
  '**.consent': {
    toggleLabel: 'Ask for consent',
    initial: { text: 'I agree to receive emails and can unsubscribe at any time.', required: true },
  },
  '**.successTarget': {
    optionLabels: TARGET_LABELS,
    display: 'radio',
    absentLabel: 'The next page of the funnel (or a thank-you message on the last page)',
    // A form goes on to the next page anyway: "the next page" would be the same choice twice.
    sameAsAbsent: ['next'],
  },

  // ── Blocks ────────────────────────────────────────────────────────────────────────────────────
  'hero.cta': { toggleLabel: 'Add a button', initial: { label: 'Get started', target: { kind: 'next' } } },
  // The image block is itself the image: one picker for its address, alt text and size.
  'image.src': { widget: 'image' },
  'image.alt': { hidden: true },
  'image.width': { hidden: true },
  'image.height': { hidden: true },
  'features.items': { itemLabel: 'feature' },
  'testimonials.items': { itemLabel: 'testimonial' },
  'testimonials.items.*.rating': { widget: 'rating' },
  'lead_form.fields': { itemLabel: 'field' },
  'lead_magnet.fields': { itemLabel: 'field' },
  'lead_magnet.assetPath': {
    widget: 'file',
    multiline: false,
    description: 'Visitors get it through a personal link that expires; the file itself is never public.',
  },
  'chat_capture.steps': { itemLabel: 'step' },
  'chat_capture.steps.*.id': { advanced: true },
  'chat_capture.steps.*.kind': {
    optionLabels: { choice: 'Buttons', text: 'Free text' },
    description: '',
    // A text step has no choices; a choice step needs at least two.
    companions: { text: { options: undefined }, choice: { options: ['Yes', 'No'] } },
  },
  'chat_capture.steps.*.options': { itemLabel: 'choice', showWhen: { key: 'kind', equals: 'choice' } },
  'chat_capture.successTarget': { absentLabel: 'Stay on the page and show the last message', sameAsAbsent: [] },
  'offer.badge': { placeholder: 'Best value' },
  'offer.priceMinor': { widget: 'money', description: '' },
  'offer.compareAtMinor': { widget: 'money', description: 'Shown struck through; it must be above the price.' },
  'offer.currency': { widget: 'currency', initial: 'USD' },
  'offer.bullets': { itemLabel: 'point' },
  'offer.buyTarget': { optionLabels: TARGET_LABELS, display: 'radio' },
  'countdown.endsAt': { widget: 'datetime', description: 'In your time zone; visitors see the time left.' },
  'countdown.label': { placeholder: 'Offer ends in' },
  'faq.items': { itemLabel: 'question' },
  'quiz.askEmailBeforeOutcome': {
    description: 'On: every finished quiz is a lead. Off: visitors see their outcome straight away.',
  },
  'quiz.emailPrompt': { placeholder: 'Where should we send your result?' },
  'quiz.submitLabel': { placeholder: 'See my result' },
  'quiz.showScore': { label: 'Show visitors their score', description: 'Off: visitors see only the outcome.' },

  // Form fields (lead_form, lead_magnet).
  '**.options': { description: '' },

  // ── Page settings and theme ────────────────────────────────────────────────────────────────────
  'settings.ogImage': { widget: 'image-src', multiline: false },
  'settings.lang': { placeholder: 'en' },
  'theme.fontStack': {
    display: 'select',
    optionLabels: { system: 'System', humanist: 'Humanist', geometric: 'Geometric', rounded: 'Rounded', serif: 'Serif' },
  },
  'theme.logo': { toggleLabel: 'Add a logo' },
  'theme.buttonShape': { optionLabels: { rounded: 'Rounded', pill: 'Pill', square: 'Square' } },
  'theme.buttonFill': { optionLabels: { filled: 'Filled', outline: 'Outline' } },
};

/** Form field kinds as a marketer reads them. */
export const FORM_FIELD_KIND_LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Name',
  phone: 'Phone',
  company: 'Company',
  text: 'Short text',
  textarea: 'Long text',
  select: 'Dropdown',
  hidden_utm: 'Hidden UTM',
};

/** Block types as the outline and the inspector's heading name them. */
export const BLOCK_TYPE_LABELS: Record<string, string> = {
  hero: 'Hero',
  rich_text: 'Text',
  image: 'Image',
  features: 'Features',
  testimonials: 'Testimonials',
  cta: 'Call to action',
  lead_form: 'Lead form',
  quiz: 'Quiz',
  lead_magnet: 'Lead magnet',
  chat_capture: 'Chat capture',
  offer: 'Offer',
  countdown: 'Countdown',
  faq: 'FAQ',
  video: 'Video',
};
