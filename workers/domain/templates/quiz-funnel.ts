/**
 * "Quiz funnel": a coffee roaster matches visitors to one of three roasts with a short branching
 * quiz (milk drinkers skip the acidity question), asks for the email before the match, and offers
 * a subscription with the first bag free. Matched quiz takers who look at the offer become deals.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

const THEME: Theme = { primary: '#9a3412', background: '#fffaf3', text: '#292524', fontStack: 'rounded' };

const CONSENT = 'Yes, email me brewing tips and offers from Ember & Oak. I can unsubscribe at any time.';

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const start: PageContent = {
  settings: settings(
    'Find your coffee · Ember & Oak Coffee Roasters',
    'Five quick questions about how you brew and what you like, and we match you with one of our three house roasts. Your first bag is on us.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Find the coffee you will want every morning',
      subheadline:
        'Answer five quick questions about how you brew and what you like. We match you with one of our three house roasts, and your first bag is on us.',
      image: {
        src: '/assets/templates/coffee-roasts.svg',
        alt: 'Three bags of Ember & Oak coffee: Sunrise light roast, Hearth medium roast and Ember dark roast',
        width: 600,
        height: 480,
      },
      cta: { label: 'Find my coffee', target: { kind: 'next' } },
    },
    {
      type: 'features',
      id: 'why',
      title: 'Coffee the way it should taste',
      items: [
        { icon: 'sun', title: 'Roasted the day we ship', text: 'Small batches in our Portland roastery, never sitting in a warehouse.' },
        { icon: 'truck', title: 'At your door in three days', text: 'Sealed with a one-way valve, so it arrives as fresh as it left.' },
        { icon: 'refresh', title: 'Skip or cancel any time', text: 'Change roast, pause a delivery or stop altogether in two clicks.' },
      ],
    },
    {
      type: 'testimonials',
      id: 'drinkers',
      title: 'Matched and happy',
      items: [
        {
          quote:
            'I always bought dark roast because I thought I had to. The quiz put me on Hearth and I finally like my flat whites without sugar.',
          author: 'Dana Okafor',
          role: 'Subscriber since 2024',
          rating: 5,
        },
        {
          quote: 'Sunrise in a pour-over is ridiculous. Tastes like blueberries. My partner now steals it.',
          author: 'Tom Lindqvist',
          role: 'Subscriber since 2025',
          rating: 5,
        },
      ],
    },
  ],
};

const quiz: PageContent = {
  settings: settings('Your coffee match · Ember & Oak', 'A one-minute quiz that matches you with the roast you will love.'),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Your coffee match',
      subheadline: 'About a minute. There are no wrong answers, only better coffee.',
    },
    {
      type: 'quiz',
      id: 'coffee-quiz',
      title: 'The coffee quiz',
      questions: [
        {
          id: 'brew',
          text: 'How do you usually make your coffee?',
          multiple: false,
          answers: [
            { id: 'filter', label: 'Pour-over or a filter machine', points: 1 },
            { id: 'press', label: 'French press', points: 2 },
            { id: 'espresso', label: 'Espresso machine', points: 3, tags: ['espresso-at-home'] },
            { id: 'moka', label: 'Moka pot on the stove', points: 3, tags: ['espresso-at-home'] },
          ],
        },
        {
          id: 'milk',
          text: 'How do you take it?',
          multiple: false,
          answers: [
            { id: 'black', label: 'Black, always', points: 1 },
            { id: 'splash', label: 'With a splash of milk', points: 2 },
            // Milk rounds off acidity, so its question says little for latte drinkers: skipped.
            { id: 'latte', label: 'Mostly milk: lattes and flat whites', points: 3, next: 'strength', tags: ['milk-drinker'] },
          ],
        },
        {
          id: 'acidity',
          text: 'Which of these sounds like a great cup to you?',
          multiple: false,
          answers: [
            { id: 'bright', label: 'Bright and juicy, like berries or citrus', points: 1 },
            { id: 'sweet', label: 'Sweet and round, like caramel', points: 2 },
            { id: 'deep', label: 'Deep and rich, like dark chocolate', points: 3 },
          ],
        },
        {
          id: 'strength',
          text: 'How strong do you like it?',
          multiple: false,
          answers: [
            { id: 'gentle', label: 'Gentle and easy-going', points: 1 },
            { id: 'middle', label: 'Somewhere in the middle', points: 2 },
            { id: 'strong', label: 'Strong enough to wake the neighbours', points: 3 },
          ],
        },
        {
          id: 'cups',
          text: 'How many cups do you drink on a normal day?',
          multiple: false,
          answers: [
            { id: 'one', label: 'One, and I savour it', points: 0 },
            { id: 'few', label: 'Two or three', points: 0 },
            { id: 'many', label: 'I have stopped counting', points: 0 },
          ],
        },
      ],
      outcomes: [
        {
          id: 'bright',
          title: 'Bright & fruity: Sunrise light roast',
          description:
            'You like a cup with lift. Sunrise is a washed Ethiopian coffee roasted light, so the blueberry and lemon notes stay in the cup.\n\nBrew it as a pour-over or in a filter machine, 16 g for 250 ml, and give it a minute to cool: the flavour opens up as it does.',
          minScore: 3,
          maxScore: 6,
        },
        {
          id: 'balanced',
          title: 'Smooth & sweet: Hearth medium roast',
          description:
            'Your sweet spot is a coffee that tastes good however you make it. Hearth blends Colombian and Brazilian beans for caramel and milk chocolate with a gentle acidity.\n\nIt makes a forgiving espresso, a round filter cup, and it loves milk.',
          minScore: 7,
          maxScore: 9,
        },
        {
          id: 'bold',
          title: 'Rich & bold: Ember dark roast',
          description:
            'You want a coffee that stands up to milk and wakes you up. Ember is roasted to just before second crack: dark chocolate, toasted nuts and a heavy body, without the burnt edge.\n\nIt shines in espresso, moka pots and big milky lattes.',
          minScore: 10,
          maxScore: 12,
        },
      ],
      askEmailBeforeOutcome: true,
      emailPrompt: 'Where should we send your match and your free-bag code?',
      submitLabel: 'Show my coffee',
      consent: { text: CONSENT, required: false },
    },
  ],
};

const offer: PageContent = {
  settings: settings(
    'Your first bag free · Ember & Oak subscription',
    'Your matched roast, roasted to order every two or four weeks. The first bag is free; skip or cancel any time.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Your first bag is on us',
      subheadline: 'Start a subscription to your matched roast and we pay for the first 340 g bag. You only pay for shipping.',
    },
    {
      type: 'offer',
      id: 'subscription',
      badge: 'First bag free',
      title: 'The Ember & Oak subscription',
      description: 'Your roast, 340 g, roasted to order and posted within 48 hours. Then every two or four weeks: you choose.',
      priceMinor: 0,
      currency: 'USD',
      compareAtMinor: 1_600,
      bullets: [
        'The first bag is free: you pay only the $4.50 shipping',
        'Then $16 a bag, with free shipping',
        'Whole bean, or ground for your brewer',
        'Switch roast, skip or cancel any time',
      ],
      buyLabel: 'Claim my free bag',
      buyTarget: { kind: 'next' },
      note: 'No commitment. Cancel online in two clicks.',
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Good questions',
      items: [
        {
          question: 'What if I do not like my match?',
          answer:
            'Tell us and we will send a different roast on your next delivery, free. About one in ten people switch, and that is fine.',
        },
        { question: 'How do I cancel?', answer: 'From your account page, any time before your next roast date. No phone calls, no guilt.' },
        { question: 'Where do you ship?', answer: 'Everywhere in the continental US. Alaska, Hawaii and Canada are coming in spring.' },
      ],
    },
  ],
};

const thanks: PageContent = {
  settings: settings('Welcome to Ember & Oak', 'Your first bag is being roasted.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Your first bag is being roasted',
      subheadline: 'Welcome to Ember & Oak. We roast on Tuesdays and Fridays and email you the tracking link the moment it ships.',
    },
    {
      type: 'rich_text',
      id: 'brew-guide',
      markdown: [
        '## While you wait',
        '- **Grind just before brewing**: ground coffee loses most of its aroma within half an hour.',
        '- **Use water just off the boil**, around 94 °C (201 °F).',
        '- **Start with 16 g per 250 ml** and adjust by taste.',
        '',
        'Questions about your order? Write to [hello@emberandoak.example](mailto:hello@emberandoak.example).',
      ].join('\n'),
    },
  ],
};

export const QUIZ_FUNNEL: FunnelTemplate = {
  id: 'quiz-funnel',
  name: 'Quiz funnel',
  goal: 'quiz',
  description:
    'A coffee roaster matches visitors to one of three roasts with a five-question branching quiz, asks for the email before the result, and offers a subscription with the first bag free.',
  suggestedName: 'Coffee match quiz',
  suggestedSlug: 'coffee-quiz',
  theme: THEME,
  pages: [
    { slug: 'start', name: 'Landing page', kind: 'landing', stage: 'awareness', content: start },
    { slug: 'quiz', name: 'Coffee quiz', kind: 'quiz', stage: 'interest', content: quiz },
    { slug: 'offer', name: 'Offer: first bag free', kind: 'offer', stage: 'desire', content: offer },
    { slug: 'thanks', name: 'Welcome', kind: 'thank_you', stage: 'desire', content: thanks },
  ],
  scoring: { ...DEFAULT_SCORING, quizOutcomes: { bold: 15, balanced: 15, bright: 15 } },
  qualification: {
    name: 'Matched and saw the offer → Lead qualification',
    conditions: [
      { kind: 'quiz_outcome_in', outcomes: ['bright', 'balanced', 'bold'] },
      { kind: 'stage_reached', stage: 'desire' },
    ],
    pipeline: 'b2c',
    stage: 'Lead qualification',
    // A year of bags every four weeks after the free one: 12 × $16.
    value: { kind: 'fixed', amountMinor: 19_200 },
    currency: 'USD',
    nameTemplate: '{campaign} - {lead.name} ({quiz.outcome})',
  },
};
