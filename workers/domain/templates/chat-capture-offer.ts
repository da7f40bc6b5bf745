/**
 * "Chat capture + offer": the seeded demo funnel, "Cosmetics set" (the B2C cosmetics shop of the
 * source article): a landing page with a chat capture, a skin-type quiz, an ebook gate, the $250
 * offer and a thank-you page. Seeded at /p/cosmetics-set. Assets live in pages-ui/landing/assets/
 * and are served under /assets/.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

const THEME: Theme = {
  primary: '#9d174d',
  background: '#fffaf7',
  text: '#2b1a20',
  fontStack: 'humanist',
};

/** The article's email-marketing consent line, stored verbatim with each lead that ticks it. */
const MARKETING_CONSENT = 'Yes, email me skincare tips and offers from Demo Shop. I can unsubscribe at any time.';

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const landing: PageContent = {
  settings: settings(
    'Cosmetics set · Demo Shop',
    'Five gentle essentials for healthy, glowing skin in five minutes a day. Find your skin type and your routine.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Healthy, glowing skin in five minutes a day',
      subheadline: 'The Demo Shop cosmetics set: five gentle essentials that work together, for every skin type.',
      image: {
        src: '/assets/cosmetics-set.svg',
        alt: 'The cosmetics set: cleanser, toner, serum, moisturiser and SPF 50 sunscreen',
        width: 600,
        height: 480,
      },
      cta: { label: 'Find my skin type', target: { kind: 'page', slug: 'quiz' } },
    },
    {
      type: 'features',
      id: 'benefits',
      title: 'Why people love the set',
      items: [
        { icon: 'leaf', title: 'Gentle on every skin', text: 'Fragrance-free formulas, dermatologist-tested on sensitive skin.' },
        { icon: 'clock', title: 'Five minutes, twice a day', text: 'Five steps in the right order, so there is no guesswork.' },
        { icon: 'droplet', title: 'Hydration that lasts', text: 'Hyaluronic acid and ceramides keep skin comfortable all day.' },
        { icon: 'refresh', title: 'Refillable glass', text: 'Refills use 70% less plastic and cost 20% less.' },
      ],
    },
    {
      type: 'testimonials',
      id: 'reviews',
      title: 'Loved by more than 2,000 customers',
      items: [
        {
          quote: 'My skin has never felt this calm. It is the first routine I have actually stuck to.',
          author: 'Ava Smith',
          role: 'Verified buyer',
          rating: 5,
        },
        {
          quote: 'I have oily skin and was sceptical, but the serum balanced everything within two weeks.',
          author: 'Liam Chen',
          role: 'Verified buyer',
          rating: 5,
        },
        {
          quote: 'Beautiful packaging, and the sunscreen leaves no white cast. Worth every penny.',
          author: 'Sofia Rossi',
          role: 'Verified buyer',
          rating: 4,
        },
      ],
    },
    {
      type: 'cta',
      id: 'take-quiz',
      title: 'Not sure where to start?',
      label: 'Take the 1-minute skin quiz',
      target: { kind: 'page', slug: 'quiz' },
      note: 'Get the routine that matches your skin type.',
    },
    {
      type: 'chat_capture',
      id: 'chat',
      title: 'Questions? Ask Mia',
      botName: 'Mia from Demo Shop',
      steps: [
        {
          id: 'concern',
          prompt: 'Hi, I am Mia! What is your main skin concern right now?',
          kind: 'choice',
          options: ['Dryness', 'Shine and breakouts', 'Dullness', 'Sensitivity'],
        },
        {
          id: 'routine',
          prompt: 'How many steps does your routine have today?',
          kind: 'choice',
          options: ['None yet', '1 or 2', '3 or more'],
        },
        { id: 'question', prompt: 'Anything you would like to ask our skincare team?', kind: 'text' },
      ],
      emailPrompt: 'Thanks! Leave your email and I will send you tips for your skin, plus 10% off your first set.',
      consent: { text: MARKETING_CONSENT, required: true },
      submitLabel: 'Send me tips',
      doneMessage: 'Thank you! Your tips and your 10% code are on their way to your inbox.',
      // What the last message promises, sent to the lead right after they leave their email.
      followUpEmail: {
        subject: 'Your skincare tips and 10% off your first set',
        body: [
          'Hi,',
          'Thanks for chatting with Mia! As promised, here are three tips that help every skin type:',
          '1. Cleanse gently, morning and night: lukewarm water, no scrubbing. Hot water strips the oils your skin needs.\n2. Moisturise on damp skin, within a minute of cleansing, so the moisture stays in.\n3. Wear SPF 50 every morning, even when it is cloudy: most skin ageing comes from daylight.',
          'And your code for 10% off your first cosmetics set: WELCOME10. Enter it at checkout; it works once, on any set.',
          'Not sure which routine suits you? The one-minute skin quiz tells you.',
          'Mia and the Demo Shop skincare team',
        ].join('\n\n'),
      },
    },
  ],
};

