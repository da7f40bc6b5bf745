/**
 * What the schema cannot say: the words a marketer knows a field by, the help under it, and the
 * control that suits it. Everything else on the inspector's forms comes from the block schema
 * (field-model.ts); a property missing here still gets a field, named after the property.
 */
import type { FieldHints } from './field-model';

const TARGET_LABELS = { page: 'A page of this funnel', next: 'The next page', url: 'A web address' };
const IMAGE_HELP = 'Describe the picture for people who cannot see it. Leave empty only for decoration.';

export const FIELD_HINTS: FieldHints = {
  // ── Anywhere ──────────────────────────────────────────────────────────────────────────────────
  '*.id': {
    label: 'Anchor id',
    description: 'Used in the page address to jump here (#id) and in the page’s form posts. Change it only if nothing links to it.',
    advanced: true,
  },
  '**.width': { label: 'Width (px)', advanced: true, description: 'Reserves the space before the image loads, so nothing jumps.' },
  '**.height': { label: 'Height (px)', advanced: true },
  '**.alt': { label: 'Alt text', description: IMAGE_HELP },
  '**.src': { label: 'Image address', multiline: false },
  '**.avatar': { label: 'Photo', widget: 'image-src', multiline: false },
  '**.image': { label: 'Image', toggleLabel: 'Add an image' },
  '**.cover': { label: 'Cover image', toggleLabel: 'Add a cover image' },
  '**.title': { label: 'Title' },
  '**.submitLabel': { label: 'Button label' },
  '**.note': { label: 'Small print', description: 'A reassurance line under the button, e.g. “Takes 60 seconds”.' },
  '**.target': { label: 'Goes to', optionLabels: TARGET_LABELS, display: 'radio', initial: { kind: 'next' } },
  '**.slug': { label: 'Page', widget: 'page-slug' },
  '**.url': { label: 'Web address', placeholder: 'https://', multiline: false },
  '**.consent': {
    label: 'Consent',
    toggleLabel: 'Ask for consent',
    initial: { text: 'I agree to receive emails and can unsubscribe at any time.', required: true },
  },
  '**.successTarget': {
    label: 'After submitting',
    optionLabels: TARGET_LABELS,
    display: 'radio',
    absentLabel: 'The next page of the funnel (or a thank-you message on the last page)',
    // A form goes on to the next page anyway: "the next page" would be the same choice twice.
    sameAsAbsent: ['next'],
  },

  // ── Blocks ────────────────────────────────────────────────────────────────────────────────────
  'hero.headline': { description: 'The promise of the page, in one line.' },
  'hero.subheadline': { label: 'Subheadline' },
  'hero.cta': { label: 'Button', toggleLabel: 'Add a button', initial: { label: 'Get started', target: { kind: 'next' } } },
  'hero.cta.label': { label: 'Button label' },
  'hero.cta.target': { label: 'Button goes to' },
  'rich_text.markdown': { label: 'Text', widget: 'rich-text' },
  // The image block is itself the image: one picker for its address, alt text and size.
  'image.src': { widget: 'image', label: 'Image' },
  'image.alt': { hidden: true },
  'image.width': { hidden: true },
  'image.height': { hidden: true },
  'image.caption': { label: 'Caption' },
  'features.title': { label: 'Section title' },
  'features.items': { label: 'Features', itemLabel: 'feature' },
  'features.items.*.text': { label: 'Description' },
  'features.items.*.icon': { label: 'Icon' },
  'testimonials.title': { label: 'Section title' },
  'testimonials.items': { label: 'Testimonials', itemLabel: 'testimonial' },
  'testimonials.items.*.role': { label: 'Role or company' },
  'testimonials.items.*.rating': { label: 'Stars', widget: 'rating' },
  'cta.label': { label: 'Button label' },
  'cta.target': { label: 'Button goes to' },
  'lead_form.title': { label: 'Form title' },
  'lead_form.fields': { label: 'Form fields', itemLabel: 'field' },
  'lead_magnet.assetName': { label: 'What they get', description: 'For example “The 5-minute skincare routine (PDF, 4 pages)”.' },
  'lead_magnet.assetPath': {
    label: 'File',
    widget: 'file',
    multiline: false,
    description: 'Visitors get it through a personal link that expires; the file itself is never public.',
  },
  'lead_magnet.fields': { label: 'Form fields', itemLabel: 'field' },
  'chat_capture.botName': { label: 'Bot name' },
  'chat_capture.avatar': { label: 'Bot picture' },
  'chat_capture.steps': { label: 'Conversation', itemLabel: 'step' },
  'chat_capture.steps.*.id': { label: 'Answer field name', advanced: true },
  'chat_capture.steps.*.prompt': { label: 'The bot asks' },
  'chat_capture.steps.*.kind': { label: 'Visitor answers with', optionLabels: { choice: 'Buttons', text: 'Free text' } },
  'chat_capture.steps.*.options': { label: 'Buttons', itemLabel: 'button' },
  'chat_capture.emailPrompt': { label: 'The bot asks for the email' },
  'chat_capture.doneMessage': { label: 'Last line', description: 'What the bot says once the email is in.' },
  'chat_capture.successTarget': { absentLabel: 'Stay on the page and show the last line', sameAsAbsent: [] },
  'offer.badge': { label: 'Badge', placeholder: 'Best value' },
  'offer.priceMinor': { label: 'Price', widget: 'money' },
  'offer.compareAtMinor': { label: 'Compare-at price', widget: 'money', description: 'Shown struck through; must be above the price.' },
  'offer.currency': { label: 'Currency', widget: 'currency', initial: 'USD' },
  'offer.bullets': { label: 'What’s included', itemLabel: 'point' },
  'offer.buyLabel': { label: 'Button label' },
  'offer.buyTarget': { label: 'Button goes to', optionLabels: TARGET_LABELS, display: 'radio' },
  'countdown.endsAt': { label: 'Ends at', widget: 'datetime', description: 'In your time zone; visitors see the time left.' },
  'countdown.label': { label: 'Label', placeholder: 'Offer ends in' },
  'countdown.expiredText': { label: 'After it ends', description: 'Shown once the time is up.' },
  'faq.title': { label: 'Section title' },
  'faq.items': { label: 'Questions', itemLabel: 'question' },
  'faq.items.*.answer': { multiline: true },
  'video.videoId': {
    label: 'Video id',
    description: 'The id in the video’s address, e.g. dQw4w9WgXcQ for youtube.com/watch?v=dQw4w9WgXcQ.',
  },
  'video.title': { label: 'Title', description: 'Read out by screen readers for the video frame.' },

  // Quiz parts the quiz builder draws with generated fields.
  'quiz.intro': { label: 'Introduction' },
  'quiz.askEmailBeforeOutcome': {
    label: 'Ask for the email before showing the outcome',
    description: 'On: every finished quiz is a lead. Off: visitors see their outcome straight away.',
  },
  'quiz.emailPrompt': { label: 'Email prompt', placeholder: 'Where should we send your result?' },
  'quiz.submitLabel': { label: 'Button label', placeholder: 'See my result' },
  'quiz.showScore': { label: 'Show visitors their score', description: 'Off: visitors see only the outcome.' },

  // Form fields (lead_form, lead_magnet).
  '**.kind': { label: 'Type' },
  '**.placeholder': { label: 'Placeholder' },
  '**.utmParam': { label: 'UTM parameter' },

  // ── Page settings and theme ────────────────────────────────────────────────────────────────────
  'settings.title': {
    label: 'Page title',
    description: 'Shown in the browser tab and as the headline of search results; about 60 characters fit.',
  },
  'settings.description': { label: 'Description', description: 'The snippet under the title in search results; about 155 characters fit.' },
  'settings.ogImage': {
    label: 'Social image',
    widget: 'image-src',
    multiline: false,
    description: 'Shown when the page is shared; 1200 × 630 px works everywhere. Needs a full https:// address.',
  },
  'settings.noindex': { label: 'Hide from search engines', description: 'Asks search engines not to list this page (noindex).' },
  'settings.lang': { label: 'Language', placeholder: 'en', description: 'A language tag such as en, de or pt-BR; read by screen readers.' },
  'theme.primary': { label: 'Brand colour', description: 'Buttons, links and accents.' },
  'theme.background': { label: 'Background' },
  'theme.text': { label: 'Text colour' },
  'theme.fontStack': {
    label: 'Font',
    display: 'select',
    optionLabels: { system: 'System', humanist: 'Humanist', geometric: 'Geometric', rounded: 'Rounded', serif: 'Serif' },
  },
  'theme.logo': { label: 'Logo', toggleLabel: 'Add a logo' },
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