const quiz: PageContent = {
  settings: settings('What is your skin type? · Demo Shop', 'Five quick questions and a routine that fits your skin.'),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'What is your skin type?',
      subheadline: 'Five quick questions, one routine that fits. It takes about a minute.',
    },
    {
      type: 'quiz',
      id: 'skin-quiz',
      title: 'The skin-type quiz',
      questions: [
        {
          id: 'midday',
          text: 'How does your skin feel by midday?',
          multiple: false,
          answers: [
            { id: 'tight', label: 'Tight or flaky', points: 1, tags: ['dry-skin'] },
            { id: 'comfortable', label: 'Comfortable', points: 2 },
            { id: 'shiny', label: 'Shiny, especially on the forehead and nose', points: 3, tags: ['oily-skin'] },
          ],
        },
        {
          id: 'pores',
          text: 'How visible are your pores?',
          multiple: false,
          answers: [
            { id: 'barely', label: 'Barely visible', points: 1 },
            { id: 'nose', label: 'Visible on the nose', points: 2 },
            { id: 'everywhere', label: 'Visible across the face', points: 3 },
          ],
        },
        {
          id: 'breakouts',
          text: 'How often do you get breakouts?',
          multiple: false,
          answers: [
            // Rarely breaking out says enough about oil: the shine question is skipped.
            { id: 'rarely', label: 'Rarely', points: 1, next: 'products' },
            { id: 'sometimes', label: 'Now and then', points: 2 },
            { id: 'often', label: 'Often', points: 3, tags: ['breakout-prone'] },
          ],
        },
        {
          id: 'shine',
          text: 'Do you blot or powder your face to control shine?',
          multiple: false,
          answers: [
            { id: 'never', label: 'Never', points: 1 },
            { id: 'sometimes', label: 'Sometimes', points: 2 },
            { id: 'daily', label: 'Every day', points: 3 },
          ],
        },
        {
          id: 'products',
          text: 'Which of these do you already use?',
          multiple: true,
          answers: [
            { id: 'cleanser', label: 'Cleanser', points: 0 },
            { id: 'moisturiser', label: 'Moisturiser', points: 0 },
            { id: 'sunscreen', label: 'Sunscreen', points: 0 },
            { id: 'none', label: 'None of these', points: 0, tags: ['new-to-skincare'] },
          ],
        },
      ],
      outcomes: [
        {
          id: 'dry',
          title: 'Dry skin',
          description:
            'Your skin makes less oil than it needs, so it can feel tight and look dull. Cleanse gently, layer hydration, and seal it in: the cream cleanser and the ceramide moisturiser in the set are made for you.',
          minScore: 3,
          maxScore: 6,
        },
        {
          id: 'balanced',
          title: 'Balanced skin',
          description:
            'Lucky you: your skin is neither tight nor shiny. Keep it that way with a light routine, and never skip sunscreen. The full set in its five-minute order is all you need.',
          minScore: 7,
          maxScore: 9,
        },
        {
          id: 'oily',
          title: 'Oily skin',
          description:
            'Your skin makes plenty of oil, which means shine and the odd breakout, but also fewer fine lines. Use the gel cleanser twice a day and the niacinamide serum to keep shine in check without drying out.',
          minScore: 10,
          maxScore: 12,
        },
      ],
      askEmailBeforeOutcome: true,
      emailPrompt: 'Where should we send your result and your routine?',
      submitLabel: 'See my result',
      consent: { text: MARKETING_CONSENT, required: false },
    },
  ],
};

const guide: PageContent = {
  settings: settings('The 5-minute skincare routine · Free guide', 'A free illustrated guide to a five-step routine for every skin type.'),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'The 5-minute skincare routine',
      subheadline: 'A free guide: five steps, morning and night, with tips for dry, balanced and oily skin.',
    },
    {
      type: 'lead_magnet',
      id: 'ebook',
      title: 'Get the free guide',
      description:
        'Everything you need for a routine that takes five minutes: the right order of steps, how much product to use, and what to change for your skin type.',
      assetName: 'The 5-minute skincare routine (PDF)',
      assetPath: '/assets/gated/the-5-minute-skincare-routine.pdf',
      cover: { src: '/assets/the-5-minute-skincare-routine-cover.svg', alt: 'Cover of the guide', width: 300, height: 400 },
      fields: [
        { name: 'name', label: 'First name', kind: 'name', required: false },
        { name: 'email', label: 'Email address', kind: 'email', required: true },
      ],
      submitLabel: 'Send me the guide',
      consent: { text: MARKETING_CONSENT, required: false },
    },
    {
      type: 'rich_text',
      id: 'inside',
      markdown: [
        '## What is inside',
        '- **The five steps** in the order that works: cleanse, tone, treat, moisturise, protect.',
        '- **How much to use** of each product, so a set lasts about three months.',
        '- **Tips for your skin type**: dry, balanced or oily, as in the skin-type quiz.',
      ].join('\n'),
    },
  ],
};

const offer: PageContent = {
  settings: settings(
    'The cosmetics set · $250 · Demo Shop',
    'Five full-size essentials for your five-minute routine, with free shipping and 30-day returns.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'The complete cosmetics set',
      subheadline: 'Five full-size essentials for your five-minute routine, matched to your skin type.',
    },
    {
      type: 'offer',
      id: 'set',
      badge: 'Launch offer',
      title: 'Cosmetics set',
      description: 'Cleanser, toner, serum, moisturiser and SPF 50 sunscreen, in refillable glass.',
      priceMinor: 25_000,
      currency: 'USD',
      compareAtMinor: 31_000,
      bullets: [
        'Five full-size products, about three months of use',
        'Matched to your skin type from the quiz',
        'Free shipping and 30-day returns',
        'Refills at 20% off, whenever you need them',
      ],
      buyLabel: 'Buy the set for $250',
      buyTarget: { kind: 'page', slug: 'thanks' },
      note: 'Secure checkout. 30-day money-back guarantee.',
    },
    {
      type: 'countdown',
      id: 'deadline',
      endsAt: Date.UTC(2027, 11, 31, 23, 59),
      label: 'The launch price ends',
      expiredText: 'The launch price has ended, but the set is still available.',
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Questions, answered',
      items: [
        {
          question: 'Is the set suitable for sensitive skin?',
          answer: 'Yes. Every product is fragrance-free and dermatologist-tested on sensitive skin.',
        },
        { question: 'How long does the set last?', answer: 'About three months, used morning and night.' },
        {
          question: 'Can I return it?',
          answer: 'Yes. If it is not right for you, send it back within 30 days for a full refund, even opened.',
        },
        {
          question: 'Where do you ship?',
          answer: 'To the US, Canada, the UK and the EU. Shipping is free on the set.',
        },
      ],
    },
  ],
};

const thanks: PageContent = {
  settings: settings('Thank you · Demo Shop', 'Your cosmetics set is on its way.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Thank you!',
      // The store's checkout sends the receipt; Leadflare does not, so the page does not promise one from here.
      subheadline: 'Your order is confirmed: the receipt comes from our checkout. Here is your five-minute routine to start with.',
    },
    {
      type: 'rich_text',
      id: 'next',
      markdown: [
        '## Your five-minute routine',
        '1. **Cleanser**, on damp skin, for 30 seconds.',
        '2. **Toner**, pressed in with your palms.',
        '3. **Serum**, two drops, while your skin is still damp.',
        '4. **Moisturiser**, a pea-sized amount.',
        '5. **SPF 50**, every morning, as the last step.',
        '',
        '## What happens next',
        '- Your set ships within **1 to 2 business days**.',
        '- Questions? Write to [hello@demo-shop.example](mailto:hello@demo-shop.example).',
      ].join('\n'),
    },
    { type: 'cta', id: 'back', label: 'Back to the shop', target: { kind: 'page', slug: 'landing' } },
  ],
};

/**
 * Demo lead scoring: intent events, the ebook, and the quiz — the oily-skin outcome (the highest
 * quiz score) earns most — plus a chat answer. A quiz completed with a high score reaches 60 on
 * its own (form submit 10 + quiz complete 20 + outcome 30).
 */
const SCORING = {
  ...DEFAULT_SCORING,
  quizOutcomes: { oily: 30, balanced: 20, dry: 10 },
  fields: [{ field: 'routine', equals: 'None yet', points: 15 }],
};

export const CHAT_CAPTURE_OFFER: FunnelTemplate = {
  id: 'chat-capture-offer',
  name: 'Chat capture + offer',
  goal: 'chat_offer',
  description:
    'A skincare brand’s funnel: a friendly chat asks two questions and collects the email for a discount, a skin-type quiz and a free guide warm the lead up, and the $250 set closes. The demo funnel.',
  suggestedName: 'Cosmetics set',
  suggestedSlug: 'cosmetics-set',
  theme: THEME,
  pages: [
    { slug: 'landing', name: 'Landing page', kind: 'landing', stage: 'awareness', content: landing },
    { slug: 'quiz', name: 'Skin-type quiz', kind: 'quiz', stage: 'interest', content: quiz },
    { slug: 'guide', name: 'Ebook: the 5-minute skincare routine', kind: 'lead_magnet', stage: 'interest', content: guide },
    { slug: 'offer', name: 'Offer: the cosmetics set', kind: 'offer', stage: 'desire', content: offer },
    { slug: 'thanks', name: 'Thank you', kind: 'thank_you', stage: 'desire', content: thanks },
  ],
  scoring: SCORING,
  // Score ≥ 60 → a "Cosmetics set - <name>" deal worth the $250 offer in the B2C pipeline's "Lead qualification" stage.
  qualification: {
    name: 'Engaged shoppers → Lead qualification',
    conditions: [{ kind: 'score_at_least', score: 60 }],
    pipeline: 'b2c',
    stage: 'Lead qualification',
    value: { kind: 'offer_price', offerPriceMinor: 25_000 },
    currency: 'USD',
    nameTemplate: '{campaign} - {lead.name}',
    campaign: 'Cosmetics set',
  },
};
